"""``smmkit inbox`` over a workspace and a sandbox network: pull, list with filters, a thread,
``--json``; and ``smmkit run --inbox-every``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smmkit.cli import main
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
NOW = "2026-11-06T08:00:00+00:00"


def run_json(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> dict[str, Any]:
    assert main([*args, "--json"]) == code, capsys.readouterr()
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], list[str]]:
    ws = tmp_path / "ws.db"
    net = tmp_path / "net.db"
    run_json(capsys, "init", str(FORNO), "-w", str(ws))
    network = SandboxNetwork(path=net, start=START, mentions_per_day=8)
    for key in ("instagram", "facebook"):
        network.add_channel(sandbox_channel(key, key))
        for day in range(3):
            network.create_post(key, text=f"Post {day}", publish_key=f"{key}-cli-{day:04d}")
    network.close()
    return ["-w", str(ws)], ["--sandbox", str(net)]


def test_inbox_pulls_lists_filters_and_shows_a_thread(
    paths: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    w, sandbox = paths
    first = run_json(capsys, "inbox", "--sync", "--now", NOW, "--limit", "1000", *sandbox, *w)
    synced = first["sync"]
    assert synced["brand"] == "forno-aurora"
    new = sum(c["new"] for c in synced["channels"])
    assert new == len(first["messages"]) > 10
    newest = first["messages"][0]
    assert newest["created_at"] >= first["messages"][-1]["created_at"]
    assert {"key", "category", "cues", "language", "read", "thread_id"} <= set(newest)

    again = run_json(capsys, "inbox", "--sync", "--now", NOW, *sandbox, *w)
    assert sum(c["new"] for c in again["sync"]["channels"]) == 0
    assert sum(c["requests"] for c in again["sync"]["channels"]) == 4  # one "since" per channel

    only = run_json(capsys, "inbox", "--channel", "facebook", "--state", "unread", *w)
    assert only["messages"] and {m["channel"] for m in only["messages"]} == {"facebook"}
    spam = run_json(capsys, "inbox", "--category", "spam", "--limit", "1000", *w)
    assert all(m["category"] == "spam" for m in spam["messages"])
    comment = next(m for m in first["messages"] if m["kind"] == "comment")
    thread = run_json(capsys, "inbox", "--thread", comment["key"], *w)
    assert comment["key"] in [m["key"] for m in thread["messages"]]
    assert {m["thread_id"] for m in thread["messages"]} == {comment["thread_id"]}

    bad = run_json(capsys, "inbox", "--state", "pending", *w, code=2)
    assert "state" in json.dumps(bad)
    missing = run_json(capsys, "inbox", "--thread", "instagram:nope", *w, code=2)
    assert "not a message" in json.dumps(missing)


def test_the_table_view_and_the_runner_job(
    paths: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    w, sandbox = paths
    later = (datetime.fromisoformat(NOW) + timedelta(hours=1)).isoformat()
    ran = run_json(
        capsys, "run", "--until-idle", "--inbox-every", "5", "--now", later, *sandbox, *w
    )
    assert ran["inbox_syncs"] == 1 and ran["inbox_new"] > 0
    assert main(["inbox", "--limit", "5", *w]) == 0
    out = capsys.readouterr().out
    assert "inbox" in out and "category" in out
