"""The text primitives ``content`` needs, in one place.

Graphemes, X weighted length, entities and Bluesky facets come from :mod:`smmkit.text`.
Everything here returns plain tuples so the rest of the package does not depend on the shapes of
another package's result types.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

import regex

from smmkit import text as _text

__all__ = [
    "Span",
    "emoji_bytes_length",
    "emoji_sequences",
    "entities",
    "facets",
    "grapheme_count",
    "graphemes",
    "hashtags",
    "is_emoji",
    "may_have_url",
    "url_hint_count",
    "utf8_length",
    "utf16_length",
    "x_fast_exact",
    "x_lower_bound",
    "x_parse",
    "x_upper_bound",
    "x_weight",
    "x_weighted_length",
]

_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}")


class Span(NamedTuple):
    """An entity found in a text: kind (hashtag, mention, url, cashtag), code-point span, value."""

    kind: str
    start: int
    end: int
    value: str


# Grapheme clusters are smmkit.text's (fast paths around joining characters included).
graphemes = _text.graphemes
grapheme_count = _text.grapheme_count
# So are the UTF-16 and UTF-8 lengths (encoded in C; a lone surrogate counts as JavaScript
# and the surrogatepass codec count it: one unit, three bytes).
utf16_length = _text.utf16_length
utf8_length = _text.utf8_length


# Cheap prefilters (the standard library's ``re`` scans a plain character class much faster than
# a Unicode property). Each is a superset, checked against the property over every code point
# in the tests: a text with none of these characters has no joining character (resp. no emoji).
MAYBE_JOINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u1dff\u200c\u200d\u20d0-\u20ff\u2cef-\u2cf1"
    "\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099\u309a\ua66f-\uabff\uac00-\ud7ff\ufb1e"
    "\ufe00-\ufe0f\ufe20-\ufe2f\uff9e\uff9f\U00010000-\U0001efff\U0001f1e6-\U0001f1ff"
    "\U0001f3fb-\U0001f3ff\U0001fb00-\U0010ffff]"
)
MAYBE_EMOJI = re.compile(
    "[\u00a9\u00ae\u20e3\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u24c2\u25a0-\u27bf"
    "\u2934\u2935\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001ffff]"
)


def is_emoji(grapheme: str) -> bool:
    """Whether a grapheme cluster is an emoji (pictographic, or a flag)."""
    if grapheme.isascii():
        return False
    if _EMOJI.search(grapheme) is None:
        return False
    # A bare pictographic code point in text presentation (e.g. "©") is not an emoji.
    return len(grapheme) > 1 or _EMOJI_PRESENTATION.search(grapheme) is not None


# --------------------------------------------------------------------------------------------
# smmkit.text wrappers.
#
# twitter-text's URL pattern is costly on text with many dots. A URL needs a domain: a dot
# between a non-space character and a letter (the TLD), or a scheme. When a text has neither,
# no URL can be found in it, and replacing every "." by "," (same X weight, never part of a
# hashtag or mention) gives the same weighted length and the same hashtags and mentions, faster.

_URL_HINT = re.compile(r"[^\s.]\.[^\W\d_]|://|[．。｡]")
_HEAVY = re.compile(
    r"[^\u0000-\u00A8\u00AA-\u00AD\u00AF-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]"
)


# A dot between a character that is neither a space nor a dot and a letter (``_URL_HINT``'s
# third alternative), found at every position (zero width, so overlapping hints all count).
_DOT_HINT = re.compile(r"(?=[^\s.]\.[^\W\d_])")


def _url_hints(text: str) -> list[int]:
    """Positions where a URL may be: "://", a fullwidth dot, or a dot between a non-space
    character and a letter (what ``_URL_HINT`` matches, overlapping matches included)."""
    hints: list[int] = []
    start = 0
    while (i := text.find("://", start)) != -1:
        hints.append(i)
        start = i + 3
    if not text.isascii():
        hints += [m.start() for m in _WIDE_DOTS.finditer(text)]
    if "." in text:
        hints += [m.start() for m in _DOT_HINT.finditer(text)]
    return hints


_WIDE_DOTS = re.compile("[．。｡]")


def may_have_url(text: str) -> bool:
    """Whether ``text`` may hold a URL (False means certainly none): whether
    :func:`_url_hints` finds a place, stopping at the first one."""
    return (
        "://" in text
        or (not text.isascii() and _WIDE_DOTS.search(text) is not None)
        or ("." in text and _DOT_HINT.search(text) is not None)
    )


def url_hint_count(text: str) -> int:
    """An upper bound of how many URLs ``text`` holds."""
    return len(_url_hints(text))


def _fast_form(text: str) -> str:
    return text if may_have_url(text) else text.replace(".", ",")


_ENTITY_SPOT = re.compile(r"[#＃@＠$＄]|[^\s.]\.[^\W\d_]|://|[．。｡]")
_WHITESPACE = re.compile(r"\s")


def _spot_words(text: str, spot: re.Pattern[str]) -> list[tuple[int, int]]:
    """The (start, end) of each whitespace-delimited word holding a match of ``spot``."""
    words: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = spot.search(text, pos)
        if m is None:
            return words
        at = m.start()
        start = at
        while start > pos and not text[start - 1].isspace():
            start -= 1
        after = _WHITESPACE.search(text, m.end())
        end = after.start() if after else len(text)
        words.append((start, end))
        pos = end


def _joined_words(text: str, spot: re.Pattern[str]) -> tuple[str, list[tuple[int, int]]]:
    """The words of ``text`` holding ``spot``, each with the character before it, joined; and
    for each piece its (offset in the joined string, offset in ``text``).

    No entity crosses whitespace and twitter-text looks only at the characters next to an
    entity, so searching the joined words finds exactly the entities of the whole text, on a
    much shorter string.
    """
    windows: list[tuple[int, int]] = []
    parts: list[str] = []
    joined_length = 0
    for word_start, word_end in _spot_words(text, spot):
        start = max(word_start - 1, 0)
        if windows and start < windows[-1][1] + len(parts[-1]):
            start = windows[-1][1] + len(parts[-1])  # never repeat a character
        windows.append((joined_length, start))
        parts.append(text[start:word_end])
        joined_length += word_end - start
    return "".join(parts), windows


def _mapped(
    text: str, joined: str, windows: list[tuple[int, int]], found: list[Any], probe: str
) -> tuple[Span, ...]:
    spans = []
    w = 0
    for e in found:
        while w + 1 < len(windows) and windows[w + 1][0] <= e.start:
            w += 1
        shift = windows[w][1] - windows[w][0]
        kind = "mention" if e.kind == "list" else str(e.kind)
        s, t = e.start + shift, e.end + shift
        value = e.value if probe is joined else text[s + 1 : t]
        spans.append(Span(kind, s, t, value))
    return tuple(spans)


@lru_cache(maxsize=2048)
def _entities(text: str) -> tuple[Span, ...]:
    """Every entity, found on the joined words that may hold one (see :func:`_joined_words`)."""
    joined, windows = _joined_words(text, _ENTITY_SPOT)
    if not joined:
        return ()
    probe = _fast_form(joined)
    return _mapped(text, joined, windows, _text.extract_entities(probe), probe)


_HASHTAG_SPOT = re.compile("[#＃]")


@lru_cache(maxsize=2048)
def hashtags(text: str) -> tuple[Span, ...]:
    """The hashtags of ``text`` (as in :func:`entities`, hashtags inside URLs excluded)."""
    if "#" not in text and "＃" not in text:
        return ()
    joined, windows = _joined_words(text, _HASHTAG_SPOT)
    probe = _fast_form(joined)
    return _mapped(text, joined, windows, _text.extract_hashtags_with_indices(probe), probe)


def entities(text: str) -> tuple[Span, ...]:
    """Hashtags, mentions (and lists), URLs and cashtags of ``text``, as twitter-text finds them."""
    if not text or not any(c in text for c in "#@.$＃＠＄:"):
        return ()
    return _entities(text)


def x_upper_bound(text: str) -> int:
    """A cheap upper bound of X's weighted length (exact for ASCII text without URLs).

    Each code point weighs 1 or 2 (an emoji sequence weighs 2 in all, never more than its code
    points); each URL weighs 23, at most 23 more than its own characters.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # as X counts it (NFC may lengthen a text)
    bound = len(text)
    if not text.isascii():
        bound += len(_HEAVY.findall(text))
    return bound + 23 * url_hint_count(text)


def x_lower_bound(text: str) -> int:
    """A cheap lower bound of X's weighted length: its spaces, tabs and line breaks.

    Each of them weighs 1 and is never part of a URL or an emoji sequence (nor changed by NFC),
    and nothing weighs less than nothing: a text with more of them than the limit is over it,
    without looking for its URLs.
    """
    return text.count(" ") + text.count("\n") + text.count("\r") + text.count("\t")


_EMOJI_ISH = regex.compile(
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\uFE0F\u20E3\u200D"
    r"\U000E0020-\U000E007F]"
)


def x_fast_exact(text: str) -> int | None:
    """X's weighted length computed without a per-character loop, or ``None`` when unsure.

    Exact for a text with no URL and no emoji: every code point of the NFC text then weighs 1 or
    2 by config v3's ranges. Texts with a URL or an emoji give ``None`` (ask :func:`x_parse`).
    """
    if may_have_url(text):
        return None
    if text.isascii():
        return len(text)
    normal = unicodedata.normalize("NFC", text)
    if _EMOJI_ISH.search(normal) is not None:
        return None
    return len(normal) + len(_HEAVY.findall(normal))


_EMOJI_SPOT = re.compile("[\ufe0f\u200d\U000e0020-\U000e007f" + MAYBE_EMOJI.pattern[1:])
# Where a URL (as ``_url_hints``) or an emoji (as ``_EMOJI_SPOT``) may be; a search from any
# position finds the first such place at or after it.
_COMPLEX_SPOT = re.compile("://|[．。｡]|(?=[^\\s.]\\.[^\\W\\d_])|" + _EMOJI_SPOT.pattern)
_WORD_END = re.compile("[ \t\n\r]")


def _complex_pieces(text: str) -> list[tuple[int, str, bool]]:
    """``text`` cut into plain stretches and words that may hold a URL or an emoji.

    A complex piece is the whole word around such a spot plus the whitespace before it. One
    search per piece finds the next spot past it (a word with thousands of emoji is one search,
    not one step per emoji).
    """
    pieces: list[tuple[int, str, bool]] = []
    pos = 0
    n = len(text)
    while (spot := _COMPLEX_SPOT.search(text, pos)) is not None:
        at = spot.start()
        start = max(pos, *(text.rfind(c, pos, at) for c in " \t\n\r"))
        word_end = _WORD_END.search(text, at)
        end = n if word_end is None else word_end.start()
        if start > pos:
            pieces.append((pos, text[pos:start], False))
        pieces.append((start, text[start:end], True))
        pos = end
        if pos >= n:
            break
    if pos < n:
        pieces.append((pos, text[pos:], False))
    return pieces


def _simple_weight(segment: str) -> int:
    if segment.isascii():
        return len(segment)
    normal = unicodedata.normalize("NFC", segment)
    return len(normal) + len(_HEAVY.findall(normal))


def _simple_end(segment: str, budget: int) -> int:
    """The longest prefix of a simple segment whose weight fits ``budget``."""
    lo, hi = 0, len(segment)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _simple_weight(segment[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


@lru_cache(maxsize=64)
def _config(limit: int) -> _text.XConfig:
    # One config per limit, so that smmkit.text prepares its weights once for each.
    return _text.XConfig(max_weighted_length=limit)


def _complex(token: str, limit: int | None = None) -> tuple[int, int]:
    config = "v3" if limit is None or limit == 280 else _config(limit)
    result = _text.parse_x(token, config)
    return int(result.weighted_length), int(result.valid_range[1]) + 1


@lru_cache(maxsize=2048)
def x_weight(text: str) -> int:
    """X weighted length of ``text`` (v3), without looking for where a limit falls.

    URLs, emoji sequences and NFC compositions never cross whitespace, so the weights add up
    over pieces: the plain stretches are weighed in bulk, and the words that may hold a URL or
    an emoji go to twitter-text together, in one call.
    """
    pieces = _complex_pieces(text)
    total = sum(_simple_weight(p) for _, p, c in pieces if not c)
    joined = "".join(p for _, p, c in pieces if c)
    if joined:
        total += _complex(joined)[0]  # weights add up over whole words
    return total


@lru_cache(maxsize=2048)
def x_parse(text: str, limit: int = 280) -> tuple[int, int]:
    """X weighted length of ``text`` and the end (exclusive) of its valid part (v3, ``limit``).

    As :func:`x_weight`; when the text is over the limit, the pieces are weighed one by one
    up to the one where the limit falls, and only that one is searched for the exact place.
    A complex piece that may hold the limit is parsed once, with the limit left for it, which
    gives its weight and its valid end together (a long word of emoji is parsed once, not
    twice).
    """
    pieces = _complex_pieces(text)
    several = sum(1 for _, _, c in pieces if c) > 1
    if several:
        total_weight = x_weight(text)
        if total_weight <= limit:
            return total_weight, len(text)
    total = 0
    valid_end: int | None = None
    for start, piece, is_complex in pieces:
        budget = limit - total
        inner: int | None = None
        if not is_complex:
            weight = _simple_weight(piece)
            if valid_end is None and weight > budget:
                inner = _simple_end(piece, budget) if budget > 0 else 0
        elif valid_end is None and budget > 0 and x_upper_bound(piece) > budget:
            weight, end = _complex(piece, budget)
            if weight > budget:
                inner = min(end, len(piece))
        else:
            weight = _complex(piece)[0]
            if valid_end is None and weight > budget:
                inner = 0
        if inner is not None:
            valid_end = start + inner
        total += weight
        if valid_end is not None and several:
            return total_weight, valid_end
    return total, len(text) if valid_end is None else valid_end


def x_weighted_length(text: str) -> int:
    """X's weighted length (twitter-text config v3)."""
    fast = x_fast_exact(text)
    return fast if fast is not None else x_weight(text)


_EMOJI_SEQUENCE = regex.compile(
    r"\p{Regional_Indicator}{2}"
    r"|[0-9#*]\uFE0F?\u20E3"
    r"|\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|[\U000E0020-\U000E007F])*"
    r"(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)*)*"
)


def emoji_sequences(text: str) -> list[tuple[int, int, int]]:
    """The emoji sequences of ``text``: (start, end, UTF-8 bytes minus code points)."""
    if text.isascii() or MAYBE_EMOJI.search(text) is None:
        return []
    found = []
    for m in _EMOJI_SEQUENCE.finditer(text):
        seq = m.group(0)
        if len(seq) == 1 and _EMOJI_PRESENTATION.search(seq) is None:
            continue  # a text-style pictograph such as "©" alone
        found.append((m.start(), m.end(), len(seq.encode("utf-8")) - len(seq)))
    return found


def emoji_bytes_length(text: str) -> int:
    """Code points, except that each emoji sequence counts its UTF-8 bytes (Threads)."""
    if text.isascii() or MAYBE_EMOJI.search(text) is None:
        return len(text)
    total = len(text)
    for m in _EMOJI_SEQUENCE.finditer(text):
        seq = m.group(0)
        if len(seq) == 1 and _EMOJI_PRESENTATION.search(seq) is None:
            continue  # a text-style pictograph such as "©" alone
        total += len(seq.encode("utf-8")) - len(seq)
    return total


def facets(
    text: str, resolve_handle: Callable[[str], str | None] | None = None
) -> list[dict[str, Any]]:
    """Bluesky rich-text facets (links and tags; mentions when ``resolve_handle`` gives DIDs)."""
    return [dict(f) for f in _text.bluesky_facets(text, resolve_handle=resolve_handle)]
