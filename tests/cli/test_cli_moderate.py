"""``smmkit moderate``: a dry run by default (tables or JSON), ``--apply`` acts once."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workspace"))

from _moderation_world import LATER, fill_inbox, network, open_workspace

from smmkit.cli import main


def test_moderate_dry_run_then_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox, workspace = tmp_path / "sandbox.db", tmp_path / "ws.db"
    net = network(sandbox, posts=8)
    ws = open_workspace(workspace, net)
    fill_inbox(ws, net)
    ws.close()
    net.close()
    common = ["--now", LATER.isoformat(), "--sandbox", str(sandbox), "-w", str(workspace)]

    assert main(["moderate", *common]) == 0
    text = capsys.readouterr().out
    assert "(dry run: nothing was changed)" in text
    assert re.search(r"escalate would_do [1-9]", text)

    assert main(["moderate", "--apply", *common, "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["dry_run"] is False
    assert applied["actions"] and {a["outcome"] for a in applied["actions"]} == {"done"}

    assert main(["moderate", "--apply", *common, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert {a["outcome"] for a in again["actions"]} <= {"already_done"}

    assert main(["moderate", "--channel", "nope", *common, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["actions"] == []
