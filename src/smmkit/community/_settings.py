"""A brand's community settings: its moderation rules and its saved replies, as a setup file
declares them (the ``[community]`` table; see docs/setup.md and docs/community.md)."""

from __future__ import annotations

import difflib
from typing import Any, Self

from pydantic import Field, field_validator, model_validator

from smmkit.models import Brand
from smmkit.models._base import ValueModel

from ._notify import NotifySettings
from ._replies import SavedReply, choose_reply, prepare_reply
from ._response import BusinessHours
from ._rules import DEFAULT_RULES, ModerationPolicy, ModerationRule

__all__ = ["CommunitySettings"]

_SAMPLE_VALUE = "Ada"
_SAMPLE_LINK = "https://example.com"
"""What placeholders hold when a saved reply is checked against the brand's voice on load."""


class CommunitySettings(ValueModel):
    """How a brand manages its community: moderation rules and saved replies.

    ``rules`` are the moderation rules in priority order (:class:`ModerationRule`); left out,
    the brand gets :data:`~smmkit.community.DEFAULT_RULES`; ``include_default_rules = true`` runs
    the default rules after the brand's own. ``shorteners``, ``own_domains`` and
    ``repeat_window_hours`` are the policy's settings (:class:`ModerationPolicy`).

    ``saved_replies`` are the replies the team and the rules send (:class:`SavedReply`): one name
    may have a version per language and register (``thanks`` in "tu" and in "Lei"). A name, a
    language and a register identify one reply; every reply a rule sends must exist.
    """

    rules: tuple[ModerationRule, ...] | None = None
    include_default_rules: bool = False
    shorteners: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    repeat_window_hours: float = Field(default=24.0, gt=0, le=24 * 90)
    saved_replies: tuple[SavedReply, ...] = ()
    response_target_minutes: float | None = Field(default=None, gt=0, le=60 * 24 * 30)
    """The brand's target for a first answer, in minutes (the monthly report flags the
    categories answered more slowly)."""
    business_hours: BusinessHours | None = None
    """When the team answers; response times and ages then count open time only."""
    notify: NotifySettings | None = None
    """Where a live moderation run sends its notifications (a webhook or a command)."""

    @field_validator("shorteners", "own_domains", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: dict[tuple[str, str, str | None], int] = {}
        for index, saved in enumerate(self.saved_replies):
            identity = (
                saved.name,
                saved.language,
                saved.address.value if saved.address is not None else None,
            )
            if identity in seen:
                register = identity[2] or "any register"
                raise ValueError(
                    f"saved_replies[{index}] repeats saved_replies[{seen[identity]}]: "
                    f"{saved.name!r} in {saved.language!r}, {register}; give each version its "
                    "own language or address"
                )
            seen[identity] = index
        names = sorted({s.name for s in self.saved_replies})
        policy = self.policy  # checks the rules together (unique names)
        for rule in policy.rules:
            for action in rule.actions:
                if action.reply is None or action.reply in names:
                    continue
                close = difflib.get_close_matches(action.reply, names, n=1, cutoff=0.6)
                known = ", ".join(names) if names else "none"
                guess = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(
                    f"rule {rule.name!r} replies with {action.reply!r}, which is not a saved "
                    f"reply{guess}; saved replies: {known}"
                )
        return self

    @property
    def policy(self) -> ModerationPolicy:
        """The moderation policy these settings declare."""
        rules = DEFAULT_RULES if self.rules is None else self.rules
        if self.rules is not None and self.include_default_rules:
            rules = (*self.rules, *DEFAULT_RULES)
        return ModerationPolicy(
            rules=rules,
            shorteners=self.shorteners,
            own_domains=self.own_domains,
            repeat_window_hours=self.repeat_window_hours,
        )

    def reply(self, name: str, *, brand: Brand, language: str | None = None) -> SavedReply:
        """The version of saved reply ``name`` for ``brand`` (its register, in ``language``,
        default the brand's main one). ``KeyError`` naming the saved replies otherwise."""
        found = choose_reply(self.saved_replies, brand=brand, name=name, language=language)
        if found is None:
            names = ", ".join(sorted({s.name for s in self.saved_replies})) or "none"
            raise KeyError(
                f"no saved reply {name!r} for {brand.name!r} in its register"
                f"{f' in {language!r}' if language else ''}; saved replies: {names}"
            )
        return found

    def problems_for(self, brand: Brand) -> list[tuple[str, str, str]]:
        """What does not fit ``brand``: ``(key, value, message)`` triples (the setup reports
        them).

        Every reply a rule sends must have a version in the brand's register for its main
        language, and every saved reply in the brand's register (or open) must pass the voice
        linter with its placeholders filled by a sample value (a "Lei" word in a "tu" reply, a
        banned term). Platform limits are checked when a reply is sent, on its channel.
        """
        problems: list[tuple[str, str, str]] = []
        language = brand.locale.split("-")[0].split("_")[0].lower()
        person = brand.voice.person_for(language)
        for index, rule in enumerate(self.rules or ()):
            for n, action in enumerate(rule.actions):
                if action.reply is None:
                    continue
                if choose_reply(self.saved_replies, brand=brand, name=action.reply) is None:
                    problems.append(
                        (
                            f"community.rules[{index}].actions[{n}]",
                            action.reply,
                            f"saved reply {action.reply!r} has no version in {language!r} for "
                            f"the brand's register ({_person_name(person.value)}); add one "
                            "with that address, or leave the address out",
                        )
                    )
        for index, saved in enumerate(self.saved_replies):
            speaker = brand.voice.person_for(saved.language)
            if saved.address is not None and saved.address is not speaker:
                continue  # a version for another register: never chosen for this brand
            values = {
                name: _SAMPLE_LINK if name == "link" else _SAMPLE_VALUE
                for name in saved.placeholders
                if name != "brand" and not (name == "link" and brand.website)
            }
            result = prepare_reply(saved, brand=brand, platform="sandbox", values=values)
            wrong = [f for f in result.errors if f.check == "voice"]
            if wrong:
                listed = "; ".join(f"{f.rule}: {f.message}" for f in wrong)
                problems.append((f"community.saved_replies[{index}].text", saved.text, listed))
        return problems


def _person_name(value: str) -> str:
    return "Lei" if value == "lei" else value
