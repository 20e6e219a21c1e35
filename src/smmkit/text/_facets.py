"""Bluesky rich-text facets (``app.bsky.richtext.facet``): links, mentions and hashtags.

Detection follows what the Bluesky app does when it publishes a post (``RichText.detectFacets``
of ``@atproto/api``): a mention is ``@handle`` after a space, an opening parenthesis or the start
of the text, where the handle ends in a known TLD (or ``.test``); a link is ``http(s)://...`` or a
bare domain with a known TLD (which becomes ``https://...``), with one trailing punctuation mark
and an unbalanced closing parenthesis left out; a hashtag is ``#tag`` after a space or at the
start, with trailing punctuation left out. Indices are UTF-8 byte offsets, end exclusive, as the
lexicon requires.

One difference from the app: "known TLD" means the TLD list twitter-text uses (package data,
``twitter_tlds.txt``), compared without regard to case; the app uses the ``tlds`` npm package's
IANA list, compared in lowercase only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import regex

from smmkit.errors import ValidationError

from ._extract import twitter_tlds
from ._graphemes import _check_text, grapheme_count

__all__ = ["FACET_TAG_MAX_BYTES", "FACET_TAG_MAX_GRAPHEMES", "bluesky_facets"]

FACET_TYPE = "app.bsky.richtext.facet"
# The #tag feature's limits in the lexicon app.bsky.richtext.facet.
FACET_TAG_MAX_GRAPHEMES = 64
FACET_TAG_MAX_BYTES = 640

# JavaScript's \s, which the Bluesky app's patterns use.
_WS = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
# regex.ASCII: JavaScript's \\b (without the u flag) knows only ASCII word characters.
_MENTION = regex.compile(f"(?:^|[{_WS}]|\\()@([a-zA-Z0-9.-]+)\\b", regex.VERSION0 | regex.ASCII)
# The link pattern needs no Unicode properties: the standard library's engine runs it faster.
_LINK = re.compile(
    f"(?:^|(?<=[{_WS}(]))"
    f"(?P<uri>https?://[^{_WS}]+|(?P<domain>[a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)[^{_WS}]*)",
    re.IGNORECASE | re.MULTILINE | re.ASCII,
)
_TAG_STOP = "\\u00ad\\u2060\\u200a\\u200b\\u200c\\u200d\\u20e2"
# The app's tag pattern is "#", then a run of characters up to a space, holding at least one
# that is not a digit or punctuation. Written as the run and a search in it, it is linear (the
# app's nested quantifiers backtrack quadratically on "#" and a long run of digits).
_TAG = regex.compile(
    f"(?:^|(?<=[{_WS}]))[#\\uff03](?!\\ufe0f)(?P<tag>[^{_WS}{_TAG_STOP}]*)", regex.VERSION0
)
_TAG_LETTER = regex.compile(f"[^0-9{_WS}\\p{{P}}{_TAG_STOP}]", regex.VERSION0)
_PUNCTUATION = regex.compile("\\p{P}")
# The characters JavaScript's String.prototype.trim removes (the same set as _WS, as characters).
_JS_TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)


def _has_known_tld(domain: str) -> bool:
    _, dot, tld = domain.rpartition(".")
    if not dot:
        return False
    tlds = twitter_tlds()
    tld = tld.lower()
    return tld in tlds["generic"] or tld in tlds["country"]


def _without_trailing_punctuation(tag: str) -> str:
    end = len(tag)
    while end and _PUNCTUATION.match(tag, end - 1):
        end -= 1
    return tag[:end]


class _ByteOffsets:
    """Code-point index to UTF-8 byte offset.

    Indices are asked in increasing order (per kind of facet), so each answer extends the
    previous one: linear in the text, not in the text times the number of facets.
    """

    def __init__(self, text: str) -> None:
        self._ascii = text.isascii()
        self._text = text
        self._index = 0
        self._bytes = 0

    def __call__(self, index: int) -> int:
        if self._ascii:
            return index
        if index < self._index:
            self._index = self._bytes = 0
        self._bytes += len(self._text[self._index : index].encode("utf-8"))
        self._index = index
        return self._bytes


def _facet(byte_start: int, byte_end: int, feature: dict[str, Any]) -> dict[str, Any]:
    return {"index": {"byteStart": byte_start, "byteEnd": byte_end}, "features": [feature]}


def bluesky_facets(
    text: str, *, resolve_handle: Callable[[str], str | None] | None = None
) -> list[dict[str, Any]]:
    """The rich-text facets of a Bluesky post, sorted by position.

    Each facet is a dict shaped as the lexicon ``app.bsky.richtext.facet`` says::

        {"index": {"byteStart": 6, "byteEnd": 17},
         "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://x.it"}]}

    ``byteStart``/``byteEnd`` are UTF-8 byte offsets (end exclusive), so
    ``text.encode()[byteStart:byteEnd]`` is the facet's text.

    A mention facet must carry the account's DID: ``resolve_handle`` maps a handle (as written,
    without ``@``) to its DID, or to None when it does not resolve; unresolved mentions are left
    out, and without ``resolve_handle`` no mention facets are made. Tags longer than the lexicon
    allows (64 graphemes, 640 bytes) are left out.
    """
    _check_text(text)
    if resolve_handle is not None and not callable(resolve_handle):
        raise ValidationError(
            "resolve_handle", resolve_handle, "must be a callable handle -> DID or None"
        )
    try:
        text.encode("utf-8")  # in C; a post is stored as UTF-8, and so are the offsets
    except UnicodeEncodeError as error:
        raise ValidationError(
            "text",
            text,
            f"holds a lone surrogate (U+{ord(text[error.start]):04X} at index {error.start}): "
            "not Unicode text, which Bluesky stores as UTF-8",
            hint="remove the character, or decode the source with errors='replace'.",
        ) from None
    offsets = _ByteOffsets(text)
    facets: list[tuple[int, dict[str, Any]]] = []

    if resolve_handle is not None and "@" in text:
        for match in _MENTION.finditer(text):
            handle = match.group(1)
            if not (_has_known_tld(handle) or handle.endswith(".test")):
                continue  # probably not a handle
            did = resolve_handle(handle)
            if not did:
                continue
            if not isinstance(did, str) or not did.startswith("did:"):
                raise ValidationError(
                    "resolve_handle", did, f"must return a DID ('did:...') or None for {handle!r}"
                )
            start = match.start(1) - 1
            end = match.end(1)
            facets.append(
                (
                    start,
                    _facet(
                        offsets(start),
                        offsets(end),
                        {"$type": f"{FACET_TYPE}#mention", "did": did},
                    ),
                )
            )

    if "." in text:
        for link in _LINK.finditer(text):
            uri = link.group("uri")
            domain = link.group("domain")
            if not uri.lower().startswith("http"):
                if domain is None or not _has_known_tld(domain):
                    continue
                uri = "https://" + uri
            start, end = link.span("uri")
            if uri[-1] in ".,;:!?":
                uri = uri[:-1]
                end -= 1
            if uri.endswith(")") and "(" not in uri:
                uri = uri[:-1]
                end -= 1
            facets.append(
                (
                    start,
                    _facet(
                        offsets(start), offsets(end), {"$type": f"{FACET_TYPE}#link", "uri": uri}
                    ),
                )
            )

    if "#" in text or "\uff03" in text:
        for match in _TAG.finditer(text):
            if _TAG_LETTER.search(match.group("tag")) is None:
                continue  # digits and punctuation only: not a tag
            tag = _without_trailing_punctuation(match.group("tag").strip(_JS_TRIM))
            if (
                not tag
                or grapheme_count(tag) > FACET_TAG_MAX_GRAPHEMES
                or len(tag.encode("utf-8")) > FACET_TAG_MAX_BYTES
            ):
                continue
            start = match.start()
            end = start + 1 + len(tag)
            facets.append(
                (
                    start,
                    _facet(
                        offsets(start), offsets(end), {"$type": f"{FACET_TYPE}#tag", "tag": tag}
                    ),
                )
            )

    facets.sort(key=lambda item: item[0])
    return [facet for _, facet in facets]
