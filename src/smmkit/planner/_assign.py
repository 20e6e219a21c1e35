"""Assignment of content items to slots."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from smmkit.models import ContentItem, ContentStatus

from ._defaults import default_format_mix
from ._model import EditorialCalendar, Slot

__all__ = ["assign_items"]

_USABLE = {
    ContentStatus.DRAFT,
    ContentStatus.IN_REVIEW,
    ContentStatus.APPROVED,
    ContentStatus.SCHEDULED,
}


def assign_items(
    calendar: EditorialCalendar,
    items: Iterable[ContentItem],
    *,
    stagger: timedelta = timedelta(hours=2),
    evergreen_gap: timedelta = timedelta(days=28),
) -> EditorialCalendar:
    """Fill empty slots with content items, in time order.

    An item fits a slot when its pillar matches (or it has none), its format is the slot's or one
    the platform takes, its campaign (if any) is the slot's, it is ready and not expired at the
    slot's instant, and its status is usable (draft to scheduled). A non-evergreen item is used at
    most once per channel; an evergreen one again after ``evergreen_gap``. Uses of one item on
    different channels are at least ``stagger`` apart. Among fitting items the best is: the slot's
    campaign, the exact format, the higher priority, the fewer uses, the sooner expiry, the id.
    Slots that already hold an item keep it. Complexity: O(slots x items).
    """
    items_list = list(items)
    pool = [i for i in items_list if i.status in _USABLE]
    uses: dict[str, list[Slot]] = {}
    for slot in calendar.slots:
        if slot.item_id is not None:
            uses.setdefault(slot.item_id, []).append(slot)
    out: list[Slot] = []
    for slot in calendar.slots:
        if slot.item_id is not None:
            out.append(slot)
            continue
        allowed = set(default_format_mix(slot.platform))
        best: tuple[tuple[object, ...], ContentItem] | None = None
        for item in pool:
            if item.pillar is not None and item.pillar != slot.pillar:
                continue
            if item.campaign is not None and item.campaign != slot.campaign:
                continue
            if item.format != slot.format and item.format not in allowed:
                continue
            if not item.available_at(slot.start):
                continue
            if not _spaced(item, slot, uses.get(item.id, ()), stagger, evergreen_gap):
                continue
            expiry = item.expires_at or datetime.max.replace(tzinfo=slot.start.tzinfo)
            key = (
                item.campaign is not None and item.campaign == slot.campaign,
                item.format == slot.format,
                item.priority,
                -len(uses.get(item.id, ())),
                -expiry.timestamp() if item.expires_at else -1e18,
                item.id,
            )
            if best is None or key > best[0]:
                best = (key, item)
        if best is None:
            out.append(slot)
            continue
        item = best[1]
        reason = (
            f"item '{item.id}': pillar {item.pillar or 'any'}, format {item.format.value}, "
            f"priority {item.priority}"
            + (", evergreen" if item.evergreen else "")
            + (f", used {len(uses.get(item.id, ()))}x before" if item.id in uses else "")
        )
        new = slot.model_copy(
            update={
                "item_id": item.id,
                "title": item.title or slot.title,
                "format": item.format,
                "reasons": (*slot.reasons, reason),
            }
        )
        uses.setdefault(item.id, []).append(new)
        out.append(new)
    placed = {s.item_id for s in out if s.item_id}
    notes = [
        f"item '{i.id}' not placed: no slot with its pillar, a format its channel takes and "
        "its campaign while it is ready and not expired"
        for i in pool
        if i.id not in placed
    ]
    notes += [
        f"item '{i.id}' not placed: status {i.status.value}"
        for i in items_list
        if i.status not in _USABLE
    ]
    return calendar.with_slots(out).model_copy(update={"notes": (*calendar.notes, *notes)})


def _spaced(
    item: ContentItem, slot: Slot, used: Iterable[Slot], stagger: timedelta, gap: timedelta
) -> bool:
    at = slot.utc
    for other in used:
        delta = abs(other.utc - at)
        if other.channel == slot.channel:
            if not item.evergreen or delta < gap:
                return False
        elif delta < stagger:
            return False
    return True
