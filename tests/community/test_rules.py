"""Moderation rules: conditions, three-valued logic, actions, reasons and the default rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic
import pytest

from smmkit.community import (
    DEFAULT_POLICY,
    DEFAULT_RULES,
    KeywordMatcher,
    ModerationAction,
    ModerationContext,
    ModerationPolicy,
    ModerationRule,
    PlannedAction,
    RuleAction,
    RuleCondition,
    evaluate,
)
from smmkit.models import InboxMessage, MessageCategory, MessageKind, Platform

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Verdict:
    """A classification as the rules read it (the classifier's own type has the same fields)."""

    category: MessageCategory
    confidence: float = 0.95
    cues: tuple[str, ...] = ()


def message(text: str, n: int = 1, **fields: Any) -> InboxMessage:
    data: dict[str, Any] = {
        "channel": "ig",
        "platform": Platform.INSTAGRAM,
        "message_id": f"m{n}",
        "thread_id": "p1",
        "author": "giulia.bo",
        "text": text,
        "created_at": T0,
    }
    data.update(fields)
    return InboxMessage.model_validate(data)


def rule(name: str, when: dict[str, Any], *actions: str) -> ModerationRule:
    return ModerationRule.model_validate({"name": name, "when": when, "actions": list(actions)})


def policy(*rules: ModerationRule, **settings: Any) -> ModerationPolicy:
    return ModerationPolicy(rules=rules, **settings)


def kinds(planned: tuple[PlannedAction, ...]) -> list[str]:
    return [p.action.value for p in planned]


# -- keywords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "text", "matched"),
    [
        ("truffa", "è una truffa", "truffa"),
        ("truffa", "solo truffe qui", "truffe"),
        ("truffa", "mi avete truffato", "truffato"),
        ("truffa", "siete dei TRUFFATORI", "truffatori"),
        ("truffa", "truffata due volte", "truffata"),
        ("truffa", "non voglio truffare", "truffare"),
        ("truffa", "che truffaldino", None),
        ("truffa", "antitruffa", None),
        ("truff*", "che truffaldino", "truffaldino"),
        ("ladro", "ladri e ladre", "ladri"),
        ("pacco", "tre pacchi persi", "pacchi"),
        ("scam", "these are scams", "scams"),
        ("scam", "scammer", None),
        ("perché", "ma perche???", "perche"),
        ("perche", "perché no", "perché"),
        ("link in bio", "Link  in\nBIO!!!", "link in bio"),
        ("link in bio", "link nella bio", None),
        ("re", "il reo", None),
        ("bot", "bots", "bots"),
        ("bot", "robot", None),
        ("bot", "un bot!", "bot"),
        ("offerta", "dell'offerta", "offerta"),
    ],
)
def test_keywords_match_whole_words_with_italian_inflection(
    keyword: str, text: str, matched: str | None
) -> None:
    found = KeywordMatcher([keyword]).find(text)
    if matched is None:
        assert found == []
    else:
        assert found == [(keyword, matched.lower().replace("é", "e"))]


def test_keyword_matcher_reports_each_keyword_once_in_given_order() -> None:
    matcher = KeywordMatcher(["ladro", "truffa"])
    assert matcher.find("truffa, truffe, ladri") == [("ladro", "ladri"), ("truffa", "truffa")]


@pytest.mark.parametrize("bad", ["!!!", "🙂", "tr*ffa"])
def test_a_keyword_without_words_or_with_an_inner_star_is_refused(bad: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="keyword"):
        RuleCondition(keywords=(bad,))


# -- conditions -------------------------------------------------------------------------------


def test_links_shorteners_domains_and_own_domains() -> None:
    p = policy(
        rule("links", {"links": True}, "notify"),
        rule("short", {"shortener": True}, "escalate"),
        rule("shop", {"domains": ["negozio.com"]}, "assign:sales"),
        own_domains=["fornoaurora.it"],
        shorteners=["svel.to"],
    )
    own = message("orari su https://www.fornoaurora.it/orari")
    assert evaluate(own, Verdict(MessageCategory.QUESTION), policy=p) == ()
    short = message("clicca qui: bit.ly/regalo e svel.to/x")
    planned = evaluate(short, Verdict(MessageCategory.SPAM), policy=p)
    assert kinds(planned) == ["notify", "escalate"]
    assert planned[0].cues == ("link:bit.ly", "link:svel.to")
    assert planned[1].cues == ("shortener:bit.ly", "shortener:svel.to")
    sub = message("compra su https://it.negozio.com/x")
    assert [p.cues for p in evaluate(sub, Verdict(MessageCategory.LEAD), policy=p)] == [
        ("link:it.negozio.com",),
        ("domain:it.negozio.com",),
    ]
    no_link = rule("plain", {"links": False, "category": "praise"}, "notify")
    planned = evaluate(
        message("Che meraviglia!"), Verdict(MessageCategory.PRAISE), policy=policy(no_link)
    )
    assert planned[0].cues == ("category:praise", "no-link")  # in the fields' order


def test_category_confidence_kind_and_the_reason() -> None:
    r = rule(
        "confident-spam-comment",
        {"category": ["spam", "abuse"], "min_confidence": 0.9, "kind": "comment"},
        "hide",
    )
    planned = evaluate(message("x"), Verdict(MessageCategory.SPAM, 0.93), policy=policy(r))
    assert planned == (
        PlannedAction(
            message_key="ig:m1",
            action=ModerationAction.HIDE,
            rule="confident-spam-comment",
            cues=("category:spam", "confidence:0.93>=0.9", "kind:comment"),
            reason="rule confident-spam-comment: category:spam, confidence:0.93>=0.9, kind:comment",
            category=MessageCategory.SPAM,
            confidence=0.93,
        ),
    )
    assert planned[0].key == ("ig:m1", "hide", "confident-spam-comment")
    assert evaluate(message("x"), Verdict(MessageCategory.SPAM, 0.89), policy=policy(r)) == ()
    assert evaluate(message("x"), Verdict(MessageCategory.PRAISE), policy=policy(r)) == ()
    mention = message("x", kind=MessageKind.MENTION)
    assert evaluate(mention, Verdict(MessageCategory.SPAM), policy=policy(r)) == ()


def test_new_and_small_accounts_and_unknown_never_fires() -> None:
    r = rule("young", {"account_age_days_below": 7}, "notify")
    f = rule("few", {"followers_below": 10}, "escalate")
    n = rule("not-young", {"not": {"account_age_days_below": 7}}, "assign:x")
    p = policy(r, f, n)
    young = message("ciao", author_created_at=T0 - timedelta(days=2), author_followers=3)
    planned = evaluate(young, Verdict(MessageCategory.OTHER), policy=p)
    assert kinds(planned) == ["notify", "escalate"]
    assert planned[0].cues == ("new-account:2d<7d",)
    assert planned[1].cues == ("few-followers:3<10",)
    old = message("ciao", author_created_at=T0 - timedelta(days=400), author_followers=900)
    planned = evaluate(old, Verdict(MessageCategory.OTHER), policy=p)
    assert kinds(planned) == ["assign"]
    assert planned[0].cues == ("not(account_age_days_below=7)",)
    # Unknown: neither the condition nor its negation fires.
    assert evaluate(message("ciao"), Verdict(MessageCategory.OTHER), policy=p) == ()


def test_three_valued_all_any() -> None:
    unknown = {"followers_below": 10}
    yes = {"category": "spam"}
    no = {"category": "praise"}
    spam = Verdict(MessageCategory.SPAM)

    def fires(when: dict[str, Any]) -> bool:
        return bool(evaluate(message("x"), spam, policy=policy(rule("r", when, "notify"))))

    assert fires({"any": [unknown, yes]})
    assert not fires({"any": [unknown, no]})
    assert not fires({"all": [unknown, yes]})
    assert not fires({"all": [no, unknown]})
    assert fires({"not": {"all": [no, unknown]}})  # all(false, unknown) is false
    assert not fires({"not": {"any": [no, unknown]}})  # any(false, unknown) is unknown
    assert fires({"all": [yes, {"not": no}]})


def test_repeats_within_the_window_by_anyone_and_by_the_author() -> None:
    texts = [
        ("Guadagna 500€ al giorno!!!", "a", 0),
        ("guadagna 500 € AL giorno", "b", 1),
        ("Guadagna   500€ al giorno", "a", 2),
        ("Guadagna 500€ al giorno", "c", 60),  # outside a 24 h window of the first three
        ("🔥🔥🔥", "d", 0),
        ("🔥🔥🔥", "e", 0),
    ]
    msgs = [
        message(t, n, author=a, created_at=T0 + timedelta(hours=h))
        for n, (t, a, h) in enumerate(texts)
    ]
    context = ModerationContext.from_messages(msgs)
    assert [context.repeats[m.key] for m in msgs] == [3, 3, 3, 1, 1, 1]
    assert [context.author_repeats[m.key] for m in msgs] == [2, 1, 2, 1, 1, 1]
    p = policy(
        rule("copies", {"repeated": 3}, "notify"),
        rule("same-author", {"repeated_by_author": 2}, "escalate"),
    )
    v = Verdict(MessageCategory.SPAM)
    assert kinds(evaluate(msgs[0], v, policy=p, context=context)) == ["notify", "escalate"]
    assert evaluate(msgs[0], v, policy=p, context=context)[0].cues == ("repeated:3>=3/24h",)
    assert kinds(evaluate(msgs[1], v, policy=p, context=context)) == ["notify"]
    assert evaluate(msgs[3], v, policy=p, context=context) == ()
    # Without a context, repeats are unknown: nothing fires.
    assert evaluate(msgs[0], v, policy=p) == ()
    wide = ModerationPolicy(rules=p.rules, repeat_window_hours=72).context(msgs)
    assert wide.repeats[msgs[3].key] == 4
    brand = message("Guadagna 500€ al giorno", 9, from_brand=True)
    assert ModerationContext.from_messages([*msgs, brand]).repeats[msgs[0].key] == 3


def test_keyword_rule_names_the_word_that_matched() -> None:
    r = rule("scam-talk", {"keywords": ["truffa", "ladro"]}, "escalate")
    planned = evaluate(
        message("Siete dei ladri, mi avete truffato"),
        Verdict(MessageCategory.COMPLAINT),
        policy=policy(r),
    )
    assert planned[0].cues == ("keyword:truffa=truffato", "keyword:ladro=ladri")


# -- planning -----------------------------------------------------------------------------------


def test_each_kind_of_action_once_first_rule_wins_and_delete_supersedes_hide() -> None:
    p = policy(
        rule("first", {"category": "spam"}, "hide", "assign:anna"),
        rule("second", {"category": "spam"}, "assign:marco", "notify"),
        rule("third", {"category": "spam", "min_confidence": 0.9}, "delete"),
    )
    planned = evaluate(message("x"), Verdict(MessageCategory.SPAM), policy=p)
    assert [(a.action.value, a.rule, a.to) for a in planned] == [
        ("assign", "first", "anna"),
        ("notify", "second", None),
        ("delete", "third", None),
    ]
    hidden = message("x", hidden=True)
    assert "hide" not in kinds(
        evaluate(hidden, Verdict(MessageCategory.SPAM), policy=policy(p.rules[0]))
    )
    assert evaluate(message("x", from_brand=True), Verdict(MessageCategory.SPAM), policy=p) == ()
    disabled = rule("off", {"category": "spam"}, "hide").model_copy(update={"enabled": False})
    assert evaluate(message("x"), Verdict(MessageCategory.SPAM), policy=policy(disabled)) == ()


def test_reply_action_carries_the_saved_reply_and_the_policy_lists_them() -> None:
    p = policy(
        rule(
            "hours",
            {"category": "question", "keywords": ["orario", "aprite"]},
            "reply:opening-hours",
        ),
        rule("leads", {"category": "lead"}, {"do": "reply", "reply": "booking"}, "assign:sales"),  # type: ignore[arg-type]
    )
    planned = evaluate(message("A che ora aprite?"), Verdict(MessageCategory.QUESTION), policy=p)
    assert [(a.action.value, a.reply) for a in planned] == [("reply", "opening-hours")]
    assert p.saved_replies() == {"opening-hours", "booking"}


# -- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message_part"),
    [
        ({"name": "r", "when": {}, "actions": ["hide"]}, "empty one would match every message"),
        ({"name": "r", "when": {"category": "spam"}, "actions": []}, "at least 1"),
        ({"name": "r", "when": {"category": "spam"}, "actions": ["reply"]}, "saved reply's name"),
        ({"name": "r", "when": {"category": "spam"}, "actions": ["assign"]}, "needs to whom"),
        ({"name": "r", "when": {"category": "spam"}, "actions": ["hide:anna"]}, "only for assign"),
        ({"name": "r", "when": {"category": "spam"}, "actions": ["explode"]}, "hide"),
        ({"name": "r", "when": {"category": "spam"}, "actions": ["hide", "hide"]}, "two 'hide'"),
        ({"name": "r", "when": {"category": "spamm"}, "actions": ["hide"]}, "spam"),
        ({"name": "r", "when": {"repeated": 1}, "actions": ["hide"]}, "greater than or equal to 2"),
        ({"name": "r", "when": {"linkz": True}, "actions": ["hide"]}, "linkz"),
        ({"name": "r", "when": {"domains": ["not a domain"]}, "actions": ["hide"]}, "not a domain"),
        ({"name": "R 1", "when": {"category": "spam"}, "actions": ["hide"]}, "slug"),
        ({"name": "r", "when": {"all": []}, "actions": ["hide"]}, "at least 1"),
    ],
)
def test_bad_rules_are_refused_with_the_rule_broken(
    data: dict[str, Any], message_part: str
) -> None:
    with pytest.raises(pydantic.ValidationError, match=message_part):
        ModerationRule.model_validate(data)


def test_rule_names_are_unique_in_a_policy() -> None:
    r = rule("same", {"category": "spam"}, "hide")
    with pytest.raises(pydantic.ValidationError, match="two rules are named 'same'"):
        ModerationPolicy(rules=(r, r))


def test_rules_read_from_a_setup_file_shape() -> None:
    import tomllib

    data = tomllib.loads(
        """
        shorteners = ["svel.to"]
        own_domains = "fornoaurora.it"
        repeat_window_hours = 12

        [[rules]]
        name = "hide-link-spam"
        actions = ["hide", "notify:moderators"]
        [rules.when]
        category = "spam"
        min_confidence = 0.9
        any = [{ links = true }, { repeated = 3 }]
        not = { keywords = ["fornoaurora"] }
        """
    )
    p = ModerationPolicy.model_validate(data)
    assert p.rules[0].when.any_of == (RuleCondition(links=True), RuleCondition(repeated=3))
    assert p.rules[0].actions[1] == RuleAction(do=ModerationAction.NOTIFY, to="moderators")
    assert p.window == timedelta(hours=12)
    planned = evaluate(message("Soldi facili: svel.to/x"), Verdict(MessageCategory.SPAM), policy=p)
    assert planned[0].reason == (
        "rule hide-link-spam: category:spam, confidence:0.95>=0.9, link:svel.to, "
        "not(keywords=fornoaurora)"
    )
    assert ModerationPolicy.model_validate(p.model_dump(by_alias=True)) == p


# -- the default rules --------------------------------------------------------------------------


def test_default_rules_hide_only_confident_corroborated_spam() -> None:
    assert DEFAULT_POLICY.rules == DEFAULT_RULES
    link_spam = message("Vinci un iPhone, clicca qui: bit.ly/regalo-subito")
    planned = evaluate(link_spam, Verdict(MessageCategory.SPAM, 0.95))
    assert [(a.action.value, a.rule) for a in planned] == [
        ("hide", "hide-corroborated-spam"),
        ("notify", "review-spam"),
    ]
    assert planned[0].cues == (
        "category:spam",
        "confidence:0.95>=0.8",
        "kind:comment",
        "link:bit.ly",
        "shortener:bit.ly",
    )
    unsure = evaluate(link_spam, Verdict(MessageCategory.SPAM, 0.6))
    assert [(a.action.value, a.rule) for a in unsure] == [("notify", "review-spam")]
    mention = link_spam.model_copy(update={"kind": MessageKind.MENTION})
    assert kinds(evaluate(mention, Verdict(MessageCategory.SPAM, 0.95))) == ["notify"]
    no_cue = evaluate(message("Segui @promo per 10k follower"), Verdict(MessageCategory.SPAM, 0.99))
    assert kinds(no_cue) == ["notify"]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        (MessageCategory.ABUSE, [("escalate", "community-lead")]),
        (MessageCategory.COMPLAINT, [("assign", "customer-care")]),
        (MessageCategory.QUESTION, [("assign", "customer-care")]),
        (MessageCategory.LEAD, [("assign", "sales")]),
        (MessageCategory.PRAISE, []),
        (MessageCategory.OTHER, []),
    ],
)
def test_default_rules_never_hide_a_customer_even_with_links_and_repeats(
    category: MessageCategory, expected: list[tuple[str, str]]
) -> None:
    msgs = [message("Truffatori! guardate bit.ly/prove", n, author=f"a{n}") for n in range(5)]
    context = ModerationContext.from_messages(msgs)
    planned = evaluate(msgs[0], Verdict(category, 1.0), context=context)
    assert [(a.action.value, a.to) for a in planned] == expected
