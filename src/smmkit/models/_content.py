"""Content: items, their per-channel variants, media, and the approval workflow."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from pydantic import AwareDatetime, Field, JsonValue, field_validator, model_validator

from smmkit._sinks import safe_url
from smmkit.errors import TransitionError

from ._base import Hashtag, LocaleTag, Platform, ValueModel
from ._enums import ContentFormat, ContentStatus, MediaKind
from ._media import MediaAsset
from ._options import (
    BlueskyOptions,
    FacebookOptions,
    InstagramOptions,
    MastodonOptions,
    ThreadsOptions,
)

if TYPE_CHECKING:
    from ._names import FormatField, PlatformField, StatusField

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
    # Each subclass declares ``status`` itself (see ``_names``): mypy reads an inherited
    # descriptor-typed field with its ``__set__`` type.
    if TYPE_CHECKING:
        status: ContentStatus

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


def _check_links(value: tuple[str, ...]) -> tuple[str, ...]:
    # absolute http(s) only: no javascript:, no user:password@, no backslash host, no space
    return tuple(safe_url(link, field=f"links[{n}]") for n, link in enumerate(value))


class ContentItem(_Workflowed):
    """One idea of content, written once (the master text) and adapted per channel later.

    Frozen: change it with :meth:`transition` (status) or ``model_copy(update=...)``.
    """

    id: str = Field(default_factory=_new_id, min_length=1)
    title: str = ""
    text: str = ""
    pillar: str | None = None
    if TYPE_CHECKING:
        format: FormatField = Field(default=ContentFormat.POST)  # type: ignore[assignment]
        status: StatusField = Field(default=ContentStatus.DRAFT)  # type: ignore[assignment]
    else:
        format: ContentFormat = ContentFormat.POST
        status: ContentStatus = ContentStatus.DRAFT
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


_OPTION_FIELDS = (
    ("mastodon", Platform.MASTODON),
    ("bluesky", Platform.BLUESKY),
    ("instagram", Platform.INSTAGRAM),
    ("threads", Platform.THREADS),
    ("facebook", Platform.FACEBOOK),
)
"""The per-network option fields of a Variant, and the network each belongs to."""

# Which shared keys a network's client reads from ``Variant.extras`` where the client refuses
# unknown keys; any other network sees them all.
_SHARED_KEYS_READ: dict[Platform, frozenset[str]] = {
    Platform.MASTODON: frozenset(),
    Platform.THREADS: frozenset(),
    Platform.FACEBOOK: frozenset({"link"}),
}

# Keys that ``Variant.extras`` carried before the typed fields existed, lifted into those fields
# when an old caller still passes ``extras=``.
_COMMON_KEYS = ("format", "pillar", "campaign", "link", "links", "disclosure")


def _liftable(key: str, value: object) -> bool:
    if key == "format":
        return isinstance(value, str) and value in ContentFormat._value2member_map_
    if key == "links":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, str) and bool(value.strip())


class Variant(_Workflowed):
    """An item adapted to one channel: what is actually published there.

    ``thread`` holds the follow-up posts when the text is split into a thread; ``publish_key`` is
    made once, before the first attempt, and identifies this publication on every retry.

    Typed options: ``format``, ``pillar`` and ``campaign`` (copied from the item by
    :func:`smmkit.content.adapt`); ``link``/``links`` (links moved out of the text, for the bio or
    the platform's link field); ``disclosure`` (the sponsorship wording added); ``mastodon`` and
    ``bluesky`` (that network's own options, only on a variant of that platform);
    ``platform_extras`` (a plug-in network's options, passed to its client as they are).

    ``extras`` is deprecated: it is a read-only view that merges the typed options into the
    string-keyed mapping older code read. Passing ``extras=`` still works: the shared keys
    (``format``, ``pillar``, ``campaign``, ``link``, ``links``, ``disclosure``) are lifted into
    their typed fields, the rest is kept in ``platform_extras``.
    """

    id: str = Field(default_factory=_new_id, min_length=1)
    item_id: str | None = None
    channel: str = Field(min_length=1)
    if TYPE_CHECKING:
        platform: PlatformField
        format: FormatField = Field(default=ContentFormat.POST)  # type: ignore[assignment]
        status: StatusField = Field(default=ContentStatus.DRAFT)  # type: ignore[assignment]
    else:
        platform: Platform
        format: ContentFormat = ContentFormat.POST
        status: ContentStatus = ContentStatus.DRAFT
    pillar: str | None = None
    campaign: str | None = None
    text: str = ""
    title: str | None = None
    media: tuple[MediaAsset, ...] = ()
    first_comment: str | None = None
    thread: tuple[str, ...] = ()
    link: str | None = Field(
        default=None, description="The link moved out of the text (bio or the link field)."
    )
    links: tuple[str, ...] = ()
    disclosure: str | None = None
    mastodon: MastodonOptions | None = None
    bluesky: BlueskyOptions | None = None
    instagram: InstagramOptions | None = None
    threads: ThreadsOptions | None = None
    facebook: FacebookOptions | None = None
    platform_extras: dict[str, JsonValue] = Field(
        default_factory=dict,
        description="A plug-in network's own options, passed to its client as they are.",
    )
    scheduled_at: AwareDatetime | None = None
    published_at: AwareDatetime | None = None
    platform_post_id: str | None = None
    url: str | None = None
    publish_key: str = Field(default_factory=_new_id, min_length=8, max_length=128)

    @model_validator(mode="before")
    @classmethod
    def _legacy_extras(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "extras" not in data:
            return data
        data = dict(data)
        legacy = data.pop("extras")
        if not isinstance(legacy, dict):
            raise ValueError("extras must be a mapping of option names to JSON values")
        rest = dict(data.get("platform_extras") or {})
        for key, value in legacy.items():
            if key in _COMMON_KEYS and key not in data and _liftable(key, value):
                data[key] = value
            else:
                rest[key] = value
        data["platform_extras"] = rest
        return data

    @model_validator(mode="after")
    def _published(self) -> Self:
        if self.status is ContentStatus.PUBLISHED and not self.platform_post_id:
            raise ValueError("a published variant needs its platform_post_id")
        for name, platform in _OPTION_FIELDS:
            if getattr(self, name) is not None and self.platform is not platform:
                raise ValueError(
                    f"{name} options only apply to a {platform.value} variant, not to a "
                    f"{self.platform.value} one; drop them or set platform={platform.value!r}"
                )
        return self

    @property
    def extras(self) -> dict[str, JsonValue]:
        """Deprecated: the typed options as the string-keyed mapping older code read.

        A fresh dict on every read (changing it changes nothing). The shared keys appear only
        where that network's client reads them (Mastodon, Facebook and Threads clients refuse
        keys they do not know). Use the typed fields instead; this view will be removed in a
        future release.
        """
        out: dict[str, JsonValue] = {}
        if self.format is not ContentFormat.POST:
            out["format"] = self.format.value
        for key in ("pillar", "campaign", "link", "disclosure"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.links:
            out["links"] = list(self.links)
        read = _SHARED_KEYS_READ.get(self.platform)
        if read is not None:
            out = {k: v for k, v in out.items() if k in read}
        for name, _platform in _OPTION_FIELDS:
            options = getattr(self, name)
            if options is not None:
                out.update(
                    options.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                )
        out.update(self.platform_extras)
        return out
