"""The Markdown report carries no raw HTML, link or extra table column from the data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from markdown_it import MarkdownIt

from smmkit.analytics import build_report
from smmkit.models import KpiTarget, Platform, PostMetrics

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)
HOSTILE = (
    "<script>alert(1)</script>",
    "[win](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "a|b|c",
    "line\r\nbreak\x00",
    "=cmd|' /C calc'!A0",
    "\\|x",
)


def _posts() -> list[PostMetrics]:
    out = []
    for i in range(24):
        text = HOSTILE[i % len(HOSTILE)]
        out.append(
            PostMetrics(
                platform=Platform.INSTAGRAM,
                channel=text if i % 2 else "ig",
                post_id=f"{text}-{i}",
                measured_at=T0 + timedelta(days=i + 2),
                published_at=T0 + timedelta(days=i),
                reach=1000 + i,
                likes=40 + i % 5,
                comments=3,
                followers=2000,
                pillar=text,
                format=text,
            )
        )
    return out


@pytest.mark.parametrize("locale", [None, "it", "en-GB"])
def test_markdown_report_has_no_raw_html_or_link(locale: str | None) -> None:
    report = build_report(
        _posts(),
        title="<script>alert('title')</script> [x](javascript:y)",
        targets=[KpiTarget(kpi="ctr", target=0.01)],
    )
    text = report.to_markdown() if locale is None else report.to_markdown(locale=locale)
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert not re.search(r"(?<!\\)\]\(", text)
    assert all(line.isprintable() for line in text.splitlines())
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    # every table row has as many cells as its header
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            widths = {len(re.findall(r"(?<!\\)\|", r.replace("\\\\", ""))) for r in rows}
            assert len(widths) == 1, block
