"""Editing a calendar: move, swap and lock slots, detect conflicts, re-plan around locked slots."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Literal

from smmkit.errors import ValidationError
from smmkit.models import Channel, ContentStatus, ValueModel
from smmkit.models._base import zone

from ._model import EditorialCalendar, FixedPost, PlanRequest, Slot, slot_id
from ._timekit import exact_instant

__all__ = ["Conflict", "conflicts", "lock", "move", "replan", "swap", "transition_slots"]


class Conflict(ValueModel):
    """A problem in a calendar: ``kind`` is ``spacing`` (too close on one channel), ``daily_cap``
    (too many on one local day) or ``same_item`` (one item on several channels at once)."""

    kind: Literal["spacing", "daily_cap", "same_item"]
    slots: tuple[str, ...]
    detail: str


def move(calendar: EditorialCalendar, slot_id: str, to: datetime) -> EditorialCalendar:
    """Move a slot to another instant (kept in its channel's zone; its id, and so its iCalendar
    UID, stays). Raises :class:`ValidationError` for a naive ``to`` or an unknown slot.

    ``to`` is read as an instant. A wall time that does not exist in ``to``'s zone (02:30 on the
    day clocks go forward) is moved forward by the gap, as :func:`~smmkit.planner.localize` and
    RFC 5545 read it, and the slot's reasons say so; a repeated wall time keeps the occurrence
    its ``fold`` names (``fold=1``: the second one).
    """
    if to.tzinfo is None:
        raise ValidationError("to", to, "must be timezone-aware")
    slot = _find(calendar, slot_id)
    local, note = exact_instant(to, zone(slot.timezone), field="to")
    moved = slot.model_copy(
        update={
            "start": local,
            "reasons": (
                *slot.reasons,
                f"moved by hand from {slot.start.isoformat()}",
                *([note] if note else []),
            ),
        }
    )
    return calendar.with_slots([moved if s.id == slot_id else s for s in calendar.slots])


def swap(calendar: EditorialCalendar, first: str, second: str) -> EditorialCalendar:
    """Exchange what two slots publish (pillar, format, objective, campaign, item, title); each
    slot keeps its channel and time. Raises if a campaign would leave its flight's channel."""
    a, b = _find(calendar, first), _find(calendar, second)
    keys = ("pillar", "format", "objective", "campaign", "item_id", "title")
    new_a = a.model_copy(
        update={k: getattr(b, k) for k in keys}
        | {"reasons": (*a.reasons, f"content swapped with {b.id}")}
    )
    new_b = b.model_copy(
        update={k: getattr(a, k) for k in keys}
        | {"reasons": (*b.reasons, f"content swapped with {a.id}")}
    )
    replaced = {a.id: new_a, b.id: new_b}
    return calendar.with_slots([replaced.get(s.id, s) for s in calendar.slots])


def lock(
    calendar: EditorialCalendar, slot_ids: Iterable[str], locked: bool = True
) -> EditorialCalendar:
    """Lock (or unlock) slots: :func:`replan` keeps locked slots exactly as they are."""
    wanted = set(slot_ids)
    unknown = wanted - {s.id for s in calendar.slots}
    if unknown:
        raise ValidationError("slot_ids", sorted(unknown), "names no slot of the calendar")
    return calendar.with_slots(
        [s.model_copy(update={"locked": locked}) if s.id in wanted else s for s in calendar.slots]
    )


def transition_slots(
    calendar: EditorialCalendar, slot_ids: Iterable[str], status: ContentStatus | str
) -> EditorialCalendar:
    """Move slots to a workflow status (``in_review``, ``approved``, ``scheduled``, ...).

    All or nothing: if one slot may not make the move, :class:`~smmkit.errors.TransitionError`
    names it and the calendar is unchanged.
    """
    wanted = set(slot_ids)
    unknown = wanted - {s.id for s in calendar.slots}
    if unknown:
        raise ValidationError("slot_ids", sorted(unknown), "names no slot of the calendar")
    return calendar.with_slots(
        [s.transition(status) if s.id in wanted else s for s in calendar.slots]
    )


def conflicts(
    calendar: EditorialCalendar,
    channels: Sequence[Channel],
    *,
    stagger: timedelta = timedelta(hours=2),
) -> tuple[Conflict, ...]:
    """Every spacing, daily-cap and same-item conflict. Complexity: O(S log S + S x uses)."""
    found: list[Conflict] = []
    by_key = {c.key: c for c in channels}
    for key, channel in by_key.items():
        slots = calendar.for_channel(key)
        for a, b in itertools.pairwise(slots):
            gap = b.utc - a.utc
            if gap < channel.cadence.min_spacing:
                found.append(
                    Conflict(
                        kind="spacing",
                        slots=(a.id, b.id),
                        detail=(
                            f"{key}: {gap} apart, min_spacing is {channel.cadence.min_spacing}"
                        ),
                    )
                )
        per_day = Counter(s.local_date for s in slots)
        for day, n in sorted(per_day.items()):
            if n > channel.cadence.daily_cap:
                ids = tuple(s.id for s in slots if s.local_date == day)
                found.append(
                    Conflict(
                        kind="daily_cap",
                        slots=ids,
                        detail=(
                            f"{key}: {n} posts on {day.isoformat()}, daily_cap is "
                            f"{channel.cadence.daily_cap}"
                        ),
                    )
                )
    uses: dict[str, list[Slot]] = {}
    for s in calendar.slots:
        if s.item_id is not None:
            uses.setdefault(s.item_id, []).append(s)
    for item, used in uses.items():
        for i, a in enumerate(used):
            for b in used[i + 1 :]:
                if a.channel != b.channel and abs(b.utc - a.utc) < stagger:
                    found.append(
                        Conflict(
                            kind="same_item",
                            slots=(a.id, b.id),
                            detail=(
                                f"item {item!r} on {a.channel} and {b.channel} "
                                f"{abs(b.utc - a.utc)} apart; stagger them by at least {stagger}"
                            ),
                        )
                    )
    return tuple(found)


def replan(
    calendar: EditorialCalendar, request: PlanRequest, *, now: datetime, relax: bool = False
) -> EditorialCalendar:
    """Re-plan the unlocked future around the locked slots and the past.

    Slots before ``now`` and locked slots are kept as they are (same ids, statuses and items);
    every other slot is planned again by :func:`~smmkit.planner.plan` with the same request, with
    nothing new placed before ``now``.
    """
    from ._engine import plan

    if now.tzinfo is None:
        raise ValidationError("now", now, "must be timezone-aware")
    kept = [s for s in calendar.slots if s.locked or s.utc < now]
    fixed = tuple(
        FixedPost(
            channel=s.channel,
            at=s.start,
            pillar=s.pillar,
            format=s.format,
            item_id=s.item_id,
            campaign=s.campaign,
            title=s.title,
        )
        for s in kept
    )
    fresh = plan(
        request.model_copy(update={"fixed": (*request.fixed, *fixed), "not_before": now}),
        relax=relax,
    )
    by_instant = {(s.channel, s.utc): s for s in kept}
    taken = {s.id for s in kept}
    merged: list[Slot] = []
    for s in fresh.slots:
        if s.source == "fixed" and (s.channel, s.utc) in by_instant:
            merged.append(by_instant[(s.channel, s.utc)])
            continue
        salt = 0
        new_id = s.id
        while new_id in taken:  # a moved slot keeps its id; a new slot at its old time must not
            salt += 1
            new_id = slot_id(s.channel, s.start, f"{s.series or ''}#{salt}")
        taken.add(new_id)
        merged.append(s if new_id == s.id else s.model_copy(update={"id": new_id}))
    return fresh.with_slots(merged)


def _find(calendar: EditorialCalendar, slot_id: str) -> Slot:
    try:
        return calendar.slot(slot_id)
    except KeyError:
        raise ValidationError("slot_id", slot_id, "names no slot of the calendar") from None
