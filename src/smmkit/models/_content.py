"""Content: items, their per-channel variants, media, and the approval workflow."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Self

from pydantic import AwareDatetime, Field, JsonValue, field_validator, model_validator

from smmkit.errors import TransitionError

from ._base import Hashtag, LocaleTag, Platform, ValueModel

__all__ = [
    "WORKFLOW",
    "ContentFormat",
    "ContentItem",
    "ContentStatus",
    "MediaAsset",
    "MediaKind",
    "Variant",
]


def _new_id() -> str:
    return uuid.uuid4().hex


class ContentFormat(StrEnum):
    POST = "post"
    CAROUSEL = "carousel"
    REEL = "reel"
    STORY = "story"
    VIDEO = "video"
    SHORT = "short"
    THREAD = "thread"
    ARTICLE = "article"
    NEWSLETTER = "newsletter"
    LANDING_PAGE = "landing_page"
    PIN = "pin"


class ContentStatus(StrEnum):
    """Workflow states: draft → in_review → approved → scheduled → published | failed; archived."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    FAILED = "failed"
    ARCHIVED = "archived"


_S = ContentStatus
WORKFLOW: dict[ContentStatus, frozenset[ContentStatus]] = {
    _S.DRAFT: frozenset({_S.IN_REVIEW, _S.ARCHIVED}),
    # A reviewer approves, or sends the draft back for changes.
    _S.IN_REVIEW: frozenset({_S.APPROVED, _S.DRAFT, _S.ARCHIVED}),
    _S.APPROVED: frozenset({_S.SCHEDULED, _S.DRAFT, _S.ARCHIVED}),
    # Unscheduling returns to approved; publishing ends in published or failed.
    _S.SCHEDULED: frozenset({_S.PUBLISHED, _S.FAILED, _S.APPROVED, _S.ARCHIVED}),
    # A failed publish may be rescheduled, or sent back to draft to be fixed.
    _S.FAILED: frozenset({_S.SCHEDULED, _S.DRAFT, _S.ARCHIVED}),
    _S.PUBLISHED: frozenset({_S.ARCHIVED}),
    _S.ARCHIVED: frozenset(),
}
"""The allowed status transitions: ``WORKFLOW[current]`` is the set of allowed next states."""


class _Workflowed(ValueModel):
    status: ContentStatus = ContentStatus.DRAFT

    def can_transition(self, target: ContentStatus | str) -> bool:
        return ContentStatus(target) in WORKFLOW[self.status]

    def transition(self, target: ContentStatus | str, **changes: Any) -> Self:
        """Return a copy in status ``target`` (plus ``changes``); raise if the move is illegal.

        Raises :class:`~smmkit.errors.TransitionError` naming the allowed moves.
        """
        new = ContentStatus(target)
        allowed = WORKFLOW[self.status]
        if new not in allowed:
            raise TransitionError(
                f"{type(self).__name__}.status",
                self.status.value,
                new.value,
                sorted(s.value for s in allowed),
            )
        return self.model_validate({**self.model_dump(), **changes, "status": new})


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    GIF = "gif"
    AUDIO = "audio"
    DOCUMENT = "document"


_MIME_PREFIX = {
    MediaKind.IMAGE: ("image/",),
    MediaKind.VIDEO: ("video/",),
    MediaKind.GIF: ("image/gif",),
    MediaKind.AUDIO: ("audio/",),
    MediaKind.DOCUMENT: ("application/",),
}


class MediaAsset(ValueModel):
    """A picture, video or other file attached to content. Give a ``url`` or a ``path``."""

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


def _check_links(value: tuple[str, ...]) -> tuple[str, ...]:
    for link in value:
        if not link.lower().startswith(("http://", "https://")) or " " in link:
            raise ValueError(f"{link!r} is not an absolute http(s) URL")
    return value


class ContentItem(_Workflowed):
    """One idea of content, written once (the master text) and adapted per channel later.

    Frozen: change it with :meth:`transition` (status) or ``model_copy(update=...)``.
    """

    id: str = Field(default_factory=_new_id, min_length=1)
    title: str = ""
    text: str = ""
    pillar: str | None = None
    format: ContentFormat = ContentFormat.POST
    objective: str | None = None
    locale: LocaleTag | None = None
    media: tuple[MediaAsset, ...] = ()
    links: tuple[str, ...] = ()
    hashtags: tuple[Hashtag, ...] = ()
    mentions: tuple[str, ...] = ()
    campaign: str | None = None
    owner: str | None = None
    ready_at: AwareDatetime | None = None
    expires_at: AwareDatetime | None = None
    sponsored: bool = False
    evergreen: bool = False
    priority: int = Field(default=0, ge=-100, le=100)

    @field_validator("links")
    @classmethod
    def _links(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_links(value)

    @field_validator("mentions")
    @classmethod
    def _mentions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(m[1:] if m.startswith("@") else m for m in value)

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.ready_at and self.expires_at and self.expires_at <= self.ready_at:
            raise ValueError(
                f"expires_at {self.expires_at.isoformat()} must be after ready_at "
                f"{self.ready_at.isoformat()}"
            )
        if not self.text.strip() and not self.title.strip() and not self.media:
            raise ValueError("a content item needs a text, a title or media")
        return self

    def available_at(self, moment: datetime) -> bool:
        """Whether the item may be published at ``moment`` (ready and not expired)."""
        if self.ready_at and moment < self.ready_at:
            return False
        return not (self.expires_at and moment >= self.expires_at)


class Variant(_Workflowed):
    """An item adapted to one channel: what is actually published there.

    ``thread`` holds the follow-up posts when the text is split into a thread; ``publish_key`` is
    made once, before the first attempt, and identifies this publication on every retry.
    """

    id: str = Field(default_factory=_new_id, min_length=1)
    item_id: str | None = None
    channel: str = Field(min_length=1)
    platform: Platform
    text: str = ""
    title: str | None = None
    media: tuple[MediaAsset, ...] = ()
    first_comment: str | None = None
    thread: tuple[str, ...] = ()
    scheduled_at: AwareDatetime | None = None
    published_at: AwareDatetime | None = None
    platform_post_id: str | None = None
    url: str | None = None
    publish_key: str = Field(default_factory=_new_id, min_length=8, max_length=128)
    extras: dict[str, JsonValue] = Field(
        default_factory=dict, description="Platform-specific fields, e.g. Bluesky facets."
    )

    @model_validator(mode="after")
    def _published(self) -> Self:
        if self.status is ContentStatus.PUBLISHED and not self.platform_post_id:
            raise ValueError("a published variant needs its platform_post_id")
        return self
