"""Shared building blocks of the domain models: the base class, platforms, checked string types."""

from __future__ import annotations

import collections
import collections.abc
import difflib
import re
import types
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
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
    """Base of every smmkit model: unknown keys are refused, values are checked on assignment,
    and a boolean is never read as a number (``posts_per_week = true`` is an error, not 1), at
    any depth: through ``Annotated`` aliases, ``Optional`` and unions, lists, tuples, sets and
    dicts (``platforms = {instagram = true}`` is an error too)."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        validate_default=True,
        str_strip_whitespace=True,
        use_enum_values=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for keys, find in _bool_checks(cls):
                for key in keys:
                    if key in data:
                        where = find(data[key])
                        if where is not None:
                            value, path = where
                            fix = f"such as {key} = 3" if not path else "in its place, such as 3"
                            raise ValueError(
                                f"{key}{path} is {str(value).lower()}, a boolean, where a number "
                                f"is expected; write a number {fix}"
                            )
        return data


_NUMBER_TYPES = (int, float, Decimal)

_BoolFinder = Callable[[object], "tuple[bool, str] | None"]
"""Looks for a boolean where a number is expected in a value: ``(the boolean, its path below the
field such as "[2]" or "['a']")``, or ``None`` when there is none."""

_SEQUENCES = (
    list,
    tuple,
    set,
    frozenset,
    collections.deque,
    collections.abc.Sequence,
    collections.abc.MutableSequence,
    collections.abc.Set,
    collections.abc.MutableSet,
    collections.abc.Collection,
    collections.abc.Iterable,
)
_MAPPINGS = (
    dict,
    collections.OrderedDict,
    collections.defaultdict,
    collections.abc.Mapping,
    collections.abc.MutableMapping,
)


@cache
def _bool_checks(cls: type[BaseModel]) -> tuple[tuple[tuple[str, ...], _BoolFinder], ...]:
    """For each field of ``cls`` that holds a number somewhere (itself, or inside an
    ``Annotated`` alias, an ``Optional``/union, a list, tuple, set or dict, at any depth): the
    keys it may arrive under (name and aliases) and the function that finds a boolean in it."""
    checks: list[tuple[tuple[str, ...], _BoolFinder]] = []
    for name, info in cls.model_fields.items():
        find = _bool_finder(info.annotation, 0)
        if find is None:
            continue
        keys = [name]
        for alias in (info.alias, info.validation_alias):
            if isinstance(alias, str) and alias not in keys:
                keys.append(alias)
        checks.append((tuple(keys), find))
    return tuple(checks)


def _unwrap(annotation: Any) -> Any:
    """``annotation`` without its ``Annotated[...]`` metadata and type-alias names."""
    for _ in range(32):  # an alias of an alias...; bounded, never a loop on a cyclic alias
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif type(annotation).__name__ == "TypeAliasType":  # `type X = ...` (3.12) or backport
            annotation = annotation.__value__
        elif type(get_origin(annotation)).__name__ == "TypeAliasType":  # a generic alias X[int]
            annotation = get_origin(annotation).__value__
        else:
            break
    return annotation


def _admits_bool(annotation: Any) -> bool:
    """Whether a boolean is a meant value of ``annotation`` (``bool``, ``Any``, a ``Literal``
    holding ``True`` or ``False``)."""
    plain = _unwrap(annotation)
    if plain is bool or plain is Any or plain is object:
        return True
    if get_origin(plain) is Literal:
        return any(isinstance(v, bool) for v in get_args(plain))
    return False


def _bool_finder(annotation: Any, depth: int) -> _BoolFinder | None:
    """The function that finds a boolean where ``annotation`` expects a number, or ``None`` when
    it expects no number anywhere (text, a boolean, a model, which checks itself, ...)."""
    plain = _unwrap(annotation)
    if depth > 16 or _admits_bool(plain):
        return None
    if isinstance(plain, type) and issubclass(plain, _NUMBER_TYPES):
        return _find_leaf
    origin = get_origin(plain)
    args = get_args(plain)
    if origin is Literal:
        numeric = any(isinstance(v, _NUMBER_TYPES) for v in args)
        return _find_leaf if numeric else None
    if origin is Union or origin is types.UnionType:
        members = [a for a in args if a is not type(None)]
        if any(_admits_bool(a) for a in members):
            return None
        finders = [f for a in members if (f := _bool_finder(a, depth + 1)) is not None]
        if not finders:
            return None
        return finders[0] if len(finders) == 1 else _find_any(tuple(finders))
    if origin is tuple and args and args[-1] is not Ellipsis:
        if args == ((),):  # tuple[()]
            return None
        positions = [_bool_finder(a, depth + 1) for a in args]
        if all(p is None for p in positions):
            return None
        return _find_positions(tuple(positions))
    if origin in _SEQUENCES and args:
        inner = _bool_finder(args[0], depth + 1)
        return None if inner is None else _find_items(inner)
    if origin in _MAPPINGS and len(args) == 2:
        key = _bool_finder(args[0], depth + 1)
        value = _bool_finder(args[1], depth + 1)
        return None if key is None and value is None else _find_entries(key, value)
    return None


def _find_leaf(value: object) -> tuple[bool, str] | None:
    return (value, "") if isinstance(value, bool) else None


def _find_any(finders: tuple[_BoolFinder, ...]) -> _BoolFinder:
    def find(value: object) -> tuple[bool, str] | None:
        for finder in finders:
            found = finder(value)
            if found is not None:
                return found
        return None

    return find


def _find_positions(positions: tuple[_BoolFinder | None, ...]) -> _BoolFinder:
    def find(value: object) -> tuple[bool, str] | None:
        if isinstance(value, list | tuple):
            for i, (item, finder) in enumerate(zip(value, positions, strict=False)):
                found = None if finder is None else finder(item)
                if found is not None:
                    return found[0], f"[{i}]{found[1]}"
        return None

    return find


def _find_items(inner: _BoolFinder) -> _BoolFinder:
    def find(value: object) -> tuple[bool, str] | None:
        if not isinstance(value, list | tuple | set | frozenset | collections.deque):
            return None
        if inner is _find_leaf and bool not in set(map(type, value)):
            return None  # the common case (numbers only), without a Python-level loop
        for i, item in enumerate(value):
            found = inner(item)
            if found is not None:
                return found[0], f"[{i}]{found[1]}"
        return None

    return find


def _find_entries(key: _BoolFinder | None, value: _BoolFinder | None) -> _BoolFinder:
    def find(mapping: object) -> tuple[bool, str] | None:
        if not isinstance(mapping, dict):
            return None
        for k, v in mapping.items():
            found = None if key is None else key(k)
            if found is None and value is not None:
                found = value(v)
            if found is not None:
                return found[0], f"[{k!r}]{found[1]}"
        return None

    return find


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
        known = [m.value for m in cls if m.name in cls.__members__]
        guess = _PLATFORM_ALIASES.get(lowered) or next(
            iter(difflib.get_close_matches(lowered, known, n=1, cutoff=0.75)), None
        )
        if guess is not None and lowered not in _plugin_names():
            raise ValueError(
                f"unknown platform {value!r}: did you mean {guess!r}? (a plug-in network must be "
                f"registered under the entry-point group 'smmkit.platforms' to use a name this "
                f"close to a known one)"
            )
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
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate through :meth:`_missing_`, so that a near-miss of a known network gets its
        "did you mean" in every model (``platform = "instagarm"``)."""

        def validate(value: Any) -> Platform:
            if isinstance(value, cls):
                return value
            if isinstance(value, str):
                try:
                    return cls(value)
                except ValueError as exc:
                    if "did you mean" in str(exc):
                        raise
            known = ", ".join(repr(m.value) for m in cls if m.name in cls.__members__)
            raise ValueError(
                f"Input should be one of {known}, or a plug-in's lowercase name such as 'vk'"
            )

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v.value, when_used="json-unless-none"
            ),
        )

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


_PLATFORM_ALIASES = {
    "twitter": "x",
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "bsky": "bluesky",
    "yt": "youtube",
    "li": "linkedin",
    "wp": "wordpress",
}


@lru_cache(maxsize=1)
def _plugin_names() -> frozenset[str]:
    """Names registered under the ``smmkit.platforms`` entry-point group (read once)."""
    from importlib.metadata import entry_points

    return frozenset(e.name.lower() for e in entry_points(group="smmkit.platforms"))


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


_MAX_ZONE_NAME = 64  # the longest IANA name today has 32 characters


def _check_timezone(value: str) -> str:
    if len(value) > _MAX_ZONE_NAME or not value.isprintable():
        raise ValueError(
            f"{value[:40]!r}... is not an IANA time zone (names are at most {_MAX_ZONE_NAME} "
            "printable characters); use a name such as 'Europe/Rome' or 'America/New_York'"
            if len(value) > 40
            else f"{value!r} is not an IANA time zone (names are printable); use a name such as "
            "'Europe/Rome' or 'America/New_York'"
        )
    try:
        zone(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown IANA time zone {value!r}{_zone_guess(value)}; use a name such as "
            "'Europe/Rome' or 'America/New_York'"
        ) from None
    return value


def _zone_guess(value: str) -> str:
    from zoneinfo import available_timezones

    names = sorted(available_timezones())
    lowered = {n.lower(): n for n in names}
    if value.lower() in lowered:
        return f" (did you mean {lowered[value.lower()]!r}? names are case-sensitive)"
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
