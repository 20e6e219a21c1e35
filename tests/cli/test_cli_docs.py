"""The console examples of docs/cli.md run, in order, in an empty directory."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from smmkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _commands() -> list[tuple[list[str], int]]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    found = []
    for block in _BLOCK.findall(text):
        for line in block.splitlines():
            if not line.startswith("$ smmkit "):
                continue
            command, _, comment = line[2:].partition("#")
            expected = re.search(r"exit (\d+)", comment)
            args = shlex.split(command)[1:]
            args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
            found.append((args, int(expected.group(1)) if expected else 0))
    return found


def test_docs_console_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = _commands()
    assert len(commands) >= 10
    monkeypatch.chdir(tmp_path)
    for args, expected in commands:
        code = main(args)
        captured = capsys.readouterr()
        assert code == expected, f"smmkit {' '.join(args)} -> {code}\n{captured.out}{captured.err}"
    assert (tmp_path / "forno.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
