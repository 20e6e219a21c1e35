"""Moderation rules benchmark: throughput and linearity of ``evaluate`` on hostile text.

    .venv/bin/python benchmarks/bench_moderation.py

**throughput**: ``evaluate`` with the default rules plus a keyword rule (40 keywords with
Italian inflection, a prefix, a phrase) over the labelled set's messages (classified once,
beforehand: classification has its own benchmark), repeated to ``--messages``. Prints messages
per second and the ratio to a reference loop in the same process (``text.lower().split()``).

**linear**: adversarial messages of 10k, 20k, 40k and 80k characters (one long word, words
that almost inflect a keyword, dense dots and slashes around link-like runs, accents to fold,
emoji): CPU time per character at each size and at 80k over 10k (linear is 1.0, quadratic 8.0;
it must be at most 1.6). Each size reads 80k characters per round.

Times are CPU time (``time.process_time``), the least of ``--repeat`` rounds, with the garbage
collector paused. Exit status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from smmkit.community import (
    DEFAULT_RULES,
    ModerationContext,
    ModerationPolicy,
    ModerationRule,
    classify,
    evaluate,
)
from smmkit.models import InboxMessage, Platform

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "community" / "data" / "labelled_messages.tsv"
MAX_GROWTH = 1.6
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEYWORDS = [
    "truffa", "ladro", "schifo", "vergogna", "rimborso", "scam", "refund", "fraud", "pacco",
    "ordine", "consegna", "ritardo", "crudo", "bruciato", "freddo", "sporco", "maleducato",
    "cameriere", "prenotazione", "tavolo", "allergia", "glutine", "lattosio", "prezzo", "costo",
    "sconto", "offerta", "regalo", "vinci", "guadagna", "follower", "bitcoin", "crypto",
    "investimento", "profilo", "link in bio", "clicca qui", "truff*", "spedizione", "reso",
]  # fmt: skip


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
        gc.enable()
    return best


def _policy() -> ModerationPolicy:
    keyword = ModerationRule.model_validate(
        {"name": "keywords", "when": {"keywords": KEYWORDS}, "actions": ["notify"]}
    )
    return ModerationPolicy(rules=(*DEFAULT_RULES, keyword))


def _message(n: int, text: str) -> InboxMessage:
    return InboxMessage(
        channel="ig",
        platform=Platform.INSTAGRAM,
        message_id=f"m{n}",
        thread_id="p1",
        author=f"a{n % 97}",
        text=text,
        created_at=AT,
    )


def throughput(messages: int, repeat: int) -> bool:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        texts = [r["text"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    texts = (texts * (messages // len(texts) + 1))[:messages]
    batch = [_message(n, t) for n, t in enumerate(texts)]
    verdicts = [classify(t) for t in texts]
    policy = _policy()
    context = ModerationContext.from_messages(batch)

    def run() -> None:
        for message, verdict in zip(batch, verdicts, strict=True):
            evaluate(message, verdict, policy=policy, context=context)

    def reference() -> None:
        for text in texts:
            text.lower().split()

    took = _cpu(run, repeat)
    ref = _cpu(reference, repeat)
    print(
        f"throughput: {messages / took:,.0f} messages/s with {len(policy.rules)} rules "
        f"({took / max(ref, 1e-9):.0f}x the reference loop)"
    )
    return True


def _hostile(size: int) -> dict[str, str]:
    return {
        "one long word": "a" * size,
        "near inflections": ("truffatorissimi truffaldi pacchiani " * size)[:size],
        "dots and slashes": ("a.b/c.d/" * size)[:size],
        "link-like runs": ("bit.ly/x" + "." * 7 + "com/" * 3 + " ") * (size // 28),
        "accents to fold": ("perché è già così ù " * size)[:size],
        "emoji": ("🔥👍🏽 " * size)[:size],
    }


def linear(repeat: int) -> bool:
    policy = _policy()
    verdict = classify("Che meraviglia")
    sizes = (10_000, 20_000, 40_000, 80_000)
    ok = True
    for name in _hostile(10):
        per_char = []
        for size in sizes:
            message = _message(0, _hostile(size)[name])
            rounds = sizes[-1] // size

            def run(m: InboxMessage = message, k: int = rounds) -> None:
                for _ in range(k):
                    evaluate(m, verdict, policy=policy)

            per_char.append(_cpu(run, repeat) / sizes[-1])
        growth = per_char[-1] / per_char[0]
        ok = ok and growth <= MAX_GROWTH
        times = ", ".join(f"{t * 1e9:.0f}" for t in per_char)
        print(f"linear: {name:18} ns/char {times}; 80k/10k {growth:.2f} (max {MAX_GROWTH})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ok = throughput(args.messages, args.repeat)
    ok = linear(args.repeat) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
