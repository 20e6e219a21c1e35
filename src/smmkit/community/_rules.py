"""Moderation rules: conditions on a message and its classification → actions, with the reason.

A :class:`ModerationRule` pairs a :class:`RuleCondition` with :class:`RuleAction` values; a
:class:`ModerationPolicy` holds the rules in priority order plus the settings they share (extra
shortener domains, the brand's own domains, the window for repeated messages). :func:`evaluate`
returns the :class:`PlannedAction` values for one message, each with the rule's name and the cues
that made it fire. Nothing is applied here: the workspace applies the plan exactly once through
the store.

Conditions use three-valued logic: a condition about something the platform did not tell (the
author's account age or followers, or repeats when no :class:`ModerationContext` is given) is
*unknown*; unknown never fires, ``not`` of unknown is unknown, ``all`` is false if a part is false
and else unknown if a part is unknown, ``any`` is true if a part is true.

:data:`DEFAULT_RULES` never hide a genuine customer: they hide only spam classified with high
confidence *and* corroborated by a link, a shortener or a repeated text; all spam is notified for
a person to review; abuse is escalated and complaints, questions and leads are assigned, never
hidden (a rude complaint is still a customer).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any, Protocol, Self

from pydantic import ConfigDict, Field, field_validator, model_validator

from smmkit.models import InboxMessage, MessageCategory, MessageKind, ValueModel
from smmkit.models._base import Slug

from ._words import (
    DEFAULT_SHORTENERS,
    KeywordMatcher,
    domain_in,
    link_domains,
    normalise_for_repeats,
)

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_RULES",
    "Classified",
    "ModerationAction",
    "ModerationContext",
    "ModerationPolicy",
    "ModerationRule",
    "PlannedAction",
    "RuleAction",
    "RuleCondition",
    "evaluate",
]


class ModerationAction(StrEnum):
    """What a rule can do to a message."""

    HIDE = "hide"
    """Hide the comment (the author and their friends still see it; nobody else does)."""
    DELETE = "delete"
    """Delete the comment, where the platform lets the brand (else the action fails, logged)."""
    REPLY = "reply"
    """Reply publicly with a saved reply (rendered and checked before sending)."""
    ASSIGN = "assign"
    """Assign the message to someone (store only)."""
    ESCALATE = "escalate"
    """Flag the message for a senior person's attention (store only, plus the notify hook)."""
    NOTIFY = "notify"
    """Tell someone about the message (the workspace's notify hook), changing nothing."""


class Classified(Protocol):
    """What the rules read of a classification (``smmkit.community.Classification`` has it)."""

    @property
    def category(self) -> MessageCategory: ...

    @property
    def confidence(self) -> float: ...

    @property
    def cues(self) -> tuple[str, ...]: ...


def _as_tuple(value: Any) -> Any:
    """A single value given where a list is expected becomes a one-element list."""
    return (value,) if isinstance(value, str) else value


class RuleCondition(ValueModel):
    """When a rule fires: every field given must hold (an ``and``); ``all``, ``any`` and ``not``
    combine conditions.

    * ``category``: the classification's category is one of these;
    * ``min_confidence``: the classification's confidence is at least this;
    * ``kind``: the message is one of these kinds (comment, reply, mention, direct);
    * ``keywords``: one of these words is in the text, matched as a whole word with Italian
      inflection (see :class:`~smmkit.community.KeywordMatcher`: ``truffa`` matches truffe,
      truffato; ``truff*`` is a prefix; several words match consecutively);
    * ``links``: true when the text has a link (links to the policy's ``own_domains`` do not
      count), false when it has none;
    * ``shortener``: true when a link goes through a URL shortener (``bit.ly``, ...);
    * ``domains``: a link goes to one of these domains (or a subdomain);
    * ``repeated``: the same text (case, accents, punctuation and emoji aside) was written at
      least this many times, by anyone, within the policy's window (this message included);
    * ``repeated_by_author``: the same, by this message's author;
    * ``account_age_days_below``: the author's account was younger than this many days when the
      message was written (unknown when the platform does not tell: the condition does not fire);
    * ``followers_below``: the author has fewer followers than this (unknown likewise).
    """

    model_config = ConfigDict(populate_by_name=True)

    category: tuple[MessageCategory, ...] | None = Field(default=None, min_length=1)
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    kind: tuple[MessageKind, ...] | None = Field(default=None, min_length=1)
    keywords: tuple[str, ...] | None = Field(default=None, min_length=1)
    links: bool | None = None
    shortener: bool | None = None
    domains: tuple[str, ...] | None = Field(default=None, min_length=1)
    repeated: int | None = Field(default=None, ge=2)
    repeated_by_author: int | None = Field(default=None, ge=2)
    account_age_days_below: float | None = Field(default=None, gt=0)
    followers_below: int | None = Field(default=None, ge=1)
    all_of: tuple[RuleCondition, ...] | None = Field(default=None, alias="all", min_length=1)
    any_of: tuple[RuleCondition, ...] | None = Field(default=None, alias="any", min_length=1)
    not_: RuleCondition | None = Field(default=None, alias="not")

    @field_validator("category", "kind", "keywords", "domains", mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        return _as_tuple(value)

    @field_validator("keywords")
    @classmethod
    def _keywords_have_words(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for keyword in value or ():
            body = keyword.strip()
            if not normalise_for_repeats(body):
                raise ValueError(
                    f"keyword {keyword!r} has no letters or digits; write a word such as "
                    "'truffa' (inflected forms match too) or a prefix such as 'truff*'"
                )
            if "*" in body[:-1]:
                raise ValueError(
                    f"keyword {keyword!r} has '*' inside it; '*' is allowed only at the end "
                    "(a prefix such as 'truff*')"
                )
        return value

    @field_validator("domains")
    @classmethod
    def _domains_lower(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(_clean_domain(d) for d in value)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.model_fields_set - {"not_"} and self.not_ is None:
            raise ValueError(
                "a rule condition needs at least one test (category, min_confidence, kind, "
                "keywords, links, shortener, domains, repeated, repeated_by_author, "
                "account_age_days_below, followers_below, all, any or not); an empty one would "
                "match every message"
            )
        return self


def _clean_domain(domain: str) -> str:
    clean = domain.strip().lower().removeprefix("https://").removeprefix("http://")
    clean = clean.removeprefix("www.").rstrip("/")
    if not clean or "/" in clean or " " in clean or "." not in clean:
        raise ValueError(f"{domain!r} is not a domain; write one such as 'bit.ly' or 'example.com'")
    return clean


class RuleAction(ValueModel):
    """One thing a rule does. ``reply`` names a saved reply (for ``do = "reply"``); ``to`` is the
    person or team (required for ``assign``; optional for ``escalate`` and ``notify``).

    In a setup file an action may be written as a string: ``"hide"``, ``"reply:opening-hours"``,
    ``"assign:customer-care"``.
    """

    do: ModerationAction
    reply: str | None = Field(default=None, min_length=1)
    to: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            do, _, target = data.partition(":")
            out: dict[str, str] = {"do": do.strip()}
            if target.strip():
                out["reply" if do.strip() == ModerationAction.REPLY else "to"] = target.strip()
            return out
        return data

    @model_validator(mode="after")
    def _targets(self) -> Self:
        if self.do is ModerationAction.REPLY and self.reply is None:
            raise ValueError(
                "a reply action needs the saved reply's name: reply = 'opening-hours' "
                "(or the string 'reply:opening-hours')"
            )
        if self.do is not ModerationAction.REPLY and self.reply is not None:
            raise ValueError(f"reply = {self.reply!r} is only for do = 'reply', not {self.do}")
        if self.do is ModerationAction.ASSIGN and self.to is None:
            raise ValueError(
                "an assign action needs to whom: to = 'customer-care' "
                "(or the string 'assign:customer-care')"
            )
        silent = (ModerationAction.HIDE, ModerationAction.DELETE, ModerationAction.REPLY)
        if self.do in silent and self.to is not None:
            raise ValueError(
                f"to = {self.to!r} is only for assign, escalate and notify, not {self.do}"
            )
        return self


class ModerationRule(ValueModel):
    """A named rule: when ``when`` holds, plan ``actions``. Rules run in the policy's order;
    for each kind of action, a message gets it from the first rule that plans it."""

    name: Slug
    when: RuleCondition
    actions: tuple[RuleAction, ...] = Field(min_length=1)
    enabled: bool = True
    description: str = ""

    @model_validator(mode="after")
    def _one_action_of_each_kind(self) -> Self:
        seen: set[ModerationAction] = set()
        for action in self.actions:
            if action.do in seen:
                raise ValueError(
                    f"rule {self.name!r} has two {action.do.value!r} actions; a rule does each "
                    "thing at most once (write a second rule for another target)"
                )
            seen.add(action.do)
        return self


class PlannedAction(ValueModel):
    """An action a rule plans for a message, and why.

    ``cues`` are the conditions that fired (``category:spam``, ``confidence:0.95>=0.9``,
    ``link:bit.ly``, ``keyword:truffa=truffato``, ``repeated:4>=3/24h``, ...); ``reason`` says
    the same in one line. ``(message_key, action, rule)`` identifies the action across runs.
    """

    message_key: str
    action: ModerationAction
    rule: str
    cues: tuple[str, ...]
    reason: str
    category: MessageCategory
    confidence: float = Field(ge=0.0, le=1.0)
    reply: str | None = None
    to: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """``(message_key, action, rule)``: unique in a workspace's action table."""
        return (self.message_key, self.action.value, self.rule)


@dataclass(frozen=True)
class ModerationContext:
    """What a rule needs to know beyond one message: how often its text was repeated.

    Build it with :meth:`from_messages` over the messages being moderated (and recent history):
    for each message, the number of messages with the same normalised text, by anyone and by its
    author, written within ``window`` before or after it (itself included). A message not in the
    context has unknown repeats (the ``repeated`` conditions do not fire).
    """

    repeats: Mapping[str, int] = field(default_factory=dict)
    author_repeats: Mapping[str, int] = field(default_factory=dict)
    window: timedelta = timedelta(hours=24)

    @classmethod
    def from_messages(
        cls, messages: Iterable[InboxMessage], *, window: timedelta = timedelta(hours=24)
    ) -> ModerationContext:
        """Count repeats among ``messages`` (the brand's own are left out). O(n log n).

        A text with no words (emoji only) counts as a repeat of nothing."""
        if window <= timedelta(0):
            raise ValueError(f"window must be positive, got {window}")
        by_text: dict[str, list[tuple[float, str]]] = defaultdict(list)
        by_author: dict[tuple[str, str, str], list[tuple[float, str]]] = defaultdict(list)
        repeats: dict[str, int] = {}
        author_repeats: dict[str, int] = {}
        for message in messages:
            if message.from_brand:
                continue
            text = normalise_for_repeats(message.text)
            if not text:
                repeats[message.key] = author_repeats[message.key] = 1
                continue
            moment = message.created_at.timestamp()
            by_text[text].append((moment, message.key))
            who = message.author_id or message.author
            by_author[(message.platform.value, who, text)].append((moment, message.key))
        span = window.total_seconds()
        for groups, out in ((by_text.values(), repeats), (by_author.values(), author_repeats)):
            for group in groups:
                group.sort()
                times = [t for t, _ in group]
                for moment, key in group:
                    low = bisect.bisect_left(times, moment - span)
                    high = bisect.bisect_right(times, moment + span)
                    out[key] = max(out.get(key, 0), high - low)
        return cls(repeats=repeats, author_repeats=author_repeats, window=window)


@dataclass
class _Facts:
    """What the conditions read of one message, each computed once, on first use."""

    message: InboxMessage
    classification: Classified
    context: ModerationContext | None
    shorteners: frozenset[str]
    own_domains: frozenset[str]

    @cached_property
    def domains(self) -> list[str]:
        return link_domains(self.message.text)

    @cached_property
    def outside_domains(self) -> list[str]:
        return [d for d in self.domains if not domain_in(d, self.own_domains)]


_Outcome = tuple[bool | None, tuple[str, ...]]
"""True (fired, with its cues), False (did not), None (unknown: did not fire either)."""


@lru_cache(maxsize=64)
def _domain_set(domains: tuple[str, ...], base: frozenset[str]) -> frozenset[str]:
    return base | frozenset(domains)


@lru_cache(maxsize=256)
def _matcher(keywords: tuple[str, ...]) -> KeywordMatcher:
    return KeywordMatcher(keywords)


def _test(condition: RuleCondition, facts: _Facts) -> _Outcome:
    """Evaluate one condition (an ``and`` of its fields), three-valued: false as soon as a field
    is false, else unknown if a field is unknown, else true with every field's cues."""
    fired: list[str] = []
    unknown = False
    for check in _CHECKS:
        outcome = check(condition, facts)
        if outcome is None:
            continue
        value, cues = outcome
        if value is False:
            return False, ()
        if value is None:
            unknown = True
        else:
            fired.extend(cues)
    return (None, ()) if unknown else (True, tuple(fired))


# Each check reads one field of a condition: None when the field is not set.


def _check_category(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.category is None:
        return None
    category = facts.classification.category
    return category in condition.category, (f"category:{category.value}",)


def _check_confidence(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.min_confidence is None:
        return None
    confidence = facts.classification.confidence
    cue = f"confidence:{confidence:.2f}>={condition.min_confidence:g}"
    return confidence >= condition.min_confidence, (cue,)


def _check_kind(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.kind is None:
        return None
    kind = facts.message.kind
    return kind in condition.kind, (f"kind:{kind.value}",)


def _check_keywords(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.keywords is None:
        return None
    found = _matcher(condition.keywords).find(facts.message.text)
    cues = tuple(f"keyword:{k}" if k.strip().lower() == w else f"keyword:{k}={w}" for k, w in found)
    return bool(found), cues


def _check_links(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.links is None:
        return None
    outside = facts.outside_domains
    if condition.links:
        return bool(outside), tuple(f"link:{d}" for d in outside)
    return not outside, ("no-link",)


def _check_shortener(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.shortener is None:
        return None
    short = [d for d in facts.domains if domain_in(d, facts.shorteners)]
    if condition.shortener:
        return bool(short), tuple(f"shortener:{d}" for d in short)
    return not short, ("no-shortener",)


def _check_domains(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.domains is None:
        return None
    wanted = frozenset(condition.domains)
    hits = [d for d in facts.domains if domain_in(d, wanted)]
    return bool(hits), tuple(f"domain:{d}" for d in hits)


def _repeats(
    threshold: int | None, counts: Mapping[str, int] | None, label: str, facts: _Facts
) -> _Outcome | None:
    if threshold is None:
        return None
    count = None if counts is None else counts.get(facts.message.key)
    if count is None or facts.context is None:
        return None, ()
    window = f"{facts.context.window.total_seconds() / 3600:g}h"
    return count >= threshold, (f"{label}:{count}>={threshold}/{window}",)


def _check_repeated(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    counts = facts.context.repeats if facts.context else None
    return _repeats(condition.repeated, counts, "repeated", facts)


def _check_repeated_by_author(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    counts = facts.context.author_repeats if facts.context else None
    return _repeats(condition.repeated_by_author, counts, "repeated-by-author", facts)


def _check_account_age(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    limit = condition.account_age_days_below
    if limit is None:
        return None
    born = facts.message.author_created_at
    if born is None:
        return None, ()
    days = max((facts.message.created_at - born).total_seconds(), 0.0) / 86400
    return days < limit, (f"new-account:{days:.0f}d<{limit:g}d",)


def _check_followers(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    limit = condition.followers_below
    if limit is None:
        return None
    followers = facts.message.author_followers
    if followers is None:
        return None, ()
    return followers < limit, (f"few-followers:{followers}<{limit}",)


def _check_all(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.all_of is None:
        return None
    cues: list[str] = []
    unknown = False
    for inner in condition.all_of:
        value, found = _test(inner, facts)
        if value is False:
            return False, ()
        unknown = unknown or value is None
        cues.extend(found)
    return (None, ()) if unknown else (True, tuple(cues))


def _check_any(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.any_of is None:
        return None
    outcomes = [_test(inner, facts) for inner in condition.any_of]
    if any(value for value, _ in outcomes):
        return True, tuple(c for value, found in outcomes if value for c in found)
    if any(value is None for value, _ in outcomes):
        return None, ()
    return False, ()


def _check_not(condition: RuleCondition, facts: _Facts) -> _Outcome | None:
    if condition.not_ is None:
        return None
    value, _ = _test(condition.not_, facts)
    if value is None:
        return None, ()
    return not value, (f"not({_describe(condition.not_)})",)


_CHECKS = (
    _check_category,
    _check_confidence,
    _check_kind,
    _check_keywords,
    _check_links,
    _check_shortener,
    _check_domains,
    _check_repeated,
    _check_repeated_by_author,
    _check_account_age,
    _check_followers,
    _check_all,
    _check_any,
    _check_not,
)


def _describe(condition: RuleCondition) -> str:
    """A compact description of a condition, for the cue of a ``not``."""
    bits: list[str] = []
    for name in type(condition).model_fields:
        value = getattr(condition, name)
        if value is None:
            continue
        label = name.rstrip("_").removesuffix("_of")
        if isinstance(value, tuple) and value and isinstance(value[0], RuleCondition):
            bits.append(f"{label}[{'; '.join(_describe(v) for v in value)}]")
        elif isinstance(value, RuleCondition):
            bits.append(f"{label}({_describe(value)})")
        elif isinstance(value, tuple):
            bits.append(f"{label}={','.join(str(v) for v in value)}")
        elif value is True:
            bits.append(label)
        elif value is False:
            bits.append(f"no-{label}")
        else:
            bits.append(f"{label}={value:g}" if isinstance(value, float) else f"{label}={value}")
    return " ".join(bits)


class ModerationPolicy(ValueModel):
    """The rules, in priority order, and the settings they share.

    ``shorteners`` are added to :data:`~smmkit.community.DEFAULT_SHORTENERS`; links to
    ``own_domains`` (the brand's sites) do not count for ``links``; ``repeat_window_hours`` is
    the window of the ``repeated`` conditions (see :meth:`context`).
    """

    rules: tuple[ModerationRule, ...] = Field(default_factory=lambda: DEFAULT_RULES)
    shorteners: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    repeat_window_hours: float = Field(default=24.0, gt=0, le=24 * 90)

    @field_validator("shorteners", "own_domains", mode="before")
    @classmethod
    def _domain_list(cls, value: Any) -> Any:
        return _as_tuple(value)

    @field_validator("shorteners", "own_domains")
    @classmethod
    def _clean(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_clean_domain(d) for d in value)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name in seen:
                raise ValueError(f"two rules are named {rule.name!r}; rule names must be unique")
            seen.add(rule.name)
        return self

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.repeat_window_hours)

    def saved_replies(self) -> frozenset[str]:
        """The names of the saved replies the rules use (to check they all exist)."""
        return frozenset(
            a.reply for rule in self.rules for a in rule.actions if a.reply is not None
        )

    def context(self, messages: Iterable[InboxMessage]) -> ModerationContext:
        """:meth:`ModerationContext.from_messages` with this policy's window."""
        return ModerationContext.from_messages(messages, window=self.window)

    def evaluate(
        self,
        message: InboxMessage,
        classification: Classified,
        *,
        context: ModerationContext | None = None,
    ) -> tuple[PlannedAction, ...]:
        """See :func:`evaluate`."""
        if message.from_brand:
            return ()
        facts = _Facts(
            message,
            classification,
            context,
            _domain_set(self.shorteners, DEFAULT_SHORTENERS),
            _domain_set(self.own_domains, frozenset()),
        )
        planned: dict[ModerationAction, PlannedAction] = {}
        for rule in self.rules:
            if not rule.enabled:
                continue
            value, cues = _test(rule.when, facts)
            if value is not True:
                continue
            reason = f"rule {rule.name}: {', '.join(cues)}"
            for action in rule.actions:
                if action.do in planned:
                    continue
                planned[action.do] = PlannedAction(
                    message_key=message.key,
                    action=action.do,
                    rule=rule.name,
                    cues=cues,
                    reason=reason,
                    category=classification.category,
                    confidence=min(max(classification.confidence, 0.0), 1.0),
                    reply=action.reply,
                    to=action.to,
                )
        if ModerationAction.DELETE in planned or message.hidden:
            planned.pop(ModerationAction.HIDE, None)
        return tuple(planned.values())


def evaluate(
    message: InboxMessage,
    classification: Classified,
    *,
    policy: ModerationPolicy | None = None,
    context: ModerationContext | None = None,
) -> tuple[PlannedAction, ...]:
    """The actions ``policy`` (default: :data:`DEFAULT_POLICY`) plans for ``message``.

    Rules run in order; each kind of action is planned at most once per message, by the first
    rule that fires with it. A hide is dropped when a delete is planned or the message is already
    hidden; the brand's own messages get nothing. Pure and deterministic; linear in the length of
    the text (the keyword matcher and the URL scanner are linear).
    """
    return (policy or DEFAULT_POLICY).evaluate(message, classification, context=context)


def _rule(name: str, description: str, when: Mapping[str, Any], *actions: str) -> ModerationRule:
    return ModerationRule.model_validate(
        {"name": name, "description": description, "when": when, "actions": actions}
    )


_CORROBORATED_SPAM: Mapping[str, Any] = {
    "category": "spam",
    "min_confidence": 0.8,
    "kind": ["comment", "reply"],  # what a brand can hide: not a mention elsewhere, not a DM
    "any": [{"links": True}, {"shortener": True}, {"repeated": 3}, {"repeated_by_author": 2}],
}

DEFAULT_RULES: tuple[ModerationRule, ...] = (
    _rule(
        "hide-corroborated-spam",
        "Spam comments classified with high confidence and corroborated by a link, a shortener "
        "or a repeated text are hidden (spam precision matters more than recall).",
        _CORROBORATED_SPAM,
        "hide",
    ),
    _rule(
        "review-spam",
        "All spam is notified for a person to review: what was hidden, to undo a mistake, and "
        "what was left visible, to decide.",
        {"category": "spam"},
        "notify:moderators",
    ),
    _rule(
        "escalate-abuse",
        "Abuse is escalated, never hidden by default: a rude complaint is still a customer.",
        {"category": "abuse"},
        "escalate:community-lead",
    ),
    _rule(
        "assign-complaints",
        "Complaints go to customer care.",
        {"category": "complaint"},
        "assign:customer-care",
    ),
    _rule(
        "assign-questions",
        "Questions go to customer care, to be answered.",
        {"category": "question"},
        "assign:customer-care",
    ),
    _rule(
        "assign-leads",
        "Purchase or booking intent goes to sales.",
        {"category": "lead"},
        "assign:sales",
    ),
)
"""The rules used when a brand declares none (see the module docstring)."""

DEFAULT_POLICY = ModerationPolicy(rules=DEFAULT_RULES)
""":data:`DEFAULT_RULES` with the default settings."""
