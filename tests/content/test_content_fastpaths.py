"""The fast paths of content's text measures give exactly what smmkit.text and \\X give."""

from __future__ import annotations

import unicodedata
from datetime import date

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit import text as reference
from smmkit.content import _textapi as tx

ATOMS = [
    "pane",
    "è",
    "città",
    "Bologna.",
    "8.30",
    "https://www.fornoaurora.it/p?x=1#f",
    "fornoaurora.it",
    "www.x.com/a_b",
    "😀",
    "👍🏽",
    "🇮🇹",
    "👨‍👩‍👧",
    "©",
    "1️⃣",
    "漢字",
    "ひらがな",
    "한국어",
    "\u1100\u1161\u11a8",
    "#tag",
    "@user",
    "@user/list",
    "$AAPL",
    "mail@x.it",
    "—",
    "…",
    "a.b",
    "x.co/",
    "(https://a.co)",
    "e\u0301",
    "\u0958",
    " \u0301",
    "\u0600\u0661",
    "क्षि",
    "\r\n",
    "\u3000",
    "\u00a0",
    "##x",
    "#️⃣",
    "èa.it",
]
SEPARATORS = [" ", "", "\n", "\t", "  ", "\u3000"]
mixed = st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(SEPARATORS)), max_size=60).map(
    lambda pairs: "".join(a + s for a, s in pairs)
)


@settings(max_examples=200, deadline=None)
@given(mixed)
def test_x_parse_matches_twitter_text(text: str) -> None:
    ref = reference.parse_x(text)
    length, end = tx.x_parse.__wrapped__(text)
    assert length == ref.weighted_length
    assert tx.x_lower_bound(text) <= ref.weighted_length <= tx.x_upper_bound(text)
    if ref.weighted_length > 280 and unicodedata.normalize("NFC", text) == text:
        assert end == ref.valid_range[1] + 1
    elif ref.weighted_length <= 280:
        assert end == len(text)


@settings(max_examples=300, deadline=None)
@given(mixed, st.integers(min_value=1, max_value=120))
def test_x_parse_finds_where_any_limit_falls(text: str, limit: int) -> None:
    # Small limits put the cut inside a word of emoji or a URL as often as between pieces.
    ref = reference.parse_x(text, reference.XConfig(max_weighted_length=limit))
    length, end = tx.x_parse.__wrapped__(text, limit)
    assert length == ref.weighted_length == tx.x_weight.__wrapped__(text)
    if ref.weighted_length > limit and unicodedata.normalize("NFC", text) == text:
        # twitter-text gives (0, 0) both when only the first character fits and when none does
        assert end in ((0, 1) if ref.valid_range[1] == 0 else (ref.valid_range[1] + 1,))
    elif ref.weighted_length <= limit:
        assert end == len(text)


@settings(max_examples=200, deadline=None)
@given(mixed)
def test_entities_match_twitter_text(text: str) -> None:
    ref = [
        ("mention" if e.kind == "list" else e.kind, e.start, e.end)
        for e in reference.extract_entities(text)
    ]
    assert [(e.kind, e.start, e.end) for e in tx._entities.__wrapped__(text)] == ref


@settings(max_examples=500, deadline=None)
@given(st.one_of(mixed, st.text(max_size=40)))
def test_grapheme_count_matches_regex(text: str) -> None:
    assert tx.grapheme_count(text) == len(regex.findall(r"\X", text))
    assert "".join(tx.graphemes(text)) == text
    assert len(tx.graphemes(text)) == tx.grapheme_count(text)


def test_prefilters_are_supersets_of_the_unicode_properties() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    classes = "".join(
        rf"\p{{Grapheme_Cluster_Break={name}}}"
        for name in (
            "Extend",
            "SpacingMark",
            "Prepend",
            "ZWJ",
            "L",
            "V",
            "T",
            "LV",
            "LVT",
            "Regional_Indicator",
        )
    )
    joining = regex.findall(f"[{classes}]", every)
    assert joining and all(tx.MAYBE_JOINING.match(c) for c in joining)
    emoji = regex.findall(
        r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}\u20e3]", every
    )
    assert emoji and all(tx.MAYBE_EMOJI.match(c) for c in emoji)


def test_emoji_bytes_length() -> None:
    assert tx.emoji_bytes_length("pane") == 4
    assert tx.emoji_bytes_length("🍞") == 4
    assert tx.emoji_bytes_length("è🍞") == 5
    assert tx.emoji_bytes_length("👍🏽") == 8
    assert tx.emoji_bytes_length("©") == 1  # text-style, not an emoji


@settings(max_examples=200, deadline=None)
@given(mixed)
def test_hashtags_match_twitter_text(text: str) -> None:
    ref = [(e.start, e.end) for e in reference.extract_entities(text) if e.kind == "hashtag"]
    assert [(e.start, e.end) for e in tx.hashtags.__wrapped__(text)] == ref


@settings(max_examples=200, deadline=None)
@given(mixed, st.integers(min_value=0, max_value=60))
def test_overflow_start_matches_a_prefix_search(text: str, limit: int) -> None:
    from smmkit.content._validate import _overflow_start, measure
    from smmkit.content.rules import Counting, TextLimit

    for counting in (
        Counting.EMOJI_BYTES,
        Counting.GRAPHEMES,
        Counting.CODE_POINTS,
        Counting.UTF8_BYTES,
        Counting.MASTODON,
    ):
        rule = TextLimit(
            limit=limit, counting=counting, url_length=23, checked=date(2026, 11, 26), source="test"
        )
        start = _overflow_start(text, rule)
        bounds = [0]
        for g in regex.findall(r"\X", text):
            bounds.append(bounds[-1] + len(g))
        fitting = [b for b in bounds if measure(text[:b], rule) <= limit]
        if counting is Counting.MASTODON:
            # a URL counts whole: the overflow may start at a URL that a prefix would cut
            assert start in bounds and start <= max(fitting)
            assert measure(text[:start], rule) <= limit
        else:
            assert start == max(fitting), counting


@settings(max_examples=300, deadline=None)
@given(st.one_of(mixed, st.text(max_size=60)))
def test_url_hints_cover_every_url(text: str) -> None:
    urls = reference.extract_urls_with_indices(text)
    assert tx.url_hint_count(text) >= len(urls)
    assert tx.may_have_url(text) == bool(tx._URL_HINT.search(text))
    assert tx.may_have_url(text) == bool(tx._url_hints(text))  # the early exit changes nothing


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "\r\n", "\r", "\n", "e\u0301", "\u0301" * 70, "🇮", "👨\u200d", "👍🏽"]
        ),
        max_size=300,
    ).map("".join),
    st.integers(min_value=0, max_value=40),
)
def test_grapheme_offset_segments_prefixes_as_the_whole_text(text: str, count: int) -> None:
    from smmkit.content._validate import _grapheme_offset

    clusters = regex.findall(r"\X", text)
    assert _grapheme_offset(text, count) == sum(map(len, clusters[:count]))
