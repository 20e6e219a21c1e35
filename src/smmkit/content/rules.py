"""Platform rules: one table, as data, of what each network accepts.

Every rule carries the date it was last checked (``checked``) and where it comes from
(``source``: a URL or the name of a document). The table covers every known
:class:`~smmkit.models.Platform`. Read it with :func:`rules_for`, which lets the caller override
any rule (an X Premium account may post 25,000 weighted characters)::

    from smmkit.content.rules import rules_for
    premium = rules_for("x", overrides={"text.limit": 25_000})

Mastodon's limits depend on the instance: :func:`from_mastodon_instance` builds the rules from the
JSON document of ``GET /api/v2/instance``.

Some rules change over time. Instagram's hashtag cap is a dated rule (30 before December 2025, 5
after): :meth:`HashtagRule.cap_at` picks the value in force on a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pydantic import Field, model_validator

from smmkit.errors import ValidationError
from smmkit.models import Platform, ValueModel

__all__ = [
    "RULES",
    "Counting",
    "DatedValue",
    "EscapeRule",
    "FeatureRule",
    "ForbiddenCharacters",
    "HashtagPlacement",
    "HashtagRule",
    "LinkBehaviour",
    "LinkRule",
    "MediaRule",
    "MentionRule",
    "PlatformRules",
    "SeoRule",
    "TextLimit",
    "ThreadRule",
    "from_mastodon_instance",
    "rules_for",
]


class Counting(StrEnum):
    """How a network counts the length of a text."""

    X_WEIGHTED = "x_weighted"
    """twitter-text weighted length (config v3): most scripts weigh 2, Latin 1, a URL 23."""
    GRAPHEMES = "graphemes"
    """Unicode extended grapheme clusters (what a reader sees as one character)."""
    CODE_POINTS = "code_points"
    """Unicode code points (Python's ``len``)."""
    UTF16 = "utf16"
    """UTF-16 code units (JavaScript's ``length``): an emoji outside the BMP counts 2."""
    UTF8_BYTES = "utf8_bytes"
    """UTF-8 bytes."""
    EMOJI_BYTES = "emoji_bytes"
    """One per code point, except emoji, which count their UTF-8 bytes (Threads)."""
    MASTODON = "mastodon"
    """Graphemes, each URL counting a fixed number of characters and a remote mention
    ``@user@domain`` counting only ``@user`` (Mastodon's status length validator)."""


class HashtagPlacement(StrEnum):
    """Where adaptation puts the item's hashtags."""

    INLINE = "inline"
    """Keep tags written in the text; add the others at the end."""
    END = "end"
    """A block of tags at the end of the text."""
    FIRST_COMMENT = "first_comment"
    """In the first comment, keeping the caption clean."""
    NONE = "none"
    """The network ignores hashtags: add none."""


class LinkBehaviour(StrEnum):
    """What a URL written in the text does on the network."""

    CLICKABLE = "clickable"
    """A live link, usually with a preview card."""
    NOT_CLICKABLE = "not_clickable"
    """Shown as plain text (Instagram and TikTok captions): point people to the bio instead."""
    SEPARATE_FIELD = "separate_field"
    """The destination is a field of its own (a Pinterest pin's link, a newsletter's CTA)."""


class _Sourced(ValueModel):
    checked: date
    source: str = Field(min_length=1)
    note: str = ""


class TextLimit(_Sourced):
    """A length limit on one field of a post, and how the network counts it."""

    limit: int = Field(ge=0)
    counting: Counting
    url_length: int | None = Field(
        default=None, ge=0, description="Each URL counts this many characters (Mastodon)."
    )


class DatedValue(ValueModel):
    """A value in force from ``since`` (inclusive; ``None`` = always) until the next one."""

    since: date | None = None
    value: int | None = Field(default=None, ge=0)


class HashtagRule(_Sourced):
    """Where hashtags go and how many a post may carry (``caps`` is a dated schedule)."""

    placement: HashtagPlacement = HashtagPlacement.END
    caps: tuple[DatedValue, ...] = (DatedValue(),)

    @model_validator(mode="after")
    def _ordered(self) -> HashtagRule:
        dates = [c.since for c in self.caps]
        if not self.caps:
            raise ValueError("caps needs at least one entry (DatedValue() means no cap)")
        if any(d is None for d in dates[1:]):
            raise ValueError("only the first cap may have since=None")
        known = [d for d in dates if d is not None]
        if known != sorted(known) or len(set(known)) != len(known):
            raise ValueError("caps must be in increasing order of 'since'")
        return self

    def cap_at(self, when: date) -> int | None:
        """The hashtag cap in force on ``when`` (``None`` = no cap)."""
        value: int | None = None
        for cap in self.caps:
            if cap.since is None or cap.since <= when:
                value = cap.value
        return value


class MentionRule(_Sourced):
    """How many @mentions a post may carry (``None`` = no cap)."""

    cap: int | None = Field(default=None, ge=0)


class LinkRule(_Sourced):
    """What links do in the text, and how many a post may carry."""

    behaviour: LinkBehaviour = LinkBehaviour.CLICKABLE
    cap: int | None = Field(default=None, ge=0)


class MediaRule(_Sourced):
    """Media limits for one post. ``None`` means no limit known (or none needed)."""

    max_count: int = Field(default=0, ge=0)
    max_image_bytes: int | None = Field(default=None, ge=0)
    max_video_bytes: int | None = Field(default=None, ge=0)
    min_video_seconds: float | None = Field(default=None, ge=0)
    max_video_seconds: float | None = Field(default=None, ge=0)
    min_aspect_ratio: float | None = Field(default=None, gt=0)
    max_aspect_ratio: float | None = Field(default=None, gt=0)
    formats: tuple[str, ...] = Field(
        default=(), description="Accepted MIME types; empty = any of the kinds' usual types."
    )
    mixed: bool = Field(default=True, description="Whether images and a video may be combined.")


class FeatureRule(_Sourced):
    """Whether a feature is supported (first comment, for instance) and its text limit."""

    supported: bool = False
    limit: int | None = Field(default=None, ge=0)


class ThreadRule(_Sourced):
    """Whether a long text may be published as a numbered thread of replies."""

    supported: bool = False
    max_posts: int | None = Field(default=None, ge=1)


class ForbiddenCharacters(_Sourced):
    """Characters the network refuses in a text field."""

    characters: str = ""
    fields: tuple[str, ...] = ("text", "title")


class EscapeRule(_Sourced):
    """Characters that must be escaped with a backslash (LinkedIn's "little" text format)."""

    reserved: str = ""


class SeoRule(_Sourced):
    """Limits of long-form metadata: the page (or subject) title and the description."""

    title_max: int = Field(ge=1)
    description_max: int = Field(ge=1)
    description_min: int | None = Field(default=None, ge=0)


class PlatformRules(ValueModel):
    """Every rule of one platform. Change one with :func:`rules_for` overrides or
    ``model_copy(update=...)``."""

    platform: Platform
    text: TextLimit | None = None
    text_bytes: TextLimit | None = Field(
        default=None, description="A second limit on the same text, in UTF-8 bytes (Bluesky)."
    )
    title: TextLimit | None = None
    title_required: bool = False
    hashtags: HashtagRule
    mentions: MentionRule
    links: LinkRule
    media: MediaRule
    first_comment: FeatureRule
    thread: ThreadRule
    forbidden: ForbiddenCharacters | None = None
    escape: EscapeRule | None = None
    seo: SeoRule | None = None
    long_form: bool = Field(default=False, description="A blog or newsletter, not a feed.")


# --------------------------------------------------------------------------------------------
# The table.

_D = date(2026, 11, 26)  # the day this table was last reviewed

_X_TEXT = "https://docs.x.com/resources/fundamentals/counting-characters"
_X_MEDIA = "https://docs.x.com/x-api/media/quickstart/media-upload-chunked"
_BSKY_POST = "atproto lexicon app.bsky.feed.post (../shared/specs/atproto-lexicons)"
_BSKY_IMG = "atproto lexicons app.bsky.embed.images and app.bsky.embed.video"
_THREADS = "https://developers.facebook.com/docs/threads/overview"
_MASTO = "https://docs.joinmastodon.org/entities/Instance/#statuses"
_MASTO_MEDIA = "https://docs.joinmastodon.org/entities/Instance/#media_attachments"
_LI = "https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api"
_LI_LITTLE = (
    "https://learn.microsoft.com/linkedin/marketing/community-management/shares/little-text-format"
)
_IG = "https://developers.facebook.com/docs/instagram-platform/content-publishing"
_IG_HASHTAGS = "Instagram announcement of December 2025 (Adam Mosseri): at most 5 hashtags per post"
_FB = "https://www.facebook.com/help/ (post length 63,206 characters)"
_FB_MEDIA = "https://developers.facebook.com/docs/pages-api/posts"
_TT = "https://developers.tiktok.com/doc/content-posting-api-reference-direct-post"
_YT = "https://developers.google.com/youtube/v3/docs/videos#properties"
_PIN = "Pinterest API v5 OpenAPI (../shared/specs/pinterest) and Pinterest help centre"
_SEO = "Google Search Central: title links and snippets (common 60/160 practice)"
_MC = "https://mailchimp.com/help/best-practices-for-email-subject-lines/"

_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


def _src(source: str, note: str = "") -> dict[str, Any]:
    return {"checked": _D, "source": source, "note": note}


def _build_table() -> dict[Platform, PlatformRules]:
    table: dict[Platform, PlatformRules] = {}
    p = Platform
    table[p.X] = PlatformRules(
        platform=p.X,
        text=TextLimit(
            limit=280,
            counting=Counting.X_WEIGHTED,
            **_src(_X_TEXT, "Premium accounts may post up to 25,000; override."),
        ),
        hashtags=HashtagRule(placement=HashtagPlacement.INLINE, **_src(_X_TEXT)),
        mentions=MentionRule(cap=None, **_src(_X_TEXT)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_X_TEXT, "t.co: 23 each")),
        media=MediaRule(
            max_count=4,
            max_image_bytes=5_242_880,
            max_video_bytes=536_870_912,
            min_video_seconds=0.5,
            max_video_seconds=140,
            min_aspect_ratio=1 / 3,
            max_aspect_ratio=3.0,
            formats=(
                "image/jpeg",
                "image/png",
                "image/webp",
                "image/gif",
                "video/mp4",
                "video/quicktime",
            ),
            mixed=False,
            **_src(_X_MEDIA, "4 images, or 1 GIF, or 1 video"),
        ),
        first_comment=FeatureRule(
            supported=True, limit=280, **_src(_X_TEXT, "a reply to one's own post")
        ),
        thread=ThreadRule(supported=True, max_posts=25, **_src(_X_TEXT)),
    )
    table[p.BLUESKY] = PlatformRules(
        platform=p.BLUESKY,
        text=TextLimit(limit=300, counting=Counting.GRAPHEMES, **_src(_BSKY_POST)),
        text_bytes=TextLimit(limit=3000, counting=Counting.UTF8_BYTES, **_src(_BSKY_POST)),
        hashtags=HashtagRule(
            placement=HashtagPlacement.INLINE, **_src("atproto lexicon app.bsky.richtext.facet")
        ),
        mentions=MentionRule(cap=None, **_src(_BSKY_POST)),
        links=LinkRule(
            behaviour=LinkBehaviour.CLICKABLE,
            **_src(
                "atproto lexicon app.bsky.richtext.facet",
                "a link is live only with a link facet (adapt builds them)",
            ),
        ),
        media=MediaRule(
            max_count=4,
            max_image_bytes=2_000_000,
            max_video_bytes=300_000_000,
            max_video_seconds=180,
            formats=("image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4"),
            mixed=False,
            **_src(_BSKY_IMG, "4 images or 1 video"),
        ),
        first_comment=FeatureRule(supported=True, limit=300, **_src(_BSKY_POST)),
        thread=ThreadRule(supported=True, **_src(_BSKY_POST)),
    )
    table[p.THREADS] = PlatformRules(
        platform=p.THREADS,
        text=TextLimit(
            limit=500,
            counting=Counting.EMOJI_BYTES,
            **_src(_THREADS, "emoji count as their UTF-8 bytes"),
        ),
        hashtags=HashtagRule(
            placement=HashtagPlacement.INLINE,
            caps=(DatedValue(value=1),),
            **_src(_THREADS, "one topic tag per post"),
        ),
        mentions=MentionRule(cap=None, **_src(_THREADS)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, cap=5, **_src(_THREADS)),
        media=MediaRule(
            max_count=20,
            max_image_bytes=8_388_608,
            max_video_bytes=1_073_741_824,
            max_video_seconds=300,
            min_aspect_ratio=0.01,
            max_aspect_ratio=10.0,
            formats=("image/jpeg", "image/png", "video/mp4", "video/quicktime"),
            **_src(_THREADS, "carousel of up to 20 items"),
        ),
        first_comment=FeatureRule(supported=True, limit=500, **_src(_THREADS)),
        thread=ThreadRule(supported=True, **_src(_THREADS)),
    )
    table[p.MASTODON] = PlatformRules(
        platform=p.MASTODON,
        text=TextLimit(
            limit=500,
            counting=Counting.MASTODON,
            url_length=23,
            **_src(_MASTO, "instance-configurable: use from_mastodon_instance()"),
        ),
        hashtags=HashtagRule(placement=HashtagPlacement.END, **_src(_MASTO)),
        mentions=MentionRule(cap=None, **_src(_MASTO)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_MASTO)),
        media=MediaRule(
            max_count=4,
            max_image_bytes=16_777_216,
            max_video_bytes=103_809_024,
            formats=(
                "image/jpeg",
                "image/png",
                "image/webp",
                "image/gif",
                "video/mp4",
                "video/webm",
                "video/quicktime",
            ),
            mixed=False,
            **_src(_MASTO_MEDIA, "defaults of a stock instance"),
        ),
        first_comment=FeatureRule(supported=True, limit=500, **_src(_MASTO)),
        thread=ThreadRule(supported=True, **_src(_MASTO)),
    )
    table[p.LINKEDIN] = PlatformRules(
        platform=p.LINKEDIN,
        text=TextLimit(
            limit=3000,
            counting=Counting.UTF16,
            **_src(_LI, "counted on the commentary as sent (escaped)"),
        ),
        hashtags=HashtagRule(placement=HashtagPlacement.END, **_src(_LI_LITTLE)),
        mentions=MentionRule(cap=None, **_src(_LI_LITTLE)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_LI)),
        media=MediaRule(
            max_count=20,
            max_image_bytes=None,
            max_video_bytes=5_368_709_120,
            min_video_seconds=3,
            max_video_seconds=1800,
            formats=("image/jpeg", "image/png", "image/gif", "video/mp4"),
            mixed=False,
            **_src(
                _LI,
                "multi-image posts take 2 to 20 images; an image has at "
                "most 36,152,320 pixels; a video 75 KB to 5 GB, 3 s to 30 min",
            ),
        ),
        first_comment=FeatureRule(supported=True, limit=1250, **_src(_LI)),
        thread=ThreadRule(supported=False, **_src(_LI)),
        escape=EscapeRule(reserved="\\|{}@[]()<>#*_~", **_src(_LI_LITTLE)),
    )
    table[p.INSTAGRAM] = PlatformRules(
        platform=p.INSTAGRAM,
        text=TextLimit(limit=2200, counting=Counting.UTF16, **_src(_IG)),
        hashtags=HashtagRule(
            placement=HashtagPlacement.END,
            caps=(DatedValue(value=30), DatedValue(since=date(2025, 12, 1), value=5)),
            **_src(f"{_IG} (30); {_IG_HASHTAGS}", "dated: 30 before 2025-12-01, 5 after"),
        ),
        mentions=MentionRule(cap=20, **_src(_IG)),
        links=LinkRule(behaviour=LinkBehaviour.NOT_CLICKABLE, **_src(_IG)),
        media=MediaRule(
            max_count=10,
            max_image_bytes=8_388_608,
            max_video_bytes=1_073_741_824,
            min_video_seconds=3,
            max_video_seconds=900,
            min_aspect_ratio=0.8,
            max_aspect_ratio=1.91,
            formats=("image/jpeg", "video/mp4", "video/quicktime"),
            **_src(_IG, "carousel up to 10 through the API; reels 3 s to 15 min"),
        ),
        first_comment=FeatureRule(supported=True, limit=2200, **_src(_IG)),
        thread=ThreadRule(supported=False, **_src(_IG)),
    )
    table[p.FACEBOOK] = PlatformRules(
        platform=p.FACEBOOK,
        text=TextLimit(limit=63_206, counting=Counting.UTF16, **_src(_FB)),
        hashtags=HashtagRule(placement=HashtagPlacement.END, **_src(_FB)),
        mentions=MentionRule(cap=None, **_src(_FB)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_FB_MEDIA)),
        media=MediaRule(
            max_count=10,
            max_image_bytes=10_485_760,
            max_video_bytes=10_737_418_240,
            max_video_seconds=14_400,
            formats=(*_IMAGE_TYPES, "video/mp4", "video/quicktime"),
            mixed=False,
            **_src(_FB_MEDIA),
        ),
        first_comment=FeatureRule(supported=True, limit=8000, **_src(_FB_MEDIA)),
        thread=ThreadRule(supported=False, **_src(_FB)),
    )
    table[p.TIKTOK] = PlatformRules(
        platform=p.TIKTOK,
        text=TextLimit(
            limit=2200,
            counting=Counting.UTF16,
            **_src(_TT, "the post_info.title of a video, in UTF-16 runes"),
        ),
        hashtags=HashtagRule(placement=HashtagPlacement.END, **_src(_TT)),
        mentions=MentionRule(cap=None, **_src(_TT)),
        links=LinkRule(behaviour=LinkBehaviour.NOT_CLICKABLE, **_src(_TT)),
        media=MediaRule(
            max_count=35,
            max_image_bytes=20_971_520,
            max_video_bytes=4_294_967_296,
            min_video_seconds=3,
            max_video_seconds=600,
            formats=("image/jpeg", "image/webp", "video/mp4", "video/quicktime", "video/webm"),
            mixed=False,
            **_src(_TT, "one video, or a photo post of up to 35 images"),
        ),
        first_comment=FeatureRule(supported=False, **_src(_TT)),
        thread=ThreadRule(supported=False, **_src(_TT)),
    )
    table[p.YOUTUBE] = PlatformRules(
        platform=p.YOUTUBE,
        title=TextLimit(limit=100, counting=Counting.CODE_POINTS, **_src(_YT)),
        title_required=True,
        text=TextLimit(
            limit=5000, counting=Counting.UTF8_BYTES, **_src(_YT, "the description, in UTF-8 bytes")
        ),
        hashtags=HashtagRule(
            placement=HashtagPlacement.END,
            caps=(DatedValue(value=15),),
            **_src(
                "https://support.google.com/youtube/answer/6390658",
                "more than 15 hashtags make YouTube ignore them all",
            ),
        ),
        mentions=MentionRule(cap=None, **_src(_YT)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_YT)),
        media=MediaRule(
            max_count=1,
            max_video_bytes=274_877_906_944,
            max_video_seconds=43_200,
            formats=("video/mp4", "video/quicktime", "video/webm", "video/x-msvideo"),
            **_src(_YT, "one video, up to 256 GB or 12 hours"),
        ),
        first_comment=FeatureRule(supported=True, limit=10_000, **_src(_YT)),
        thread=ThreadRule(supported=False, **_src(_YT)),
        forbidden=ForbiddenCharacters(characters="<>", **_src(_YT)),
    )
    table[p.PINTEREST] = PlatformRules(
        platform=p.PINTEREST,
        title=TextLimit(limit=100, counting=Counting.CODE_POINTS, **_src(_PIN)),
        text=TextLimit(
            limit=500,
            counting=Counting.CODE_POINTS,
            **_src(_PIN, "500 shown; the API schema accepts up to 800"),
        ),
        hashtags=HashtagRule(
            placement=HashtagPlacement.END, caps=(DatedValue(value=20),), **_src(_PIN)
        ),
        mentions=MentionRule(cap=None, **_src(_PIN)),
        links=LinkRule(
            behaviour=LinkBehaviour.SEPARATE_FIELD,
            **_src(_PIN, "the pin's link field, up to 2,048 characters"),
        ),
        media=MediaRule(
            max_count=5,
            max_image_bytes=20_971_520,
            max_video_bytes=2_147_483_648,
            min_video_seconds=4,
            max_video_seconds=900,
            formats=("image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime"),
            **_src(_PIN, "one image or video; carousels take 2 to 5 images"),
        ),
        first_comment=FeatureRule(supported=False, **_src(_PIN)),
        thread=ThreadRule(supported=False, **_src(_PIN)),
    )
    table[p.WORDPRESS] = PlatformRules(
        platform=p.WORDPRESS,
        title=TextLimit(limit=60, counting=Counting.GRAPHEMES, **_src(_SEO)),
        hashtags=HashtagRule(
            placement=HashtagPlacement.NONE,
            **_src(
                "https://wordpress.org/documentation/article/posts-tags-screen/",
                "use tags, not hashtags",
            ),
        ),
        mentions=MentionRule(cap=None, **_src(_SEO)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_SEO)),
        media=MediaRule(
            max_count=100,
            max_image_bytes=None,
            **_src("https://developer.wordpress.org/rest-api/reference/media/"),
        ),
        first_comment=FeatureRule(supported=False, **_src(_SEO)),
        thread=ThreadRule(supported=False, **_src(_SEO)),
        seo=SeoRule(title_max=60, description_max=160, description_min=50, **_src(_SEO)),
        long_form=True,
    )
    table[p.MAILCHIMP] = PlatformRules(
        platform=p.MAILCHIMP,
        title=TextLimit(
            limit=150,
            counting=Counting.CODE_POINTS,
            **_src(_MC, "subject line; keep it under 60 to avoid cuts"),
        ),
        hashtags=HashtagRule(placement=HashtagPlacement.NONE, **_src(_MC)),
        mentions=MentionRule(cap=None, **_src(_MC)),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src(_MC)),
        media=MediaRule(
            max_count=50,
            max_image_bytes=10_485_760,
            **_src("https://mailchimp.com/help/image-file-size-limits/"),
        ),
        first_comment=FeatureRule(supported=False, **_src(_MC)),
        thread=ThreadRule(supported=False, **_src(_MC)),
        seo=SeoRule(
            title_max=150,
            description_max=150,
            description_min=35,
            **_src(
                "https://mailchimp.com/help/add-preview-text-to-emails/",
                "title = subject line, description = preview text (preheader)",
            ),
        ),
        long_form=True,
    )
    table[p.SANDBOX] = PlatformRules(
        platform=p.SANDBOX,
        text=TextLimit(
            limit=1000,
            counting=Counting.GRAPHEMES,
            **_src("smmkit.platforms.sandbox (the simulated network)"),
        ),
        hashtags=HashtagRule(
            placement=HashtagPlacement.END,
            caps=(DatedValue(value=10),),
            **_src("smmkit.platforms.sandbox"),
        ),
        mentions=MentionRule(cap=10, **_src("smmkit.platforms.sandbox")),
        links=LinkRule(behaviour=LinkBehaviour.CLICKABLE, **_src("smmkit.platforms.sandbox")),
        media=MediaRule(max_count=10, **_src("smmkit.platforms.sandbox")),
        first_comment=FeatureRule(supported=True, limit=1000, **_src("smmkit.platforms.sandbox")),
        thread=ThreadRule(supported=True, **_src("smmkit.platforms.sandbox")),
    )
    missing = [m for m in Platform if m not in table]
    if missing:  # pragma: no cover - guarded by a test
        raise RuntimeError(f"rules table lacks {missing}")
    return table


RULES: Mapping[Platform, PlatformRules] = MappingProxyType(_build_table())
"""The default rules of every known platform (read-only; use :func:`rules_for` to change one)."""


def _set_path(rules: PlatformRules, path: str, value: object) -> PlatformRules:
    parts = path.split(".")
    if path == "hashtags.cap":
        parts, value = ["hashtags", "caps"], (DatedValue(value=_opt_int(path, value)),)
    changed = _set(rules, parts, value, path)
    assert isinstance(changed, PlatformRules)
    return changed


def _opt_int(path: str, value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise ValidationError(f"overrides[{path!r}]", value, "must be a non-negative int or None")


def _set(model: ValueModel, parts: list[str], value: object, path: str) -> Any:
    name, rest = parts[0], parts[1:]
    fields = type(model).model_fields
    if name not in fields:
        raise ValidationError(
            f"overrides[{path!r}]",
            value,
            f"{type(model).__name__} has no rule {name!r}; known: {', '.join(sorted(fields))}",
        )
    if rest:
        inner = getattr(model, name)
        if not isinstance(inner, ValueModel):
            raise ValidationError(
                f"overrides[{path!r}]",
                value,
                f"{name!r} is not set on this platform, so {'.'.join(rest)!r} cannot be changed; "
                f"override {name!r} as a whole",
            )
        value = _set(inner, rest, value, path)
    data = model.model_dump()
    data[name] = value.model_dump() if isinstance(value, ValueModel) else value
    try:
        return type(model).model_validate(data)
    except ValueError as exc:
        raise ValidationError(f"overrides[{path!r}]", value, str(exc).splitlines()[-1]) from None


def rules_for(
    platform: Platform | str,
    *,
    overrides: Mapping[str, object] | None = None,
    base: PlatformRules | None = None,
) -> PlatformRules:
    """The rules of ``platform``, with ``overrides`` applied.

    ``overrides`` maps a dotted path to a new value: ``{"text.limit": 25_000}`` (X Premium),
    ``{"hashtags.placement": "first_comment"}``, ``{"hashtags.cap": 3}`` (a single cap that
    replaces the dated schedule), ``{"media.max_count": 1}``. A whole rule may be replaced too
    (``{"text": TextLimit(...)}``) or removed (``{"title": None}``).

    ``base`` starts from other rules (those of a Mastodon instance, say) instead of the table.
    A plug-in platform has no entry in the table: pass ``base``. Raises
    :class:`~smmkit.errors.ValidationError` for an unknown platform, path or bad value.
    """
    try:
        key = Platform(platform)
    except ValueError:
        raise ValidationError("platform", platform, "is not a platform name") from None
    if base is None:
        if key not in RULES:
            raise ValidationError(
                "platform",
                key.value,
                "has no built-in rules (a plug-in platform)",
                hint="pass base=PlatformRules(...) describing its rules.",
            )
        rules = RULES[key]
    else:
        rules = base
    for path, value in (overrides or {}).items():
        rules = _set_path(rules, path, value)
    return rules


def from_mastodon_instance(
    instance: Mapping[str, Any],
    *,
    base: PlatformRules | None = None,
    checked: date | None = None,
) -> PlatformRules:
    """Mastodon rules from an instance's ``GET /api/v2/instance`` (or v1) JSON document.

    Reads ``configuration.statuses`` (``max_characters``, ``characters_reserved_per_url``,
    ``max_media_attachments``) and ``configuration.media_attachments`` (size limits and MIME
    types); anything absent keeps the default. ``checked`` dates the new rules (default: today).
    Raises :class:`~smmkit.errors.ValidationError`
    when a present value has the wrong type.
    """
    rules = base or RULES[Platform.MASTODON]
    config = instance.get("configuration") or {}
    if not isinstance(config, Mapping):
        raise ValidationError("instance.configuration", config, "must be an object")
    statuses = config.get("statuses") or {}
    media = config.get("media_attachments") or {}
    source = str(instance.get("domain") or instance.get("uri") or "the instance")
    checked = checked or date.today()

    def number(section: Mapping[str, Any], key: str, where: str) -> int | None:
        value = section.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(
                f"instance.configuration.{where}.{key}", value, "must be a non-negative integer"
            )
        return value

    max_chars = number(statuses, "max_characters", "statuses")
    per_url = number(statuses, "characters_reserved_per_url", "statuses")
    max_media = number(statuses, "max_media_attachments", "statuses")
    image_bytes = number(media, "image_size_limit", "media_attachments")
    video_bytes = number(media, "video_size_limit", "media_attachments")
    mime = media.get("supported_mime_types")
    where = f"/api/v2/instance of {source}"
    text = rules.text or RULES[Platform.MASTODON].text
    assert text is not None
    text = text.model_copy(
        update={
            "limit": max_chars if max_chars is not None else text.limit,
            "url_length": per_url if per_url is not None else text.url_length,
            "checked": checked,
            "source": where,
            "note": "from the instance's configuration",
        }
    )
    media_update: dict[str, Any] = {"checked": checked, "source": where}
    if max_media is not None:
        media_update["max_count"] = max_media
    if image_bytes is not None:
        media_update["max_image_bytes"] = image_bytes
    if video_bytes is not None:
        media_update["max_video_bytes"] = video_bytes
    if isinstance(mime, list) and all(isinstance(m, str) for m in mime):
        media_update["formats"] = tuple(m for m in mime if m.startswith(("image/", "video/")))
    first = rules.first_comment.model_copy(update={"limit": text.limit})
    return rules.model_copy(
        update={
            "text": text,
            "media": rules.media.model_copy(update=media_update),
            "first_comment": first,
        }
    )
