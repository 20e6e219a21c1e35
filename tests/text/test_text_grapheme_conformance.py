"""Unicode's GraphemeBreakTest.txt (UAX #29), every line its own test id.

The file in ../shared/ is the Unicode 15.0 edition; smmkit.text segments with the ``regex``
module, whose data may be newer. A line whose expected split changed because of a newer Unicode
version is listed in UNICODE_VERSION_CHANGES with the reason, and is checked against the split the
newer rules give (and against the property change that causes it), so it still cannot pass by
accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import regex

from smmkit.text import grapheme_count, graphemes

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
TEST_FILE = SHARED / "conformance" / "unicode" / "GraphemeBreakTest.txt"

# line text (before the comment) -> (the split under the regex module's Unicode data, reason)
UNICODE_VERSION_CHANGES: dict[str, tuple[list[str], str]] = {
    "÷ 2701 × 200D × 2701 ÷": (
        ["\u2701\u200d", "\u2701"],
        "Unicode 17.0 removed Extended_Pictographic from the 672 characters without the Emoji "
        "property (UTC consensus 182-C20, unicode-org/unicodetools PR #1019), U+2701 UPPER BLADE "
        "SCISSORS among them, so GB11 no longer joins U+2701 ZWJ U+2701; the regex module has "
        "Unicode 17 data, the test file is Unicode 15.0.",
    ),
}


def _cases() -> list[Any]:
    if not TEST_FILE.exists():
        return [pytest.param("", [], marks=pytest.mark.skip(reason=f"{TEST_FILE} absent"))]
    params = []
    for number, line in enumerate(TEST_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        clusters: list[str] = []
        current = ""
        for token in body.split():
            if token == "÷":
                if current:
                    clusters.append(current)
                current = ""
            elif token != "×":
                current += chr(int(token, 16))
        params.append(pytest.param(body, clusters, id=f"line{number:03d}"))
    return params


@pytest.mark.parametrize(("body", "clusters"), _cases())
def test_grapheme_break_line(body: str, clusters: list[str]) -> None:
    text = "".join(clusters)
    if body in UNICODE_VERSION_CHANGES:
        newer, _reason = UNICODE_VERSION_CHANGES[body]
        assert regex.match(r"\p{Extended_Pictographic}", "\u2701") is None
        assert graphemes(text) == newer
        assert grapheme_count(text) == len(newer)
        return
    assert graphemes(text) == clusters
    assert grapheme_count(text) == len(clusters)


def test_the_version_exceptions_are_in_the_file() -> None:
    if not TEST_FILE.exists():
        pytest.skip(f"{TEST_FILE} absent")
    bodies = {line.split("#", 1)[0].strip() for line in TEST_FILE.read_text("utf-8").splitlines()}
    assert set(UNICODE_VERSION_CHANGES) <= bodies
