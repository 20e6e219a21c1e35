"""Delivered posts: finding them, and checking each against what was agreed and the disclosure
rules (#adv / #ad, the paid-partnership label, AGCOM's 2024 guidelines for Italian creators).

The disclosure rule (Italian IAP Digital Chart and AGCOM 2024; the UK's CMA/ASA and the US FTC
say the same): a sponsored post says so **clearly and up front**: the platform's
paid-partnership label, or a disclosure word or hashtag in the part of the caption shown before
"more" (``visible_chars``, 125 characters by default, and at most the first two lines). Vague
tags (``#sp``, ``#spon``, ``#collab``, ``#partner``, a bare thank-you), a negated disclosure
("non è pubblicità") and a disclosure buried at the end among the hashtags do not count.
"In collaborazione con" / "sponsored by" count only with the brand after them. Linear in the
text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, Field

from smmkit.models import Deliverable, Platform, ValueModel

from ._pipeline import Collaboration

if TYPE_CHECKING:
    from smmkit.models._names import PlatformField

__all__ = [
    "AGCOM_FOLLOWERS",
    "AGCOM_MONTHLY_VIEWS",
    "DISCLOSURE_HASHTAGS",
    "DISCLOSURE_PHRASES",
    "AgcomStatus",
    "DeliveredPost",
    "DeliveryCheck",
    "DisclosureCheck",
    "agcom_status",
    "check_delivery",
    "check_disclosure",
    "find_deliveries",
]

AGCOM_FOLLOWERS = 500_000
AGCOM_MONTHLY_VIEWS = 1_000_000

DISCLOSURE_HASHTAGS: frozenset[str] = frozenset(
    {
        "adv",
        "ad",
        "ads",
        "advertising",
        "advertisement",
        "sponsored",
        "sponsorizzato",
        "sponsorizzata",
        "sponsorizzati",
        "pubblicità",
        "pubblicita",
        "paidpartnership",
        "partnershipretribuita",
        "prodottofornitoda",
        "suppliedby",
        "gifted",
        "regalo",
    }
)
"""Hashtags that disclose a commercial relationship (compared without case)."""

DISCLOSURE_PHRASES: tuple[str, ...] = (
    "pubblicità",
    "pubblicita",
    "advertising",
    "advertisement",
    "paid partnership",
    "partnership retribuita",
    "collaborazione retribuita",
    "contenuto sponsorizzato",
    "post sponsorizzato",
    "sponsored post",
    "ad:",
    "adv:",
    "sponsorizzato da",
    "sponsorizzata da",
    "sponsored by",
    "promosso da",
    "promoted by",
    "in collaborazione con",
    "in partnership with",
    "in partnership con",
    "prodotto fornito da",
    "supplied by",
    "gifted by",
)
"""Words that disclose when written out (compared without case, as whole words). Those ending
in *da*, *con*, *by*, *with* count only when the brand follows (an @mention or its name)."""

_DIRECTED = tuple(
    p for p in DISCLOSURE_PHRASES if p.rsplit(" ", 1)[-1] in {"da", "con", "by", "with"}
)
_TAG = re.compile(r"[#＃](\w+)")
_PHRASE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(DISCLOSURE_PHRASES, key=len)[::-1]) + r")",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"(?:\b(?:non|not|no|nessuna|nessun|niente|zero|mai|never|isn't|isnt|senza|without)"
    r"\b[\s,.'’]*(?:\w+[\s,.'’]+){0,2})$",
    re.IGNORECASE,
)
_VAGUE = frozenset({"sp", "spon", "collab", "partner", "thanks", "grazie", "ambassador"})


def _negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` negate it ("non è pubblicità", "not an ad")."""
    return bool(_NEGATION.search(text[max(0, start - 40) : start]))


def _directed_ok(text: str, end: int, brands: Sequence[str]) -> bool:
    after = text[end : end + 60].lstrip(" :")
    if after.startswith(("@", "＠")):
        return True
    folded = after.casefold()
    return any(folded.startswith(b.casefold()) for b in brands if b)


class DisclosureCheck(ValueModel):
    """Whether a post discloses the partnership clearly and up front, how, and what is wrong."""

    disclosed: bool
    how: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def check_disclosure(
    text: str,
    *,
    label: bool = False,
    visible_chars: int = 125,
    brand_names: Sequence[str] = (),
) -> DisclosureCheck:
    """Check one sponsored post's caption (and its paid-partnership ``label``).

    ``brand_names`` are the names that may follow "in collaborazione con" / "sponsored by"
    (an @mention always may). A negated disclosure ("non è pubblicità", "not an ad") does not
    count."""
    # Feeds show about two lines or ``visible_chars`` characters before "more".
    head_end = min(len(text), visible_chars)
    second_break = text.find("\n", text.find("\n") + 1)
    if text.find("\n") >= 0 and 0 <= second_break < head_end:
        head_end = second_break
    how: list[str] = []
    late: list[str] = []
    vague: list[str] = []
    negated: list[str] = []
    if label:
        how.append("paid-partnership label")
    for match in _TAG.finditer(text):
        tag = match.group(1).casefold()
        if tag in DISCLOSURE_HASHTAGS:
            if _negated(text, match.start()):
                negated.append(f"#{tag}")
            else:
                (how if match.start() < head_end else late).append(f"#{tag}")
        elif tag in _VAGUE:
            vague.append(f"#{tag}")
    for match in _PHRASE.finditer(text):
        word = match.group(1).casefold()
        if _negated(text, match.start()):
            negated.append(word)
            continue
        if word in _DIRECTED and not _directed_ok(text, match.end(), brand_names):
            vague.append(f"'{word}' without the brand after it")
            continue
        (how if match.start() < head_end else late).append(word)
    problems: list[str] = []
    if not how:
        if late:
            problems.append(
                f"the disclosure ({', '.join(dict.fromkeys(late))}) comes after the first "
                f"{visible_chars} characters shown before 'more': move it to the start"
            )
        else:
            problems.append(
                "no disclosure: add the paid-partnership label or #adv / #ad at the start"
            )
        if negated:
            problems.append(f"{', '.join(dict.fromkeys(negated))} is negated in the text")
        if vague:
            problems.append(
                f"{', '.join(dict.fromkeys(vague))} does not disclose: use #adv, #ad or "
                "'Pubblicità' / 'Advertising'"
            )
    return DisclosureCheck(
        disclosed=bool(how), how=tuple(dict.fromkeys(how)), problems=tuple(problems)
    )


class AgcomStatus(ValueModel):
    """Whether AGCOM's 2024 guidelines (delibera 7/24/CONS) flag the creator as a relevant
    influencer, subject to the registry: at least 500,000 followers (summed across networks) or
    at least 1,000,000 average monthly views. The guidelines' other conditions (activity,
    engagement, audience in Italy) are for the creator to confirm."""

    subject: bool
    followers: int | None = None
    avg_monthly_views: int | None = None
    reason: str


def agcom_status(followers: int | None, avg_monthly_views: int | None = None) -> AgcomStatus:
    """AGCOM 2024 relevance from the follower count and average monthly views."""
    reasons = []
    if followers is not None and followers >= AGCOM_FOLLOWERS:
        reasons.append(f"{followers:,} followers >= {AGCOM_FOLLOWERS:,}")
    if avg_monthly_views is not None and avg_monthly_views >= AGCOM_MONTHLY_VIEWS:
        reasons.append(f"{avg_monthly_views:,} average monthly views >= {AGCOM_MONTHLY_VIEWS:,}")
    if reasons:
        reason = (
            "subject to the AGCOM registry of relevant influencers (guidelines 2024, delibera "
            f"7/24/CONS): {'; '.join(reasons)}"
        )
    elif followers is None and avg_monthly_views is None:
        reason = "unknown: neither followers nor monthly views known"
    else:
        reason = "below the AGCOM 2024 thresholds (500,000 followers, 1,000,000 monthly views)"
    return AgcomStatus(
        subject=bool(reasons),
        followers=followers,
        avg_monthly_views=avg_monthly_views,
        reason=reason,
    )


class DeliveredPost(ValueModel):
    """A creator's published post, as the clients read it."""

    post_id: str = Field(min_length=1)
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    author: str = Field(min_length=1)
    published_at: AwareDatetime
    format: str | None = None
    text: str = ""
    paid_partnership: bool = Field(default=False, description="The platform's label is on.")
    collaborators: tuple[str, ...] = ()
    tagged: tuple[str, ...] = ()
    url: str | None = None


class DeliveryCheck(ValueModel):
    """One delivered post checked against its deliverable and the disclosure rules."""

    post_id: str
    on_time: bool | None
    late_by: timedelta | None = None
    format_ok: bool | None
    disclosure: DisclosureCheck
    agcom: AgcomStatus
    passed: bool
    problems: tuple[str, ...]


def _norm_handle(handle: str) -> str:
    return handle.lstrip("@").casefold()


def find_deliveries(
    posts: Iterable[DeliveredPost],
    collaboration: Collaboration,
    *,
    brand_handles: Sequence[str] = (),
    hashtags: Sequence[str] = (),
    since: datetime | None = None,
) -> list[DeliveredPost]:
    """The creator's posts that belong to the collaboration: by the creator, on its platform,
    after ``since``, and mentioning or tagging a brand handle, with the brand as collaborator,
    with one of ``hashtags``, or with the collaboration's promo code. Oldest first."""
    brands = {_norm_handle(h) for h in brand_handles}
    tags = {h.lstrip("#＃").casefold() for h in hashtags}
    creator = _norm_handle(collaboration.handle)
    code = (collaboration.promo_code or "").casefold()
    found = []
    for post in posts:
        if _norm_handle(post.author) != creator or post.platform != collaboration.platform:
            continue
        if since is not None and post.published_at < since:
            continue
        lowered = post.text.casefold()
        mentions = {m.casefold() for m in re.findall(r"@([\w.]+)", post.text)}
        post_tags = {t.casefold() for t in _TAG.findall(post.text)}
        if (
            brands & mentions
            or brands & {_norm_handle(h) for h in (*post.collaborators, *post.tagged)}
            or tags & post_tags
            or (code and code in lowered)
        ):
            found.append(post)
    return sorted(found, key=lambda p: p.published_at)


def check_delivery(
    post: DeliveredPost,
    deliverable: Deliverable | None = None,
    *,
    followers: int | None = None,
    avg_monthly_views: int | None = None,
    visible_chars: int = 125,
    brand_names: Sequence[str] = (),
    grace: timedelta = timedelta(0),
) -> DeliveryCheck:
    """Check a delivered post: on time (by ``deliverable.due`` plus ``grace``), the agreed
    format, disclosed clearly and up front, and whether AGCOM 2024 flags the creator. A post
    passes when it is disclosed and nothing checked is wrong."""
    problems: list[str] = []
    on_time: bool | None = None
    late_by = None
    format_ok: bool | None = None
    if deliverable is not None:
        if deliverable.due is not None:
            on_time = post.published_at <= deliverable.due + grace
            if not on_time:
                late_by = post.published_at - deliverable.due
                problems.append(f"published {late_by} after the due time {deliverable.due}")
        if post.format is not None:
            format_ok = post.format == deliverable.format.value
            if not format_ok:
                problems.append(
                    f"format {post.format!r} instead of the agreed {deliverable.format.value!r}"
                )
    disclosure = check_disclosure(
        post.text,
        label=post.paid_partnership,
        visible_chars=visible_chars,
        brand_names=brand_names,
    )
    problems.extend(disclosure.problems)
    agcom = agcom_status(followers, avg_monthly_views)
    return DeliveryCheck(
        post_id=post.post_id,
        on_time=on_time,
        late_by=late_by,
        format_ok=format_ok,
        disclosure=disclosure,
        agcom=agcom,
        passed=disclosure.disclosed and on_time is not False and format_ok is not False,
        problems=tuple(problems),
    )
