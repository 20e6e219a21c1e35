"""Synthetic creators with ground truth, for the influencer engine's tests, tuning and demo.

Each generated creator is a :class:`~smmkit.influencers.Creator` (profile, daily follower
history, recent posts, a sample of comments, audience breakdown) and a :class:`CreatorTruth`
saying how it was made:

- ``genuine``: organic growth with daily noise, engagement around its tier's benchmark with
  post-to-post variation; realistic confounders: some are dormant (low engagement), some had a
  post go viral (a real follower jump), some follow many accounts back, some have loyal fans who
  comment on everything, most get a share of "Wow 🔥" comments and a little spam;
- ``bought_followers``: 30-75% of the followers bought, in batches inside the history window
  (in one day or drip-fed over days) or before it, sometimes purged later; some also buy likes
  (which hides the low engagement but makes it regular), some grew by follow/unfollow, some get
  bot comments;
- ``engagement_pod``: real followers but weak organic engagement, topped up by a pod or an
  auto-like service: near-constant likes on every post and the same few accounts leaving generic
  comments.

Deterministic for a ``seed``: creator ``i`` depends only on ``(seed, i)``.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.influencers import (
    TIER_ENGAGEMENT_BENCHMARKS,
    AudienceBreakdown,
    Creator,
    CreatorComment,
    CreatorPost,
)
from smmkit.models import AgeBand, Platform, ValueModel, classify_tier

__all__ = ["CREATOR_KINDS", "CreatorTruth", "SandboxCreator", "generate_creators"]

CREATOR_KINDS: tuple[str, ...] = ("genuine", "bought_followers", "engagement_pod")


class CreatorTruth(ValueModel):
    """How a sandbox creator was made (the label authenticity scoring is measured against)."""

    kind: str
    fake_follower_share: float = Field(default=0.0, ge=0, le=1)
    traits: tuple[str, ...] = ()

    @property
    def inauthentic(self) -> bool:
        return self.kind != "genuine"


class SandboxCreator(ValueModel):
    creator: Creator
    truth: CreatorTruth


_NICHES: dict[str, dict[str, tuple[str, ...]]] = {
    "food": {
        "it": ("pane", "focaccia", "ragù", "tiramisù", "risotto", "panettone", "tortellini"),
        "en": ("sourdough", "brunch", "pasta", "pastry", "ramen", "pancakes", "cookies"),
        "topics": ("food", "cucina", "ricette", "pane", "pasticceria", "brunch", "colazione"),
    },
    "travel": {
        "it": ("Dolomiti", "Sicilia", "treno", "ostello", "borgo", "volo"),
        "en": ("Lisbon", "hostel", "road trip", "flight", "island", "hike"),
        "topics": ("viaggi", "travel", "montagna", "weekend", "borghi"),
    },
    "fashion": {
        "it": ("giacca", "borsa", "vintage", "outfit", "sneakers", "cappotto"),
        "en": ("jacket", "bag", "vintage", "outfit", "sneakers", "coat"),
        "topics": ("moda", "fashion", "outfit", "vintage", "style"),
    },
    "fitness": {
        "it": ("allenamento", "corsa", "yoga", "squat", "maratona", "stretching"),
        "en": ("workout", "running", "yoga", "squats", "marathon", "stretching"),
        "topics": ("fitness", "sport", "corsa", "yoga", "benessere"),
    },
    "parenting": {
        "it": ("scuola", "merenda", "pannolini", "nanna", "compiti", "asilo"),
        "en": ("school", "snacks", "bedtime", "homework", "nursery", "toddler"),
        "topics": ("famiglia", "parenting", "bambini", "mamma", "scuola"),
    },
    "tech": {
        "it": ("smartphone", "cuffie", "laptop", "app", "tastiera", "router"),
        "en": ("phone", "headphones", "laptop", "app", "keyboard", "router"),
        "topics": ("tech", "tecnologia", "gadget", "recensioni"),
    },
    "gambling": {
        "it": ("schedina", "quota", "scommessa", "casinò", "bonus", "slot"),
        "en": ("bet", "odds", "casino", "slots", "bonus", "parlay"),
        "topics": ("scommesse", "betting", "casino", "gambling"),
    },
}
_NICHE_WEIGHTS = {
    "food": 0.28,
    "travel": 0.16,
    "fashion": 0.18,
    "fitness": 0.14,
    "parenting": 0.1,
    "tech": 0.11,
    "gambling": 0.03,
}

_SPECIFIC: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "it": (
        ("", "Ciao! ", "Che meraviglia, ", "Ok ", "Ahah ", "Troppo vero: ", "Domanda: ", "Oddio "),
        (
            "dove hai preso {x}?",
            "ho provato {x} ieri sera ed è andata benissimo",
            "quanto tempo ci vuole per {x}?",
            "{x} me lo ricordo da piccola",
            "domani provo anche io {x}",
            "mi consigli qualcosa di simile a {x}?",
            "finalmente qualcuno che parla di {x} seriamente",
            "{x} a Bologna è un'altra cosa",
            "il mio {x} non viene mai così",
            "salvato per il weekend, {x} sembra perfetto",
        ),
        ("", "!", " 😊", "?", " grazie!", " 👏", "!!", " 😂"),
    ),
    "en": (
        ("", "Hi! ", "Honestly ", "Ok ", "Haha ", "So true: ", "Question: ", "Omg "),
        (
            "where did you get the {x}?",
            "tried the {x} last night and it worked",
            "how long does the {x} take?",
            "the {x} reminds me of my childhood",
            "trying the {x} tomorrow",
            "any tips for something like the {x}?",
            "finally someone talking about {x} properly",
            "my {x} never looks like this",
            "saving this for the weekend, the {x} looks perfect",
            "is the {x} worth it in winter?",
        ),
        ("", "!", " 😊", "?", " thanks!", " 👏", "!!", " 😂"),
    ),
}
_GENERIC: dict[str, tuple[str, ...]] = {
    "it": (
        "Bellissimo! 😍",
        "Wow 🔥",
        "Top!",
        "Che bello!",
        "Stupenda ❤️",
        "😍😍😍",
        "🔥🔥",
        "Bravissima!",
        "Complimenti 👏",
        "Spettacolo",
    ),
    "en": (
        "Love this! 😍",
        "Wow 🔥",
        "Amazing!",
        "Nice pic",
        "Great content 🙌",
        "😍😍😍",
        "🔥🔥",
        "So beautiful",
        "Awesome post!",
        "Stunning ❤️",
    ),
}
_SPAM = ("Check my profile for 💰", "DM us to collab!", "Promote it on @growfast_pro")
_FIRST = ("giulia", "marco", "sara", "luca", "anna", "paolo", "emma", "leo", "sofia", "tom", "mia")
_LAST = ("rossi", "bianchi", "ferri", "smith", "jones", "conti", "greco", "ward", "lee", "costa")
_FAR_COUNTRIES = ("BR", "IN", "ID", "TR", "NG", "EG", "PK")
_ABROAD = ("DE", "FR", "ES", "BR", "IN", "NL", "AR")
_CITIES = ("Bologna", "Milano", "Roma", "Napoli", "Torino", "Firenze")


def _author(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randrange(10_000)}"


def _lognormal(rng: random.Random, sigma: float) -> float:
    """Mean-one log-normal noise."""
    return math.exp(rng.gauss(0.0, sigma) - sigma * sigma / 2)


def _one(
    seed: int,
    i: int,
    *,
    share: float,
    end: datetime,
    days: int,
    n_posts: int,
    n_comments: int,
    platform: str,
) -> SandboxCreator:
    rng = random.Random(f"smmkit-creators:{seed}:{i}")
    u = rng.random()
    kind = (
        "genuine"
        if u >= share
        else ("bought_followers" if rng.random() < 0.6 else "engagement_pod")
    )
    traits: list[str] = []
    language = "it" if rng.random() < 0.65 else "en"
    country = "IT" if language == "it" else rng.choice(("GB", "US", "IE"))
    niche = rng.choices(list(_NICHE_WEIGHTS), list(_NICHE_WEIGHTS.values()))[0]
    nouns = _NICHES[niche][language]
    real_end = math.exp(rng.uniform(math.log(1_500), math.log(2_000_000)))
    tier = classify_tier(int(real_end))
    benchmark = TIER_ENGAGEMENT_BENCHMARKS[tier]

    # Organic engagement rate of the real audience.
    er_real = benchmark * _lognormal(rng, 0.4)
    if kind == "genuine" and rng.random() < 0.12:
        er_real *= rng.uniform(0.35, 0.6)
        traits.append("dormant")
    if kind == "engagement_pod":
        er_real *= rng.uniform(0.15, 0.45)

    # Organic daily growth and the real follower curve (before purchases).
    growth = rng.gauss(0.0015, 0.001)
    start_real = real_end / math.pow(1 + growth, days)
    real = [start_real * math.pow(1 + growth, d) for d in range(days)]
    gains = [0.0] * days
    for d in range(1, days):
        gains[d] = real[d] - real[d - 1] + rng.gauss(0, max(1.0, 0.0012 * real[d]))

    # Posts: days and hours, engagement with post-to-post variation.
    sigma = rng.uniform(0.4, 0.8)
    post_days = sorted(
        min(days - 1, max(0, int((k + rng.uniform(0.0, 0.9)) * days / n_posts)))
        for k in range(n_posts)
    )
    organic = [real_end * er_real * _lognormal(rng, sigma) for _ in post_days]
    viral_index = -1
    if kind != "engagement_pod" and rng.random() < (0.16 if kind == "genuine" else 0.08):
        viral_index = rng.randrange(n_posts)
        organic[viral_index] = real_end * er_real * rng.uniform(4.0, 10.0)
        traits.append("viral")
        day = post_days[viral_index]
        extra = real_end * rng.uniform(0.04, 0.18)
        for offset, part in ((0, 0.55), (1, 0.3), (2, 0.15)):
            if day + offset < days:
                gains[day + offset] += extra * part
    for day, e in zip(post_days, organic, strict=True):
        gains[day] += e * rng.uniform(0.005, 0.02)

    fake_share = 0.0
    bought: list[float] = [0.0] * days
    fake_total = 0.0
    if kind == "bought_followers":
        fake_share = rng.uniform(0.3, 0.75)
        fake_total = real_end * fake_share / (1 - fake_share)
        if rng.random() < 0.65:
            batches = rng.choice((1, 1, 2))
            remaining = fake_total
            for b in range(batches):
                amount = remaining if b == batches - 1 else remaining * rng.uniform(0.3, 0.7)
                remaining -= amount
                day = rng.randrange(3, days - 2)
                spread = 1 if rng.random() < 0.55 else rng.randint(3, 7)
                if spread > 1:
                    traits.append("drip_fed")
                for k in range(spread):
                    if day + k < days:
                        bought[day + k] += amount / spread
            traits.append("bought_in_window")
        else:
            bought[0] = fake_total
            traits.append("bought_before_window")
        if rng.random() < 0.3:
            day = rng.randrange(days // 2, days)
            bought[day] -= fake_total * rng.uniform(0.02, 0.08)
            traits.append("purged")

    # The observed follower history.
    history: list[int] = []
    level = start_real + (bought[0] if bought[0] > 0 else 0.0)
    for d in range(days):
        if d > 0:
            level += gains[d] + bought[d]
        history.append(max(0, round(level)))
    followers = history[-1]

    # Likes: organic, plus bought likes or pod engagement.
    extra_likes = 0.0
    if kind == "bought_followers" and rng.random() < 0.35:
        extra_likes = followers * benchmark * rng.uniform(0.5, 1.0)
        traits.append("bought_likes")
    if kind == "engagement_pod":
        extra_likes = followers * benchmark * rng.uniform(0.8, 1.4)
    comment_share = rng.uniform(0.01, 0.05)
    posts: list[CreatorPost] = []
    pod = [_author(rng) for _ in range(rng.randint(12, 40))] if kind == "engagement_pod" else []
    pod_comments = rng.randint(8, 20) if pod else 0
    for k, (day, e) in enumerate(zip(post_days, organic, strict=True)):
        boosted = extra_likes * rng.uniform(0.94, 1.06)
        likes = max(0, round(e * (1 - comment_share) + boosted))
        comments = max(0, round(e * comment_share)) + pod_comments
        published = end - timedelta(days=days - 1 - day, hours=rng.uniform(0.5, 11.5))
        text = f"{rng.choice(nouns)} #{niche}"
        posts.append(
            CreatorPost(
                post_id=f"p{k}",
                published_at=published,
                likes=likes,
                comments=comments,
                format=rng.choice(("post", "reel", "carousel")),
                text=text,
            )
        )

    # A sample of recent comments.
    sample: list[CreatorComment] = []
    openers, bodies, closers = _SPECIFIC[language]
    generic_rate = rng.uniform(0.08, 0.35)
    loyal = [_author(rng) for _ in range(rng.randint(2, 4))] if rng.random() < 0.3 else []
    bots = (
        [_author(rng) for _ in range(rng.randint(4, 10))]
        if kind == "bought_followers" and rng.random() < 0.4
        else []
    )
    if bots:
        traits.append("bot_comments")
    if loyal:
        traits.append("loyal_fans")
    pod_rate = 0.0
    if pod:
        total_organic = sum(max(0.0, e * comment_share) for e in organic)
        pod_rate = pod_comments * n_posts / max(pod_comments * n_posts + total_organic, 1.0)
    for _ in range(n_comments):
        r = rng.random()
        if pod and r < pod_rate:
            text = (
                rng.choice(_GENERIC[language])
                if rng.random() < 0.75
                else (f"{rng.choice(openers)}{rng.choice(bodies).format(x=rng.choice(nouns))}")
            )
            sample.append(CreatorComment(text=text, author=rng.choice(pod)))
            continue
        if bots and rng.random() < 0.45:
            sample.append(
                CreatorComment(text=rng.choice(_GENERIC[language]), author=rng.choice(bots))
            )
            continue
        author = rng.choice(loyal) if loyal and rng.random() < 0.18 else _author(rng)
        if rng.random() < 0.04:
            sample.append(
                CreatorComment(text=rng.choice(_SPAM), author=f"growth_{rng.randrange(99)}")
            )
        elif rng.random() < generic_rate:
            sample.append(CreatorComment(text=rng.choice(_GENERIC[language]), author=author))
        else:
            body = rng.choice(bodies).format(x=rng.choice(nouns))
            sample.append(
                CreatorComment(
                    text=f"{rng.choice(openers)}{body}{rng.choice(closers)}", author=author
                )
            )

    # Following.
    if kind == "bought_followers" and rng.random() < 0.45:
        following = rng.randint(1_500, 7_500)
        traits.append("follow_unfollow")
    elif real_end < 50_000 and rng.random() < 0.2:
        following = min(7_500, int(real_end * rng.uniform(0.5, 1.3)))
        traits.append("follows_back")
    else:
        following = min(7_500, int(400 * _lognormal(rng, 0.8)))

    # Audience: the real followers' countries, and bought ones from far away.
    own = rng.uniform(0.55, 0.9)
    real_part = 1.0 - (fake_total / max(followers, 1) if kind == "bought_followers" else 0.0)
    real_part = min(max(real_part, 0.0), 1.0)
    countries = {country: own * real_part}
    neighbour = "CH" if country == "IT" else "US" if country != "US" else "CA"
    countries[neighbour] = (1 - own) * 0.5 * real_part
    if rng.random() < 0.3:
        # Travel, fashion and English-speaking creators draw audiences from abroad too.
        abroad = (1 - own) * 0.5 * real_part * rng.uniform(0.3, 1.0)
        for code, part in zip(rng.sample(_ABROAD, 2), (0.6, 0.4), strict=True):
            countries[code] = countries.get(code, 0.0) + abroad * part
        traits.append("audience_abroad")
    if real_part < 1.0 and rng.random() < 0.3:
        # A pricier service: followers that look local.
        countries[country] += 1 - real_part
        traits.append("local_bots")
    elif real_part < 1.0:
        far = rng.sample(_FAR_COUNTRIES, 3)
        for code, part in zip(far, (0.5, 0.3, 0.2), strict=True):
            countries[code] = countries.get(code, 0.0) + (1 - real_part) * part
    city = rng.choice(_CITIES) if country == "IT" else None
    cities = {city: round(rng.uniform(0.1, 0.35) * real_part, 4)} if city else {}
    bands = list(AgeBand)[1:5]
    weights = [rng.random() + 0.2 for _ in bands]
    total_w = sum(weights)
    ages = {b: round(w / total_w * 0.9, 4) for b, w in zip(bands, weights, strict=True)}
    audience = AudienceBreakdown(
        countries={k: math.floor(v * 10_000) / 10_000 for k, v in countries.items()},
        cities=cities,
        age_bands=ages,
        languages={language: round(own * real_part, 4)},
    )
    creator = Creator(
        handle=f"{rng.choice(_FIRST)}_{niche}_{i}",
        platform=Platform(platform),
        name=None,
        followers=followers,
        following=following,
        follower_history=tuple(history),
        measured_at=end,
        posts=tuple(posts),
        comments=tuple(sample),
        audience=audience,
        topics=_NICHES[niche]["topics"][:4],
        bio=f"{niche} · {city or country}",
        country=country,
        city=city,
        language=language,
        avg_monthly_views=int(followers * rng.uniform(0.8, 4.0)),
    )
    truth = CreatorTruth(
        kind=kind, fake_follower_share=round(fake_share, 4), traits=tuple(dict.fromkeys(traits))
    )
    return SandboxCreator(creator=creator, truth=truth)


def generate_creators(
    n: int = 200,
    *,
    seed: int = 7,
    inauthentic_share: float = 0.3,
    end: datetime | None = None,
    days: int = 60,
    posts: int = 12,
    comments: int = 24,
    platform: str = "instagram",
) -> list[SandboxCreator]:
    """``n`` synthetic creators with their ground truth (see the module docstring).

    ``inauthentic_share`` of them (in expectation) bought followers or sit in an engagement pod.
    Each has ``days`` of daily follower history ending at ``end``, ``posts`` recent posts and a
    sample of ``comments`` comments.
    """
    if n < 0 or n > 1_000_000:
        raise ValidationError("n", n, "must be between 0 and 1,000,000")
    if not 0.0 <= inauthentic_share <= 1.0:
        raise ValidationError("inauthentic_share", inauthentic_share, "must be in [0, 1]")
    if days < 14 or posts < 2 or comments < 0:
        raise ValidationError(
            "days/posts/comments", (days, posts, comments), "need days >= 14, posts >= 2"
        )
    moment = end or datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    if moment.tzinfo is None:
        raise ValidationError("end", moment.isoformat(), "must be timezone-aware")
    return [
        _one(
            seed,
            i,
            share=inauthentic_share,
            end=moment,
            days=days,
            n_posts=posts,
            n_comments=comments,
            platform=platform,
        )
        for i in range(n)
    ]
