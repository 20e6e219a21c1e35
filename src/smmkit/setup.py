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
from pydantic import Field, model_validator

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
        keys = [c.key for c in self.channels]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"channel keys must be unique; repeated: {', '.join(repeated)}")
        known_pillars = {p.key for p in self.brand.pillars}
        campaign_ids = [c.id for c in self.campaigns]
        if len(campaign_ids) != len(set(campaign_ids)):
            raise ValueError("campaign ids must be unique")
        for campaign in self.campaigns:
            for key in campaign.channels:
                if key not in keys:
                    raise ValueError(
                        f"campaign {campaign.id!r} names channel {key!r}, which is not defined; "
                        f"defined channels: {', '.join(keys)}"
                    )
            for pillar in campaign.pillars:
                if pillar not in known_pillars:
                    raise ValueError(f"campaign {campaign.id!r} names unknown pillar {pillar!r}")
        for item in self.content:
            if item.pillar is not None and item.pillar not in known_pillars:
                raise ValueError(
                    f"content item {item.id!r} names unknown pillar {item.pillar!r}; "
                    f"known pillars: {', '.join(sorted(known_pillars))}"
                )
            if item.campaign is not None and item.campaign not in campaign_ids:
                raise ValueError(
                    f"content item {item.id!r} names unknown campaign {item.campaign!r}"
                )
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
            message = message[len(prefix):]
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
            rule += f" [and {len(errors) - 1} more problem(s): " + "; ".join(
                f"{_key_path(e['loc'])}: {_rule(e)}" for e in errors[1:4]
            ) + ("; ..." if len(errors) > 4 else "") + "]"
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
        raise SetupError(name, "(file)", f"cannot read the file: {exc.strerror}",
                         has_value=False) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SetupError(name, f"(byte {exc.start})", "the file must be UTF-8 text",
                         has_value=False) from None
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
                name, f"(line {exc.lineno}, column {exc.colno})", f"invalid JSON: {exc.msg}",
                has_value=False,
            ) from None
    if not isinstance(data, dict):
        raise SetupError(
            name, "(top level)", "a setup must be a table/object", value=type(data).__name__
        )
    return parse_setup(data, source=name)
