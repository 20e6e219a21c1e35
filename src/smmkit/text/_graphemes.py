"""Grapheme clusters and the three ways networks measure a string (code points, UTF-16, UTF-8).

Grapheme clusters come from the ``regex`` module's ``\\X`` (Unicode extended grapheme clusters,
UAX #29), a maintained library that follows the Unicode releases: no hand-written tables here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from smmkit.errors import ValidationError

__all__ = [
    "codepoint_to_utf16",
    "grapheme_count",
    "graphemes",
    "utf8_length",
    "utf16_length",
    "utf16_to_codepoint",
]

_GRAPHEME = regex.compile(r"\X", regex.DOTALL)
# Characters that can join a neighbour into one cluster (UAX #29 rules GB3 and GB6 to GB13): CR,
# Hangul jamo and syllables, Extend (which holds the Indic conjunct linkers), ZWJ, SpacingMark,
# Prepend and regional indicators. Every other character is a cluster boundary on both sides
# unless a joining character next to it says otherwise (GB999).
_JOINING = (
    r"\r\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}\p{GCB=Extend}\p{GCB=ZWJ}"
    r"\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=Regional_Indicator}"
)
# A window's runs of joining characters: maximal runs, each one character from the next (so
# that their windows, one character wider on each side, overlap and merge). Unambiguous (a
# separator is never a joining character), so the scan never backtracks.
_JOINING_RUNS = regex.compile(f"[{_JOINING}]+(?:[^{_JOINING}][{_JOINING}]+)*", regex.DOTALL)
# Runs of regional indicators long enough to be cut into pairs (see _clusters).
_RI_RUN = regex.compile(r"\p{GCB=Regional_Indicator}{8,}")
# utf16_to_codepoint measures the text this many code points at a time.
_CHUNK = 4096
# Characters outside the Basic Multilingual Plane take two UTF-16 code units.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _check_text(text: object, field: str = "text") -> str:
    if not isinstance(text, str):
        raise ValidationError(field, text, "must be a str", hint="pass the post text as a string.")
    return text


def _joining_windows(text: str) -> Iterator[tuple[int, int]]:
    """Disjoint ``(start, end)`` windows, in order, outside which every code point is a cluster.

    Each run of joining characters is taken with one character on either side (the base it
    joins, or the character a Prepend or ZWJ joins to); overlapping windows are merged (runs
    one character apart are found together by ``_JOINING_RUNS``, so a text dense with emoji
    modifiers is one window, not one per emoji). A character outside every window is a boundary
    on both sides, so each window can be segmented on its own.
    """
    n = len(text)
    for runs in _JOINING_RUNS.finditer(text):
        yield max(runs.start() - 1, 0), min(runs.end() + 1, n)


def _clusters(text: str, start: int, end: int) -> list[str]:
    """The clusters of the window ``text[start:end]``, as ``\\X`` over the window gives them.

    The segmenter counts the regional indicators before each one to pair them into flags,
    which is quadratic on a long run of them. Inside a run, the boundary after every second
    indicator (counted from the run's start) is certain (UAX #29 GB12/GB13), and no rule looks
    back across a regional indicator: so the run's inner pairs are clusters of their own, and
    the text is segmented on each side of them.
    """
    runs = list(_RI_RUN.finditer(text, start, end))
    if not runs:
        return _GRAPHEME.findall(text, start, end)
    clusters: list[str] = []
    position = start
    for run in runs:
        first_cut = run.start() + 2
        pairs = (run.end() - 1 - run.start()) // 2  # cuts keep at least one indicator after
        last_cut = run.start() + 2 * pairs
        clusters += _GRAPHEME.findall(text[position:first_cut])
        clusters += [text[i : i + 2] for i in range(first_cut, last_cut, 2)]
        position = last_cut
    clusters += _GRAPHEME.findall(text[position:end])
    return clusters


def graphemes(text: str) -> list[str]:
    """Split ``text`` into Unicode extended grapheme clusters (what a reader sees as one character).

    >>> graphemes("ciao 👋🏽")
    ['c', 'i', 'a', 'o', ' ', '👋🏽']
    """
    _check_text(text)
    if text.isascii() and "\r\n" not in text:
        return list(text)
    clusters: list[str] = []
    position = 0
    for start, end in _joining_windows(text):
        clusters.extend(text[position:start])
        clusters.extend(_clusters(text, start, end))
        position = end
    clusters.extend(text[position:])
    return clusters


def grapheme_count(text: str) -> int:
    """The number of extended grapheme clusters in ``text`` (Bluesky's and Mastodon's measure).

    Equal to ``len(graphemes(text))``, computed faster: the segmenter runs only around runs of
    characters that can join a neighbour (each run with one character on either side), and
    every other character counts one.
    """
    _check_text(text)
    if text.isascii():
        return len(text) - text.count("\r\n")
    count = len(text)
    for start, end in _joining_windows(text):
        count -= end - start - len(_clusters(text, start, end))
    return count


def utf8_length(text: str) -> int:
    """The length of ``text`` in UTF-8 bytes (Threads' emoji measure, Bluesky's byte limit)."""
    _check_text(text)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (what JavaScript's ``String.length`` says)."""
    _check_text(text)
    if text.isascii():
        return len(text)
    return _units(text, 0, len(text))


def utf16_to_codepoint(text: str, index: int) -> int:
    """Convert a UTF-16 code-unit index into ``text`` to a Python (code-point) index.

    An index that points at the second half of a surrogate pair maps to the code point that pair
    encodes, so an *inclusive* end index (as twitter-text reports) maps to the last code point of
    the range. ``index`` may equal the UTF-16 length (an exclusive end at the end of the text).
    """
    _check_text(text)
    if index < 0:
        raise ValidationError("index", index, "must be >= 0")
    if text.isascii():
        total = len(text)
        if index <= total:
            return index
    else:
        # The answer is the last place p whose prefix text[:p] is at most ``index`` units long
        # (an index inside a surrogate pair maps to its code point). Measured a chunk at a
        # time (encoded in C), then bisected inside the chunk that passes ``index``: linear,
        # with no Python step per character and no object per character.
        position, units, total = 0, 0, _units(text, 0, len(text))
        if index <= total:
            while True:
                end = min(position + _CHUNK, len(text))
                width = _units(text, position, end)
                if units + width > index:
                    break
                units += width
                position = end
                if position == len(text):
                    return position
            low, high = position, end  # text[:low] fits in index units; text[:high] does not
            while high - low > 1:
                middle = (low + high) // 2
                if units + _units(text, position, middle) <= index:
                    low = middle
                else:
                    high = middle
            return low
    raise ValidationError(
        "index", index, f"must be at most the UTF-16 length of the text ({total})"
    )


def codepoint_to_utf16(text: str, index: int) -> int:
    """Convert a Python (code-point) index into ``text`` to a UTF-16 code-unit index."""
    _check_text(text)
    if not 0 <= index <= len(text):
        raise ValidationError("index", index, f"must be between 0 and len(text) ({len(text)})")
    if text.isascii():
        return index
    return _units(text, 0, index)


def _units(text: str, start: int, end: int) -> int:
    """The UTF-16 length of ``text[start:end]`` (a lone surrogate is one unit, as in JavaScript).

    Encoded in C; a text with a lone surrogate (which the strict codec refuses, and the
    ``surrogatepass`` handler encodes a hundred times slower) has its astral characters counted.
    """
    piece = text[start:end]
    try:
        return len(piece.encode("utf-16-le")) // 2
    except UnicodeEncodeError:
        return len(piece) + _ASTRAL.subn("", piece)[1]
