"""Exports that cannot be injected: calendar values, CSV cells and the Markdown agenda.

Titles, brand names and pillar keys come from clients and the public. A carriage return must not
start a forged ``VEVENT`` (also under ``python -O``, where the ``icalendar`` library's ``assert``
guard is gone), a cell must not run as a spreadsheet formula, and the agenda must not carry raw
HTML or a link.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import vobject

from smmkit.models import Platform
from smmkit.planner import (
    EditorialCalendar,
    Slot,
    agenda_markdown,
    from_csv,
    from_ics,
    to_csv,
    to_ics,
)

ROOT = Path(__file__).resolve().parents[2]
STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FORGE = (
    "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@evil\r\nDTSTART:20261224T100000Z"
    "\r\nSUMMARY:Forged"
)
HOSTILE = (
    FORGE,
    "a\nb\rc\x00d\x1be\x7ff\u2028g\u2029h\x85i\tj",
    '=HYPERLINK("http://evil.example","x")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=already",
    "<script>alert(1)</script> [click](javascript:alert(1)) | col",
    "\\|x",
)


def _calendar(brand: str, titles: tuple[str, ...]) -> EditorialCalendar:
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    slots = [
        Slot(
            id=f"s{n}",
            channel="ig",
            platform=Platform.SANDBOX,
            start=start + timedelta(hours=n),
            timezone="Europe/Rome",
            pillar="p",
            title=title,
            campaign="c",
            reasons=(title, "second reason"),
            moments=(title,),
        )
        for n, title in enumerate(titles)
    ]
    return EditorialCalendar(
        brand=brand,
        locale="en",
        timezone="Europe/Rome",
        start=date(2026, 12, 7),
        end=date(2026, 12, 14),
        slots=tuple(slots),
    )


CALENDAR = _calendar(FORGE, HOSTILE)


def _check_ics(data: bytes) -> None:
    lines = data.decode("utf-8").split("\r\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert line.isprintable(), repr(line)  # no control character in any value
    unfolded = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") == len(CALENDAR.slots)
    assert not any(line.startswith(("UID:forged", "SUMMARY:Forged")) for line in unfolded)
    vobject.icalendar.__dict__["__tzidMap"].clear()
    parsed = vobject.readOne(data.decode("utf-8"))
    assert sorted(str(e.uid.value) for e in parsed.vevent_list) == sorted(
        f"{s.id}@smmkit" for s in CALENDAR.slots
    )


def test_no_forged_event_in_ics() -> None:
    data = to_ics(CALENDAR, stamp=STAMP)
    _check_ics(data)
    back = from_ics(data, template=CALENDAR)
    assert [s.id for s in back.slots] == [s.id for s in CALENDAR.slots]
    assert [s.utc for s in back.slots] == [s.utc for s in CALENDAR.slots]
    # the text survives as one line: controls are spaces or gone, never a new property
    forged = back.slot("s0").title
    assert forged is not None and "Forged" in forged
    assert all(s.title is None or s.title.isprintable() for s in back.slots)


def test_no_forged_event_under_python_optimised(tmp_path: Path) -> None:
    """``python -O`` strips ``assert``: the guard must not be the library's assert."""
    out = tmp_path / "out.ics"
    code = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_planner_injection import CALENDAR, STAMP\n"
        "from smmkit.planner import to_ics\n"
        "try:\n"
        "    assert False\n"
        "except AssertionError:\n"
        "    raise SystemExit('not optimised')\n"
        "open(sys.argv[2], 'wb').write(to_ics(CALENDAR, stamp=STAMP))\n"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-O", "-c", code, str(Path(__file__).parent), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    _check_ics(out.read_bytes())


_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def test_no_csv_cell_a_spreadsheet_would_run() -> None:
    text = to_csv(CALENDAR)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(CALENDAR.slots) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(_FORMULA), cell
            assert cell.isprintable(), repr(cell)
    # the rule is undone on import: what was written comes back (as one line)
    back = from_csv(text, template=CALENDAR)
    for slot, original in zip(back.slots, CALENDAR.slots, strict=True):
        assert slot.utc == original.utc
        assert slot.title is not None and original.title is not None
        assert slot.title.split() == original.title.split() or not original.title.isprintable()
    assert back.slot("s2").title == '=HYPERLINK("http://evil.example","x")'
    assert back.slot("s8").title == "'=already"


def test_agenda_has_no_raw_html_or_link() -> None:
    for locale in ("en", "it"):
        text = agenda_markdown(CALENDAR, locale=locale)
        assert "<script" not in text.lower()
        assert not re.search(r"(?<!\\)\]\(", text)  # no link: every "](" is escaped
        assert "&lt;script&gt;" in text
        assert "\r" not in text and "\x00" not in text
        rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
        header = rows[0]

        # no title adds a column: every row has as many unescaped pipes as the header
        def cols(line: str) -> int:
            return line.replace("\\\\", "").replace("\\|", "").count("|")

        assert {cols(r) for r in rows} == {cols(header)}
        assert text.startswith("# ")
        assert text.splitlines()[0].count("\n") == 0 and "END:VEVENT" in text.splitlines()[0]


@pytest.mark.parametrize("title", HOSTILE)
def test_each_hostile_title_alone(title: str) -> None:
    calendar = _calendar("Brand", (title,))
    data = to_ics(calendar, stamp=STAMP)
    assert data.decode().replace("\r\n ", "").split("\r\n").count("BEGIN:VEVENT") == 1
    assert all(line.isprintable() for line in data.decode().split("\r\n"))
    for row in csv.reader(io.StringIO(to_csv(calendar))):
        assert not any(cell.startswith(_FORMULA) for cell in row)


def test_a_hostile_ics_names_the_event() -> None:
    from smmkit.errors import ValidationError

    text = to_ics(_calendar("Brand", ("t",)), stamp=STAMP).decode()
    bad = text.replace("X-SMMKIT-TIMEZONE:Europe/Rome", "X-SMMKIT-TIMEZONE:" + "A" * 5000)
    with pytest.raises(ValidationError) as info:
        from_ics(bad)
    assert info.value.field == "VEVENT[0]" and "IANA" in info.value.rule
