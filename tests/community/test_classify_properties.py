"""Invariants of the default classifier: it never raises, it is deterministic, and the work it
does is linear in the length of the text (counted, not timed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import MAX_CHARS, classify, detect_language
from smmkit.community._classify import _read
from smmkit.models import MessageCategory

_ALPHABET = st.sampled_from(
    [*list("abcdeilmnorstuxyz0134*.@#$?! '’_-/:"), "à", "è", "é", "😍", "👏", "🖕", "\u200b", "𝐟"]
)
_SOCIAL = st.text(alphabet=_ALPHABET, max_size=300)
# Per character of text, the reading does at most this many elementary steps (a lookup per stem
# length and per candidate phrase); a constant, so the work is linear.
_STEPS_PER_CHAR = 64


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), _SOCIAL))
def test_never_raises_and_is_deterministic(text: str) -> None:
    first = classify(text)
    assert first == classify(text)
    assert first.category in set(MessageCategory)
    assert first.language in {"it", "en", "und"}
    assert 0.0 <= first.confidence <= 1.0
    assert len(first.cues) <= 24
    assert detect_language(text) == first.language


@settings(max_examples=200, deadline=None)
@given(_SOCIAL)
def test_work_is_bounded_by_the_length(text: str) -> None:
    assert _read(text).work <= _STEPS_PER_CHAR * len(text) + _STEPS_PER_CHAR


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40))
def test_work_grows_linearly_on_repeated_text(unit: str) -> None:
    # The work for n copies is a*n + b (b may be negative: the last words have fewer phrases
    # that fit); from 20k to 40k characters costs what 10k to 20k cost, twice. (Below about
    # 4k characters there are steps, not growth: a run stops being one link past the longest
    # URL the extractor takes.)
    n = 10_000 // len(unit) + 1
    w1, w2, w4 = (_read(unit * (n * k)).work for k in (1, 2, 4))
    assert w4 - w2 <= 2 * (w2 - w1) + _STEPS_PER_CHAR * len(unit) * 4


def test_adversarial_shapes_stay_linear() -> None:
    shapes = [
        "a" * 20_000,
        "a*" * 10_000,
        "st*onzo " * 2_500,
        "@" * 20_000,
        "a.b" * 7_000,
        "buonissimooooo" * 1_500,
        "http://bit.ly/" * 1_500,
        "? " * 10_000,
        "😍" * 20_000,
        "non " * 5_000,
        "quanto costa " * 1_600,
        "i know where she works " * 900,  # each "know where" reads a bounded span
        "so a che ora stacca " * 1_000,
        "the genius who has the brains of a " * 600,
        "il mondo e piccolo e tua moglie " * 600,
    ]
    for shape in shapes:
        work = _read(shape).work
        assert work <= _STEPS_PER_CHAR * len(shape), (shape[:20], work)
        half = _read(shape[: len(shape) // 2]).work
        assert work <= 2 * half + 16 * _STEPS_PER_CHAR, (shape[:20], work, half)


def test_long_messages_are_cut() -> None:
    found = _read("x " * MAX_CHARS)
    assert found.truncated
    assert "truncated" in classify("x " * MAX_CHARS).cues
