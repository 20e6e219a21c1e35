"""Long-form pieces: blog posts, landing pages, newsletters."""

from __future__ import annotations

import re

from pydantic import AwareDatetime, Field, field_validator

from smmkit._sinks import safe_url

from ._base import LocaleTag, Slug, ValueModel
from ._media import MediaAsset

__all__ = [
    "BlogPost",
    "CallToAction",
    "LandingPage",
    "LongFormPiece",
    "Newsletter",
    "Section",
    "Seo",
]


# An e-mail service's merge tag: {{unsubscribe_url}}, Mailchimp's *|UNSUB|*, %unsubscribe%.
_MERGE_TAG_RE = re.compile(r"^(?:\{\{\s*[a-z_]+\s*\}\}|\*\|[A-Z_]+\|\*|%[a-z_]+%)$")

_EXAMPLE_TAGS = ("{{unsubscribe_url}}", "*|UNSUB|*")


def _link_or_merge_tag(value: str, field: str) -> str:
    text = value.strip()
    if _MERGE_TAG_RE.match(text):
        return text
    return safe_url(text, field=field, merge_tags=_EXAMPLE_TAGS)


class Section(ValueModel):
    """A section of a long-form piece: an optional heading and a Markdown body."""

    heading: str | None = None
    body: str = ""
    image: MediaAsset | None = None


class Seo(ValueModel):
    """Search metadata: the page title and meta description (lengths checked by ``content``)."""

    title: str = Field(min_length=1)
    meta_description: str = Field(min_length=1)
    canonical_url: str | None = None
    keywords: tuple[str, ...] = ()

    @field_validator("canonical_url")
    @classmethod
    def _canonical(cls, value: str | None) -> str | None:
        return None if value is None else safe_url(value.strip(), field="canonical_url")


class CallToAction(ValueModel):
    """What the reader should do next."""

    label: str = Field(min_length=1, max_length=80)
    url: str = Field(description="An absolute http(s) link, or a merge tag such as {{cta_url}}.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _link_or_merge_tag(value, "url")


class LongFormPiece(ValueModel):
    """What blog posts, landing pages and newsletters share."""

    title: str = Field(min_length=1)
    slug: Slug
    locale: LocaleTag | None = None
    sections: tuple[Section, ...] = Field(min_length=1)
    seo: Seo | None = None
    cta: CallToAction | None = None
    pillar: str | None = None
    campaign: str | None = None


class BlogPost(LongFormPiece):
    author: str | None = None
    tags: tuple[str, ...] = ()
    cover: MediaAsset | None = None
    published_at: AwareDatetime | None = None


class LandingPage(LongFormPiece):
    headline: str = Field(min_length=1)
    subheadline: str | None = None
    cta: CallToAction


class Newsletter(LongFormPiece):
    """A newsletter issue. ``title`` is the subject line; ``preheader`` the inbox preview text.

    ``unsubscribe_placeholder`` is the e-mail service's merge tag for the unsubscribe link
    (``{{unsubscribe_url}}``, Mailchimp's ``*|UNSUB|*``) or an absolute ``http(s)`` link without
    user-info; anything else (``javascript:``, ``data:``, a relative path) is refused.
    """

    preheader: str | None = None
    from_name: str | None = None
    unsubscribe_placeholder: str = "{{unsubscribe_url}}"

    @field_validator("unsubscribe_placeholder")
    @classmethod
    def _unsubscribe(cls, value: str) -> str:
        return _link_or_merge_tag(value, "unsubscribe_placeholder")

    @property
    def subject(self) -> str:
        return self.title
