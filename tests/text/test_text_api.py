"""The public surface of smmkit.text is pinned: adding or removing a name is a visible change."""

from __future__ import annotations

import smmkit.text


def test_public_names_are_pinned() -> None:
    assert sorted(smmkit.text.__all__) == [
        "Entity",
        "EntityKind",
        "FACET_TAG_MAX_BYTES",
        "FACET_TAG_MAX_GRAPHEMES",
        "WeightRange",
        "XConfig",
        "XParseResult",
        "X_CONFIGS",
        "bluesky_facets",
        "codepoint_to_utf16",
        "extract_cashtags",
        "extract_cashtags_with_indices",
        "extract_entities",
        "extract_hashtags",
        "extract_hashtags_with_indices",
        "extract_mentions",
        "extract_mentions_or_lists_with_indices",
        "extract_mentions_with_indices",
        "extract_reply_username",
        "extract_urls",
        "extract_urls_with_indices",
        "grapheme_count",
        "graphemes",
        "is_valid_hashtag",
        "is_valid_list",
        "is_valid_url",
        "is_valid_username",
        "parse_x",
        "twitter_tlds",
        "utf16_length",
        "utf16_to_codepoint",
        "utf8_length",
    ]


def test_every_public_name_resolves() -> None:
    for name in smmkit.text.__all__:
        assert getattr(smmkit.text, name) is not None, name
