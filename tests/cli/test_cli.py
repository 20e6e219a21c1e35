"""The ``smmkit`` command line over a workspace: every command with ``--json``, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smmkit.cli import main
from smmkit.cli._app import EXIT_CODES
from smmkit.platforms.sandbox import ad_history
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
NOW = "2026-11-30T07:00:00+00:00"
LATER = "2026-12-20T07:00:00+00:00"
TOKEN = "tok_live_CLI-s3cr3t-9931"


def run_json(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> dict[str, Any]:
    assert main([*args, "--json"]) == code, capsys.readouterr()
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def ws_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "ws.db"
    data = run_json(capsys, "init", str(FORNO), "-w", str(path))
    assert data["brands"] == ["forno-aurora"]
    return path


def test_the_job_from_the_command_line(
    ws_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = ["-w", str(ws_path)]
    sandbox = ["--sandbox", str(tmp_path / "net.db")]
    assert run_json(capsys, "check", *w)["problems"] == []
    planned = run_json(capsys, "plan", "--start", "2026-11-30", "--weeks", "3", *w)
    assert planned["slots"] > 0
    drafted = run_json(capsys, "draft", "--now", NOW, *w)
    ids = [d["variant_id"] for d in drafted["drafted"]]
    assert ids
    approved = run_json(capsys, "approve", "--all", "--note", "ok", *w)
    assert sorted(approved["approved"]) == sorted(ids)
    scheduled = run_json(capsys, "schedule", "--now", NOW, *w)
    assert len(scheduled["scheduled"]) == len(ids)
    dry = run_json(capsys, "publish", "--dry-run", "--now", LATER, *sandbox, *w)
    assert len(dry["due"]) == len(ids)
    assert run_json(capsys, "status", *w)["outbox"] == {"pending": len(ids)}
    ran = run_json(capsys, "run", "--until-idle", "--now", LATER, *sandbox, *w)
    assert ran["published"] == len(ids)
    again = run_json(capsys, "run", "--until-idle", "--now", LATER, *sandbox, *w)
    assert again["published"] == 0
    status = run_json(capsys, "status", *w)
    assert status["published"] == len(ids)
    exported = run_json(capsys, "export", "ics", *w)
    assert str(exported["content"]).startswith("BEGIN:VCALENDAR")
    out = tmp_path / "cal.csv"
    assert run_json(capsys, "export", "csv", "--out", str(out), *w)["bytes"] == len(
        out.read_bytes()
    )
    assert run_json(capsys, "export", "json", *w)["format"] == "json"
    # metrics come back through the workspace (see the library); the report needs some
    with Workspace.open(ws_path) as ws:
        from smmkit.platforms.sandbox import SandboxNetwork

        net = SandboxNetwork(path=tmp_path / "net.db")
        ws.sandbox = net
        ws.collect_metrics()
        net.close()
        rows = [
            r
            for ch in ("facebook", "instagram")
            for r in ad_history([ch], weeks=40).for_channel(ch)
        ]
        ws.add_ad_metrics(rows)
    report = run_json(capsys, "report", *w)
    assert report["posts"] == len(ids)
    allocation = run_json(capsys, "allocate", "--budget", "3000 EUR", *w)
    assert allocation["total"] == "3000.00 EUR"
    assert {ln["name"] for ln in allocation["lines"]} == {"facebook", "instagram"}


def test_human_output_has_tables(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "-w", str(ws_path)]) == 0
    out = capsys.readouterr().out
    assert "forno-aurora" in out
    assert "items approved" in out


def test_refused_approval_exits_3_and_changes_nothing(
    ws_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = ["-w", str(ws_path)]
    run_json(capsys, "plan", "--start", "2026-11-30", *w)
    drafted = run_json(capsys, "draft", "--now", NOW, *w)
    first = drafted["drafted"][0]["variant_id"]
    run_json(capsys, "approve", str(first), *w)
    run_json(capsys, "schedule", "--now", NOW, *w)
    with Workspace.open(ws_path) as ws:
        before = ws.store.dump()
    error = run_json(capsys, "approve", str(first), *w, code=3)
    assert error["error"]["type"] == "TransitionError"
    assert error["exit_code"] == 3
    with Workspace.open(ws_path) as ws:
        assert ws.store.dump() == before


def test_bad_input_exit_codes(
    tmp_path: Path, ws_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        FORNO.read_text(encoding="utf-8").replace("share = 0.35", "share = 0.5"), encoding="utf-8"
    )
    error = run_json(capsys, "init", str(broken), "-w", str(tmp_path / "new.db"), code=2)
    assert "must sum to 1" in str(error["error"])
    assert not (tmp_path / "new.db").exists()  # checked before the workspace is created
    missing = run_json(capsys, "status", "-w", str(tmp_path / "nope.db"), code=2)
    assert "smmkit init" in str(missing["error"])
    assert not (tmp_path / "nope.db").exists()
    bad_now = run_json(capsys, "draft", "--now", "yesterday", "-w", str(ws_path), code=2)
    assert "--now" in str(bad_now["error"])
    naive = run_json(capsys, "draft", "--now", "2026-11-30T07:00", "-w", str(ws_path), code=2)
    assert "offset" in str(naive["error"])
    assert run_json(capsys, "export", "pdf", "-w", str(ws_path), code=2)["exit_code"] == 2
    usage = run_json(capsys, "plan", "-w", str(ws_path), code=2)  # --start is required
    assert "start" in str(usage["error"])
    check = run_json(capsys, "check", str(broken), code=2)
    assert "must sum to 1" in str(check["error"])


def test_check_writes_nothing(ws_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(ws_path) as ws:
        before = ws.store.dump()
    stamp = ws_path.stat().st_mtime_ns
    data = run_json(capsys, "check", str(FORNO), "-w", str(ws_path))
    assert data["setup"]["channels"] == 4
    with Workspace.open(ws_path) as ws:
        assert ws.store.dump() == before
    assert ws_path.stat().st_mtime_ns == stamp


def test_schema_and_check_setup(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "variant", "--json"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "mastodon" in schema["properties"]
    assert main(["schema", "nope"]) == 2
    data = run_json(capsys, "check-setup", str(FORNO))
    assert data["brand"] == "Forno Aurora"


def test_no_token_in_cli_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = tmp_path / "forno.toml"
    text = FORNO.read_text(encoding="utf-8")
    assert 'credentials = "env:' in text
    monkeypatch.setenv("SMMKIT_INSTAGRAM_TOKEN", TOKEN)
    setup.write_text(text.replace('credentials = "env:', f'credentials = "{TOKEN}" # "'), "utf-8")
    for args in (["init", str(setup), "-w", str(tmp_path / "t.db")], ["check", str(setup)]):
        for extra in ([], ["--json"]):
            main([*args, *extra])
            captured = capsys.readouterr()
            assert TOKEN not in captured.out + captured.err
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("t.db"))
    assert TOKEN.encode() not in raw


def test_exit_codes_are_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in text


def test_console_script_in_a_subprocess(ws_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "status", "-w", str(ws_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["brand"] == "forno-aurora"


def _leaf_commands() -> list[tuple[str, object]]:
    import typer

    from smmkit.cli._app import app

    found: list[tuple[str, object]] = []

    def walk(command: object, prefix: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                walk(sub, [*prefix, name])
        else:
            found.append((" ".join(prefix), command))

    walk(typer.main.get_command(app), [])
    return found


@pytest.mark.parametrize(("name", "command"), _leaf_commands(), ids=lambda v: str(v)[:30])
def test_every_command_takes_json(name: str, command: object) -> None:
    options = [opt for param in getattr(command, "params", []) for opt in param.opts]
    assert "--json" in options, f"smmkit {name} has no --json"


def test_a_newer_workspace_is_refused_with_exit_4(
    ws_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    with sqlite3.connect(ws_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = ws_path.read_bytes()
    error = run_json(capsys, "status", "-w", str(ws_path), code=4)
    assert "newer smmkit" in str(error["error"])
    assert run_json(capsys, "check", "-w", str(ws_path), code=4)["exit_code"] == 4
    assert ws_path.read_bytes() == before
