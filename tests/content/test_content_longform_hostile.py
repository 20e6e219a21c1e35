"""Long-form output on hostile input: linear scanners equal the patterns they replace, no raw
``<script`` in any Markdown output, no link that runs something."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from smmkit.content import plain_text, render_html, render_markdown
from smmkit.content._longform import (
    _MD_IMAGE,
    _MD_LINK,
    _inline_links,
    _safe_body,
    _strip_emphasis,
)
from smmkit.errors import ValidationError
from smmkit.models import BlogPost, CallToAction, LandingPage, MediaAsset, Newsletter, Section

MD_PIECES = ["[", "]", "(", ")", "![", "a", "b c", " ", "\n", '"', '"t"', "<", ">", "*", "_"]
MD_PIECES += ["**", "`", "x.it", "https://a.it", "javascript:", "\\", "!", "#", "&"]
markdown = st.lists(st.sampled_from(MD_PIECES), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(markdown)
@example('[a](b) ![c](d "t") [e](f g) [h](i  "j")k)')
@example("[a](" * 20)
def test_inline_link_scanner_equals_the_patterns(text: str) -> None:
    for image, pattern in ((True, _MD_IMAGE), (False, _MD_LINK)):
        expected = [(m.start(), m.end(), m.group(1), m.group(2)) for m in pattern.finditer(text)]
        assert [tuple(link) for link in _inline_links(text, image=image)] == expected


_EMPHASIS = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["*", "_", "a", " ", "\n", "é", "**", ".", "1"]), max_size=30))
@example(list(" _a" * 10))
@example(["_a_", " ", "*b*", "\n", "*c", "\n", "d*"])
def test_emphasis_scanner_equals_the_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _strip_emphasis(text) == _EMPHASIS.sub(r"\1", text)


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT src=//x>",
    "<script:alert(1)>",
    "<javascript:alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1))",
    "[x](\njavascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "![i](data:text/html;base64,PHNjcmlwdD4=)",
    "[x]: javascript:alert(1)\n\n[y][x]",
    "<img src=x onerror=alert(1)>",
    "`<script>`",
    "&lt;script&gt;",
]


def _pieces(hostile: str) -> list[BlogPost | LandingPage | Newsletter]:
    section = Section(heading=hostile, body=f"Testo. {hostile} fine.")
    return [
        BlogPost(title=hostile, slug="ostile", author=hostile, sections=(section,)),
        LandingPage(
            title="t",
            slug="ostile",
            headline=hostile,
            subheadline=hostile,
            sections=(section,),
            cta=CallToAction(label="Vai", url="https://fornoaurora.it/<script>"),
        ),
        Newsletter(title=hostile, slug="ostile", preheader=hostile, sections=(section,)),
    ]


_RENDER = MarkdownIt("commonmark")  # raw HTML on, as a careless consumer would render it


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_markdown_output_holds_a_raw_script_or_a_running_link(hostile: str) -> None:
    for piece in _pieces(hostile):
        text = render_markdown(piece)
        assert "<script" not in text.lower()
        rendered = _RENDER.render(text).lower()
        assert "<script" not in rendered and "onerror" not in rendered.replace("onerror=", "")
        for target in re.findall(r'(?:href|src)="([^"]*)"', rendered):
            assert not target.startswith(("javascript:", "data:", "vbscript:")), target
        assert "<script" not in render_html(piece).lower()
        plain_text(piece)  # never raises


def test_safe_links_and_autolinks_are_kept() -> None:
    body = "Leggi [qui](https://fornoaurora.it/a) o <https://fornoaurora.it> o ![f](/f.jpg)."
    assert _safe_body(body) == body
    hostile = "[x](javascript:alert(1)) e [y](https://a.it) [z]( \n jav&#x61;script:a)"
    assert _safe_body(hostile) == (
        "[x](#javascript:alert(1)) e [y](https://a.it) [z]( \n #jav&#x61;script:a)"
    )


def test_an_image_whose_source_runs_something_is_refused() -> None:
    cover = MediaAsset(kind="image", url="https://a.it/x.jpg", mime_type="image/jpeg", alt_text="x")
    post = BlogPost(title="t", slug="t", cover=cover, sections=(Section(body="b"),))
    bad = post.model_copy(update={"cover": cover.model_copy(update={"url": "javascript:x"})})
    with pytest.raises(ValidationError, match="image source"):
        render_markdown(bad)


def _url_hints_reference(text: str) -> list[int]:
    # The character loop the pattern replaced.
    hints: list[int] = []
    start = 0
    while (i := text.find("://", start)) != -1:
        hints.append(i)
        start = i + 3
    if not text.isascii():
        hints += [m.start() for m in re.finditer("[．。｡]", text)]
    i = text.find(".", 1)
    while i != -1 and i + 1 < len(text):
        before, after = text[i - 1], text[i + 1]
        if before != "." and not before.isspace() and after.isalnum() and not after.isdecimal():
            hints.append(i - 1)
        i = text.find(".", i + 1)
    return hints


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a.1 _\n:/．²é中x")), max_size=40))
@example("a.b.c..d .e 1.2 a.² a._ é.中")
def test_url_hints_equal_the_character_loop(text: str) -> None:
    from smmkit.content._textapi import _url_hints

    assert _url_hints(text) == _url_hints_reference(text)


DESTINATION_PIECES = ["(", ")", "\\", " ", "\n", "\t", "\x7f", "x", "<", ">", "a(b)", "\\ ", "\\("]
destination_text = st.lists(st.sampled_from(DESTINATION_PIECES), min_size=1, max_size=60).map(
    "".join
)


@settings(max_examples=1500, deadline=None)
@given(destination_text, st.data())
@example("(" * 40 + "x", None)
@example("\\" * 3 + " (a)", None)
def test_indexed_link_destination_equals_markdown_it(text: str, data: st.DataObject | None) -> None:
    from markdown_it import helpers

    from smmkit.content._mdlinks import parse_link_destination

    positions = (
        [(p, len(text)) for p in range(len(text))]
        if data is None
        else [
            (p, data.draw(st.integers(p, len(text) + 1)))
            for p in [data.draw(st.integers(0, len(text))) for _ in range(3)]
        ]
    )
    for pos, maximum in positions:
        want = helpers.parseLinkDestination(text, pos, maximum)
        got = parse_link_destination(text, pos, maximum, min_indexed=0)
        assert (got.ok, got.pos, got.str) == (want.ok, want.pos, want.str), (pos, maximum)


LINKISH = [
    "![a](",
    "[a](",
    "[",
    "]",
    "(",
    ")",
    "x",
    " ",
    "\n",
    "\\",
    "<b>",
    "`",
    '"t"',
    "[a]: /u\n",
    "[[",
    "*",
    "_",
    "[a]",
    "![",
    "](",
    "[" * 25,
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINKISH), min_size=60, max_size=200).map("".join))
@example("![a](" * 80)
@example("[a](" * 40 + ")" * 40)
@example("[" * 300)
@example("[" * 300 + "]")
@example("*_[`" * 100)
@example("[a]: /u\n\n" + "[a][" * 30 + "]" * 5)
def test_rendering_with_the_index_equals_markdown_it(body: str) -> None:
    # Long enough that the index is used; the HTML must be markdown-it's own, character for
    # character (the index changes how fast, never what).
    plain = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    from smmkit.content._longform import _MD

    assert _MD.render(body) == plain.render(body)
