"""Long-form pieces: blog posts, landing pages, newsletters."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

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


class CallToAction(ValueModel):
    """What the reader should do next."""

    label: str = Field(min_length=1, max_length=80)
    url: str = Field(pattern=r"^(https?://\S+|\{\{[a-z_]+\}\})$")


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
    """A newsletter issue. ``title`` is the subject line; ``preheader`` the inbox preview text."""

    preheader: str | None = None
    from_name: str | None = None
    unsubscribe_placeholder: str = "{{unsubscribe_url}}"

    @property
    def subject(self) -> str:
        return self.title
