"""The calendar for approval: XLSX, CSV per locale and iCalendar, with the post text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit._sinks import csv_cell, strip_controls
from smmkit.planner import EditorialCalendar, PlanRequest, from_ics, plan
from smmkit.reports import calendar_csv, calendar_ics, calendar_xlsx
from smmkit.setup import load_setup

from ._leaks import english_leaks

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://evil")\nseconda riga'


@pytest.fixture(scope="module")
def forno() -> EditorialCalendar:
    setup = load_setup(ROOT / "examples" / "forno_aurora.toml")
    request = PlanRequest(
        brand=setup.brand,
        channels=setup.channels,
        start=date(2027, 3, 15),
        weeks=8,
        campaigns=setup.campaigns,
        content=setup.content,
        audience=setup.audience,
    )
    return plan(request)


def _texts(cal: EditorialCalendar) -> dict[str, str]:
    out = {s.id: f"Testo del post {k}: pane & dolci" for k, s in enumerate(cal.slots)}
    out[cal.slots[0].id] = HOSTILE
    return out


def test_xlsx_one_sheet_per_month_same_slots_and_texts(forno: EditorialCalendar) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    texts = _texts(forno)
    wb = openpyxl.load_workbook(io.BytesIO(calendar_xlsx(forno, texts=texts)))
    assert wb.sheetnames == ["marzo 2027", "aprile 2027", "maggio 2027"]
    found = []
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        header = [c.value for c in ws[1]]
        assert header[:4] == ["Data", "Giorno", "Ora", "Canale"] and "Testo" in header
        assert english_leaks(" ".join(map(str, header))) == []
        for row in ws.iter_rows(min_row=2, values_only=True):
            found.append((row[3], row[7], row[8]))
    assert len(found) == len(forno.slots)
    want = sorted(forno.slots, key=lambda s: (s.utc, s.channel, s.id))
    # the same slots, in time order, each with its own text (a formula neutralised)
    assert [(f[0], f[1]) for f in found] == [(s.channel, csv_cell(texts[s.id])) for s in want]
    assert found[[s.id for s in want].index(forno.slots[0].id)][1] == "'" + HOSTILE
    assert {f[2] for f in found} <= {"pianificato", "bozza", "approvato", "programmato"}
    assert english_leaks(" ".join(str(f[2]) for f in found)) == []


def test_csv_italian_uses_semicolons_and_a_bom(forno: EditorialCalendar) -> None:
    data = calendar_csv(forno, texts=_texts(forno))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert rows[0][:3] == ["Data", "Giorno", "Ora"] and len(rows) == len(forno.slots) + 1
    assert all(len(r) == len(rows[0]) for r in rows)
    assert any(r[7] == "'" + HOSTILE for r in rows)  # a formula is never live
    english = calendar_csv(forno, texts=_texts(forno), locale="en-GB")
    rows_en = list(csv.reader(io.StringIO(english[3:].decode("utf-8")), delimiter=","))
    assert rows_en[0][:3] == ["Date", "Day", "Time"] and len(rows_en) == len(rows)


def test_ics_carries_the_text_in_the_locale(forno: EditorialCalendar) -> None:
    stamp = datetime(2026, 11, 26, 8, tzinfo=UTC)
    data = calendar_ics(forno, texts=_texts(forno), stamp=stamp)
    text = data.decode("utf-8").replace("\r\n ", "")
    assert "Testo del post 1: pane & dolci" in text and "Stato: " in text
    human = [
        ln.split(":", 1)[1]
        for ln in text.splitlines()
        if ln.startswith(("SUMMARY", "DESCRIPTION", "X-WR-CALNAME"))
    ]
    assert "Forno Aurora: calendario editoriale" in human
    assert english_leaks(" ".join(human)) == []
    back = from_ics(data, template=forno).slots  # the description now holds the text
    assert [(s.id, s.start, s.channel) for s in back] == [
        (s.id, s.start, s.channel) for s in forno.slots
    ]


@given(st.text(max_size=80))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_csv_keeps_any_text_in_its_cell(forno: EditorialCalendar, text: str) -> None:
    slot = forno.slots[0]
    data = calendar_csv(forno, texts={slot.id: text})
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == len(forno.slots) + 1
    want = sorted(forno.slots, key=lambda s: (s.utc, s.channel, s.id))
    cell = rows[1 + [s.id for s in want].index(slot.id)][7]
    assert cell == csv_cell(strip_controls(text))
    assert not cell or cell[0] not in "=+-@\t\r"
