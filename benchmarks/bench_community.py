"""Community benchmarks: classification throughput and linearity on hostile text.

    .venv/bin/python benchmarks/bench_community.py                 # every section
    .venv/bin/python benchmarks/bench_community.py --section classify
    .venv/bin/python benchmarks/bench_community.py --section linear

**classify**: the default classifier over realistic messages (the labelled set of
tests/community/data/ and the sandbox's comments, repeated to ``--messages``), once as they are
(words repeat across messages, as in a real inbox) and once with every message made unique.
Prints messages per second and the ratio to a reference loop in the same process
(``text.lower().split()`` over the same texts), so that a busy machine moves both. The goal is
5,000 messages/s or more.

**linear**: adversarial messages of 10k, 20k, 40k and 80k characters (runs of one letter,
masked insults, emoji, links, mentions, spaced letters, repeated phrases): time per character
at each size, the worst ratio between consecutive sizes (about 2.0 when linear; shown, not
judged, as a busy machine moves it by 20%) and the time per character at 80k over that at 10k
(linear is 1.0, quadratic 8.0; it must be at most 1.6). Each
size reads 80k characters per round (8 calls at 10k, 1 at 80k).

Times are CPU time of this process (``time.process_time``), the least of ``--repeat`` rounds,
with the garbage collector paused. Exit status 1 when a goal is missed.

**inbox**: a place for the inbox sync benchmark (``--section inbox``), to be filled in by the
inbox's owner: sync of 10,000 messages across four channels, then an incremental pull.
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from smmkit.community import classify
from smmkit.platforms.sandbox._sim import _TEXTS

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "community" / "data" / "labelled_messages.tsv"
GOAL_PER_SECOND = 5_000
MAX_GROWTH = 1.6


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        try:
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def realistic_texts() -> list[str]:
    texts: list[str] = []
    if LABELLED.exists():
        with LABELLED.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            texts.extend(row["text"] for row in reader)
    for by_label in _TEXTS.values():
        for group in by_label.values():
            texts.extend(group)
    return texts


def bench_classify(messages: int, repeat: int) -> bool:
    base = realistic_texts()
    corpus = [base[i % len(base)] for i in range(messages)]
    unique = [f"{text} ({i})" for i, text in enumerate(corpus)]
    ok = True
    print(f"classify: {messages:,} realistic messages ({len(base)} distinct texts)")
    for name, texts in (("as written", corpus), ("all unique", unique)):

        def run(texts: Sequence[str] = texts) -> None:
            for text in texts:
                classify(text)

        def reference(texts: Sequence[str] = texts) -> None:
            for text in texts:
                text.lower().split()

        seconds = _cpu(run, repeat)
        ref = _cpu(reference, repeat)
        rate = len(texts) / seconds if seconds else float("inf")
        ratio = seconds / ref if ref else float("inf")
        flag = "" if rate >= GOAL_PER_SECOND else f"  << below {GOAL_PER_SECOND:,}/s"
        ok = ok and rate >= GOAL_PER_SECOND
        print(
            f"  {name:11} {rate:10,.0f} messages/s   {seconds / len(texts) * 1e6:7.1f} us/message"
            f"   {ratio:6.1f}x the lower()+split() loop{flag}"
        )
    return ok


FAMILIES: dict[str, str] = {
    "one letter": "a",
    "words": "buonissimo ma freddo quanto costa ",
    "masked insult": "st*onzo ",
    "masks only": "*@#$",
    "leet": "1d10t4 ",
    "emoji": "😍👏🖕",
    "links": "bit.ly/abc ",
    "dots": "a.",
    "mentions": "@promo_boost ",
    "spaced letters": "i d i o t ",
    "repeated letters": "noooooooooo",
    "question marks": "?",
    "apostrophes": "l'l'don't ",
    "digits and units": "40 minuti ",
    "invisible": "a\u200b",
}
SIZES = (10_000, 20_000, 40_000, 80_000)


def bench_linear(repeat: int) -> bool:
    ok = True
    header = "".join(f"{size // 1000:>8}k" for size in SIZES)
    print(f"linear: time per character (ns) at each size; worst doubling ratio\n{'':18}{header}")
    for name, unit in FAMILIES.items():
        per_char: list[float] = []
        times: list[float] = []
        for size in SIZES:
            text = (unit * (size // len(unit) + 1))[:size]
            calls = SIZES[-1] // size  # every round reads the same number of characters

            def run(text: str = text, calls: int = calls) -> None:
                for _ in range(calls):
                    classify(text)

            seconds = _cpu(run, repeat) / calls
            times.append(seconds)
            per_char.append(seconds / size * 1e9)
        worst = max(
            (later / earlier if earlier else 1.0) for earlier, later in itertools.pairwise(times)
        )
        growth = per_char[-1] / per_char[0] if per_char[0] else 1.0
        bad = growth > MAX_GROWTH
        flag = f"  << over {MAX_GROWTH}x per character" if bad else ""
        ok = ok and not bad
        cells = "".join(f"{value:9.0f}" for value in per_char)
        print(f"  {name:16}{cells}   x{worst:.2f}  80k/10k per char x{growth:.2f}{flag}")
    return ok


def bench_inbox() -> bool:
    # -- inbox sync: to be added by the inbox's owner (10,000 messages, four channels, then an
    #    incremental pull that makes only "since" requests). Keep it in this function.
    print("inbox: not measured yet")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=("classify", "linear", "inbox", "all"), default="all")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ok = True
    if args.section in ("classify", "all"):
        ok = bench_classify(args.messages, args.repeat) and ok
    if args.section in ("linear", "all"):
        ok = bench_linear(args.repeat) and ok
    if args.section in ("inbox", "all"):
        ok = bench_inbox() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
