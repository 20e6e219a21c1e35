"""Shared building blocks of the domain models: the base class, platforms, checked string types."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = [
    "Hashtag",
    "LocaleTag",
    "Platform",
    "Slug",
    "SmmkitModel",
    "TimezoneName",
    "ValueModel",
    "Weekday",
    "zone",
]


class SmmkitModel(BaseModel):
    """Base of every smmkit model: unknown keys are refused, values are checked on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        validate_default=True,
        str_strip_whitespace=True,
        use_enum_values=False,
    )


class ValueModel(SmmkitModel):
    """A value object: frozen and hashable."""

    model_config = ConfigDict(frozen=True)


_PLATFORM_RE = re.compile(r"^[a-z][a-z0-9_.-]{1,39}$")


class Platform(StrEnum):
    """A social network or publishing service.

    The known networks are members. A plug-in may use its own value (a lowercase slug such as
    ``"vk"``): ``Platform("vk")`` then returns a pseudo-member that compares equal to ``"vk"``.
    """

    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    THREADS = "threads"
    LINKEDIN = "linkedin"
    X = "x"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    PINTEREST = "pinterest"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    WORDPRESS = "wordpress"
    MAILCHIMP = "mailchimp"
    SANDBOX = "sandbox"

    @classmethod
    def _missing_(cls, value: object) -> Platform | None:
        if not isinstance(value, str):
            return None
        lowered = value.strip().lower()
        if lowered in cls._value2member_map_:
            return cls(lowered)
        if not _PLATFORM_RE.match(lowered):
            return None
        member = str.__new__(cls, lowered)
        member._name_ = lowered.upper().replace("-", "_").replace(".", "_")
        member._value_ = lowered
        cls._value2member_map_[lowered] = member
        return member

    @property
    def is_known(self) -> bool:
        """Whether this is one of the networks smmkit knows (not a plug-in's value)."""
        return self.name in type(self).__members__

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "title": "Platform",
            "description": "A known network, or a plug-in's lowercase slug.",
            "anyOf": [
                {"enum": [m.value for m in cls]},
                {"type": "string", "pattern": _PLATFORM_RE.pattern},
            ],
        }


class Weekday(StrEnum):
    """Days of the week, Monday first (``Weekday.MON.number == 0``, as ``datetime.weekday()``)."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """0 for Monday to 6 for Sunday, as ``datetime.weekday()``."""
        return _WEEKDAY_NUMBERS[self]

    @classmethod
    def of(cls, moment: datetime) -> Weekday:
        """The weekday of a date or datetime."""
        return _WEEKDAYS[moment.weekday()]

    @classmethod
    def from_number(cls, number: int) -> Weekday:
        """The weekday for ``datetime.weekday()``'s number (0 = Monday)."""
        return _WEEKDAYS[number]


_WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
_WEEKDAY_NUMBERS: dict[Weekday, int] = {day: n for n, day in enumerate(_WEEKDAYS)}


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for an IANA name (cached)."""
    return ZoneInfo(name)


def _check_timezone(value: str) -> str:
    try:
        zone(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown IANA time zone {value!r}; use a name such as 'Europe/Rome' or "
            "'America/New_York'"
        ) from exc
    return value


TimezoneName = Annotated[str, AfterValidator(_check_timezone)]
"""An IANA time-zone name, checked against the system's tz database."""

_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def _check_locale(value: str) -> str:
    parts = value.replace("_", "-").split("-")
    normal = "-".join(
        [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    )
    if not _LOCALE_RE.match(normal):
        raise ValueError(
            f"{value!r} is not a BCP 47 language tag; use forms such as 'it', 'it-IT' or 'en-GB'"
        )
    return normal


LocaleTag = Annotated[str, AfterValidator(_check_locale)]
"""A BCP 47 language tag such as ``it``, ``it-IT`` or ``en-GB`` (normalised)."""

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a slug: use lowercase ASCII letters and digits separated by single "
            "hyphens, e.g. 'pane-di-natale'"
        )
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]
"""A URL slug: lowercase ASCII words separated by single hyphens."""

_HASHTAG_RE = re.compile(r"^\w*[^\W\d]\w*$")


def _check_hashtag(value: str) -> str:
    tag = value[1:] if value.startswith(("#", "＃")) else value
    if not _HASHTAG_RE.match(tag):
        raise ValueError(
            f"{value!r} is not a hashtag: letters, digits and underscores, at least one letter, "
            "no spaces"
        )
    return tag


Hashtag = Annotated[str, AfterValidator(_check_hashtag)]
"""A hashtag, stored without its leading ``#``."""
