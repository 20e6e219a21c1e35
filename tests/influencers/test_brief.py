from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from smmkit.errors import ValidationError
from smmkit.influencers import Collaboration, promo_code, render_brief, tracked_link
from smmkit.models import (
    Brand,
    Campaign,
    ContentPillar,
    Deliverable,
    GrammaticalPerson,
    Money,
    Objective,
)


def brand(register: str = "informal", **voice: object) -> Brand:
    return Brand.model_validate(
        {
            "name": "Forno Aurora",
            "locales": ["it-IT", "en"],
            "timezone": "Europe/Rome",
            "voice": {"register": register, **voice},
            "pillars": [ContentPillar(key="prodotto", name="Pane", share=1.0)],
        }
    )


CAMPAIGN = Campaign(
    id="panettone-2026",
    name="Il panettone di Aurora",
    objective=Objective.SALES,
    start=datetime(2026, 12, 1, tzinfo=UTC),
    end=datetime(2026, 12, 24, tzinfo=UTC),
)
DEAL = Collaboration(
    handle="bolognaagolosa",
    platform="instagram",
    campaign="panettone-2026",
    fee=Money.of("350", "EUR"),
    deliverables=(
        Deliverable(format="reel", due=datetime(2026, 12, 12, 17, tzinfo=UTC)),
        Deliverable(format="story", count=3),
    ),
)


def test_tu_brief() -> None:
    brief = render_brief(
        DEAL,
        brand(),
        CAMPAIGN,
        creator_name="Giulia",
        links=["https://www.fornoaurora.it/panettone"],
        key_messages=["lievito madre, 36 ore"],
    )
    assert brief.person is GrammaticalPerson.TU
    assert brief.text.startswith("Ciao Giulia,\n")
    # 17:00 UTC is 18:00 in Rome in December
    assert "- 1 × reel, entro il 12 dicembre 2026, ore 18:00" in brief.text
    assert "- 3 × storia, data da concordare" in brief.text
    assert "scrivi **#adv** all'inizio" in brief.text
    assert "Lei" not in brief.text and "AGCOM" not in brief.text
    (link,) = brief.links
    query = parse_qs(urlsplit(link.url).query)
    assert query == {
        "utm_source": ["instagram"],
        "utm_medium": ["influencer"],
        "utm_campaign": ["panettone-2026"],
        "utm_content": ["bolognaagolosa"],
    }
    assert brief.promo_code == promo_code("bolognaagolosa", "panettone-2026")
    assert f"**{brief.promo_code}**" in brief.text


def test_lei_brief_and_agcom_note() -> None:
    brief = render_brief(
        DEAL, brand("formal"), CAMPAIGN, creator_name="Dott.ssa Ferri", followers=612_000
    )
    assert brief.person is GrammaticalPerson.LEI
    assert brief.text.startswith("Gentile Dott.ssa Ferri,\n")
    assert "Le chiediamo" in brief.text and "Dichiari la collaborazione" in brief.text
    assert "Con 612.000 follower Lei rientra" in brief.text and brief.agcom_subject
    assert " ti " not in brief.text


def test_english_brief_uses_the_english_disclosure() -> None:
    brief = render_brief(DEAL, brand(), CAMPAIGN, locale="en", avg_monthly_views=2_000_000)
    assert brief.person is GrammaticalPerson.YOU
    assert brief.text.startswith("Hi @bolognaagolosa,")
    assert "write **#ad** at the start" in brief.text
    assert "- 1 × reel, by 12 December 2026, 18:00" in brief.text
    assert "2,000,000 average monthly views" in brief.text


def test_brand_voice_address_wins_over_register() -> None:
    b = brand("formal", address={"it": "tu"})
    assert render_brief(DEAL, b, CAMPAIGN).person is GrammaticalPerson.TU


def test_links_and_codes_are_checked() -> None:
    with pytest.raises(ValidationError, match="link"):
        render_brief(DEAL, brand(), CAMPAIGN, links=["javascript:alert(1)"])
    with pytest.raises(ValidationError, match="user:password"):
        tracked_link("https://u:p@x.it/", campaign="c", handle="h", platform="instagram")
    with pytest.raises(ValidationError, match="deliverable"):
        render_brief(DEAL.model_copy(update={"deliverables": ()}), brand(), CAMPAIGN)
    assert promo_code("@bolognaagolosa", "a") != promo_code("@bolognaagolosa", "b")
    assert promo_code("@bolognaagolosa", "a", prefix="xmas").startswith("XMAS")
    assert len(promo_code("a" * 40, "a", length=10)) == 10
    with pytest.raises(ValidationError, match="letters or digits"):
        promo_code("@._", "a")
    kept = render_brief(DEAL.model_copy(update={"promo_code": "GIULIA10"}), brand(), CAMPAIGN)
    assert kept.promo_code == "GIULIA10"


def test_hostile_names_stay_on_one_line() -> None:
    brief = render_brief(
        DEAL, brand(), CAMPAIGN, creator_name="Giulia\n## Fake heading", do=["a\nb"]
    )
    assert "\n## Fake heading" not in brief.text
    assert "- a b" in brief.text
