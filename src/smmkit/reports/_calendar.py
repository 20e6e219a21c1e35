"""The calendar for the client to approve: XLSX (one sheet per month), CSV by the locale's
spreadsheet conventions, and iCalendar with the post text; headers and values in the locale."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date

from smmkit._sinks import csv_cell, single_line, strip_controls
from smmkit.errors import ValidationError
from smmkit.i18n import Localizer, label, localizer
from smmkit.planner import EditorialCalendar, Slot

__all__ = ["calendar_csv", "calendar_ics", "calendar_rows", "calendar_xlsx"]


def _text_for(slot: Slot, texts: Mapping[str, str]) -> str:
    for key in (slot.item_id, slot.id):
        if key and key in texts:
            return texts[key]
    return slot.title or ""


def _headers(loc: Localizer) -> tuple[str, ...]:
    _ = loc._
    return (
        _("Date"),
        _("Day"),
        _("Time"),
        _("Channel"),
        _("Format"),
        _("Pillar"),
        _("Campaign"),
        _("Text"),
        _("Status"),
    )


def calendar_rows(
    calendar: EditorialCalendar,
    *,
    texts: Mapping[str, str] | None = None,
    locale: str | None = None,
) -> tuple[tuple[str, ...], list[tuple[date, tuple[str, ...]]]]:
    """Localised header and one row per slot (with its local date), in calendar order."""
    loc = localizer(locale or calendar.locale)
    texts = texts or {}
    rows: list[tuple[date, tuple[str, ...]]] = []
    for s in sorted(calendar.slots, key=lambda s: (s.utc, s.channel, s.id)):
        local = s.start
        rows.append(
            (
                local.date(),
                (
                    loc.date(local.date(), "short"),
                    loc.weekday(local.weekday()),
                    loc.time(local),
                    s.channel,
                    label(loc, s.format),
                    s.pillar or "",
                    s.campaign or "",
                    strip_controls(_text_for(s, texts)),
                    label(loc, s.status),
                ),
            )
        )
    return _headers(loc), rows


def calendar_csv(
    calendar: EditorialCalendar,
    *,
    texts: Mapping[str, str] | None = None,
    locale: str | None = None,
) -> bytes:
    """CSV as the locale's spreadsheet opens it: where the decimal separator is a comma (Italian,
    German, French...) cells are separated by ``;``; UTF-8 with a byte-order mark so Excel reads
    the accents. Cells that a spreadsheet would run as a formula are neutralised (OWASP)."""
    loc = localizer(locale or calendar.locale)
    header, rows = calendar_rows(calendar, texts=texts, locale=loc.tag)
    delimiter = ";" if loc.babel.number_symbols["latn"]["decimal"] == "," else ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for _, row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def calendar_xlsx(
    calendar: EditorialCalendar,
    *,
    texts: Mapping[str, str] | None = None,
    locale: str | None = None,
) -> bytes:
    """An XLSX workbook: one sheet per month (named in the locale), the header row frozen, post
    text and status per slot (needs ``openpyxl``: ``pip install 'smmkit[xlsx]'``)."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ValidationError(
            "format", "xlsx", "needs the openpyxl package", hint="pip install 'smmkit[xlsx]'"
        ) from exc
    loc = localizer(locale or calendar.locale)
    header, rows = calendar_rows(calendar, texts=texts, locale=loc.tag)
    wb = Workbook()
    wb.remove(wb.active)
    months: dict[tuple[int, int], list[tuple[str, ...]]] = {}
    for day, row in rows:
        months.setdefault((day.year, day.month), []).append(row)
    if not months:
        first = calendar.start
        months[(first.year, first.month)] = []
    widths = (12, 12, 8, 14, 14, 16, 16, 60, 14)
    for (year, month), month_rows in sorted(months.items()):
        title = loc.month_year(year, month)[:31]
        for bad in "[]:*?/\\":
            title = title.replace(bad, " ")
        ws = wb.create_sheet(title=title)
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in month_rows:
            ws.append(
                [csv_cell(single_line(c)) if i != 7 else csv_cell(c) for i, c in enumerate(row)]
            )
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for (cell,) in ws.iter_rows(min_row=2, min_col=8, max_col=8):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def calendar_ics(
    calendar: EditorialCalendar,
    *,
    texts: Mapping[str, str] | None = None,
    locale: str | None = None,
    stamp: object = None,
) -> bytes:
    """The planner's iCalendar export with each event's summary in the locale and the post text
    as its description (the ``X-SMMKIT-*`` fields stay, so ``planner.from_ics`` still reads it)."""
    from icalendar import Calendar

    from smmkit.planner import to_ics

    loc = localizer(locale or calendar.locale)
    texts = texts or {}
    raw = to_ics(calendar, stamp=stamp) if stamp is not None else to_ics(calendar)  # type: ignore[arg-type]
    cal = Calendar.from_ical(raw)
    by_id = {f"{s.id}@smmkit": s for s in calendar.slots}
    for event in cal.walk("VEVENT"):
        slot = by_id.get(str(event.get("uid")))
        if slot is None:
            continue
        what = slot.title or slot.pillar or loc._("post")
        summary = f"[{slot.channel}] {what} ({label(loc, slot.format)})"
        event["SUMMARY"] = single_line(summary)
        text = strip_controls(_text_for(slot, texts))
        status = loc._("Status") + ": " + label(loc, slot.status)
        # The planner's reasons (English, for the planner's users) stay out of the client's copy.
        event["DESCRIPTION"] = "\n\n".join(p for p in (text, status) if p)
    return bytes(cal.to_ical())
