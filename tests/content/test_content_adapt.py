"""adapt(): fits every platform, cuts nothing, reports every change, deterministic."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.content import adapt, escape_linkedin, rules_for, validate
from smmkit.content._textapi import hashtags
from smmkit.models import Brand, Cadence, Channel, ContentItem, ContentPillar, Platform, Variant
from smmkit.setup import load_setup
from smmkit.text import extract_entities

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)
ON = date(2026, 11, 26)


def _channel(platform: Platform, key: str | None = None, locale: str = "it-IT") -> Channel:
    return Channel(
        key=key or platform.value,
        platform=platform,
        handle="fornoaurora",
        timezone="Europe/Rome",
        locale=locale,
        cadence=Cadence(posts_per_week=3),
    )


def _brand(allow_threads: bool) -> Brand:
    return Brand(
        name="Forno Aurora",
        locales=("it-IT",),
        timezone="Europe/Rome",
        pillars=(ContentPillar(key="prodotto", name="Prodotto", share=1.0),),
        allow_threads=allow_threads,
    )


FORNO = load_setup(ROOT / "examples" / "forno_aurora.toml")


def test_forno_aurora_item_on_every_platform() -> None:
    item = FORNO.content[0]
    campaign = FORNO.campaign("panettone-2026")
    for platform in Platform:
        result = adapt(item, _channel(platform), brand=FORNO.brand, campaign=campaign, now=NOW)
        assert result.fits, (platform, result.violations)
        assert isinstance(result.variant, Variant)
        assert result.variant.platform is platform and result.variant.item_id == item.id
        kinds = [c.kind for c in result.changes]
        assert all(c.reason for c in result.changes)
        if platform in {Platform.INSTAGRAM, Platform.TIKTOK, Platform.PINTEREST}:
            assert "link_moved" in kinds
            assert str(result.variant.extras["link"]).startswith(
                "https://www.fornoaurora.it/panettone?utm_source="
            )
            assert "https://" not in result.variant.text
        elif platform is not Platform.WORDPRESS:
            assert "utm" in kinds


def test_paid_medium_only_on_the_campaigns_channels() -> None:
    item = FORNO.content[0]
    campaign = FORNO.campaign("panettone-2026")  # paid, on instagram, facebook, newsletter
    on_campaign = adapt(
        item, FORNO.channel("facebook"), brand=FORNO.brand, campaign=campaign, now=NOW
    )
    assert "utm_medium=paid_social" in on_campaign.variant.text
    organic = adapt(item, FORNO.channel("threads"), brand=FORNO.brand, campaign=campaign, now=NOW)
    assert "utm_medium=social" in organic.variant.text
    assert "utm_campaign=panettone-2026" in organic.variant.text


def test_instagram_hashtag_cap_follows_the_date() -> None:
    tags = tuple(f"tag{n}x" for n in range(8))
    item = ContentItem(id="t", text="Pane caldo", hashtags=tags)
    now = adapt(item, _channel(Platform.INSTAGRAM), now=NOW)
    then = adapt(item, _channel(Platform.INSTAGRAM), now=datetime(2025, 6, 1, tzinfo=UTC))
    assert now.variant.text.count("#") == 5
    assert then.variant.text.count("#") == 8
    assert any(c.kind == "hashtags_dropped" and "2026-11-26" in c.reason for c in now.changes)


def test_shortening_priority_tags_then_sentences_then_ellipsis() -> None:
    body = "Il pane è pronto. " + "Ogni giorno impastiamo con lievito madre e farine locali. " * 8
    item = ContentItem(
        id="s",
        text=body.strip(),
        hashtags=("pane", "Bologna"),
        links=("https://www.fornoaurora.it/pane",),
    )
    result = adapt(item, _channel(Platform.X), now=NOW)
    kinds = [c.kind for c in result.changes]
    assert kinds.index("hashtags_dropped") < kinds.index("shortened")
    assert result.fits
    assert "https://www.fornoaurora.it/pane" in result.variant.text
    one_word = ContentItem(id="w", text="parola " * 200)
    cut = adapt(one_word, _channel(Platform.X), now=NOW)
    assert cut.variant.text.endswith("…") and cut.fits
    assert "truncated" in [c.kind for c in cut.changes]


def test_thread_when_the_brand_allows() -> None:
    text = " ".join(f"Frase numero {n} sul nostro pane di Bologna." for n in range(40))
    item = ContentItem(id="t", text=text, hashtags=("pane",))
    for platform in (Platform.X, Platform.THREADS, Platform.BLUESKY, Platform.MASTODON):
        result = adapt(item, _channel(platform), brand=_brand(True), now=NOW)
        posts = [result.variant.text, *result.variant.thread]
        assert len(posts) > 1 and result.fits
        assert all(re.search(rf" {i + 1}/{len(posts)}$", p) for i, p in enumerate(posts))
        assert "#pane" in posts[-1]
        rebuilt = " ".join(re.sub(r" \d+/\d+$", "", p) for p in posts)
        assert rebuilt.replace("\n\n#pane", "") == text
        single = adapt(item, _channel(platform), brand=_brand(False), now=NOW)
        assert single.variant.thread == () and single.fits


def test_linkedin_escaping_and_bluesky_facets() -> None:
    item = ContentItem(
        id="l",
        text="Pane (fresco) *oggi* @forno_aurora",
        hashtags=("pane",),
        links=("https://www.fornoaurora.it/a_b",),
    )
    li = adapt(item, _channel(Platform.LINKEDIN), now=NOW)
    assert li.variant.text.startswith("Pane \\(fresco\\) \\*oggi\\* \\@forno\\_aurora")
    assert "{hashtag|\\#|pane}" in li.variant.text and li.fits
    bsky = adapt(item, _channel(Platform.BLUESKY), now=NOW)
    facets = bsky.variant.extras["facets"]
    assert isinstance(facets, list) and facets
    data = bsky.variant.text.encode()
    for facet in facets:
        assert isinstance(facet, dict)
        index = facet["index"]
        assert isinstance(index, dict)
        piece = data[int(str(index["byteStart"])) : int(str(index["byteEnd"]))].decode()
        features = facet["features"]
        assert isinstance(features, list) and features
        feature = features[0]
        assert piece in {"#pane", "https://www.fornoaurora.it/a_b"}, (piece, feature)


def test_bluesky_mention_facets_with_a_resolver() -> None:
    item = ContentItem(id="m", text="Grazie @chiara.bsky.social e @nessuno.example per il pane!")
    dids = {"chiara.bsky.social": "did:plc:chiara"}
    variant = adapt(item, _channel(Platform.BLUESKY), now=NOW, resolve_handle=dids.get).variant
    facets = variant.extras["facets"]
    assert isinstance(facets, list) and len(facets) == 1
    facet = facets[0]
    assert isinstance(facet, dict)
    assert facet["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:chiara"}
    ]
    index = facet["index"]
    assert isinstance(index, dict)
    assert variant.text.encode()[int(str(index["byteStart"])) : int(str(index["byteEnd"]))] == (
        b"@chiara.bsky.social"
    )


def test_sponsored_gets_the_disclosure_once() -> None:
    item = ContentItem(id="adv", text="Il panettone con il miele di Luca.", sponsored=True)
    result = adapt(item, _channel(Platform.INSTAGRAM), brand=FORNO.brand, now=NOW)
    assert result.variant.text.startswith("#adv ")
    already = item.model_copy(update={"text": "#adv Il panettone con il miele di Luca."})
    again = adapt(already, _channel(Platform.INSTAGRAM), brand=FORNO.brand, now=NOW)
    assert again.variant.text.count("#adv") == 1


def test_first_comment_placement_and_youtube() -> None:
    rules = rules_for("instagram", overrides={"hashtags.placement": "first_comment"})
    item = ContentItem(
        id="fc", title="Il <nuovo> panettone", text="Pane <caldo>", hashtags=("pane", "Bologna")
    )
    result = adapt(item, _channel(Platform.INSTAGRAM), rules=rules, now=NOW)
    assert result.variant.first_comment == "#pane #Bologna"
    assert "#" not in result.variant.text
    yt = adapt(item, _channel(Platform.YOUTUBE), now=NOW)
    assert yt.variant.title == "Il ‹nuovo› panettone" and "<" not in yt.variant.text
    assert yt.fits


def test_deterministic() -> None:
    item = FORNO.content[0]
    a = adapt(item, _channel(Platform.X), brand=FORNO.brand, now=NOW)
    b = adapt(item, _channel(Platform.X), brand=FORNO.brand, now=NOW)
    assert a == b and a.variant.publish_key == b.variant.publish_key


# ----------------------------------------------------------------------------------------------
# The property: any text, any platform: the result passes validate and cuts nothing.

WORDS = [
    "pane",
    "città",
    "perché",
    "lievito",
    "madre",
    "Bologna",
    "bread",
    "sourdough",
    "don't",
    "l'impasto",
    "è",
    "Forno",
    "naïve",
    "über",
    "漢字",
    "ひらがな",
    "한국어",
    "e\u0301",
    "(ciao)",
    "ok!",
    "fine.",
    "42",
    "—",
    "…",
    "«sì»",
]
EMOJI = ["🍞", "🥐", "👍🏽", "🇮🇹", "👨‍👩‍👧", "1️⃣", "❤️", "🏳️‍🌈"]
URLS = [
    "https://www.fornoaurora.it/panettone",
    "https://example.com/a_b?x=1#frag",
    "www.fornoaurora.it",
    "https://bsky.app/profile/forno.bsky.social",
    "https://www.fornoaurora.it/" + "p" * 120,
]
TAGS = ["#pane", "#Natale2026", "#città", "#FornoAurora", "#bread"]
MENTIONS = ["@chiara", "@forno_aurora", "@marco"]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "  "]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(EMOJI),
    st.sampled_from(URLS),
    st.sampled_from(TAGS),
    st.sampled_from(MENTIONS),
    st.text(alphabet="abcdefghìòàùéxyzABCÈ", min_size=1, max_size=14),
)
texts = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), min_size=1, max_size=160).map(
    lambda pairs: "".join(t + s for t, s in pairs).strip()
)


def _unescape_linkedin(text: str) -> str:
    text = re.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", text)
    return re.sub(r"\\(.)", r"\1", text)


def _allowed_tokens(item: ContentItem, brand: Brand) -> set[str]:
    allowed: set[str] = set()
    for tok in unicodedata.normalize("NFC", item.text).split():
        allowed.add(tok)
        stripped = tok
        for e in sorted(extract_entities(tok), key=lambda e: -e.start):
            if e.kind == "url":
                stripped = stripped[: e.start] + stripped[e.end :]
        allowed |= {
            stripped,
            tok.replace("#", ""),
            tok.replace("@", ""),
            tok.replace("#", "").replace("@", ""),
        }
    allowed |= {"#" + t for t in item.hashtags} | {"#" + t for t in brand.voice.signature_hashtags}
    allowed |= {"Link", "in", "bio.", "#adv", "…"}
    return allowed


_UTM = re.compile(r"[?&]utm_(?:source|medium|campaign)=[^&#\s]*")


def _without_utm(token: str) -> str:
    """The URL as written before tagging (utm adds a "/" to an empty path)."""
    bare = _UTM.sub("", token)
    if "?" not in bare and "&" in bare:
        bare = bare.replace("&", "?", 1)
    return bare


def _check_tokens(post: str, allowed: set[str]) -> None:
    for tok in post.split():
        if "utm_" in tok:
            tok = _without_utm(tok)
        if re.fullmatch(r"\d+/\d+", tok) or tok in allowed:
            continue
        if tok.endswith("…") and (tok[:-1] in allowed or tok[:-1] == ""):
            continue
        raise AssertionError(f"token {tok!r} was cut or invented")


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts,
    threads=st.booleans(),
    sponsored=st.booleans(),
    tagged=st.booleans(),
    tags=st.lists(
        st.sampled_from(["pane", "Bologna", "lievitomadre", "Natale2026"]), max_size=4, unique=True
    ),
)
def test_property_adapt_fits_and_cuts_nothing(
    platform: Platform,
    text: str,
    threads: bool,
    sponsored: bool,
    tagged: bool,
    tags: list[str],
) -> None:
    item = ContentItem(
        id="p",
        text=text,
        hashtags=tuple(tags),
        sponsored=sponsored,
        campaign="natale" if tagged else None,
    )
    brand = _brand(threads)
    result = adapt(item, _channel(platform), brand=brand, now=NOW)
    variant = result.variant
    assert validate(variant, on=ON) == [], [v.message for v in validate(variant, on=ON)]
    assert result.violations == ()
    allowed = _allowed_tokens(item, brand)
    for post in (variant.text, *variant.thread, variant.first_comment or ""):
        plain = _unescape_linkedin(post) if platform is Platform.LINKEDIN else post
        _check_tokens(plain, allowed)
    if platform is Platform.LINKEDIN:
        assert escape_linkedin(_unescape_linkedin(variant.text)) == variant.text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["pane", "https://a.co/b", "👍🏽", "città.", "#tag", "x" * 40]),
            st.sampled_from([" ", "\n", "\n\n"]),
        ),
        max_size=60,
    ),
    st.integers(min_value=0, max_value=70),
    st.integers(min_value=0, max_value=5),
    st.sampled_from([Platform.X, Platform.BLUESKY, Platform.MASTODON]),
)
def test_largest_prefix_does_not_depend_on_where_the_search_starts(
    pairs: list[tuple[str, str]], near: int, start: int, platform: Platform
) -> None:
    from smmkit.content._adapt import _Fitter
    from smmkit.content._words import Words

    fitter = _Fitter(rules_for(platform), lambda t: t)
    words = Words("".join(w + s for w, s in pairs))

    def joined(first: int, count: int) -> str:
        return (
            "".join(w + s for w, s in pairs[first : first + count - 1])
            + pairs[first + count - 1][0]
        )

    def make(body: str) -> str:
        return body.rstrip() + " 9/9"

    # The reference: try every prefix, the largest that fits wins.
    expected = max(
        (k for k in range(1, len(pairs) - start + 1) if fitter.fits(make(joined(start, k)))),
        default=0,
    )
    assert fitter.largest_prefix(words, make, start, near) == expected


def _escape_linkedin_reference(text: str, reserved: str = "\\|{}@[]()<>#*_~") -> str:
    """A walk over every character (the simple implementation)."""
    if not any(c in text for c in reserved):
        return text
    tags = {tag.start: tag for tag in hashtags(text)}
    out: list[str] = []
    i = 0
    while i < len(text):
        tag = tags.get(i)
        if tag is not None:
            out.append("{hashtag|\\#|" + tag.value + "}")
            i = tag.end
            continue
        out.append("\\" + text[i] if text[i] in reserved else text[i])
        i += 1
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"#| a\\{}@[]()<>*_~é👍\n", "#tag", "#caffè", "https://a.co/#x", "＃x"]),
        max_size=30,
    ).map("".join),
    st.sampled_from(["\\|{}@[]()<>#*_~", "#_", "@"]),
)
def test_escape_linkedin_equals_a_walk_over_every_character(text: str, reserved: str) -> None:
    assert escape_linkedin(text, reserved) == _escape_linkedin_reference(text, reserved)
