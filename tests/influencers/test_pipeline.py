from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit.errors import TransitionError, ValidationError
from smmkit.influencers import (
    PIPELINE,
    Collaboration,
    Creator,
    CreatorPost,
    fees_by_currency,
    tier_of,
)
from smmkit.models import Deliverable, InfluencerTier, Money, PipelineStage, TierThresholds

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def contracted() -> Collaboration:
    c = Collaboration(
        handle="@bolognaagolosa",
        platform="instagram",
        campaign="panettone-2026",
        fee=Money.of("350.00", "EUR"),
        deliverables=(Deliverable(format="reel", due=T0 + timedelta(days=10)),),
    )
    for i, stage in enumerate(("contacted", "negotiating", "contracted")):
        c = c.move(stage, at=T0 + timedelta(hours=i))
    return c


def test_happy_path_records_every_move() -> None:
    c = contracted()
    c = c.move(PipelineStage.CONTENT_IN_REVIEW, at=T0 + timedelta(days=5), note="draft in")
    c = c.move("contracted", at=T0 + timedelta(days=5, hours=1), note="changes requested")
    c = c.move("content in review", at=T0 + timedelta(days=6))
    c = c.move("live", at=T0 + timedelta(days=7))
    c = c.move("paid", at=T0 + timedelta(days=20), by="amministrazione")
    c = c.move("closed", at=T0 + timedelta(days=21))
    assert c.stage is PipelineStage.CLOSED
    assert [h.target.value for h in c.history] == [
        "contacted",
        "negotiating",
        "contracted",
        "content_in_review",
        "contracted",
        "content_in_review",
        "live",
        "paid",
        "closed",
    ]
    assert c.history[4].note == "changes requested"
    assert c.history[7].by == "amministrazione"
    assert all(h.source is p.target for p, h in zip(c.history, c.history[1:], strict=False))
    assert c.allowed == ()
    assert c.handle == "bolognaagolosa"
    assert c.key == "instagram:bolognaagolosa:panettone-2026"


def test_forbidden_move_names_the_allowed_ones() -> None:
    c = Collaboration(handle="x", platform="instagram")
    with pytest.raises(TransitionError) as info:
        c.move("live", at=T0)
    message = str(info.value)
    assert "'prospect'" in message and "'live'" in message
    assert "contacted, closed" in message
    assert info.value.allowed == ("contacted", "closed")
    # nothing recorded, nothing changed
    assert c.history == () and c.stage is PipelineStage.PROSPECT


def test_live_must_be_paid_before_closing() -> None:
    c = contracted().move("content_in_review", at=T0 + timedelta(days=1))
    c = c.move("live", at=T0 + timedelta(days=2))
    with pytest.raises(TransitionError, match="allows paid"):
        c.move("closed", at=T0 + timedelta(days=3))


def test_closed_is_terminal() -> None:
    c = Collaboration(handle="x", platform="tiktok").move("closed", at=T0, note="declined")
    with pytest.raises(TransitionError, match="terminal"):
        c.move("contacted", at=T0)


def test_contract_needs_fee_and_deliverables() -> None:
    c = Collaboration(handle="x", platform="instagram").move("contacted", at=T0)
    c = c.move("negotiating", at=T0)
    with pytest.raises(ValidationError, match="a fee and deliverables"):
        c.move("contracted", at=T0)
    c = c.model_copy(update={"fee": Money.of(100, "EUR")})
    with pytest.raises(ValidationError, match="needs deliverables"):
        c.move("contracted", at=T0)


def test_bad_times_and_stages() -> None:
    c = Collaboration(handle="x", platform="instagram")
    with pytest.raises(ValidationError, match="timezone-aware"):
        c.move("contacted", at=datetime(2026, 11, 2, 9))
    with pytest.raises(ValidationError, match="is not a pipeline stage"):
        c.move("signed", at=T0)
    c = c.move("contacted", at=T0)
    with pytest.raises(ValidationError, match="earlier than the last"):
        c.move("negotiating", at=T0 - timedelta(seconds=1))
    with pytest.raises(ValueError, match="cannot be negative"):
        Collaboration(handle="x", platform="instagram", fee=Money.of(-1, "EUR"))


def test_legacy_stage_values_read_as_closed() -> None:
    assert PipelineStage("declined") is PipelineStage.CLOSED
    assert PipelineStage("completed") is PipelineStage.CLOSED
    assert PipelineStage("Content in review") is PipelineStage.CONTENT_IN_REVIEW


def test_fees_by_currency_and_deliverables() -> None:
    a = contracted()
    b = Collaboration(handle="y", platform="instagram", fee=Money.of("120.50", "EUR"))
    d = Collaboration(handle="z", platform="youtube", fee=Money.of("900", "USD"))
    totals = fees_by_currency([a, b, d, Collaboration(handle="w", platform="x")])
    assert totals == {"EUR": Money.of("470.50", "EUR"), "USD": Money.of("900", "USD")}
    assert a.outstanding() == 1
    assert a.due_items()[0].due == T0 + timedelta(days=10)


@given(st.lists(st.sampled_from(list(PipelineStage)), max_size=30))
def test_random_walks_only_take_allowed_moves(targets: list[PipelineStage]) -> None:
    c = Collaboration(
        handle="walker",
        platform="instagram",
        fee=Money.of(1, "EUR"),
        deliverables=(Deliverable(format="post"),),
    )
    accepted = 0
    for i, target in enumerate(targets):
        before = c.stage
        try:
            c = c.move(target, at=T0 + timedelta(minutes=i))
        except TransitionError as exc:
            assert target not in PIPELINE[before]
            assert set(exc.allowed) == {s.value for s in PIPELINE[before]}  # noqa: PT017
            assert c.stage is before
            continue
        assert target in PIPELINE[before]
        accepted += 1
    assert len(c.history) == accepted
    stage = PipelineStage.PROSPECT
    for change in c.history:
        assert change.source is stage
        stage = change.target
    assert stage is c.stage


def test_tiers_are_configurable() -> None:
    assert tier_of(9_999) is InfluencerTier.NANO
    assert tier_of(10_000) is InfluencerTier.MICRO
    assert tier_of(250_000) is InfluencerTier.MID
    assert tier_of(500_000) is InfluencerTier.MACRO
    assert tier_of(1_000_000) is InfluencerTier.MEGA
    small = TierThresholds(micro=5_000, mid=50_000, macro=250_000, mega=750_000)
    assert tier_of(7_000, small) is InfluencerTier.MICRO
    assert tier_of(300_000, small) is InfluencerTier.MACRO
    creator = Creator(handle="a", platform="instagram", followers=800_000)
    assert creator.tier() is InfluencerTier.MACRO
    assert creator.tier(small) is InfluencerTier.MEGA


def test_creator_engagement_rate_and_influencer() -> None:
    posts = (CreatorPost(likes=90, comments=10), CreatorPost(likes=290, comments=10))
    c = Creator(handle="@a", platform="instagram", followers=10_000, posts=posts)
    # ((90 + 10) + (290 + 10)) / 2 / 10000 = 0.02
    assert c.engagement_rate == pytest.approx(0.02)
    person = c.to_influencer(stage="contacted")
    assert person.handle == "a" and person.engagement_rate == pytest.approx(0.02)
    assert person.stage is PipelineStage.CONTACTED
    with pytest.raises(ValueError, match="handle"):
        Creator(handle="a b", platform="instagram", followers=1)
