"""The fast paths of smmkit.text give exactly what the plain algorithms give.

parse_x weighs runs of plain text in bulk, scans for URLs only around dotted words and for emoji
only from candidate characters; grapheme_count skips the segmenter where no character can join a
neighbour. Each is checked here against a straightforward reference on generated text.
"""

from __future__ import annotations

import sys
import unicodedata

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smmkit.text import (
    WeightRange,
    XConfig,
    extract_urls_with_indices,
    grapheme_count,
    graphemes,
    parse_x,
)
from smmkit.text._extract import _HASHTAG, _hashtag_matches, _url_candidates, _url_patterns
from smmkit.text._x import _EMOJI, _EMOJI_START, _emoji_spans, _resolve

PIECES = [
    "ciao",
    "perché",
    "Così",
    " ",
    "\n",
    ".",
    ". ",
    "(",
    ")",
    "#pane",
    "@forno",
    "$TWTR",
    "中文",
    "한국어",
    "🍕",
    "👨\u200d👩\u200d👧",
    "👋🏽",
    "🇮🇹",
    "❤️",
    "1️⃣",
    "©",
    "e\u0301",
    "\u202a",
    "\ufffe",
    "\u2028",
    "https://fornoaurora.it/menu?x=1",
    "fornoaurora.it",
    "www.example.com/a_(b)",
    "http://☃.net/",
    "t.co/abc",
    "x.y",
    "example.comfoo",
    "http://例え.jp",
    "a" * 30,
]
mixed_text = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=4),
    ),
    max_size=25,
).map("".join)


def _reference_parse(text: str, config: XConfig) -> tuple[int, bool, int, int]:
    """twitter-text's parseTweet loop, one unit at a time, with smmkit's URL and emoji finders."""
    normalized = unicodedata.normalize("NFC", text)
    urls = {e.start: e.end for e in extract_urls_with_indices(normalized)}
    emoji: dict[int, int] = {}
    if config.emoji_parsing:
        emoji = {m.start(): m.end() for m in _EMOJI.finditer(normalized)}
    limit = config.max_weighted_length * config.scale
    weighted, valid, valid_index, index = 0, True, 0, 0
    while index < len(normalized):
        if index in urls:
            weighted += config.transformed_url_length * config.scale
            index = urls[index] - 1
        elif index in emoji:
            weighted += config.default_weight
            index = emoji[index] - 1
        else:
            code = ord(normalized[index])
            weight = config.default_weight
            for r in config.ranges:
                if r.start <= code <= r.end:
                    weight = r.weight
                    break
            weighted += weight
        if valid:
            valid = normalized[index] not in "\ufffe\ufeff\uffff"
        if valid and weighted <= limit:
            valid_index = index
        index += 1
    valid = valid and 0 < weighted <= limit
    return weighted, valid, valid_index + len(text) - len(normalized), limit


CONFIGS = [
    _resolve("v3"),
    _resolve("v2"),
    _resolve("v1"),
    XConfig(max_weighted_length=12),
    XConfig(
        max_weighted_length=20,
        emoji_parsing=False,
        ranges=(
            WeightRange(start=0, end=127, weight=50),
            WeightRange(start=97, end=122, weight=300),
            WeightRange(start=0x4E00, end=0x9FFF, weight=0),
        ),
    ),
]


@settings(max_examples=400, deadline=None)
@given(mixed_text, st.sampled_from(range(len(CONFIGS))))
@example("ABC\u202a\uffffABC\ufffe", 0)
@example("a" * 300 + " https://x.it", 0)
def test_parse_x_matches_the_unit_by_unit_loop(text: str, which: int) -> None:
    config = CONFIGS[which]
    weighted, valid, valid_index, limit = _reference_parse(text, config)
    result = parse_x(text, config)
    assert result.weighted_length == -(-weighted // config.scale)
    assert result.valid is valid
    assert result.valid_range == (0, valid_index)
    assert result.permillage == weighted * 1000 // limit


@settings(max_examples=400, deadline=None)
@given(mixed_text)
def test_windowed_url_scan_equals_the_whole_text_scan(text: str) -> None:
    # The linear scanner over windows (smmkit) against twitter-text's regex over the whole text.
    windowed = [m.span("url") for m in _url_patterns().extract.finditer(text)]
    scanned = [(m.start, m.end) for m in _url_candidates(text)]
    assert scanned == windowed


@settings(max_examples=400, deadline=None)
@given(mixed_text)
def test_emoji_candidates_equal_the_full_scan(text: str) -> None:
    assert _emoji_spans(text) == [m.span() for m in _EMOJI.finditer(text)]


def test_emoji_start_class_covers_every_emoji_character() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    starts = regex.findall(
        r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]", everything
    )
    assert len(starts) > 2000
    missing = [f"U+{ord(c):04X}" for c in starts if not _EMOJI_START.match(c)]
    assert missing == []


@settings(max_examples=400, deadline=None)
@given(mixed_text)
def test_grapheme_count_fast_path_equals_the_segmenter(text: str) -> None:
    reference = regex.findall(r"\X", text)
    assert graphemes(text) == reference
    assert grapheme_count(text) == len(reference)


JOINERS = (
    "\r\n a\u0300\u0301\u200d\ufe0f\u20e3\u1100\u1161\u11a8가각\U0001f1ee\U0001f1f9"
    "\u0915\u094d\u0937\u0903\u0600\U0001f44b\U0001f3fd\U0001f468\u2764\u00a9\u0e33"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(JOINERS), max_size=30))
def test_grapheme_count_windows_on_joining_heavy_text(text: str) -> None:
    reference = regex.findall(r"\X", text)
    assert graphemes(text) == reference
    assert grapheme_count(text) == len(reference)


HASHY = st.text(alphabet=st.sampled_from("#＃a1_&é\ufe0f\ufe0e\u20e3 :/.@😀\u200d"), max_size=20)


@settings(max_examples=500, deadline=None)
@given(st.one_of(HASHY, mixed_text))
def test_hashtag_candidates_equal_the_full_scan(text: str) -> None:
    fast = [m.span() for m in _hashtag_matches(text)]
    assert fast == [m.span() for m in _HASHTAG.finditer(text)]
