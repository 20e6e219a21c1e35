"""Typed options on Variant, and the deprecated ``extras`` view kept for older code."""

from __future__ import annotations

import pydantic
import pytest

from smmkit.models import (
    BlueskyLinkCard,
    BlueskyOptions,
    ContentFormat,
    MastodonOptions,
    MastodonPoll,
    Platform,
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
    variant = Variant(
        channel="ig",
        platform="instagram",
        text="x",
        extras={"format": "carousel", "link": "https://forno.example", "vk_wall": 3},
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
    odd = Variant(channel="ig", platform="instagram", text="x", extras={"format": 5})
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
