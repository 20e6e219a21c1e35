"""utm(): keeps query and fragment, lowercases, refuses silent overwrites, IDNA hosts."""

from __future__ import annotations

import pytest

from smmkit.content import default_medium, utm
from smmkit.errors import ValidationError


def test_basic_and_lowercase() -> None:
    assert utm("https://www.fornoaurora.it/panettone", "Instagram", None, "Panettone 2026") == (
        "https://www.fornoaurora.it/panettone?utm_source=instagram&utm_medium=social"
        "&utm_campaign=panettone%202026"
    )


def test_keeps_query_order_encoding_and_fragment() -> None:
    url = "https://shop.example/p?id=7&q=pane%20caldo&empty=#recensioni"
    tagged = utm(url, "facebook", "paid_social", "natale", term="Pane", content="Carosello A")
    assert tagged == (
        "https://shop.example/p?id=7&q=pane%20caldo&empty=&utm_source=facebook"
        "&utm_medium=paid_social&utm_campaign=natale&utm_term=pane&utm_content=carosello%20a"
        "#recensioni"
    )


def test_default_medium_per_platform_and_paid() -> None:
    assert default_medium("instagram") == "social"
    assert default_medium("instagram", paid=True) == "paid_social"
    assert default_medium("mailchimp") == "email"
    assert default_medium("wordpress") == "blog"
    assert "utm_medium=paid_social" in utm("https://a.it/", "x", None, "c", paid=True)
    assert "utm_medium=email" in utm("https://a.it/", "mailchimp", None, "c")


def test_same_existing_value_is_kept_different_is_refused() -> None:
    url = "https://a.it/x?utm_source=Instagram&ref=bio"
    assert utm(url, "instagram", None, "c") == (
        "https://a.it/x?utm_source=Instagram&ref=bio&utm_medium=social&utm_campaign=c"
    )
    with pytest.raises(ValidationError) as info:
        utm("https://a.it/x?utm_source=newsletter", "instagram", None, "c")
    assert info.value.field == "url.query.utm_source"
    assert "overwrite=True" in str(info.value)
    replaced = utm(
        "https://a.it/x?utm_source=newsletter&k=1", "instagram", None, "c", overwrite=True
    )
    assert replaced == "https://a.it/x?utm_source=instagram&k=1&utm_medium=social&utm_campaign=c"


def test_internationalised_domain() -> None:
    tagged = utm("https://pâtisserie-dolce.it/menù?a=1", "threads", None, "natale")
    assert tagged.startswith("https://xn--ptisserie-dolce-3jb.it/men")
    assert tagged.endswith("?a=1&utm_source=threads&utm_medium=social&utm_campaign=natale")


def test_idempotent() -> None:
    once = utm("https://a.it/", "x", None, "c")
    assert utm(once, "x", None, "c") == once


@pytest.mark.parametrize(
    ("url", "source", "campaign", "field"),
    [
        ("ftp://a.it/", "x", "c", "url"),
        ("a.it/page", "x", "c", "url"),
        ("https://a.it/", " ", "c", "utm_source"),
        ("https://a.it/", "x", "", "utm_campaign"),
    ],
)
def test_misuse(url: str, source: str, campaign: str, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        utm(url, source, None, campaign)
    assert info.value.field == field
