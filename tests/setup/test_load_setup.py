"""Setup files: both examples load; broken copies name the file, the key and the rule."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import smmkit
from smmkit.errors import SetupError, ValidationError
from smmkit.models import GrammaticalPerson, Platform
from smmkit.setup import Setup, load_setup, parse_setup

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
LARCH = ROOT / "examples" / "larch_and_loom.toml"


def test_forno_aurora_loads() -> None:
    setup = smmkit.load_setup(FORNO)
    assert isinstance(setup, Setup)
    assert setup.brand.name == "Forno Aurora"
    assert setup.brand.voice.person_for("it-IT") is GrammaticalPerson.TU
    assert [c.platform for c in setup.channels] == [
        Platform.INSTAGRAM,
        Platform.FACEBOOK,
        Platform.THREADS,
        Platform.MAILCHIMP,
    ]
    assert setup.campaign("panettone-2026").budget == smmkit.Money.of("1500", "EUR")
    assert setup.channel("instagram").credentials is not None
    assert setup.brand.country == "IT" and setup.brand.region == "BO"


def test_larch_and_loom_loads() -> None:
    setup = load_setup(LARCH)
    assert setup.brand.locale == "en-GB"
    assert setup.brand.voice.person_for(setup.brand.locale) is GrammaticalPerson.YOU
    assert {c.platform for c in setup.channels} >= {Platform.BLUESKY, Platform.MASTODON}


def test_json_setup_round_trip(tmp_path: Path) -> None:
    setup = load_setup(FORNO)
    path = tmp_path / "forno.json"
    path.write_text(setup.model_dump_json(indent=2), encoding="utf-8")
    again = load_setup(path)
    assert again.brand == setup.brand
    assert again.campaigns == setup.campaigns
    assert all(c.credentials is None for c in again.channels)  # never written to files
    assert "FORNO_AURORA_IG_TOKEN" not in path.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FORNO.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "forno_rotto.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "rule"),
    [
        ("share = 0.35", "share = 0.45", "brand.pillars", "must sum to 1"),
        (
            'timezone = "Europe/Rome"\ncountry',
            'timezone = "Europa/Roma"\ncountry',
            "brand.timezone",
            "unknown IANA time zone",
        ),
        (
            "posts_per_week = 5, min_spacing",
            "posts_per_week = 9, min_spacing",
            "channels[0].cadence",
            "cannot fit under daily_cap",
        ),
        (
            'register = "informal"',
            'register = "friendly"',
            "brand.voice.register",
            "Input should be 'formal' or 'informal'",
        ),
        (
            'channels = ["instagram", "facebook", "newsletter"]',
            'channels = ["instagram", "tiktok"]',
            "campaigns[0].channels[1]",
            "names channel 'tiktok'",
        ),
        (
            "start = 2026-12-01T00:00:00+01:00",
            "start = 2026-12-01T00:00:00",
            "campaigns[0].start",
            "timezone",
        ),
        (
            'handle = "@bolognaagolosa"',
            'handle = "@bolognaagolosa"\nfolowers = 3',
            "influencers[0].folowers",
            "Extra inputs are not permitted",
        ),
        (
            '[[channels]]\nkey = "threads"',
            '[[channels]]\nkey = "threads"\nplatform_x = 1',
            "channels[2].platform_x",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_broken_copy_names_file_key_and_rule(
    tmp_path: Path, old: str, new: str, key: str, rule: str
) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(SetupError) as info:
        load_setup(path)
    error = info.value
    assert isinstance(error, ValidationError) and isinstance(error, ValueError)
    assert error.file == str(path)
    assert error.key == key
    assert rule in error.rule
    message = str(error)
    assert str(path) in message and key in message and rule in message


def test_missing_key_has_no_value(tmp_path: Path) -> None:
    data = tomllib.loads(FORNO.read_text(encoding="utf-8"))
    del data["brand"]["timezone"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    with pytest.raises(SetupError) as info:
        load_setup(path)
    assert info.value.key == "brand.timezone"
    assert "Field required" in str(info.value) and "(got" not in str(info.value)


def test_toml_syntax_error(tmp_path: Path) -> None:
    path = broken(tmp_path, 'name = "Forno Aurora"', 'name = "Forno Aurora')
    with pytest.raises(SetupError, match=r"invalid TOML.*line 5") as info:
        load_setup(path)
    assert info.value.file == str(path)


def test_json_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"brand": {"name": "x",}}', encoding="utf-8")
    with pytest.raises(SetupError, match=r"line 1, column 24.*invalid JSON"):
        load_setup(path)


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="cannot read the file"):
        load_setup(tmp_path / "nope.toml")
    other = tmp_path / "setup.yaml"
    other.write_text("brand: {}", encoding="utf-8")
    with pytest.raises(SetupError, match=r"\.toml or \.json"):
        load_setup(other)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "caffè"'.encode("latin-1"))
    with pytest.raises(SetupError, match="UTF-8"):
        load_setup(path)


def test_several_problems_are_all_reported() -> None:
    data = tomllib.loads(FORNO.read_text(encoding="utf-8"))
    data["brand"]["timezone"] = "Mars/Olympus"
    data["channels"][1]["handle"] = "due parole"
    with pytest.raises(SetupError) as info:
        parse_setup(data, source="inline")
    text = str(info.value)
    assert "brand.timezone" in text and "channels[1].handle" in text and "1 more problem" in text
