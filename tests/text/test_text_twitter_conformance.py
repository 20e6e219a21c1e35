"""twitter-text's conformance suite, every case its own test id.

The YAML files live in ../shared/conformance/twitter-text/ (not shipped); their indices are UTF-16
code units, converted here to the Python code-point indices smmkit.text uses. Every section of
each file is run: a section this harness does not know fails, so none is silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from smmkit import text as t

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SUITE = SHARED / "conformance" / "twitter-text"


def _load(name: str) -> list[Any]:
    path = SUITE / name
    if not path.exists():
        return [
            pytest.param(
                None,
                None,
                marks=pytest.mark.skip(reason=f"../shared/{path.relative_to(SHARED)} absent"),
            )
        ]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]
    params = []
    for section, cases in data.items():
        for number, case in enumerate(cases):
            case_id = f"{section}-{number:03d}-{case['description'][:60]}"
            params.append(pytest.param(section, case, id=case_id))
    return params


def _cp(text: str, utf16_index: int) -> int:
    return t.utf16_to_codepoint(text, utf16_index)


def _indices(text: str, pair: list[int]) -> tuple[int, int]:
    return (_cp(text, pair[0]), _cp(text, pair[1]))


# ---------------------------------------------------------------------------------------------
# extract.yml
# ---------------------------------------------------------------------------------------------
def _mentions_with_indices(text: str, expected: Any) -> None:
    got = [(e.value, (e.start, e.end)) for e in t.extract_mentions_with_indices(text)]
    want = [(x["screen_name"], _indices(text, x["indices"])) for x in expected]
    assert got == want


def _mentions_or_lists(text: str, expected: Any) -> None:
    got = [
        (e.value, e.list_slug or "", (e.start, e.end))
        for e in t.extract_mentions_or_lists_with_indices(text)
    ]
    want = [(x["screen_name"], x["list_slug"], _indices(text, x["indices"])) for x in expected]
    assert got == want
    for entity in t.extract_mentions_or_lists_with_indices(text):
        assert entity.kind == ("list" if entity.list_slug else "mention")


def _urls_with_indices(text: str, expected: Any) -> None:
    got = [(e.value, (e.start, e.end)) for e in t.extract_urls_with_indices(text)]
    want = [(x["url"], _indices(text, x["indices"])) for x in expected]
    assert got == want
    for entity in t.extract_urls_with_indices(text):
        assert text[entity.start : entity.end] == entity.value


def _hashtags_with_indices(text: str, expected: Any) -> None:
    got = [(e.value, (e.start, e.end)) for e in t.extract_hashtags_with_indices(text)]
    want = [(x["hashtag"], _indices(text, x["indices"])) for x in expected]
    assert got == want


def _cashtags_with_indices(text: str, expected: Any) -> None:
    got = [(e.value, (e.start, e.end)) for e in t.extract_cashtags_with_indices(text)]
    want = [(x["cashtag"], _indices(text, x["indices"])) for x in expected]
    assert got == want


def _equal(function: Callable[[str], Any]) -> Callable[[str, Any], None]:
    def check(text: str, expected: Any) -> None:
        assert function(text) == expected

    return check


EXTRACT: dict[str, Callable[[str, Any], None]] = {
    "mentions": _equal(t.extract_mentions),
    "mentions_with_indices": _mentions_with_indices,
    "mentions_or_lists_with_indices": _mentions_or_lists,
    "replies": _equal(t.extract_reply_username),
    "urls": _equal(t.extract_urls),
    "urls_with_indices": _urls_with_indices,
    "urls_with_directional_markers": _urls_with_indices,
    "tco_urls_with_params": _equal(t.extract_urls),
    "hashtags": _equal(t.extract_hashtags),
    "hashtags_from_astral": _equal(t.extract_hashtags),
    "hashtags_with_indices": _hashtags_with_indices,
    "cashtags": _equal(t.extract_cashtags),
    "cashtags_with_indices": _cashtags_with_indices,
}


@pytest.mark.parametrize(("section", "case"), _load("extract.yml"))
def test_extract_yml(section: str, case: dict[str, Any]) -> None:
    assert section in EXTRACT, f"extract.yml section {section!r} has no checker"
    EXTRACT[section](case["text"], case["expected"])


# ---------------------------------------------------------------------------------------------
# validate.yml
# ---------------------------------------------------------------------------------------------
def _counter(config: str) -> Callable[[str, Any], None]:
    def check(text: str, expected: Any) -> None:
        result = t.parse_x(text, config)
        got = {
            "weightedLength": result.weighted_length,
            "valid": result.valid,
            "permillage": result.permillage,
            "displayRange": result.display_range,
            "validRange": result.valid_range,
        }
        want = {
            "weightedLength": expected["weightedLength"],
            "valid": expected["valid"],
            "permillage": expected["permillage"],
            "displayRange": (
                _cp(text, expected["displayRangeStart"]),
                _cp(text, expected["displayRangeEnd"]),
            ),
            "validRange": (
                _cp(text, expected["validRangeStart"]),
                _cp(text, expected["validRangeEnd"]),
            ),
        }
        assert got == want

    return check


VALIDATE: dict[str, Callable[[str, Any], None]] = {
    # js/test: isValidTweetText with the legacy 140-character config.
    "tweets": _equal(lambda text: t.parse_x(text, "v1").valid),
    "usernames": _equal(t.is_valid_username),
    "lists": _equal(t.is_valid_list),
    "hashtags": _equal(t.is_valid_hashtag),
    "urls": _equal(t.is_valid_url),
    "urls_without_protocol": _equal(lambda text: t.is_valid_url(text, require_protocol=False)),
    "WeightedTweetsCounterTest": _counter("v2"),
    "WeightedTweetsWithDiscountedEmojiCounterTest": _counter("v3"),
    "UnicodeDirectionalMarkerCounterTest": _counter("v3"),
}


@pytest.mark.parametrize(("section", "case"), _load("validate.yml"))
def test_validate_yml(section: str, case: dict[str, Any]) -> None:
    assert section in VALIDATE, f"validate.yml section {section!r} has no checker"
    VALIDATE[section](case["text"], case["expected"])


# ---------------------------------------------------------------------------------------------
# tlds.yml: every TLD twitter-text knows is found in a URL.
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("section", "case"), _load("tlds.yml"))
def test_tlds_yml(section: str, case: dict[str, Any]) -> None:
    assert section in {"country", "generic"}
    assert t.extract_urls(case["text"]) == case["expected"]
