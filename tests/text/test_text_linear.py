"""The linear URL scanner gives exactly what twitter-text's regular expressions give.

``smmkit.text`` finds URLs with a hand-written scanner (linear in the text) instead of running
twitter-text's URL pattern, which a backtracking engine runs in quadratic time on text such as
``"a." * 4000``. The regular expressions are kept as the reference: these property tests compare
every captured part on generated text made of the pieces URLs are built from, and the conformance
suite (``test_text_twitter_conformance.py``) still passes whole.
"""

from __future__ import annotations

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smmkit.text import bluesky_facets, grapheme_count, graphemes
from smmkit.text._extract import (
    _ascii_domains,
    _url_candidates,
    _url_patterns,
    _url_spans,
    _window_urls,
)

# Pieces URLs (and near-URLs) are made of.
URL_PIECES = [
    "a",
    "b",
    "Z",
    "0",
    "9",
    "é",
    "ü",
    "中",
    "я",
    "-",
    "_",
    ".",
    ".",
    "..",
    "/",
    ":",
    "?",
    "#",
    "@",
    "$",
    "+",
    "=",
    "&",
    "!",
    "(",
    ")",
    "[",
    "]",
    "~",
    "'",
    ",",
    "%",
    " ",
    "\n",
    "\u3000",
    "\ufffe",
    "．",
    "。",
    "\u2013",
    "com",
    "co",
    "it",
    "jp",
    "uk",
    "c",
    "comm",
    "de",
    "рф",
    "中国",
    "xn--",
    "xn--p1ai",
    "http://",
    "https://",
    "HTTP://",
    "htt",
    "www.",
    "t.co/",
    "fornoaurora",
    "example",
    "a.com",
    "a.co",
    "x.it/",
    "ab-c_d.",
]
url_text = st.lists(st.sampled_from(URL_PIECES), max_size=40).map("".join)


def _reference_groups(text: str) -> list[tuple[object, ...]]:
    return [
        (
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
        for m in _url_patterns().extract.finditer(text)
    ]


@settings(max_examples=1500, deadline=None)
@given(url_text)
@example("a." * 50 + "com")
@example("ab-c_d." * 10 + "co")
@example("é.com ü.it")
@example("http://xn--a.xn--b.com/x")
@example("a.coma.com")
@example("x.it/(a(b)c)?q=1#f")
def test_scanner_captures_what_the_regex_captures(text: str) -> None:
    assert [tuple(m) for m in _url_candidates(text)] == _reference_groups(text)


@settings(max_examples=800, deadline=None)
@given(url_text)
@example("üx.it/a x.it")
@example("x.it/" * 30 + " é.com")
def test_windows_scanned_alone_capture_what_the_regex_captures(text: str) -> None:
    # Every window scanned as a string of its own (as long windows are, to share the scan
    # between the texts of one call): the same matches, at the same places.
    _window_urls.cache_clear()
    assert [tuple(m) for m in _url_candidates(text, cache_from=0)] == _reference_groups(text)
    # ... and the same again when the windows' scans are answered from the cache.
    assert [tuple(m) for m in _url_candidates(text, cache_from=0)] == _reference_groups(text)


@settings(max_examples=800, deadline=None)
@given(url_text, st.booleans())
@example("fornoaurora.it/menu www.a.com.b.中国.it", True)
def test_url_spans_equal_the_reference(text: str, without_protocol: bool) -> None:
    assert _url_spans(text, without_protocol) == _url_spans(text, without_protocol, reference=True)


@settings(max_examples=800, deadline=None)
@given(url_text)
@example("a.b.c.com")
@example("-.-.com.x")
def test_ascii_domains_equal_the_reference(text: str) -> None:
    reference = [m.span() for m in _url_patterns().ascii_domain.finditer(text)]
    assert list(_ascii_domains(text, 0, len(text))) == reference


GRAPHEME_PIECES = [
    "🇮",
    "🇹",
    "🇮🇹",
    "\u0301",
    "\u0600",  # Prepend
    "\u200d",
    "👨",
    "\u0903",  # SpacingMark
    "\r",
    "\n",
    "a",
    " ",
    "\u1100",
    "\u1161",
    "\ufe0f",
]
grapheme_text = st.lists(st.sampled_from(GRAPHEME_PIECES), max_size=60).map("".join)
_CLUSTER = regex.compile(r"\X", regex.DOTALL)


@settings(max_examples=1000, deadline=None)
@given(grapheme_text)
@example("🇮" * 17 + "\u0301")
@example("\u0600" + "🇮" * 9)
@example("🇮" * 8 + "\u200d👨" + "🇹" * 9)
def test_graphemes_with_long_flag_runs_equal_the_segmenter(text: str) -> None:
    # Long runs of regional indicators are cut into pairs instead of being segmented.
    assert graphemes(text) == _CLUSTER.findall(text)
    assert grapheme_count(text) == len(_CLUSTER.findall(text))


# The Bluesky app's tag pattern as it was written (nested quantifiers: quadratic on "#" and a
# long run of digits); smmkit finds the run and searches it for a letter instead.
_WS = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_STOP = "\\u00ad\\u2060\\u200a\\u200b\\u200c\\u200d\\u20e2"
_APP_TAG = regex.compile(
    f"(?:^|(?<=[{_WS}]))[#\\uff03]"
    f"(?P<tag>(?!\\ufe0f)[^{_WS}{_STOP}]*[^0-9{_WS}\\p{{P}}{_STOP}]+[^{_WS}{_STOP}]*)",
    regex.VERSION0,
)
_APP_TRAILING = regex.compile("\\p{P}+\\Z")
TAG_PIECES = ["#", "＃", "1", "a", "é", "!", ".", " ", "\n", "\ufe0f", "\u200d", "_", "-", "中"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=40).map("".join))
@example("#123 #1a2 #a!!! #!!a! #\ufe0fa")
def test_bluesky_tags_equal_the_apps_pattern(text: str) -> None:
    expected = []
    for m in _APP_TAG.finditer(text):
        tag = _APP_TRAILING.sub("", m.group("tag").strip())
        if tag and len(tag) <= 64:
            expected.append((m.start(), tag))
    found = [
        (f["index"]["byteStart"], f["features"][0]["tag"])
        for f in bluesky_facets(text)
        if f["features"][0]["$type"].endswith("#tag")
    ]
    # byte offsets: compare on the code-point starts
    starts = [len(text.encode()[:b].decode()) for b, _ in found]
    assert [(s, t) for s, (_, t) in zip(starts, found, strict=True)] == expected
