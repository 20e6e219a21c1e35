"""The sandbox's reaction model: pure, deterministic functions of the seed and the post.

How a post does depends on

* the **hour and weekday** it went out, in the channel's time zone: the audience's activity grid
  (:meth:`smmkit.models.Audience.activity`) if known, else a generic daily curve with morning,
  lunch and evening peaks;
* its **format** (reels and videos reach further, carousels are saved more, ...);
* its **pillar**: each pillar has a hidden, seeded appeal per channel (what analytics should
  discover);
* the **audience**: the share of the brand's audience present on the network;
* the **followers** at posting time, which grow slowly every day and with every post's reach;
* seeded per-post noise (log-normal).

Reactions accrue over time (``1 - exp(-age / 8 h)``), so metrics read an hour after publishing
are lower than a week after. Comments are drawn per post with seeded times and kinds: most are
genuine or questions, some are spam or abusive (for moderation).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "COMMENT_KINDS",
    "Outcome",
    "ReactionModel",
    "accrual",
    "author_profile",
    "comment_plan",
    "default_activity",
    "hour_factor",
    "mention_plan",
]

COMMENT_KINDS: tuple[tuple[str, float], ...] = (
    ("genuine", 0.62),
    ("question", 0.18),
    ("spam", 0.12),
    ("abusive", 0.08),
)

_FORMATS: dict[str, tuple[float, float, float]] = {
    # format: (reach multiplier, engagement multiplier, saves multiplier)
    "post": (1.0, 1.0, 1.0),
    "carousel": (1.15, 1.25, 1.8),
    "reel": (1.8, 1.1, 1.2),
    "video": (1.4, 1.0, 1.0),
    "short": (1.6, 1.05, 0.9),
    "story": (0.6, 0.5, 0.2),
    "thread": (0.9, 1.1, 0.6),
    "article": (0.7, 0.7, 1.5),
    "newsletter": (0.9, 0.4, 0.3),
    "landing_page": (0.5, 0.3, 0.2),
    "pin": (1.1, 0.8, 2.2),
}


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


def default_activity(weekday: int, hour: int) -> float:
    """A generic share of followers online (0-1) when no audience is known."""
    peaks = ((8, 1.5, 0.8), (13, 1.6, 0.9), (20, 2.2, 1.0))
    weekend = weekday >= 5
    value = 0.08
    for centre, width, height in peaks:
        shifted = centre + (1.5 if weekend and centre < 15 else 0.0)
        value += height * math.exp(-((hour - shifted) ** 2) / (2 * width**2))
    return min(value, 1.0)


def hour_factor(weekday: int, hour: int, activity: dict[int, dict[int, float]] | None) -> float:
    """Reach multiplier for posting at a local weekday (0 = Monday) and hour: 0.4 to 2.0."""
    if activity:
        top = max((v for day in activity.values() for v in day.values()), default=0.0)
        if top > 0:
            share = activity.get(weekday, {}).get(hour, 0.0)
            # neighbouring hours count a little: people scroll a while after they arrive
            before = activity.get(weekday, {}).get((hour - 1) % 24, 0.0)
            return 0.4 + 1.6 * min(1.0, (share + 0.5 * before) / top)
    return 0.4 + 1.6 * default_activity(weekday, hour)


def accrual(age_hours: float, tau: float = 8.0) -> float:
    """Fraction of a post's final reactions reached ``age_hours`` after publishing."""
    if age_hours <= 0:
        return 0.0
    return 1.0 - math.exp(-age_hours / tau)


@dataclass(frozen=True)
class Outcome:
    """A post's final (fully accrued) reactions."""

    reach: float
    impressions: float
    likes: float
    comments: float
    shares: float
    saves: float
    clicks: float
    follows: float
    video_views: float


@dataclass(frozen=True)
class ReactionModel:
    """The tunable constants of the simulation (defaults give plausible small-brand numbers)."""

    base_reach_rate: float = 0.22
    base_engagement_rate: float = 0.045
    click_rate: float = 0.011
    follow_rate: float = 0.004
    daily_growth: float = 0.0015
    noise_sigma: float = 0.35
    pillar_sigma: float = 0.3

    def pillar_appeal(self, seed: int, channel: str, pillar: str | None) -> float:
        if not pillar:
            return 1.0
        return math.exp(_rng(seed, "pillar", channel, pillar).gauss(0.0, self.pillar_sigma))

    def outcome(
        self,
        *,
        seed: int,
        post_key: str,
        channel: str,
        followers: float,
        local_time: datetime,
        format: str,
        pillar: str | None,
        has_link: bool,
        media_count: int,
        activity: dict[int, dict[int, float]] | None,
        audience_share: float | None,
    ) -> Outcome:
        reach_mult, er_mult, save_mult = _FORMATS.get(format, (1.0, 1.0, 1.0))
        rng = _rng(seed, "post", post_key)
        noise = math.exp(rng.gauss(0.0, self.noise_sigma))
        er_noise = math.exp(rng.gauss(0.0, self.noise_sigma / 2))
        appeal = self.pillar_appeal(seed, channel, pillar)
        presence = 1.0 if audience_share is None else 0.6 + 0.8 * audience_share
        timing = hour_factor(local_time.weekday(), local_time.hour, activity)
        media = 1.0 + (0.15 if media_count else 0.0)
        reach = (
            followers
            * self.base_reach_rate
            * reach_mult
            * timing
            * noise
            * appeal
            * presence
            * media
        )
        er = self.base_engagement_rate * er_mult * math.sqrt(appeal) * er_noise
        engaged = reach * er
        video = reach * 0.6 if format in ("reel", "video", "short") else 0.0
        return Outcome(
            reach=reach,
            impressions=reach * 1.35,
            likes=engaged * 0.8,
            comments=engaged * 0.07,
            shares=engaged * 0.08,
            saves=engaged * 0.05 * save_mult,
            clicks=reach * self.click_rate * (1.0 if has_link else 0.25),
            follows=reach * self.follow_rate * appeal,
            video_views=video,
        )


_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "it": {
        "genuine": (
            "Che meraviglia!",
            "Buonissimo, lo prendo ogni settimana",
            "Il profumo si sente da via Saragozza",
            "Bravi, continuate così!",
            "Il migliore di Bologna",
            "Che foto stupenda",
        ),
        "question": (
            "A che ora aprite domenica?",
            "Fate anche consegne a domicilio?",
            "È senza lattosio?",
            "Si può prenotare per sabato?",
            "Quanto costa al chilo?",
        ),
        "spam": (
            "Guadagna 500€ al giorno da casa, link in bio!!!",
            "Segui @promo_follower_facili per 10k follower",
            "Vinci un iPhone, clicca qui: bit.ly/regalo-subito",
        ),
        "abusive": (
            "Fate schifo, pane da discount",
            "Siete dei ladri, vergogna",
            "Che gente incapace, chiudete",
        ),
    },
    "en": {
        "genuine": (
            "Looks amazing!",
            "Best bakery in town",
            "Love this, thank you!",
            "So good, I come every week",
            "Beautiful photo",
        ),
        "question": (
            "What time do you open on Sunday?",
            "Do you deliver?",
            "Is it dairy-free?",
            "Can I pre-order for Saturday?",
        ),
        "spam": (
            "Earn $500 a day from home, link in bio!!!",
            "Get 10k followers fast, DM @promo_boost",
            "Win a free iPhone, click here: bit.ly/free-gift",
        ),
        "abusive": (
            "This is garbage, total rip-off",
            "You people are useless, shut it down",
            "Worst shop ever, scammers",
        ),
    },
}
_AUTHORS = (
    "giulia.bo",
    "marco_ferri",
    "ale.rossi",
    "sara.food",
    "lucabianchi",
    "fra_eats",
    "paola.m",
    "tommi_bo",
    "elena.cucina",
    "dario77",
    "anna.b",
    "promo_boost_bot",
)


def comment_plan(
    seed: int, post_id: str, total: int, locale: str | None
) -> list[tuple[float, int, str, str, str]]:
    """The comments a post will receive: ``(hours after publishing, index, kind, author,
    text)``, sorted by time. Comment ``index`` is stable whatever ``total`` is."""
    language = "it" if (locale or "").lower().startswith("it") else "en"
    texts = _TEXTS[language]
    kinds = [k for k, _ in COMMENT_KINDS]
    weights = [w for _, w in COMMENT_KINDS]
    plan = []
    for index in range(total):
        rng = _rng(seed, "comment", post_id, index)
        hours = rng.expovariate(1 / 8.0)
        kind = rng.choices(kinds, weights)[0]
        author = (
            _AUTHORS[-1] if kind == "spam" and rng.random() < 0.5 else rng.choice(_AUTHORS[:-1])
        )
        plan.append((hours, index, kind, author, rng.choice(texts[kind])))
    plan.sort(key=lambda c: c[0])
    return plan


def mention_plan(
    seed: int,
    channel: str,
    per_day: float,
    hours: float,
    locale: str | None,
    stream: str = "mention",
) -> list[tuple[float, int, str, str, str]]:
    """The posts elsewhere that mention a channel in its first ``hours``: ``(hours after the
    channel joined, index, kind, author, text)``, oldest first. Gaps are seeded exponential
    draws (``per_day`` on average); mention ``index`` is stable whatever ``hours`` is.
    ``stream="direct"`` draws the channel's direct messages instead (another seeded stream)."""
    if per_day <= 0 or hours <= 0:
        return []
    language = "it" if (locale or "").lower().startswith("it") else "en"
    texts = _TEXTS[language]
    kinds = [k for k, _ in COMMENT_KINDS]
    weights = [w for _, w in COMMENT_KINDS]
    plan: list[tuple[float, int, str, str, str]] = []
    at = 0.0
    index = 0
    while True:
        rng = _rng(seed, stream, channel, index)
        at += rng.expovariate(per_day / 24.0)
        if at > hours:
            return plan
        kind = rng.choices(kinds, weights)[0]
        author = (
            _AUTHORS[-1] if kind == "spam" and rng.random() < 0.5 else rng.choice(_AUTHORS[:-1])
        )
        plan.append((at, index, kind, author, rng.choice(texts[kind])))
        index += 1


def author_profile(seed: int, author: str) -> tuple[float, int]:
    """A commenter's account, seeded by name: ``(its age in days, followers)``. The spam bot's
    account is days old with a handful of followers; people's are years old."""
    rng = _rng(seed, "author", author)
    if author == _AUTHORS[-1]:
        return 2.0 + rng.random() * 3.0, rng.randint(0, 9)
    return 400.0 + rng.random() * 2500.0, rng.randint(60, 3500)
