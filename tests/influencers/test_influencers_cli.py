"""``smmkit influencers`` and ``smmkit audit`` over a workspace, with --json and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smmkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"


def run_json(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> dict[str, Any]:
    assert main([*args, "--json"]) == code, capsys.readouterr()
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def w(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    path = tmp_path / "ws.db"
    run_json(capsys, "init", str(FORNO), "-w", str(path))
    return ["-w", str(path)]


def test_list_move_and_history(w: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    listed = run_json(capsys, "influencers", "list", *w)["influencers"]
    giulia = next(r for r in listed if r["handle"] == "bolognaagolosa")
    assert giulia["stage"] == "negotiating" and giulia["tier"] == "micro"
    refused = run_json(capsys, "influencers", "move", "@bolognaagolosa", "live", *w, code=3)
    assert refused["error"]["allowed"] == ["contracted", "closed"]
    moved = run_json(
        capsys,
        "influencers",
        "move",
        "bolognaagolosa",
        "contracted",
        "--note",
        "firmato",
        "--now",
        "2026-12-01T10:00:00+01:00",
        *w,
    )
    assert (moved["from"], moved["to"]) == ("negotiating", "contracted")
    moved = run_json(
        capsys,
        "influencers",
        "move",
        "bolognaagolosa",
        "content in review",
        "--now",
        "2026-12-05T10:00:00+01:00",
        *w,
    )
    history = moved["history"]
    assert [h["to"] for h in history] == ["contracted", "content_in_review"]
    assert history[0]["note"] == "firmato"
    listed = run_json(capsys, "influencers", "list", *w)["influencers"]
    giulia = next(r for r in listed if r["handle"] == "bolognaagolosa")
    assert giulia["stage"] == "content_in_review"
    assert giulia["last_move"] == "2026-12-05T10:00:00+01:00"
    # earlier than the last recorded move: refused, nothing written
    run_json(
        capsys,
        "influencers",
        "move",
        "bolognaagolosa",
        "live",
        "--now",
        "2026-12-02T10:00:00+01:00",
        *w,
        code=2,
    )
    # no fee agreed for sfoglinadelcentro's (absent) deliverables: no contract
    run_json(capsys, "influencers", "move", "sfoglinadelcentro", "negotiating", *w)
    error = run_json(capsys, "influencers", "move", "sfoglinadelcentro", "contracted", *w, code=2)
    assert "a contract needs a fee and deliverables" in error["error"]["message"]
    run_json(capsys, "influencers", "move", "nobody", "contacted", *w, code=2)


def test_score_and_brief(w: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scored = run_json(capsys, "influencers", "score", "--sandbox-creators", "150", *w)
    rows = scored["creators"]
    assert len(rows) == 150 and scored["flagged"] > 0
    assert rows[0]["suspicious"] is False and rows[0]["brand_safe"] is True
    csv_file = tmp_path / "creators.csv"
    csv_file.write_text("handle;platform;followers\n@a;instagram;1.200\n", encoding="utf-8")
    from_csv = run_json(capsys, "influencers", "score", "--csv", str(csv_file), *w)
    assert from_csv["creators"][0]["handle"] == "a"
    csv_file.write_text("handle;platform;followers\n@a;instagram;lots\n", encoding="utf-8")
    bad = run_json(capsys, "influencers", "score", "--csv", str(csv_file), *w, code=2)
    assert "row 2, column 'followers'" in bad["error"]["message"]
    out = tmp_path / "brief.md"
    made = run_json(
        capsys,
        "influencers",
        "brief",
        "bolognaagolosa",
        "--link",
        "https://www.fornoaurora.it/panettone",
        "--out",
        str(out),
        *w,
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Ciao Giulia Ferri,") and "utm_content=bolognaagolosa" in text
    assert made["brief"]["promo_code"] in text
    run_json(capsys, "influencers", "brief", "bolognaagolosa", "--link", "javascript:x", *w, code=2)


def test_audit_command(w: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "owner,platform,handle,followers_start,followers_end,mentions\n"
        "Panificio Due Torri,instagram,panificioduetorri,6000,6100,12\n",
        encoding="utf-8",
    )
    result = run_json(
        capsys,
        "audit",
        "--accounts",
        str(accounts),
        "--now",
        "2026-12-01T10:00:00+01:00",
        "--capacity",
        "10",
        *w,
    )
    rows = result["audit"]["channels"]
    due = next(
        r for r in rows if r["owner"] == "Panificio Due Torri" and r["platform"] == "instagram"
    )
    assert due["readable"] and due["growth"]["value"] == pytest.approx(100 / 6000)
    vitale = [r for r in rows if r["owner"] == "Forno San Vitale"]
    assert vitale and all(not r["readable"] for r in vitale)
    assert result["channels"]["used"] <= 10
    run_json(capsys, "audit", "--posts", str(accounts), *w, code=2)
    run_json(capsys, "audit", "--days", "0", *w, code=2)
    assert main(["audit", *w]) == 0
    assert "Where to be" in capsys.readouterr().out


def test_import_creators(w: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "creators.csv"
    good.write_text(
        "handle;platform;followers;engagement_rate;stage;notes\n"
        "@bolognaagolosa;instagram;51.000;4,1%;;x\n"
        "@pastamadre;instagram;12.400;3,2%;contacted;y\n",
        encoding="utf-8",
    )
    done = run_json(capsys, "influencers", "import", str(good), *w)
    assert (done["added"], done["updated"], done["ignored_columns"]) == (1, 1, ["notes"])
    rows = {r["handle"]: r for r in run_json(capsys, "influencers", "list", *w)["influencers"]}
    assert rows["bolognaagolosa"]["followers"] == 51_000
    assert rows["bolognaagolosa"]["stage"] == "negotiating"  # kept: the file gave no stage
    assert rows["pastamadre"]["stage"] == "contacted" and rows["pastamadre"]["tier"] == "micro"
    bad = tmp_path / "bad.csv"
    bad.write_text("handle,platform,followers\n@nuovo,instagram,100\n@x,instagram,lots\n", "utf-8")
    error = run_json(capsys, "influencers", "import", str(bad), *w, code=2)
    assert "row 3, column 'followers'" in error["error"]["message"]
    handles = [r["handle"] for r in run_json(capsys, "influencers", "list", *w)["influencers"]]
    assert "nuovo" not in handles  # nothing written
