"""Saved replies: placeholders filled once, the brand's register and the platform's limits
checked before anything is sent, every finding listed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smmkit.community import (
    STANDARD_PLACEHOLDERS,
    ReplyCheck,
    ReplyFinding,
    ReplyRefused,
    SavedReply,
    check_reply,
    choose_reply,
    placeholders_of,
    prepare_reply,
    render_reply,
)
from smmkit.content import rules_for
from smmkit.errors import ContentRuleError, SmmkitError, ValidationError
from smmkit.models import (
    Brand,
    ContentPillar,
    GrammaticalPerson,
    MessageCategory,
    Register,
    VoiceProfile,
)

ON = date(2026, 6, 1)


def _brand(register: Register = Register.INFORMAL, **voice: object) -> Brand:
    return Brand(
        name="Trattoria Da Gino",
        locales=("it-IT", "en-GB"),
        timezone="Europe/Rome",
        website="https://dagino.example",
        voice=VoiceProfile.model_validate({"register": register, **voice}),
        pillars=(ContentPillar(key="food", name="Cucina", share=1.0),),
    )


THANKS_TU = SavedReply(
    name="thanks",
    category=MessageCategory.PRAISE,
    address=GrammaticalPerson.TU,
    text="Grazie {name}! Ti aspettiamo presto da {brand}.",
)
THANKS_LEI = SavedReply(
    name="thanks",
    category=MessageCategory.PRAISE,
    address=GrammaticalPerson.LEI,
    text="Grazie {name}, La aspettiamo presto da {brand}.",
)
BOOK = SavedReply(
    name="book",
    category=MessageCategory.LEAD,
    text="Ciao {name}, prenota qui: {link}",
)


def test_placeholders_are_read_in_order_and_braces_escape() -> None:
    assert placeholders_of("Ciao {name}, da {brand}: {name}") == ("name", "brand")
    assert placeholders_of("{{name}} is literal") == ()
    assert THANKS_TU.placeholders == ("name", "brand")
    assert {"name", "brand", "link"} <= STANDARD_PLACEHOLDERS


@pytest.mark.parametrize(
    "template", ["Ciao {Name}", "Ciao {name", "Ciao }", "Ciao {first name}", "{0.__class__}"]
)
def test_a_broken_template_is_refused_when_the_reply_is_made(template: str) -> None:
    with pytest.raises(ValidationError, match=r"not a placeholder|lone"):
        placeholders_of(template)
    with pytest.raises(ValueError, match=r"placeholder|brace"):
        SavedReply(name="x", text=template)


def test_render_fills_brand_and_link_from_the_brand() -> None:
    brand = _brand()
    assert render_reply(BOOK, brand=brand, values={"name": "Marta"}) == (
        "Ciao Marta, prenota qui: https://dagino.example"
    )
    # a value given wins over the brand's; values not used are ignored
    text = render_reply(
        BOOK, brand=brand, values={"name": "Marta", "link": "https://x.example/b", "extra": "y"}
    )
    assert text.endswith("https://x.example/b")


def test_a_missing_placeholder_is_refused_with_the_finding() -> None:
    with pytest.raises(ReplyRefused) as caught:
        render_reply(THANKS_TU, brand=_brand(), values={})
    error = caught.value
    assert isinstance(error, ContentRuleError) and isinstance(error, SmmkitError)
    (finding,) = error.findings
    assert isinstance(finding, ReplyFinding) and finding.rule == "placeholder.missing"
    assert "{name}" in str(error) and error.violations == error.findings
    # an empty or blank value is missing too
    with pytest.raises(ReplyRefused, match="no value for"):
        render_reply(THANKS_TU, brand=_brand(), values={"name": " \n "})


def test_a_misspelt_placeholder_gets_a_did_you_mean() -> None:
    saved = SavedReply(name="typo", text="Ciao {nmae}!")
    with pytest.raises(ReplyRefused) as caught:
        render_reply(saved, brand=_brand(), values={"name": "Ada"})
    (finding,) = caught.value.findings
    assert isinstance(finding, ReplyFinding)
    assert finding.rule == "placeholder.unknown" and finding.suggestion == "name"
    assert "did you mean {name}" in finding.message


def test_values_are_never_read_as_templates_and_lose_control_characters() -> None:
    text = render_reply(THANKS_TU, brand=_brand(), values={"name": "{link}\n@everyone\x00"})
    assert text.startswith("Grazie {link} @everyone! ")
    assert "https://" not in text
    # ... and braces in a value are not a placeholder the brand forgot
    ok = prepare_reply(THANKS_TU, brand=_brand(), platform="mastodon", values={"name": "{x}"})
    assert ok.ok, ok.findings


def test_check_reply_finds_the_wrong_register_and_refuses() -> None:
    brand = _brand(Register.INFORMAL)
    result = check_reply(
        "La ringraziamo, La aspettiamo presto.", brand=brand, platform="mastodon", on=ON
    )
    assert isinstance(result, ReplyCheck) and not result.ok
    assert {f.check for f in result.errors} == {"voice"}
    assert all(f.rule == "register" for f in result.errors)
    with pytest.raises(ReplyRefused) as caught:
        result.raise_for_findings()
    assert len(caught.value.findings) == 2
    assert "Lei" in str(caught.value)
    fine = check_reply("Grazie! Ti aspettiamo presto.", brand=brand, platform="mastodon", on=ON)
    assert fine.ok and fine.findings == ()
    fine.raise_for_findings()  # nothing to refuse


def test_check_reply_finds_the_platform_limit() -> None:
    brand = _brand()
    result = check_reply("Grazie! " + "a" * 600, brand=brand, platform="mastodon", on=ON)
    assert [f.rule for f in result.errors] == ["text.limit"]
    assert result.errors[0].check == "platform" and result.errors[0].span is not None
    # an instance's own limit replaces the table's
    roomy = rules_for("mastodon", overrides={"text.limit": 5000})
    assert check_reply("Grazie! " + "a" * 600, brand=brand, platform="mastodon", rules=roomy).ok


def test_check_reply_finds_an_empty_reply_and_unfilled_placeholders() -> None:
    brand = _brand()
    assert [f.rule for f in check_reply("  ", brand=brand, platform="bluesky").errors] == [
        "text.empty"
    ]
    result = check_reply("Ciao {name}, a presto!", brand=brand, platform="bluesky", on=ON)
    assert [f.rule for f in result.errors] == ["placeholder.unfilled"]
    assert result.errors[0].span == (5, 11)
    assert check_reply("a {{ b } c {1}", brand=brand, platform="bluesky", on=ON).ok


def test_check_reply_lists_every_finding_at_once() -> None:
    brand = _brand(Register.FORMAL, banned_terms=("economico",))
    text = "Ti offriamo un menù economico {name} " + "x" * 300
    result = check_reply(text, brand=brand, platform="bluesky", on=ON)
    checks = sorted({(f.check, f.rule) for f in result.errors})
    assert checks == [
        ("placeholder", "placeholder.unfilled"),
        ("platform", "text.limit"),
        ("voice", "banned_term"),
        ("voice", "register"),
    ]
    spans = [f.span for f in result.findings if f.span is not None]
    assert spans == sorted(spans)


def test_warnings_do_not_refuse() -> None:
    result = check_reply("Grazie!!! A presto", brand=_brand(), platform="mastodon", on=ON)
    assert result.ok and result.warnings and result.warnings[0].rule == "shouting"


def test_prepare_reply_refuses_a_saved_reply_of_the_other_register() -> None:
    formal = _brand(Register.FORMAL)
    result = prepare_reply(
        THANKS_TU, brand=formal, platform="mastodon", values={"name": "Ada"}, on=ON
    )
    assert not result.ok
    assert result.errors[0].check == "register"
    assert "Lei" in result.errors[0].message
    # ... and flags it even when the text carries no cue the linter could see
    quiet = SavedReply(name="q", address=GrammaticalPerson.TU, text="Grazie {name}!")
    assert [
        f.check
        for f in prepare_reply(
            quiet, brand=formal, platform="mastodon", values={"name": "Ada"}, on=ON
        ).errors
    ] == ["register"]
    ok = prepare_reply(THANKS_LEI, brand=formal, platform="mastodon", values={"name": "Ada"}, on=ON)
    assert ok.ok and ok.text == "Grazie Ada, La aspettiamo presto da Trattoria Da Gino."
    assert ok.locale == "it-IT"


def test_prepare_reply_collects_missing_values_with_the_rest() -> None:
    result = prepare_reply(THANKS_LEI, brand=_brand(), platform="mastodon", on=ON)
    assert sorted(f.check for f in result.errors) == ["placeholder", "register", "voice"]
    assert [f.rule for f in result.errors if f.check == "placeholder"] == ["placeholder.missing"]


def test_a_commenters_name_is_not_the_brands_voice() -> None:
    brand = _brand()
    result = prepare_reply(
        THANKS_TU, brand=brand, platform="mastodon", values={"name": "MARCO LEI"}, on=ON
    )
    assert result.ok and result.findings == ()
    # the same text typed by hand is linted whole
    assert check_reply(result.text, brand=brand, platform="mastodon", on=ON).warnings


def test_choose_reply_picks_the_brands_register() -> None:
    replies = [THANKS_TU, THANKS_LEI, BOOK]
    assert choose_reply(replies, brand=_brand(Register.INFORMAL), name="thanks") is THANKS_TU
    assert choose_reply(replies, brand=_brand(Register.FORMAL), name="thanks") is THANKS_LEI
    by_category = choose_reply(
        replies, brand=_brand(Register.FORMAL), category=MessageCategory.PRAISE
    )
    assert by_category is THANKS_LEI
    # an open-register reply serves any brand; a reply in another register never does
    assert choose_reply(replies, brand=_brand(Register.FORMAL), name="book") is BOOK
    assert choose_reply([THANKS_TU], brand=_brand(Register.FORMAL), name="thanks") is None
    assert choose_reply(replies, brand=_brand(), name="thanks", language="en") is None
    with pytest.raises(ValidationError, match="name or a category"):
        choose_reply(replies, brand=_brand())


def test_saved_reply_refuses_an_address_of_another_language() -> None:
    with pytest.raises(ValueError, match="not English"):
        SavedReply(name="x", language="en", address=GrammaticalPerson.TU, text="Hi")
    with pytest.raises(ValueError, match="not Italian"):
        SavedReply(name="x", language="it", address=GrammaticalPerson.YOU, text="Ciao")
    assert SavedReply(name="x", address="Lei", text="Buongiorno").address is GrammaticalPerson.LEI  # type: ignore[arg-type]


_REFERENCE = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}ab_ 1\n", max_size=60))
@example("{{_}}")
@example("{{a}} {b} {{")
def test_any_template_either_parses_or_is_refused_clearly(template: str) -> None:
    try:
        names = placeholders_of(template)
    except ValidationError as exc:
        message = str(exc)
        names = ()
    else:
        message = ""
    if message:
        assert "brace" in message or "placeholder" in message
        return
    if not template.strip():
        return
    values = {name: f"<{name.upper()}>" for name in names}
    saved = SavedReply(name="p", text=template)  # stripped, as every model's text is
    text = render_reply(saved, brand=_brand(), values=values)
    # the same result as an independent reading: escaped braces single, placeholders filled
    expected = _REFERENCE.sub(
        lambda m: values[m.group(1)] if m.group(1) else m.group(0)[0], saved.text
    )
    assert text == expected
    # The check reads the text alone: it flags exactly the "{name}" left in it, which here can
    # only come from escaped braces ("{{_}}" renders "{_}", which looks unfilled: refused, as
    # sending it to a customer would be a mistake too), never from a filled placeholder.
    flagged = [
        f
        for f in check_reply(text, brand=_brand(), platform="mastodon", on=ON).findings
        if f.check == "placeholder"
    ]
    assert len(flagged) == len(re.findall(r"\{[a-z_][a-z0-9_]*\}", text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_a_value_comes_out_as_given_whatever_it_holds(value: str) -> None:
    saved = SavedReply(name="v", text="A {name} B")
    clean = "".join(c if c.isprintable() else " " for c in value).strip()
    if not clean:
        with pytest.raises(ReplyRefused):
            render_reply(saved, brand=_brand(), values={"name": value})
        return
    assert render_reply(saved, brand=_brand(), values={"name": value}) == f"A {clean} B"


def test_choose_reply_reads_a_category_given_as_text() -> None:
    replies = [THANKS_TU, BOOK]
    found = choose_reply(replies, brand=_brand(), category="lead")  # type: ignore[arg-type]
    assert found is BOOK
    with pytest.raises(ValidationError, match="must be one of spam, abuse"):
        choose_reply(replies, brand=_brand(), category="lode")  # type: ignore[arg-type]
