"""The demo's report section writes the Italian report and the calendar for approval."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from smmkit._demo import run_demo
from smmkit.reports import find_chromium

from ._leaks import english_leaks


def test_demo_writes_italian_report_and_calendar(tmp_path: Path) -> None:
    out = io.StringIO()
    wanted = {"section_30_plan", "section_70_report"}
    run_demo(out_dir=tmp_path, stream=out, only=lambda name: name in wanted)
    text = out.getvalue()
    assert "Report for 2026-11 in it-IT" in text
    page = (tmp_path / "report-2026-11.html").read_text(encoding="utf-8")
    assert '<html lang="it-IT">' in page and english_leaks(page) == []
    assert english_leaks((tmp_path / "report-2026-11.md").read_text(encoding="utf-8")) == []
    csv_bytes = (tmp_path / "calendar.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbfData;Giorno;Ora;Canale")
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    wb = openpyxl.load_workbook(tmp_path / "calendar.xlsx")
    assert wb.sheetnames == ["novembre 2026", "dicembre 2026"]
    if find_chromium() is not None:
        assert (tmp_path / "report-2026-11.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert "PDF skipped" in text


def test_demo_on_the_english_example_writes_english(tmp_path: Path) -> None:
    from smmkit._demo import example_path

    from ._leaks import italian_leaks

    out = io.StringIO()
    wanted = {"section_30_plan", "section_70_report"}
    run_demo(
        example_path("larch_and_loom.toml"),
        out_dir=tmp_path,
        stream=out,
        only=lambda name: name in wanted,
    )
    reports = sorted(tmp_path.glob("report-*.md"))
    assert reports, out.getvalue()
    md = reports[0].read_text(encoding="utf-8")
    assert md.startswith("# Monthly report: Larch") and italian_leaks(md) == []
    header = (tmp_path / "calendar.csv").read_bytes()[:40]
    assert header.startswith(b"\xef\xbb\xbfDate,Day,Time,Channel")
