"""Secrets never leak; the console script runs the demo."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from smmkit.cli import main
from smmkit.models import Cadence, Channel
from smmkit.setup import load_setup

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "tok_live_5up3r-s3cr3t"


def test_credentials_never_in_repr_str_json_dump_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    # The token as a plain string, as a settings file gives it (typed SecretStr in Python).
    channel = Channel.model_validate(
        {
            "key": "ig",
            "platform": "instagram",
            "handle": "forno",
            "timezone": "Europe/Rome",
            "cadence": Cadence(posts_per_week=3),
            "credentials": TOKEN,
        }
    )
    assert channel.credentials is not None
    assert channel.credentials.get_secret_value() == TOKEN
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("smmkit.test").info("channel %r %s", channel, channel)
    texts = [
        repr(channel),
        str(channel),
        channel.model_dump_json(),
        str(channel.model_dump()),
        str(channel.model_dump(mode="json")),
        caplog.text,
    ]
    for text in texts:
        assert TOKEN not in text


def test_demo_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Forno Aurora" in out
    assert "1. The setup" in out
    assert "env:FORNO" not in out  # the credentials reference is not printed


def test_demo_on_english_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup = ROOT / "examples" / "larch_and_loom.toml"
    assert main(["demo", "--setup", str(setup), "--out", str(tmp_path)]) == 0
    assert "Larch & Loom" in capsys.readouterr().out


def test_check_setup_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (ROOT / "examples" / "forno_aurora.toml")
        .read_text(encoding="utf-8")
        .replace("share = 0.35", "share = 0.5"),
        encoding="utf-8",
    )
    assert main(["check-setup", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "brand.pillars" in err and "must sum to 1" in err and str(bad) in err
    assert main(["check-setup", str(ROOT / "examples" / "forno_aurora.toml")]) == 0


def test_console_script_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    from smmkit import __version__

    assert out.stdout.strip() == f"smmkit {__version__}"
    assert load_setup(ROOT / "examples" / "forno_aurora.toml").brand.name == "Forno Aurora"
