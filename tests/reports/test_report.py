"""The monthly report: sections, localisation, formats and escaping."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from smmkit import load_setup
from smmkit._demo import example_path
from smmkit.errors import ValidationError
from smmkit.models import Brand
from smmkit.reports import MonthlyReport, monthly_report, parse_month, render_html, render_markdown
from smmkit.reports._render import _md
from smmkit.reports._sample import sample_inputs

from ._leaks import english_leaks, italian_leaks

NOW = datetime(2026, 12, 20, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def forno() -> Brand:
    return load_setup(example_path("forno_aurora.toml")).brand


@pytest.fixture(scope="module")
def larch() -> Brand:
    return load_setup(example_path("larch_and_loom.toml")).brand


@pytest.fixture(scope="module")
def italian(forno: Brand) -> MonthlyReport:
    data = sample_inputs(forno, "2026-12", days=120, until=date(2026, 12, 19))
    return monthly_report(forno, "2026-12", now=NOW, **data.as_kwargs())


def test_every_section_is_there_in_italian(italian: MonthlyReport) -> None:
    page = render_html(italian)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="it-IT">' in page
    for heading in (
        "Report mensile: Forno Aurora",
        "Risultati rispetto agli obiettivi",
        "Crescita dei follower per canale",
        "Post migliori",
        "Post peggiori",
        "Momenti migliori per pubblicare",
        "Anomalie",
        "Campagne a pagamento",
        "Concorrenti",
        "Community",
        "Influencer",
        "Cosa consigliamo per il prossimo mese",
    ):
        assert f">{heading}<" in page, heading
    assert english_leaks(page) == []
    assert english_leaks(render_markdown(italian)) == []


def test_italian_numbers_money_and_dates(italian: MonthlyReport) -> None:
    md = render_markdown(italian)
    assert re.search(r"\| \d+,\d\d% \|", md)  # percentages: 5,67%
    assert re.search(r"\d\.\d{3},\d\d\u00a0€", md)  # money: 1.500,00 €
    assert "dicembre 2026" in md and "Immacolata Concezione" in md
    assert re.search(r"(lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica) \d+ dicembre", md)
    assert "interazioni ÷ copertura, media sui post" in md  # formulas named


def test_posts_show_text_and_format_not_ids(italian: MonthlyReport) -> None:
    md = render_markdown(italian)
    top = md.split("## Post migliori")[1].split("##")[0]
    assert all(p.text for p in italian.top_posts)
    assert italian.top_posts[0].post_id not in top
    assert any(word in top for word in ("reel", "carosello", "storia", "post"))


def test_anomalies_come_with_context(italian: MonthlyReport) -> None:
    days = {(a.channel, a.day, a.direction) for a in italian.anomalies}
    assert ("instagram", date(2026, 12, 10), "spike") in days
    assert ("facebook", date(2026, 12, 21), "drop") in days
    assert all(a.nearby_posts for a in italian.anomalies)
    assert any(r.kind == "look_at_drop" for r in italian.recommendations)


def test_paid_section_against_plan(italian: MonthlyReport) -> None:
    paid = italian.paid
    assert paid is not None and paid.as_of == date(2026, 12, 20)
    assert paid.planned is not None and str(paid.planned.amount) == "1500"
    for line in paid.lines:
        assert line.pace is not None and 0.5 < line.pace < 1.5
        assert line.roas is not None and line.cpa is not None
    assert len(paid.daily) == 31
    assert abs(sum(p for _, p, _ in paid.daily) - float(paid.planned.amount)) < 0.01
    assert abs(sum(s for _, _, s in paid.daily) - float(paid.spend.amount)) < 0.01
    assert [p for d, p, _ in paid.daily if d == date(2026, 12, 25)] == [0.0]  # Natale: paused
    roas = next(k for k in italian.kpis if k.name == "roas")
    assert roas.value is not None and roas.met is not None  # from the ads, against the target


def test_english_report_english_formats(larch: Brand) -> None:
    data = sample_inputs(larch, "2026-12", days=60, currency="GBP", until=date(2026, 12, 19))
    report = monthly_report(larch, "2026-12", now=NOW, **data.as_kwargs())
    page = render_html(report)
    assert '<html lang="en-GB">' in page and ">Monthly report: Larch &amp; Loom<" in page
    assert re.search(r"£\d,\d{3}\.\d\d", page) and re.search(r"\d\.\d\d%", page)
    assert "Christmas Day" in page
    assert italian_leaks(page) == [] and italian_leaks(render_markdown(report)) == []
    it = render_html(report, locale="it-IT")  # locale= overrides the brand's
    # The holidays library names British holidays in English only; the UI is all Italian.
    ui = re.sub(r"\([A-Za-z ]*Day( \(observed\))?\)", "", it)
    assert '<html lang="it-IT">' in it and english_leaks(ui) == []


def test_sections_without_data_say_so(forno: Brand) -> None:
    report = monthly_report(forno, "2026-12", now=NOW)
    md = render_markdown(report)
    for text in (
        "Nessun conteggio dei follower per questo mese",
        "Nessun post con dati di copertura questo mese",
        "Troppo pochi post datati",
        "Niente di insolito questo mese",
        "Nessuna campagna a pagamento questo mese",
        "Nessuna analisi dei concorrenti per questo mese",
        "Nessun dato sulla community per questo mese",
        "Nessuna attività con influencer questo mese",
    ):
        assert text in md, text
    assert english_leaks(md) == []
    en = render_markdown(report, locale="en")
    assert "No paid campaigns this month." in en


def test_html_is_self_contained_and_escaped(italian: MonthlyReport) -> None:
    page = render_html(italian)
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert not re.search(r"\b(src|href)\s*=", page) and "url(" not in page
    assert "@media print" in page and page.count("<svg") >= 6
    assert "<b>Bake</b>" not in page and "Marco &lt;b&gt;Bake&lt;/b&gt;" in page


def test_markdown_tables_keep_their_columns(italian: MonthlyReport) -> None:
    md = render_markdown(italian)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script>" not in rendered and "javascript:" not in re.sub(r"[^>]*>", "", rendered)
    for block in md.split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if rows:
            counts = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
            assert len(counts) == 1, block


@given(st.text(max_size=200))
def test_markdown_escape_shows_the_text_as_is(text: str) -> None:
    out = MarkdownIt("commonmark").renderInline(_md(text))
    flat = re.sub(r"[ \t\r\n\f\v\x1c-\x1f\x85\u2028\u2029]+", " ", text).strip(" ")
    assert html.unescape(out) == flat.replace("\x00", "\ufffd")


def test_month_is_checked(forno: Brand) -> None:
    assert parse_month("2026-12") == (2026, 12)
    for bad in ("2026-13", "dicembre", "2026/12"):
        with pytest.raises(ValidationError, match="month"):
            parse_month(bad)
    with pytest.raises(ValidationError, match="timezone-aware"):
        monthly_report(forno, "2026-12", now=datetime(2026, 12, 1))
    with pytest.raises(ValidationError, match="brand"):
        monthly_report("Forno Aurora", "2026-12", now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="texts"):
        monthly_report(forno, "2026-12", texts=["a"], now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"posts\[0\]"):
        monthly_report(forno, "2026-12", posts=[{"post_id": "x"}], now=NOW)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="locale"):
        monthly_report(forno, "2026-12", locale="italiano!", now=NOW)


def test_influencer_results_from_the_influencers_engine(forno: Brand) -> None:
    from smmkit.influencers import CampaignResults, CreatorResults
    from smmkit.models import Money

    creator = CreatorResults(
        handle="giulia.impasti",
        posts=2,
        reach=12000,
        impressions=None,
        engagements=900,
        clicks=120,
        clicks_source="utm",
        conversions=12,
        revenue=None,
        cost=Money.of("300", "EUR"),
        kpis={},
    )
    results = CampaignResults(
        campaign="natale", currency="EUR", creators=(creator,), totals=creator
    )
    report = monthly_report(forno, "2026-12", influencers=results, now=NOW)
    md = render_markdown(report)
    assert "| @giulia\\.impasti | 2 | 12\\.000 |" not in md  # dots are not escaped
    assert "| @giulia.impasti | 2 | 12.000 | 900 | 120 | 12 | 300,00\u00a0€ | 25,00\u00a0€ |" in md
    with pytest.raises(ValidationError, match="influencers"):
        monthly_report(forno, "2026-12", influencers=["x"], now=NOW)


def test_competitors_from_a_presence_audit(forno: Brand) -> None:
    from smmkit.audit import ChannelData, audit_presence
    from smmkit.models import Platform, PostMetrics

    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)

    def posts(owner: str, n: int, likes: int) -> tuple[PostMetrics, ...]:
        return tuple(
            PostMetrics(
                platform=Platform.INSTAGRAM,
                post_id=f"{owner}-{k}",
                measured_at=datetime(2026, 12, 2 + k, 12, tzinfo=UTC),
                published_at=datetime(2026, 12, 1 + k, 12, tzinfo=UTC),
                likes=likes,
                comments=2,
            )
            for k in range(n)
        )

    audit = audit_presence(
        [
            ChannelData(
                owner="Forno Aurora",
                platform=Platform.INSTAGRAM,
                followers_start=1000,
                followers_end=1100,
                posts=posts("a", 8, 60),
                mentions=10,
            ),
            ChannelData(
                owner="Panificio Rossi",
                platform=Platform.INSTAGRAM,
                followers_start=3000,
                followers_end=3030,
                posts=posts("b", 4, 40),
                mentions=30,
            ),
            ChannelData(
                owner="Forno Chiuso",
                platform=Platform.INSTAGRAM,
                posts_readable=False,
                note="private profile",
            ),
        ],
        brand="Forno Aurora",
        start=start,
        end=end,
    )
    report = monthly_report(forno, "2026-12", competitors=audit, now=NOW)
    assert [(c.name, c.rank_engagement) for c in report.competitors] == [
        ("Forno Aurora", 1),
        ("Panificio Rossi", 2),
    ]
    md = render_markdown(report)
    assert "| Forno Aurora | instagram |" in md and "| Forno Chiuso" not in md
    assert (
        "Nessun dato leggibile (profilo privato o senza accesso) per: Forno Chiuso (instagram)."
        in md
    )
    assert "| 10,00% | 25,00% | 1 |" in md  # growth, share of voice, rank


@pytest.mark.parametrize("seed", range(12))
def test_anomaly_rule_finds_planted_days_and_stays_quiet_on_noise(seed: int) -> None:
    import numpy as np

    from smmkit.reports._build import _robust_flags

    rng = np.random.default_rng(seed)
    days = [date(2026, 10, 1) + (date(2026, 1, 2) - date(2026, 1, 1)) * i for i in range(92)]
    weekly = [1.25 if d.weekday() >= 5 else 1.0 for d in days]
    base = [800 * w * (0.9 + 0.2 * rng.random()) for w in weekly]
    first, last = date(2026, 12, 1), date(2026, 12, 31)
    assert _robust_flags(base, days, first, last) == []  # weekly rhythm and noise: nothing
    spike, drop = days.index(date(2026, 12, 9)), days.index(date(2026, 12, 20))
    planted = list(base)
    planted[spike] *= 3
    planted[drop] *= 0.2
    flagged = {i: expected for i, expected, _ in _robust_flags(planted, days, first, last)}
    assert set(flagged) == {spike, drop}
    assert flagged[spike] < planted[spike] and flagged[drop] > planted[drop]


def test_pdf_errors_say_what_is_missing(
    italian: MonthlyReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smmkit.reports import CHROMIUM_ENV, RenderError, find_chromium, render_pdf

    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
    with pytest.raises(RenderError, match="no Chromium browser found") as info:
        render_pdf(italian)
    assert "install the 'chromium' package" in str(info.value)
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    with pytest.raises(RenderError, match=r"exit 3.*cannot open display"):
        render_pdf(italian, chromium=str(broken))


def test_the_prepared_day_is_the_brands(forno: Brand) -> None:
    late = datetime(2026, 12, 20, 23, 30, tzinfo=UTC)  # already 21 December in Rome
    report = monthly_report(forno, "2026-12", now=late)
    assert "Preparato con smmkit il 21 dicembre 2026." in render_markdown(report)


def test_the_analytics_results_report_speaks_the_locale(forno: Brand) -> None:
    from smmkit.analytics import build_report

    data = sample_inputs(forno, "2026-12", days=60)
    report = build_report(data.posts, timezones="Europe/Rome", title="Forno Aurora: risultati")
    md, page = report.to_markdown(locale="it-IT"), report.to_html(locale="it-IT")
    assert "## KPI principali" in md and '<html lang="it-IT">' in page
    assert "| Tasso di interazione sulla copertura | 5," in md  # 5,xx%: Italian decimals
    assert english_leaks(md) == [] and english_leaks(page) == []
    assert "## Headline KPIs" in report.to_markdown()  # the default stays English
