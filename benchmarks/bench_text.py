"""Benchmark: validate and adapt 10,000 mixed posts on every platform; or hostile text.

Run: ``.venv/bin/python benchmarks/bench_text.py [--posts N] [--seed S] [--skip-adapt]``

or, for the adversarial families (``--adversarial``, see :mod:`bench_text_adversarial`)::

    .venv/bin/python benchmarks/bench_text.py --adversarial [--family dots] [--function parse_x]

Prints, per platform, posts per second for ``validate`` and for ``adapt``, and how many times
slower ``validate`` is than a naive reference run in the same process (``len(text) <= limit``,
what a careless integration would do, and wrong for X, Bluesky, Threads and Mastodon). Rates
are measured on the process's CPU time (``time.process_time``), so that other work on a busy
machine does not distort them; the wall-clock rate is printed too. The target is validation at
5,000 posts/s or more on every platform. The caches of the text measures are cleared before
each platform, so every platform starts cold.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from smmkit.content import _textapi, adapt, validate
from smmkit.content.rules import RULES
from smmkit.models import Brand, Cadence, Channel, ContentItem, ContentPillar, Platform

_IT_TEXT = (
    "Il panettone di Aurora è tornato: lievito madre, 36 ore di lievitazione e canditi fatti "
    "da noi. Prenotalo in negozio o sul sito, ritiri dal 10 dicembre! Alle 4 del mattino il "
    "forno è già acceso. Marco impasta, Lucia controlla il lievito madre. Passa a trovarci in "
    "via Saragozza: la focaccia esce calda alle otto e mezza. Perché il pane buono ha bisogno "
    "di tempo, di farine locali e di mani pazienti."
)
_EN_TEXT = (
    "Our new jumper is knitted from Shetland wool, spun and dyed a few miles from the studio. "
    "It takes eleven hours by hand. Come and see the collection in Edinburgh this weekend, "
    "or read the story of the yarn on our blog. We mend every piece we make, for life."
)
IT = _IT_TEXT.split()
EN = _EN_TEXT.split()
EMOJI = ["🍞", "🥐", "🎄", "✨", "👍🏽", "🇮🇹", "❤️", "👨‍🍳", "🧶", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"]
TAGS = [
    "#pane",
    "#Natale2026",
    "#Bologna",
    "#lievitomadre",
    "#FornoAurora",
    "#knitting",
    "#SlowFashion",
    "#città",
    "#colazione",
    "#ShetlandWool",
]
MENTIONS = ["@fornoaurora", "@larchandloom", "@chiara_b", "@marco.bsky.social"]
URLS = [
    "https://www.fornoaurora.it/panettone",
    "https://larchandloom.co.uk/jumpers/fair-isle",
    "www.fornoaurora.it/negozio",
    "https://example.com/very/long/path/" + "x" * 60,
]
# Lengths in words: mostly short social posts, some long ones (LinkedIn, Facebook, newsletters).
LENGTHS = [(0.45, (5, 35)), (0.30, (35, 80)), (0.20, (80, 250)), (0.05, (250, 500))]


def mixed_posts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        roll, acc = rng.random(), 0.0
        low, high = LENGTHS[-1][1]
        for share, (a, b) in LENGTHS:
            acc += share
            if roll < acc:
                low, high = a, b
                break
        vocabulary = IT if rng.random() < 0.6 else EN
        words = [rng.choice(vocabulary) for _ in range(rng.randint(low, high))]
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            words.insert(rng.randrange(len(words) + 1), rng.choice(EMOJI))
        for _ in range(rng.choice([0, 1, 2, 3, 5, 8])):
            words.append(rng.choice(TAGS))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(MENTIONS))
        if rng.random() < 0.6:
            words.insert(rng.randrange(len(words) + 1), rng.choice(URLS))
        posts.append(" ".join(words))
    return posts


def _naive_limit(platform: Platform) -> int:
    rules = RULES[platform]
    return rules.text.limit if rules.text is not None else 10**9


def _clear_caches() -> None:
    _textapi.x_parse.cache_clear()
    _textapi.x_weight.cache_clear()
    _textapi._entities.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-adapt", action="store_true")
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="time every text function on hostile text at 10k-80k characters instead",
    )
    args, rest = parser.parse_known_args(argv)
    if args.adversarial:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_text_adversarial import main as adversarial_main

        return adversarial_main(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    posts = mixed_posts(args.posts, args.seed)
    on = date(2026, 11, 26)
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    brand = Brand(
        name="Bench",
        locales=("it-IT",),
        timezone="Europe/Rome",
        pillars=(ContentPillar(key="p", name="P", share=1.0),),
        allow_threads=True,
    )
    items = [ContentItem(id=f"p{i}", text=text) for i, text in enumerate(posts)]
    for platform in Platform:  # warm up: compile the lazily built patterns once
        for text in posts[:50]:
            validate(text, platform, on=on)
    chars = sum(len(p) for p in posts)
    print(
        f"{len(posts):,} mixed posts ({chars / len(posts):.0f} characters on average; "
        f"seed {args.seed}), Python {sys.version.split()[0]}"
    )
    header = (
        f"{'platform':<10} {'validate/s':>11} {'(wall)':>9} {'naive len()/s':>14} "
        f"{'slower':>7} {'violating':>10} {'adapt/s':>9} {'adapted ok':>11}"
    )
    print(header)
    print("-" * len(header))
    worst = float("inf")
    for platform in Platform:
        limit = _naive_limit(platform)
        start = time.process_time()
        for _ in range(10):
            naive_bad = sum(1 for text in posts if len(text) > limit)
        naive_rate = 10 * len(posts) / max(time.process_time() - start, 1e-9)
        del naive_bad
        _clear_caches()
        start, wall = time.process_time(), time.perf_counter()
        violating = sum(1 for text in posts if validate(text, platform, on=on))
        rate = len(posts) / max(time.process_time() - start, 1e-9)
        wall_rate = len(posts) / (time.perf_counter() - wall)
        worst = min(worst, rate)
        adapt_text = "-"
        fits_text = "-"
        if not args.skip_adapt:
            channel = Channel(
                key=platform.value,
                platform=platform,
                handle="bench",
                timezone="Europe/Rome",
                locale="it-IT",
                cadence=Cadence(posts_per_week=7),
            )
            _clear_caches()
            start = time.process_time()
            fits = sum(1 for item in items if adapt(item, channel, brand=brand, now=now).fits)
            adapt_text = f"{len(items) / max(time.process_time() - start, 1e-9):,.0f}"
            fits_text = f"{fits / len(items):.1%}"
        print(
            f"{platform.value:<10} {rate:>11,.0f} {wall_rate:>9,.0f} {naive_rate:>14,.0f} "
            f"{naive_rate / rate:>6,.0f}x {violating:>10,} {adapt_text:>9} {fits_text:>11}",
            flush=True,
        )
    target = 5_000
    verdict = "meets" if worst >= target else "MISSES"
    print(
        f"\nslowest validation: {worst:,.0f} posts per CPU second; {verdict} the target of "
        f"{target:,}/s"
    )
    return 0 if worst >= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
