"""Grapheme clusters, UTF-8/UTF-16 lengths and index conversion, X weighting details."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import ValidationError
from smmkit.text import (
    X_CONFIGS,
    XConfig,
    XParseResult,
    codepoint_to_utf16,
    extract_entities,
    grapheme_count,
    graphemes,
    parse_x,
    utf8_length,
    utf16_length,
    utf16_to_codepoint,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
FLAG_IT = "🇮🇹"
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("ciao", ["c", "i", "a", "o"]),
        ("è", ["è"]),
        ("e\u0300", ["e\u0300"]),
        (f"a{FAMILY}b", ["a", FAMILY, "b"]),
        (f"{FLAG_IT}{FLAG_IT}", [FLAG_IT, FLAG_IT]),
        ("👋🏽!", ["👋🏽", "!"]),
        ("\r\n\n", ["\r\n", "\n"]),
        ("1\ufe0f\u20e3", ["1\ufe0f\u20e3"]),
        (ENGLAND, [ENGLAND]),
        ("नमस्ते", ["न", "म", "स्ते"]),
    ],
)
def test_graphemes(text: str, expected: list[str]) -> None:
    assert graphemes(text) == expected
    assert grapheme_count(text) == len(expected)


def test_lengths_in_three_units() -> None:
    text = f"Così {FAMILY} 中"
    assert len(text) == 14
    assert utf8_length(text) == len(text.encode("utf-8")) == 35
    assert utf16_length(text) == len(text.encode("utf-16-le")) // 2 == 18
    assert grapheme_count(text) == 8


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_ascii_fast_paths_agree_with_the_segmenter(text: str) -> None:
    assert grapheme_count(text) == len(graphemes(text))
    assert utf8_length(text) == len(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
def test_utf16_conversions_round_trip(text: str) -> None:
    for index in range(len(text) + 1):
        units = codepoint_to_utf16(text, index)
        assert units == len(text[:index].encode("utf-16-le")) // 2
        assert utf16_to_codepoint(text, units) == index
    assert utf16_length(text) == codepoint_to_utf16(text, len(text))


def _utf16_to_codepoint_reference(text: str, index: int) -> int | None:
    """A walk over every code point (the simple implementation; None: out of range)."""
    units = 0
    for position, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if index < units + width:
            return position
        units += width
    return len(text) if index == units else None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", "中", "😷", "🇮", "\U0010fffd", "\uffff"]), max_size=30).map(
        "".join
    )
)
def test_utf16_to_codepoint_equals_a_walk_over_every_code_point(text: str) -> None:
    for index in range(len(text.encode("utf-16-le")) // 2 + 3):
        expected = _utf16_to_codepoint_reference(text, index)
        if expected is None:
            with pytest.raises(ValidationError):
                utf16_to_codepoint(text, index)
        else:
            assert utf16_to_codepoint(text, index) == expected


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", "😷", "🇮", "\ud83d", "\ude00"]), min_size=1, max_size=8),
    st.integers(min_value=8_500, max_value=9_500),
)
def test_utf16_conversions_on_long_texts_match_a_walk(pieces: list[str], size: int) -> None:
    # Long enough to be measured in several chunks: every unit index maps as the walk says.
    text = ("".join(pieces) * size)[:size]
    expected: list[int] = []  # the code point of every UTF-16 unit, then the end
    for position, char in enumerate(text):
        expected += [position] * (2 if ord(char) > 0xFFFF else 1)
    expected.append(len(text))
    units = {position: unit for unit, position in reversed(list(enumerate(expected)))}
    assert utf16_length(text) == len(expected) - 1
    # Every 101st unit, and the units around every 1,024th code point (chunk edges among them).
    probes = set(range(0, len(expected), 101))
    for position in range(0, len(text) + 1, 1024):
        probes.update(range(max(units[position] - 2, 0), min(units[position] + 3, len(expected))))
    for index in sorted(probes):
        assert utf16_to_codepoint(text, index) == expected[index]
    with pytest.raises(ValidationError):
        utf16_to_codepoint(text, len(expected))
    for position in range(0, len(text) + 1, 97):
        assert codepoint_to_utf16(text, position) == units[position]


def test_utf16_index_inside_a_surrogate_pair_maps_to_its_code_point() -> None:
    text = "a😷b"
    assert [utf16_to_codepoint(text, i) for i in range(5)] == [0, 1, 1, 2, 3]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: utf16_to_codepoint("abc", 9), "index"),
        (lambda: utf16_to_codepoint("abc", -1), "index"),
        (lambda: codepoint_to_utf16("abc", 4), "index"),
        (lambda: graphemes(b"bytes"), "text"),  # type: ignore[arg-type]
        (lambda: parse_x("hi", "v9"), "config"),
        (lambda: parse_x("hi", 3), "config"),  # type: ignore[arg-type]
        (lambda: extract_entities(None), "text"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_names_the_field(call: Callable[[], object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.field == field


# ---------------------------------------------------------------------------------------------
# parse_x
# ---------------------------------------------------------------------------------------------
def test_parse_x_counts_urls_emoji_and_cjk() -> None:
    text = f"Pane caldo {FAMILY} https://fornoaurora.it/menu/oggi?utm_source=x 中文"
    result = parse_x(text)
    # 11 Latin + 1 emoji (2) + 1 space + URL (23) + 1 space + 2 CJK (2 each)
    assert result.weighted_length == 11 + 2 + 1 + 23 + 1 + 4
    assert result.valid
    assert result.display_range == (0, len(text) - 1)
    assert result.valid_range == (0, len(text) - 1)
    assert parse_x(text, "v2").weighted_length == 11 + 11 + 1 + 23 + 1 + 4


def test_parse_x_empty_text_is_invalid() -> None:
    assert parse_x("") == XParseResult(
        weighted_length=0, valid=False, permillage=0, display_range=(0, 0), valid_range=(0, 0)
    )


def test_parse_x_valid_range_stops_at_the_limit() -> None:
    text = "é" * 300
    result = parse_x(text)
    assert result.weighted_length == 300
    assert not result.valid
    assert result.valid_range == (0, 279)
    assert result.permillage == 1071


def test_parse_x_normalises_before_counting() -> None:
    decomposed = unicodedata.normalize("NFD", "Perché così")
    assert len(decomposed) == 13
    result = parse_x(decomposed)
    assert result.weighted_length == 11
    # Ranges are indices into the text as given (the normalisation offset is added back).
    assert result.display_range == (0, 12)
    assert result.valid_range == (0, 12)


def test_premium_limit_via_config_override() -> None:
    long_post = "parola " * 1000
    assert not parse_x(long_post).valid
    premium = XConfig(max_weighted_length=25_000)
    result = parse_x(long_post, premium)
    assert result.valid
    assert result.weighted_length == 7000
    assert result.permillage == 280
    same = X_CONFIGS["v3"].model_copy(update={"max_weighted_length": 25_000})
    assert parse_x(long_post, same) == result


def test_named_configs_match_twitter_text_values() -> None:
    v3 = XConfig.named("v3")
    assert (v3.max_weighted_length, v3.scale, v3.default_weight, v3.transformed_url_length) == (
        280,
        100,
        200,
        23,
    )
    assert v3.emoji_parsing
    assert not XConfig.named("v2").emoji_parsing
    assert [(r.start, r.end, r.weight) for r in v3.ranges] == [
        (0, 4351, 100),
        (8192, 8205, 100),
        (8208, 8223, 100),
        (8242, 8247, 100),
    ]
    assert XConfig.named("v1").max_weighted_length == 140


def test_weight_range_rejects_reversed_bounds() -> None:
    with pytest.raises(pydantic.ValidationError, match="must be >= start"):
        XConfig(ranges=({"start": 10, "end": 5, "weight": 100},))  # type: ignore[arg-type]


def test_text_default_symbols_count_by_range_but_emoji_style_counts_two() -> None:
    assert parse_x("©").weighted_length == 1
    assert parse_x("©\ufe0f").weighted_length == 2
    assert parse_x("1").weighted_length == 1
    assert parse_x("1\ufe0f\u20e3").weighted_length == 2
    assert parse_x(ENGLAND).weighted_length == 2
    assert parse_x(FLAG_IT * 3).weighted_length == 6


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60))
def test_parse_x_invariants(text: str) -> None:
    result = parse_x(text)
    assert result.weighted_length >= 0
    assert result.valid_range[1] <= result.display_range[1]
    assert result.display_range == (0, max(len(text) - 1, 0))
    if result.valid:
        assert 0 < result.weighted_length <= 280
    # v3 never counts more than v2 (emoji sequences only get cheaper).
    assert result.weighted_length <= parse_x(text, "v2").weighted_length


def test_named_configs_are_read_only() -> None:
    with pytest.raises(TypeError):
        X_CONFIGS["v3"] = XConfig(max_weighted_length=1)  # type: ignore[index]
    with pytest.raises(pydantic.ValidationError):
        X_CONFIGS["v3"].max_weighted_length = 1  # type: ignore[misc]
