"""Accent and case folding with a map back to the text: the same as folding one character at a
time (the reference), on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.content._fold import fold, fold_with_map


def _reference(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", c)
        f = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
        out.append(f)
        index.extend([i] * len(f))
    index.append(len(text))
    return "".join(out), index


# Characters that fold to none ("\u0301"), to several ("ß", "ﬁ", "½") or to one ("È", "Ω").
_SPECIAL = st.sampled_from(["\u0301", "ß", "ﬁ", "½", "È", "Ω", "ǅ", "İ", "a", " ", "-", "]", "^"])
texts = st.one_of(st.text(max_size=80), st.lists(_SPECIAL, max_size=40).map("".join))


@settings(max_examples=500, deadline=None)
@given(texts)
def test_fold_with_map_matches_one_character_at_a_time(text: str) -> None:
    folded, index = fold_with_map(text)
    expected_folded, expected_index = _reference(text)
    if text.isascii():  # the ASCII path lowercases (the same as casefold on ASCII)
        assert (folded, index) == (text.lower(), list(range(len(text) + 1)))
    assert folded == expected_folded
    assert index == expected_index
    assert fold(text) == folded


def test_a_character_that_folds_to_several_maps_each_part_back() -> None:
    folded, index = fold_with_map("Straße Ｅ")
    assert folded == "strasse e"
    assert index == [0, 1, 2, 3, 4, 4, 5, 6, 7, 8]
