from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.influencers import (
    AUTHENTICITY_SIGNALS,
    AudienceBreakdown,
    AuthenticityReport,
    AuthenticitySettings,
    Creator,
    CreatorComment,
    CreatorPost,
    Signal,
    authenticity,
    authenticity_scores,
    is_generic_comment,
)
from smmkit.platforms.sandbox import generate_creators

END = datetime(2026, 11, 30, 9, tzinfo=UTC)
# Tuning used seeds 0-4; these seeds were held out.
HELD_OUT = (100, 101)


def clean_creator(**fields: object) -> Creator:
    """A micro creator with nothing suspicious: varied engagement near the benchmark, steady
    growth, specific comments from many people, a local audience."""
    likes = [300, 520, 260, 410, 700, 350, 280, 610, 330, 450]
    posts = tuple(
        CreatorPost(
            likes=v, comments=v // 25, published_at=END - timedelta(days=3 * k + 1, hours=2)
        )
        for k, v in enumerate(likes)
    )
    history = tuple(14_000 + 12 * d for d in range(60))
    comments = tuple(
        CreatorComment(text=f"Ho provato la ricetta numero {k}, che farina usi?", author=f"u{k}")
        for k in range(20)
    )
    values: dict[str, object] = {
        "handle": "clean",
        "platform": "instagram",
        "followers": history[-1],
        "following": 520,
        "follower_history": history,
        "measured_at": END,
        "posts": posts,
        "comments": comments,
        "audience": AudienceBreakdown(countries={"IT": 0.8, "CH": 0.05, "DE": 0.05}),
        "country": "IT",
        "language": "it",
    }
    values.update(fields)
    return Creator.model_validate(values)


def signal(report: AuthenticityReport, name: str) -> Signal:
    return next(s for s in report.signals if s.name == name)


def test_clean_creator_passes_with_every_signal_checked() -> None:
    report = authenticity(clean_creator())
    assert not report.suspicious
    assert report.score > 0.95
    assert report.unchecked == ()
    assert [s.name for s in report.signals] == list(AUTHENTICITY_SIGNALS)


def test_bought_batch_is_a_follower_jump() -> None:
    history = list(clean_creator().follower_history)
    for d in range(40, 60):
        history[d] += 9_000  # a batch of 9,000 followers on day 40
    c = clean_creator(follower_history=tuple(history), followers=history[-1])
    report = authenticity(c)
    jump = signal(report, "follower_jump")
    # usual daily gain 12 (median); day 40 gained 9,012 on 14,480 the day before
    expected = (history[40] - history[39] - 12) / history[39]
    assert jump.value == pytest.approx(expected, rel=1e-9)
    assert jump.suspicion == 1.0
    assert report.suspicious
    assert report.contributing[0].name == "follower_jump"
    assert "62.2% of followers" in jump.reason


def test_a_viral_post_explains_a_jump() -> None:
    base = clean_creator()
    history = list(base.follower_history)
    for d in range(45, 60):
        history[d] += 1_500
    posts = list(base.posts)
    posts[4] = CreatorPost(
        likes=6_000, comments=300, published_at=END - timedelta(days=14, hours=3)
    )  # day 45 of the history, 14 days before the end
    c = base.model_copy(
        update={"follower_history": tuple(history), "followers": history[-1], "posts": tuple(posts)}
    )
    explained = signal(authenticity(c), "follower_jump")
    assert "explained by a viral post" in explained.reason
    unexplained = signal(authenticity(c.model_copy(update={"posts": base.posts})), "follower_jump")
    assert explained.suspicion < unexplained.suspicion


def test_pods_regular_engagement_and_generic_comments() -> None:
    posts = tuple(CreatorPost(likes=400 + (k % 3) * 5, comments=20) for k in range(10))
    pod = [f"pod{k}" for k in range(6)]
    comments = tuple(
        CreatorComment(text=["Wow 🔥", "Bellissimo! 😍", "Top!"][k % 3], author=pod[k % 6])
        for k in range(24)
    )
    report = authenticity(clean_creator(posts=posts, comments=comments))
    regular = signal(report, "engagement_too_regular")
    assert regular.value is not None and regular.value < 0.02 and regular.suspicion == 1.0
    talk = signal(report, "comments")
    assert talk.value == 1.0 and talk.suspicion == 1.0
    assert report.suspicious


def test_low_engagement_follow_for_follow_and_foreign_audience() -> None:
    posts = tuple(CreatorPost(likes=40 + 17 * k, comments=2) for k in range(10))
    c = clean_creator(
        posts=posts,
        following=7_500,
        followers=3_000,
        follower_history=(),
        audience=AudienceBreakdown(countries={"IT": 0.3, "BR": 0.4, "IN": 0.2}),
    )
    report = authenticity(c)
    ratio = signal(report, "follower_following_ratio")
    assert ratio.value == pytest.approx(2.5) and ratio.suspicion == pytest.approx(0.75)
    low = signal(report, "engagement_too_low")
    # mean (likes + comments) = 40 + 17 * 4.5 + 2 = 118.5; / 3,000 = 3.95%; nano benchmark 4.5%
    assert low.value == pytest.approx(118.5 / 3000 / 0.045)
    geo = signal(report, "audience_geography")
    assert geo.value == pytest.approx(0.6) and geo.suspicion == 1.0
    assert "follower_jump" in report.unchecked
    assert report.suspicious


def test_nothing_known_is_nothing_suspected() -> None:
    report = authenticity(Creator(handle="bare", platform="tiktok", followers=12_000))
    assert report.score == 1.0 and not report.suspicious
    assert set(report.unchecked) == set(AUTHENTICITY_SIGNALS)
    assert all(s.reason.startswith("not checked") for s in report.signals)


def test_generic_comments() -> None:
    assert is_generic_comment("Wow 🔥🔥")
    assert is_generic_comment("Bellissimo!!!")
    assert is_generic_comment("😍")
    assert is_generic_comment("Love this pic")
    assert not is_generic_comment("Che farina usi per la focaccia?")
    assert not is_generic_comment("wow, where is this?")


def test_batch_matches_single_reports() -> None:
    creators = [g.creator for g in generate_creators(60, seed=11)]
    batch = authenticity_scores(creators)
    for i in (0, 7, 33, 59):
        assert batch.report(i) == authenticity(creators[i])
        assert batch.report(i).score == pytest.approx(float(batch.scores[i]), abs=1e-6)
    assert batch.suspicion.shape == (60, len(AUTHENTICITY_SIGNALS))
    assert len(batch.reports()) == 60


@pytest.mark.parametrize("seed", HELD_OUT)
def test_separates_sandbox_ground_truth_on_held_out_seeds(seed: int) -> None:
    generated = generate_creators(1_000, seed=seed)
    truth = np.array([g.truth.inauthentic for g in generated])
    flagged = authenticity_scores([g.creator for g in generated]).suspicious
    tp = int((truth & flagged).sum())
    precision = tp / int(flagged.sum())
    recall = tp / int(truth.sum())
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall


def test_generator_is_deterministic_and_labelled() -> None:
    a = generate_creators(30, seed=5)
    b = generate_creators(30, seed=5)
    c = generate_creators(30, seed=6)
    assert a == b
    assert a != c
    kinds = {g.truth.kind for g in generate_creators(200, seed=5)}
    assert kinds == {"genuine", "bought_followers", "engagement_pod"}
    assert all(g.truth.kind == "genuine" for g in generate_creators(20, inauthentic_share=0.0))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=0, max_value=20_000))
def test_following_more_never_looks_more_authentic(low: int, high: int) -> None:
    low, high = sorted((low, high))
    base = clean_creator()
    a = authenticity(base.model_copy(update={"following": low})).score
    b = authenticity(base.model_copy(update={"following": high})).score
    assert 0.0 <= b <= a <= 1.0


def test_settings_change_the_verdict() -> None:
    posts = tuple(CreatorPost(likes=400 + (k % 3) * 5, comments=20) for k in range(10))
    c = clean_creator(posts=posts)
    assert authenticity(c).suspicious
    lenient = AuthenticitySettings(weights={"engagement_too_regular": 0.1})
    assert lenient.weights["follower_jump"] == 0.95  # the others keep their defaults
    assert not authenticity(c, lenient).suspicious
    with pytest.raises(ValueError, match="unknown signal"):
        AuthenticitySettings(weights={"vibes": 0.5})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        AuthenticitySettings(weights={"comments": 2.0})


def test_the_network_makes_creators_from_its_seed_and_clock() -> None:
    from smmkit.platforms.sandbox import SandboxNetwork

    network = SandboxNetwork(seed=5, start=END)
    made = network.creators(10)
    assert made == generate_creators(10, seed=5, end=END)
    assert made[0].creator.measured_at == END
    assert network.creators(3, seed=6) == generate_creators(3, seed=6, end=END)
