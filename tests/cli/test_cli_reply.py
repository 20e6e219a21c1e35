"""``smmkit reply``: checked first (refused with the findings, exit 3), sent once; and ``smmkit
status`` shows the response times."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workspace"))

from _moderation_world import LATER, fill_inbox, labels, network, open_workspace

from smmkit.cli import main


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path, str]:
    """(workspace file, sandbox file, the key of a question in the inbox)."""
    sandbox, target = tmp_path / "sandbox.db", tmp_path / "ws.db"
    net = network(sandbox, posts=4)
    ws = open_workspace(target, net)
    fill_inbox(ws, net)
    truth = labels(net)
    with ws.store.read() as tx:
        keys = [m.key for m in tx.messages(ws.brand_id()) if not m.message.from_brand]
    key = next(k for k in keys if truth.get(k.split(":", 1)[1]) == "question")
    ws.close()
    net.close()
    return target, sandbox, key


def _run(
    capsys: pytest.CaptureFixture[str], world: tuple[Path, Path, str], *args: str
) -> tuple[int, dict[str, Any]]:
    target, sandbox, _ = world
    code = main(
        [*args, "-w", str(target), "--sandbox", str(sandbox), "--now", LATER.isoformat(), "--json"]
    )
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_reply_sends_once(
    world: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    key = world[2]
    code, dry = _run(capsys, world, "reply", key, "--saved", "opening-hours", "--dry-run")
    assert code == 0 and dry["outcome"] == "would_do"
    code, sent = _run(capsys, world, "reply", key, "--saved", "opening-hours", "--by", "marta")
    assert code == 0 and sent["outcome"] == "done"
    assert sent["reply_text"].startswith("Ciao ")
    code, again = _run(capsys, world, "reply", key, "--saved", "opening-hours")
    assert code == 0 and again["outcome"] == "already_done"
    assert again["action_id"] == sent["action_id"]


def test_a_refused_reply_lists_the_findings(
    world: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    key = world[2]
    code, error = _run(capsys, world, "reply", key, "La ringraziamo, La aspettiamo.")
    assert code == 3
    assert error["error"]["type"] == "ReplyRefused"
    assert [f["rule"] for f in error["error"]["findings"]] == ["register", "register"]
    code, error = _run(capsys, world, "reply", key)
    assert code == 2 and "either a text" in error["error"]["message"]
    code, error = _run(capsys, world, "reply", key, "--saved", "thanks", "--value", "oops")
    assert code == 2 and "NAME=VALUE" in error["error"]["message"]


def test_status_shows_response_times(
    world: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    key = world[2]
    _run(capsys, world, "reply", key, "Ciao! Ti scriviamo in privato.")
    target = world[0]
    code = main(["status", "-w", str(target), "--now", LATER.isoformat(), "--json"])
    status = json.loads(capsys.readouterr().out)
    assert code == 0
    responses = status["responses"]
    total = responses["total"]
    assert total["answered"] >= 1 and total["received"] > total["answered"]
    assert set(total["backlog_by_age"]) == {"<1h", "1-4h", "4-24h", "1-3d", ">3d"}
    assert main(["status", "-w", str(target), "--now", LATER.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "responses (last 30 days" in out and ">3d:" in out
