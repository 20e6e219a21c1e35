"""A minimal stand-in for :mod:`smmkit.text`, used only while that package is unavailable.

It follows twitter-text's config v3 for the weighted length and finds entities with simple
patterns (URLs with a scheme or a ``www.`` prefix or a common top-level domain, hashtags,
mentions, cashtags). :mod:`smmkit.text` is the reference implementation; this exists so that
``content`` keeps working on an installation that lacks it.
"""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

import regex

__all__ = ["Entity", "XParseResult", "bluesky_facets", "extract_entities", "parse_x"]


class Entity(NamedTuple):
    kind: str
    value: str
    start: int
    end: int


class XParseResult(NamedTuple):
    weighted_length: int
    valid: bool


_TLDS = (
    "com|org|net|it|eu|uk|de|fr|es|io|co|ly|me|app|dev|info|biz|social|shop|store|blog|news|"
    "online|site|xyz|ch|at|nl|be|us|ca|au|in|jp|cn|ru|br"
)
_URL = regex.compile(
    r"(?<![\w@.])(?:https?://[^\s<>\"]+|(?:www\.)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:"
    + _TLDS
    + r")(?![\p{L}\p{N}])(?::\d+)?(?:/[^\s<>\"]*)?)",
    regex.IGNORECASE,
)
_TRAILING = ".,;:!?'\")]}»…"
_HASHTAG = regex.compile(
    r"(?<![\p{L}\p{N}_&/#＃])[#＃]([\p{L}\p{M}\p{N}_]*[\p{L}][\p{L}\p{M}\p{N}_]*)"
)
_MENTION = regex.compile(r"(?<![\p{L}\p{N}_@＠!#$])[@＠]([A-Za-z0-9_]{1,20})(?![A-Za-z0-9_@＠])")
_CASHTAG = regex.compile(r"(?<![\p{L}\p{N}_$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")


def _urls(text: str) -> list[Entity]:
    found = []
    for m in _URL.finditer(text):
        start, end = m.start(), m.end()
        value = text[start:end]
        while value and value[-1] in _TRAILING:
            if value[-1] == ")" and value.count("(") >= value.count(")"):
                break
            value = value[:-1]
            end -= 1
        if value:
            found.append(Entity("url", value, start, end))
    return found


def extract_entities(text: str) -> list[Entity]:
    """URLs, hashtags, mentions and cashtags of ``text`` (code-point indices, end exclusive)."""
    urls = _urls(text)

    def inside(pos: int) -> bool:
        return any(u.start <= pos < u.end for u in urls)

    found = list(urls)
    for pattern, kind in ((_HASHTAG, "hashtag"), (_MENTION, "mention"), (_CASHTAG, "cashtag")):
        for m in pattern.finditer(text):
            if not inside(m.start()):
                found.append(Entity(kind, m.group(1), m.start(), m.end()))
    found.sort(key=lambda e: e.start)
    return found


def _weight(code_point: int) -> int:
    if (
        code_point <= 4351
        or 8192 <= code_point <= 8205
        or 8208 <= code_point <= 8223
        or 8242 <= code_point <= 8247
    ):
        return 100
    return 200


_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def parse_x(text: str, config: str = "v3") -> XParseResult:
    """X's weighted length by config v3 (URLs 23, emoji sequences 2, CJK 2, Latin 1)."""
    normal = unicodedata.normalize("NFC", text)
    total = 0
    pos = 0
    for url in _urls(normal):
        total += _chunk(normal[pos:url.start]) + 2300
        pos = url.end
    total += _chunk(normal[pos:])
    length = total // 100
    return XParseResult(length, 0 < length <= 280)


def _chunk(text: str) -> int:
    total = 0
    for g in regex.findall(r"\X", text):
        if _EMOJI.search(g) and not g.isascii():
            total += 200
        else:
            total += sum(_weight(ord(c)) for c in g)
    return total


def bluesky_facets(text: str, resolve_handle: Any = None) -> list[dict[str, Any]]:
    """Link and tag facets with UTF-8 byte offsets (mentions need a resolver: skipped here)."""
    out: list[dict[str, Any]] = []
    for e in extract_entities(text):
        start = len(text[: e.start].encode())
        end = start + len(text[e.start:e.end].encode())
        index = {"byteStart": start, "byteEnd": end}
        if e.kind == "url":
            uri = e.value if "://" in e.value else f"https://{e.value}"
            out.append({"index": index,
                        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}]})
        elif e.kind == "hashtag":
            out.append({"index": index,
                        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": e.value}]})
    return out
