"""Benchmark of the monthly report (a script, not a test).

    python benchmarks/bench_report.py            # build + HTML, Markdown, PDF (if Chromium)
    python benchmarks/bench_report.py --repeat 5 --no-pdf

One brand (Forno Aurora), four channels, a year of daily account metrics and one post per channel
per day (1,460 posts, 1,460 account rows, ads on two channels), for December 2026. Times the whole
call from the records to the page: ``monthly_report`` then ``render_html`` (target < 2 s), then
``render_pdf`` through headless Chromium (target < 10 s). The reference, run in the same process
on the same posts, is the older ``analytics.build_report(...).to_html()`` (English, no growth,
paid, context or localisation); the ratio says what the client report costs on top of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit import load_setup  # noqa: E402
from smmkit._demo import example_path  # noqa: E402
from smmkit.analytics import build_report  # noqa: E402
from smmkit.reports import (  # noqa: E402
    find_chromium,
    monthly_report,
    render_html,
    render_markdown,
    render_pdf,
)
from smmkit.reports._sample import sample_inputs  # noqa: E402

NOW = datetime(2026, 12, 20, 9, tzinfo=UTC)


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()

    brand = load_setup(example_path("forno_aurora.toml")).brand
    t0 = time.perf_counter()
    data = sample_inputs(brand, "2026-12", days=365, until=date(2026, 12, 19))
    made = time.perf_counter() - t0
    kwargs = data.as_kwargs()
    print(
        f"inputs: {len(data.posts)} posts, {len(data.accounts)} account rows, {len(data.ads)} ad "
        f"rows, 4 channels, 365 days (made in {made:.2f} s, not timed below)"
    )

    def reference() -> str:
        return build_report(data.posts, timezones=brand.timezone).to_html()

    def to_html() -> str:
        report = monthly_report(brand, "2026-12", now=NOW, **kwargs)  # type: ignore[arg-type]
        return render_html(report)

    def to_markdown() -> str:
        report = monthly_report(brand, "2026-12", now=NOW, **kwargs)  # type: ignore[arg-type]
        return render_markdown(report)

    to_html()  # warm-up: imports, Babel's locale data, catalogs
    ref_best, ref_med = best_of(args.repeat, reference)
    html_best, html_med = best_of(args.repeat, to_html)
    md_best, _ = best_of(args.repeat, to_markdown)
    print(
        "reference analytics.build_report().to_html(): "
        + f"best {ref_best:.3f} s, median {ref_med:.3f} s"
    )
    print(
        f"monthly_report + render_html:     best {html_best:.3f} s, median {html_med:.3f} s "
        f"(target < 2 s: {'ok' if html_med < 2 else 'MISSED'}; "
        f"{html_med / ref_med:.2f}x the reference)"
    )
    print(f"monthly_report + render_markdown: best {md_best:.3f} s")
    if args.no_pdf:
        return 0
    if find_chromium() is None:
        print("render_pdf: skipped (no Chromium; install it with .ci/install-chromium)")
        return 0

    def to_pdf() -> bytes:
        report = monthly_report(brand, "2026-12", now=NOW, **kwargs)  # type: ignore[arg-type]
        return render_pdf(report)

    pdf_best, pdf_med = best_of(max(1, min(args.repeat, 3)), to_pdf)
    print(
        f"monthly_report + render_pdf:      best {pdf_best:.3f} s, median {pdf_med:.3f} s "
        f"(target < 10 s: {'ok' if pdf_med < 10 else 'MISSED'}; "
        f"{pdf_med / ref_med:.1f}x the reference)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
