"""Bad values give errors that name the field, the value and the rule."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pydantic
import pytest

from smmkit.models import (
    AdMetrics,
    Brand,
    Cadence,
    Campaign,
    Channel,
    ContentItem,
    ContentPillar,
    GrammaticalPerson,
    Influencer,
    InfluencerTier,
    MediaAsset,
    Money,
    PostingWindow,
    PostMetrics,
    Register,
    TierThresholds,
    VoiceProfile,
    classify_tier,
)

UTC = UTC
PILLARS = [{"key": "a", "name": "A", "share": 0.5}, {"key": "b", "name": "B", "share": 0.5}]


def brand(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Forno",
        "locales": ["it-IT"],
        "timezone": "Europe/Rome",
        "pillars": PILLARS,
        **changes,
    }


def channel(**changes: Any) -> dict[str, Any]:
    return {
        "key": "ig",
        "platform": "instagram",
        "handle": "forno",
        "timezone": "Europe/Rome",
        "cadence": {"posts_per_week": 3},
        **changes,
    }


CASES = [
    # (model, data, field named in the error, value shown, words of the rule)
    (
        Brand,
        brand(timezone="Europe/Bologna"),
        "timezone",
        "Europe/Bologna",
        "unknown IANA time zone",
    ),
    (
        Brand,
        brand(
            pillars=[
                {"key": "a", "name": "A", "share": 0.5},
                {"key": "b", "name": "B", "share": 0.4},
            ]
        ),
        "pillars",
        "0.4",
        "must sum to 1",
    ),
    (
        Brand,
        brand(
            pillars=[
                {"key": "a", "name": "A", "share": 0.5},
                {"key": "a", "name": "B", "share": 0.5},
            ]
        ),
        "pillars",
        "'a'",
        "unique",
    ),
    (Brand, brand(locales=["italiano"]), "locales.0", "italiano", "BCP 47"),
    (Brand, brand(country="Italy"), "country", "Italy", "pattern"),
    (Brand, brand(colour="red"), "colour", "red", "Extra inputs are not permitted"),
    (
        Brand,
        brand(voice={"address": {"it": "you"}}),
        "voice.address",
        "you",
        "not a grammatical person",
    ),
    (
        Brand,
        brand(voice={"signature_hashtags": ["pane fresco"]}),
        "voice.signature_hashtags.0",
        "pane fresco",
        "not a hashtag",
    ),
    (
        Channel,
        channel(cadence={"posts_per_week": 15, "daily_cap": 2}),
        "cadence",
        "15",
        "cannot fit under daily_cap",
    ),
    (Channel, channel(handle="forno aurora"), "handle", "forno aurora", "cannot contain spaces"),
    (Channel, channel(platform="Insta Gram"), "platform", "Insta Gram", "Input should be"),
    (
        Channel,
        channel(windows=[{"start": "10:00", "end": "09:00"}]),
        "windows.0",
        "10:00",
        "must be after its start",
    ),
    (
        ContentItem,
        {"text": "x", "ready_at": "2026-12-01T09:00:00"},
        "ready_at",
        "2026-12-01T09:00:00",
        "timezone",
    ),
    (
        ContentItem,
        {
            "text": "x",
            "ready_at": "2026-12-02T09:00:00+01:00",
            "expires_at": "2026-12-01T09:00:00+01:00",
        },
        "",
        "2026-12-01T09:00:00+01:00",
        "must be after ready_at",
    ),
    (
        ContentItem,
        {"text": "x", "links": ["www.fornoaurora.it"]},
        "links",
        "www.fornoaurora.it",
        "absolute http(s) URL",
    ),
    (ContentItem, {"text": "", "title": ""}, "", "", "needs a text, a title or media"),
    (
        MediaAsset,
        {"kind": "video", "url": "https://x.org/a.jpg", "mime_type": "image/jpeg"},
        "",
        "image/jpeg",
        "does not match kind",
    ),
    (
        Campaign,
        {
            "id": "c",
            "name": "C",
            "objective": "sales",
            "start": "2026-12-10T00:00:00Z",
            "end": "2026-12-01T00:00:00Z",
        },
        "",
        "2026-12-01T00:00:00+00:00",
        "must be after start",
    ),
    (
        Campaign,
        {
            "id": "c",
            "name": "C",
            "objective": "fame",
            "start": "2026-12-01T00:00:00Z",
            "end": "2026-12-10T00:00:00Z",
        },
        "objective",
        "fame",
        "Input should be",
    ),
    (Money, {"amount": "12.5", "currency": "EUROS"}, "currency", "EUROS", "ISO 4217"),
    (Money, {"amount": "twelve", "currency": "EUR"}, "amount", "twelve", "not a decimal"),
    (
        Influencer,
        {"handle": "a", "platform": "instagram", "followers": -5},
        "followers",
        "-5",
        "greater than or equal to 0",
    ),
    (
        PostMetrics,
        {"platform": "x", "measured_at": "2026-01-01T00:00:00Z", "post_id": "1", "likes": -1},
        "likes",
        "-1",
        "greater than or equal to 0",
    ),
    (
        AdMetrics,
        {
            "platform": "facebook",
            "measured_at": "2026-01-01T00:00:00Z",
            "ad_id": "1",
            "spend": {"amount": "10", "currency": "EUR"},
            "revenue": {"amount": "10", "currency": "USD"},
        },
        "",
        "USD",
        "differs from spend",
    ),
]


@pytest.mark.parametrize(
    ("model", "data", "field", "value", "rule"),
    CASES,
    ids=[f"{c[0].__name__}-{c[4][:25]}" for c in CASES],
)
def test_bad_value_names_field_value_and_rule(
    model: type[pydantic.BaseModel], data: dict[str, Any], field: str, value: str, rule: str
) -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        model.model_validate(data)
    assert isinstance(info.value, ValueError)
    text = str(info.value)
    assert rule in text
    assert value in text
    if field:
        locs = [".".join(str(p) for p in e["loc"]) for e in info.value.errors()]
        assert field in locs, (field, locs)


def test_naive_datetime_refused_on_assignment_too() -> None:
    item = ContentItem(text="ciao")
    with pytest.raises(pydantic.ValidationError, match="timezone"):
        ContentItem.model_validate({**item.model_dump(), "ready_at": datetime(2026, 1, 1)})


def test_value_objects_are_frozen_and_hashable() -> None:
    money = Money.of("1.00", "EUR")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        money.amount = Decimal(2)  # type: ignore[misc]  # frozen on purpose: refused at run time
    assert hash(money) == hash(Money.of("1.00", "EUR"))
    window = PostingWindow(start=time(9), end=time(10))
    assert {window, PostingWindow(start=time(9), end=time(10))} == {window}


def test_cadence_spacing_must_fit_in_a_day() -> None:
    with pytest.raises(pydantic.ValidationError, match="cannot be"):
        Cadence(posts_per_week=7, daily_cap=3, min_spacing=timedelta(hours=13))


def test_voice_person_defaults_follow_register() -> None:
    assert VoiceProfile(register=Register.FORMAL).person_for("it-IT") is GrammaticalPerson.LEI
    assert VoiceProfile(register=Register.INFORMAL).person_for("it") is GrammaticalPerson.TU
    assert VoiceProfile(register=Register.FORMAL).person_for("en-GB") is GrammaticalPerson.YOU
    explicit = VoiceProfile(register=Register.FORMAL, address={"it": GrammaticalPerson.TU})
    assert explicit.person_for("it-IT") is GrammaticalPerson.TU
    assert VoiceProfile().disclosure_for("it-IT") == "#adv"
    assert VoiceProfile().disclosure_for("en-US") == "#ad"


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (0, "nano"),
        (9_999, "nano"),
        (10_000, "micro"),
        (99_999, "micro"),
        (100_000, "mid"),
        (499_999, "mid"),
        (500_000, "macro"),
        (999_999, "macro"),
        (1_000_000, "mega"),
    ],
)
def test_influencer_tiers_default_thresholds(followers: int, tier: str) -> None:
    assert classify_tier(followers) is InfluencerTier(tier)


def test_influencer_tiers_configurable() -> None:
    custom = TierThresholds(micro=5_000, mid=50_000, macro=250_000, mega=2_000_000)
    person = Influencer(
        handle="@giulia", platform="instagram", followers=7_000, tier_thresholds=custom
    )
    assert person.handle == "giulia"
    assert person.tier is InfluencerTier.MICRO
    with pytest.raises(pydantic.ValidationError, match="thresholds must increase"):
        TierThresholds(micro=10, mid=5)


def test_pillar_share_bounds() -> None:
    with pytest.raises(pydantic.ValidationError, match="greater than 0"):
        ContentPillar(key="a", name="A", share=0)


def test_timezone_and_offsets_kept() -> None:
    item = ContentItem(text="x", ready_at=datetime(2026, 3, 29, 9, tzinfo=UTC))
    assert item.ready_at is not None and item.ready_at.utcoffset() == timedelta(0)
