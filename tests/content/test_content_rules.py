"""The platform rules table: complete, dated, sourced, overridable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from smmkit.content import rules as rules_module
from smmkit.content.rules import (
    RULES,
    Counting,
    HashtagPlacement,
    PlatformRules,
    from_mastodon_instance,
    rules_for,
)
from smmkit.errors import ValidationError
from smmkit.models import Platform


def _sourced_parts(rules: PlatformRules) -> list[tuple[str, Any]]:
    """The rule groups that carry ``checked`` and ``source`` (read by name, so typed ``Any``)."""
    parts = []
    for name in type(rules).model_fields:
        value = getattr(rules, name)
        if hasattr(value, "checked"):
            parts.append((name, value))
    return parts


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_every_platform_has_dated_sourced_rules(platform: Platform) -> None:
    rules = RULES[platform]
    assert rules.platform is platform
    parts = _sourced_parts(rules)
    assert {"hashtags", "mentions", "links", "media", "first_comment", "thread"} <= {
        n for n, _ in parts
    }
    for name, part in parts:
        assert isinstance(part.checked, date), name
        assert part.source.strip(), name
    # a feed has a text limit; a long-form platform has SEO limits
    assert (rules.text is not None) or (rules.seo is not None)


def test_the_issue_limits() -> None:
    x = RULES[Platform.X].text
    assert x is not None and (x.limit, x.counting) == (280, Counting.X_WEIGHTED)
    bsky = RULES[Platform.BLUESKY]
    assert bsky.text is not None and bsky.text_bytes is not None
    assert (bsky.text.limit, bsky.text.counting) == (300, Counting.GRAPHEMES)
    assert (bsky.text_bytes.limit, bsky.text_bytes.counting) == (3000, Counting.UTF8_BYTES)
    threads = RULES[Platform.THREADS].text
    assert threads is not None and (threads.limit, threads.counting) == (500, Counting.EMOJI_BYTES)
    masto = RULES[Platform.MASTODON].text
    assert masto is not None and (masto.limit, masto.url_length) == (500, 23)
    li = RULES[Platform.LINKEDIN]
    assert li.text is not None and li.text.limit == 3000 and li.escape is not None
    assert set("|{}@[]()<>#*_~\\") <= set(li.escape.reserved)
    ig = RULES[Platform.INSTAGRAM]
    assert ig.text is not None and ig.text.limit == 2200 and ig.mentions.cap == 20
    yt = RULES[Platform.YOUTUBE]
    assert yt.title is not None and yt.title.limit == 100 and yt.text is not None
    assert (yt.text.limit, yt.text.counting) == (5000, Counting.UTF8_BYTES)
    assert yt.forbidden is not None and set(yt.forbidden.characters) == {"<", ">"}
    pin = RULES[Platform.PINTEREST]
    assert pin.title is not None and pin.text is not None
    assert (pin.title.limit, pin.text.limit) == (100, 500)
    seo = RULES[Platform.WORDPRESS].seo
    assert seo is not None and (seo.title_max, seo.description_max) == (60, 160)


def test_instagram_hashtag_cap_is_a_dated_rule() -> None:
    tags = RULES[Platform.INSTAGRAM].hashtags
    assert tags.cap_at(date(2025, 11, 30)) == 30
    assert tags.cap_at(date(2025, 12, 1)) == 5
    assert tags.cap_at(date(2027, 1, 1)) == 5


def test_overrides_premium_x_and_placement() -> None:
    premium = rules_for("x", overrides={"text.limit": 25_000})
    assert premium.text is not None and premium.text.limit == 25_000
    x_text = RULES[Platform.X].text
    assert x_text is not None and x_text.limit == 280
    moved = rules_for(
        Platform.INSTAGRAM, overrides={"hashtags.placement": "first_comment", "hashtags.cap": 3}
    )
    assert moved.hashtags.placement is HashtagPlacement.FIRST_COMMENT
    assert moved.hashtags.cap_at(date(2020, 1, 1)) == 3


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("text.nope", 1),
        ("nope", 1),
        ("text.limit", -5),
        ("title.limit", 10),
        ("hashtags.cap", "x"),
    ],
)
def test_bad_overrides_name_the_path(path: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        rules_for("x", overrides={path: value})
    assert path in str(info.value)


def test_plugin_platform_needs_base_rules() -> None:
    with pytest.raises(ValidationError, match="plug-in"):
        rules_for("vk")
    custom = rules_for(
        "vk", base=RULES[Platform.MASTODON].model_copy(update={"platform": Platform("vk")})
    )
    assert custom.platform == "vk"


def test_mastodon_instance_configuration() -> None:
    instance = {
        "domain": "mastodon.example",
        "configuration": {
            "statuses": {
                "max_characters": 1000,
                "characters_reserved_per_url": 30,
                "max_media_attachments": 6,
            },
            "media_attachments": {
                "image_size_limit": 10_000_000,
                "video_size_limit": 40_000_000,
                "supported_mime_types": ["image/png", "video/mp4", "audio/mpeg"],
            },
        },
    }
    rules = from_mastodon_instance(instance, checked=date(2026, 11, 26))
    assert rules.text is not None
    assert (rules.text.limit, rules.text.url_length) == (1000, 30)
    assert rules.text.source.endswith("mastodon.example")
    assert rules.media.max_count == 6 and rules.media.max_image_bytes == 10_000_000
    assert rules.media.formats == ("image/png", "video/mp4")
    with pytest.raises(ValidationError, match="max_characters"):
        from_mastodon_instance({"configuration": {"statuses": {"max_characters": "lots"}}})


def test_rules_module_is_public() -> None:
    assert "rules_for" in rules_module.__all__
    for name in rules_module.__all__:
        assert getattr(rules_module, name) is not None
