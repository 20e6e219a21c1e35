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

**inbox**: sync of 10,000+ sandbox messages across four channels into a SQLite workspace
(classified on the way), then an incremental pull (it must be one "since" request per channel)
and a pull after five more hours; messages per second, and the ratio to classifying the same
messages alone in the same process.
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
    """Inbox sync of 10,000+ messages over the four channels of examples/forno_aurora.toml on
    the sandbox (in process, over its HTTP face) into a SQLite workspace: the first sync, then an
    incremental pull right away (it must be one "since" request per channel and bring nothing),
    then one after five more hours. CPU time of this process; the reference is the default
    classifier alone over the same messages, measured here too."""
    import tempfile
    from datetime import UTC, datetime, timedelta

    import httpx

    from smmkit.community import DEFAULT_CLASSIFIER
    from smmkit.models import Channel
    from smmkit.platforms.sandbox import SandboxClient, SandboxNetwork
    from smmkit.workspace import Workspace

    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    network = SandboxNetwork(start=start, mentions_per_day=120)
    requests: list[httpx.Request] = []
    inner = network.transport()

    class Recording(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return inner.handle_request(request)

    def clients(channel: Channel, ws: Workspace) -> SandboxClient:
        if channel.key not in network.channel_keys():
            network.add_channel(channel)
        return SandboxClient(network, channel.key, http_client=httpx.Client(transport=Recording()))

    ok = True
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(f"{folder}/ws.db", clients=clients, clock=network.now)
        ws.import_setup(ROOT / "examples" / "forno_aurora.toml")
        keys = [c.key for c in ws.setup().channels]
        for key in keys:
            ws.client(key)
        for day in range(21):
            for key in keys:
                network.create_post(key, text=f"Post {day}", publish_key=f"{key}-bench-{day:04d}")
            network.advance(timedelta(days=1))
        messages = [m for key in keys for m in network.inbox(key)[0]]
        reference = _cpu(lambda: [DEFAULT_CLASSIFIER.classify(m) for m in messages], 1)

        begin = time.process_time()
        first = ws.sync_inbox(page_size=500)
        first_cpu = time.process_time() - begin
        requests.clear()
        begin = time.process_time()
        second = ws.sync_inbox(page_size=500)
        second_cpu = time.process_time() - begin
        since_only = all(r.url.params.get("since") for r in requests)
        second_requests = len(requests)
        network.advance(timedelta(hours=5))
        requests.clear()
        begin = time.process_time()
        third = ws.sync_inbox(page_size=500)
        third_cpu = time.process_time() - begin
        since_only = since_only and all(r.url.params.get("since") for r in requests)
        ws.close()
    network.close()
    print(
        f"inbox: first sync {first.new:,} messages over {len(keys)} channels in "
        f"{first.requests} requests: {first_cpu:.2f} s CPU, {first.new / first_cpu:,.0f} "
        f"messages/s; classifying them alone {reference:.2f} s "
        f"(sync / classify = {first_cpu / reference:.1f}x)"
    )
    print(
        f"inbox: second pull {second.new} new in {second_requests} requests "
        f"({'all' if since_only else 'NOT all'} 'since'), {second_cpu * 1000:.0f} ms CPU "
        f"({second_cpu / first_cpu:.1%} of the first)"
    )
    print(
        f"inbox: after 5 hours {third.new} new in {third.requests} requests, "
        f"{third_cpu * 1000:.0f} ms CPU"
    )
    if first.new < 10_000:
        print("inbox: FAIL: fewer than 10,000 messages")
        ok = False
    if second.new != 0 or second_requests != len(keys) or not since_only:
        print("inbox: FAIL: the second pull is not one 'since' request per channel")
        ok = False
    return ok


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
