"""The closed enums of content: formats, workflow states and media kinds."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ContentFormat", "ContentStatus", "MediaKind"]


class ContentFormat(StrEnum):
    POST = "post"
    CAROUSEL = "carousel"
    REEL = "reel"
    STORY = "story"
    VIDEO = "video"
    SHORT = "short"
    THREAD = "thread"
    ARTICLE = "article"
    NEWSLETTER = "newsletter"
    LANDING_PAGE = "landing_page"
    PIN = "pin"


class ContentStatus(StrEnum):
    """Workflow states: draft → in_review → approved → scheduled → published | failed; archived."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    FAILED = "failed"
    ARCHIVED = "archived"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    GIF = "gif"
    AUDIO = "audio"
    DOCUMENT = "document"
