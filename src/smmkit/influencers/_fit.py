"""Fit: does a creator suit the brand? Five components, each with a score (0-1) and its reason.

- ``audience``: overlap of the creator's audience with the brand's segments (country or city,
  age band, language, where both sides know them);
- ``engagement``: engagement rate against the tier's benchmark;
- ``growth``: follower growth over the last 30 days of history;
- ``pillars``: affinity of the creator's topics, bio and posts with the brand's content pillars;
- ``brand_safety``: none of the unsafe keywords (defaults plus the brand's banned terms) in the
  creator's topics, bio or posts.

The fit score is the weighted mean of the components that could be measured; an unsafe creator's
fit is capped at ``unsafe_cap``. Linear in the creator's text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from pydantic import Field, field_validator

from smmkit.models import (
    Audience,
    AudienceSegment,
    Brand,
    ContentPillar,
    TierThresholds,
    ValueModel,
)

from ._creator import TIER_ENGAGEMENT_BENCHMARKS, Creator

__all__ = [
    "DEFAULT_UNSAFE_TERMS",
    "FIT_COMPONENTS",
    "FitComponent",
    "FitReport",
    "FitSettings",
    "fit",
    "rank_creators",
]

FIT_COMPONENTS: tuple[str, ...] = ("audience", "engagement", "growth", "pillars", "brand_safety")

DEFAULT_UNSAFE_TERMS: tuple[str, ...] = (
    "scommesse",
    "scommessa",
    "betting",
    "gambling",
    "casino",
    "casinò",
    "slot",
    "porn",
    "porno",
    "xxx",
    "onlyfans",
    "escort",
    "droga",
    "drugs",
    "cocaina",
    "cocaine",
    "armi",
    "guns",
    "violenza",
    "violence",
    "odio",
    "hate",
    "razzismo",
    "racism",
    "nazi",
    "fascismo",
)
"""Keywords that make a creator unsafe for most brands by default (Italian and English:
gambling, adult content, drugs, weapons, violence, hate). Extend or replace them in
:class:`FitSettings`; the brand's ``voice.banned_terms`` are always added."""


_FIT_WEIGHTS: dict[str, float] = {
    "audience": 0.35,
    "engagement": 0.2,
    "growth": 0.1,
    "pillars": 0.2,
    "brand_safety": 0.15,
}


class FitSettings(ValueModel):
    """Weights of the components (merged over the defaults: ``{"pillars": 0.5}`` changes only
    that one; 0 leaves a component out), the unsafe keywords and the full-score points."""

    weights: dict[str, float] = Field(default_factory=lambda: dict(_FIT_WEIGHTS))
    unsafe_terms: tuple[str, ...] = DEFAULT_UNSAFE_TERMS
    unsafe_cap: float = Field(default=0.2, ge=0, le=1)
    audience_full: float = Field(
        default=0.6, gt=0, le=1, description="Overlap that counts as a perfect audience match."
    )
    pillars_full: float = Field(
        default=0.5, gt=0, le=1, description="Share of pillar weight matched for a full score."
    )
    growth_full: float = Field(default=0.05, gt=0, description="Monthly growth for a full score.")
    benchmarks: dict[str, float] = Field(
        default_factory=lambda: {t.value: v for t, v in TIER_ENGAGEMENT_BENCHMARKS.items()}
    )
    tiers: TierThresholds = Field(default_factory=TierThresholds)

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = sorted(set(value) - set(FIT_COMPONENTS))
        if unknown:
            raise ValueError(
                f"unknown component(s) {', '.join(unknown)}; the components are "
                f"{', '.join(FIT_COMPONENTS)}"
            )
        for name, weight in value.items():
            if not isinstance(weight, int | float) or weight < 0 or weight != weight:
                raise ValueError(f"the weight of {name} must be >= 0, got {weight!r}")
        return {**_FIT_WEIGHTS, **value}


class FitComponent(ValueModel):
    name: str
    score: float | None = Field(default=None, ge=0, le=1)
    weight: float
    reason: str


class FitReport(ValueModel):
    """A creator's fit with the brand (0-1), whether it is brand-safe, and every component."""

    handle: str
    platform: str
    score: float = Field(ge=0, le=1)
    brand_safe: bool
    unsafe_terms: tuple[str, ...] = ()
    components: tuple[FitComponent, ...]

    def component(self, name: str) -> FitComponent:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"no fit component {name!r}; known: {', '.join(FIT_COMPONENTS)}")


_WORD = re.compile(r"\w+")
_STOP_WORDS = """
    della delle dello degli nostro nostra nostri nostre come sono questo questa quello quella
    anche molto tutti tutto tutte ogni dove quando perché with your from that this have about
    their there what when which into more over just some than them they will
"""
_STOP = frozenset(_STOP_WORDS.split())


def _fold(text: str) -> str:
    """Lowercase without accents (``Casinò`` -> ``casino``)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stems(text: str) -> set[str]:
    """Word stems for topic matching: words of 4+ letters, folded, cut to 5 characters
    (``ricette`` and ``ricetta`` meet at ``ricet``)."""
    return {w[:5] for w in _WORD.findall(_fold(text)) if len(w) >= 4 and w not in _STOP}


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _segment_overlap(creator: Creator, segment: AudienceSegment) -> tuple[float | None, list[str]]:
    aud = creator.audience
    parts: list[float] = []
    notes: list[str] = []
    if segment.locations:
        cities = {_fold(k): v for k, v in aud.cities.items()}
        share = 0.0
        known = False
        for loc in segment.locations:
            if len(loc) == 2 and loc.isupper():
                if aud.countries:
                    known = True
                    share += aud.countries.get(loc, 0.0)
            elif cities:
                known = True
                share += cities.get(_fold(loc), 0.0)
            elif creator.city and _fold(creator.city) == _fold(loc):
                known = True
                share += 0.5
                notes.append(f"creator based in {loc} (audience cities unknown, counted as 50%)")
        if known:
            parts.append(min(share, 1.0))
            notes.append(f"{_pct(min(share, 1.0))} in {', '.join(segment.locations)}")
        else:
            notes.append("location not comparable (audience cities/countries unknown)")
    if segment.age_bands:
        if aud.age_bands:
            share = sum(aud.age_bands.get(b, 0.0) for b in segment.age_bands)
            parts.append(min(share, 1.0))
            notes.append(f"{_pct(share)} aged {', '.join(b.value for b in segment.age_bands)}")
        else:
            notes.append("ages unknown")
    if segment.languages:
        wanted = {lang.split("-")[0].lower() for lang in segment.languages}
        if aud.languages:
            share = sum(v for k, v in aud.languages.items() if k in wanted)
            parts.append(min(share, 1.0))
            notes.append(f"{_pct(share)} speak {', '.join(sorted(wanted))}")
        elif creator.language:
            ok = creator.language.split("-")[0].lower() in wanted
            parts.append(1.0 if ok else 0.0)
            notes.append(f"creator writes in {creator.language}")
        else:
            notes.append("language unknown")
    if not parts:
        return None, notes
    return sum(parts) / len(parts), notes


def _audience(
    creator: Creator, audience: Audience | None, s: FitSettings
) -> tuple[float | None, str]:
    if audience is None:
        return None, "not measured: no brand audience given"
    scores: list[tuple[float, float, str, list[str]]] = []
    unknown: list[str] = []
    for seg in audience.segments:
        overlap, notes = _segment_overlap(creator, seg)
        if overlap is None:
            unknown.append(seg.name)
            continue
        scores.append((overlap, float(seg.size or 1), seg.name, notes))
    if not scores:
        return None, "not measured: no segment dimension the creator's audience data can match"
    total = sum(w for _, w, _, _ in scores)
    overlap = sum(o * w for o, w, _, _ in scores) / total
    best = max(scores, key=lambda x: x[0])
    reason = (
        f"overlap {_pct(overlap)} with the brand's segments (weighted by size; "
        f"{_pct(s.audience_full)} counts as full); best: {best[2]} ({'; '.join(best[3])})"
    )
    if unknown:
        reason += f"; not comparable: {', '.join(unknown)}"
    return min(overlap / s.audience_full, 1.0), reason


def _engagement(creator: Creator, s: FitSettings) -> tuple[float | None, str]:
    er = creator.engagement_rate
    if er is None:
        return None, "not measured: no posts and no reported engagement rate"
    tier = creator.tier(s.tiers)
    bench = s.benchmarks.get(tier.value, TIER_ENGAGEMENT_BENCHMARKS[tier])
    ratio = er / bench
    return min(ratio, 1.5) / 1.5, (
        f"engagement rate {_pct(er)} is {ratio:.2f}x the {tier.value}-tier benchmark "
        f"{_pct(bench)} (1.5x or more scores full)"
    )


def _growth(creator: Creator, s: FitSettings) -> tuple[float | None, str]:
    h = creator.follower_history
    if len(h) < 8:
        return None, "not measured: under 8 days of follower history"
    days = min(30, len(h) - 1)
    start = h[-1 - days]
    if start <= 0:
        return None, "not measured: no followers at the start of the window"
    g = (h[-1] - start) / start
    monthly = g * 30 / days
    score = min(max(0.3 + 0.7 * monthly / s.growth_full, 0.0), 1.0)
    return score, (
        f"followers {start:,} -> {h[-1]:,} in {days} days ({_pct(monthly)} a month; "
        f"{_pct(s.growth_full)} a month scores full, flat scores 0.3)"
    )


def _creator_text(creator: Creator) -> str:
    return " ".join([*creator.topics, creator.bio, *(p.text for p in creator.posts)])


@lru_cache(maxsize=64)
def _pillar_vocab(pillars: tuple[ContentPillar, ...]) -> tuple[frozenset[str], ...]:
    return tuple(
        frozenset(_stems(" ".join([p.key.replace("-", " "), p.name, p.description])))
        for p in pillars
    )


def _pillars(creator: Creator, brand: Brand, s: FitSettings) -> tuple[float | None, str]:
    words = _stems(_creator_text(creator))
    if not words:
        return None, "not measured: no topics, bio or post text"
    matched: list[str] = []
    share = 0.0
    for pillar, vocab in zip(brand.pillars, _pillar_vocab(brand.pillars), strict=True):
        common = sorted(vocab & words)
        if common:
            share += pillar.share
            matched.append(f"{pillar.key} ({', '.join(common[:3])})")
    if not matched:
        return 0.0, "no topic in common with the brand's pillars"
    return min(share / s.pillars_full, 1.0), (
        f"pillars matched: {'; '.join(matched)} = {_pct(share)} of the plan "
        f"({_pct(s.pillars_full)} scores full)"
    )


def _unsafe(creator: Creator, terms: Iterable[str]) -> list[str]:
    tokens = _WORD.findall(_fold(_creator_text(creator)))
    words = set(tokens)
    text = " " + " ".join(tokens) + " "
    found = []
    for term in terms:
        folded = " ".join(_WORD.findall(_fold(term)))
        if not folded:
            continue
        hit = folded in words if " " not in folded else f" {folded} " in text
        if hit:
            found.append(term)
    return sorted(set(found))


def fit(
    creator: Creator,
    brand: Brand,
    audience: Audience | None = None,
    settings: FitSettings | None = None,
) -> FitReport:
    """How well ``creator`` suits ``brand`` (and its ``audience``), each component explained."""
    s = settings or FitSettings()
    unsafe = _unsafe(creator, [*s.unsafe_terms, *brand.voice.banned_terms])
    safety = (
        (0.0, f"unsafe keywords found: {', '.join(unsafe)}")
        if unsafe
        else (1.0, "no unsafe keyword in topics, bio or posts")
    )
    measured = {
        "audience": _audience(creator, audience, s),
        "engagement": _engagement(creator, s),
        "growth": _growth(creator, s),
        "pillars": _pillars(creator, brand, s),
        "brand_safety": safety,
    }
    components = []
    num = den = 0.0
    for name in FIT_COMPONENTS:
        score, reason = measured[name]
        weight = s.weights.get(name, 0.0)
        if score is not None and not math.isnan(score):
            score = round(min(max(score, 0.0), 1.0), 6)
            num += weight * score
            den += weight
        components.append(FitComponent(name=name, score=score, weight=weight, reason=reason))
    total = num / den if den else 0.0
    if unsafe:
        total = min(total, s.unsafe_cap)
    return FitReport(
        handle=creator.handle,
        platform=creator.platform.value,
        score=round(total, 6),
        brand_safe=not unsafe,
        unsafe_terms=tuple(unsafe),
        components=tuple(components),
    )


def rank_creators(
    creators: Sequence[Creator],
    brand: Brand,
    audience: Audience | None = None,
    settings: FitSettings | None = None,
) -> list[FitReport]:
    """Fit reports for ``creators``, best fit first (ties by handle)."""
    reports = [fit(c, brand, audience, settings) for c in creators]
    return sorted(reports, key=lambda r: (-r.score, r.handle))
