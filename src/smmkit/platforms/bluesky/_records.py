"""Pure builders of AT Protocol values: record keys, AT URIs, post records and their embeds.

Nothing here performs I/O. The shapes follow the lexicons ``app.bsky.feed.post``,
``app.bsky.embed.images``, ``app.bsky.embed.external``, ``app.bsky.richtext.facet`` and
``com.atproto.repo.strongRef``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smmkit.errors import ValidationError

__all__ = [
    "POST_COLLECTION",
    "AtUri",
    "StrongRef",
    "external_embed",
    "format_datetime",
    "image_embed",
    "post_record",
    "rkey_for",
    "tid_timestamp",
]

POST_COLLECTION = "app.bsky.feed.post"
THREADGATE_COLLECTION = "app.bsky.feed.threadgate"

_S32 = "234567abcdefghijklmnopqrstuvwxyz"
_TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# Derived record keys carry a timestamp in [2020-01-01, +2**47 µs ≈ 4.5 years): always in the
# past, so no consumer mistakes them for clock skew. They do not sort by publication time.
_RKEY_EPOCH_US = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_RKEY_WINDOW_BITS = 47


def _s32(value: int, width: int = 13) -> str:
    chars = []
    for _ in range(width):
        chars.append(_S32[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _s32_decode(text: str) -> int:
    value = 0
    for char in text:
        value = (value << 5) | _S32.index(char)
    return value


def rkey_for(publish_key: str, part: int = 0) -> str:
    """The record key (a TID) of part ``part`` of the publication ``publish_key``.

    Deterministic: every attempt, in any process, at publishing the same variant uses the same key,
    so the PDS itself refuses a second copy, and the post is found with one ``getRecord``.
    ``part`` 0 is the post itself, 1.. the follow-ups of a thread.
    """
    if not isinstance(publish_key, str) or len(publish_key) < 8:
        raise ValidationError("publish_key", publish_key, "must be a string of at least 8 chars")
    if part < 0:
        raise ValidationError("part", part, "must be >= 0")
    digest = hashlib.sha256(f"smmkit:bluesky:{publish_key}:{part}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    micros = _RKEY_EPOCH_US + (number >> (64 - _RKEY_WINDOW_BITS))
    clock_id = number & 0x3FF
    return _s32((micros << 10) | clock_id)


def tid_timestamp(tid: str) -> datetime:
    """The moment encoded in a TID (microsecond precision)."""
    if not _TID_RE.match(tid):
        raise ValidationError("tid", tid, "is not a TID (13 base32-sortable characters)")
    micros = _s32_decode(tid) >> 10
    return datetime.fromtimestamp(micros / 1_000_000, UTC)


@dataclass(frozen=True, slots=True)
class AtUri:
    """``at://<repo>/<collection>/<rkey>``: the address of a record."""

    repo: str
    collection: str
    rkey: str

    @classmethod
    def parse(cls, uri: str) -> AtUri:
        match = re.fullmatch(r"at://([^/]+)/([^/]+)/([^/?#]+)", uri or "")
        if match is None:
            raise ValidationError(
                "uri",
                uri,
                "is not a record AT URI (at://<did>/<collection>/<rkey>)",
                hint="pass the post's id as returned by publish (an at:// URI).",
            )
        return cls(match.group(1), match.group(2), match.group(3))

    def __str__(self) -> str:
        return f"at://{self.repo}/{self.collection}/{self.rkey}"


@dataclass(frozen=True, slots=True)
class StrongRef:
    """A record's URI and the CID of one version of it (``com.atproto.repo.strongRef``)."""

    uri: str
    cid: str

    def as_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "cid": self.cid}


def format_datetime(moment: datetime) -> str:
    """An AT Protocol datetime: UTC, millisecond precision, ``Z`` suffix."""
    if moment.tzinfo is None:
        raise ValidationError("createdAt", moment, "must be timezone-aware")
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def image_embed(images: list[dict[str, Any]]) -> dict[str, Any]:
    """``app.bsky.embed.images`` from ``[{"image": blob, "alt": str, "aspectRatio"?: {...}}]``."""
    return {"$type": "app.bsky.embed.images", "images": images}


def external_embed(
    uri: str, title: str, description: str, thumb: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``app.bsky.embed.external``: a link card."""
    external: dict[str, Any] = {"uri": uri, "title": title, "description": description}
    if thumb is not None:
        external["thumb"] = thumb
    return {"$type": "app.bsky.embed.external", "external": external}


def post_record(
    text: str,
    created_at: datetime,
    *,
    facets: list[dict[str, Any]] | None = None,
    embed: dict[str, Any] | None = None,
    reply: tuple[StrongRef, StrongRef] | None = None,
    langs: list[str] | None = None,
) -> dict[str, Any]:
    """An ``app.bsky.feed.post`` record. ``reply`` is ``(root, parent)``."""
    record: dict[str, Any] = {
        "$type": POST_COLLECTION,
        "text": text,
        "createdAt": format_datetime(created_at),
    }
    if facets:
        record["facets"] = facets
    if embed is not None:
        record["embed"] = embed
    if reply is not None:
        root, parent = reply
        record["reply"] = {"root": root.as_json(), "parent": parent.as_json()}
    if langs:
        record["langs"] = list(langs)
    return record
