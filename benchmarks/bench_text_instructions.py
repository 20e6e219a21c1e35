"""Instructions executed by a text function on hostile text, per size: linearity without a clock.

Run::

    .venv/bin/python benchmarks/bench_text_instructions.py --family bangs --function render_html
    .venv/bin/python benchmarks/bench_text_instructions.py --rows rows.txt  # family function
    .venv/bin/python benchmarks/bench_text_instructions.py ... --cache      # and last-level misses

``bench_text.py --adversarial`` judges time, and time on a shared machine moves with the load
and with the memory hierarchy. This script counts what the code does: each call of a row is
run under Valgrind's cachegrind (which counts every machine instruction the process executes,
nearly the same count on every run), once without the call and once per size with enough
calls to dwarf what moves between runs; the difference per call is the call's instructions.
A doubling of the text that costs 2.0x the instructions is linear work, whatever its time
said; a doubling that costs more is more work per character (a longer path
past a platform's limit, say). With ``--cache`` cachegrind also simulates the caches and
prints the last-level cache misses per size: the memory traffic that makes a linear call's time
grow faster than its instructions once its data outgrows the caches.

The families, sizes and functions are those of ``bench_text_adversarial``; the call is made as
there (caches of the text measures cleared, the garbage collector paused). Needs ``valgrind``
on the PATH (each count runs the call for about 0.3 s of CPU, 30 to 60 times slower under Valgrind).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (10_000, 20_000, 40_000, 80_000)
CALL_SECONDS = 0.3

_ONE_CALL = """
import gc, sys
sys.path.insert(0, {here!r})
import bench_text_adversarial as b
func = b.functions()[{name!r}]
b._warm_up({{{name!r}: func}})
b._call(func, b.make_text({family!r}, 2000))
text = b.make_text({family!r}, {size}) if {size} else ""
b.clear_caches()
gc.collect()
gc.disable()
for _ in range({reps}):
    b.clear_caches()
    b._call(func, text)
"""

_COUNT = re.compile(r"^==\d+== (I|LL)\s+(refs|misses):\s+([\d,]+)", re.MULTILINE)


def count(family: str, name: str, size: int, reps: int, *, cache: bool) -> dict[str, int]:
    """Instructions (and last-level misses with ``cache``) of a process making ``reps`` calls."""
    code = _ONE_CALL.format(here=str(HERE), name=name, family=family, size=size, reps=reps)
    command = [
        "valgrind",
        "--tool=cachegrind",
        f"--cache-sim={'yes' if cache else 'no'}",
        # the caches of the machine this was written on: L1 32 KiB, last level 32 MiB
        "--I1=32768,8,64",
        "--D1=32768,8,64",
        "--LL=33554432,16,64",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-c",
        code,
    ]
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"valgrind failed on {family} {name} {size}:\n{done.stderr[-2000:]}")
    found = {f"{m[1]} {m[2]}": int(m[3].replace(",", "")) for m in _COUNT.finditer(done.stderr)}
    return {"instructions": found["I refs"], "misses": found.get("LL misses", 0)}


def repetitions(family: str, name: str, size: int) -> int:
    """Calls per counted process: about ``CALL_SECONDS`` of CPU in all (timed here, outside
    Valgrind), so that the call's instructions dwarf the few tens of millions by which the
    count of a process's start moves from one run to the next."""
    sys.path.insert(0, str(HERE))
    import bench_text_adversarial as b

    func = b.functions()[name]
    text = b.make_text(family, size)
    b._call(func, text)
    took = b.time_call(func, text, budget=0.02)
    return max(1, math.ceil(CALL_SECONDS / max(took, 1e-6)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="instructions per call on adversarial text")
    parser.add_argument("--family", action="append", default=[])
    parser.add_argument("--function", action="append", default=[], help="exact function names")
    parser.add_argument("--rows", type=Path, help='a file of "family function" lines')
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--cache", action="store_true", help="simulate the caches too")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [(f, n) for f in args.family for n in args.function]
    if args.rows:
        rows += [
            (line.split()[0], line.split()[1])
            for line in args.rows.read_text().splitlines()
            if line.strip()
        ]
    if not rows:
        parser.error("give --family and --function, or --rows")
    header = f"{'family':<20} {'function':<24}" + "".join(f"{s:>12,}" for s in sizes)
    print(
        "millions of instructions per call (cachegrind), worst doubling"
        + ("; then last-level cache misses" if args.cache else "")
    )
    print(header + f"{'worst x':>9}")
    print("-" * (len(header) + 9))
    worst_all = 0.0
    for family, name in rows:
        base = count(family, name, 0, 0, cache=args.cache)
        reps = [repetitions(family, name, size) for size in sizes]
        per_size = [
            count(family, name, size, r, cache=args.cache)
            for size, r in zip(sizes, reps, strict=True)
        ]
        instructions = [
            (c["instructions"] - base["instructions"]) / r
            for c, r in zip(per_size, reps, strict=True)
        ]
        ratios = [b / a for a, b in itertools.pairwise(instructions) if a > 0]
        worst = max(ratios, default=0.0)
        worst_all = max(worst_all, worst)
        cells = "".join(f"{i / 1e6:>12.2f}" for i in instructions)
        print(f"{family:<20} {name:<24}{cells}{worst:>8.2f}x", flush=True)
        if args.cache:
            misses = [
                (c["misses"] - base["misses"]) / r for c, r in zip(per_size, reps, strict=True)
            ]
            cells = "".join(f"{m:>12,.0f}" for m in misses)
            print(f"{'':<20} {'  LL misses':<24}{cells}", flush=True)
    print(f"\n{len(rows)} rows; worst instructions ratio per doubling {worst_all:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
