"""Setup files: a whole brand set-up (brand, audience, channels, campaigns, ...) in TOML or JSON.

>>> from smmkit.setup import load_setup
>>> setup = load_setup("examples/forno_aurora.toml")  # doctest: +SKIP
>>> setup.brand.name  # doctest: +SKIP
'Forno Aurora'

Every problem is reported as a :class:`~smmkit.errors.SetupError` naming the file, the key (a path
such as ``channels[1].cadence.posts_per_week``) and the rule that was broken.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self, get_args

import pydantic
import pydantic_core
from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from .community import CommunitySettings
from .errors import SetupError
from .models import Audience, Brand, Campaign, Channel, ContentItem, Influencer, SmmkitModel

__all__ = ["Setup", "load_setup", "parse_setup"]


class Setup(SmmkitModel):
    """Everything smmkit needs to know about one brand: who, to whom, where, and which campaigns."""

    brand: Brand
    audience: Audience | None = None
    channels: tuple[Channel, ...] = Field(min_length=1)
    campaigns: tuple[Campaign, ...] = ()
    influencers: tuple[Influencer, ...] = ()
    content: tuple[ContentItem, ...] = ()
    community: CommunitySettings = Field(default_factory=CommunitySettings)

    @model_validator(mode="after")
    def _references(self) -> Self:
        problems: list[InitErrorDetails] = []

        def problem(loc: tuple[str | int, ...], value: object, message: str) -> None:
            problems.append(
                InitErrorDetails(
                    type=PydanticCustomError("reference", message), loc=loc, input=value
                )
            )

        # linear: sets, never a scan of the list per entry (16,000 campaigns took 11 s)
        keys = [c.key for c in self.channels]
        key_set: set[str] = set()
        for index, key in enumerate(keys):
            if key in key_set:
                problem(("channels", index, "key"), key, "channel keys must be unique")
            key_set.add(key)
        known_pillars = {p.key for p in self.brand.pillars}
        pillar_list = ", ".join(sorted(known_pillars))
        campaign_ids: set[str] = set()
        for index, campaign in enumerate(self.campaigns):
            if campaign.id in campaign_ids:
                problem(("campaigns", index, "id"), campaign.id, "campaign ids must be unique")
            campaign_ids.add(campaign.id)
            for n, key in enumerate(campaign.channels):
                if key not in key_set:
                    problem(
                        ("campaigns", index, "channels", n),
                        key,
                        f"campaign {campaign.id!r} names channel {key!r}, which is not "
                        f"defined; defined channels: {', '.join(keys)}",
                    )
            for n, pillar in enumerate(campaign.pillars):
                if pillar not in known_pillars:
                    problem(
                        ("campaigns", index, "pillars", n),
                        pillar,
                        f"unknown pillar {pillar!r}; known: {pillar_list}",
                    )
        for index, item in enumerate(self.content):
            if item.pillar is not None and item.pillar not in known_pillars:
                problem(
                    ("content", index, "pillar"),
                    item.pillar,
                    f"unknown pillar {item.pillar!r}; known: {pillar_list}",
                )
            if item.campaign is not None and item.campaign not in campaign_ids:
                problem(
                    ("content", index, "campaign"),
                    item.campaign,
                    f"unknown campaign {item.campaign!r}",
                )
        for key, value, message in self.community.problems_for(self.brand):
            problem(_loc(key), value, message)
        if problems:
            raise pydantic_core.ValidationError.from_exception_data("Setup", problems)
        return self

    def channel(self, key: str) -> Channel:
        """The channel with this key."""
        for channel in self.channels:
            if channel.key == key:
                return channel
        raise KeyError(f"unknown channel {key!r}; known: {', '.join(c.key for c in self.channels)}")

    def campaign(self, campaign_id: str) -> Campaign:
        for campaign in self.campaigns:
            if campaign.id == campaign_id:
                return campaign
        raise KeyError(f"unknown campaign {campaign_id!r}")


def _loc(key: str) -> tuple[str | int, ...]:
    """``"community.rules[0].actions[1]"`` as a location: ``("community", "rules", 0, ...)``."""
    loc: list[str | int] = []
    for part in key.replace("[", ".").replace("]", "").split("."):
        loc.append(int(part) if part.isdigit() else part)
    return tuple(loc)


def _key_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def _rule(error: Any) -> str:
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message


_SECRET_WORDS = re.compile(
    r"token|secret|passw|credential|api_?key|private_?key|auth|cookie|session|bearer|signature"
    r"|webhook",
    re.IGNORECASE,
)
_MAX_DEPTH = 32
_MAX_BYTES = 10_000_000


def _model_at(loc: Sequence[int | str]) -> type[pydantic.BaseModel] | None:
    """The model class whose keys live at ``loc`` inside a :class:`Setup` (for "did you mean")."""
    current: Any = Setup
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, pydantic.BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return (
        current if isinstance(current, type) and issubclass(current, pydantic.BaseModel) else None
    )


def _inner_model(annotation: Any) -> Any:
    """The model inside ``X``, ``X | None``, ``tuple[X, ...]`` or ``dict[K, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _hint(error: Any, key: str) -> str:
    """The fix that fits this kind of error."""
    kind = str(error["type"])
    loc = error["loc"]
    last = str(loc[-1]) if loc else key
    parent = _key_path(loc[:-1])
    if kind == "missing":
        return f"add the required key {last!r} {_where(parent)} (docs/setup.md lists every key)"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        names = sorted(model.model_fields) if model is not None else []
        close = difflib.get_close_matches(last, names, n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]!r}? Otherwise remove {last!r}"
        if names:
            return f"remove {last!r}; the keys {_where(parent)} are: {', '.join(names)}"
        return f"remove {last!r} (docs/setup.md lists every key)"
    if kind in {"enum", "literal_error"}:
        return "use one of the values listed above"
    if kind.startswith(("int_", "float_", "decimal_", "greater_than", "less_than", "multiple_")):
        return f"write {last!r} as a number within the limits above"
    if kind.startswith(("string_", "str_")):
        return f"write {last!r} as text of the length and form above"
    if kind.startswith("bool_"):
        return f"write {last!r} as true or false"
    if kind.startswith(("date", "time")):
        return (
            f"write {last!r} as an ISO 8601 date-time with its offset, e.g. 2026-12-01T09:00+01:00"
        )
    if kind in {"tuple_type", "list_type", "dict_type", "model_type", "model_attributes_type"}:
        return (
            f"check the shape of {last!r} (a table, an array of tables or a list) in docs/setup.md"
        )
    if kind in {"value_error", "reference"}:
        return f"change {key} as the message says"
    return "see docs/setup.md for the keys a setup file takes"


def _where(parent: str) -> str:
    return "at the top level" if parent == "(top level)" else f"under {parent}"


def _shown(error: Any, key: str) -> tuple[object, bool]:
    """The value to show in the error, if any: never for an unknown key (it may be a secret
    under a mistyped name), a credential-like key, or a table or list (which may hold one)."""
    if error["type"] in {"missing", "extra_forbidden"}:
        return None, False
    if any(_SECRET_WORDS.search(str(part)) for part in error["loc"] if isinstance(part, str)):
        return "<hidden: a credential-like key>", True
    value = error.get("input")
    if isinstance(value, dict | list | tuple):
        return None, False
    return value, True


def _too_deep(data: Any) -> bool:
    """Whether ``data`` nests tables or arrays more than ``_MAX_DEPTH`` deep (iterative)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            stack.extend((v, depth + 1) for v in node)
    return False


def parse_setup(data: dict[str, Any], *, source: str = "<data>") -> Setup:
    """Validate an already-parsed mapping as a :class:`Setup`; errors name ``source``.

    A :class:`~smmkit.errors.SetupError` names the key (a path such as
    ``channels[1].cadence.posts_per_week``), the rule and the fix that fits the error (the key
    to add, the known key an unknown one is close to, ...). It never shows the value of an
    unknown key or of a credential-like key (``token``, ``secret``, ``password``, ...), nor a
    whole table: a token typed under a mistyped key never ends up in a log.
    """
    if not isinstance(data, dict):
        raise SetupError(
            source,
            "(top level)",
            "a setup must be a table/object",
            value=type(data).__name__,
            hint="a setup file holds tables such as [brand] and [[channels]] (docs/setup.md)",
        )
    if _too_deep(data):
        raise SetupError(
            source,
            "(structure)",
            f"tables and arrays nest more than {_MAX_DEPTH} levels deep; a setup nests at most 5",
            has_value=False,
            hint="check for an unclosed bracket or a generated file gone wrong",
        )
    try:
        return Setup.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        key = _key_path(first["loc"])
        rule = _rule(first)
        if len(errors) > 1:
            rule += (
                f" [and {len(errors) - 1} more problem(s): "
                + "; ".join(f"{_key_path(e['loc'])}: {_rule(e)}" for e in errors[1:4])
                + ("; ..." if len(errors) > 4 else "")
                + "]"
            )
        value, has_value = _shown(first, key)
        raise SetupError(
            source, key, rule, value=value, has_value=has_value, hint=_hint(first, key)
        ) from None


def load_setup(path: str | Path) -> Setup:
    """Read a setup from a ``.toml`` or ``.json`` file.

    Raises :class:`~smmkit.errors.SetupError` (a ``ValueError``) naming the file, the key and the
    rule when the file is missing, unparsable or invalid.
    """
    file = Path(path)
    name = str(file)
    suffix = file.suffix.lower()
    if suffix not in {".toml", ".json"}:
        raise SetupError(
            name,
            "(file)",
            "a setup file must end in .toml or .json",
            value=suffix,
            hint="rename the file, or convert it to TOML or JSON",
        )
    try:
        size = file.stat().st_size
        if size > _MAX_BYTES:
            raise SetupError(
                name,
                "(file)",
                f"the file has {size:,} bytes; a setup file is at most {_MAX_BYTES:,}",
                has_value=False,
                hint="split the content items into their own file",
            )
        raw = file.read_bytes()
    except OSError as exc:
        raise SetupError(
            name,
            "(file)",
            f"cannot read the file: {exc.strerror}",
            has_value=False,
            hint="check the path and the file's permissions",
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SetupError(
            name,
            f"(byte {exc.start})",
            "the file must be UTF-8 text",
            has_value=False,
            hint="save the file as UTF-8 in your editor",
        ) from None
    data: Any
    too_deep = SetupError(
        name,
        "(structure)",
        "tables and arrays nest too deep to read (more than the parser's recursion limit)",
        has_value=False,
        hint="check for unclosed brackets; a setup nests at most 5 levels",
    )
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SetupError(
                name,
                "(syntax)",
                f"invalid TOML: {exc}",
                has_value=False,
                hint="fix the syntax at that line (quotes, brackets, '=' between key and value)",
            ) from None
        except RecursionError:
            raise too_deep from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SetupError(
                name,
                f"(line {exc.lineno}, column {exc.colno})",
                f"invalid JSON: {exc.msg}",
                has_value=False,
                hint="fix the syntax there (commas, quotes, brackets)",
            ) from None
        except RecursionError:
            raise too_deep from None
    return parse_setup(data, source=name)
