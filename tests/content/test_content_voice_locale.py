"""lint_voice and VoiceProfile take locales and persons as people write them; the linter's
helpers stay linear and give what the plain scans gave."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticValidationError

from smmkit.content import lint_voice
from smmkit.content._locale import normalise_locale
from smmkit.content._voice import _sentence_starts, _Spans
from smmkit.errors import ValidationError
from smmkit.models import GrammaticalPerson, VoiceProfile

TU = VoiceProfile(address={"it": GrammaticalPerson.TU})
LEI = VoiceProfile(address={"it": GrammaticalPerson.LEI})
TEXTS = [
    "Prenoti ora il Suo panettone: La aspettiamo in negozio.",
    "Prenota ora, ti aspettiamo!",
    "Gentile cliente, Le ricordiamo che il forno apre alle 7.",
]


@pytest.mark.parametrize("spelling", ["it_IT", "it-it", "IT", "it", "it_IT.UTF-8", " it-IT "])
@pytest.mark.parametrize("text", TEXTS)
def test_every_spelling_of_italian_lints_as_it_IT(spelling: str, text: str) -> None:
    for voice in (TU, LEI):
        expected = lint_voice(text, voice, "it-IT")
        assert lint_voice(text, voice, spelling) == expected
    assert any(f.rule == "register" for f in lint_voice(TEXTS[0], TU, spelling))


@pytest.mark.parametrize(
    ("locale", "suggestion"),
    [("itt", "did you mean 'it'"), ("Italian", "did you mean 'it'"), ("inglese", "'en'")],
)
def test_an_unknown_language_is_an_error_with_a_suggestion(locale: str, suggestion: str) -> None:
    with pytest.raises(ValidationError) as caught:
        lint_voice("Ciao!", TU, locale)
    assert caught.value.field == "locale"
    assert caught.value.value == locale
    assert suggestion in str(caught.value)


@pytest.mark.parametrize("bad", ["", "   ", "it-IT-foo", "x" * 100])
def test_a_malformed_locale_is_an_error(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_locale(bad)
    assert caught.value.field == "locale"


def test_a_locale_that_is_not_a_string_is_an_error() -> None:
    with pytest.raises(ValidationError):
        lint_voice("Ciao!", TU, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("written", ["Lei", "LEI", "lei", " Lei "])
def test_address_takes_lei_as_the_docs_write_it(written: str) -> None:
    # Strings as a settings file gives them (typed GrammaticalPerson in Python).
    voice = VoiceProfile.model_validate({"address": {"it": written}})
    assert voice.address["it"] is GrammaticalPerson.LEI
    assert voice.person_for("it_IT") is GrammaticalPerson.LEI
    tu = VoiceProfile.model_validate({"address": {"it": "Tu"}})
    assert tu.person_for("it-IT") is GrammaticalPerson.TU


def test_address_still_refuses_what_is_not_a_person() -> None:
    with pytest.raises(PydanticValidationError, match="tu"):
        VoiceProfile(address={"it": "Sie"})  # type: ignore[dict-item]  # refused at run time
    with pytest.raises(PydanticValidationError, match="not a grammatical person"):
        VoiceProfile(address={"it": "you"})  # type: ignore[dict-item]  # refused at run time


def test_address_keys_in_posix_spelling() -> None:
    voice = VoiceProfile.model_validate({"address": {"it_IT": "Lei"}})
    assert voice.person_for("it-IT") is GrammaticalPerson.LEI


# --- the linear helpers against the plain scans they replace -------------------------------

_OLD_GREETING = re.compile(
    r"(?:^|(?<=[.!?…:;\n]))\s*(?:gentil[ei]|car[aoie]|ciao|buongiorno|buonasera|salve|egregi[oa]"
    r"|spettabile)\b[^.!?…:;\n,]*,",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[.!?…:;\n]+")
PIECES = ["Gentile cliente", "Ciao", "caro", ",", ".", "!", "\n", " ", "\t", "ti", "a", ":", "…"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
@example("\n\n \nGentile cliente, grazie.")
@example(". \n Ciao Marco, a presto")
def test_sentence_starts_equal_the_greeting_search(text: str) -> None:
    expected = {0} | {m.end() for m in _BREAK.finditer(text)}
    expected |= {m.end() for m in _OLD_GREETING.finditer(text)}
    assert _sentence_starts(text) == expected


spans = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=12,
)


@settings(max_examples=500, deadline=None)
@given(spans, st.integers(-2, 75), st.integers(0, 10))
def test_spans_answer_as_a_scan_of_every_span(
    given_spans: list[tuple[int, int]], position: int, width: int
) -> None:
    index = _Spans(given_spans)
    assert index.holds(position) == any(s <= position < e for s, e in given_spans)
    end = position + width
    assert index.overlaps(position, end) == any(s < end and position < e for s, e in given_spans)


def _unescaped_reference(text: str, reserved: str) -> list[int]:
    # The plain scan with LinkedIn's template pattern matched at every "{" and "@".
    from smmkit.content._validate import _LI_TEMPLATE

    found, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in reserved:
            i += 2
            continue
        if c in "{@":
            m = _LI_TEMPLATE.match(text, i)
            if m:
                i = m.end()
                continue
        if c in reserved:
            found.append(i)
        i += 1
    return found


LI_PIECES = ["@[", "@", "[", "]", "(urn:li:person:", "(urn:li:", "abc", ")", "\\", "{", "}"]
LI_PIECES += ["{hashtag|\\#|", "pane", "|", "#", "_", " ", "(", ":"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(LI_PIECES), max_size=30).map("".join))
@example("@[Forno](urn:li:organization:123) @[@[x](urn:li:a:b)")
def test_linkedin_escape_check_equals_the_template_scan(text: str) -> None:
    from smmkit.content._validate import _unescaped

    reserved = "\\|{}@[]()<>#*_~"
    assert _unescaped(text, reserved) == _unescaped_reference(text, reserved)


def test_the_common_languages_are_cldr_languages() -> None:
    from smmkit.content._locale import _COMMON_LANGUAGES, _languages

    assert _languages()[0] >= _COMMON_LANGUAGES
    assert normalise_locale("fr_CA") == "fr-CA"
    assert normalise_locale("haw") == "haw"  # a language outside the common set, from CLDR
