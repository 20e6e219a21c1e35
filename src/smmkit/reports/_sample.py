"""Deterministic synthetic inputs for the monthly report (docs, tests, benchmark and demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict
from zoneinfo import ZoneInfo

from smmkit.analytics import CompetitorSnapshot, CompetitorStanding, compare_competitors
from smmkit.models import AccountMetrics, AdMetrics, Brand, Money, Platform, PostMetrics

from ._build import parse_month
from ._model import CommunityStats, InfluencerResult

__all__ = ["SampleInputs", "sample_inputs"]

_TEXTS = (
    "Il pane del giorno è appena uscito dal forno: passa a trovarci!",
    "Dietro le quinte: la madre bianca compie 12 anni <3 #lievitomadre",
    '=HYPERLINK("http://x") | *grassetto* _corsivo_ [link](javascript:x) <script>x</script>',
    "Sondaggio: croissant o bomba alla crema? Rispondi nei commenti",
    "Ricetta: i biscotti di Natale della nonna, passo per passo",
    "Today's loaf: rye and caraway, out of the oven at 7",
)
_TEXTS_EN = (
    "New in the shop: hand-dyed merino in six winter colours.",
    "Behind the scenes: warping the loom for the spring throws <3 #handwoven",
    '=HYPERLINK("http://x") | *bold* _italic_ [link](javascript:x) <script>x</script>',
    "Poll: cable knit or fair isle for the next pattern? Tell us below",
    "Pattern of the month: a simple ribbed hat, step by step",
    "Open studio on Saturday from 10 to 4",
)
_FORMATS = ("post", "carousel", "reel", "story")


class SampleKwargs(TypedDict):
    """``SampleInputs.as_kwargs()``: typed, so ``monthly_report(..., **data.as_kwargs())``
    passes ``mypy --strict``."""

    posts: list[PostMetrics]
    texts: dict[str, str]
    accounts: list[AccountMetrics]
    ads: list[AdMetrics]
    planned: dict[str, Money]
    pacing: object | None
    competitors: list[CompetitorStanding]
    community: CommunityStats | None
    influencers: list[InfluencerResult]


@dataclass
class SampleInputs:
    """Keyword arguments for :func:`~smmkit.reports.monthly_report` (``as_kwargs()``)."""

    posts: list[PostMetrics] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    accounts: list[AccountMetrics] = field(default_factory=list)
    ads: list[AdMetrics] = field(default_factory=list)
    planned: dict[str, Money] = field(default_factory=dict)
    pacing: object | None = None
    competitors: list[CompetitorStanding] = field(default_factory=list)
    community: CommunityStats | None = None
    influencers: list[InfluencerResult] = field(default_factory=list)

    def as_kwargs(self) -> SampleKwargs:
        return {
            "posts": self.posts,
            "texts": self.texts,
            "accounts": self.accounts,
            "ads": self.ads,
            "planned": self.planned,
            "pacing": self.pacing,
            "competitors": self.competitors,
            "community": self.community,
            "influencers": self.influencers,
        }


def sample_inputs(
    brand: Brand,
    month: str | tuple[int, int],
    *,
    channels: dict[str, Platform] | None = None,
    days: int = 365,
    currency: str = "EUR",
    seed: int = 7,
    until: date | None = None,
) -> SampleInputs:
    """``days`` of daily account metrics and posts up to the end of ``month`` for each channel,
    ads on the first two channels, a budget plan and its pacing, three competitors, community and
    influencer results. A spike and a drop are planted in the month's reach. Ad results stop at
    ``until`` (default: the month's last day)."""
    import numpy as np

    from smmkit.budget import pace

    rng = np.random.default_rng(seed)
    year, mon = parse_month(month)
    tz = ZoneInfo(brand.timezone)
    first = date(year, mon, 1)
    last = date(year + (mon == 12), mon % 12 + 1, 1) - timedelta(days=1)
    channels = channels or {
        "instagram": Platform.INSTAGRAM,
        "facebook": Platform.FACEBOOK,
        "mastodon": Platform.MASTODON,
        "bluesky": Platform.BLUESKY,
    }
    out = SampleInputs()
    texts = _TEXTS if brand.locale.lower().startswith("it") else _TEXTS_EN
    start = last - timedelta(days=days - 1)
    spike, drop = first + timedelta(days=9), first + timedelta(days=20)
    n = 0
    for c_i, (channel, platform) in enumerate(channels.items()):
        followers = 1500 + 900 * c_i
        for d_i in range(days):
            day = start + timedelta(days=d_i)
            followers += int(rng.integers(0, 9)) - 2
            base = 600 + 250 * c_i + (150 if day.weekday() >= 5 else 0)
            reach = base * (0.9 + 0.2 * rng.random())
            if day == spike and c_i == 0:
                reach *= 3.2
            if day == drop and c_i == 1:
                reach *= 0.15
            noon = datetime(day.year, day.month, day.day, 23, 30, tzinfo=tz)
            out.accounts.append(
                AccountMetrics(
                    platform=platform,
                    channel=channel,
                    account_id=f"{channel}-account",
                    measured_at=noon,
                    followers=followers,
                    reach=int(reach),
                    impressions=int(reach * 1.6),
                )
            )
            hour = int(rng.integers(7, 22))
            published = datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz)
            p_reach = int(reach * (0.4 + 0.3 * rng.random()))
            good = 1.6 if hour in (8, 12, 18) else 1.0
            fmt = _FORMATS[int(rng.integers(0, len(_FORMATS)))]
            fmt_boost = 1.4 if fmt == "reel" else 1.0
            likes = int(p_reach * 0.04 * good * fmt_boost * (0.5 + rng.random()))
            post_id = f"{channel}-{day.isoformat()}"
            out.posts.append(
                PostMetrics(
                    platform=platform,
                    channel=channel,
                    post_id=post_id,
                    measured_at=published + timedelta(days=2),
                    published_at=published,
                    reach=p_reach,
                    impressions=int(p_reach * 1.5),
                    likes=likes,
                    comments=int(likes * 0.08),
                    shares=int(likes * 0.05),
                    saves=int(likes * 0.04),
                    clicks=int(p_reach * 0.01),
                    followers=followers,
                    format=fmt,
                    pillar="prodotto" if n % 2 else "community",
                )
            )
            out.texts[post_id] = texts[n % len(texts)]
            n += 1
    paid = list(channels)[:2]
    out.planned = {c: Money.of(Decimal(600 + 300 * i), currency) for i, c in enumerate(paid)}
    out.pacing = pace(
        out.planned,
        first,
        last,
        country=brand.country,
        subdiv=brand.region,
        locale=brand.locale,
    )
    for i, channel in enumerate(paid):
        d = first
        while d <= min(last, until or last):
            spend = Decimal(15 + 10 * i) + Decimal(int(rng.integers(0, 900))) / 100
            conv = float(rng.integers(0, 6) + 2 * (1 - i))
            out.ads.append(
                AdMetrics(
                    platform=channels[channel],
                    channel=channel,
                    ad_id=f"ad-{channel}",
                    measured_at=datetime(d.year, d.month, d.day, 23, tzinfo=tz),
                    period_start=datetime(d.year, d.month, d.day, tzinfo=tz),
                    spend=Money.of(spend, currency),
                    conversions=conv,
                    revenue=Money.of(Decimal(str(round(conv * (22 - 6 * i), 2))), currency),
                    clicks=int(rng.integers(20, 80)),
                    impressions=int(rng.integers(2000, 6000)),
                )
            )
            d += timedelta(days=1)
    snaps = [
        CompetitorSnapshot(
            name=name,
            platform=Platform.INSTAGRAM,
            followers_start=fs,
            followers_end=fe,
            posts=posts,
            days=float((last - first).days + 1),
            engagements=eng,
            mentions=m,
        )
        for name, fs, fe, posts, eng, m in (
            (brand.name, 1500, 1610, 30, 5200, 40),
            ("Panificio Rossi", 4200, 4260, 18, 3900, 55),
            ("Dolce Forno", 900, 1010, 40, 2100, 12),
        )
    ]
    out.competitors = compare_competitors(snaps)
    out.community = CommunityStats(
        volume={"domande": 48, "reclami": 6, "complimenti": 71},
        median_response_minutes={"domande": 95.0, "reclami": 240.0, "complimenti": 30.0},
        target_minutes=120.0,
        unanswered=3,
    )
    out.influencers = [
        InfluencerResult(
            name="Giulia Impasti",
            handle="giulia.impasti",
            posts=3,
            reach=18000,
            engagements=1400,
            clicks=320,
            conversions=21,
            cost=Money.of("450", currency),
        ),
        InfluencerResult(name="Marco <b>Bake</b>", posts=1, reach=6000, engagements=310),
    ]
    return out
