"""The HTML report in a real headless Chromium, and the PDF's pages as images (pdftoppm)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smmkit import load_setup
from smmkit._demo import example_path
from smmkit.reports import (
    chromium_flags,
    find_chromium,
    monthly_report,
    render_html,
    render_pdf,
)
from smmkit.reports._sample import sample_inputs


def _need(tool: str | None, name: str) -> str:
    if tool:
        return tool
    reason = f"{name} is not installed (CI installs it with .ci/install-chromium)"
    if os.environ.get("SMMKIT_REQUIRE_CHROMIUM"):
        pytest.fail(reason + " but SMMKIT_REQUIRE_CHROMIUM is set")
    pytest.skip(reason)


_PROBE = """<script>
addEventListener('load', () => {
  const doc = document.documentElement;
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const marks = [...svg.querySelectorAll('rect,polyline,circle')];
    const drawn = marks.filter(m => {
      const b = m.getBBox();
      return b.width > 0 && (b.height > 0 || m.tagName === 'polyline');
    });
    const box = svg.getBoundingClientRect();
    return {drawn: drawn.length, width: box.width, right: box.right};
  });
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > innerWidth + 1).length;
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({scroll: doc.scrollWidth, inner: innerWidth, wide, charts});
  (parent === window ? document : parent.document).body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def page() -> str:
    brand = load_setup(example_path("forno_aurora.toml")).brand
    data = sample_inputs(brand, "2026-12", days=120, until=date(2026, 12, 19))
    now = datetime(2026, 12, 20, 9, tzinfo=UTC)
    report = monthly_report(brand, "2026-12", now=now, **data.as_kwargs())  # type: ignore[arg-type]
    return render_html(report)


@pytest.mark.parametrize("width", [1280, 390])
def test_report_in_headless_chromium(page: str, width: int, tmp_path: Path) -> None:
    exe = _need(find_chromium(), "chromium")
    probe = page.replace("</body>", _PROBE + "</body>")
    # Headless windows are at least 500 px wide: the phone width is an iframe's viewport.
    frame = (
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:3000px" '
        f'srcdoc="{html.escape(probe, quote=True)}"></iframe></body></html>'
    )
    src = tmp_path / "report.html"
    src.write_text(frame, encoding="utf-8")
    flags = [exe, *chromium_flags(tmp_path / "profile"), f"--window-size={max(width, 500)},2000"]
    done = subprocess.run(
        [
            *flags,
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            src.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"'))
    assert result["inner"] == width
    assert result["scroll"] <= width, result
    assert result["wide"] == 0, result
    assert len(result["charts"]) >= 6
    for chart in result["charts"]:
        assert chart["drawn"] > 0 and chart["width"] > 0 and chart["right"] <= width + 1
    console = [ln for ln in done.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert console == []
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", src.as_uri()], capture_output=True, timeout=120, check=True
    )
    assert shot.stat().st_size > 5000


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][-w * h :]


def test_pdf_pages_render_and_stay_in_the_page(page: str, tmp_path: Path) -> None:
    exe = _need(find_chromium(), "chromium")
    pdftoppm = _need(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    brand = load_setup(example_path("forno_aurora.toml")).brand
    data = sample_inputs(brand, "2026-12", days=120, until=date(2026, 12, 19))
    now = datetime(2026, 12, 20, 9, tzinfo=UTC)
    report = monthly_report(brand, "2026-12", now=now, **data.as_kwargs())  # type: ignore[arg-type]
    pdf = render_pdf(report, chromium=exe)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "40", "-gray", str(tmp_path / "r.pdf"), str(tmp_path / "p")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) >= 2
    for p in pages:
        w, h, px = _pgm(p)
        ink = sum(1 for v in px if v < 200)
        assert ink > 0.005 * w * h, p.name  # something is drawn on every page
        margin = max(2, int(w * 0.03))  # the right margin (14 mm of 210) stays blank
        right = [px[y * w + x] for y in range(h) for x in range(w - margin, w)]
        assert min(right) > 200, p.name
