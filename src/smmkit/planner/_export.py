"""Export and import: iCalendar (RFC 5545), CSV, JSON, and a weekly agenda in Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vText

from smmkit._sinks import csv_cell, markdown_text, single_line
from smmkit.errors import ValidationError
from smmkit.models._base import zone

from ._model import EditorialCalendar, Slot
from ._timekit import rfc5545_wall

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
    a slot id survives moves and edits) and ``DTSTAMP`` ``stamp`` in UTC (default: now).
    ``DTSTART`` and ``DTEND`` are exact instants: ``DTEND`` is ``duration`` after the start on the
    time line (a 15-minute event across the autumn change lasts 15 minutes). They are written
    with ``TZID=`` the channel's zone when RFC 5545 reads that local time back as the same instant,
    and in UTC otherwise: RFC 5545 reads a repeated local time (01:30 on the night clocks go back)
    as its first occurrence, so a slot at the second one is written as ``...Z``. Every ``TZID``
    used gets its ``VTIMEZONE``.

    Every text value (summary, description, categories and the ``X-SMMKIT-*`` properties that
    carry smmkit's fields back to :func:`from_ics`) is one line without control characters and is
    escaped as RFC 5545 TEXT: no title or brand name can start a property or an event of its own,
    whether or not Python runs with ``-O``.
    """
    if stamp is not None and stamp.tzinfo is None:
        raise ValidationError("stamp", stamp, "must be timezone-aware")
    if duration <= timedelta(0) or duration > timedelta(days=7):
        raise ValidationError(
            "duration", duration, "must be positive and at most 7 days", hint="e.g. 15 minutes"
        )
    stamp_utc = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(single_line(_calendar_name(calendar))))
    for n, slot in enumerate(calendar.slots):
        start_utc = slot.utc.replace(microsecond=0)
        if start_utc + duration > _LAST:
            raise ValidationError(
                f"slots[{n}].start",
                slot.start.isoformat(),
                "the event would end after 9999-12-31 (the last date iCalendar can write)",
                hint="export plans that end before the year 9999",
            )
        tz = zone(slot.timezone)
        start = rfc5545_wall(start_utc, tz)
        end = rfc5545_wall(start_utc + duration, tz)
        event = Event()
        event.add("uid", vText(single_line(f"{slot.id}@smmkit")))
        event.add("dtstamp", stamp_utc)
        if start is None or end is None:  # a repeated local time: write the instants in UTC
            event.add("dtstart", start_utc)
            event.add("dtend", start_utc + duration)
        else:
            event.add("dtstart", start)
            event.add("dtend", end)
        event.add("summary", vText(single_line(_summary(slot, calendar.locale))))
        event.add("description", vText("\n".join(single_line(r) for r in slot.reasons)))
        if slot.pillar:
            event.add("categories", [single_line(slot.pillar)])
        event.add(
            "status",
            "CONFIRMED"
            if slot.status.value in {"approved", "scheduled", "published"}
            else "TENTATIVE",
        )
        for name in _FIELDS:
            value = getattr(slot, name)
            if value is not None:
                event.add(_X + name.upper().replace("_", "-"), vText(single_line(_text(value))))
        if slot.title:
            event.add(_X + "TITLE", vText(single_line(slot.title)))
        if slot.moments:
            moments = [single_line(m) for m in slot.moments]
            event.add(_X + "MOMENTS", vText(json.dumps(moments, ensure_ascii=False)))
        event.add(_X + "START-UTC", vText(start_utc.strftime("%Y%m%dT%H%M%SZ")))
        cal.add_component(event)
    # One VTIMEZONE per zone with the transitions of the plan's whole calendar years (so every
    # export in a year carries the same block); DTSTART/RDATE form, which parsers read widely.
    years = [calendar.start.year, calendar.end.year] + [s.start.year for s in calendar.slots]
    first_year, last_year = min(years), max(years)
    if last_year - first_year > 20:
        raise ValidationError(
            "calendar",
            f"{first_year}-{last_year}",
            "an iCalendar export covers at most 20 calendar years",
            hint="export the plan in parts (EditorialCalendar.with_slots)",
        )
    cal.add_missing_timezones(
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1) if last_year < 9999 else date(9999, 12, 31),
    )
    return bytes(cal.to_ical())


_LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


def _calendar_name(calendar: EditorialCalendar) -> str:
    from smmkit.i18n import localizer

    return localizer(calendar.locale)._("{brand}: editorial calendar", brand=calendar.brand)


def _summary(slot: Slot, locale: str) -> str:
    """``[channel] title (format)`` with the format's name in the calendar's language."""
    from smmkit.i18n import label, localizer

    loc = localizer(locale)
    what = slot.title or slot.pillar or loc._("post")
    return f"[{slot.channel}] {what} ({label(loc, slot.format)})"


def from_ics(data: bytes | str, *, template: EditorialCalendar | None = None) -> EditorialCalendar:
    """Read slots back from :func:`to_ics` output (other calendars: events need ``DTSTART``).

    Each slot starts at the exact instant that was written: a ``DTSTART`` in UTC is that instant;
    a ``DTSTART;TZID=`` local time is read as RFC 5545 says (the first occurrence of a repeated
    time), unless the event's ``X-SMMKIT-START-UTC`` names the other occurrence of that same local
    time, which smmkit wrote and which is then used. ``template`` supplies the calendar-level
    fields (brand, period); otherwise they are derived.
    """
    try:
        cal = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError("data", str(data)[:60], f"is not iCalendar ({exc})") from None
    slots: list[Slot] = []
    for n, event in enumerate(cal.walk("VEVENT")):
        raw: dict[str, object] = {}
        for name in _FIELDS:
            value = event.get(_X + name.upper().replace("_", "-"))
            if value is not None:
                raw[name] = _unescape(str(value))
        try:
            start = event.decoded("dtstart")
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"VEVENT[{n}].DTSTART", None, f"is missing ({exc})") from None
        if not isinstance(start, datetime) or start.tzinfo is None:
            raise ValidationError(
                f"VEVENT[{n}].DTSTART", start, "events must have an aware date-time"
            )
        written = event.get(_X + "START-UTC")
        if written is not None:
            start = _exact_start(start, str(written), n)
        uid = str(event.get("uid"))
        raw["id"] = uid.removesuffix("@smmkit")
        raw.setdefault("channel", "calendar")
        raw.setdefault("platform", "sandbox")
        raw.setdefault("timezone", getattr(start.tzinfo, "key", "UTC"))
        raw["start"] = start
        raw["locked"] = raw.get("locked") == "true"
        title = event.get(_X + "TITLE")
        raw["title"] = _unescape(str(title)) if title is not None else None
        moments = event.get(_X + "MOMENTS")
        try:
            raw["moments"] = (
                tuple(json.loads(_unescape(str(moments)))) if moments is not None else ()
            )
        except ValueError:
            raise ValidationError(
                f"VEVENT[{n}].X-SMMKIT-MOMENTS", str(moments), "is not a JSON list"
            ) from None
        description = str(event.get("description") or "")
        raw["reasons"] = tuple(line for line in description.split("\n") if line)
        try:
            slots.append(Slot.model_validate(raw))
        except ValueError as exc:
            raise ValidationError(
                f"VEVENT[{n}]", raw["id"], f"is not a slot ({exc})", hint="fix or drop the event"
            ) from None
    return _calendar_for(slots, template)


_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def _unescape(value: str) -> str:
    """An RFC 5545 TEXT value unescaped (``X-`` properties come back from the parser raw)."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _exact_start(start: datetime, written: str, n: int) -> datetime:
    """The instant smmkit wrote, when it is one of the readings of ``start``'s local time."""
    try:
        exact = datetime.strptime(written, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValidationError(
            f"VEVENT[{n}].X-SMMKIT-START-UTC", written, "is not a UTC date-time (YYYYMMDDTHHMMSSZ)"
        ) from None
    readings = {start.replace(fold=0).astimezone(UTC), start.replace(fold=1).astimezone(UTC)}
    if exact in readings:
        return exact.astimezone(start.tzinfo)
    return start  # DTSTART was changed by another application: it wins


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
    """One row per slot (local ISO 8601 time with offset, and the zone), for spreadsheets.

    Cells follow OWASP's rule against formula injection: a text that starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a line break (or ``'``, so that the rule can be undone) gets a leading
    ``'``; :func:`from_csv` removes it again. Control characters become spaces.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for s in calendar.slots:
        row = []
        for col in _CSV_COLUMNS:
            value = getattr(s, col)
            if col == "start":
                text = s.start.isoformat()
            elif col in ("reasons", "moments"):
                text = " | ".join(single_line(v) for v in value)
            else:
                text = "" if value is None else single_line(_text(value))
            row.append(_csv_out(text))
        writer.writerow(row)
    return out.getvalue()


def _csv_out(text: str) -> str:
    if text.startswith("'"):
        return "'" + text
    cell = csv_cell(text)
    return cell if isinstance(cell, str) else text


def _csv_in(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and (cell[1] == "'" or csv_cell(cell[1:]) != cell[1:]):
        return cell[1:]
    return cell


def from_csv(text: str, *, template: EditorialCalendar | None = None) -> EditorialCalendar:
    """Read :func:`to_csv` output back (unknown columns are refused)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "channel", "platform", "start", "timezone"} - set(reader.fieldnames or ())
    if missing:
        raise ValidationError("columns", sorted(missing), "required CSV columns are missing")
    slots = []
    for n, row in enumerate(reader):
        if None in row or any(v is None for v in row.values()):
            raise ValidationError(f"rows[{n}]", row.get("id"), "has a different number of cells")
        row = {k: _csv_in(v) for k, v in row.items()}
        raw: dict[str, object] = {k: v for k, v in row.items() if v != ""}
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
    md = markdown_text
    lines = ["# " + _("Editorial plan: {brand}", brand=md(calendar.brand)), ""]
    for w, first in enumerate(calendar.week_starts()):
        lines += ["## " + _("Week of {date}", date=long_date(first)), ""]
        moments = [m for m in calendar.moments if first <= m.day < first + timedelta(days=7)]
        if moments:
            lines.append(_("Dates to remember:"))
            for m in moments:
                closed = " (" + _("no posts") + ")" if m.blackout else ""
                lines.append(f"- {short_day(m.day)}: {md(m.name)}{closed}")
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
            named = s.title or s.item_id
            content = md(named) if named else "_" + _("to write") + "_"
            lines.append(
                f"| {loc.weekday(local.weekday(), 'abbreviated')} {local.day} | {local:%H:%M} | "
                f"{md(s.channel)} | {md(s.pillar or '-')} | {label(loc, s.format)} | "
                f"{md(s.campaign or '-')} | {content} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
