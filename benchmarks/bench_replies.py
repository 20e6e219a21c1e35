"""Benchmark: saved replies and response times stay linear on hostile input.

Run: ``.venv/bin/python benchmarks/bench_replies.py [--size N]``

For each family of adversarial input (templates full of braces, values full of braces and
control characters, texts of unfilled placeholders, many messages for ``response_times``), the
script times the function on an input of ``size`` and of ``10 * size`` and prints the ratio of
the two CPU times (``time.process_time``, the median of 3 runs). A saved reply's text is capped
at 10,000 characters; the benchmark builds longer ones without the cap (``model_construct``) to
show the reading itself is linear. A linear function gives a ratio
near 10 (a quadratic one near 100); the script exits 1 if a ratio exceeds 25. Sizes are counted
in characters (messages for ``response_times``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from smmkit.community import (
    ReplyRefused,
    SavedReply,
    check_reply,
    placeholders_of,
    prepare_reply,
    render_reply,
    response_times,
)
from smmkit.errors import ValidationError
from smmkit.models import Brand, ContentPillar, InboxMessage, Platform

BRAND = Brand(
    name="Forno Aurora",
    locales=("it-IT",),
    timezone="Europe/Rome",
    pillars=(ContentPillar(key="pane", name="Pane", share=1.0),),
)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LIMIT = 25.0


def _cpu(call: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _quiet(call: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        try:
            return call()
        except (ReplyRefused, ValidationError):
            return None

    return run


def _messages(n: int) -> list[InboxMessage]:
    out = []
    for i in range(n):
        out.append(
            InboxMessage(
                channel=f"c{i % 4}",
                platform=Platform.MASTODON,
                message_id=f"m{i}",
                thread_id=f"t{i % 50}",
                in_reply_to=f"m{i - 1}" if i % 3 == 0 and i else None,
                author="a",
                text="x",
                created_at=NOW - timedelta(minutes=(i * 7) % 10_000),
                from_brand=i % 3 == 0,
            )
        )
    return out


def families(size: int) -> dict[str, Callable[[int], Callable[[], object]]]:
    lone = SavedReply(name="v", text="Ciao {name}!")
    return {
        "template: '}' repeated": lambda n: _quiet(lambda: placeholders_of("}" * n)),
        "template: '{' repeated": lambda n: _quiet(lambda: placeholders_of("{" * n)),
        "template: '{{}}' repeated": lambda n: _quiet(lambda: placeholders_of("{{}}" * (n // 4))),
        "template: '{a}' repeated": lambda n: _quiet(
            lambda: render_reply(
                SavedReply.model_construct(name="t", text="{a}" * (n // 3)),
                brand=BRAND,
                values={"a": "x"},
            )
        ),
        "template: 'a}' repeated": lambda n: _quiet(lambda: placeholders_of("a}" * (n // 2))),
        "value: braces and control characters": lambda n: _quiet(
            lambda: prepare_reply(
                lone, brand=BRAND, platform="sandbox", values={"name": "{x}\x00" * (n // 4)}
            )
        ),
        "check: unfilled placeholders": lambda n: _quiet(
            lambda: check_reply("{name} " * (n // 7), brand=BRAND, platform="sandbox")
        ),
        "check: '{' then letters": lambda n: _quiet(
            lambda: check_reply("{" + "a" * n, brand=BRAND, platform="sandbox")
        ),
        "response_times: messages": lambda n: lambda: response_times(_messages(n // 100), now=NOW),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args(argv)
    worst = 0.0
    print(f"{'family':42} {'n s':>9} {'10n s':>9} {'ratio':>7}")
    for name, make in families(args.size).items():
        small = _cpu(make(args.size))
        large = _cpu(make(10 * args.size))
        ratio = large / small if small > 0 else float("nan")
        worst = max(worst, ratio if ratio == ratio else 0.0)
        print(f"{name:42} {small:9.4f} {large:9.4f} {ratio:7.1f}")
    print(f"worst ratio {worst:.1f} (linear: about 10; limit {LIMIT:g})")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
