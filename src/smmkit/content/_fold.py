"""Case- and accent-insensitive matching with spans in the original text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

__all__ = ["disclosure_markers", "find_disclosure", "fold", "fold_with_map", "term_pattern"]


@lru_cache(maxsize=2048)
def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFKD", c)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def fold(text: str) -> str:
    """``text`` without accents, case-folded ("Pubblicità" → "pubblicita")."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded index (plus one past the end), the original index."""
    if text.isascii():
        return text.lower(), list(range(len(text) + 1))
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    index.append(len(text))
    return "".join(out), index


_IT_ENDINGS = "a|e|i|o|he|hi|mente|issimo|issima|issimi|issime"
_EN_ENDINGS = "s|es|ed|d|ing|er|ers|est|ly|ies|ied"


@lru_cache(maxsize=1024)
def term_pattern(term: str, *, inflect: bool = True) -> regex.Pattern[str]:
    """A pattern for ``term`` (folded) on word boundaries, allowing inflected endings.

    Each word of a multi-word term may be separated by spaces or hyphens; the last word takes
    Italian and English endings (``industriale`` → ``industriali``, ``cheap`` → ``cheaper``).
    """
    words = fold(term).split()
    parts = []
    for n, word in enumerate(words):
        last = n == len(words) - 1
        if inflect and last and len(word) >= 4 and word.isalpha():
            stem = word[:-1] if word[-1] in "aeioy" else word
            parts.append(regex.escape(stem) + f"(?:{_IT_ENDINGS}|{_EN_ENDINGS})?")
        elif inflect and len(word) >= 4 and word.isalpha() and word[-1] in "aeio":
            parts.append(regex.escape(word[:-1]) + "[aeio]")
        else:
            parts.append(regex.escape(word))
    body = r"(?:\s+|-)".join(parts)
    return regex.compile(r"(?<![\p{L}\p{N}_#@])" + body + r"(?![\p{L}\p{N}_])")


_MARKERS = {
    "it": (
        "#adv",
        "#ad",
        "#advertising",
        "#sponsored",
        "#sponsorizzato",
        "#pubblicita",
        "pubblicita",
        "partnership a pagamento",
        "post sponsorizzato",
        "contenuto sponsorizzato",
        "sponsorizzato da",
        "#suppliedby",
        "#gifted",
    ),
    "en": (
        "#ad",
        "#advert",
        "#advertisement",
        "#sponsored",
        "#paidpartnership",
        "paid partnership",
        "advertisement",
        "sponsored by",
        "#gifted",
    ),
}


def disclosure_markers(locale: str, extra: str | None = None) -> tuple[str, ...]:
    """Wordings accepted as a sponsorship disclosure in ``locale`` (plus the brand's own)."""
    language = re.split(r"[-_]", locale, maxsplit=1)[0].lower()
    markers = list(_MARKERS.get(language, _MARKERS["en"]))
    if language != "en":
        markers += [m for m in _MARKERS["en"] if m not in markers]
    if extra and fold(extra) not in markers:
        markers.append(fold(extra))
    return tuple(markers)


@lru_cache(maxsize=256)
def _marker_pattern(markers: tuple[str, ...]) -> regex.Pattern[str]:
    alternatives = "|".join(regex.escape(m) for m in sorted(markers, key=len, reverse=True))
    return regex.compile(r"(?<![\p{L}\p{N}_#])(?:" + alternatives + r")(?![\p{L}\p{N}_])")


def find_disclosure(text: str, locale: str, extra: str | None = None) -> tuple[int, int] | None:
    """The span of the first disclosure in ``text``, or ``None``."""
    folded, index = fold_with_map(text)
    m = _marker_pattern(disclosure_markers(locale, extra)).search(folded)
    if m is None:
        return None
    return index[m.start()], index[m.end()]
