"""Setup files: a whole brand set-up (brand, audience, channels, campaigns, ...) in TOML or JSON.

>>> from smmkit.setup import load_setup
>>> setup = load_setup("examples/forno_aurora.toml")  # doctest: +SKIP
>>> setup.brand.name  # doctest: +SKIP
'Forno Aurora'

Every problem is reported as a :class:`~smmkit.errors.SetupError` naming the file, the key (a path
such as ``channels[1].cadence.posts_per_week``) and the rule that was broken.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import pydantic
import pydantic_core
from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

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

    @model_validator(mode="after")
    def _references(self) -> Self:
        problems: list[InitErrorDetails] = []

        def problem(loc: tuple[str | int, ...], value: object, message: str) -> None:
            problems.append(
                InitErrorDetails(
                    type=PydanticCustomError("reference", message), loc=loc, input=value
                )
            )

        keys = [c.key for c in self.channels]
        for index, key in enumerate(keys):
            if key in keys[:index]:
                problem(("channels", index, "key"), key, "channel keys must be unique")
        known_pillars = {p.key for p in self.brand.pillars}
        pillar_list = ", ".join(sorted(known_pillars))
        campaign_ids = [c.id for c in self.campaigns]
        for index, campaign in enumerate(self.campaigns):
            if campaign.id in campaign_ids[:index]:
                problem(("campaigns", index, "id"), campaign.id, "campaign ids must be unique")
            for n, key in enumerate(campaign.channels):
                if key not in keys:
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


def parse_setup(data: dict[str, Any], *, source: str = "<data>") -> Setup:
    """Validate an already-parsed mapping as a :class:`Setup`; errors name ``source``."""
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
        missing = first["type"] == "missing"
        raise SetupError(
            source,
            key,
            rule,
            value=None if missing else first.get("input"),
            has_value=not missing,
            hint="see docs/setup.md for the keys a setup file takes.",
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
        raise SetupError(name, "(file)", "a setup file must end in .toml or .json", value=suffix)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SetupError(
            name, "(file)", f"cannot read the file: {exc.strerror}", has_value=False
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SetupError(
            name, f"(byte {exc.start})", "the file must be UTF-8 text", has_value=False
        ) from None
    data: Any
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SetupError(name, "(syntax)", f"invalid TOML: {exc}", has_value=False) from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SetupError(
                name,
                f"(line {exc.lineno}, column {exc.colno})",
                f"invalid JSON: {exc.msg}",
                has_value=False,
            ) from None
    if not isinstance(data, dict):
        raise SetupError(
            name, "(top level)", "a setup must be a table/object", value=type(data).__name__
        )
    return parse_setup(data, source=name)
