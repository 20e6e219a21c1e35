"""Reports (Markdown, self-contained HTML) and the demo section."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from smmkit.analytics import build_report
from smmkit.errors import ValidationError
from smmkit.models import KpiTarget, Platform, PostMetrics

T0 = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _posts() -> list[PostMetrics]:
    out = []
    for i in range(30):
        reach = 1000 + 10 * i
        likes = 5000 if i == 24 else 40 + (i % 5)
        out.append(
            PostMetrics(
                platform=Platform.INSTAGRAM,
                channel="instagram",
                post_id=f"p{i:02d}",
                measured_at=T0 + timedelta(days=i + 2),
                published_at=T0 + timedelta(days=i, hours=i % 3),
                reach=reach,
                impressions=reach + 200,
                likes=likes,
                comments=3,
                clicks=5,
                followers=2000,
                pillar="prodotto" if i % 2 else "ricette",
                format="reel" if i % 3 == 0 else "post",
            )
        )
    # an older measurement of p00 is superseded by the newer one above
    out.append(out[0].model_copy(update={"measured_at": T0, "likes": 1}))
    out.append(
        PostMetrics(
            platform=Platform.THREADS,
            channel="threads",
            post_id="t1",
            measured_at=T0,
            published_at=T0,
            likes=3,
        )
    )
    return out


def test_report_content() -> None:
    targets = [
        KpiTarget(kpi="engagement_rate_by_reach", target=0.03),
        KpiTarget(kpi="roas", target=3.0),
    ]
    report = build_report(
        _posts(), title="Test <report>", timezones="Europe/Rome", targets=targets, top_n=3
    )
    assert report.posts == 31
    assert report.top_posts[0].post_id == "p24"
    assert len(report.top_posts) == len(report.bottom_posts) == 3
    assert [g.met for g in report.goals] == [True, None]
    flagged = [a.index for s in report.anomalies for a in s.anomalies]
    assert 24 in flagged
    assert any("without reach" in n for n in report.notes)
    assert {r.key["pillar"] for r in report.by_pillar.rows} == {"prodotto", "ricette", None}
    assert report.headline_value("ctr") == pytest.approx(
        5 * 30 / sum(1000 + 10 * i + 200 for i in range(30))
    )
    md = report.to_markdown()
    for section in (
        "## Headline KPIs",
        "## By pillar",
        "## By format",
        "## Top posts",
        "## Best times to post",
        "## Anomalies",
        "## Goals",
    ):
        assert section in md
    with pytest.raises(ValidationError, match="top_n"):
        build_report([], top_n=0)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "data") and value:
                self.refs.append(value)


def test_html_is_self_contained() -> None:
    page = build_report(_posts(), title="Test <report>").to_html()
    parser = _Refs()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "iframe" not in parser.tags and "img" not in parser.tags
    assert not [r for r in parser.refs if re.match(r"(?i)\s*(https?:)?//", r)]
    assert not re.search(r"(?i)url\(\s*['\"]?(https?:)?//", page)
    assert "<svg" in page and "&lt;report&gt;" in page and "<report>" not in page


def test_empty_report() -> None:
    report = build_report([])
    assert report.posts == 0 and report.top_posts == ()
    assert "No anomaly flagged." in report.to_markdown()
    assert "<html" in report.to_html()


def test_demo_section_runs_offline(tmp_path: Path) -> None:
    from smmkit._demo import run_demo

    out = io.StringIO()
    run_demo(
        out_dir=tmp_path,
        stream=out,
        only=lambda name: name.endswith("_metrics"),
        workspace=tmp_path / "demo.db",
    )
    text = out.getvalue()
    assert "5. Results: metrics, best times, anomalies" in text
    assert "synthetic" in text and "Best times" in text and "Anomalies" in text
    assert (tmp_path / "metrics_report.html").is_file()
    from smmkit.workspace import Workspace

    with Workspace.open(tmp_path / "demo.db") as ws:
        assert len(ws.post_metrics()) >= 20  # the metrics are kept in the workspace
