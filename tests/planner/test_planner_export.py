"""iCalendar, CSV, JSON and Markdown exports, checked by an independent parser (vobject)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import vobject

from smmkit.errors import ValidationError
from smmkit.planner import (
    EditorialCalendar,
    PlanRequest,
    agenda_markdown,
    from_csv,
    from_ics,
    from_json,
    move,
    plan,
    to_csv,
    to_ics,
    to_json,
)
from smmkit.setup import load_setup

ROOT = Path(__file__).resolve().parents[2]
STAMP = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def forno() -> EditorialCalendar:
    setup = load_setup(ROOT / "examples" / "forno_aurora.toml")
    # eight weeks from March: crosses the spring daylight-saving change in Europe/Rome
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


def test_vobject_reads_the_same_events_at_the_same_instants(forno: EditorialCalendar) -> None:
    data = to_ics(forno, stamp=STAMP)
    # vobject caches the first VTIMEZONE it meets per TZID for the whole process; forget the
    # ones other tests parsed so that this file's own definition is the one used.
    vobject.icalendar.__dict__["__tzidMap"].clear()
    parsed = vobject.readOne(data.decode("utf-8"))
    events = {str(e.uid.value): e for e in parsed.vevent_list}
    assert len(events) == len(forno.slots)
    offsets = set()
    for slot in forno.slots:
        event = events[f"{slot.id}@smmkit"]
        start = event.dtstart.value
        assert start.tzinfo is not None
        assert start.astimezone(UTC) == slot.utc
        assert start.replace(tzinfo=None) == slot.start.replace(tzinfo=None)  # wall clock
        assert event.dtstamp.value == STAMP
        offsets.add(start.utcoffset())
    assert len(offsets) == 2  # CET and CEST both present


def test_ics_structure(forno: EditorialCalendar) -> None:
    data = to_ics(forno, stamp=STAMP)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long descriptions were folded
    text = data.decode()
    uids = re.findall(r"^UID:(.*)$", text.replace("\r\n ", ""), flags=re.M)
    assert len(uids) == len(set(uids)) == len(forno.slots)
    stamps = re.findall(r"^DTSTAMP:(.*)\r$", text, flags=re.M)
    assert stamps and all(re.fullmatch(r"\d{8}T\d{6}Z", s) for s in stamps)
    tzids = set(re.findall(r"TZID=([^:;]+)", text))
    defined = set(re.findall(r"^TZID:(.*)\r$", text, flags=re.M))
    assert tzids == {"Europe/Rome"} and tzids <= defined
    # stable UIDs: a second export (later stamp) and an export after a move keep them
    again = to_ics(forno, stamp=datetime(2027, 1, 1, tzinfo=UTC)).decode()
    assert re.findall(r"^UID:(.*)$", again, flags=re.M) == re.findall(
        r"^UID:(.*)$", text, flags=re.M
    )
    first = forno.slots[0]
    moved = move(forno, first.id, datetime(2027, 3, 15, 10, 0, tzinfo=UTC))
    assert f"UID:{first.id}@smmkit" in to_ics(moved, stamp=STAMP).decode()


def test_round_trips(forno: EditorialCalendar) -> None:
    # by the instant: equality of two datetimes in one zone compares wall clocks, ignoring fold
    for back in (
        from_ics(to_ics(forno, stamp=STAMP), template=forno),
        from_csv(to_csv(forno), template=forno),
        from_json(to_json(forno)),
    ):
        assert [(s.id, s.utc, s.start.utcoffset()) for s in back.slots] == [
            (s.id, s.utc, s.start.utcoffset()) for s in forno.slots
        ]
    assert from_ics(to_ics(forno, stamp=STAMP), template=forno) == forno
    assert from_csv(to_csv(forno), template=forno) == forno
    assert from_json(to_json(forno)) == forno
    loaded = from_json(to_json(forno))
    assert all(str(s.start.tzinfo) == "Europe/Rome" for s in loaded.slots)


def test_bad_imports_name_the_problem() -> None:
    with pytest.raises(ValidationError) as info:
        from_csv("id,channel\r\nx,y\r\n")
    assert info.value.field == "columns"
    with pytest.raises(ValidationError):
        to_ics(
            EditorialCalendar(
                brand="b",
                locale="en",
                timezone="UTC",
                start=date(2026, 1, 1),
                end=date(2026, 1, 2),
                slots=(),
            ),
            stamp=datetime(2026, 1, 1),
        )


def test_agenda_in_italian_and_english(forno: EditorialCalendar) -> None:
    italian = agenda_markdown(forno)
    assert italian.startswith("# Piano editoriale: Forno Aurora")
    assert "## Settimana dal 15 marzo 2027" in italian and "| Giorno | Ora | Canale |" in italian
    assert "Lunedì dell'Angelo (nessuna pubblicazione)" in italian  # Easter Monday 2027
    english = agenda_markdown(forno, locale="en")
    assert "## Week of 15 March 2027" in english and "| Day | Time | Channel |" in english
    rows = [line for line in italian.splitlines() if line.startswith("| ") and "Giorno" not in line]
    assert len(rows) == len(forno.slots)


def test_a_second_parser_ical_agrees(forno: EditorialCalendar) -> None:
    stream = pytest.importorskip(
        "ical.calendar_stream", reason="the optional 'ical' package is not installed"
    )
    parsed = stream.IcsCalendarStream.calendar_from_ics(to_ics(forno, stamp=STAMP).decode())
    events = {event.uid: event for event in parsed.events}
    assert len(events) == len(forno.slots)
    for slot in forno.slots:
        event = events[f"{slot.id}@smmkit"]
        assert event.dtstart.astimezone(UTC) == slot.utc
        assert event.dtstart.replace(tzinfo=None) == slot.start.replace(tzinfo=None)
        assert event.dtstamp == STAMP
