"""The demo's calendar section runs alone, offline, and leaves its calendar (in the workspace)
and .ics."""

from __future__ import annotations

import io
from pathlib import Path

import vobject

from smmkit._demo import run_demo
from smmkit.planner import EditorialCalendar
from smmkit.workspace import Workspace


def _section(tmp_path: Path, name: str) -> tuple[str, bytes]:
    out = io.StringIO()
    run_demo(
        out_dir=tmp_path / name,
        stream=out,
        only=lambda section: section == "section_30_plan",
        workspace=tmp_path / f"{name}.db",
    )
    text = out.getvalue().replace(str(tmp_path / name), "OUT")
    return text, (tmp_path / name / "forno-aurora.ics").read_bytes()


def test_demo_calendar_section(tmp_path: Path) -> None:
    text, ics = _section(tmp_path, "first")
    assert "3. The editorial calendar" in text
    assert "## Settimana dal 7 dicembre 2026" in text
    assert "Immacolata Concezione (nessuna pubblicazione)" in text
    with Workspace.open(tmp_path / "first.db") as ws:
        calendar = ws.calendar()
    assert isinstance(calendar, EditorialCalendar)
    assert {s.channel for s in calendar.slots} == {"instagram", "facebook", "threads", "newsletter"}
    events = vobject.readOne(ics.decode()).vevent_list
    assert len(events) == len(calendar.slots)
    again, ics_again = _section(tmp_path, "second")  # a new workspace: the same plan
    assert again == text
    assert ics_again == ics
