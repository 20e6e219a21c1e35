"""Entity extraction with twitter-text's rules: URLs, hashtags, mentions and lists, cashtags.

The behaviour follows twitter-text 3.1 (https://github.com/twitter/twitter-text, Apache-2.0) and
is checked case by case against its conformance suite (``extract.yml``, ``validate.yml``,
``tlds.yml``). The patterns below are written from the rules that suite encodes; the Unicode
letter, mark and number classes come from the ``regex`` module's Unicode properties instead of
twitter-text's generated tables, and the TLD list is package data (``twitter_tlds.txt``). The URL
patterns need no Unicode properties and run on the standard library's ``re`` engine, which is
faster on them.

All indices are Python (code-point) indices into the text as given, end exclusive.

Two details of JavaScript regular expressions matter for exact compatibility and are reproduced on
purpose: ``$`` means the very end of the text (``\\Z`` here, never "before a final newline"), and a
global match consumes the character that precedes an entity, so two entities sharing that
character cannot both match.

Speed: the costly patterns run only where an entity can be (words holding a dot followed by a
letter for URLs, hash signs for hashtags); ``tests/text/test_text_fast_paths.py`` checks that
this gives exactly what a scan of the whole text gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import regex
from pydantic import BaseModel, ConfigDict

from ._graphemes import _check_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "Entity",
    "EntityKind",
    "extract_cashtags",
    "extract_cashtags_with_indices",
    "extract_entities",
    "extract_hashtags",
    "extract_hashtags_with_indices",
    "extract_mentions",
    "extract_mentions_or_lists_with_indices",
    "extract_mentions_with_indices",
    "extract_reply_username",
    "extract_urls",
    "extract_urls_with_indices",
    "is_valid_hashtag",
    "is_valid_list",
    "is_valid_url",
    "is_valid_username",
    "twitter_tlds",
]

EntityKind = Literal["hashtag", "mention", "list", "url", "cashtag"]


class Entity(BaseModel):
    """One entity found in a text.

    ``value`` is the entity without its sigil (``#``, ``@``, ``$``); for a URL it is the URL as
    written. ``start`` and ``end`` are Python code-point indices into the text, end exclusive, and
    cover the sigil: ``text[start:end]`` is the entity as written. A list (``@owner/slug``) has
    ``kind == "list"``, ``value`` the owner's username and ``list_slug`` the slug with its leading
    ``/``, as twitter-text reports it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: EntityKind
    value: str
    start: int
    end: int
    list_slug: str | None = None


def _entity(
    kind: EntityKind, value: str, start: int, end: int, list_slug: str | None = None
) -> Entity:
    # Plain validated construction: with pydantic 2 it is faster than model_construct.
    return Entity(kind=kind, value=value, start=start, end=end, list_slug=list_slug)


# --------------------------------------------------------------------------------------------
# Character classes (contents of [...]), as twitter-text defines them.
# --------------------------------------------------------------------------------------------
_SPACES = "\\t-\\r \\x85\\xa0\\u1680\\u180e\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_INVALID = "\\ufffe\\ufeff\\uffff"
_PUNCT = "!'#%&()*+,\\\\\\-./:;<=>?@\\[\\]^_{|}~$"
_DIRECTIONAL = "\\u202a-\\u202e\\u061c\\u200e\\u200f\\u2066-\\u2069"
_LATIN_ACCENTS = (
    "\\xc0-\\xd6\\xd8-\\xf6\\xf8-\\xff\\u0100-\\u024f\\u0253\\u0254\\u0256\\u0257\\u0259\\u025b"
    "\\u0263\\u0268\\u026f\\u0272\\u0289\\u028b\\u02bb\\u0300-\\u036f\\u1e00-\\u1eff"
)
_CYRILLIC = "\\u0400-\\u04ff"
# JavaScript's \s (ECMAScript WhiteSpace and LineTerminator), which differs from Python's.
_JS_SPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)

_AT = "[@\uff20]"
_HASH = "[#\uff03]"

# Hashtags: letters and marks of any script, decimal digits, and a few joiners used in hashtags.
_HASHTAG_SPECIAL = (
    "_\\u200c\\u200d\\ua67e\\u05be\\u05f3\\u05f4\\uff5e\\u301c\\u309b\\u309c\\u30a0\\u30fb"
    "\\u3003\\u0f0b\\u0f0c\\xb7"
)
_HASHTAG_ALPHA = "[\\p{L}\\p{M}]"
_HASHTAG_ALNUM = f"[\\p{{L}}\\p{{M}}\\p{{Nd}}{_HASHTAG_SPECIAL}]"

# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------
# Placeholder for the TLD alternation, filled in (from package data) on first use.
_TLD_TRIE = "(?:<TLDS>)"
_TLD_BOUNDARY = "(?=[^0-9a-zA-Z@+-]|\\Z)"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_PUNYCODE = "(?:[xX][nN]--[\\-0-9a-zA-Z]+)"
_TLD = f"(?:{_TLD_TRIE}{_TLD_BOUNDARY}|{_PUNYCODE})"
_DOMAIN = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{_TLD})"

_PATH_CHAR = f"[a-zA-Z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\\u2013_~@|&{_LATIN_ACCENTS}]"
# Up to two nested levels of balanced parentheses, as in /wiki/Primer_(film).
_BALANCED_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[+\\-a-zA-Z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = "[a-zA-Z0-9!?*'@();:&=+$/%#\\[\\]\\-_.,~|]"
_QUERY_END = "[a-zA-Z0-9\\-_&=#/]"
_URL_PRECEDING = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|^)"

_EXTRACT_URL_PATTERN = (
    f"(?P<before>{_URL_PRECEDING})"
    "(?P<url>"
    "(?P<protocol>[hH][tT][tT][pP][sS]?://)?"
    f"(?P<domain>{_DOMAIN})"
    "(?::(?P<port>[0-9]+))?"
    f"(?P<path>/{_PATH}*)?"
    f"(?P<query>\\?{_QUERY_CHAR}*{_QUERY_END})?"
    ")"
)
_ASCII_DOMAIN_PATTERN = f"(?:(?:[\\-a-zA-Z0-9{_LATIN_ACCENTS}]+)\\.)+{_TLD}"
_INVALID_WITHOUT_PROTOCOL_BEFORE = regex.compile("[-_./]\\Z")
_TCO = regex.compile(
    f"https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", regex.IGNORECASE
)
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63
_IDNA_DOTS = regex.compile("[\\u3002\\uff0e\\uff61]")
_DEFAULT_PROTOCOL = "https://"


@cache
def twitter_tlds() -> dict[str, frozenset[str]]:
    """The TLDs twitter-text recognises, as ``{"country": ..., "generic": ...}`` (lowercase).

    Loaded once from the package data file ``twitter_tlds.txt`` (twitter-text's
    ``conformance/tld_lib.yml``, Apache-2.0; see ``twitter_text_LICENSE.txt``).
    """
    text = resources.files(__package__).joinpath("twitter_tlds.txt").read_text("utf-8")
    found: dict[str, set[str]] = {"country": set(), "generic": set()}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, _, tld = line.partition(" ")
        found[kind].add(tld)
    return {kind: frozenset(values) for kind, values in found.items()}


def _either_case(char: str) -> str:
    variants = {char, char.lower(), char.upper()}
    variants = {v for v in variants if len(v) == 1}
    if len(variants) == 1:
        return regex.escape(char)
    return "[" + "".join(regex.escape(v) for v in sorted(variants)) + "]"


def _case_insensitive_trie(words: Iterable[str]) -> str:
    """One regex alternation for ``words`` as a trie, longest alternatives tried first.

    Matching a TLD this way backtracks to a shorter TLD exactly as a plain alternation would
    (``com`` before ``co``), but costs a few character tests instead of one per TLD.
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [_either_case(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: longer words first, then this one
            return f"(?:{body})?"
        return body

    return f"(?:{build(root)})"


_TAIL_PATTERN = (
    f"(?::(?P<port>[0-9]+))?(?P<path>/{_PATH}*)?(?P<query>\\?{_QUERY_CHAR}*{_QUERY_END})?"
)
# A character that may precede a URL (twitter-text's "valid preceding characters").
_NOT_BEFORE = f"A-Za-z0-9@\uff20$#\uff03{_INVALID}"
# Where a URL may start: a domain character after a character that may precede a URL.
_URL_START = re.compile(f"(?<=[^{_NOT_BEFORE}]){_DOMAIN_CHAR}")
# A run of the characters a domain label is made of (domain characters, "_" and "-").
_LABEL_RUN = re.compile(f"(?:[_-]|{_DOMAIN_CHAR})+")
# The same, as twitter-text's ASCII domain labels have them (used without a protocol).
_ASCII_LABEL_RUN = re.compile(f"[\\-a-zA-Z0-9{_LATIN_ACCENTS}]+")
_PUNYCODE_RUN = re.compile("[\\-0-9a-zA-Z]+")


class _UrlPatterns:
    """The compiled URL patterns, built on first use (the TLD list makes them costly to build).

    ``extract`` and ``ascii_domain`` are twitter-text's regular expressions; they are the
    reference the linear scanner (:func:`_scan_urls`) is tested against, and are not used to
    extract: on text such as ``"a." * 4000`` a backtracking engine takes quadratic time.
    """

    def __init__(self) -> None:
        tlds = twitter_tlds()
        words = tlds["generic"] | tlds["country"]
        trie = _case_insensitive_trie(words)
        # Letter case is spelled out in the patterns (JavaScript's "i" flag without "u"), and
        # they need no Unicode properties, so the standard library's engine runs them.
        self.extract = re.compile(_EXTRACT_URL_PATTERN.replace(_TLD_TRIE, trie))
        self.ascii_domain = re.compile(_ASCII_DOMAIN_PATTERN.replace(_TLD_TRIE, trie))
        self.tail = re.compile(_TAIL_PATTERN)
        # A domain ends in a TLD right after a dot: a window without one holds no URL.
        self.tld_after_dot = re.compile(f"\\.(?:{trie}{_TLD_BOUNDARY}|{_PUNYCODE})")
        # A known TLD at a position, then its boundary: the regex tries the TLDs in the order of
        # the alternation (longer first) and gives back until the boundary holds. A TLD is at
        # most a few dozen characters, so one match costs a bounded number of steps.
        self.tld_at = re.compile(f"{trie}{_TLD_BOUNDARY}")


@cache
def _url_patterns() -> _UrlPatterns:
    return _UrlPatterns()


class _UrlMatch(NamedTuple):
    """What one match of twitter-text's URL pattern captures (a ``re.Match`` look-alike)."""

    before: str
    url: str
    protocol: str | None
    domain: str
    port: str | None
    path: str | None
    query: str | None
    start: int  # of the URL (after ``before``)
    end: int


class _Domains:
    """Twitter-text's domain patterns over ``text[:stop]``, answered in linear time.

    A domain is labels, each followed by a dot, then a TLD. The regex tries the most labels
    first and gives one back at a time until a TLD follows, so the domain starting at a label
    is the one starting at the next label if there is one, else this label and a TLD: computed
    once per label (right to left, memoised) instead of once per starting position.

    ``ascii_labels`` selects twitter-text's ASCII domain pattern (labels of ASCII letters,
    digits, hyphens and Latin accents, at least one of them) instead of the URL pattern's.
    """

    def __init__(
        self,
        text: str,
        start: int,
        stop: int,
        *,
        ascii_labels: bool = False,
        limit: int | None = None,
    ) -> None:
        # Labels are read in text[start:limit] (default: to stop); TLDs and their boundary see
        # as far as stop, where the pattern's "\Z" is.
        self.text = text
        self.stop = stop
        self.ascii = ascii_labels
        self.tld_at = _url_patterns().tld_at
        limit = stop if limit is None else limit
        self.limit = limit
        self.offset = start
        # For each position in a run of label characters: the run's end (0 outside runs), and
        # the last "_" in the run (-1 if none, and outside runs).
        if limit - start >= _LABEL_TABLES_FROM:
            self.run_end, self.last_underscore = _label_runs(
                text[start:limit], start, ascii_labels=ascii_labels
            )
        else:  # a short window: one run at a time (arrays would cost more than they save)
            length = max(limit - start, 0)
            self.run_end = [0] * length
            self.last_underscore = [-1] * length
            pattern = _ASCII_LABEL_RUN if ascii_labels else _LABEL_RUN
            for run in pattern.finditer(text, start, limit):
                a, b = run.start(), run.end()
                self.run_end[a - start : b - start] = [b] * (b - a)
                if not ascii_labels:
                    underscore = text.rfind("_", a, b)
                    if underscore != -1:
                        self.last_underscore[a - start : b - start] = [underscore] * (b - a)
        self.domain_end: dict[int, int | None] = {}
        self.tld_end: dict[int, int | None] = {}

    def _next_label(self, at: int, *, name: bool) -> int | None:
        """Where the label starting at ``at`` ends after its dot, or None if none starts here.

        ``name``: the last label before the TLD (no "_" in it); otherwise a subdomain.
        """
        if not self.offset <= at < self.limit:
            return None
        end = self.run_end[at - self.offset]
        if end == 0 or end >= self.stop or self.text[end] != ".":
            return None
        if not self.ascii:
            if self.text[at] in "_-" or self.text[end - 1] in "_-":
                return None
            if name and self.last_underscore[at - self.offset] >= at:
                return None
        return end + 1

    def tld(self, at: int) -> int | None:
        """The end of the TLD the pattern takes at ``at`` (a known TLD before a boundary, else
        punycode), or None."""
        if at in self.tld_end:
            return self.tld_end[at]
        text, stop = self.text, self.stop
        known = self.tld_at.match(text, at, stop)
        found = known.end() if known is not None else None
        if (
            found is None
            and at + 4 < stop
            and text[at] in "xX"
            and text[at + 1] in "nN"
            and text[at + 2 : at + 4] == "--"
        ):
            run = _PUNYCODE_RUN.match(text, at + 4, stop)
            if run is not None:
                found = run.end()
        self.tld_end[at] = found
        return found

    def domain(self, at: int) -> int | None:
        """The end of the domain starting at ``at``, or None."""
        memo = self.domain_end
        if at in memo:
            return memo[at]
        # Follow the labels to the right, then resolve them right to left.
        chain = []
        position: int | None = at
        while position is not None and position not in memo:
            chain.append(position)
            position = self._next_label(position, name=False)
        for label in reversed(chain):
            following = self._next_label(label, name=False)
            end = memo.get(following) if following is not None else None
            if self.ascii:
                # One label or more, then the TLD: "a." then "com".
                if end is None and following is not None:
                    end = self.tld(following)
            elif end is None:
                name_end = self._next_label(label, name=True)
                if name_end is not None:
                    end = self.tld(name_end)
            memo[label] = end
        return memo[at]


# From this many characters, a window's label runs are found with array operations.
_LABEL_TABLES_FROM = 1024


@cache
def _label_tables() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For each code point of the Basic Multilingual Plane: is it a label character (of the
    URL pattern's labels, of the ASCII domain pattern's). Outside that plane every code point
    is a label character of the first kind and none of the second."""
    import numpy as np

    every = "".join(map(chr, range(0x10000)))
    tables = []
    for pattern in (_LABEL_RUN, _ASCII_LABEL_RUN):
        # "a", a label character of both kinds, for each label character
        marked = pattern.sub(lambda run: "a" * len(run.group()), every)
        codes = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        tables.append(codes == ord("a"))
    return tables[0], tables[1]


def _label_runs(window: str, offset: int, *, ascii_labels: bool) -> tuple[list[int], list[int]]:
    """For each position of ``window``: the end of its run of label characters (0 outside
    runs), and the last "_" of that run (-1 if none or outside runs; not looked for in ASCII
    labels, which have none), as places in the text ``window`` starts at ``offset`` in.

    With array operations (no Python step per run): the runs are those of ``_LABEL_RUN`` (or
    ``_ASCII_LABEL_RUN``), read from a table of the label characters.
    """
    import numpy as np

    length = len(window)
    codes = np.frombuffer(window.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    table = _label_tables()[1 if ascii_labels else 0]
    label = np.full(length, not ascii_labels, dtype=bool)
    bmp = codes < 0x10000
    label[bmp] = table[codes[bmp]]
    edges = np.flatnonzero(np.diff(label.view(np.int8), prepend=0, append=0))
    starts, ends = edges[0::2], edges[1::2]

    def spread(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        # values[k] at every position of run k, 0 elsewhere
        steps = np.zeros(length + 1, dtype=np.int64)
        steps[starts] += values
        steps[ends] -= values
        return np.cumsum(steps[:length])

    run_end: list[int] = spread(ends + offset).tolist()
    if ascii_labels or "_" not in window:
        return run_end, [-1] * length
    underscores = np.flatnonzero(codes == ord("_"))
    last = np.searchsorted(underscores, ends) - 1  # the last "_" before each run's end
    found = underscores[np.maximum(last, 0)]
    inside = (last >= 0) & (found >= starts)
    last_underscore: list[int] = (spread(np.where(inside, found + offset + 1, 0)) - 1).tolist()
    return run_end, last_underscore


def _protocol(text: str, at: int) -> str | None:
    head = text[at : at + 8]
    if (
        len(head) >= 7
        and head[0] in "hH"
        and head[1] in "tT"
        and head[2] in "tT"
        and head[3] in "pP"
    ):
        if head[4] in "sS" and head[5:8] == "://":
            return head
        if head[4:7] == "://":
            return head[:7]
    return None


def _scan_urls(text: str, start: int, stop: int) -> Iterator[_UrlMatch]:
    """The matches of twitter-text's URL pattern in ``text[start:stop]``, as ``finditer`` over
    that window gives them, in time linear in the window (see :class:`_Domains`).

    A domain is labels and dots up to a TLD right after a dot, all of them characters of one
    run of label characters and dots; a protocol ends just before such a run. So a URL can only
    start in a run that holds a TLD after a dot, or in the 8 characters before it: positions
    outside the first and the last such run are never tried (a long path after a domain costs
    nothing more).
    """
    patterns = _url_patterns()
    tail = patterns.tail
    hits = [m.start() for m in patterns.tld_after_dot.finditer(text, start, stop)]
    if not hits:
        return
    # The first and the last run that hold a TLD after a dot. Starting positions are tried
    # from 8 characters before the first (room for a protocol) to the end of the last: a URL
    # cannot start elsewhere.
    first_run = last_end = -1
    h = 0
    for run in _DOMAIN_RUN.finditer(text, start, stop):
        run_start, run_end = run.span()
        while h < len(hits) and hits[h] < run_start:
            h += 1
        if h == len(hits):
            break
        if hits[h] < run_end:
            if first_run < 0:
                first_run = run_start
            last_end = run_end
    if first_run < 0:
        return
    domains = _Domains(text, first_run, stop, limit=last_end)

    def match_at(before: int, url_start: int) -> _UrlMatch | None:
        protocol = _protocol(text, url_start)
        domain_start = url_start + len(protocol) if protocol else url_start
        domain_end = domains.domain(domain_start)
        if domain_end is None:
            return None
        rest = tail.match(text, domain_end, stop)
        assert rest is not None  # every part of the tail is optional
        port, path, query = rest.group("port", "path", "query")
        end = rest.end()
        return _UrlMatch(
            text[before:url_start],
            text[url_start:end],
            protocol,
            text[domain_start:domain_end],
            port,
            path,
            query,
            url_start,
            end,
        )

    done = start
    candidates = _URL_START.finditer(text, max(start + 1, first_run - 8), last_end)
    if start == 0 and first_run - 8 <= 1:
        # At the very start the preceding character may be missing ("^"), tried after the
        # first character as the preceding one.
        found = match_at(0, 1) if stop > 1 and text[0] not in _NOT_BEFORE_SET else None
        if found is None:
            found = match_at(0, 0)
        if found is not None:
            yield found
            done = found.end
    for candidate in candidates:
        url_start = candidate.start()
        if url_start - 1 < done or (start == 0 and url_start == 1):
            continue  # the preceding character belongs to an earlier match (or was tried)
        found = match_at(url_start - 1, url_start)
        if found is not None:
            yield found
            done = found.end


# Runs of the characters a domain is written with: label characters and dots.
_DOMAIN_RUN = re.compile(f"(?:[_.-]|{_DOMAIN_CHAR})+")


_NOT_BEFORE_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NOT_BEFORE_SET |= frozenset("@\uff20$#\uff03" + "\ufffe\ufeff\uffff")


def _ascii_domains(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """The matches of twitter-text's ASCII domain pattern in ``text[start:stop]`` (as a string of
    its own), as ``finditer`` gives them, in linear time."""
    domains = _Domains(text, start, stop, ascii_labels=True)
    position = start
    while position < stop:
        end = domains.domain(position)
        if end is not None:
            yield position, end
            position = end
        else:
            position += 1


def _label_too_long_or_empty(label: str) -> bool:
    # punycode.toASCII of one label, as twitter-text's idna helper measures it. Encoding never
    # shortens a part ("xn--" and at least one character per code point), so a label longer
    # than the limit is too long without encoding it (punycode's cost grows faster than linear).
    if len(label) > _MAX_LABEL_LENGTH:
        return True
    parts = _IDNA_DOTS.split(label)
    encoded = []
    for part in parts:
        if part.isascii():
            encoded.append(part)
        else:
            encoded.append("xn--" + part.encode("punycode").decode("ascii"))
    length = len(".".join(encoded))
    return length < 1 or length > _MAX_LABEL_LENGTH


def _domain_is_encodable(domain: str) -> bool:
    if domain.isascii():
        return all(0 < len(label) <= _MAX_LABEL_LENGTH for label in domain.split("."))
    if domain.startswith("xn--") and next(_ascii_domains(domain, 0, len(domain)), None) is None:
        return False  # a punycode-encoded domain cannot contain non-ASCII characters
    return not any(_label_too_long_or_empty(label) for label in domain.split("."))


def _url_fits(url: str, protocol: str, domain: str) -> bool:
    if len(protocol) + len(url) > _MAX_URL_LENGTH:
        return False
    return _domain_is_encodable(domain)


# A URL never contains one of twitter-text's space characters (only its preceding character may
# be one), and its domain always contains a dot. So the URL scanner runs only over the
# space-delimited words that contain a dot followed by a letter (every TLD, and punycode, starts
# with a letter), each with the character before it. Windows are disjoint and match the
# whole-text scan exactly: "^" matches only at the real start of the text and "\\Z" at a
# window's end sees what the lookahead would see there (a space or the end).
_DOT_LETTER = re.compile(r"\.[^\W\d_]")  # a dot then a letter (a superset of TLD starts)
_SPACE = re.compile(f"[{_SPACES}]")
_LAST_SPACE = regex.compile(f"[{_SPACES}]", regex.REVERSE)


def _url_windows(text: str) -> Iterator[tuple[int, int]]:
    done = 0
    for dot in _DOT_LETTER.finditer(text):
        if dot.start() < done:
            continue
        before = _LAST_SPACE.search(text, done, dot.start())
        start = before.start() if before is not None else done
        after = _SPACE.search(text, dot.end())
        end = after.start() if after is not None else len(text)
        yield start, end
        done = end


# A window at least this long is scanned as a string of its own, and what the scan finds is
# kept (``_window_urls``): the text functions of one call (``adapt`` measures several texts
# that hold the same long word) then read a long word once, not once per text.
_CACHED_WINDOW = 512


@lru_cache(maxsize=32)
def _window_urls(window: str) -> tuple[_UrlMatch, ...]:
    """The URL matches in ``window`` (a window of :func:`_url_windows`, as a string of its own).

    A window starts at the start of the text or at one of twitter-text's spaces, and ends
    before a space or at the end of the text: scanned alone it gives what it gives in place
    (``^`` at its start finds nothing a space before it would not: a space is a valid
    preceding character and starts no URL), at positions relative to its start.
    """
    if _url_patterns().tld_after_dot.search(window) is None:
        return ()
    return tuple(_scan_urls(window, 0, len(window)))


def _url_candidates(
    text: str, *, reference: bool = False, cache_from: int = _CACHED_WINDOW
) -> Iterator[_UrlMatch]:
    """The matches of twitter-text's URL pattern, as a scan of the whole text would give them.

    ``reference=True`` runs twitter-text's regular expression over each window instead of the
    linear scanner (quadratic on some texts: for tests only). Windows of ``cache_from``
    characters or more go through :func:`_window_urls` (read once while they stay cached).
    """
    tld_after_dot = _url_patterns().tld_after_dot
    for start, end in _url_windows(text):
        if not reference:
            if end - start >= cache_from:
                for found in _window_urls(text[start:end]):
                    yield found._replace(start=found.start + start, end=found.end + start)
            elif tld_after_dot.search(text, start, end) is not None:
                yield from _scan_urls(text, start, end)
            continue
        for m in _url_patterns().extract.finditer(text, start, end):
            yield _UrlMatch(
                m.group("before"),
                m.group("url"),
                m.group("protocol"),
                m.group("domain"),
                m.group("port"),
                m.group("path"),
                m.group("query"),
                m.start("url"),
                m.end("url"),
            )


def _url_spans(
    text: str, without_protocol: bool = True, *, reference: bool = False
) -> list[tuple[str, int, int]]:
    """(url, start, end) of every URL, as twitter-text's ``extractUrlsWithIndices`` finds them."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    found: list[tuple[str, int, int]] = []
    for match in _url_candidates(text, reference=reference):
        url, protocol, domain, path = match.url, match.protocol, match.domain, match.path
        start, end = match.start, match.end
        if not _url_fits(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if not protocol:
            if not without_protocol or _INVALID_WITHOUT_PROTOCOL_BEFORE.search(match.before):
                continue
            last_index: int | None = None
            search_from = 0
            if reference:
                ascii_spans: Iterable[tuple[int, int]] = [
                    m.span() for m in _url_patterns().ascii_domain.finditer(domain)
                ]
            else:
                ascii_spans = _ascii_domains(domain, 0, len(domain))
            for ascii_start_at, ascii_end_at in ascii_spans:
                ascii_domain = domain[ascii_start_at:ascii_end_at]
                ascii_start = domain.index(ascii_domain, search_from)
                search_from = ascii_start + len(ascii_domain)
                found.append((ascii_domain, start + ascii_start, start + search_from))
                last_index = len(found) - 1
            if last_index is None:
                continue  # no ASCII-only domain: the whole candidate is skipped
            if path:
                # The last ASCII domain found carries the path and the query.
                last_domain, last_start, _ = found[last_index]
                found[last_index] = (url.replace(domain, last_domain, 1), last_start, end)
        else:
            tco = _TCO.match(url)
            if tco is not None:
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group()
                end = start + len(url)
            found.append((url, start, end))
    return found


def extract_urls_with_indices(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """URLs in ``text`` as twitter-text finds them, with their code-point indices.

    URLs with ``http://`` or ``https://`` are found on any domain whose TLD is known; without a
    protocol (``example.com/path``) only ASCII domains are found. Set ``without_protocol`` to
    false to find only URLs that carry their protocol. A t.co link stops after its slug and
    query string.
    """
    _check_text(text)
    return [
        _entity("url", url, start, end) for url, start, end in _url_spans(text, without_protocol)
    ]


def extract_urls(text: str, *, without_protocol: bool = True) -> list[str]:
    """The URLs in ``text`` as written (see :func:`extract_urls_with_indices`)."""
    return [e.value for e in extract_urls_with_indices(text, without_protocol=without_protocol)]


# --------------------------------------------------------------------------------------------
# Hashtags
# --------------------------------------------------------------------------------------------
_HASHTAG = regex.compile(
    f"(?P<before>^|\\ufe0e|\\ufe0f|\\Z|(?!{_HASHTAG_ALNUM}|&).)"
    f"{_HASH}(?!\\ufe0f|\\u20e3)"
    f"(?P<tag>{_HASHTAG_ALNUM}*{_HASHTAG_ALPHA}{_HASHTAG_ALNUM}*)",
    regex.DOTALL | regex.VERSION0,
)
_HASH_SIGN = re.compile(_HASH)
_END_HASHTAG = regex.compile(f"{_HASH}|://")


def _remove_overlaps(entities: list[Entity]) -> list[Entity]:
    """Sort by start; drop every entity that starts inside the previous kept one."""
    entities.sort(key=lambda e: e.start)
    kept: list[Entity] = []
    for entity in entities:
        if kept and kept[-1].end > entity.start:
            continue
        kept.append(entity)
    return kept


def _hashtag_matches(text: str) -> Iterator[regex.Match[str]]:
    """The matches of ``_HASHTAG`` a left-to-right scan of the whole text would give.

    A match is one preceding character (none at the very start) and a hash sign, so it can only
    start at a hash sign's position or the one before: the pattern is tried only there.
    """
    done = 0
    for sign in _HASH_SIGN.finditer(text):
        candidate = max(sign.start() - 1, 0)
        if candidate < done:
            continue  # that character belongs to the previous match, as in the full scan
        match = _HASHTAG.match(text, candidate)
        if match is not None:
            done = match.end()
            yield match


def _hashtags(text: str) -> list[Entity]:
    if "#" not in text and "\uff03" not in text:
        return []
    tags = []
    for match in _hashtag_matches(text):
        if _END_HASHTAG.match(text, match.end()):
            continue
        tag = match.group("tag")
        start = match.end("before")
        tags.append(_entity("hashtag", tag, start, start + len(tag) + 1))
    return tags


def extract_hashtags_with_indices(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """Hashtags in ``text`` with their indices. A hashtag inside a URL is not one (by default)."""
    _check_text(text)
    tags = _hashtags(text)
    if tags and check_url_overlap:
        urls = extract_urls_with_indices(text)
        if urls:
            tags = [e for e in _remove_overlaps(tags + urls) if e.kind == "hashtag"]
    return tags


def extract_hashtags(text: str) -> list[str]:
    """The hashtags in ``text``, without ``#``, in order."""
    return [e.value for e in extract_hashtags_with_indices(text)]


# --------------------------------------------------------------------------------------------
# Mentions, lists and replies
# --------------------------------------------------------------------------------------------
_MENTION = regex.compile(
    "(?P<before>^|[^a-zA-Z0-9_!#$%&*@\uff20]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?)"
    f"{_AT}(?P<name>[a-zA-Z0-9_]{{1,20}})(?P<slug>/[a-zA-Z][a-zA-Z0-9_\\-]{{0,24}})?",
    regex.VERSION0,
)
_END_MENTION = regex.compile(f"{_AT}|[{_LATIN_ACCENTS}]|://")
_REPLY = regex.compile(f"(?:[{_SPACES}]|[{_DIRECTIONAL}])*{_AT}([a-zA-Z0-9_]{{1,20}})")


def extract_mentions_or_lists_with_indices(text: str) -> list[Entity]:
    """Mentions (``@name``) and lists (``@name/slug``) in ``text`` with their indices."""
    _check_text(text)
    if "@" not in text and "\uff20" not in text:
        return []
    found = []
    for match in _MENTION.finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue
        name = match.group("name")
        slug = match.group("slug")
        start = match.end("before")
        if slug:
            found.append(_entity("list", name, start, start + len(name) + len(slug) + 1, slug))
        else:
            found.append(_entity("mention", name, start, start + len(name) + 1))
    return found


def extract_mentions_with_indices(text: str) -> list[Entity]:
    """Mentions of users (not lists) in ``text`` with their indices."""
    return [e for e in extract_mentions_or_lists_with_indices(text) if e.kind == "mention"]


def extract_mentions(text: str) -> list[str]:
    """The usernames mentioned in ``text`` (without ``@``), in order; lists are left out."""
    return [e.value for e in extract_mentions_with_indices(text)]


def extract_reply_username(text: str) -> str | None:
    """The username a text replies to: a mention at its very start (after spaces), or None."""
    _check_text(text)
    match = _REPLY.match(text)
    if match is None or _END_MENTION.match(text, match.end()):
        return None
    return match.group(1)


# --------------------------------------------------------------------------------------------
# Cashtags
# --------------------------------------------------------------------------------------------
_CASHTAG = regex.compile(
    f"(?P<before>^|[{_SPACES}])\\$(?P<tag>[a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)"
    f"(?=\\Z|[{_JS_SPACE}]|[{_PUNCT}])",
    regex.IGNORECASE | regex.VERSION0,
)


def extract_cashtags_with_indices(text: str) -> list[Entity]:
    """Cashtags (``$TWTR``) in ``text`` with their indices."""
    _check_text(text)
    if "$" not in text:
        return []
    found = []
    for match in _CASHTAG.finditer(text):
        tag = match.group("tag")
        start = match.end("before")
        found.append(_entity("cashtag", tag, start, start + len(tag) + 1))
    return found


def extract_cashtags(text: str) -> list[str]:
    """The cashtags in ``text``, without ``$``, in order."""
    return [e.value for e in extract_cashtags_with_indices(text)]


# --------------------------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------------------------
def extract_entities(text: str) -> list[Entity]:
    """Every entity in ``text`` (URLs, mentions and lists, hashtags, cashtags) in text order.

    Where two entities overlap the one that starts first wins (a ``#fragment`` inside a URL is
    part of the URL), as in twitter-text's ``extractEntitiesWithIndices``.
    """
    _check_text(text)
    entities = [
        *extract_urls_with_indices(text),
        *extract_mentions_or_lists_with_indices(text),
        *extract_hashtags_with_indices(text, check_url_overlap=False),
        *extract_cashtags_with_indices(text),
    ]
    if not entities:
        return []
    return _remove_overlaps(entities)


# --------------------------------------------------------------------------------------------
# Validation of a single entity
# --------------------------------------------------------------------------------------------
def is_valid_hashtag(hashtag: str) -> bool:
    """True if ``hashtag`` (with its ``#``) is exactly one hashtag, e.g. ``"#1st"``."""
    _check_text(hashtag, "hashtag")
    if not hashtag:
        return False
    tags = extract_hashtags(hashtag)
    return len(tags) == 1 and tags[0] == hashtag[1:]


def is_valid_username(username: str) -> bool:
    """True if ``username`` (with its ``@``) is exactly one valid mention, e.g. ``"@forno"``."""
    _check_text(username, "username")
    if not username:
        return False
    names = extract_mentions(username)
    return len(names) == 1 and names[0] == username[1:]


def is_valid_list(name: str) -> bool:
    """True if ``name`` is exactly one list reference, ``@owner/slug``, nothing around it."""
    _check_text(name, "name")
    match = _MENTION.fullmatch(name)
    return bool(match and match.group("before") == "" and match.group("slug"))


_UNRESERVED = f"[a-z{_CYRILLIC}0-9\\-._~]"
_PCT = "(?:%[0-9a-f]{2})"
_SUB_DELIMS = "[!$&'()*+,;=]"
_PCHAR = f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|[:|@])"
_DEC_OCTET = "(?:[0-9]|(?:[1-9][0-9])|(?:1[0-9]{2})|(?:2[0-4][0-9])|(?:25[0-5]))"
_IP = f"(?:(?:{_DEC_OCTET}(?:\\.{_DEC_OCTET}){{3}})|(?:\\[[a-f0-9:.]+\\]))"
_NON_ASCII = "[^\\x00-\\x7f]"
_U_SEG_START = f"(?:[a-z0-9]|{_NON_ASCII})"
_U_SUBDOMAIN = f"(?:{_U_SEG_START}(?:(?:[a-z0-9_\\-]|{_NON_ASCII})*{_U_SEG_START})?)"
_U_DOMAIN_SEG = f"(?:{_U_SEG_START}(?:(?:[a-z0-9\\-]|{_NON_ASCII})*{_U_SEG_START})?)"
_U_TLD = f"(?:(?:[a-z]|{_NON_ASCII})(?:(?:[a-z0-9\\-]|{_NON_ASCII})*{_U_SEG_START})?)"
_U_DOMAIN = f"(?:(?:{_U_SUBDOMAIN}\\.)*(?:{_U_DOMAIN_SEG}\\.){_U_TLD})"
_A_SUBDOMAIN = "(?:[a-z0-9](?:[a-z0-9_\\-]*[a-z0-9])?)"
_A_DOMAIN_SEG = "(?:[a-z0-9](?:[a-z0-9\\-]*[a-z0-9])?)"
_A_TLD = "(?:[a-z](?:[a-z0-9\\-]*[a-z0-9])?)"
_A_DOMAIN = f"(?:(?:{_A_SUBDOMAIN}\\.)*(?:{_A_DOMAIN_SEG}\\.){_A_TLD})"
_USERINFO = f"(?:{_UNRESERVED}|{_PCT}|{_SUB_DELIMS}|:)*"
_PORT = "[0-9]{1,5}"

_V_FLAGS = regex.IGNORECASE | regex.VERSION0 | regex.DOTALL
# RFC 3986 appendix B, as twitter-text splits a URL ("." does not match a newline, as in JS).
_V_UNENCODED = regex.compile(
    "(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\\?([^#]*))?(?:#(.*))?\\Z",
    regex.IGNORECASE | regex.VERSION0,
)
_V_SCHEME = regex.compile("[a-z][a-z0-9+\\-.]*", _V_FLAGS)
_V_HTTP = regex.compile("https?\\Z", _V_FLAGS)
_V_PATH = regex.compile(f"(/{_PCHAR}*)*", _V_FLAGS)
_V_QUERY = regex.compile(f"(?:{_PCHAR}|/|\\?)*", _V_FLAGS)
_V_UNICODE_AUTHORITY = regex.compile(
    f"(?:{_USERINFO}@)?(?:{_IP}|{_U_DOMAIN})(?::{_PORT})?", _V_FLAGS
)
_V_ASCII_AUTHORITY = regex.compile(f"(?:{_USERINFO}@)?(?:{_IP}|{_A_DOMAIN})(?::{_PORT})?", _V_FLAGS)


def _first_match_is_whole(pattern: regex.Pattern[str], value: str) -> bool:
    # twitter-text accepts a part when the regex's first match is the whole part.
    match = pattern.match(value)
    return match is not None and match.group() == value


def is_valid_url(url: str, *, unicode_domains: bool = True, require_protocol: bool = True) -> bool:
    """True if ``url`` is, as a whole, a URL twitter-text accepts (RFC 3986 shapes).

    ``require_protocol`` demands ``http://`` or ``https://``; ``unicode_domains`` allows
    internationalised domain names written in Unicode.
    """
    _check_text(url, "url")
    if not url:
        return False
    parts = _V_UNENCODED.match(url)
    if parts is None:
        return False
    scheme, authority, path, query, fragment = parts.groups()
    if require_protocol and (
        scheme is None or not _first_match_is_whole(_V_SCHEME, scheme) or not _V_HTTP.match(scheme)
    ):
        return False
    if not _first_match_is_whole(_V_PATH, path):
        return False
    for optional in (query, fragment):
        if optional and not _first_match_is_whole(_V_QUERY, optional):
            return False
    authority_pattern = _V_UNICODE_AUTHORITY if unicode_domains else _V_ASCII_AUTHORITY
    return _first_match_is_whole(authority_pattern, authority)
