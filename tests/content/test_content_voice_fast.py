"""The Italian register scan skips words that can start no cue (a prefilter read once per
distinct word): its cues must be those of trying every rule on every word, on the labelled
sentences, on texts made of several of them, and on random texts of their words."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.content._voice import _italian_cues

DATA = Path(__file__).parent / "data" / "voice_register_it.tsv"
SENTENCES = [
    line.split("\t")[2]
    for line in DATA.read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
WORDS = sorted({w for s in SENTENCES for w in s.split()})
GLUE = [" ", " ", " ", ", ", ". ", "? ", "! ", "\n", ": ", " «", "» ", "'", "’", " e ", " 10.000 "]


def _same(text: str) -> None:
    assert _italian_cues(text) == _italian_cues(text, prefilter=False), text


def test_every_labelled_sentence_reads_the_same_with_the_prefilter() -> None:
    for sentence in SENTENCES:
        _same(sentence)
        _same(sentence.lower())
        _same(sentence.upper())


def test_runs_of_labelled_sentences_read_the_same_with_the_prefilter() -> None:
    for k in range(0, len(SENTENCES) - 3, 3):
        _same(" ".join(SENTENCES[k : k + 4]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=40))
def test_random_texts_read_the_same_with_the_prefilter(parts: list[tuple[str, str]]) -> None:
    _same("".join(w + g for w, g in parts))
    _same("".join(w.capitalize() + g for w, g in parts))
