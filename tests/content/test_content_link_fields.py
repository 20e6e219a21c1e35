"""Every URL field takes only http(s) links (or a declared merge tag): no ``javascript:``, no
``user:password@``, no backslash host; UTM tagging refuses the same."""

from __future__ import annotations

import pytest
from pydantic import ValidationError as PydanticValidationError

from smmkit.content import utm
from smmkit.errors import ValidationError
from smmkit.models import CallToAction, Newsletter, Section, Seo

HOSTILE = (
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "https://user:secret@fornoaurora.it/",
    "https://fornoaurora.it\\@evil.example/",
    "https://evil.example\\fornoaurora.it",
    "//evil.example/x",
    "/relative",
    "https:///nohost",
    "https://forno aurora.it/",
    "https://fornoaurora.it/\r\nSet-Cookie: x",
)


@pytest.mark.parametrize("url", HOSTILE)
def test_utm_refuses_hostile_links(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        utm(url, "instagram", None, "natale")
    assert info.value.field == "url"
    assert "secret" not in str(info.value)  # a credential is never echoed


def test_utm_keeps_good_links() -> None:
    tagged = utm("https://www.fornoaurora.it/p?x=1#top", "instagram", None, "natale")
    assert tagged == (
        "https://www.fornoaurora.it/p?x=1&utm_source=instagram&utm_medium=social"
        "&utm_campaign=natale#top"
    )
    assert utm("https://caffè.it/", "x", None, "c").startswith("https://xn--caff-8oa.it/")


def _newsletter(unsubscribe: str) -> Newsletter:
    return Newsletter(
        title="Novità",
        slug="novita",
        sections=(Section(body="Ciao"),),
        unsubscribe_placeholder=unsubscribe,
    )


@pytest.mark.parametrize("url", HOSTILE)
def test_every_link_field_refuses_hostile_links(url: str) -> None:
    with pytest.raises(PydanticValidationError, match="unsubscribe_placeholder"):
        _newsletter(url)
    with pytest.raises(PydanticValidationError, match="url"):
        CallToAction(label="Prenota", url=url)
    with pytest.raises(PydanticValidationError, match="canonical_url"):
        Seo(title="t", meta_description="d", canonical_url=url)


@pytest.mark.parametrize(
    "ok", ["{{unsubscribe_url}}", "*|UNSUB|*", "%unsubscribe%", "https://fornoaurora.it/u?id=1"]
)
def test_merge_tags_and_http_links_are_accepted(ok: str) -> None:
    assert _newsletter(ok).unsubscribe_placeholder == ok
    assert CallToAction(label="Vai", url=ok).url == ok


@pytest.mark.parametrize("url", HOSTILE)
def test_model_link_fields_refuse_hostile_links(url: str) -> None:
    from smmkit.models import Brand, ContentItem, ContentPillar, MediaAsset

    with pytest.raises(PydanticValidationError, match="links"):
        ContentItem(text="x", links=(url,))
    with pytest.raises(PydanticValidationError, match="url"):
        MediaAsset(kind="image", url=url, mime_type="image/png")
    with pytest.raises(PydanticValidationError, match="website"):
        Brand(
            name="B",
            locales=("it",),
            timezone="Europe/Rome",
            website=url,
            pillars=(ContentPillar(key="p", name="P", share=1.0),),
        )
