"""Every public text function on hostile text: time per call at 10k, 20k, 40k and 80k characters.

Run through ``bench_text.py``::

    .venv/bin/python benchmarks/bench_text.py --adversarial
    .venv/bin/python benchmarks/bench_text.py --adversarial --family dots --function validate

For each adversarial family (a unit repeated to the size: dots, newlines, ``[a](``, long URLs,
emoji and regional indicators, runs of mentions and hashtags, nested Markdown...) and each
function (``smmkit.text``, ``validate`` and ``adapt`` on every platform, ``lint_voice``, the
long-form helpers), it prints the time per call at each size and the worst ratio between two
consecutive sizes. A doubling must cost at most 2.2x (linear time, with room for noise) and a
call on 80k characters at most 0.5 s; anything else is flagged and the exit status is 1. A row
over 2.2x is measured a second time (the least of the two rounds is kept); if it is still over,
the function is timed at 80k and 160k: when that doubling costs 2.2x or less again, the jump was
a step, not growth (a platform limit crossed, a longer path taken past it), and the row says so;
steps are counted apart from flags (they are still doublings over 2.2x).

Each family is timed in a new Python process, and each row in a fork of it
(``--in-process`` times every row in this one process). The process first gives both memory
allocators memory to spare (:func:`warm_heap`; ``--cold-heap`` leaves their default policy):
CPython gives an empty 1 MiB arena back to the kernel at once and glibc trims its heap, so a call
whose peak memory passes what the process holds free is handed fresh zeroed pages by the
kernel on every call; that cost begins at one size and is linear after it, a step that says
where the free memory ended, not how the function grows (``adapt`` on X of 80k Hangul
jamo: 4,188 page faults per call, none at 40k). A long-running
application (a service, a worker) holds such memory after its first large calls; a fresh
process does not. Then each row is timed in a fork: it starts from the same heap as every other
row, not from the blocks and holes the rows before it left (``render_html`` on 80k ``!`` took
182 ms late in a run of every family and 111 ms alone). A row over 2.2x is timed again after
all the other rows, up to ``EXTRA_ROUNDS`` more times, each in a new process, and each size
keeps its least time over the measurements (each is an estimate from above of the same cost;
the load of other guests of a shared host comes and goes). A busy machine makes every ratio
dearer: on this machine's 2 virtual cores, a second busy process slows a call by up to 2x, so
judge a run made with nothing else running (``uptime`` below 0.5).

How a row is timed. Times are CPU time of this process (``time.process_time``, so that time
given to other processes on a busy machine does not count), with the garbage collector paused
as ``timeit`` pauses it. The caches of the text measures (the ``functools.lru_cache`` memos of
``smmkit.content`` and the URL windows of ``smmkit.text``) are cleared before every call, so a
repeated call is never answered from a cache. First one call per size (a call slower than
``--give-up`` seconds stops that function's larger sizes; it is flagged). A row whose calls all
take less than the noise floor (0.5 ms, where no ratio is judged) keeps the least of a few calls
per size. Any other row is timed again precisely (:func:`precise_times`): a call of a few
milliseconds timed once swings with the scheduler and the caches of a shared CPU by far more
than 10%, so each size is timed as a batch of calls (at least ``BATCH_SECONDS`` of CPU), the
four sizes in interleaved rounds (up, down, up...: a burst of load falls on every size alike),
the same number of rounds for every size (a least value over more samples is lower and would
bias a ratio), until each size has had ``CELL_SECONDS`` of CPU (``MIN_ROUNDS`` to
``MAX_ROUNDS`` rounds); a size's time per call is its least batch average. The thresholds
(2.2x, 0.5 s), the families, the sizes and the functions are the criterion; only the precision
of the measurement is tuned here.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import gc
import itertools
import json
import math
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from smmkit import text as tx
from smmkit.content import (
    _fold,
    _textapi,
    adapt,
    check_newsletter,
    check_seo,
    escape_linkedin,
    excerpt_for,
    lint_voice,
    plain_text,
    reading_time,
    render_html,
    render_markdown,
    validate,
)
from smmkit.errors import SmmkitError
from smmkit.models import (
    BlogPost,
    Brand,
    Cadence,
    Channel,
    ContentItem,
    ContentPillar,
    GrammaticalPerson,
    Newsletter,
    Platform,
    Register,
    Section,
    VoiceProfile,
)
from smmkit.text import _extract

SIZES = (10_000, 20_000, 40_000, 80_000)
MAX_RATIO = 2.2
MAX_SECONDS_80K = 0.5
# Below this, a ratio is timer and interpreter noise, or a fast path that stops applying (a
# quadratic function is far slower than this on 10k characters): a ratio is judged only where
# both of its times exceed it.
NOISE_FLOOR = 0.0005
# Precision of a row's times (see precise_times): batches of at least BATCH_SECONDS of CPU,
# interleaved rounds until each size has had CELL_SECONDS, between MIN_ROUNDS and MAX_ROUNDS.
BATCH_SECONDS = 0.01
CELL_SECONDS = 0.05
MIN_ROUNDS = 3
MAX_ROUNDS = 20

# The memory each allocator is given to spare before a family is timed (see warm_heap), and
# glibc's mallopt parameters.
HEAP_MEGABYTES = 128
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_PINNED: list[bytes] = []

# How many more times a row over MAX_RATIO is timed, each in a new process (see main).
EXTRA_ROUNDS = 3

# name -> the unit repeated to the size (or a function of the size).
FAMILIES: dict[str, str | Callable[[int], str]] = {
    "dots": "a.",
    "newlines": "\n",
    "crlf": "\r\n",
    "md_link_open": "[a](",
    "md_image_open": "![a](",
    "md_nested": "*_[`",
    "md_emphasis": "**a",
    "md_brackets": "[",
    "md_headings": "# a\n",
    "html_tags": "<script>",
    "html_open": "<a",
    "long_url": lambda n: "https://example.com/" + "a" * (n - 20),
    "long_url_dots": lambda n: "http://" + "a." * ((n - 7) // 2),
    "long_url_parens": lambda n: "https://example.com/" + "(a" * ((n - 20) // 2),
    "url_runs": "https://a.co/b ",
    "bare_domains": "x.it/",
    "domain_chain": "ab-c_d.",
    "tco_runs": "t.co/",
    "scheme_runs": "http://",
    "punycode": "xn--a.",
    "fullwidth_dots": "a．",
    "emoji": "👍🏽",
    "regional_indicators": "🇮",
    "zwj_chain": "👨\u200d",
    "combining_marks": lambda n: "a" + "\u0301" * (n - 1),
    "hangul_jamo": "\u1100\u1161",
    "mentions": "@a",
    "mention_words": "@forno ",
    "hashtags": "#a",
    "hash_signs": "#",
    "cashtags": "$ab ",
    "parens": "(",
    "bangs": "!",
    "capitals": "ABCD ",
    "italian_register": "Gentile cliente, Le invieremo il pacco e ha ricevuto, prenota ",
    "letters": "a",
}


def make_text(family: str, size: int) -> str:
    unit = FAMILIES[family]
    if callable(unit):
        return unit(size)
    return (unit * (size // len(unit) + 1))[:size]


def _channel(platform: Platform) -> Channel:
    return Channel(
        key=platform.value,
        platform=platform,
        handle="bench",
        timezone="Europe/Rome",
        locale="it-IT",
        cadence=Cadence(posts_per_week=7),
    )


_BRAND = Brand(
    name="Bench",
    locales=("it-IT",),
    timezone="Europe/Rome",
    pillars=(ContentPillar(key="p", name="P", share=1.0),),
    allow_threads=True,
)
_NOW = datetime(2026, 11, 26, 9, tzinfo=UTC)
_ON = date(2026, 11, 26)
_TU = VoiceProfile(address={"it": GrammaticalPerson.TU}, banned_terms=("offerta",))
_LEI = VoiceProfile(address={"it": GrammaticalPerson.LEI})
_EN = VoiceProfile(register=Register.FORMAL)


def _post(text: str) -> BlogPost:
    return BlogPost(title="Hostile", slug="hostile", sections=(Section(heading="H", body=text),))


def _titled(text: str) -> BlogPost:
    return BlogPost(
        title=text or "x", slug="hostile", sections=(Section(heading=text, body="Corpo."),)
    )


def _newsletter(text: str) -> Newsletter:
    return Newsletter(title="Hostile", slug="hostile", sections=(Section(body=text),))


def _did(handle: str) -> str:
    return "did:plc:bench"


def functions() -> dict[str, Callable[[str], Any]]:
    funcs: dict[str, Callable[[str], Any]] = {
        "parse_x": tx.parse_x,
        "parse_x[v2]": lambda t: tx.parse_x(t, "v2"),
        "extract_entities": tx.extract_entities,
        "extract_urls": tx.extract_urls_with_indices,
        "extract_urls[protocol]": lambda t: tx.extract_urls_with_indices(t, without_protocol=False),
        "extract_hashtags": tx.extract_hashtags_with_indices,
        "extract_mentions": tx.extract_mentions_or_lists_with_indices,
        "extract_cashtags": tx.extract_cashtags_with_indices,
        "extract_reply_username": tx.extract_reply_username,
        "is_valid_url": tx.is_valid_url,
        "is_valid_hashtag": tx.is_valid_hashtag,
        "is_valid_username": tx.is_valid_username,
        "is_valid_list": tx.is_valid_list,
        "graphemes": tx.graphemes,
        "grapheme_count": tx.grapheme_count,
        "utf8_length": tx.utf8_length,
        "utf16_length": tx.utf16_length,
        "codepoint_to_utf16": lambda t: tx.codepoint_to_utf16(t, len(t)),
        "utf16_to_codepoint": lambda t: tx.utf16_to_codepoint(t, tx.utf16_length(t)),
        "bluesky_facets": lambda t: tx.bluesky_facets(t, resolve_handle=_did),
    }
    for platform in Platform:
        funcs[f"validate[{platform.value}]"] = (
            lambda t, p=platform: validate(t, p, on=_ON)  # type: ignore[misc]
        )
    for platform in Platform:
        channel = _channel(platform)
        funcs[f"adapt[{platform.value}]"] = lambda t, c=channel: adapt(  # type: ignore[misc]
            ContentItem(id="hostile", text=t), c, brand=_BRAND, now=_NOW
        )
    funcs.update(
        {
            "lint_voice[tu]": lambda t: lint_voice(t, _TU, "it-IT", sponsored=True),
            "lint_voice[Lei]": lambda t: lint_voice(t, _LEI, "it_IT"),
            "lint_voice[en]": lambda t: lint_voice(t, _EN, "en-GB", sponsored=True),
            "escape_linkedin": escape_linkedin,
            "render_markdown": lambda t: render_markdown(_post(t)),
            "render_markdown[title]": lambda t: render_markdown(_titled(t)),
            "render_html": lambda t: render_html(_post(t)),
            "plain_text": lambda t: plain_text(_post(t)),
            "check_seo": lambda t: check_seo(_post(t)),
            "reading_time": lambda t: reading_time(_post(t)),
            "check_newsletter": lambda t: check_newsletter(_newsletter(t)),
            "excerpt_for[x]": lambda t: excerpt_for(
                _post(t), _channel(Platform.X), brand=_BRAND, now=_NOW
            ),
        }
    )
    return funcs


# Not measures of a text: compiled patterns and package data, built once per process.
_KEPT = (_fold.term_pattern, _extract.twitter_tlds, _extract._url_patterns)


def clear_caches() -> None:
    """Forget every cached text measure, so the next call does the whole work again."""
    for module in (_textapi, _fold, _extract):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and value not in _KEPT:
                clear()


def _call(func: Callable[[str], Any], text: str) -> None:
    # Refusing a text (a clear error) is an answer too: its time counts.
    with contextlib.suppress(SmmkitError, PydanticValidationError):
        func(text)


def time_call(func: Callable[[str], Any], text: str, *, budget: float = 0.04) -> float:
    """The least time of a few calls of ``func(text)`` (caches cleared before each)."""
    best = float("inf")
    spent = 0.0
    calls = 0
    gc.collect()
    gc.disable()  # as timeit does: a collection started by other garbage is not this cost
    try:
        while calls < 3 or (spent < budget and calls < 25):
            clear_caches()
            start = time.process_time()
            _call(func, text)
            took = time.process_time() - start
            best = min(best, took)
            spent += took
            calls += 1
            if took > 0.25:
                break  # a slow call is measured a few times: the noise is small beside it
    finally:
        gc.enable()
    return best


def _batch(func: Callable[[str], Any], text: str, calls: int) -> float:
    """CPU time per call of ``calls`` calls in a row (caches cleared before each)."""
    spent = 0.0
    for _ in range(calls):
        clear_caches()
        start = time.process_time()
        _call(func, text)
        spent += time.process_time() - start
    return spent / calls


def precise_times(
    func: Callable[[str], Any], texts: dict[int, str], sizes: list[int], rough: list[float]
) -> list[float]:
    """Time per call at each size, precise enough for a ratio to reflect the algorithm.

    The sizes are timed in interleaved rounds (ascending, then descending, and so on), so
    that a burst of load on the machine falls on every size alike rather than on one; each
    size gets the same number of rounds (a minimum over more samples would be lower, and
    bias the ratios); in a round, a size is timed as a batch of calls of at least
    ``BATCH_SECONDS`` of CPU in all; rounds go on until every size has had
    ``CELL_SECONDS`` of CPU (at least ``MIN_ROUNDS``, at most ``MAX_ROUNDS``). The time
    per call of a size is its least batch average over the rounds.
    """
    calls = [max(1, math.ceil(BATCH_SECONDS / max(t, 1e-6))) for t in rough]
    best = [float("inf")] * len(sizes)
    spent = [0.0] * len(sizes)
    rounds = 0
    gc.collect()
    gc.disable()  # as timeit does: a collection started by other garbage is not this cost
    try:
        while rounds < MIN_ROUNDS or (rounds < MAX_ROUNDS and min(spent) < CELL_SECONDS):
            order = range(len(sizes)) if rounds % 2 == 0 else range(len(sizes) - 1, -1, -1)
            for i in order:
                per_call = _batch(func, texts[sizes[i]], calls[i])
                best[i] = min(best[i], per_call)
                spent[i] += per_call * calls[i]
            rounds += 1
    finally:
        gc.enable()
    return best


def measure(
    func: Callable[[str], Any], texts: dict[int, str], sizes: list[int], give_up: float
) -> list[float | None]:
    """Time per call at each size; None past a size whose call took over ``give_up`` s.

    A first, rough measurement (one call per size); when a ratio would be judged on it (some
    size over the noise floor) and no size was given up, the sizes are timed with
    :func:`precise_times`; otherwise each is the least of a few calls (:func:`time_call`).
    """
    times: list[float | None] = []
    for size in sizes:
        if times and (times[-1] is None or times[-1] > give_up):
            times.append(None)
            continue
        clear_caches()
        start = time.process_time()
        _call(func, texts[size])
        times.append(time.process_time() - start)
    rough = [t for t in times if t is not None]
    if len(rough) < len(times):
        return times
    if max(rough) < NOISE_FLOOR:  # no ratio is judged: the least of a few calls will do
        return [time_call(func, texts[size]) for size in sizes]
    return list(precise_times(func, texts, sizes, rough))


def worst_ratio(times: list[float | None]) -> float:
    """The dearest doubling, among those whose times are both above the noise floor."""
    ratios = [
        b / a
        for a, b in itertools.pairwise(times)
        if a is not None and b is not None and a >= NOISE_FLOOR
    ]
    return max(ratios, default=0.0)


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f}s"
    return f"{seconds * 1000:.1f}ms"


def _least(first: list[float | None], second: list[float | None]) -> list[float | None]:
    """The least time per size of two measurements (None where either gave up)."""
    return [
        None if a is None or b is None else min(a, b) for a, b in zip(first, second, strict=True)
    ]


@dataclass
class Row:
    """One (family, function) row: its times per size and what was judged."""

    family: str
    name: str
    times: list[float | None]
    note: str = ""  # "step, then ..." when the doubling past the last size is <= MAX_RATIO

    @property
    def worst(self) -> float:
        return worst_ratio(self.times)

    def problems(self, give_up: float) -> list[str]:
        problems = []
        if self.worst > MAX_RATIO and not self.note:
            problems.append(f"ratio {self.worst:.2f}x > {MAX_RATIO}x")
        last = self.times[-1]
        if last is None:
            problems.append(f"gave up (> {give_up}s)")
        elif last > MAX_SECONDS_80K:
            problems.append(f"{_fmt(last)} > {MAX_SECONDS_80K}s")
        return problems

    def merged(self, other: Row) -> Row:
        """The least time per size of two measurements of this row (each one's least is an
        estimate from above of the same cost)."""
        row = Row(self.family, self.name, _least(self.times, other.times))
        if row.worst > MAX_RATIO and None not in row.times:
            row.note = other.note or self.note
        return row


def judge(
    family: str,
    name: str,
    func: Callable[[str], Any],
    texts: dict[int, str],
    sizes: list[int],
    give_up: float,
) -> Row:
    """Time one row (again if a doubling looks dear), and look past the last size if so."""
    times = measure(func, texts, sizes, give_up)
    if worst_ratio(times) > MAX_RATIO and None not in times:
        # Measure again (the least of two rounds): a busy machine makes single doublings
        # look dear.
        times = _least(times, measure(func, texts, sizes, give_up))
    row = Row(family, name, times)
    if row.worst > MAX_RATIO and None not in times:
        # A step, not growth? Past a platform's limit (63,206 characters on Facebook) a
        # longer path runs (cut to fit): if the next doubling costs <= 2.2x again, the cost
        # is linear beyond the step.
        beyond = 2 * sizes[-1]
        last = times[-1]
        assert last is not None
        pair = {sizes[-1]: texts[sizes[-1]], beyond: make_text(family, beyond)}
        base, took = precise_times(func, pair, list(pair), [last, 2 * last])
        if took / base <= MAX_RATIO:
            row.note = f"step, then {took / base:.2f}x to {beyond // 1000}k ({_fmt(took)})"
    return row


def _selected(
    patterns: list[str] | None, exact: list[str] | None
) -> dict[str, Callable[[str], Any]]:
    return {
        name: f
        for name, f in functions().items()
        if (not patterns or any(part in name for part in patterns)) and (not exact or name in exact)
    }


def _warm_up(funcs: dict[str, Callable[[str], Any]]) -> None:
    for func in funcs.values():  # compile the lazily built patterns outside the timings
        _call(func, "warm up a.co #x @y $Z 👍 Prenota")


def warm_heap(megabytes: int = HEAP_MEGABYTES) -> None:
    """Give this process's allocators memory to spare, as a process that has run a while has.

    CPython's small-object allocator gives each 1 MiB arena back to the kernel as soon as it is
    empty, and glibc's ``malloc`` trims the top of its heap: so a call whose peak memory is
    more than the process holds free gets fresh pages from the kernel, zeroed, on every call
    (``adapt`` on X of 80k Hangul jamo: 4,188 page faults per call, about 12 ms of system
    time, and none at 40k). That cost starts at the size where the peak first passes the
    free memory and grows linearly after it: one doubling over 2.2x, then 2.0x (a step), which says
    where the allocator's free memory ends, not how the function grows. Here both allocators
    are given ``megabytes`` each to spare: small objects filling that many arenas, all freed
    but one in every 2,048 (an arena with a live object stays), and glibc told not to give its
    heap back (``mallopt``, where the C library has it) after a block of that size is freed.
    The objects that keep the arenas stay in ``_PINNED``.
    """
    with contextlib.suppress(OSError, AttributeError):  # not glibc: its default policy
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)  # never give the top of the heap back
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # blocks under 32 MiB come from the heap
    chunks = [b"\x01" * (16 << 20) for _ in range(max(1, megabytes >> 4))]  # pages touched
    del chunks
    small = [bytes(400) for _ in range((megabytes << 20) // 448)]  # 448-byte blocks, each new
    _PINNED.extend(small[::2048])  # an arena holds 2,304 of them: one or two kept in each


def worker(
    families: list[str],
    funcs: dict[str, Callable[[str], Any]],
    sizes: list[int],
    give_up: float,
    cold_heap: bool = False,
) -> None:
    """Time the rows of these families in this process; one JSON line per row on stdout."""
    _warm_up(funcs)
    if not cold_heap:
        warm_heap()
    for family in families:
        texts = {size: make_text(family, size) for size in sizes}
        gc.collect()
        gc.freeze()  # a collection in a child does not write to (copy) the pages of these
        for name, func in funcs.items():
            row = _in_fork(functools.partial(judge, family, name, func, texts, sizes, give_up))
            print(json.dumps(asdict(row)), flush=True)


def _in_fork(work: Callable[[], Row]) -> Row:
    """``work()`` run in a child of this process (where ``os.fork`` exists).

    Every row then starts from the same heap, this process's, as it was after the imports and
    the texts: none inherits the blocks and holes that the rows before it left (a heap grown
    by earlier rows made the largest sizes of later ones up to 1.5x slower).
    """
    if not hasattr(os, "fork"):
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: time the row, hand it over, leave without cleaning up
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(asdict(work())))
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    if status or not data:
        raise SystemExit(f"the child timing a row ended with status {status}")
    return Row(**json.loads(data))


def _in_fresh_process(
    families: list[str],
    patterns: list[str] | None,
    exact: list[str] | None,
    sizes: list[int],
    give_up: float,
    cold_heap: bool,
) -> Iterator[Row]:
    """Rows timed by a new Python process (its heap holds nothing left by other rows)."""
    command = [sys.executable, __file__, "--worker", "--sizes", ",".join(map(str, sizes))]
    command += ["--give-up", str(give_up)] + (["--cold-heap"] if cold_heap else [])
    for family in families:
        command += ["--family", family]
    for pattern in patterns or []:
        command += ["--function", pattern]
    for name in exact or []:
        command += ["--exact", name]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            yield Row(**json.loads(line))
    if process.returncode:
        raise SystemExit(f"the worker {command} ended with status {process.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="text functions on adversarial input")
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    parser.add_argument("--function", action="append", help="only functions containing this")
    parser.add_argument("--exact", action="append", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--give-up", type=float, default=3.0, help="seconds per call")
    parser.add_argument("--all", action="store_true", help="print every row, not only flags")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--cold-heap",
        action="store_true",
        help="time with the allocators' default policy, no memory to spare (see warm_heap)",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="time every row in this one process"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    families = args.family or list(FAMILIES)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; choose from {sorted(FAMILIES)}")
    funcs = _selected(args.function, args.exact)
    if args.worker:
        worker(families, funcs, sizes, args.give_up, args.cold_heap)
        return 0
    print(
        f"{len(families)} families x {len(funcs)} functions at {sizes} characters; "
        f"limits: {MAX_RATIO}x per doubling (judged from "
        f"{NOISE_FLOOR * 1000:g}ms), {MAX_SECONDS_80K}s at {sizes[-1]:,}; "
        f"Python {sys.version.split()[0]}"
        + ("" if args.in_process else "; each family in a new process, each row in a fork of it")
        + (
            "; allocators' default policy"
            if args.cold_heap
            else f"; {HEAP_MEGABYTES} MiB heap to spare"
        ),
        flush=True,
    )
    header = f"{'family':<20} {'function':<24}" + "".join(f"{s:>10,}" for s in sizes)
    header += f"{'worst x':>9}  verdict"
    print(header)
    print("-" * len(header))
    flagged = 0
    steps = 0
    remeasured = 0
    worst_overall = 0.0
    slowest_overall = 0.0
    rows = 0

    def timed(family: str) -> Iterator[Row]:
        if not args.in_process:
            yield from _in_fresh_process(
                [family], args.function, args.exact, sizes, args.give_up, args.cold_heap
            )
            return
        texts = {size: make_text(family, size) for size in sizes}
        for name, func in funcs.items():
            yield judge(family, name, func, texts, sizes, args.give_up)

    if args.in_process:
        _warm_up(funcs)
        if not args.cold_heap:
            warm_heap()

    def dear(row: Row) -> bool:
        return row.worst > MAX_RATIO and None not in row.times and not args.in_process

    def report(row: Row) -> None:
        nonlocal flagged, steps, worst_overall, slowest_overall, rows
        problems = row.problems(args.give_up)
        measured = [t for t in row.times if t is not None]
        if row.note:
            steps += 1
        else:
            worst_overall = max(worst_overall, row.worst)
        slowest_overall = max(slowest_overall, max(measured, default=0.0))
        rows += 1
        if problems:
            flagged += 1
        if problems or row.note or args.all:
            verdict = "FLAG " + "; ".join(problems) if problems else (row.note or "ok")
            cells = "".join(f"{_fmt(t):>10}" for t in row.times)
            print(
                f"{row.family:<20} {row.name:<24}{cells}{row.worst:>8.2f}x  {verdict}", flush=True
            )

    pending: list[Row] = []  # rows over 2.2x, measured again after every family
    for family in families:
        for row in timed(family):
            if dear(row):
                pending.append(row)
            else:
                report(row)
    # A row over 2.2x is timed again in a new process of its own, after the other rows (so at
    # another moment: load from other guests of a shared host comes and goes), up to
    # EXTRA_ROUNDS times while it stays over; each size keeps its least time over the rounds.
    for round_number in range(EXTRA_ROUNDS):
        if pending and round_number == 0:
            print(f"-- {len(pending)} rows over {MAX_RATIO}x, measured again:", flush=True)
        still: list[Row] = []
        for row in pending:
            again = next(
                _in_fresh_process(
                    [row.family], None, [row.name], sizes, args.give_up, args.cold_heap
                )
            )
            row = row.merged(again)
            remeasured += 1
            if dear(row) and round_number + 1 < EXTRA_ROUNDS:
                still.append(row)
            else:
                report(row)
        pending = still
    print(
        f"\n{rows} (family, function) rows; {flagged} flagged; {steps} steps (one doubling over "
        f"{MAX_RATIO}x, the next at most {MAX_RATIO}x); worst ratio per doubling "
        f"{worst_overall:.2f}x (steps aside); slowest call {_fmt(slowest_overall)}"
        + (f"; {remeasured} measurements again in a new process" if remeasured else "")
    )
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
