"""Long-form pieces: HTML and Markdown, SEO checks, reading time, newsletters, excerpts."""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_left
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from markdown_it import MarkdownIt

from smmkit._sinks import strip_controls
from smmkit.errors import ValidationError
from smmkit.models import (
    BlogPost,
    Brand,
    Campaign,
    Channel,
    ContentItem,
    LandingPage,
    LongFormPiece,
    MediaAsset,
    Newsletter,
    Platform,
    Variant,
)

from . import _textapi as tx
from ._adapt import adapt
from ._mdlinks import install as install_link_index
from ._validate import Violation
from .rules import RULES, PlatformRules, SeoRule

__all__ = [
    "check_newsletter",
    "check_seo",
    "excerpt_for",
    "plain_text",
    "reading_time",
    "render_html",
    "render_markdown",
]

# CommonMark without raw HTML: any "<script>" in a body is shown as text, never run. Link
# destinations are read from an index of the text (the same answers, see _mdlinks), so that
# "![a](" repeated costs a few bisections per attempt, not a rescan of the next 32 attempts.
_MD = install_link_index(
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
# The inline link and image shapes read from section bodies. They are not run as regular
# expressions: from each of many "[" a backtracking engine rescans the same stretch looking for
# "]" and ")", which is quadratic on "[a](" repeated. _inline_links scans them in linear time;
# these patterns are the reference it is tested against.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_H1 = re.compile(r"^ {0,3}#(?!#)\s", re.MULTILINE)
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_VAGUE_ANCHORS = {
    "click here",
    "clicca qui",
    "qui",
    "here",
    "leggi qui",
    "read more",
    "link",
    "questo link",
    "this link",
}


def _check_piece(piece: object) -> LongFormPiece:
    if not isinstance(piece, LongFormPiece):
        raise ValidationError("piece", piece, "must be a BlogPost, LandingPage or Newsletter")
    return piece


# Every "<" in a Markdown body becomes "&lt;" (no raw HTML, no "<script" in the output),
# except the start of an http(s) or mailto autolink such as <https://...>.
_RAW_LT = re.compile(r"<(?!(?:[hH][tT][tT][pP][sS]?|[mM][aA][iI][lL][tT][oO]):[^\s<>]*>)")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# A link reference definition: [label]: destination
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]*\]:[ \t]*<?([^\s>]*)", re.MULTILINE)


def _md_escape(text: str) -> str:
    """Escape plain text (a title, a heading, alt text) for Markdown: its special characters
    get a backslash, and "&", "<", ">" become entities, so no raw HTML can come out."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", strip_controls(text).replace("\n", " "))


def _unsafe_target(url: str) -> bool:
    """Whether a link target would run something: a scheme other than http(s), mailto or tel
    (``javascript:``, ``data:``, ``vbscript:``...), however it is spelled (entities, case,
    invisible characters). Relative links are safe."""
    plain = _INVISIBLE.sub("", html.unescape(url.strip().strip("<>")))
    scheme = _SCHEME.match(plain)
    return scheme is not None and scheme.group(1).lower() not in _SAFE_SCHEMES


def _md_destination(url: str) -> str:
    """A link destination for ``(<...>)``: characters that would end it are percent-encoded."""
    return "".join(
        f"%{ord(c):02X}" if c in "<>\\" or c.isspace() or not c.isprintable() else c for c in url
    )


class _NextFinder:
    """The next match of a pattern at or after a position, for positions that only grow: each
    stretch of the text is searched once (linear however many times it is asked)."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self.text = text
        self.pattern = pattern
        self.searched_from = 0
        self.found = -1

    def __call__(self, start: int) -> int:
        if not self.searched_from <= start <= self.found:
            match = self.pattern.search(self.text, start)
            self.found = match.start() if match is not None else len(self.text)
            self.searched_from = start
        return self.found


_CLOSE_BRACKET = re.compile(r"\]")
_URL_STOP = re.compile(r"[)\s]")
_NOT_SPACE = re.compile(r"\S")
_QUOTE = re.compile('"')


class _InlineLink(NamedTuple):
    start: int
    end: int
    label: str
    url: str


def _inline_links(text: str, *, image: bool) -> list[_InlineLink]:
    """What ``_MD_IMAGE.finditer`` (``image``) or ``_MD_LINK.finditer`` finds, in linear time.

    Each part of the pattern is decided by the next "]", the next ")" or space, the next
    non-space and the next '"': each found once for all the openers that share it.
    """
    opener = "![" if image else "["
    closing = _NextFinder(text, _CLOSE_BRACKET)
    stop = _NextFinder(text, _URL_STOP)
    word = _NextFinder(text, _NOT_SPACE)
    quote = _NextFinder(text, _QUOTE)
    n = len(text)
    found: list[_InlineLink] = []
    at = text.find(opener)
    while at != -1:
        if not image and at > 0 and text[at - 1] == "!":
            at = text.find(opener, at + 1)
            continue
        label_start = at + len(opener)
        close = closing(label_start)
        end = None
        if close + 1 < n and text[close + 1] == "(":
            url_end = stop(close + 2)
            if url_end < n and text[url_end] == ")":
                end = url_end + 1
            elif url_end < n:  # a space: then a '"title"' and ")"
                title = word(url_end)
                if title < n and text[title] == '"':
                    title_end = quote(title + 1)
                    if title_end + 1 < n and text[title_end + 1] == ")":
                        end = title_end + 2
            if end is not None:
                found.append(
                    _InlineLink(at, end, text[label_start:close], text[close + 2 : url_end])
                )
                at = text.find(opener, end)
                continue
        at = text.find(opener, at + 1)
    return found


def _replace_links(text: str, *, image: bool, replace: Callable[[_InlineLink], str]) -> str:
    """``text`` with each inline link (or image) replaced by ``replace(link)``."""
    pieces: list[str] = []
    position = 0
    for link in _inline_links(text, image=image):
        pieces += [text[position : link.start], replace(link)]
        position = link.end
    pieces.append(text[position:])
    return "".join(pieces)


# Where a link destination starts: after "](" (inline links and images) or "]:" (reference
# definitions), past blanks (one line break allowed) and an opening "<".
_DESTINATION = re.compile(r"\](?:\(|:)[ \t]*(?:\n[ \t]*)?<?")
_SPACE = re.compile(r"\s")
_SCHEME_WINDOW = 512  # a scheme, even spelled with entities and invisible characters, is shorter


def _safe_body(body: str) -> str:
    """A Markdown body with no raw HTML and no link that runs something.

    Every "<" that does not open an http(s)/mailto autolink is written "&lt;". Every link
    destination (after "](" or "]:", however the link's text is bracketed) whose scheme is not
    http(s), mailto or tel, once entities and invisible characters are read (``javascript:``,
    ``jav&#x61;script:``, ``data:``...), gets a "#" in front: it becomes a harmless fragment.
    """
    body = _RAW_LT.sub("&lt;", body)
    space = _NextFinder(body, _SPACE)
    pieces: list[str] = []
    position = 0
    for destination in _DESTINATION.finditer(body):
        start = destination.end()
        stop = min(space(start), start + _SCHEME_WINDOW)
        if _unsafe_target(body[start:stop]):
            pieces += [body[position:start], "#"]
            position = start
    pieces.append(body[position:])
    return "".join(pieces)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _media_src(media: MediaAsset) -> str:
    src = media.url or media.path or ""
    if _unsafe_target(src):
        raise ValidationError(
            "media.url",
            src,
            "an image source must be an http(s) URL or a path",
            hint="use https://",
        )
    return src


def _img_html(media: MediaAsset) -> str:
    size = ""
    if media.width and media.height:
        size = f' width="{media.width}" height="{media.height}"'
    return (
        f'<img src="{_attr(_media_src(media))}" alt="{_attr(media.alt_text or "")}"'
        f'{size} loading="lazy">'
    )


def _img_md(media: MediaAsset) -> str:
    return f"![{_md_escape(media.alt_text or '')}](<{_md_destination(_media_src(media))}>)"


def render_markdown(piece: LongFormPiece) -> str:
    """The piece as Markdown: the title as the only H1, sections as H2, the call to action last.

    Titles, headings and alt texts are escaped (Markdown's special characters get a backslash;
    ``&``, ``<`` and ``>`` become entities). Section bodies are Markdown already and are kept as
    written, except that raw HTML is neutralised (every ``<`` but an http(s) or mailto
    autolink's becomes ``&lt;``, so no ``<script`` comes out) and a link or image whose target
    would run something (``javascript:``, ``data:``...) is replaced by its text. Link targets
    are written inside ``<...>`` with ``<``, ``>`` and spaces percent-encoded.
    """
    piece = _check_piece(piece)
    out: list[str] = []
    if isinstance(piece, LandingPage):
        out.append(f"# {_md_escape(piece.headline)}")
        if piece.subheadline:
            out.append(f"*{_md_escape(piece.subheadline)}*")
    else:
        out.append(f"# {_md_escape(piece.title)}")
    if isinstance(piece, Newsletter) and piece.preheader:
        out.append(f"> {_md_escape(piece.preheader)}")
    if isinstance(piece, BlogPost):
        if piece.author:
            out.append(f"*{_md_escape(piece.author)}*")
        if piece.cover is not None:
            out.append(_img_md(piece.cover))
    for section in piece.sections:
        if section.heading:
            out.append(f"## {_md_escape(section.heading)}")
        if section.image is not None:
            out.append(_img_md(section.image))
        if section.body.strip():
            out.append(_safe_body(section.body.strip()))
    if piece.cta is not None:
        out.append(f"[{_md_escape(piece.cta.label)}](<{_md_destination(piece.cta.url)}>)")
    if isinstance(piece, Newsletter):
        out.append("---")
        link = _md_destination(piece.unsubscribe_placeholder)
        out.append(f"[{_md_escape(_unsubscribe(piece))}](<{link}>)")
    return "\n\n".join(out) + "\n"


def _long_date(piece: BlogPost) -> str:
    """The byline's date in the piece's language ("7 dicembre 2026")."""
    from smmkit.i18n import localizer

    assert piece.published_at is not None
    return localizer(piece.locale or "en").date(piece.published_at.date(), "long")


def _unsubscribe(piece: Newsletter) -> str:
    """The footer's unsubscribe wording in the newsletter's language (message catalogs)."""
    from smmkit.i18n import localizer

    return localizer(piece.locale or "en")._("Unsubscribe")


def _body_html(body: str) -> str:
    return str(_MD.render(body)).strip()


def render_html(piece: LongFormPiece, *, document: bool = True) -> str:
    """The piece as HTML5: every text is escaped, section bodies go through CommonMark with raw
    HTML disabled (so a ``<script>`` in a body shows as text).

    With ``document=True`` (default) the result is a whole page with ``<title>``, the meta
    description and the canonical link from ``piece.seo``; a newsletter also gets its hidden
    preheader and an unsubscribe footer with its placeholder. Otherwise only the ``<article>``.
    """
    piece = _check_piece(piece)
    parts: list[str] = []
    if isinstance(piece, Newsletter) and piece.preheader:
        parts.append(
            '<div class="preheader" style="display:none;max-height:0;overflow:hidden">'
            f"{html.escape(piece.preheader)}</div>"
        )
    parts.append("<article>")
    if isinstance(piece, LandingPage):
        parts.append(f"<header><h1>{html.escape(piece.headline)}</h1>")
        if piece.subheadline:
            parts.append(f'<p class="subheadline">{html.escape(piece.subheadline)}</p>')
        parts.append("</header>")
    else:
        parts.append(f"<h1>{html.escape(piece.title)}</h1>")
    if isinstance(piece, BlogPost):
        if piece.author or piece.published_at:
            byline = html.escape(piece.author or "")
            when = (
                f' <time datetime="{piece.published_at.isoformat()}">'
                f"{html.escape(_long_date(piece))}</time>"
                if piece.published_at
                else ""
            )
            parts.append(f'<p class="byline">{byline}{when}</p>')
        if piece.cover is not None:
            parts.append(f"<figure>{_img_html(piece.cover)}</figure>")
    for section in piece.sections:
        parts.append("<section>")
        if section.heading:
            parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        if section.image is not None:
            parts.append(f"<figure>{_img_html(section.image)}</figure>")
        if section.body.strip():
            parts.append(_body_html(section.body))
        parts.append("</section>")
    if piece.cta is not None:
        parts.append(
            f'<p class="cta"><a href="{_attr(piece.cta.url)}">'
            f"{html.escape(piece.cta.label)}</a></p>"
        )
    if isinstance(piece, Newsletter):
        parts.append(
            f'<footer><p><a href="{_attr(piece.unsubscribe_placeholder)}">'
            f"{html.escape(_unsubscribe(piece))}</a></p></footer>"
        )
    parts.append("</article>")
    body = "\n".join(parts)
    if not document:
        return body
    seo = piece.seo
    title = seo.title if seo else piece.title
    head = [
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ]
    if seo is not None:
        head.append(f'<meta name="description" content="{_attr(seo.meta_description)}">')
        if seo.canonical_url:
            head.append(f'<link rel="canonical" href="{_attr(seo.canonical_url)}">')
    lang = f' lang="{_attr(piece.locale)}"' if piece.locale else ""
    return (
        f"<!DOCTYPE html>\n<html{lang}>\n<head>\n"
        + "\n".join(head)
        + f"\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def plain_text(piece: LongFormPiece) -> str:
    """A plain-text version (a newsletter's text/plain alternative): no markup, links in full."""
    piece = _check_piece(piece)
    lines: list[str] = []
    headline = piece.headline if isinstance(piece, LandingPage) else piece.title
    lines += [headline, "=" * min(len(headline), 72), ""]
    if isinstance(piece, LandingPage) and piece.subheadline:
        lines += [piece.subheadline, ""]
    if isinstance(piece, Newsletter) and piece.preheader:
        lines += [piece.preheader, ""]
    for section in piece.sections:
        if section.heading:
            lines += [section.heading, "-" * min(len(section.heading), 72), ""]
        if section.body.strip():
            lines += [_markdown_to_text(section.body), ""]
    if piece.cta is not None:
        lines += [f"{piece.cta.label}: {piece.cta.url}", ""]
    if isinstance(piece, Newsletter):
        lines += ["--", f"{_unsubscribe(piece)}: {piece.unsubscribe_placeholder}"]
    return "\n".join(lines).strip() + "\n"


_NEWLINE = re.compile("\n")
_EMPHASIS_OPEN = re.compile(r"(?<![\w*])[*_](?!\s)")
_WORD_OR_STAR = re.compile(r"[\w*]")


def _strip_emphasis(text: str) -> str:
    """What ``re.sub(r"(?<![\\w*])[*_](?!\\s)(.+?)(?<!\\s)[*_](?![\\w*])", r"\\1", text)``
    gives, in linear time.

    Whether a "*" or "_" can close does not depend on where the emphasis opened (it needs a
    non-space before it and no word character or "*" after it), so the closers are listed once
    and each opener takes the first one at least two characters on, on the same line.
    """
    closers = [
        i
        for i in range(1, len(text))
        if text[i] in "*_"
        and not text[i - 1].isspace()
        and (i + 1 == len(text) or _WORD_OR_STAR.match(text, i + 1) is None)
    ]
    if not closers:
        return text
    pieces: list[str] = []
    position = 0
    newline = _NextFinder(text, _NEWLINE)
    for opener in _EMPHASIS_OPEN.finditer(text):
        start = opener.start()
        if start < position or start + 1 >= len(text):
            continue
        k = bisect_left(closers, start + 2)
        if k == len(closers):
            break
        close = closers[k]
        if newline(start + 1) < close:
            continue  # "." does not cross a line: no emphasis opens here
        pieces += [text[position:start], text[start + 1 : close]]
        position = close + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _markdown_to_text(body: str) -> str:
    text = _replace_links(body, image=True, replace=lambda m: f"[{m.label}]" if m.label else "")
    text = _replace_links(text, image=False, replace=lambda m: f"{m.label} ({m.url.strip('<>')})")
    text = re.sub(r"^ {0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = _strip_emphasis(text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^ {0,3}>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _words(piece: LongFormPiece) -> int:
    count = len(_WORD.findall(piece.title))
    for section in piece.sections:
        count += len(_WORD.findall(section.heading or ""))
        count += len(_WORD.findall(_markdown_to_text(section.body)))
    return count


def reading_time(piece: LongFormPiece, *, words_per_minute: int = 200) -> int:
    """Whole minutes to read the piece (at least 1), at ``words_per_minute`` (default 200)."""
    piece = _check_piece(piece)
    if not isinstance(words_per_minute, int) or words_per_minute <= 0:
        raise ValidationError("words_per_minute", words_per_minute, "must be a positive int")
    return max(1, math.ceil(_words(piece) / words_per_minute))


def _seo_rule(platform: Platform, rules: PlatformRules | None) -> SeoRule:
    source = rules if rules is not None else RULES[platform]
    assert source.seo is not None
    return source.seo


def _finding(
    rule: str,
    field: str,
    message: str,
    *,
    measured: Any = None,
    limit: Any = None,
    severity: str = "error",
) -> Violation:
    return Violation(
        rule=rule, field=field, message=message, measured=measured, limit=limit, severity=severity
    )


def check_seo(piece: LongFormPiece, *, rules: PlatformRules | None = None) -> list[Violation]:
    """SEO checks of a page: title and meta description lengths, slug, exactly one H1, alt text
    on every image, and links (absolute, not empty, not "click here").

    Lengths are counted in graphemes against ``rules.seo`` (default: WordPress's, 60 and 160).
    Problems are returned, never raised.
    """
    piece = _check_piece(piece)
    seo_rule = _seo_rule(Platform.WORDPRESS, rules)
    out: list[Violation] = []
    seo = piece.seo
    title = seo.title if seo else piece.title
    size = tx.grapheme_count(title)
    if size > seo_rule.title_max:
        out.append(
            _finding(
                "seo.title_max",
                "seo.title",
                f"the page title is {size} characters; keep it to "
                f"{seo_rule.title_max} so search results show it whole",
                measured=size,
                limit=seo_rule.title_max,
            )
        )
    if seo is None:
        out.append(_finding("seo.missing", "seo", "no SEO title and meta description"))
    else:
        size = tx.grapheme_count(seo.meta_description)
        if size > seo_rule.description_max:
            out.append(
                _finding(
                    "seo.description_max",
                    "seo.meta_description",
                    f"the meta description is {size} characters; keep it to "
                    f"{seo_rule.description_max}",
                    measured=size,
                    limit=seo_rule.description_max,
                )
            )
        if seo_rule.description_min is not None and size < seo_rule.description_min:
            out.append(
                _finding(
                    "seo.description_min",
                    "seo.meta_description",
                    f"the meta description is only {size} characters",
                    measured=size,
                    limit=seo_rule.description_min,
                    severity="warning",
                )
            )
    if len(piece.slug) > 75 or piece.slug.count("-") >= 8:
        out.append(
            _finding(
                "seo.slug",
                "slug",
                "the slug is long; keep 3 to 5 words",
                measured=len(piece.slug),
                limit=75,
                severity="warning",
            )
        )
    h1 = 1 + sum(len(_MD_H1.findall(s.body)) for s in piece.sections)
    if h1 != 1:
        out.append(
            _finding(
                "seo.h1",
                "sections",
                f"{h1} H1 headings; a page needs exactly one (use ## in section bodies)",
                measured=h1,
                limit=1,
            )
        )
    images: list[tuple[str, MediaAsset]] = []
    if isinstance(piece, BlogPost) and piece.cover is not None:
        images.append(("cover", piece.cover))
    for i, section in enumerate(piece.sections):
        if section.image is not None:
            images.append((f"sections[{i}].image", section.image))
    for where, image in images:
        if not (image.alt_text or "").strip():
            out.append(_finding("seo.alt_text", where, "an image without alt text"))
    for i, section in enumerate(piece.sections):
        for inline in _inline_links(section.body, image=True):
            if not inline.label.strip():
                out.append(
                    _finding(
                        "seo.alt_text",
                        f"sections[{i}].body",
                        f"image {inline.url!r} has no alt text",
                    )
                )
        for link in _inline_links(section.body, image=False):
            label, url = link.label.strip(), link.url.strip("<>")
            where = f"sections[{i}].body"
            if not label:
                out.append(_finding("seo.link_text", where, f"link to {url!r} has no text"))
            elif label.lower() in _VAGUE_ANCHORS:
                out.append(
                    _finding(
                        "seo.link_text",
                        where,
                        f"link text {label!r} says nothing about {url!r}",
                        severity="warning",
                    )
                )
            if _unsafe_target(url):
                out.append(_finding("seo.link_url", where, f"unsafe link {url!r}"))
            elif not url:
                out.append(_finding("seo.link_url", where, "a link without a URL"))
            elif url.lower().startswith("http://"):
                out.append(
                    _finding("seo.link_url", where, f"{url!r} is not HTTPS", severity="warning")
                )
    return out


_PLACEHOLDER = re.compile(r"^(?:\{\{\s*[a-z_]+\s*\}\}|\*\|[A-Z_]+\|\*|%[a-z_]+%)$")


def check_newsletter(
    newsletter: Newsletter,
    *,
    html_body: str | None = None,
    rules: PlatformRules | None = None,
) -> list[Violation]:
    """Checks of a newsletter: subject and preheader lengths (Mailchimp's rules by default),
    the unsubscribe placeholder (well formed, and present in ``html_body`` when you give your
    own template), and a plain-text alternative that is not empty.
    """
    if not isinstance(newsletter, Newsletter):
        raise ValidationError("newsletter", newsletter, "must be a Newsletter")
    seo_rule = _seo_rule(Platform.MAILCHIMP, rules)
    out: list[Violation] = []
    subject = tx.grapheme_count(newsletter.subject)
    if subject > seo_rule.title_max:
        out.append(
            _finding(
                "newsletter.subject_max",
                "title",
                f"the subject is {subject} characters; at most {seo_rule.title_max}",
                measured=subject,
                limit=seo_rule.title_max,
            )
        )
    elif subject > 60:
        out.append(
            _finding(
                "newsletter.subject_long",
                "title",
                f"the subject is {subject} characters; inboxes cut it after about 60",
                measured=subject,
                limit=60,
                severity="warning",
            )
        )
    if not newsletter.preheader:
        out.append(
            _finding(
                "newsletter.preheader_missing",
                "preheader",
                "no preheader: inboxes will show the first words of the body",
                severity="warning",
            )
        )
    else:
        size = tx.grapheme_count(newsletter.preheader)
        if size > seo_rule.description_max:
            out.append(
                _finding(
                    "newsletter.preheader_max",
                    "preheader",
                    f"the preheader is {size} characters; at most {seo_rule.description_max}",
                    measured=size,
                    limit=seo_rule.description_max,
                )
            )
        if seo_rule.description_min is not None and size < seo_rule.description_min:
            out.append(
                _finding(
                    "newsletter.preheader_min",
                    "preheader",
                    f"the preheader is only {size} characters; aim for "
                    f"{seo_rule.description_min} to 100",
                    measured=size,
                    limit=seo_rule.description_min,
                    severity="warning",
                )
            )
    placeholder = newsletter.unsubscribe_placeholder.strip()
    if not _PLACEHOLDER.match(placeholder):
        out.append(
            _finding(
                "newsletter.unsubscribe",
                "unsubscribe_placeholder",
                f"{placeholder!r} is not a merge tag such as {{{{unsubscribe_url}}}} or *|UNSUB|*",
                measured=placeholder,
            )
        )
    if html_body is not None:
        present = placeholder in html_body
    else:
        # render_html's footer links to the escaped placeholder: when escaping leaves it as it
        # is, the page holds it without rendering the sections (a long body costs nothing).
        footer_href = _attr(newsletter.unsubscribe_placeholder)
        present = placeholder in footer_href or placeholder in render_html(newsletter)
    if not present:
        out.append(
            _finding(
                "newsletter.unsubscribe",
                "html_body",
                f"the body has no unsubscribe link ({placeholder!r})",
            )
        )
    if not plain_text(newsletter).strip():
        out.append(_finding("newsletter.plain_text", "sections", "empty plain-text version"))
    return out


def _first_paragraph(piece: LongFormPiece) -> str:
    for section in piece.sections:
        text = _markdown_to_text(section.body)
        for paragraph in re.split(r"\n\s*\n", text):
            if paragraph.strip():
                return " ".join(paragraph.split())
    return ""


_TAG_OK = re.compile(r"^\w*[^\W\d]\w*$")


def _hashtag(tag: str) -> str | None:
    words = re.findall(r"\w+", tag)
    joined = "".join(w[:1].upper() + w[1:] for w in words) if len(words) > 1 else "".join(words)
    return joined if joined and _TAG_OK.match(joined) else None


def excerpt_for(
    piece: LongFormPiece,
    channel: Channel,
    *,
    url: str | None = None,
    brand: Brand | None = None,
    campaign: Campaign | None = None,
    rules: PlatformRules | None = None,
    now: datetime | None = None,
) -> Variant:
    """A social post that promotes a long-form piece on ``channel`` (repurposing).

    The post is the title, the first paragraph and the link (``url``, else the canonical URL,
    else the call to action's), with the blog post's tags as hashtags; it goes through
    :func:`~smmkit.content.adapt`, so it fits the platform and its links carry UTM tags.
    """
    piece = _check_piece(piece)
    link = url or (piece.seo.canonical_url if piece.seo else None)
    if link is None and piece.cta is not None and piece.cta.url.startswith("http"):
        link = piece.cta.url
    headline = piece.headline if isinstance(piece, LandingPage) else piece.title
    paragraph = _first_paragraph(piece)
    text = headline.rstrip()
    if paragraph:
        text = (text if text.endswith((".", "!", "?", "…", ":")) else text + ".") + " " + paragraph
    tags = [t for t in (_hashtag(tag) for tag in getattr(piece, "tags", ())) if t]
    item = ContentItem(
        id=f"{piece.slug}-excerpt",
        title=headline,
        text=text,
        locale=piece.locale,
        links=(link,) if link else (),
        hashtags=tuple(tags),
        campaign=piece.campaign if campaign is None else None,
        pillar=None,
    )
    return adapt(item, channel, brand=brand, campaign=campaign, rules=rules, now=now).variant
