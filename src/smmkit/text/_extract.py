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
from functools import cache
from importlib import resources
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict

from ._graphemes import _check_text

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


class _UrlPatterns:
    """The compiled URL patterns, built on first use (the TLD list makes them costly to build)."""

    def __init__(self) -> None:
        tlds = twitter_tlds()
        trie = _case_insensitive_trie(tlds["generic"] | tlds["country"])
        # Letter case is spelled out in the patterns (JavaScript's "i" flag without "u"), and
        # they need no Unicode properties, so the standard library's engine runs them: about
        # twice as fast as the regex module's here, and without IGNORECASE's cost.
        self.extract = re.compile(_EXTRACT_URL_PATTERN.replace(_TLD_TRIE, trie))
        self.ascii_domain = re.compile(_ASCII_DOMAIN_PATTERN.replace(_TLD_TRIE, trie))


@cache
def _url_patterns() -> _UrlPatterns:
    return _UrlPatterns()


def _label_too_long_or_empty(label: str) -> bool:
    # punycode.toASCII of one label, as twitter-text's idna helper measures it.
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
    if domain.startswith("xn--") and _url_patterns().ascii_domain.search(domain) is None:
        return False  # a punycode-encoded domain cannot contain non-ASCII characters
    return not any(_label_too_long_or_empty(label) for label in domain.split("."))


def _url_fits(url: str, protocol: str, domain: str) -> bool:
    if not _domain_is_encodable(domain):
        return False
    return len(protocol) + len(url) <= _MAX_URL_LENGTH


# A URL never contains one of twitter-text's space characters (only its preceding character may
# be one), and its domain always contains a dot. So the costly URL pattern runs only over the
# space-delimited words that contain a dot followed by a letter (every TLD, and punycode, starts
# with a letter), each with the character before it. Windows are
# disjoint and match the whole-text scan exactly: "^" matches only at the real start of the text
# and "\\Z" at a window's end sees what the lookahead would see there (a space or the end).
_DOT_LETTER = re.compile(r"\.[^\W\d_]")  # a dot then a letter (a superset of TLD starts)
_SPACE = re.compile(f"[{_SPACES}]")
_LAST_SPACE = regex.compile(f"[{_SPACES}]", regex.REVERSE)


def _url_candidates(
    text: str, pattern: re.Pattern[str], *, whole: bool = False
) -> Iterator[re.Match[str]]:
    """The matches of the URL pattern, as a scan of the whole text would give them.

    ``whole=True`` scans the whole text (the reference the windowed scan is tested against).
    """
    if whole:
        yield from pattern.finditer(text)
        return
    done = 0
    for dot in _DOT_LETTER.finditer(text):
        if dot.start() < done:
            continue
        before = _LAST_SPACE.search(text, done, dot.start())
        start = before.start() if before is not None else done
        after = _SPACE.search(text, dot.end())
        end = after.start() if after is not None else len(text)
        yield from pattern.finditer(text, start, end)
        done = end


def _url_spans(text: str, without_protocol: bool = True) -> list[tuple[str, int, int]]:
    """(url, start, end) of every URL, as twitter-text's ``extractUrlsWithIndices`` finds them."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    patterns = _url_patterns()
    found: list[tuple[str, int, int]] = []
    for match in _url_candidates(text, patterns.extract):
        url, protocol, domain, _port, path, _query = match.group(
            "url", "protocol", "domain", "port", "path", "query"
        )
        start, end = match.span("url")
        if not _url_fits(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if not protocol:
            if not without_protocol or _INVALID_WITHOUT_PROTOCOL_BEFORE.search(
                match.group("before")
            ):
                continue
            last_index: int | None = None
            search_from = 0
            for ascii_match in patterns.ascii_domain.finditer(domain):
                ascii_domain = ascii_match.group()
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
