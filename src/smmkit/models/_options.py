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
    "MastodonOptions",
    "MastodonPoll",
    "MastodonVisibility",
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
