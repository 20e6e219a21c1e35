"""Briefs: what the brand asks of a creator, in the brand's voice (tu / Lei / you), with the
deliverables and their dates, per-creator tracked links and promo codes, and the disclosure rule.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import Field

from smmkit._sinks import safe_url, single_line
from smmkit.content import utm
from smmkit.errors import ValidationError
from smmkit.models import Brand, Campaign, Deliverable, GrammaticalPerson, ValueModel
from smmkit.models._base import zone

from ._disclosure import agcom_status
from ._pipeline import Collaboration

__all__ = ["Brief", "TrackedLink", "promo_code", "render_brief", "tracked_link"]

_IT_MONTHS_TEXT = """
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
"""
_EN_MONTHS_TEXT = """
    January February March April May June July August September October November December
"""
_IT_MONTHS = _IT_MONTHS_TEXT.split()
_EN_MONTHS = _EN_MONTHS_TEXT.split()
_FORMATS_IT = {
    "post": "post",
    "carousel": "carosello",
    "reel": "reel",
    "story": "storia",
    "video": "video",
    "short": "short",
    "thread": "thread",
}


class TrackedLink(ValueModel):
    """A destination and the creator's UTM-tagged link to it."""

    destination: str
    url: str


class Brief(ValueModel):
    """A rendered brief (Markdown ``text``) and the pieces it was made of."""

    handle: str
    campaign: str
    locale: str
    person: GrammaticalPerson
    deliverables: tuple[Deliverable, ...]
    links: tuple[TrackedLink, ...] = ()
    promo_code: str | None = None
    disclosure: str
    agcom_subject: bool = False
    text: str = Field(repr=False)


def tracked_link(url: str, *, campaign: str, handle: str, platform: str) -> str:
    """``url`` tagged for one creator: ``utm_source`` = the creator's platform,
    ``utm_medium=influencer``, ``utm_campaign`` = the campaign, ``utm_content`` = the handle.
    Only absolute http(s) links without user-info are accepted."""
    safe_url(url, field="link")
    return utm(url, platform, "influencer", campaign, content=handle.lstrip("@"))


def promo_code(handle: str, campaign: str, *, prefix: str = "", length: int = 10) -> str:
    """A per-creator promo code: ``prefix`` + the handle's letters and digits (upper case) + two
    characters derived from the campaign, so codes differ across campaigns; deterministic.

    >>> promo_code("@bologna.agolosa", "panettone-2026")
    'BOLOGNAAM3'
    """
    if length < 6 or length > 32:
        raise ValidationError("length", length, "must be between 6 and 32")
    clean_prefix = re.sub(r"[^A-Z0-9]", "", prefix.upper())
    core = re.sub(r"[^A-Z0-9]", "", handle.upper())
    if not core:
        raise ValidationError("handle", handle, "has no letters or digits for a promo code")
    digest = hashlib.sha256(f"{campaign}:{handle.lower()}".encode()).digest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    tail = alphabet[digest[0] % 32] + alphabet[digest[1] % 32]
    room = max(length - len(clean_prefix) - 2, 1)
    return f"{clean_prefix}{core[:room]}{tail}"


def _date(moment: datetime, timezone: str, language: str) -> str:
    local = moment.astimezone(zone(timezone))
    if language == "it":
        return f"{local.day} {_IT_MONTHS[local.month - 1]} {local.year}, ore {local:%H:%M}"
    return f"{local.day} {_EN_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


_TEXTS = {
    GrammaticalPerson.TU: {
        "hello": "Ciao {name},",
        "intro": "grazie per aver accettato di lavorare con {brand} su «{campaign}». "
        "Ecco cosa ti chiediamo.",
        "deliverables": "## Cosa pubblicare",
        "due": "entro il {date}",
        "no_due": "data da concordare",
        "messages": "## Messaggi chiave",
        "do": "## Da fare",
        "dont": "## Da evitare",
        "links": "## Link e codice",
        "link": "Usa questo link (è solo tuo, ci dice cosa porta il tuo contenuto): {url}",
        "code": "Il tuo codice sconto per la community: **{code}**",
        "disclosure": "## Trasparenza (obbligatoria)",
        "rule": "Dichiara la collaborazione in modo chiaro e subito: attiva l'etichetta "
        "«partnership retribuita» della piattaforma e scrivi **{tag}** all'inizio della "
        "didascalia (nelle prime righe, non in mezzo agli hashtag finali). Nelle storie metti "
        "la dicitura su ogni storia.",
        "agcom": "Con {reach} rientri tra gli influencer rilevanti delle Linee guida AGCOM 2024 "
        "(delibera 7/24/CONS): valgono per te anche gli obblighi dell'elenco AGCOM.",
        "review": "Mandaci la bozza prima di pubblicare: la rivediamo entro due giorni lavorativi.",
        "bye": "Grazie, a presto!",
    },
    GrammaticalPerson.LEI: {
        "hello": "Gentile {name},",
        "intro": "La ringraziamo per aver accettato di collaborare con {brand} per «{campaign}». "
        "Di seguito quanto Le chiediamo.",
        "deliverables": "## Contenuti da pubblicare",
        "due": "entro il {date}",
        "no_due": "data da concordare",
        "messages": "## Messaggi chiave",
        "do": "## Da fare",
        "dont": "## Da evitare",
        "links": "## Link e codice",
        "link": "Utilizzi questo link personale, che ci permette di misurare i risultati: {url}",
        "code": "Il Suo codice sconto per la community: **{code}**",
        "disclosure": "## Trasparenza (obbligatoria)",
        "rule": "Dichiari la collaborazione in modo chiaro e immediato: attivi l'etichetta "
        "«partnership retribuita» della piattaforma e scriva **{tag}** all'inizio della "
        "didascalia (nelle prime righe, non in mezzo agli hashtag finali). Nelle storie "
        "inserisca la dicitura su ogni storia.",
        "agcom": "Con {reach} Lei rientra tra gli influencer rilevanti delle Linee guida AGCOM "
        "2024 (delibera 7/24/CONS): si applicano anche gli obblighi dell'elenco AGCOM.",
        "review": "Ci invii la bozza prima della pubblicazione: la rivedremo entro due giorni "
        "lavorativi.",
        "bye": "Cordiali saluti,",
    },
    GrammaticalPerson.YOU: {
        "hello": "Hi {name},",
        "intro": "thank you for working with {brand} on “{campaign}”. Here is what we are "
        "asking for.",
        "deliverables": "## What to publish",
        "due": "by {date}",
        "no_due": "date to be agreed",
        "messages": "## Key messages",
        "do": "## Do",
        "dont": "## Don't",
        "links": "## Link and code",
        "link": "Use this link (it is yours alone, so we can see what your content brings): {url}",
        "code": "Your discount code for your community: **{code}**",
        "disclosure": "## Disclosure (required)",
        "rule": "Disclose the partnership clearly and up front: switch on the platform's "
        "paid-partnership label and write **{tag}** at the start of the caption (in the first "
        "lines, not buried among the hashtags). In stories, disclose on every frame.",
        "agcom": "With {reach} you are a relevant influencer under Italy's AGCOM 2024 guidelines "
        "(delibera 7/24/CONS): the AGCOM registry obligations apply to you too.",
        "review": "Please send us the draft before publishing: we review it within two working "
        "days.",
        "bye": "Thanks, talk soon!",
    },
}


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {single_line(item)}" for item in items]


def render_brief(
    collaboration: Collaboration,
    brand: Brand,
    campaign: Campaign,
    *,
    creator_name: str | None = None,
    locale: str | None = None,
    links: Sequence[str] = (),
    key_messages: Sequence[str] = (),
    do: Sequence[str] = (),
    dont: Sequence[str] = (),
    promo_prefix: str | None = None,
    followers: int | None = None,
    avg_monthly_views: int | None = None,
) -> Brief:
    """The brief for one collaboration, in the brand's voice for ``locale`` (default: the
    brand's main locale): ``tu`` or ``Lei`` in Italian as :meth:`VoiceProfile.person_for` says,
    ``you`` in English. Deliverables are listed with their due dates in the brand's time zone;
    each link in ``links`` is tagged for the creator (:func:`tracked_link`); the collaboration's
    promo code is used, or one is made (:func:`promo_code`); the disclosure rule uses the
    brand's wording for the locale (``#adv`` / ``#ad``); creators AGCOM 2024 flags get the note.
    """
    if not collaboration.deliverables:
        raise ValidationError(
            f"{collaboration.key}.deliverables",
            (),
            "a brief needs at least one deliverable",
            hint="set deliverables on the collaboration first",
        )
    loc = locale or brand.locale
    person = brand.voice.person_for(loc)
    language = loc.split("-")[0].lower()
    if person is GrammaticalPerson.VOI:
        person = GrammaticalPerson.TU  # a brief speaks to one creator
    texts = _TEXTS.get(person, _TEXTS[GrammaticalPerson.YOU])
    if language != "it":
        texts = _TEXTS[GrammaticalPerson.YOU]
        person = GrammaticalPerson.YOU
    campaign_tag = campaign.utm.campaign or campaign.id
    tagged = tuple(
        TrackedLink(
            destination=url,
            url=tracked_link(
                url,
                campaign=campaign_tag,
                handle=collaboration.handle,
                platform=collaboration.platform.value,
            ),
        )
        for url in links
    )
    code = collaboration.promo_code or promo_code(
        collaboration.handle, campaign.id, prefix=promo_prefix or ""
    )
    disclosure = brand.voice.disclosure_for(loc)
    agcom = agcom_status(followers, avg_monthly_views)
    name = single_line(creator_name or f"@{collaboration.handle}")
    lines = [
        texts["hello"].format(name=name),
        "",
        texts["intro"].format(brand=single_line(brand.name), campaign=single_line(campaign.name)),
        "",
        texts["deliverables"],
    ]
    for d in collaboration.deliverables:
        label = (
            _FORMATS_IT.get(d.format.value, d.format.value) if language == "it" else d.format.value
        )
        when = (
            texts["due"].format(date=_date(d.due, brand.timezone, language))
            if d.due
            else texts["no_due"]
        )
        lines.append(f"- {d.count} × {label}, {when}")
    for title, items in (("messages", key_messages), ("do", do), ("dont", dont)):
        if items:
            lines += ["", texts[title], *_bullets(items)]
    lines += ["", texts["links"]]
    lines += [f"- {texts['link'].format(url=link.url)}" for link in tagged]
    lines.append(f"- {texts['code'].format(code=code)}")
    lines += ["", texts["disclosure"], texts["rule"].format(tag=disclosure)]
    if agcom.subject:

        def number(value: int) -> str:
            return f"{value:,}".replace(",", ".") if language == "it" else f"{value:,}"

        reach = []
        if followers is not None and followers >= 500_000:
            reach.append(f"{number(followers)} follower" + ("" if language == "it" else "s"))
        if avg_monthly_views is not None and avg_monthly_views >= 1_000_000:
            reach.append(
                f"{number(avg_monthly_views)} visualizzazioni medie al mese"
                if language == "it"
                else f"{number(avg_monthly_views)} average monthly views"
            )
        joiner = " e " if language == "it" else " and "
        lines.append(texts["agcom"].format(reach=joiner.join(reach)))
    lines += ["", texts["review"], "", texts["bye"], single_line(brand.name)]
    return Brief(
        handle=collaboration.handle,
        campaign=campaign.id,
        locale=loc,
        person=person,
        deliverables=collaboration.deliverables,
        links=tagged,
        promo_code=code,
        disclosure=disclosure,
        agcom_subject=agcom.subject,
        text="\n".join(lines) + "\n",
    )
