"""The sink encoders: CSV cells, one-line fields, control characters and links."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit._sinks import csv_cell, safe_url, single_line, strip_controls
from smmkit.errors import ValidationError


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n", "＝"])
def test_formula_cells_are_neutralised(start: str) -> None:
    assert csv_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_numbers_and_plain_text_pass() -> None:
    assert csv_cell(-3) == -3
    assert csv_cell("Forno Aurora") == "Forno Aurora"
    assert csv_cell("") == ""


@given(st.text())
def test_no_csv_cell_starts_a_formula_after_a_round_trip(text: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(text)])
    (cell,) = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not cell or cell[0] not in "=+-@\t\r"


@given(st.text())
def test_single_line_has_no_controls(text: str) -> None:
    line = single_line(text)
    assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in line)


@given(st.text())
def test_strip_controls_keeps_only_newlines(text: str) -> None:
    cleaned = strip_controls(text)
    assert all(c == "\n" or unicodedata.category(c) not in ("Cc", "Zl", "Zp") for c in cleaned)


def test_strip_controls_normalises_breaks() -> None:
    assert strip_controls("a\r\nb\rc\u2028d\x00e") == "a\nb\nc\nde"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>",
        "JaVaScRiPt:alert(1)",
        "https://user:pw@example.com/",
        "https://example.com\\@evil.test/",
        "https:///nohost",
        "https://exa mple.com/",
        "https://example.com/\x00",
        "",
        "//example.com/x",
        "https://example.com:99999/",
    ],
)
def test_unsafe_links_are_refused(url: str) -> None:
    with pytest.raises(ValidationError) as error:
        safe_url(url, field="newsletter.unsubscribe_url")
    assert "newsletter.unsubscribe_url" in str(error.value)
    assert "pw" not in str(error.value)


def test_safe_links_and_declared_merge_tags_pass() -> None:
    assert safe_url("https://fornoaurora.it/a?b=c") == "https://fornoaurora.it/a?b=c"
    assert safe_url("*|UNSUB|*", merge_tags={"*|UNSUB|*"}) == "*|UNSUB|*"
    with pytest.raises(ValidationError):
        safe_url("*|UNSUB|*")
