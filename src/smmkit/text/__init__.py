"""Text primitives: X weighted length and entities, grapheme clusters, Bluesky facets.

Pure functions, no I/O. Indices are Python code-point indices (``text[start:end]``) unless a
name says otherwise (Bluesky facets use UTF-8 byte offsets, as their lexicon requires).

>>> from smmkit.text import parse_x, grapheme_count, extract_hashtags
>>> parse_x("Buongiorno ☀️ #pane").weighted_length
19
>>> grapheme_count("🇮🇹 pizza")
7
>>> extract_hashtags("Forno aperto! #pane #Roma")
['pane', 'Roma']
"""

from __future__ import annotations

from ._extract import (
    Entity,
    EntityKind,
    extract_cashtags,
    extract_cashtags_with_indices,
    extract_entities,
    extract_hashtags,
    extract_hashtags_with_indices,
    extract_mentions,
    extract_mentions_or_lists_with_indices,
    extract_mentions_with_indices,
    extract_reply_username,
    extract_urls,
    extract_urls_with_indices,
    is_valid_hashtag,
    is_valid_list,
    is_valid_url,
    is_valid_username,
    twitter_tlds,
)
from ._facets import FACET_TAG_MAX_BYTES, FACET_TAG_MAX_GRAPHEMES, bluesky_facets
from ._graphemes import (
    codepoint_to_utf16,
    grapheme_count,
    graphemes,
    utf8_length,
    utf16_length,
    utf16_to_codepoint,
)
from ._x import X_CONFIGS, WeightRange, XConfig, XParseResult, parse_x

__all__ = [
    "FACET_TAG_MAX_BYTES",
    "FACET_TAG_MAX_GRAPHEMES",
    "X_CONFIGS",
    "Entity",
    "EntityKind",
    "WeightRange",
    "XConfig",
    "XParseResult",
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
    "utf8_length",
    "utf16_length",
    "utf16_to_codepoint",
]
