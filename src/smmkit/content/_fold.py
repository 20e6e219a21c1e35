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


def _fold_table(text: str) -> dict[int, str]:
    """``str.translate``'s table for the distinct characters of ``text``."""
    return {ord(c): _fold_char(c) for c in set(text)}


def fold(text: str) -> str:
    """``text`` without accents, case-folded ("Pubblicità" → "pubblicita")."""
    if text.isascii():
        return text.lower()
    return text.translate(_fold_table(text))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded index (plus one past the end), the original index."""
    if text.isascii():
        return text.lower(), list(range(len(text) + 1))
    table = _fold_table(text)
    folded = text.translate(table)
    changed = "".join(chr(c) for c, f in table.items() if len(f) != 1)
    if not changed:  # every character folds to one: the indices are the same
        return folded, list(range(len(text) + 1))
    # The characters that fold to none or several, each a jump in the map; runs of the others
    # map one to one.
    index: list[int] = []
    position = 0
    for m in re.finditer("[" + re.escape(changed) + "]", text):
        at = m.start()
        index += range(position, at)
        index += [at] * len(table[ord(m.group())])
        position = at + 1
    index += range(position, len(text) + 1)
    return folded, index


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
