"""The results report's community section: response times per channel, in English and Italian,
escaped like the rest of the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smmkit.analytics import build_report
from smmkit.community import ResponseReport, response_times
from smmkit.models import InboxMessage, Platform, PostMetrics

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _msg(ident: str, minutes_ago: float, *, channel: str, to: str | None = None) -> InboxMessage:
    return InboxMessage(
        channel=channel,
        platform=Platform.INSTAGRAM,
        message_id=ident,
        thread_id="p1",
        in_reply_to=to,
        author="brand" if to else f"user {ident}",
        text="...",
        created_at=NOW - timedelta(minutes=minutes_ago),
        from_brand=to is not None,
    )


def _report() -> ResponseReport:
    messages = [
        _msg("a", 300, channel="instagram"),
        _msg("ra", 270, channel="instagram", to="a"),  # 30 minutes
        _msg("b", 300, channel="instagram"),
        _msg("rb", 90, channel="instagram", to="b"),  # 3.5 hours
        _msg("c", 3 * 24 * 60 + 5, channel="ig|<b>x</b>"),  # waiting over 3 days
    ]
    return response_times(messages, now=NOW, since=NOW - timedelta(days=30))


def _posts() -> list[PostMetrics]:
    return [
        PostMetrics(
            platform=Platform.INSTAGRAM,
            channel="instagram",
            post_id="p1",
            measured_at=NOW,
            published_at=NOW - timedelta(days=1),
            reach=1000,
            likes=40,
        )
    ]


def test_no_responses_no_section() -> None:
    report = build_report(_posts())
    assert report.responses is None
    assert "response times" not in report.to_markdown()
    assert "response times" not in report.to_html()


def test_the_section_in_english() -> None:
    responses = _report()
    report = build_report(_posts(), responses=responses)
    md = report.to_markdown()
    section = md.split("## Community: response times", 1)[1]
    # median of 30 and 210 minutes: 2 h; 90th percentile: 30 + 0.9 * 180 minutes = 3.2 h
    assert "| instagram | 2/2 | 100.00% | 2.0 h | 3.2 h | 0 |" in section
    # the channel name from data is escaped: no raw HTML, no extra column
    assert "<b>" not in section and "ig\\|&lt;b&gt;x&lt;/b&gt;" in section
    assert "| all channels | 2/3 | 66.67% |" in section
    assert "| 0 | 0 | 0 | 0 | 1 |" in section  # waiting by age: only >3d
    assert "waiting over 3 days" in section and "waiting under 1 hour" in section
    html = report.to_html()
    assert "<h2>Community: response times</h2>" in html
    assert "<td>2.0 h</td>" in html and "&lt;b&gt;" in html and "<b>x</b>" not in html


def test_the_section_in_italian() -> None:
    report = build_report(_posts(), responses=_report())
    md = report.to_markdown(locale="it-IT")
    section = md.split("## Community: tempi di risposta", 1)[1]
    assert "prima risposta (mediana)" in section and "tutti i canali" in section
    assert "| instagram | 2/2 | 100,00%" in section and "2,0 h" in section
    assert "in attesa da oltre 3 giorni" in section and "in attesa da meno di 1 ora" in section
    assert ">3d" not in section and "<1h" not in section  # titles, not the buckets' codes
    assert "Community: tempi di risposta" in report.to_html(locale="it-IT")
