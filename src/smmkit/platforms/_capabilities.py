"""What a client can do, declared up front, checked before any request."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from smmkit.errors import UnsupportedCapability
from smmkit.models import MediaKind, Variant

__all__ = ["Capability", "needed_capabilities", "require"]


class Capability(StrEnum):
    """One thing a platform client can do."""

    PUBLISH_TEXT = "publish_text"
    PUBLISH_IMAGE = "publish_image"
    PUBLISH_CAROUSEL = "publish_carousel"
    PUBLISH_VIDEO = "publish_video"
    PUBLISH_THREAD = "publish_thread"
    PUBLISH_POLL = "publish_poll"
    NATIVE_SCHEDULING = "native_scheduling"
    DELETE = "delete"
    EDIT = "edit"
    READ_COMMENTS = "read_comments"
    REPLY_COMMENTS = "reply_comments"
    HIDE_COMMENTS = "hide_comments"
    DELETE_COMMENTS = "delete_comments"
    """Delete a comment from the brand's own posts with ``delete_comment`` (idempotent: a
    comment already gone counts as deleted)."""
    POST_METRICS = "post_metrics"
    ACCOUNT_METRICS = "account_metrics"
    FIND_POST = "find_post"
    READ_INBOX = "read_inbox"
    """Pull the inbox (comments, replies, mentions, direct messages) incrementally with
    ``fetch_inbox(since=...)``."""


def _has_poll(variant: Variant) -> bool:
    # The typed Mastodon option, or a plug-in network's own "poll" (not the extras view,
    # which is rebuilt on every read).
    mastodon = variant.mastodon
    return (mastodon is not None and mastodon.poll is not None) or (
        "poll" in variant.platform_extras
    )


def needed_capabilities(variant: Variant, *, native_schedule: bool = False) -> set[Capability]:
    """The capabilities publishing ``variant`` needs."""
    needed = {Capability.PUBLISH_TEXT}
    poll = _has_poll(variant)
    if not variant.media and not variant.thread and not native_schedule and not poll:
        return needed
    kinds = [m.kind for m in variant.media]
    if any(k in (MediaKind.IMAGE, MediaKind.GIF) for k in kinds):
        needed.add(Capability.PUBLISH_IMAGE)
    if MediaKind.VIDEO in kinds:
        needed.add(Capability.PUBLISH_VIDEO)
    if len(kinds) > 1:
        needed.add(Capability.PUBLISH_CAROUSEL)
    if variant.thread:
        needed.add(Capability.PUBLISH_THREAD)
    if poll:
        needed.add(Capability.PUBLISH_POLL)
    if native_schedule:
        needed.add(Capability.NATIVE_SCHEDULING)
    return needed


def require(have: Iterable[Capability], *needed: Capability, platform: str, operation: str) -> None:
    """Raise :class:`~smmkit.errors.UnsupportedCapability` unless every ``needed`` is in
    ``have``."""
    if isinstance(have, frozenset | set) and have.issuperset(needed):
        return
    missing = sorted(set(needed) - set(have))
    if missing:
        names = ", ".join(m.value for m in missing)
        raise UnsupportedCapability(
            f"{platform} cannot {operation}: the client lacks {names}.",
            platform=platform,
            hint=f"check client.supports(Capability.{missing[0].name}) before calling, or "
            "publish this content on a channel whose network supports it.",
        )
