"""Bluesky rich-text facets: byte offsets, detection rules, and the lexicon's shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import ValidationError
from smmkit.text import FACET_TAG_MAX_GRAPHEMES, bluesky_facets, grapheme_count

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
LEXICON = SHARED / "specs" / "atproto-lexicons" / "lexicons" / "app" / "bsky" / "richtext"
LEXICON_FILE = LEXICON / "facet.json"

DIDS = {
    "alice.bsky.social": "did:plc:alice0000000000000000000",
    "forno-aurora.it": "did:plc:forno0000000000000000000",
    "bob.test": "did:plc:bob000000000000000000000",
}


def resolve(handle: str) -> str | None:
    return DIDS.get(handle.lower())


def _slices(text: str, facets: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(feature kind, value, the text the facet covers) for each facet."""
    data = text.encode("utf-8")
    out = []
    for facet in facets:
        covered = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8")
        feature = facet["features"][0]
        kind = feature["$type"].rsplit("#", 1)[1]
        value = feature.get("uri") or feature.get("did") or feature.get("tag")
        out.append((kind, value, covered))
    return out


def test_mixed_italian_emoji_cjk_text_slices_exactly() -> None:
    text = (
        "Perché non passi? 🍕🇮🇹 Ciao @alice.bsky.social, il menù è su fornoaurora.it/menù "
        "e https://fornoaurora.it/ordini?giorno=lunedì. 中文 #pizzeria #caffè! "
        "vedi https://it.wikipedia.org/wiki/Pizza_(cibo) "
        "👨\u200d👩\u200d👧 #日本語 grazie @bob.test"
    )
    facets = bluesky_facets(text, resolve_handle=resolve)
    assert _slices(text, facets) == [
        ("mention", "did:plc:alice0000000000000000000", "@alice.bsky.social"),
        ("link", "https://fornoaurora.it/menù", "fornoaurora.it/menù"),
        (
            "link",
            "https://fornoaurora.it/ordini?giorno=lunedì",
            "https://fornoaurora.it/ordini?giorno=lunedì",
        ),
        ("tag", "pizzeria", "#pizzeria"),
        ("tag", "caffè", "#caffè"),
        (
            "link",
            "https://it.wikipedia.org/wiki/Pizza_(cibo)",
            "https://it.wikipedia.org/wiki/Pizza_(cibo)",
        ),
        ("tag", "日本語", "#日本語"),
        ("mention", "did:plc:bob000000000000000000000", "@bob.test"),
    ]
    # The offsets are bytes, not characters: the first facet starts after multi-byte text.
    first = facets[0]["index"]["byteStart"]
    assert first == len(text[: text.index("@alice")].encode("utf-8"))
    assert first != text.index("@alice")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vai su example.com.", [("link", "https://example.com", "example.com")]),
        ("vai su example.com!", [("link", "https://example.com", "example.com")]),
        ("(https://a.it/x)", [("link", "https://a.it/x", "https://a.it/x")]),
        ("http://a.it/(y)", [("link", "http://a.it/(y)", "http://a.it/(y)")]),
        # As in the Bluesky app: a ")" is only dropped when the URL has no "(".
        ("(http://a.it/(y))", [("link", "http://a.it/(y))", "http://a.it/(y))")]),
        ("nofacet.zzzz e file.txt", []),
        ("email: a@b.com", []),
        ("a#tag #123 #1a", [("tag", "1a", "#1a")]),
        ("＃ciao", [("tag", "ciao", "＃ciao")]),
        ("#tag... fine", [("tag", "tag", "#tag")]),
        ("#\ufe0fnope", []),
        ("@unknown.bsky.social ciao", []),
        ("@notahandle ciao", []),
        (
            "ciao @alice.bsky.social.",
            [("mention", DIDS["alice.bsky.social"], "@alice.bsky.social")],
        ),
        ("(@bob.test)", [("mention", DIDS["bob.test"], "@bob.test")]),
        ("x@alice.bsky.social", []),
        ("HTTPS://EXAMPLE.COM/A", [("link", "HTTPS://EXAMPLE.COM/A", "HTTPS://EXAMPLE.COM/A")]),
    ],
)
def test_detection_rules(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _slices(text, bluesky_facets(text, resolve_handle=resolve)) == expected


def test_without_a_resolver_no_mentions_are_made() -> None:
    text = "ciao @alice.bsky.social #pane"
    assert [f["features"][0]["$type"] for f in bluesky_facets(text)] == [
        "app.bsky.richtext.facet#tag"
    ]


def test_resolver_must_return_a_did() -> None:
    with pytest.raises(ValidationError) as error:
        bluesky_facets("@alice.bsky.social", resolve_handle=lambda handle: "alice")
    assert error.value.field == "resolve_handle"


def test_tag_limits_follow_the_lexicon() -> None:
    ok = "a" * FACET_TAG_MAX_GRAPHEMES
    too_long = "a" * (FACET_TAG_MAX_GRAPHEMES + 1)
    emoji_tag = "🍕" * 40  # 40 graphemes, 160 bytes: within both limits
    text = f"#{ok} #{too_long} #{emoji_tag}"
    tags = [f["features"][0]["tag"] for f in bluesky_facets(text)]
    assert tags == [ok, emoji_tag]


def _check_against_lexicon(facet: dict[str, Any], lexicon: dict[str, Any]) -> None:
    defs = lexicon["defs"]
    main = defs["main"]
    assert set(main["required"]) <= set(facet)
    assert set(facet) <= set(main["properties"])
    index = facet["index"]
    assert set(defs["byteSlice"]["required"]) <= set(index) <= set(defs["byteSlice"]["properties"])
    for key in ("byteStart", "byteEnd"):
        assert isinstance(index[key], int)
        assert index[key] >= defs["byteSlice"]["properties"][key]["minimum"]
    assert index["byteStart"] < index["byteEnd"]
    refs = main["properties"]["features"]["items"]["refs"]
    for feature in facet["features"]:
        kind = feature["$type"].removeprefix(lexicon["id"])
        assert kind in refs
        schema = defs[kind.lstrip("#")]
        assert set(schema["required"]) <= set(feature) - {"$type"}
        assert set(feature) - {"$type"} <= set(schema["properties"])
        for name, prop in schema["properties"].items():
            value = feature[name]
            assert isinstance(value, str)
            if prop.get("format") == "did":
                assert value.startswith("did:")
            if prop.get("format") == "uri":
                assert value.split(":", 1)[0].lower() in {"http", "https"}
            if "maxLength" in prop:
                assert len(value.encode("utf-8")) <= prop["maxLength"]
            if "maxGraphemes" in prop:
                assert grapheme_count(value) <= prop["maxGraphemes"]


def test_facets_have_the_lexicon_shape() -> None:
    if not LEXICON_FILE.exists():
        pytest.skip(f"{LEXICON_FILE} absent")
    lexicon = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    assert lexicon["id"] == "app.bsky.richtext.facet"
    text = "Ciao @alice.bsky.social! Menù su fornoaurora.it #pane #caffè https://x.it/a 🍕"
    facets = bluesky_facets(text, resolve_handle=resolve)
    assert len(facets) == 5
    for facet in facets:
        _check_against_lexicon(facet, lexicon)


# ---------------------------------------------------------------------------------------------
# Property: for any mix of pieces, every facet covers exactly the bytes of what it names.
# ---------------------------------------------------------------------------------------------
WORDS = ["ciao", "perché", "così", "città", "più", "bread", "today", "中文", "日本語", "한국어"]
EMOJI = ["🍕", "🇮🇹", "👋🏽", "👨\u200d👩\u200d👧", "❤️", "1️⃣"]
URLS = [
    "https://fornoaurora.it/menu",
    "https://example.com/path?q=1&r=è",
    "fornoaurora.it",
    "www.example.org/a_(b)",
    "http://例え.jp/パス",
]
HANDLES = ["@alice.bsky.social", "@forno-aurora.it", "@bob.test", "@nobody.example"]
TAGS = ["#pane", "#caffè", "#日本", "#Pizza2026", "#𝒻𝓊𝓃"]
SEPARATORS = [" ", "  ", "\n", ", ", ". ", "! ", " (", ") "]

piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(EMOJI),
    st.sampled_from(URLS),
    st.sampled_from(HANDLES),
    st.sampled_from(TAGS),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(piece, st.sampled_from(SEPARATORS)), max_size=12))
def test_facets_slice_the_utf8_bytes_exactly(parts: list[tuple[str, str]]) -> None:
    text = "".join(p + s for p, s in parts)
    data = text.encode("utf-8")
    facets = bluesky_facets(text, resolve_handle=resolve)
    previous_end = 0
    for facet in facets:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        assert previous_end <= start < end <= len(data)  # sorted, not overlapping
        previous_end = end
        covered = data[start:end].decode("utf-8")  # raises if a cut falls inside a character
        feature = facet["features"][0]
        kind = feature["$type"].rsplit("#", 1)[1]
        if kind == "link":
            uri = feature["uri"]
            assert uri in (covered, "https://" + covered)
            assert covered.split()[0] == covered
        elif kind == "mention":
            assert covered.startswith("@")
            assert resolve(covered[1:]) == feature["did"]
        else:
            assert kind == "tag"
            assert covered[0] in "#＃"
            assert covered[1:] == feature["tag"]


@pytest.mark.parametrize("text", ["ciao \ud83d #caffè", "\udc00", "https://a.co \ud800"])
def test_a_lone_surrogate_is_refused_with_its_place(text: str) -> None:
    # Not Unicode text: it has no UTF-8 form, so no byte offsets (was a raw UnicodeEncodeError).
    with pytest.raises(ValidationError, match=r"lone surrogate \(U\+D[89A-F][0-9A-F]{2} at index"):
        bluesky_facets(text)
