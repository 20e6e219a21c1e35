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
from typing import Any

import pytest

from smmkit import load_setup
from smmkit._demo import example_path
from smmkit.reports import (
    chromium_env,
    chromium_flags,
    find_chromium,
    html_to_pdf,
    monthly_report,
    render_html,
)
from smmkit.reports._sample import sample_inputs

from ._leaks import english_leaks


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
    report = monthly_report(brand, "2026-12", now=now, **data.as_kwargs())
    return render_html(report)


def _look(exe: str, page: str, width: int, tmp: Path) -> tuple[dict[str, Any], list[str]]:
    """Load ``page`` at ``width`` CSS px in headless Chromium; the probe's measures and the
    browser's console lines. Headless windows are at least 500 px wide, so the page runs in an
    iframe of exactly ``width`` px (its own viewport)."""
    probe = page.replace("</body>", _PROBE + "</body>")
    frame = (
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:3000px" '
        f'srcdoc="{html.escape(probe, quote=True)}"></iframe></body></html>'
    )
    src = tmp / f"look-{width}.html"
    src.write_text(frame, encoding="utf-8")
    flags = [
        exe,
        *chromium_flags(tmp / f"profile-{width}"),
        f"--window-size={max(width, 500)},2000",
    ]
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
        env=chromium_env(),
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    console = [ln for ln in done.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    return result, console


def _problems(result: dict[str, Any], console: list[str], width: int) -> list[str]:
    out = []
    if result["inner"] != width:
        out.append(f"viewport {result['inner']} px, not {width}")
    if result["scroll"] > width or result["wide"]:
        out.append(f"overflow: {result['wide']} elements past {width} px")
    for k, chart in enumerate(result["charts"]):
        if not chart["drawn"] or chart["width"] <= 0:
            out.append(f"chart {k} has no drawing")
        if chart["right"] > width + 1:
            out.append(f"chart {k} overflows")
    out += [f"console: {ln}" for ln in console]
    return out


@pytest.mark.parametrize("width", [1280, 390])
def test_report_in_headless_chromium(page: str, width: int, tmp_path: Path) -> None:
    exe = _need(find_chromium(), "chromium")
    result, console = _look(exe, page, width, tmp_path)
    assert _problems(result, console, width) == []
    assert len(result["charts"]) >= 6
    src = tmp_path / "report.html"
    src.write_text(page, encoding="utf-8")
    shot = Path(os.environ.get("SMMKIT_SCREENSHOT_DIR") or tmp_path) / f"report-{width}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            exe,
            *chromium_flags(tmp_path / "shot-profile"),
            f"--window-size={max(width, 500)},3000",
            f"--screenshot={shot}",
            src.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
        env=chromium_env(),
    )
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 5000


def test_the_browser_checks_can_fail(tmp_path: Path) -> None:
    exe = _need(find_chromium(), "chromium")
    bad = (
        '<!DOCTYPE html><html><body><div style="width:900px">wide</div>'
        '<svg class="chart" viewBox="0 0 10 10" width="100"><rect width="0" height="0"/></svg>'
        '<script>console.error("boom")</script></body></html>'
    )
    result, console = _look(exe, bad, 390, tmp_path)
    found = " | ".join(_problems(result, console, 390))
    assert "overflow" in found and "no drawing" in found and "boom" in found


def _pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    w, h = int(parts[1]), int(parts[2])
    return w, h, parts[4][-w * h :]


def _pdf_problems(pdf: bytes, tmp: Path) -> tuple[int, list[str]]:
    """Render each page with pdftoppm (grey, 40 dpi): every page has ink, and the right margin
    (3% of the width, inside the 14 mm page margin) is blank, so nothing ran off the page."""
    pdftoppm = _need(shutil.which("pdftoppm"), "pdftoppm (poppler-utils)")
    (tmp / "r.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "40", "-gray", str(tmp / "r.pdf"), str(tmp / "p")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp.glob("p-*.pgm"))
    out = []
    for p in pages:
        w, h, px = _pgm(p)
        if sum(1 for v in px if v < 200) < 0.005 * w * h:
            out.append(f"{p.name}: blank")
        margin = max(2, int(w * 0.03))
        if min(px[y * w + x] for y in range(h) for x in range(w - margin, w)) <= 200:
            out.append(f"{p.name}: ink in the right margin")
    return len(pages), out


def test_pdf_pages_render_and_stay_in_the_page(page: str, tmp_path: Path) -> None:
    exe = _need(find_chromium(), "chromium")
    pdf = html_to_pdf(page, chromium=exe)
    assert pdf.startswith(b"%PDF")
    pages, problems = _pdf_problems(pdf, tmp_path)
    assert pages >= 2 and problems == []
    # The PDF's own text (poppler's pdftotext) is Italian throughout.
    pdftotext = shutil.which("pdftotext")
    if pdftotext is not None:
        text = subprocess.run(
            [pdftotext, "-layout", str(tmp_path / "r.pdf"), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        assert "Report mensile: Forno Aurora" in text and "Cosa consigliamo" in text
        assert re.search(r"\d,\d\d%", text) and english_leaks(text) == []
    # Chromium shrinks a page wider than the paper instead of cutting it, so the layout is also
    # checked at the printable width of A4 (210 mm less two 14 mm margins = 688 CSS px) with the
    # print rules applied on screen.
    printed = page.replace("@media print{", "@media all{")
    result, console = _look(exe, printed, 688, tmp_path)
    assert _problems(result, console, 688) == []
    # The checker sees ink where the page margin should be blank.
    bad = html_to_pdf(
        "<!DOCTYPE html><html><head><style>@page{margin:0}body{margin:0}</style></head><body>"
        '<div style="height:40px;background:#000"></div></body></html>',
        chromium=exe,
    )
    (tmp_path / "bad").mkdir()
    assert any("right margin" in p for p in _pdf_problems(bad, tmp_path / "bad")[1])
