"""The public surface of smmkit.content is pinned."""

from __future__ import annotations

import smmkit.content
import smmkit.content.rules


def test_public_names() -> None:
    assert sorted(smmkit.content.__all__) == [
        "Adaptation",
        "Change",
        "PlatformRules",
        "Violation",
        "VoiceFinding",
        "VoiceRule",
        "adapt",
        "check_newsletter",
        "check_seo",
        "default_medium",
        "escape_linkedin",
        "excerpt_for",
        "from_mastodon_instance",
        "lint_voice",
        "measure",
        "plain_text",
        "reading_time",
        "render_html",
        "render_markdown",
        "rules",
        "rules_for",
        "utm",
        "validate",
    ]
    for name in smmkit.content.__all__:
        assert getattr(smmkit.content, name) is not None
    assert smmkit.content.rules is smmkit.content.rules  # the submodule is public


def test_rules_names() -> None:
    assert sorted(smmkit.content.rules.__all__) == [
        "Counting",
        "DatedValue",
        "EscapeRule",
        "FeatureRule",
        "ForbiddenCharacters",
        "HashtagPlacement",
        "HashtagRule",
        "LinkBehaviour",
        "LinkRule",
        "MediaRule",
        "MentionRule",
        "PlatformRules",
        "RULES",
        "SeoRule",
        "TextLimit",
        "ThreadRule",
        "from_mastodon_instance",
        "rules_for",
    ]
    for name in smmkit.content.rules.__all__:
        assert getattr(smmkit.content.rules, name) is not None
