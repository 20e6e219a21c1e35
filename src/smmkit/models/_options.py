"""Typed per-platform options of a :class:`~smmkit.models.Variant`.

They replace the string-keyed ``Variant.extras`` side channel: each network's own publishing
options are a small frozen model, checked when the variant is built.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, JsonValue, model_validator

from ._base import LocaleTag, ValueModel
from ._media import MediaAsset

__all__ = [
    "BlueskyLinkCard",
    "BlueskyOptions",
    "FacebookOptions",
    "InstagramOptions",
    "InstagramUserTag",
    "MastodonOptions",
    "MastodonPoll",
    "MastodonVisibility",
    "ThreadsOptions",
]

MastodonVisibility = Literal["public", "unlisted", "private", "direct"]
"""Who sees a Mastodon status."""


class MastodonPoll(ValueModel):
    """A poll attached to a Mastodon status (the instance caps the options and their length)."""

    options: tuple[str, ...] = Field(min_length=2)
    expires_in: int = Field(default=86400, gt=0, description="Seconds the poll stays open.")
    multiple: bool | None = None
    hide_totals: bool | None = None


class MastodonOptions(ValueModel):
    """Options of a Mastodon status (``POST /api/v1/statuses``)."""

    visibility: MastodonVisibility = "public"
    spoiler_text: str | None = Field(default=None, description="Content warning shown first.")
    sensitive: bool = False
    language: LocaleTag | None = Field(
        default=None, description="Overrides the channel's language (ISO 639 part of the tag)."
    )
    in_reply_to_id: str | None = Field(default=None, min_length=1)
    poll: MastodonPoll | None = None


class BlueskyLinkCard(ValueModel):
    """A link card (``app.bsky.embed.external``); ``thumb`` is the image shown on the card."""

    uri: str = Field(pattern=r"^https?://\S+$")
    title: str = ""
    description: str = ""
    thumb: MediaAsset | None = None


class BlueskyOptions(ValueModel):
    """Options of a Bluesky post.

    ``facets`` and ``thread_facets`` are filled by :func:`smmkit.content.adapt` for review (the
    client recomputes them from the text when it publishes).
    """

    langs: tuple[LocaleTag, ...] = ()
    reply_to: str | None = Field(
        default=None, pattern=r"^at://\S+$", description="AT URI of the post to reply to."
    )
    link_card: BlueskyLinkCard | None = None
    facets: tuple[dict[str, JsonValue], ...] = ()
    thread_facets: tuple[tuple[dict[str, JsonValue], ...], ...] = ()

    @model_validator(mode="after")
    def _langs(self) -> Self:
        if len(self.langs) > 3:
            raise ValueError("a Bluesky post declares at most 3 languages")
        return self


class InstagramUserTag(ValueModel):
    """An account tagged on the (first) image, at ``x``, ``y`` (fractions of the width and
    height)."""

    username: str = Field(min_length=1, max_length=30)
    x: float = Field(ge=0, le=1)
    y: float = Field(ge=0, le=1)


class InstagramOptions(ValueModel):
    """Options of an Instagram post (the container of the Graph API)."""

    media_type: Literal["REELS", "STORIES"] | None = Field(
        default=None, description="A Reel or a story; a feed post or carousel otherwise."
    )
    user_tags: tuple[InstagramUserTag, ...] = ()
    collaborators: tuple[str, ...] = Field(default=(), max_length=3)
    cover_url: str | None = Field(default=None, pattern=r"^https://\S+$")
    thumb_offset: int | None = Field(default=None, ge=0, description="Milliseconds into a Reel.")
    share_to_feed: bool | None = None
    location_id: str | None = Field(default=None, min_length=1)
    audio_name: str | None = Field(default=None, min_length=1)


class ThreadsOptions(ValueModel):
    """Options of a Threads post."""

    reply_control: Literal["everyone", "accounts_you_follow", "mentioned_only"] | None = None
    reply_to_id: str | None = Field(default=None, min_length=1)


class FacebookOptions(ValueModel):
    """Options of a Facebook Page post."""

    reel: bool = Field(default=False, description="Publish the one video as a Reel.")
