"""The brand: voice, pillars, objectives, competitors."""

from __future__ import annotations

import difflib
import math
import re
import warnings
from enum import StrEnum
from typing import Self

from pydantic import Field, field_validator, model_validator

from smmkit._sinks import safe_url

from ._base import Hashtag, LocaleTag, Platform, SmmkitModel, TimezoneName, ValueModel

__all__ = [
    "Brand",
    "Competitor",
    "ContentPillar",
    "EmojiPolicy",
    "GrammaticalPerson",
    "KpiTarget",
    "Objective",
    "ObjectiveTarget",
    "Register",
    "VoiceProfile",
]


class Register(StrEnum):
    """How formal the brand sounds."""

    FORMAL = "formal"
    INFORMAL = "informal"


def _language_of(locale: str) -> str:
    """The language of a tag: ``"it-IT"``, ``"it_IT"`` and ``"IT"`` all give ``"it"``."""
    return re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower()


class GrammaticalPerson(StrEnum):
    """How the brand addresses its reader.

    Italian: ``tu`` (informal singular), ``lei`` (formal "Lei"), ``voi`` (plural). English: ``you``.
    Values are read without regard to case: ``"Lei"`` is ``lei``.
    """

    TU = "tu"
    LEI = "lei"
    VOI = "voi"
    YOU = "you"

    @classmethod
    def _missing_(cls, value: object) -> GrammaticalPerson | None:
        # "Lei" as Italian writes it (and the docs): the names are matched without case.
        if isinstance(value, str):
            folded = value.strip().lower()
            for member in cls:
                if member.value == folded:
                    return member
        return None


_PERSONS_BY_LANGUAGE: dict[str, frozenset[GrammaticalPerson]] = {
    "it": frozenset({GrammaticalPerson.TU, GrammaticalPerson.LEI, GrammaticalPerson.VOI}),
    "en": frozenset({GrammaticalPerson.YOU}),
}


class EmojiPolicy(StrEnum):
    """How many emoji the brand allows: none, a few (``sparing``), or ``free``."""

    NONE = "none"
    SPARING = "sparing"
    FREE = "free"


# ``register`` is the linguists' word for formality; it shadows only ABCMeta.register, a class-level
# method nobody calls on a model, so pydantic's warning about it is silenced here.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class VoiceProfile(ValueModel):
    """The brand's tone of voice.

    ``address`` maps a language (``"it"``, ``"en"``) to the grammatical person used with the
    reader; where a language is missing, :meth:`person_for` derives it from the register
    (Italian: formal → Lei, informal → tu; English: you).
    """

    register: Register = Register.INFORMAL
    address: dict[str, GrammaticalPerson] = Field(default_factory=dict)
    emoji: EmojiPolicy = EmojiPolicy.SPARING
    max_emoji: int | None = Field(default=None, ge=0, description="Cap per post, if any.")
    banned_terms: tuple[str, ...] = ()
    preferred_terms: dict[str, str] = Field(
        default_factory=dict, description="Term to avoid → term to use instead."
    )
    signature_hashtags: tuple[Hashtag, ...] = ()
    disclosure: dict[str, str] = Field(
        default_factory=lambda: {"it": "#adv", "en": "#ad"},
        description="Wording that marks sponsored content, per language.",
    )

    @field_validator("address")
    @classmethod
    def _address(cls, value: dict[str, GrammaticalPerson]) -> dict[str, GrammaticalPerson]:
        for language, person in value.items():
            allowed = _PERSONS_BY_LANGUAGE.get(_language_of(language))
            if allowed is not None and person not in allowed:
                names = ", ".join(sorted(p.value for p in allowed))
                raise ValueError(
                    f"{person.value!r} is not a grammatical person of language {language!r}; "
                    f"use one of {names}"
                )
        return value

    @field_validator("banned_terms")
    @classmethod
    def _banned(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not term.strip() for term in value):
            raise ValueError("banned terms must not be empty strings")
        return value

    @model_validator(mode="after")
    def _emoji_cap(self) -> Self:
        if self.emoji is EmojiPolicy.NONE and self.max_emoji:
            raise ValueError("max_emoji must be 0 or unset when the emoji policy is 'none'")
        return self

    def person_for(self, locale: str) -> GrammaticalPerson:
        """The grammatical person for a locale (``"it-IT"`` → ``tu`` or ``lei``)."""
        language = _language_of(locale)
        for key, person in self.address.items():
            if _language_of(key) == language:
                return person
        if language == "it":
            formal = self.register is Register.FORMAL
            return GrammaticalPerson.LEI if formal else GrammaticalPerson.TU
        return GrammaticalPerson.YOU

    def disclosure_for(self, locale: str) -> str:
        """The disclosure wording for a locale, falling back to its language, then English."""
        if locale in self.disclosure:
            return self.disclosure[locale]
        language = _language_of(locale)
        return self.disclosure.get(language, self.disclosure.get("en", "#ad"))


class ContentPillar(ValueModel):
    """A recurring theme of the brand's content, with its target share of posts (0–1]."""

    key: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1)
    share: float = Field(gt=0, le=1)
    description: str = ""


class Objective(StrEnum):
    """What content or a campaign is for."""

    AWARENESS = "awareness"
    TRAFFIC = "traffic"
    ENGAGEMENT = "engagement"
    COMMUNITY = "community"
    LEADS = "leads"
    SALES = "sales"


KNOWN_KPIS: frozenset[str] = frozenset(
    {
        # smmkit.analytics.KPI_SPECS
        *(
            f"engagement_rate_by_{d}_{k}"
            for d in ("reach", "impressions", "views", "followers")
            for k in ("mean", "pooled")
        ),
        "amplification_rate",
        "applause_rate",
        "conversation_rate",
        "virality_rate",
        "ctr",
        "cpc",
        "cpm",
        "cpa",
        "roas",
        "video_completion_rate",
        "average_watch_time_seconds",
        # smmkit.analytics.KPI_ALIASES
        "engagement_rate",
        *(f"engagement_rate_by_{d}" for d in ("reach", "impressions", "views", "followers")),
        # the other KPI functions of smmkit.analytics
        "follower_growth_rate",
        "posting_frequency",
        "share_of_voice",
    }
)
"""The KPI names smmkit computes. A target may name another (custom) KPI, unless the name is
so close to a known one that it is almost certainly a typo (``engagment_rate``)."""


class KpiTarget(ValueModel):
    """A KPI target, e.g. ``engagement_rate_by_reach`` at least ``0.04``.

    Rates are fractions (0.04), never percentages. ``kpi`` is one of :data:`KNOWN_KPIS` or a
    custom name of yours (``newsletter_signups``); a name within a typo of a known KPI
    (``engagment_rate``) is refused with a "did you mean".
    """

    kpi: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    target: float = Field(allow_inf_nan=False)
    direction: str = Field(default="at_least", pattern=r"^(at_least|at_most)$")

    @field_validator("kpi")
    @classmethod
    def _typo(cls, value: str) -> str:
        if value not in KNOWN_KPIS:
            close = difflib.get_close_matches(value, sorted(KNOWN_KPIS), n=1, cutoff=0.85)
            if close:
                raise ValueError(
                    f"unknown KPI {value!r}: did you mean {close[0]!r}? (a custom KPI needs a "
                    "name that is not a near-miss of a known one)"
                )
        return value

    def met_by(self, value: float) -> bool:
        return value >= self.target if self.direction == "at_least" else value <= self.target


class ObjectiveTarget(ValueModel):
    """An objective of the brand, with its weight in planning and its KPI targets."""

    objective: Objective
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    kpis: tuple[KpiTarget, ...] = ()


class Competitor(ValueModel):
    """A competitor and its handles per platform."""

    name: str = Field(min_length=1)
    handles: dict[Platform, str] = Field(default_factory=dict)
    website: str | None = None

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return None if value is None else safe_url(value, field="website")


class Brand(SmmkitModel):
    """A brand: who speaks, to whom, about what, and for which objectives.

    ``locales`` lists the languages the brand writes in, the first being the main one. ``country``
    (ISO 3166-1 alpha-2) and ``region`` (a subdivision code as the ``holidays`` library knows
    it, e.g. ``"BO"`` for Bologna and its patron saint's day) select public holidays for planning.
    """

    name: str = Field(min_length=1, max_length=200)
    locales: tuple[LocaleTag, ...] = Field(min_length=1)
    timezone: TimezoneName
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    region: str | None = Field(default=None, min_length=1, max_length=8)
    website: str | None = None
    voice: VoiceProfile = Field(default_factory=VoiceProfile)
    pillars: tuple[ContentPillar, ...] = Field(min_length=1)
    objectives: tuple[ObjectiveTarget, ...] = ()
    competitors: tuple[Competitor, ...] = ()
    allow_threads: bool = True

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return None if value is None else safe_url(value, field="website")

    @field_validator("pillars")
    @classmethod
    def _pillars(cls, value: tuple[ContentPillar, ...]) -> tuple[ContentPillar, ...]:
        keys = [p.key for p in value]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"pillar keys must be unique; repeated: {', '.join(duplicates)}")
        total = math.fsum(p.share for p in value)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"pillar shares must sum to 1, they sum to {total:.6g}; adjust the shares"
            )
        return value

    @field_validator("objectives")
    @classmethod
    def _objectives(cls, value: tuple[ObjectiveTarget, ...]) -> tuple[ObjectiveTarget, ...]:
        seen = [o.objective for o in value]
        if len(seen) != len(set(seen)):
            raise ValueError("each objective may appear once")
        return value

    @property
    def locale(self) -> str:
        """The main locale."""
        return self.locales[0]

    def pillar(self, key: str) -> ContentPillar:
        """The pillar with this key (``KeyError`` naming the known keys otherwise)."""
        for p in self.pillars:
            if p.key == key:
                return p
        raise KeyError(f"unknown pillar {key!r}; known: {', '.join(p.key for p in self.pillars)}")
