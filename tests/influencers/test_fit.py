from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.influencers import (
    AudienceBreakdown,
    Creator,
    CreatorPost,
    FitSettings,
    fit,
    rank_creators,
)
from smmkit.models import AgeBand, Audience, AudienceSegment, Brand, ContentPillar


def brand(**voice: object) -> Brand:
    return Brand.model_validate(
        {
            "name": "Forno",
            "locales": ["it-IT"],
            "timezone": "Europe/Rome",
            "voice": voice,
            "pillars": [
                ContentPillar(key="prodotto", name="Il nostro pane", share=0.6),
                ContentPillar(key="ricette", name="Ricette e consigli", share=0.4),
            ],
        }
    )


AUDIENCE = Audience(
    timezone="Europe/Rome",
    segments=(
        AudienceSegment(
            name="giovani",
            locations=("Bologna",),
            age_bands=(AgeBand.A25_34,),
            languages=("it",),
            size=3000,
        ),
        AudienceSegment(name="italia", locations=("IT",), size=1000),
    ),
)


def creator(**fields: object) -> Creator:
    values: dict[str, object] = {
        "handle": "giulia",
        "platform": "instagram",
        "followers": 20_000,
        "posts": (CreatorPost(likes=580, comments=20, text="La mia ricetta del pane"),),
        "follower_history": tuple(10_000 + round(250 * d / 30) for d in range(31)),
        "audience": AudienceBreakdown(
            countries={"IT": 0.5},
            cities={"Bologna": 0.1},
            age_bands={AgeBand.A25_34: 0.2},
            languages={"it": 0.9},
        ),
        "topics": ("cucina",),
    }
    values.update(fields)
    return Creator.model_validate(values)


def test_hand_computed_components() -> None:
    report = fit(creator(), brand(), AUDIENCE)
    audience = report.component("audience")
    # segment "giovani": (0.1 Bologna + 0.2 aged 25-34 + 0.9 Italian) / 3 = 0.4, size 3000
    # segment "italia": 0.5 in IT, size 1000
    overlap = (0.4 * 3000 + 0.5 * 1000) / 4000  # 0.425; 0.6 counts as full
    assert audience.score == pytest.approx(0.425 / 0.6, abs=1e-6)
    assert "overlap 42.5%" in audience.reason and "best: italia" in audience.reason
    engagement = report.component("engagement")
    # (580 + 20) / 20,000 = 3.0%, the micro benchmark 3.0%: ratio 1.0 -> 1 / 1.5
    assert engagement.score == pytest.approx(1 / 1.5, abs=1e-6)
    growth = report.component("growth")
    # 10,000 -> 10,250 in 30 days = 2.5% a month -> 0.3 + 0.7 * 0.5
    assert growth.score == pytest.approx(0.65, abs=1e-6)
    pillars = report.component("pillars")
    # "pane" meets pillar prodotto (0.6), "ricetta" meets ricette (0.4): 100% / 50% -> full
    assert pillars.score == 1.0 and "prodotto (pane)" in pillars.reason
    assert report.component("brand_safety").score == 1.0 and report.brand_safe
    weights = {"audience": 0.35, "engagement": 0.2, "growth": 0.1, "pillars": 0.2}
    expected = (
        weights["audience"] * min(overlap / 0.6, 1)
        + weights["engagement"] / 1.5
        + weights["growth"] * 0.65
        + weights["pillars"] * 1.0
        + 0.15 * 1.0
    ) / 1.0
    assert report.score == pytest.approx(expected, abs=1e-5)


def test_unsafe_keywords_cap_the_fit() -> None:
    report = fit(creator(bio="Consigli di scommesse e Casinò"), brand(), AUDIENCE)
    assert not report.brand_safe
    assert report.unsafe_terms == ("casino", "casinò", "scommesse")
    assert report.score == pytest.approx(0.2)
    banned = fit(creator(bio="pane industriale"), brand(banned_terms=["industriale"]), AUDIENCE)
    assert banned.unsafe_terms == ("industriale",) and banned.score <= 0.2
    # whole words only: "slot" is unsafe, "slotted" is not
    assert fit(creator(bio="slotted spoon"), brand(), AUDIENCE).brand_safe


def test_missing_data_is_not_measured_not_guessed() -> None:
    bare = Creator(handle="bare", platform="instagram", followers=5_000)
    report = fit(bare, brand())
    for name in ("audience", "engagement", "growth", "pillars"):
        component = report.component(name)
        assert component.score is None
        assert component.reason.startswith("not measured")
    assert report.score == 1.0  # only brand safety could be measured
    with pytest.raises(KeyError, match="known: audience"):
        report.component("vibes")


def test_rank_and_settings() -> None:
    good = creator(handle="good")
    off_topic = creator(handle="off", topics=("gaming",), posts=(CreatorPost(likes=600),))
    ranked = rank_creators([off_topic, good], brand(), AUDIENCE)
    assert [r.handle for r in ranked] == ["good", "off"]
    only_pillars = FitSettings(
        weights={"audience": 0, "engagement": 0, "growth": 0, "brand_safety": 0, "pillars": 1}
    )
    assert fit(off_topic, brand(), AUDIENCE, only_pillars).score == 0.0
    merged = FitSettings(weights={"pillars": 0.5})
    assert merged.weights["audience"] == 0.35 and merged.weights["pillars"] == 0.5
    with pytest.raises(ValueError, match="unknown component"):
        FitSettings(weights={"vibes": 1.0})


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_fit_is_a_fraction_and_unsafe_words_never_help(bio: str) -> None:
    c = creator(bio=bio)
    base = fit(c, brand(), AUDIENCE)
    assert 0.0 <= base.score <= 1.0
    worse = fit(c.model_copy(update={"bio": bio + " scommesse"}), brand(), AUDIENCE)
    assert worse.score <= max(base.score, 0.2) and not worse.brand_safe
