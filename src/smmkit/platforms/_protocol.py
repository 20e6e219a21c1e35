"""The one protocol every client speaks, and the values it returns."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import AwareDatetime, Field, JsonValue

from smmkit.models import (
    AccountMetrics,
    InboxMessage,
    MessageKind,
    Platform,
    PostMetrics,
    ValueModel,
    Variant,
)

from ._capabilities import Capability
from ._pagination import AsyncPager, SyncPager

__all__ = [
    "AsyncInboxClient",
    "AsyncPlatformClient",
    "Comment",
    "InboxClient",
    "InboxPage",
    "PlatformClient",
    "PostMarker",
    "PublishedPost",
    "text_fingerprint",
]


def text_fingerprint(text: str) -> str:
    """A short digest of a text, insensitive to Unicode normalisation and spacing (used to
    recognise a post during reconciliation)."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


class PublishedPost(ValueModel):
    """A post as published: the platform's id and URL, and how it got there.

    ``thread`` holds the ids of follow-up posts (for a thread). ``reconciled`` is true when an
    ambiguous failure was resolved by finding the post instead of sending it again.
    ``scheduled`` is true when the platform scheduled it natively (``post_id`` is then the
    scheduled object's id).
    """

    platform: Platform
    channel: str
    post_id: str = Field(min_length=1)
    url: str | None = None
    published_at: AwareDatetime | None = None
    publish_key: str | None = None
    thread: tuple[str, ...] = ()
    scheduled: bool = False
    reconciled: bool = False
    raw: dict[str, JsonValue] | None = Field(default=None, repr=False)


class PostMarker(ValueModel):
    """What identifies a publication when looking it up after an ambiguous failure.

    ``publish_key`` is the variant's key; ``fingerprint`` is :func:`text_fingerprint` of the text
    sent; ``not_before`` bounds the search to posts created since the first attempt.
    """

    publish_key: str = Field(min_length=8)
    channel: str
    fingerprint: str
    not_before: AwareDatetime | None = None

    @classmethod
    def for_variant(cls, variant: Variant, not_before: datetime | None = None) -> PostMarker:
        return cls(
            publish_key=variant.publish_key,
            channel=variant.channel,
            fingerprint=text_fingerprint(variant.text),
            not_before=not_before,
        )


class Comment(ValueModel):
    """A comment, reply or mention on a post.

    ``label`` is set only by the sandbox (its ground truth: ``genuine``, ``question``, ``spam``,
    ``abusive``), for testing moderation. ``kind`` says how it reached the brand when that is
    known (the inbox sets it): a client replies to a mention elsewhere or to a direct message
    the way the platform requires. ``private``: only its addressees can read it; a reply to it
    stays private (a Mastodon reply to a direct message is itself direct). ``author_id`` is the
    author's id on the platform when known (an Instagram direct message is answered to it).
    """

    platform: Platform
    comment_id: str = Field(min_length=1)
    post_id: str | None = None
    author: str
    text: str
    created_at: AwareDatetime
    in_reply_to: str | None = None
    hidden: bool = False
    url: str | None = None
    label: str | None = None
    kind: MessageKind | None = None
    author_id: str | None = None
    private: bool = False
    raw: dict[str, JsonValue] | None = Field(default=None, repr=False)


PostRef = PublishedPost | str


@dataclass(frozen=True, slots=True)
class InboxPage:
    """One pull of a channel's inbox: the messages after the ``since`` token given (oldest
    first where the platform allows), and ``cursor``, the opaque token to pass as ``since`` next
    time (store it with the messages). ``has_more``: the pull stopped at its ``limit`` and more
    messages wait; pull again with ``cursor`` at once."""

    messages: tuple[InboxMessage, ...]
    cursor: str | None
    has_more: bool = False


@runtime_checkable
class InboxClient(Protocol):
    """A client that can pull its channel's inbox (``Capability.READ_INBOX``)."""

    @property
    def channel(self) -> str: ...
    def supports(self, capability: Capability) -> bool: ...
    def fetch_inbox(self, since: str | None = None, *, limit: int | None = None) -> InboxPage: ...


@runtime_checkable
class AsyncInboxClient(Protocol):
    """The async form of :class:`InboxClient`."""

    @property
    def channel(self) -> str: ...
    def supports(self, capability: Capability) -> bool: ...
    def fetch_inbox(
        self, since: str | None = None, *, limit: int | None = None
    ) -> Awaitable[InboxPage]: ...


@runtime_checkable
class PlatformClient(Protocol):
    """What every synchronous client offers. Check :meth:`supports` before optional calls."""

    @property
    def platform(self) -> Platform: ...
    @property
    def channel(self) -> str: ...
    @property
    def capabilities(self) -> frozenset[Capability]: ...
    def supports(self, capability: Capability) -> bool: ...
    def publish(
        self, variant: Variant, *, native_schedule: bool = False, timeout: float | None = None
    ) -> PublishedPost: ...
    def delete(self, post: PostRef, *, timeout: float | None = None) -> None: ...
    def get_post_metrics(self, post: PostRef, *, timeout: float | None = None) -> PostMetrics: ...
    def get_account_metrics(self, *, timeout: float | None = None) -> AccountMetrics: ...
    def list_comments(self, post: PostRef, *, limit: int | None = None) -> SyncPager[Comment]: ...
    def reply(self, to: Comment, text: str, *, timeout: float | None = None) -> Comment: ...
    def hide_comment(self, comment: Comment, *, timeout: float | None = None) -> None: ...
    def delete_comment(self, comment: Comment, *, timeout: float | None = None) -> None: ...
    def find_post(
        self, marker: PostMarker, *, timeout: float | None = None
    ) -> PublishedPost | None: ...
    def close(self) -> None: ...


@runtime_checkable
class AsyncPlatformClient(Protocol):
    """What every asynchronous client offers (the same calls, awaited)."""

    @property
    def platform(self) -> Platform: ...
    @property
    def channel(self) -> str: ...
    @property
    def capabilities(self) -> frozenset[Capability]: ...
    def supports(self, capability: Capability) -> bool: ...
    async def publish(
        self, variant: Variant, *, native_schedule: bool = False, timeout: float | None = None
    ) -> PublishedPost: ...
    async def delete(self, post: PostRef, *, timeout: float | None = None) -> None: ...
    async def get_post_metrics(
        self, post: PostRef, *, timeout: float | None = None
    ) -> PostMetrics: ...
    async def get_account_metrics(self, *, timeout: float | None = None) -> AccountMetrics: ...
    def list_comments(self, post: PostRef, *, limit: int | None = None) -> AsyncPager[Comment]: ...
    async def reply(self, to: Comment, text: str, *, timeout: float | None = None) -> Comment: ...
    async def hide_comment(self, comment: Comment, *, timeout: float | None = None) -> None: ...
    async def delete_comment(self, comment: Comment, *, timeout: float | None = None) -> None: ...
    async def find_post(
        self, marker: PostMarker, *, timeout: float | None = None
    ) -> PublishedPost | None: ...
    async def aclose(self) -> None: ...
