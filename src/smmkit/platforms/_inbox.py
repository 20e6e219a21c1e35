"""Helpers the clients share to read an inbox incrementally: an opaque "since" token that is a
time watermark plus the ids already seen at that time (for platforms whose listings have no
"newer than" parameter and are read newest first until the watermark), and id checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from smmkit.errors import ValidationError
from smmkit.models import InboxMessage

__all__ = ["CountsCursor", "Watermark", "check_id_cursor", "newest_first_page", "pulled"]

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


def newest_first_page(
    messages: Iterable[InboxMessage | None], mark: Watermark | None, oldest: datetime
) -> tuple[list[InboxMessage], bool]:
    """The messages of one page of a newest-first listing that are new since ``mark`` and not
    older than ``oldest``, and whether the page reached older ones (then the pages after it
    are older still and need not be read). ``None`` items (unreadable, logged) are skipped."""
    found: list[InboxMessage] = []
    reached_old = False
    for message in messages:
        if message is None:
            continue
        if message.created_at < oldest or (mark is not None and message.created_at < mark.at):
            reached_old = True  # older than anything new: the pages after are too
            continue
        if mark is not None and not mark.is_new(message.created_at, message.message_id):
            continue  # pulled already, at the watermark's own time: others may follow
        found.append(message)
    return found, reached_old


def pulled(
    messages: Iterable[InboxMessage], mark: Watermark | None
) -> tuple[tuple[InboxMessage, ...], Watermark]:
    """The messages of a pull that are new since ``mark``, each id once (the first seen: the
    same message may come from two listings), oldest first (ties by id), and the watermark
    after them."""
    unique: dict[str, InboxMessage] = {}
    for message in messages:
        if mark is None or mark.is_new(message.created_at, message.message_id):
            unique.setdefault(message.message_id, message)
    ordered = tuple(sorted(unique.values(), key=lambda m: (m.created_at, m.message_id)))
    start = mark or Watermark(datetime.min.replace(tzinfo=UTC))
    return ordered, start.advance((m.created_at, m.message_id) for m in ordered)


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
