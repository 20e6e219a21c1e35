"""Enum-typed fields take their documented strings under ``mypy --strict`` (users' code)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import get_args

import pytest

from smmkit.models import (
    ContentFormat,
    ContentFormatName,
    ContentStatus,
    ContentStatusName,
    MediaKind,
    MediaKindName,
    Platform,
    PlatformName,
)

HERE = Path(__file__).parent / "typecheck"
PLUGIN_CONFIG = "[mypy]\nplugins = pydantic.mypy\n[pydantic-mypy]\ninit_typed = True\n"


@pytest.mark.parametrize(
    ("names", "enum"),
    [
        (PlatformName, Platform),
        (ContentFormatName, ContentFormat),
        (ContentStatusName, ContentStatus),
        (MediaKindName, MediaKind),
    ],
)
def test_literal_names_match_the_enums(names: object, enum: type[Enum]) -> None:
    assert set(get_args(names)) == {member.value for member in enum}


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module's runs (smmkit and pydantic are analysed once)."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(
    tmp_path: Path, cache: Path, target: str, *, plugin: bool
) -> subprocess.CompletedProcess[str]:
    if shutil.which("mypy", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mypy is not installed in this environment (dev extra)")
    config = tmp_path / "mypy.ini"
    config.write_text(PLUGIN_CONFIG if plugin else "[mypy]\n", encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(config),
            "--cache-dir",
            str(cache / ("plugin" if plugin else "plain")),
            str(HERE / target),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("plugin", [False, True], ids=["plain", "pydantic-plugin"])
def test_users_code_type_checks(tmp_path: Path, mypy_cache: Path, plugin: bool) -> None:
    result = _mypy(tmp_path, mypy_cache, "user_code.py", plugin=plugin)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_wrong_strings_are_caught(tmp_path: Path, mypy_cache: Path) -> None:
    result = _mypy(tmp_path, mypy_cache, "user_code_wrong.py", plugin=False)
    assert result.returncode == 1
    assert "myspace" in result.stdout
    assert "tweet" in result.stdout
