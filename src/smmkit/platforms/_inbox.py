"""Helpers the clients share to read an inbox incrementally: an opaque "since" token that is a
time watermark plus the ids already seen at that time (for platforms whose listings have no
"newer than" parameter and are read newest first until the watermark), and id checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from smmkit.errors import ValidationError

__all__ = ["CountsCursor", "Watermark", "check_id_cursor"]

_ID_CURSOR = re.compile(r"^[0-9A-Za-z_.-]{1,100}$")
_MAX_IDS = 200


def check_id_cursor(since: str, platform: str) -> str:
    """``since`` when it looks like one of the platform's ids (what an earlier pull returned),
    else a clear error: a cursor never carries anything else into a request."""
    if not _ID_CURSOR.fullmatch(since):
        raise ValidationError(
            "since",
            since[:80],
            f"is not a {platform} inbox cursor (an id this client returned)",
            hint="pass the cursor of an earlier InboxPage, or None for a first pull.",
        )
    return since


@dataclass(frozen=True, slots=True)
class Watermark:
    """The newest time pulled and the ids pulled at exactly that time.

    A message is new when it is later than ``at``, or at ``at`` and not in ``ids``; so equal
    timestamps never lose or repeat a message. Encoded as ``"<iso time>|<id>,<id>"``."""

    at: datetime
    ids: frozenset[str] = frozenset()

    def is_new(self, when: datetime, message_id: str) -> bool:
        return when > self.at or (when == self.at and message_id not in self.ids)

    def advance(self, seen: Iterable[tuple[datetime, str]]) -> Watermark:
        """The watermark after ``seen`` (time, id) pairs were pulled."""
        at, ids = self.at, set(self.ids)
        for when, message_id in seen:
            if when > at:
                at, ids = when, {message_id}
            elif when == at:
                ids.add(message_id)
        if len(ids) > _MAX_IDS:
            ids = set(sorted(ids)[-_MAX_IDS:])
        return Watermark(at, frozenset(ids))

    def encode(self) -> str:
        return f"{self.at.astimezone(UTC).isoformat()}|{','.join(sorted(self.ids))}"

    @classmethod
    def parse(cls, since: str | None, platform: str) -> Watermark | None:
        if since is None:
            return None
        when, _, ids = since.partition("|")
        try:
            at = datetime.fromisoformat(when)
        except ValueError:
            at = None
        if at is None or at.tzinfo is None or "|" in ids:
            raise ValidationError(
                "since",
                since[:80],
                f"is not a {platform} inbox cursor",
                hint="pass the cursor of an earlier InboxPage, or None for a first pull.",
            )
        return cls(at, frozenset(i for i in ids.split(",") if i))


@dataclass(frozen=True, slots=True)
class CountsCursor:
    """A watermark plus each recent post's comment count at the last pull: a Graph inbox pull
    lists the recent posts with their counts (one request) and reads the comments only of the
    posts whose count changed. Encoded as ``"<watermark>#<post>:<count>;..."``."""

    mark: Watermark
    counts: dict[str, int]

    def encode(self) -> str:
        counts = ";".join(f"{k}:{v}" for k, v in sorted(self.counts.items()))
        return f"{self.mark.encode()}#{counts}"

    @classmethod
    def parse(cls, since: str | None, platform: str) -> CountsCursor | None:
        if since is None:
            return None
        mark_text, _, counts_text = since.partition("#")
        mark = Watermark.parse(mark_text, platform)
        assert mark is not None
        counts: dict[str, int] = {}
        for part in counts_text.split(";") if counts_text else []:
            key, _, value = part.partition(":")
            if not _ID_CURSOR.fullmatch(key) or not value.isdigit():
                raise ValidationError(
                    "since",
                    since[:80],
                    f"is not a {platform} inbox cursor",
                    hint="pass the cursor of an earlier InboxPage, or None for a first pull.",
                )
            counts[key] = int(value)
        return cls(mark, counts)
