"""Export and import: iCalendar (RFC 5545), CSV, JSON, and a weekly agenda in Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from smmkit.errors import ValidationError

from ._model import EditorialCalendar, Slot

__all__ = ["agenda_markdown", "from_csv", "from_ics", "from_json", "to_csv", "to_ics", "to_json"]

_PRODID = "-//smmkit//planner//EN"
_X = "X-SMMKIT-"
_FIELDS = (
    "channel",
    "platform",
    "pillar",
    "format",
    "objective",
    "campaign",
    "item_id",
    "series",
    "source",
    "locked",
    "status",
    "timezone",
)


def to_ics(
    calendar: EditorialCalendar,
    *,
    stamp: datetime | None = None,
    duration: timedelta = timedelta(minutes=15),
) -> bytes:
    """The calendar as an RFC 5545 ``VCALENDAR`` (bytes, CRLF line ends, lines folded at 75
    octets by the ``icalendar`` library).

    Each slot is a ``VEVENT`` whose ``UID`` is ``<slot id>@smmkit`` (stable across exports, since
    a slot id survives moves and edits), ``DTSTART;TZID=`` the channel's zone, and ``DTSTAMP``
    ``stamp`` in UTC (default: now). Every ``TZID`` used gets its ``VTIMEZONE``. smmkit's fields
    travel as ``X-SMMKIT-*`` properties, so :func:`from_ics` gives the slots back.
    """
    if stamp is not None and stamp.tzinfo is None:
        raise ValidationError("stamp", stamp, "must be timezone-aware")
    stamp_utc = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{calendar.brand}: editorial calendar")
    for slot in calendar.slots:
        event = Event()
        event.add("uid", f"{slot.id}@smmkit")
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.start + duration)
        event.add("summary", _summary(slot, calendar.locale))
        event.add("description", "\n".join(slot.reasons))
        if slot.pillar:
            event.add("categories", [slot.pillar])
        event.add(
            "status",
            "CONFIRMED"
            if slot.status.value in {"approved", "scheduled", "published"}
            else "TENTATIVE",
        )
        for name in _FIELDS:
            value = getattr(slot, name)
            if value is not None:
                event.add(_X + name.upper().replace("_", "-"), _text(value))
        if slot.title:
            event.add(_X + "TITLE", slot.title)
        if slot.moments:
            event.add(_X + "MOMENTS", json.dumps(list(slot.moments), ensure_ascii=False))
        event.add(_X + "START-UTC", slot.utc.strftime("%Y%m%dT%H%M%SZ"))
        cal.add_component(event)
    # One VTIMEZONE per zone with the transitions of the plan's whole calendar years (so every
    # export in a year carries the same block); DTSTART/RDATE form, which parsers read widely.
    cal.add_missing_timezones(
        first_date=date(calendar.start.year, 1, 1), last_date=date(calendar.end.year + 1, 1, 1)
    )
    return bytes(cal.to_ical())


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


def _summary(slot: Slot, locale: str) -> str:
    what = slot.title or slot.pillar or "post"
    return f"[{slot.channel}] {what} ({slot.format.value})"


def from_ics(data: bytes | str, *, template: EditorialCalendar | None = None) -> EditorialCalendar:
    """Read slots back from :func:`to_ics` output (other calendars: events need ``DTSTART``).

    ``template`` supplies the calendar-level fields (brand, period); otherwise they are derived.
    """
    try:
        cal = Calendar.from_ical(data)
    except ValueError as exc:
        raise ValidationError("data", str(data)[:60], f"is not iCalendar ({exc})") from exc
    slots: list[Slot] = []
    for event in cal.walk("VEVENT"):
        raw: dict[str, object] = {}
        for name in _FIELDS:
            value = event.get(_X + name.upper().replace("_", "-"))
            if value is not None:
                raw[name] = str(value)
        start = event.decoded("dtstart")
        if not isinstance(start, datetime) or start.tzinfo is None:
            raise ValidationError("DTSTART", start, "events must have an aware date-time")
        uid = str(event.get("uid"))
        raw["id"] = uid.removesuffix("@smmkit")
        raw.setdefault("channel", "calendar")
        raw.setdefault("platform", "sandbox")
        raw.setdefault("timezone", getattr(start.tzinfo, "key", "UTC"))
        raw["start"] = start
        raw["locked"] = raw.get("locked") == "true"
        title = event.get(_X + "TITLE")
        raw["title"] = str(title) if title is not None else None
        moments = event.get(_X + "MOMENTS")
        raw["moments"] = tuple(json.loads(str(moments))) if moments is not None else ()
        description = str(event.get("description") or "")
        raw["reasons"] = tuple(line for line in description.split("\n") if line)
        slots.append(Slot.model_validate(raw))
    return _calendar_for(slots, template)


def _calendar_for(slots: list[Slot], template: EditorialCalendar | None) -> EditorialCalendar:
    if template is not None:
        return template.with_slots(slots)
    days = [s.local_date for s in slots] or [date.today()]
    return EditorialCalendar(
        brand="imported",
        locale="en",
        timezone="UTC",
        start=min(days),
        end=max(days) + timedelta(days=1),
        slots=(),
    ).with_slots(slots)


_CSV_COLUMNS = (
    "id",
    "channel",
    "platform",
    "start",
    "timezone",
    "pillar",
    "format",
    "objective",
    "campaign",
    "item_id",
    "title",
    "series",
    "source",
    "locked",
    "status",
    "moments",
    "reasons",
)


def to_csv(calendar: EditorialCalendar) -> str:
    """One row per slot (local ISO 8601 time with offset, and the zone), for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for s in calendar.slots:
        row = []
        for col in _CSV_COLUMNS:
            value = getattr(s, col)
            if col == "start":
                row.append(s.start.isoformat())
            elif col in ("reasons", "moments"):
                row.append(" | ".join(value))
            else:
                row.append("" if value is None else _text(value))
        writer.writerow(row)
    return out.getvalue()


def from_csv(text: str, *, template: EditorialCalendar | None = None) -> EditorialCalendar:
    """Read :func:`to_csv` output back (unknown columns are refused)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "channel", "platform", "start", "timezone"} - set(reader.fieldnames or ())
    if missing:
        raise ValidationError("columns", sorted(missing), "required CSV columns are missing")
    slots = []
    for n, row in enumerate(reader):
        raw: dict[str, object] = {k: v for k, v in row.items() if v not in ("", None)}
        raw["locked"] = row.get("locked") == "true"
        for col in ("reasons", "moments"):
            raw[col] = tuple(r for r in (row.get(col) or "").split(" | ") if r)
        try:
            slots.append(Slot.model_validate(raw))
        except ValueError as exc:
            raise ValidationError(f"rows[{n}]", row.get("id"), f"is not a slot ({exc})") from exc
    return _calendar_for(slots, template)


def to_json(calendar: EditorialCalendar) -> str:
    """The whole calendar as JSON (``from_json`` restores it, zones included)."""
    return calendar.model_dump_json(indent=2)


def from_json(text: str) -> EditorialCalendar:
    return EditorialCalendar.model_validate_json(text)


def agenda_markdown(calendar: EditorialCalendar, *, locale: str | None = None) -> str:
    """A weekly agenda in Markdown, in Italian or English (by ``locale``, default the brand's).

    One section per plan week: its dates to remember, then a table of the slots in local time.
    """
    from smmkit.i18n import label, localizer

    loc = localizer(locale or calendar.locale)
    _ = loc._

    def long_date(d: date) -> str:
        return loc.date_pattern(d, _("d MMMM y"))

    def short_day(d: date) -> str:
        return f"{loc.weekday(d.weekday(), 'abbreviated')} {loc.date_pattern(d, _('d MMMM'))}"

    by_week: dict[int, list[Slot]] = defaultdict(list)
    for s in calendar.slots:
        by_week[calendar.week_index(s)].append(s)
    lines = ["# " + _("Editorial plan: {brand}", brand=calendar.brand), ""]
    for w, first in enumerate(calendar.week_starts()):
        lines += ["## " + _("Week of {date}", date=long_date(first)), ""]
        moments = [m for m in calendar.moments if first <= m.day < first + timedelta(days=7)]
        if moments:
            lines.append(_("Dates to remember:"))
            for m in moments:
                closed = " (" + _("no posts") + ")" if m.blackout else ""
                lines.append(f"- {short_day(m.day)}: {m.name}{closed}")
            lines.append("")
        week = by_week.get(w, [])
        if not week:
            lines += [_("No posts this week."), ""]
            continue
        header = (
            _("Day"),
            _("Time"),
            _("Channel"),
            _("Pillar"),
            _("Format"),
            _("Campaign"),
            _("Content"),
        )
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---|---|---|---|---|---|---|")
        for s in week:
            local = s.start
            content = s.title or s.item_id or "_" + _("to write") + "_"
            lines.append(
                f"| {loc.weekday(local.weekday(), 'abbreviated')} {local.day} | {local:%H:%M} | "
                f"{s.channel} | {s.pillar or '-'} | {label(loc, s.format)} | "
                f"{s.campaign or '-'} | {content.replace('|', '/')} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
