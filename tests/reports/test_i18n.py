"""Catalogs, locale formatting, and the localised outputs of other modules."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from hypothesis import given
from hypothesis import strategies as st

from smmkit.budget import pace, repace
from smmkit.errors import ValidationError
from smmkit.i18n import (
    LOCALE_PATH_ENV,
    available_languages,
    catalog_dirs,
    localizer,
    normalize_locale,
)
from smmkit.i18n._maintain import extract, missing, write_catalog
from smmkit.models import Money, Weekday

from ._leaks import english_leaks


def test_numbers_money_and_dates_follow_the_locale() -> None:
    it, en = localizer("it-IT"), localizer("en")
    assert it.percent(0.0483) == "4,83%"
    assert en.percent(0.0483) == "4.83%"
    assert it.currency(Money.of("1500", "EUR")) == "1.500,00\u00a0€"
    assert en.currency(Money.of("1500", "EUR")) == "€1,500.00"
    assert it.day_month(date(2026, 12, 7)) == "lunedì 7 dicembre"
    assert en.day_month(date(2026, 12, 7)) == "Monday 7 December"
    assert it.integer(1500) == "1.500" and en.integer(1500) == "1,500"
    assert it.number(Decimal("1234.5"), 1) == "1.234,5"
    assert it.month_year(2026, 12) == "dicembre 2026"
    assert it.weekday(Weekday.MON) == "lunedì" and en.weekday(6, "abbreviated") == "Sun"
    assert it.percent(None) == "–"


@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_percent_round_trips_through_babel(value: float) -> None:
    from babel.numbers import parse_decimal

    text = localizer("it-IT").percent(value)
    assert text.endswith("%")
    back = parse_decimal(text.rstrip("%").replace("\u2212", "-"), locale="it_IT")
    assert abs(float(back) / 100 - value) <= 0.00005 + 1e-12


def test_locale_tags_are_checked() -> None:
    assert normalize_locale("it-it") == "it_IT" and normalize_locale("en") == "en"
    assert normalize_locale("zh-hant-tw") == "zh_Hant_TW"
    with pytest.raises(ValidationError, match="locale tag"):
        localizer("italiano!")


def test_italian_and_english_catalogs_are_complete() -> None:
    assert {"it", "en"} <= set(available_languages())
    assert missing("it") == []
    assert missing("en") == []


def test_translations_keep_the_placeholders() -> None:
    field = re.compile(r"\{[a-z_]+\}")
    for lang in ("it", "en"):
        path = catalog_dirs()[-1] / lang / "LC_MESSAGES" / "smmkit.po"
        with path.open("rb") as fh:
            catalog = read_po(fh)
        for msg in catalog:
            if not msg.id:
                continue
            ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
            strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
            want = set(field.findall(str(ids[0])))
            for text in strings:
                assert set(field.findall(str(text or ""))) == want, (lang, msg.id, text)


def test_every_source_message_is_in_the_template() -> None:
    ids = {m.id for m in extract() if m.id}
    assert "Unsubscribe" in ids and "Week of {date}" in ids


def test_a_third_language_needs_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_catalog("fr", tmp_path)
    with path.open("rb") as fh:
        catalog = read_po(fh)
    catalog["Unsubscribe"].string = "Se désabonner"
    catalog["Week of {date}"].string = "Semaine du {date}"
    with path.open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setenv(LOCALE_PATH_ENV, str(tmp_path))
    fr = localizer("fr-FR")
    assert fr._("Unsubscribe") == "Se désabonner"
    assert fr._("Week of {date}", date="x") == "Semaine du x"
    assert fr._("No posts this week.") == "No posts this week."  # falls back to English
    assert fr.percent(0.5) == "50,00\u00a0%"
    assert "fr" in available_languages()
    assert "Campaign" in missing("fr", tmp_path)


def test_a_broken_catalog_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "xx" / "LC_MESSAGES" / "smmkit.po"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"garbage line\n")
    monkeypatch.setenv(LOCALE_PATH_ENV, str(tmp_path))
    with pytest.raises(ValidationError, match="gettext catalog"):
        localizer("xx")


def test_the_leak_check_can_fail() -> None:
    assert english_leaks("Settimana dal 7 dicembre") == []
    assert english_leaks("| Giorno | Time | Canale |") == ["Time"]
    assert "No posts this week" in english_leaks("No posts this week.")


def test_pacing_notes_name_holidays_in_the_locale() -> None:
    amounts = {"meta": Money.of("310", "EUR")}
    it = pace(amounts, date(2027, 1, 1), date(2027, 1, 10), country="IT", locale="it-IT")
    assert any("Epifania" in n and "mercoledì 6 gennaio" in n for n in it.notes)
    assert english_leaks(" ".join(it.notes)) == []
    en = pace(amounts, date(2027, 1, 1), date(2027, 1, 10), country="IT", locale="en")
    assert any("Epiphany" in n for n in en.notes)
    assert {d.holiday for d in it.days if d.holiday} >= {"Epifania"}
    over = repace(it, {"meta": Money.of("400", "EUR")}, date(2027, 1, 5))
    assert over.notes == ("meta ha speso 90,00\u00a0€ oltre il budget: in pausa",)


def test_import_smmkit_does_not_load_babel() -> None:
    code = "import sys, smmkit, smmkit.i18n; print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_newsletter_footer_in_italian() -> None:
    from smmkit.content import render_html, render_markdown
    from smmkit.content._longform import plain_text
    from smmkit.models import Newsletter, Section

    nl = Newsletter(
        title="Novità dal forno",
        slug="novita",
        locale="it-IT",
        preheader="Il panettone è tornato, prenotalo in negozio",
        sections=(Section(heading="Il panettone", body="Prenotalo in negozio."),),
    )
    for text in (render_html(nl), render_markdown(nl), plain_text(nl)):
        assert "Annulla l'iscrizione" in text.replace("&#x27;", "'")
        assert english_leaks(text) == []


def test_blog_byline_date_in_the_language() -> None:
    from datetime import UTC, datetime

    from smmkit.content import render_html
    from smmkit.models import BlogPost, Section

    post = BlogPost(
        title="Il pane",
        slug="il-pane",
        locale="it-IT",
        author="Chiara",
        published_at=datetime(2026, 12, 7, 9, tzinfo=UTC),
        sections=(Section(heading="Uno", body="Testo."),),
    )
    assert ">7 dicembre 2026</time>" in render_html(post)


def test_italian_agenda_has_no_english_ui() -> None:
    from smmkit.planner import PlanRequest, agenda_markdown, plan
    from smmkit.setup import load_setup

    root = Path(__file__).resolve().parents[2]
    setup = load_setup(root / "examples" / "forno_aurora.toml")
    calendar = plan(
        PlanRequest(
            brand=setup.brand,
            channels=setup.channels,
            start=date(2026, 12, 28),
            weeks=2,
            campaigns=setup.campaigns,
            content=setup.content,
            audience=setup.audience,
        )
    )
    agenda = agenda_markdown(calendar)
    assert "Epifania" in agenda and "mercoledì 6 gennaio" not in agenda  # abbreviated weekdays
    assert "mer 6 gennaio: Epifania" in agenda
    assert english_leaks(agenda) == []
    assert english_leaks(agenda_markdown(calendar, locale="en")) != []  # the check can fail


@given(st.text(max_size=50))
def test_values_are_never_read_as_templates(value: str) -> None:
    it = localizer("it-IT")
    assert it._("Week of {date}", date=value) == "Settimana dal " + value
    assert it.n_(
        "{n} post published in {month}.", "{n} posts published in {month}.", 2, month=value
    ) == (f"2 post pubblicati a {value}.")


def test_a_regional_catalog_overrides_only_what_differs() -> None:
    us, gb = localizer("en-US"), localizer("en-GB")
    assert us.day_month(date(2026, 12, 7)) == "Monday, December 7"
    assert gb.day_month(date(2026, 12, 7)) == "Monday 7 December"
    assert us._("Top posts") == "Top posts"  # from the English catalog
    assert us.currency(Money.of("1500", "USD")) == "$1,500.00"


def test_every_literal_message_in_the_source_reaches_the_catalogs() -> None:
    """A ``_("...")`` written inside an f-string is invisible to the extractor; this finds it."""
    import smmkit

    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    call = re.compile(
        r"""(?<![\w.`])(?:loc\.|self\.loc\.|f\.loc\.)?_\((['"])((?:(?!\1).)+)\1[,)]"""
    )
    missing = []
    for path in Path(smmkit.__file__).parent.rglob("*.py"):
        for match in call.finditer(path.read_text(encoding="utf-8")):
            if match.group(2) not in ids:
                missing.append(f"{path.name}: {match.group(2)}")
    assert missing == []
