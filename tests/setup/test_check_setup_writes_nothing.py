"""`smmkit check-setup` only reads: no smmkit-demo-output/ (or anything else) appears."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkit.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_check_setup_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check-setup", str(ROOT / "examples" / "forno_aurora.toml"), *extra]) == 0
    assert "Forno Aurora" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
