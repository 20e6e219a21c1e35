"""`smmkit report --month` and `smmkit export calendar` over a workspace."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from smmkit.cli import main
from smmkit.reports import find_chromium
from smmkit.reports._sample import sample_inputs
from smmkit.workspace import Workspace

from ._leaks import english_leaks

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
NOW = "2026-12-20T09:00:00+00:00"


def run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> dict[str, object]:
    assert main([*args, "--json"]) == code, capsys.readouterr()
    out = capsys.readouterr().out
    data = json.loads(out.strip().splitlines()[-1])
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "ws.db"
    assert main(["init", str(FORNO), "-w", str(path), "--json"]) == 0
    assert main(["plan", "--start", "2026-11-30", "--weeks", "5", "-w", str(path), "--json"]) == 0
    assert main(["draft", "--now", "2026-11-30T07:00:00+00:00", "-w", str(path), "--json"]) == 0
    with Workspace.open(path) as ws:
        brand_id = ws.brand_id()
        data = sample_inputs(
            ws.setup().brand,
            "2026-12",
            channels={c.key: c.platform for c in ws.setup().channels if c.key != "newsletter"},
            days=90,
            until=date(2026, 12, 19),
        )
        ws.add_post_metrics(data.posts)
        ws.add_ad_metrics(data.ads)
        with ws.store.transaction(actor="test") as tx:
            for row in data.accounts:
                tx.add_account_metrics(brand_id, row)
    return path


def test_report_month_in_italian(
    ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    w = ["-w", str(ws_path), "--now", NOW]
    got = run(capsys, "report", "--month", "2026-12", "--format", "html", "--out", str(out), *w)
    assert got["locale"] == "it-IT" and got["posts"] == 93
    sections = got["sections"]
    assert isinstance(sections, dict) and sections["growth"] == 3 and sections["paid"] is True
    page = out.read_text(encoding="utf-8")
    assert '<html lang="it-IT">' in page and "Report mensile: Forno Aurora" in page
    assert english_leaks(page) == []
    # Markdown on stdout, English on request; the human message is in the report's language
    assert main(["report", "--month", "2026-12", "--locale", "en-GB", *w]) == 0
    assert "# Monthly report: Forno Aurora" in capsys.readouterr().out
    md = tmp_path / "r.md"
    assert main(["report", "--month", "2026-12", "--format", "md", "--out", str(md), *w]) == 0
    assert "Report mensile di dicembre 2026 scritto in" in capsys.readouterr().out


def test_report_month_pdf(
    ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if find_chromium() is None:
        pytest.skip("chromium is not installed (CI installs it with .ci/install-chromium)")
    out = tmp_path / "report.pdf"
    w = ["-w", str(ws_path), "--now", NOW]
    got = run(
        capsys,
        "report",
        "--month",
        "2026-12",
        "--format",
        "pdf",
        "--locale",
        "it-IT",
        "--out",
        str(out),
        *w,
    )
    assert out.read_bytes().startswith(b"%PDF") and got["bytes"] == out.stat().st_size


def test_report_bad_input_exits_2(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = ["-w", str(ws_path)]
    assert run(capsys, "report", "--month", "2026-13", *w, code=2)["exit_code"] == 2
    assert (
        run(capsys, "report", "--month", "2026-12", "--format", "pdf", *w, code=2)["exit_code"] == 2
    )
    assert (
        run(capsys, "report", "--month", "2026-12", "--locale", "xx!", *w, code=2)["exit_code"] == 2
    )
    assert run(capsys, "report", "--locale", "xx!", *w, code=2)["exit_code"] == 2


def test_export_calendar_formats(
    ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    w = ["-w", str(ws_path)]
    xlsx = tmp_path / "cal.xlsx"
    got = run(capsys, "export", "calendar", "--format", "xlsx", "--out", str(xlsx), *w)
    assert got["locale"] == "it-IT"
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[0] == "novembre 2026" and wb.worksheets[0].freeze_panes == "A2"
    with Workspace.open(ws_path) as ws:
        slots = ws.calendar().slots
        texts = {v.item_id: v.text for v in ws.variants() if v.item_id}
    rows = [r for sheet in wb.worksheets for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(slots)
    with_text = [s for s in slots if s.item_id in texts]
    assert with_text and sum(1 for r in rows if r[7]) >= len(with_text)
    csv_out = tmp_path / "cal.csv"
    run(capsys, "export", "calendar", "--format", "csv", "--out", str(csv_out), *w)
    data = csv_out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Data", "Giorno", "Ora"] and len(table) == len(slots) + 1
    ics = run(capsys, "export", "calendar", "--format", "ics", *w)
    assert str(ics["content"]).startswith("BEGIN:VCALENDAR")
    assert run(capsys, "export", "calendar", "--format", "xlsx", *w, code=2)["exit_code"] == 2
    assert run(capsys, "export", "calendar", "--format", "pdf", *w, code=2)["exit_code"] == 2
    assert run(capsys, "export", "ics", "--format", "xlsx", *w, code=2)["exit_code"] == 2


def test_pdf_without_a_browser_exits_1_and_writes_nothing(
    ws_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from smmkit.reports import CHROMIUM_ENV

    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-browser"))
    out = tmp_path / "report.pdf"
    w = ["-w", str(ws_path), "--now", NOW]
    got = run(
        capsys, "report", "--month", "2026-12", "--format", "pdf", "--out", str(out), *w, code=1
    )
    assert "Chromium" in json.dumps(got) and not out.exists()
