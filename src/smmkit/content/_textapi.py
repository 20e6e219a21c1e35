"""The text primitives ``content`` needs, in one place.

Graphemes come from the ``regex`` module's ``\\X``; X weighted length, entities and Bluesky facets
come from :mod:`smmkit.text`. Everything here returns plain tuples so the rest of the package does
not depend on the shapes of another package's result types.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

import regex

from . import _fallback

__all__ = [
    "Span",
    "emoji_count",
    "entities",
    "facets",
    "grapheme_count",
    "graphemes",
    "is_emoji",
    "x_weighted_length",
]

_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}")


class Span(NamedTuple):
    """An entity found in a text: kind (hashtag, mention, url, cashtag), code-point span, value."""

    kind: str
    start: int
    end: int
    value: str


def graphemes(text: str) -> list[str]:
    """The extended grapheme clusters of ``text``."""
    return [str(g) for g in _GRAPHEME.findall(text)]


def grapheme_count(text: str) -> int:
    """How many extended grapheme clusters ``text`` has."""
    if text.isascii() and "\r" not in text:
        return len(text)
    return len(_GRAPHEME.findall(text))


def is_emoji(grapheme: str) -> bool:
    """Whether a grapheme cluster is an emoji (pictographic, or a flag)."""
    if grapheme.isascii():
        return False
    if _EMOJI.search(grapheme) is None:
        return False
    # A bare pictographic code point in text presentation (e.g. "©") is not an emoji.
    return len(grapheme) > 1 or _EMOJI_PRESENTATION.search(grapheme) is not None


def emoji_count(text: str) -> int:
    """How many emoji grapheme clusters ``text`` has."""
    if text.isascii():
        return 0
    return sum(1 for g in _GRAPHEME.findall(text) if is_emoji(str(g)))


# --------------------------------------------------------------------------------------------
# smmkit.text wrappers (cached: validation and adaptation ask for the same text many times).


def _provider(name: str) -> Callable[..., Any]:
    """``smmkit.text.<name>``, or this package's minimal fallback while it is unavailable."""
    try:
        module = importlib.import_module("smmkit.text")
        function = getattr(module, name)
    except (ImportError, AttributeError):
        function = getattr(_fallback, name)
    assert callable(function)
    found: Callable[..., Any] = function
    return found


_extract_entities = _provider("extract_entities")
_parse_x = _provider("parse_x")
_bluesky_facets = _provider("bluesky_facets")


@lru_cache(maxsize=4096)
def _entities(text: str) -> tuple[Span, ...]:
    found = []
    for e in _extract_entities(text):
        kind = str(e.kind)
        kind = kind.rsplit(".", 1)[-1].lower()
        if kind == "list":
            kind = "mention"
        found.append(Span(kind, int(e.start), int(e.end), str(e.value)))
    return tuple(found)


def entities(text: str) -> tuple[Span, ...]:
    """Hashtags, mentions, URLs and cashtags of ``text`` as twitter-text finds them."""
    if not text or not any(c in text for c in "#@.$＃＠"):
        return ()
    return _entities(text)


@lru_cache(maxsize=4096)
def _weighted(text: str) -> int:
    return int(_parse_x(text).weighted_length)


def x_weighted_length(text: str) -> int:
    """X's weighted length (twitter-text config v3)."""
    return _weighted(text)


def facets(text: str) -> list[dict[str, Any]]:
    """Bluesky rich-text facets (links and tags; mentions need a DID resolver)."""
    return [dict(f) for f in _bluesky_facets(text)]


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C."""
    return unicodedata.normalize("NFC", text)
