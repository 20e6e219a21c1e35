"""validate(): each platform's counting, spans, caps, media; content problems never raise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from smmkit.content import Violation, validate
from smmkit.content.rules import rules_for
from smmkit.errors import ValidationError
from smmkit.models import MediaAsset, MediaKind, Platform, Variant

ON = date(2026, 11, 26)


def _rules(found: list[Violation]) -> list[str]:
    return [v.rule for v in found]


def test_x_weighted_and_premium_override() -> None:
    assert validate("a" * 280, "x", on=ON) == []
    over = validate("a" * 281, "x", on=ON)
    assert _rules(over) == ["text.limit"]
    assert (over[0].measured, over[0].limit, over[0].span) == (281, 280, (280, 281))
    # CJK weighs 2: 141 characters are 282
    cjk = validate("漢" * 141, "x", on=ON)
    assert cjk[0].measured == 282 and cjk[0].span == (140, 141)
    # a URL counts 23 whatever its length
    assert validate("x " + "https://example.com/" + "a" * 300, "x", on=ON) == []
    premium = rules_for("x", overrides={"text.limit": 25_000})
    assert validate("a" * 3000, "x", rules=premium, on=ON) == []


def test_bluesky_graphemes_and_bytes() -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 bytes
    assert validate(family * 120, "bluesky", on=ON) == []  # 120 graphemes, 3000 bytes
    over = validate(family * 121, "bluesky", on=ON)
    assert _rules(over) == ["text_bytes.limit"]
    assert over[0].span == (len(family) * 120, len(family) * 121)
    assert _rules(validate("é" * 301, "bluesky", on=ON)) == ["text.limit"]
    thumbs = validate("👍🏽" * 301, "bluesky", on=ON)  # 2 code points, 1 grapheme each
    assert [(v.rule, v.measured, v.span) for v in thumbs] == [("text.limit", 301, (600, 602))]


def test_threads_emoji_count_their_bytes() -> None:
    assert validate("a" * 500, "threads", on=ON) == []
    over = validate("🍞" * 126, "threads", on=ON)  # 4 bytes each: 504
    assert over[0].rule == "text.limit" and over[0].measured == 504


def test_mastodon_urls_count_23_and_instance_limits() -> None:
    url = "https://www.fornoaurora.it/" + "p" * 200
    assert validate("a" * 470 + " " + url, "mastodon", on=ON) == []  # 471 + 23
    assert _rules(validate("a" * 480 + " " + url, "mastodon", on=ON)) == ["text.limit"]
    remote = "@chiara@mastodon.example " * 40  # counts as "@chiara " (8) each
    assert validate(remote, "mastodon", on=ON) == []


def test_linkedin_reserved_characters() -> None:
    found = validate("Pane (fresco) #pane", "linkedin", on=ON)
    assert _rules(found) == ["escape.reserved"]
    assert found[0].span == (5, 6)
    assert validate("Pane \\(fresco\\) {hashtag|\\#|pane}", "linkedin", on=ON) == []


def test_instagram_dated_hashtag_cap_and_mentions() -> None:
    tags = " ".join(f"#tag{n}x" for n in range(6))
    assert _rules(validate(tags, "instagram", on=ON)) == ["hashtags.cap"]
    assert validate(tags, "instagram", on=date(2025, 11, 1)) == []
    mentions = " ".join(f"@user{n}" for n in range(21))
    assert _rules(validate(mentions, "instagram", on=ON)) == ["mentions.cap"]


def test_youtube_title_description_and_angle_brackets() -> None:
    ok = Variant(channel="yt", platform=Platform.YOUTUBE, title="Il panettone", text="Ciao")
    assert validate(ok, on=ON) == []
    bad = Variant(
        channel="yt", platform=Platform.YOUTUBE, title="t" * 101, text="a <b> " + "è" * 2500
    )
    assert sorted(_rules(validate(bad, on=ON))) == [
        "forbidden.characters",
        "text.limit",
        "title.limit",
    ]
    untitled = Variant(channel="yt", platform=Platform.YOUTUBE, text="ciao")
    assert _rules(validate(untitled, on=ON)) == ["title.required"]


def test_threads_first_comment_and_media() -> None:
    variant = Variant(
        channel="tt",
        platform=Platform.TIKTOK,
        text="ciao",
        first_comment="#pane",
        thread=("secondo",),
        media=(
            MediaAsset(
                kind=MediaKind.VIDEO,
                url="https://x.it/v.mp4",
                mime_type="video/mp4",
                duration=timedelta(minutes=20),
                bytes=10,
            ),
            MediaAsset(kind=MediaKind.IMAGE, url="https://x.it/a.png", mime_type="image/png"),
        ),
    )
    found = _rules(validate(variant, on=ON))
    assert "first_comment.supported" in found and "thread.supported" in found
    assert "media.max_video_seconds" in found and "media.mixed" in found
    assert "media.formats" in found  # PNG is not accepted by TikTok


def test_thread_posts_are_checked_each() -> None:
    variant = Variant(channel="x", platform=Platform.X, text="uno", thread=("a" * 281, ""))
    found = validate(variant, on=ON)
    assert [(v.rule, v.field) for v in found] == [
        ("text.limit", "thread[0]"),
        ("text.empty", "thread[1]"),
    ]


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_content_problems_never_raise(platform: Platform) -> None:
    nasty = "\u0000\ud7ff" + "🏳️‍🌈" * 2000 + "<>" + "\\" * 10 + "#" * 50 + "@" * 50
    assert isinstance(validate(nasty, platform, on=ON), list)
    assert isinstance(validate("", platform, on=ON), list)


def test_misuse_raises() -> None:
    with pytest.raises(ValidationError):
        validate(42, "x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        validate("ciao", "not a platform!")
    with pytest.raises(ValidationError):
        validate("ciao")


@pytest.mark.parametrize("platform", list(Platform))
def test_a_lone_surrogate_in_a_long_text_is_measured_not_a_crash(platform: Platform) -> None:
    # Hostile text can hold a lone surrogate (a model refuses it, a raw string does not): it
    # counts one UTF-16 unit and three UTF-8 bytes, as JavaScript and surrogatepass count it.
    text = "ciao \ud83d " + "é" * 70_000
    violations = validate(text, platform, on=date(2026, 12, 3))
    assert all(isinstance(v, Violation) for v in violations)
    limits = [lim for lim in (rules_for(platform).text, rules_for(platform).text_bytes) if lim]
    if limits:
        assert violations  # 70,000 characters are over every text limit
