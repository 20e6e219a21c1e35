"""The demo section of the planner runs alone, offline, and leaves its calendar and .ics."""

from __future__ import annotations

import io
from pathlib import Path

import vobject

from smmkit._demo import run_demo
from smmkit.planner import EditorialCalendar


def test_demo_section_40(tmp_path: Path) -> None:
    out = io.StringIO()
    ctx = run_demo(out_dir=tmp_path, stream=out, only=lambda name: name == "section_40_plan")
    text = out.getvalue()
    assert "4. The editorial calendar" in text
    assert "## Settimana dal 7 dicembre 2026" in text
    assert "Immacolata Concezione (nessuna pubblicazione)" in text
    calendar = ctx.shared["calendar"]
    assert isinstance(calendar, EditorialCalendar)
    assert {s.channel for s in calendar.slots} == {"instagram", "facebook", "threads", "newsletter"}
    ics = (tmp_path / "forno-aurora.ics").read_bytes()
    events = vobject.readOne(ics.decode()).vevent_list
    assert len(events) == len(calendar.slots)
    again = io.StringIO()
    run_demo(out_dir=tmp_path, stream=again, only=lambda name: name == "section_40_plan")
    assert again.getvalue().replace(str(tmp_path), "") == text.replace(str(tmp_path), "")
    assert (tmp_path / "forno-aurora.ics").read_bytes() == ics
