"""Literal names of smmkit's enums, and typing-only field types that accept them.

Pydantic turns ``"mastodon"`` into ``Platform.MASTODON`` at run time, but a type checker reads a
field annotated ``platform: Platform`` and refuses ``Variant(platform="mastodon")``. The classes
here are descriptors seen only by type checkers (``if TYPE_CHECKING:`` in the model body): reading
the field gives the enum, while ``__init__`` and assignment also take the documented strings. At
run time the field is the plain enum, so validation, JSON and schemas are unchanged.
"""

from __future__ import annotations

from typing import Any, Literal, overload

from ._base import Platform
from ._enums import ContentFormat as _ContentFormat
from ._enums import ContentStatus as _ContentStatus
from ._enums import MediaKind as _MediaKind

__all__ = [
    "ContentFormatName",
    "ContentStatusName",
    "MediaKindName",
    "PlatformName",
]

PlatformName = Literal[
    "instagram",
    "facebook",
    "threads",
    "linkedin",
    "x",
    "tiktok",
    "youtube",
    "pinterest",
    "mastodon",
    "bluesky",
    "wordpress",
    "mailchimp",
    "sandbox",
]
"""The names of the networks smmkit knows (a plug-in's own slug goes through ``Platform("vk")``)."""

ContentFormatName = Literal[
    "post",
    "carousel",
    "reel",
    "story",
    "video",
    "short",
    "thread",
    "article",
    "newsletter",
    "landing_page",
    "pin",
]
"""The values of :class:`~smmkit.models.ContentFormat`."""

ContentStatusName = Literal[
    "draft", "in_review", "approved", "scheduled", "published", "failed", "archived"
]
"""The values of :class:`~smmkit.models.ContentStatus`."""

MediaKindName = Literal["image", "video", "gif", "audio", "document"]
"""The values of :class:`~smmkit.models.MediaKind`."""


# The descriptors below only exist for type checkers; a field is declared with one of them under
# ``if TYPE_CHECKING:`` and with the enum otherwise. They are kept non-generic on purpose: the
# pydantic mypy plugin resolves a plain descriptor's ``__set__`` type, not a generic one's.
class PlatformField:
    @overload
    def __get__(self, obj: None, owner: Any) -> PlatformField: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> Platform: ...
    def __get__(self, obj: object, owner: Any) -> Any:  # pragma: no cover - typing only
        raise NotImplementedError

    def __set__(self, obj: object, value: Platform | PlatformName) -> None:  # pragma: no cover
        raise NotImplementedError


class FormatField:
    @overload
    def __get__(self, obj: None, owner: Any) -> FormatField: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> _ContentFormat: ...
    def __get__(self, obj: object, owner: Any) -> Any:  # pragma: no cover - typing only
        raise NotImplementedError

    def __set__(  # pragma: no cover - typing only
        self, obj: object, value: _ContentFormat | ContentFormatName
    ) -> None:
        raise NotImplementedError


class StatusField:
    @overload
    def __get__(self, obj: None, owner: Any) -> StatusField: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> _ContentStatus: ...
    def __get__(self, obj: object, owner: Any) -> Any:  # pragma: no cover - typing only
        raise NotImplementedError

    def __set__(  # pragma: no cover - typing only
        self, obj: object, value: _ContentStatus | ContentStatusName
    ) -> None:
        raise NotImplementedError


class MediaKindField:
    @overload
    def __get__(self, obj: None, owner: Any) -> MediaKindField: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> _MediaKind: ...
    def __get__(self, obj: object, owner: Any) -> Any:  # pragma: no cover - typing only
        raise NotImplementedError

    def __set__(  # pragma: no cover - typing only
        self, obj: object, value: _MediaKind | MediaKindName
    ) -> None:
        raise NotImplementedError
