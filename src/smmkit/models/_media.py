"""Media attached to content: pictures, videos, audio and documents."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Self

from pydantic import Field, model_validator

from smmkit._sinks import safe_url

from ._base import ValueModel
from ._enums import MediaKind

if TYPE_CHECKING:
    from ._names import MediaKindField

__all__ = ["MediaAsset"]


_MIME_PREFIX = {
    MediaKind.IMAGE: ("image/",),
    MediaKind.VIDEO: ("video/",),
    MediaKind.GIF: ("image/gif",),
    MediaKind.AUDIO: ("audio/",),
    MediaKind.DOCUMENT: ("application/",),
}


class MediaAsset(ValueModel):
    """A picture, video or other file attached to content. Give a ``url`` or a ``path``."""

    if TYPE_CHECKING:
        kind: MediaKindField
    else:
        kind: MediaKind
    url: str | None = None
    path: str | None = None
    mime_type: str = Field(pattern=r"^[a-z]+/[a-z0-9.+-]+$")
    bytes: int | None = Field(default=None, ge=0)
    width: int | None = Field(default=None, gt=0)
    height: int | None = Field(default=None, gt=0)
    duration: timedelta | None = None
    alt_text: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of url or path")
        if self.url is not None:
            safe_url(self.url, field="url")  # http(s) only: no javascript:, data: or user-info
        if not self.mime_type.startswith(_MIME_PREFIX[self.kind]):
            raise ValueError(
                f"mime_type {self.mime_type!r} does not match kind {self.kind.value!r}"
            )
        if self.duration is not None and self.duration < timedelta(0):
            raise ValueError("duration cannot be negative")
        return self

    @property
    def aspect_ratio(self) -> float | None:
        """Width over height, when both are known."""
        if self.width and self.height:
            return self.width / self.height
        return None
