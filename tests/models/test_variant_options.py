"""Typed options on Variant, and the deprecated ``extras`` view kept for older code."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import JsonValue

from smmkit.models import (
    BlueskyLinkCard,
    BlueskyOptions,
    ContentFormat,
    FacebookOptions,
    InstagramOptions,
    InstagramUserTag,
    MastodonOptions,
    MastodonPoll,
    Platform,
    ThreadsOptions,
    Variant,
)


def test_typed_fields_round_trip_through_json() -> None:
    variant = Variant(
        channel="masto",
        platform="mastodon",
        text="Quale pane?",
        format="post",
        pillar="prodotto",
        campaign="natale",
        mastodon=MastodonOptions(
            visibility="unlisted", poll=MastodonPoll(options=("grano", "segale"))
        ),
    )
    again = Variant.model_validate_json(variant.model_dump_json())
    assert again == variant
    assert again.mastodon is not None
    assert again.mastodon.poll is not None
    assert again.mastodon.poll.options == ("grano", "segale")
    assert "extras" not in variant.model_dump()


def test_extras_view_per_platform() -> None:
    sandbox = Variant(
        channel="ig", platform="sandbox", text="x", format="reel", pillar="p", campaign="c"
    )
    assert sandbox.extras == {"format": "reel", "pillar": "p", "campaign": "c"}
    toot = Variant(
        channel="m",
        platform="mastodon",
        text="x",
        pillar="p",
        mastodon=MastodonOptions(visibility="private", spoiler_text="cibo"),
    )
    # Mastodon's client refuses keys it does not know: only its own options appear.
    assert toot.extras == {"visibility": "private", "spoiler_text": "cibo"}
    skeet = Variant(
        channel="b",
        platform="bluesky",
        text="x",
        bluesky=BlueskyOptions(langs=("it",), link_card=BlueskyLinkCard(uri="https://a.example")),
    )
    assert skeet.extras == {"langs": ["it"], "link_card": {"uri": "https://a.example"}}


def test_legacy_extras_are_lifted_or_kept() -> None:
    # ``extras=`` is not in the typed signature any more: old callers pass it in their data.
    variant = Variant.model_validate(
        {
            "channel": "ig",
            "platform": "instagram",
            "text": "x",
            "extras": {"format": "carousel", "link": "https://forno.example", "vk_wall": 3},
        }
    )
    assert variant.format is ContentFormat.CAROUSEL
    assert variant.link == "https://forno.example"
    assert variant.platform_extras == {"vk_wall": 3}
    assert variant.extras == {
        "format": "carousel",
        "link": "https://forno.example",
        "vk_wall": 3,
    }
    # A value that does not fit the typed field stays as it was given.
    odd = Variant.model_validate(
        {"channel": "ig", "platform": "instagram", "text": "x", "extras": {"format": 5}}
    )
    assert odd.format is ContentFormat.POST
    assert odd.extras == {"format": 5}


def test_options_of_another_platform_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="mastodon options only apply"):
        Variant(channel="b", platform="bluesky", text="x", mastodon=MastodonOptions())
    with pytest.raises(pydantic.ValidationError, match="visibility"):
        MastodonOptions(visibility="everyone")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError, match="at least 2"):
        MastodonPoll(options=("solo",))


def test_strings_become_enums_at_run_time() -> None:
    variant = Variant(channel="m", platform="mastodon", text="x", status="in_review")
    assert variant.platform is Platform.MASTODON
    assert variant.status.value == "in_review"


_words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    fmt=st.sampled_from(list(ContentFormat)),
    pillar=st.none() | _words,
    campaign=st.none() | _words,
    links=st.lists(_words.map(lambda w: f"https://{w}.example"), max_size=3),
    disclosure=st.none() | _words.map(lambda w: "#" + w),
    other=st.dictionaries(_words.map(lambda w: "x_" + w), st.integers() | _words, max_size=3),
)
def test_the_extras_view_rebuilds_the_same_variant(
    fmt: ContentFormat,
    pillar: str | None,
    campaign: str | None,
    links: list[str],
    disclosure: str | None,
    other: dict[str, JsonValue],
) -> None:
    variant = Variant(
        channel="ig",
        platform="sandbox",
        text="x",
        format=fmt,
        pillar=pillar,
        campaign=campaign,
        link=links[0] if links else None,
        links=tuple(links),
        disclosure=disclosure,
        platform_extras=other,
    )
    again = Variant.model_validate(
        {"channel": "ig", "platform": "sandbox", "text": "x", "extras": variant.extras}
    )
    assert again.model_dump(exclude={"id", "publish_key"}) == variant.model_dump(
        exclude={"id", "publish_key"}
    )


def test_meta_options_and_what_their_clients_see() -> None:
    reel = Variant(
        channel="ig",
        platform="instagram",
        text="x",
        pillar="prodotto",
        link="https://forno.example",
        instagram=InstagramOptions(
            media_type="REELS",
            collaborators=("luca",),
            user_tags=(InstagramUserTag(username="luca", x=0.25, y=0.5),),
            thumb_offset=1500,
        ),
    )
    assert reel.extras == {
        "pillar": "prodotto",
        "link": "https://forno.example",
        "media_type": "REELS",
        "collaborators": ["luca"],
        "user_tags": [{"username": "luca", "x": 0.25, "y": 0.5}],
        "thumb_offset": 1500,
    }
    # Threads' and Facebook's clients refuse keys they do not know: only theirs (and the link
    # Facebook reads) appear.
    thread = Variant(
        channel="th",
        platform="threads",
        text="x",
        pillar="p",
        campaign="c",
        format="thread",
        threads=ThreadsOptions(reply_control="mentioned_only"),
    )
    assert thread.extras == {"reply_control": "mentioned_only"}
    page = Variant(
        channel="fb",
        platform="facebook",
        text="x",
        pillar="p",
        link="https://forno.example",
        facebook=FacebookOptions(reel=True),
    )
    assert page.extras == {"link": "https://forno.example", "reel": True}
    with pytest.raises(pydantic.ValidationError, match="instagram options only apply"):
        Variant(channel="fb", platform="facebook", text="x", instagram=InstagramOptions())
    with pytest.raises(pydantic.ValidationError, match="at most 3"):
        InstagramOptions(collaborators=("a", "b", "c", "d"))
