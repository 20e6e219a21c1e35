"""Words in public text, for moderation: folding, tokens, keywords with Italian inflection, links.

Everything here is linear in the length of the text: one pass to fold, one ``finditer`` of a
single character class (no alternation, nothing to backtrack), set and dict look-ups per word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smmkit.text import extract_urls

__all__ = [
    "DEFAULT_SHORTENERS",
    "INFLECTION_ENDINGS",
    "KeywordMatcher",
    "fold",
    "link_domains",
    "normalise_for_repeats",
    "words",
]

_WORD_RE = re.compile(r"[^\W_]+")
"""A run of letters and digits (underscores and apostrophes split words: "l'offerta" is two)."""

INFLECTION_ENDINGS: tuple[str, ...] = (
    # gender and number (truffa, truffe; ladro, ladri, ladra, ladre)
    "a",
    "e",
    "i",
    "o",
    # past participles (truffato, truffata, truffati, truffate; finito; venduto)
    "ato",
    "ata",
    "ati",
    "ate",
    "ito",
    "ita",
    "iti",
    "ite",
    "uto",
    "uta",
    "uti",
    "ute",
    # infinitives (truffare, vendere, finire)
    "are",
    "ere",
    "ire",
    # agent nouns (truffatore, truffatori, truffatrice, truffatrici)
    "atore",
    "atori",
    "atrice",
    "atrici",
    # English plurals and verb forms (scams, scammed is not: list it)
    "s",
    "es",
    "ed",
    "ing",
    "er",
    "ers",
)
"""The endings a keyword's stem may take (see :class:`KeywordMatcher`)."""

_HARD_ENDINGS: tuple[str, ...] = ("he", "hi")
"""After a stem ending in ``c`` or ``g`` the plural keeps the hard sound: pacco → pacchi,
truffaldinga → -ghe."""

_VOWELS = frozenset("aeiou")
_MIN_STEM = 3

DEFAULT_SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "bl.ink",
        "buff.ly",
        "cutt.ly",
        "dlvr.it",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        "v.gd",
        "shorte.st",
        "adf.ly",
        "linktr.ee",
        "cli.re",
        "qrco.de",
    }
)
"""Domains of URL shorteners and link hubs (a link through them hides where it goes)."""


class _Marks(dict[int, str | None]):
    """A ``str.translate`` table that drops combining marks and keeps every other character,
    filled as characters are met (at most :data:`_MARKS_LIMIT` remembered)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept = None if unicodedata.combining(char) else char
        if len(self) < _MARKS_LIMIT:
            self[code] = kept
        return kept


_MARKS_LIMIT = 20_000
_MARKS = _Marks()


def fold(text: str) -> str:
    """``text`` in lower case without accents (NFKD, combining marks dropped): "Perché" →
    "perche". Linear time (C-level passes; plain ASCII is only lowered)."""
    if text.isascii():
        return text.lower()  # NFKD and case folding of ASCII are lowering
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return decomposed.translate(_MARKS)


def words(text: str) -> list[str]:
    """The folded words of ``text``: runs of letters and digits, in order."""
    return _WORD_RE.findall(fold(text))


def normalise_for_repeats(text: str) -> str:
    """The form under which two messages count as the same text: folded words joined by one
    space (case, accents, punctuation, emoji and spacing do not matter). Empty for a text with no
    words (an emoji-only message is never a repeat of another)."""
    return " ".join(words(text))


@dataclass(frozen=True, slots=True)
class _Keyword:
    written: str
    parts: tuple[str, ...]
    prefix: bool


class KeywordMatcher:
    """Keywords matched as whole words, with Italian (and basic English) inflection.

    The rule, predictable by design:

    1. Text and keywords are folded (lower case, accents removed), so "perchè" matches
       "perche". Words are runs of letters and digits; an apostrophe or punctuation splits them.
    2. A keyword matches a word that *is* the keyword, or that is the keyword's **stem** followed
       by one of :data:`INFLECTION_ENDINGS` (a e i o; ato ata ati ate, ito…, uto…; are ere ire;
       atore atori atrice atrici; s es ed ing er ers). The stem is the keyword without its final
       vowel (``truffa`` → ``truff``), or the whole keyword when it ends in a consonant
       (``scam``). After a stem ending in ``c`` or ``g``, ``he``/``hi`` are endings too
       (``pacco`` → ``pacchi``). A stem shorter than 3 letters matches nothing but the keyword
       itself.
       So ``truffa`` matches truffa, truffe, truffato, truffati, truffatori but not
       truffaldino, and ``scam`` matches scams but not scammer (list irregular forms).
    3. A keyword ending in ``*`` is a prefix: ``truff*`` matches every word starting with
       "truff".
    4. A keyword of several words matches them consecutively, each by the rules above
       ("link in bio").

    Matching costs one pass over the text and, per word, a constant number of look-ups (words
    longer than the longest keyword plus the longest ending are skipped): linear time.
    """

    def __init__(self, keywords: Iterable[str]) -> None:
        self._keywords: list[_Keyword] = []
        self._exact: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] = {}
        self._prefixes: list[tuple[str, str]] = []
        longest = 0
        for written in keywords:
            prefix = written.rstrip().endswith("*")
            parts = tuple(words(written))
            if not parts:
                continue
            self._keywords.append(_Keyword(written, parts, prefix))
            for index, part in enumerate(parts):
                is_prefix = prefix and index == len(parts) - 1
                longest = max(longest, len(part))
                if is_prefix:
                    self._prefixes.append((part, part))
                    continue
                self._exact.setdefault(part, set()).add(part)
                stem = part[:-1] if part[-1] in _VOWELS else part
                if len(stem) >= _MIN_STEM:
                    self._stems.setdefault(stem, set()).add(part)
        self._max_word = longest + max(len(e) for e in INFLECTION_ENDINGS) + 1
        self._prefix_lengths = sorted({len(p) for p, _ in self._prefixes})
        self._prefix_map: dict[str, set[str]] = {}
        for part, _ in self._prefixes:
            self._prefix_map.setdefault(part, set()).add(part)

    def _forms(self, word: str) -> set[str]:
        """The keyword parts that ``word`` is a form of."""
        found: set[str] = set()
        if len(word) > self._max_word and not self._prefix_lengths:
            return found
        exact = self._exact.get(word)
        if exact:
            found |= exact
        if len(word) <= self._max_word:
            for ending in INFLECTION_ENDINGS:
                if len(word) > len(ending) and word.endswith(ending):
                    parts = self._stems.get(word[: -len(ending)])
                    if parts:
                        found |= parts
            for ending in _HARD_ENDINGS:
                if word.endswith(ending) and len(word) > len(ending) + 1:
                    stem = word[: -len(ending)]
                    if stem[-1] in "cg":
                        parts = self._stems.get(stem)
                        if parts:
                            found |= parts
        for length in self._prefix_lengths:
            if len(word) < length:
                break
            parts = self._prefix_map.get(word[:length])
            if parts:
                found |= parts
        return found

    def find(self, text: str) -> list[tuple[str, str]]:
        """``(keyword as written, the words that matched it)`` for every keyword found in
        ``text``, in the order the keywords were given; each keyword at most once."""
        tokens = words(text)
        forms = [self._forms(t) for t in tokens]
        first: dict[str, int] = {}
        for index, matched in enumerate(forms):
            for part in matched:
                first.setdefault(part, index)
        out: list[tuple[str, str]] = []
        for keyword in self._keywords:
            if any(part not in first for part in keyword.parts):
                continue
            if len(keyword.parts) == 1:
                where: int | None = first[keyword.parts[0]]
            else:
                where = _find_sequence(keyword.parts, forms, first[keyword.parts[0]])
            if where is not None:
                out.append((keyword.written, " ".join(tokens[where : where + len(keyword.parts)])))
        return out


def _find_sequence(parts: Sequence[str], forms: Sequence[set[str]], begin: int) -> int | None:
    """The first index from ``begin`` where ``parts`` match consecutive words (whose matched
    parts are ``forms``), or None. O(len(forms) × len(parts)); keywords are the brand's, not the
    public's."""
    n = len(parts)
    for start in range(begin, len(forms) - n + 1):
        if all(parts[k] in forms[start + k] for k in range(n)):
            return start
    return None


def link_domains(text: str) -> list[str]:
    """The domains of the links in ``text`` (lower case, without ``www.``), in order, as
    :func:`smmkit.text.extract_urls` finds the links (linear time)."""
    out: list[str] = []
    for url in extract_urls(text):
        rest = url.split("://", 1)[1] if "://" in url else url
        end = len(rest)
        for sep in "/?#":
            at = rest.find(sep)
            if at != -1:
                end = min(end, at)
        host = rest[:end].rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
        if host.startswith("www."):
            host = host[4:]
        if host:
            out.append(host)
    return out


def domain_in(domain: str, domains: frozenset[str]) -> bool:
    """Whether ``domain`` is one of ``domains`` or a subdomain of one."""
    if domain in domains:
        return True
    labels = domain.split(".")
    return any(".".join(labels[i:]) in domains for i in range(1, len(labels) - 1))
