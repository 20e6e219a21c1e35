from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit.influencers import (
    Collaboration,
    DeliveredPost,
    agcom_status,
    check_delivery,
    check_disclosure,
    find_deliveries,
)
from smmkit.models import Deliverable

DATA = Path(__file__).parent / "data" / "disclosure_posts.jsonl"
POSTS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
SPONSORED = [p for p in POSTS if p["sponsored"]]
T0 = datetime(2026, 12, 12, 17, tzinfo=UTC)


def test_the_labelled_set_is_large_and_mixed() -> None:
    assert len(POSTS) >= 100
    assert {p["lang"] for p in SPONSORED} == {"it", "en"}
    assert sum(1 for p in SPONSORED if not p["expected"]) >= 40
    assert sum(1 for p in SPONSORED if p["expected"]) >= 40


def _verdict(post: dict[str, object]) -> bool:
    check = check_disclosure(
        str(post["text"]), label=bool(post["label"]), brand_names=[str(post["brand"])]
    )
    assert check.disclosed == (not check.problems)
    return check.disclosed


def test_no_undisclosed_sponsored_post_passes() -> None:
    passed = [p["id"] for p in SPONSORED if not p["expected"] and _verdict(p)]
    assert passed == []


def test_properly_disclosed_posts_pass() -> None:
    refused = [p["id"] for p in SPONSORED if p["expected"] and not _verdict(p)]
    assert refused == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Non è pubblicità, lo compro da anni", "negated"),
        ("Bello! " + "x" * 130 + " #adv", "after the first 125 characters"),
        ("#sp #collab il pane", "#sp, #collab does not disclose"),
        ("in collaborazione con mia sorella", "without the brand after it"),
        ("solo pane", "no disclosure"),
    ],
)
def test_problems_say_what_to_fix(text: str, fragment: str) -> None:
    check = check_disclosure(text)
    assert not check.disclosed
    assert any(fragment in p for p in check.problems), check.problems


def test_label_and_visible_part_are_configurable() -> None:
    assert check_disclosure("nothing", label=True).how == ("paid-partnership label",)
    late = "x" * 150 + " #ad"
    assert not check_disclosure(late).disclosed
    assert check_disclosure(late, visible_chars=200).disclosed


@given(st.text(max_size=400))
def test_any_text_gets_a_verdict(text: str) -> None:
    check = check_disclosure(text)
    assert check.disclosed == bool(check.how)


def test_hostile_long_text_is_handled() -> None:
    text = "non " * 50_000 + "#adv " * 1000
    assert not check_disclosure(text).disclosed


def test_agcom_thresholds() -> None:
    assert not agcom_status(499_999).subject
    assert agcom_status(500_000).subject
    assert agcom_status(20_000, avg_monthly_views=1_000_000).subject
    assert not agcom_status(20_000, avg_monthly_views=999_999).subject
    assert "7/24/CONS" in agcom_status(800_000).reason
    assert agcom_status(None).reason.startswith("unknown")


def post(**fields: object) -> DeliveredPost:
    values: dict[str, object] = {
        "post_id": "p1",
        "platform": "instagram",
        "author": "bolognaagolosa",
        "published_at": T0 - timedelta(hours=1),
        "format": "reel",
        "text": "#adv Il panettone di @fornoaurora",
    }
    values.update(fields)
    return DeliveredPost.model_validate(values)


def test_check_delivery() -> None:
    due = Deliverable(format="reel", due=T0)
    ok = check_delivery(post(), due, followers=48_200)
    assert ok.passed and ok.on_time and ok.format_ok and not ok.agcom.subject
    late = check_delivery(post(published_at=T0 + timedelta(hours=5)), due)
    assert not late.passed and late.late_by == timedelta(hours=5)
    assert check_delivery(
        post(published_at=T0 + timedelta(hours=5)), due, grace=timedelta(days=1)
    ).passed
    wrong = check_delivery(post(format="story"), due)
    assert not wrong.passed and "instead of the agreed 'reel'" in wrong.problems[0]
    hidden = check_delivery(post(text="Il panettone di @fornoaurora"), due, followers=600_000)
    assert not hidden.passed and hidden.agcom.subject
    assert check_delivery(post(paid_partnership=True, text="Il panettone"), due).passed


def test_find_deliveries() -> None:
    deal = Collaboration(handle="bolognaagolosa", platform="instagram", promo_code="GIULIA10")
    posts = [
        post(post_id="mention"),
        post(post_id="tag", text="buongiorno", tagged=("fornoaurora",)),
        post(post_id="collab", text="buongiorno", collaborators=("@FornoAurora",)),
        post(post_id="hashtag", text="#PanettoneAurora che bontà"),
        post(post_id="code", text="usate giulia10 per lo sconto"),
        post(post_id="other", text="gita in montagna"),
        post(post_id="someone", author="altro", text="@fornoaurora"),
        post(post_id="tiktok", platform="tiktok"),
        post(post_id="old", published_at=T0 - timedelta(days=40)),
    ]
    found = find_deliveries(
        posts,
        deal,
        brand_handles=["@fornoaurora"],
        hashtags=["panettoneaurora"],
        since=T0 - timedelta(days=30),
    )
    assert sorted(p.post_id for p in found) == ["code", "collab", "hashtag", "mention", "tag"]


@given(st.text(max_size=200), st.text(max_size=200))
def test_adding_text_after_a_disclosed_caption_keeps_it_disclosed(head: str, tail: str) -> None:
    text = "#adv " + head
    assert check_disclosure(text).disclosed
    assert check_disclosure(text + tail).disclosed
