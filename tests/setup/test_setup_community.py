"""The setup file's [community] table: moderation rules and saved replies, checked on load
against each other and against the brand's voice."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from smmkit.community import DEFAULT_RULES, CommunitySettings, ModerationAction, SavedReply
from smmkit.errors import SetupError
from smmkit.models import GrammaticalPerson, MessageCategory, Weekday
from smmkit.setup import load_setup, parse_setup

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"


def _data() -> dict[str, Any]:
    return tomllib.loads(FORNO.read_text(encoding="utf-8"))


def _with(community: dict[str, Any]) -> dict[str, Any]:
    data = _data()
    data["community"] = community
    return data


def test_the_example_declares_rules_and_saved_replies() -> None:
    setup = load_setup(FORNO)
    community = setup.community
    policy = community.policy
    assert policy.rules[0].name == "opening-hours"
    assert policy.rules[1:] == DEFAULT_RULES  # include_default_rules = true
    assert policy.own_domains == ("fornoaurora.example",)
    assert policy.saved_replies() == {"opening-hours"}
    reply = community.reply("opening-hours", brand=setup.brand)
    assert reply.address is GrammaticalPerson.TU and reply.category is MessageCategory.QUESTION
    english = community.reply("opening-hours", brand=setup.brand, language="en")
    assert english.language == "en" and english.text.startswith("Hi {name}")
    with pytest.raises(KeyError, match="opening-hours, sorry, thanks"):
        community.reply("menu", brand=setup.brand)


def test_no_community_table_gives_the_default_rules_and_no_replies() -> None:
    data = _data()
    del data["community"]
    setup = parse_setup(data)
    assert setup.community == CommunitySettings()
    assert setup.community.policy.rules == DEFAULT_RULES
    assert setup.community.saved_replies == ()


def test_rules_replace_the_defaults_unless_asked() -> None:
    community = copy.deepcopy(_data()["community"])
    del community["include_default_rules"]
    setup = parse_setup(_with(community))
    assert [r.name for r in setup.community.policy.rules] == ["opening-hours"]
    action = setup.community.policy.rules[0].actions[0]
    assert action.do is ModerationAction.REPLY and action.reply == "opening-hours"


def _error(data: dict[str, Any]) -> SetupError:
    with pytest.raises(SetupError) as caught:
        parse_setup(data, source="forno.toml")
    return caught.value


def test_a_rule_replying_with_an_unknown_saved_reply_is_refused() -> None:
    community = copy.deepcopy(_data()["community"])
    community["rules"][0]["actions"] = ["reply:opening-hour"]
    error = _error(_with(community))
    assert error.file == "forno.toml" and error.key == "community"
    assert "'opening-hour', which is not a saved reply (did you mean 'opening-hours'?)" in str(
        error
    )


def test_a_saved_reply_only_in_the_other_register_is_refused_for_the_rule() -> None:
    community = copy.deepcopy(_data()["community"])
    for saved in community["saved_replies"]:
        if saved["name"] == "opening-hours" and saved.get("language", "it") == "it":
            saved["address"] = "lei"
            saved["text"] = "Buongiorno {name}, siamo aperti dalle 7 alle 19. La aspettiamo."
    error = _error(_with(community))
    assert error.key == "community.rules[0].actions[0]"
    assert "no version in 'it' for the brand's register (tu)" in str(error)
    assert error.value == "opening-hours"


def test_a_saved_reply_that_breaks_the_voice_is_refused_on_load() -> None:
    community = copy.deepcopy(_data()["community"])
    community["saved_replies"][2]["text"] = (
        "Grazie {name}! La aspettiamo, il nostro pane non è surgelato."
    )
    error = _error(_with(community))
    assert error.key == "community.saved_replies[2].text"
    message = str(error)
    assert "register" in message and "'La'" in message
    assert "banned_term" in message and "surgelato" in message


def test_a_reply_for_the_other_register_may_sit_in_the_library() -> None:
    community = copy.deepcopy(_data()["community"])
    community["saved_replies"].append(
        {
            "name": "thanks",
            "address": "lei",
            "category": "praise",
            "text": "La ringraziamo, {name}.",
        }
    )
    setup = parse_setup(_with(community))
    assert setup.community.reply("thanks", brand=setup.brand).address is GrammaticalPerson.TU


@pytest.mark.parametrize(
    ("change", "key", "fragment"),
    [
        ({"text": "Ciao {Nome}!"}, "community.saved_replies.0.text", "not a placeholder"),
        ({"address": "you"}, "community.saved_replies.0", "not Italian"),
        ({"category": "domanda"}, "community.saved_replies.0.category", "question"),
        ({"name": "Opening Hours"}, "community.saved_replies.0.name", "pattern"),
    ],
)
def test_bad_saved_replies_name_the_key(change: dict[str, str], key: str, fragment: str) -> None:
    community = copy.deepcopy(_data()["community"])
    community["saved_replies"][0].update(change)
    error = _error(_with(community))
    assert error.key.replace("[", ".").replace("]", "") == key
    assert fragment in str(error)


def test_the_same_reply_twice_is_refused() -> None:
    community = copy.deepcopy(_data()["community"])
    community["saved_replies"].append(dict(community["saved_replies"][2]))
    error = _error(_with(community))
    assert "saved_replies[4] repeats saved_replies[2]" in str(error)


def test_rule_errors_come_from_the_rules_model() -> None:
    community = copy.deepcopy(_data()["community"])
    community["rules"].append(dict(community["rules"][0]))
    assert "two rules are named 'opening-hours'" in str(_error(_with(community)))
    community = copy.deepcopy(_data()["community"])
    community["rules"][0]["actions"] = ["assign"]
    assert "needs to whom" in str(_error(_with(community)))


def test_settings_are_usable_without_a_setup_file() -> None:
    saved = SavedReply(name="hi", text="Ciao {name}!")
    settings = CommunitySettings(saved_replies=(saved,), own_domains="fornoaurora.example")  # type: ignore[arg-type]
    assert settings.policy.own_domains == ("fornoaurora.example",)
    assert settings.policy.rules == DEFAULT_RULES


def test_json_round_trip(tmp_path: Path) -> None:
    setup = load_setup(FORNO)
    path = tmp_path / "forno.json"
    path.write_text(setup.model_dump_json(indent=2), encoding="utf-8")
    assert load_setup(path).community == setup.community


def test_business_hours_in_the_setup() -> None:
    community = copy.deepcopy(_data()["community"])
    community["business_hours"] = {
        "timezone": "Europe/Rome",
        "hours": {"tue": "07:00-19:00", "sat": "07:00-13:00"},
    }
    setup = parse_setup(_with(community))
    hours = setup.community.business_hours
    assert hours is not None and set(hours.hours) == {Weekday.TUE, Weekday.SAT}
    again = CommunitySettings.model_validate(
        setup.community.model_dump(mode="json", exclude_defaults=True)
    )
    assert again == setup.community  # what the workspace stores reads back the same
    community["business_hours"]["hours"]["mon"] = "19:00-07:00"
    error = _error(_with(community))
    assert error.key == "community.business_hours.hours" and "closing must be" in str(error)
