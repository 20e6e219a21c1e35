"""``Words`` (the word boundaries ``adapt`` cuts on) against a slow reference over graphemes."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from smmkit import text as tx
from smmkit.content._adapt import _sentences
from smmkit.content._words import ARRAYS_FROM, WHITESPACE, WHITESPACE_END, Words

_WORD_AND_SPACE = re.compile(r"(\S+)(\s*)")


def _separator(space: str) -> str:
    if not space:
        return ""
    newlines = space.count("\n") + space.count("\r") - space.count("\r\n")
    return " " if newlines == 0 else ("\n" if newlines == 1 else "\n\n")


def reference_words(text: str) -> list[tuple[str, str]]:
    """(word, separator) pairs, one grapheme cluster at a time (what ``adapt`` did before)."""
    pairs: list[tuple[str, str]] = []
    word: list[str] = []
    space: list[str] = []
    for g in tx.graphemes(text.lstrip()):
        if g.isspace():
            space.append(g)
            continue
        if space and word:
            pairs.append(("".join(word), _separator("".join(space))))
            word = []
        space = []
        word.append(g)
    if word:
        pairs.append(("".join(word), _separator("".join(space))))
    return pairs


def reference_join(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    return "".join(w + s for w, s in pairs[:-1]) + pairs[-1][0]


# Whitespace of every kind (controls, line breaks, spaces a mark can join) next to the
# characters that join a neighbour into one cluster (Extend, ZWJ, SpacingMark, Prepend,
# regional indicators, Hangul jamo) and plain letters and dots.
PIECES = [
    "a",
    "b.",
    ".",
    "x.it",
    " ",
    "  ",
    "\n",
    "\r",
    "\r\n",
    "\n\n\n",
    "\t",
    "\x0b",
    "\x1c",
    "\x85",
    "\u00a0",
    "\u2003",
    "\u2028",
    "\u3000",
    "\u0301",
    "\u200d",
    "\u0600",
    "\u0903",
    "\ufe0f",
    "👍",
    "🏽",
    "🇮",
    "\u1100",
    "\u1161",
    "é",
    "漢",
    "…",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(texts, st.booleans())
def test_words_are_the_grapheme_words(text: str, arrays: bool) -> None:
    pairs = reference_words(text)
    words = Words(text, arrays=arrays)
    assert len(words) == len(pairs)
    assert words.joined == reference_join(pairs)
    assert [words.word(i) for i in range(len(words))] == [w for w, _ in pairs]
    assert words.containing(".") == [w for w, _ in pairs if "." in w]


@given(texts, st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_join_is_the_joined_pairs(text: str, start: int, count: int, arrays: bool) -> None:
    pairs = reference_words(text)
    start = min(start, len(pairs))
    count = min(count, len(pairs) - start)
    words = Words(text, arrays=arrays)
    assert words.join(start, count) == reference_join(pairs[start : start + count])


@given(st.text(max_size=60))
def test_any_text(text: str) -> None:
    pairs = reference_words(text)
    for arrays in (False, True):
        words = Words(text, arrays=arrays)
        assert words.joined == reference_join(pairs)
        assert len(words) == len(pairs)


def test_long_texts_use_arrays_and_agree() -> None:
    text = ("Città è  bella.\n\n\tUn e\u0301 \u0600 x 👍🏽 https://a.co/b\r\n" * 200)[:5000]
    assert len(text) >= ARRAYS_FROM
    pairs = reference_words(text)
    words = Words(text)
    assert words.joined == reference_join(pairs)
    assert words.containing(".") == [w for w, _ in pairs if "." in w]


def test_whitespace_table_is_complete() -> None:
    # Words reads whitespace from a table of the code points below WHITESPACE_END.
    assert not any(chr(c).isspace() for c in range(WHITESPACE_END, sys.maxunicode + 1))
    assert "\u3000" in WHITESPACE
    assert "\x1c" in WHITESPACE  # not White_Space in Unicode, but str.isspace() says so


@given(st.lists(st.sampled_from(["a", "b.", ".", "!", "?", "…", " ", "  ", "\n", "\t", "\x1c"])))
def test_sentences_split_as_the_look_behind_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _sentences(text) == re.split(r"(?<=[.!?…])\s+", text)
