"""Long-form pieces: HTML and Markdown, SEO checks, reading time, newsletters, excerpts."""

from __future__ import annotations

import html
import math
import re
from datetime import datetime
from typing import Any

from markdown_it import MarkdownIt

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

# CommonMark without raw HTML: any "<script>" in a body is shown as text, never run.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
_TAG = re.compile(r"<[^>]+>")
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


# The start of a raw HTML tag in a Markdown body (an autolink such as <https://...> is kept).
_RAW_TAG = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:)")


def _md_escape(text: str) -> str:
    """Escape Markdown's special characters in plain text (a title, a heading, alt text)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _media_src(media: MediaAsset) -> str:
    return media.url or media.path or ""


def _img_html(media: MediaAsset) -> str:
    size = ""
    if media.width and media.height:
        size = f' width="{media.width}" height="{media.height}"'
    return (
        f'<img src="{_attr(_media_src(media))}" alt="{_attr(media.alt_text or "")}"'
        f'{size} loading="lazy">'
    )


def _img_md(media: MediaAsset) -> str:
    return f"![{_md_escape(media.alt_text or '')}](<{_media_src(media)}>)"


def render_markdown(piece: LongFormPiece) -> str:
    """The piece as Markdown: the title as the only H1, sections as H2, the call to action last.

    Titles, headings and alt texts are escaped; section bodies are Markdown already and are
    kept as written, except that raw HTML tags are neutralised (``<script>`` → ``&lt;script>``).
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
            out.append(_RAW_TAG.sub("&lt;", section.body.strip()))
    if piece.cta is not None:
        out.append(f"[{_md_escape(piece.cta.label)}](<{piece.cta.url}>)")
    if isinstance(piece, Newsletter):
        out.append("---")
        out.append(f"[{_md_escape(_unsubscribe(piece))}]({piece.unsubscribe_placeholder})")
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


def _markdown_to_text(body: str) -> str:
    text = _MD_IMAGE.sub(lambda m: f"[{m.group(1)}]" if m.group(1) else "", body)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2).strip('<>')})", text)
    text = re.sub(r"^ {0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
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
        for m in _MD_IMAGE.finditer(section.body):
            if not m.group(1).strip():
                out.append(
                    _finding(
                        "seo.alt_text",
                        f"sections[{i}].body",
                        f"image {m.group(2)!r} has no alt text",
                    )
                )
        for m in _MD_LINK.finditer(section.body):
            label, url = m.group(1).strip(), m.group(2).strip("<>")
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
            if url.lower().startswith(("javascript:", "data:")):
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
    body = html_body if html_body is not None else render_html(newsletter)
    if placeholder not in body:
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
