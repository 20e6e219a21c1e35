"""The label-run tables of the linear URL scanner against the patterns they stand for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smmkit.text import _extract


def reference_label_runs(
    text: str, start: int, limit: int, *, ascii_labels: bool
) -> tuple[list[int], list[int]]:
    """One run at a time, with the pattern (what ``_Domains`` did before the tables)."""
    length = max(limit - start, 0)
    run_end = [0] * length
    last_underscore = [-1] * length
    pattern = _extract._ASCII_LABEL_RUN if ascii_labels else _extract._LABEL_RUN
    for run in pattern.finditer(text, start, limit):
        a, b = run.start(), run.end()
        run_end[a - start : b - start] = [b] * (b - a)
        if not ascii_labels:
            underscore = text.rfind("_", a, b)
            if underscore != -1:
                last_underscore[a - start : b - start] = [underscore] * (b - a)
    return run_end, last_underscore


def test_tables_hold_the_label_characters() -> None:
    # Every code point of the Basic Multilingual Plane, and a few beyond it.
    every = [chr(c) for c in range(0x10000)] + ["\U0001f600", "\U00010000", "\U0010ffff"]
    for ascii_labels, pattern in ((False, _extract._LABEL_RUN), (True, _extract._ASCII_LABEL_RUN)):
        expected = [pattern.fullmatch(c) is not None for c in every]
        runs, _ = _extract._label_runs("".join(every), 0, ascii_labels=ascii_labels)
        assert [end != 0 for end in runs] == expected


pieces = st.sampled_from(
    ["a", "b1", "_", "-", ".", "x_y", "é", "漢", "👍", " ", "/", "xn--", "\ufeff", "\u3000", "Ā"]
)


@given(st.lists(pieces, max_size=30).map("".join), st.integers(0, 10), st.booleans())
def test_label_runs_match_the_pattern(text: str, start: int, ascii_labels: bool) -> None:
    start = min(start, len(text))
    for limit in (len(text), max(start, len(text) - 3)):
        got = _extract._label_runs(text[start:limit], start, ascii_labels=ascii_labels)
        assert got == reference_label_runs(text, start, limit, ascii_labels=ascii_labels)
