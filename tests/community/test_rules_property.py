"""Invariants of the moderation rules over arbitrary messages and classifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import (
    DEFAULT_POLICY,
    KeywordMatcher,
    ModerationAction,
    ModerationContext,
    evaluate,
)
from smmkit.models import InboxMessage, MessageCategory, Platform

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CORROBORATING = ("link:", "shortener:", "repeated:", "repeated-by-author:")


@dataclass(frozen=True)
class Verdict:
    category: MessageCategory
    confidence: float
    cues: tuple[str, ...] = ()


pieces = st.sampled_from(
    [
        "truffa",
        "truffatori",
        "bit.ly/x",
        "https://fornoaurora.it",
        "www.example.com/a?b",
        "Ciao",
        "perché",
        "🔥",
        " ",
        "!!!",
        "l'offerta",
        "link in bio",
        "aaaa",
        ".",
        "/",
        "@promo",
    ]
)
texts = st.one_of(st.text(max_size=80), st.lists(pieces, max_size=12).map(" ".join))


@st.composite
def inbox(draw: st.DrawFn) -> list[InboxMessage]:
    n = draw(st.integers(1, 8))
    out = []
    for i in range(n):
        out.append(
            InboxMessage(
                channel="ig",
                platform=Platform.INSTAGRAM,
                message_id=f"m{i}",
                thread_id="p1",
                author=draw(st.sampled_from(["a", "b", "c"])),
                text=draw(texts),
                created_at=T0 + timedelta(hours=draw(st.integers(0, 72))),
                author_followers=draw(st.none() | st.integers(0, 50)),
                author_created_at=draw(st.none() | st.just(T0 - timedelta(days=3))),
                from_brand=draw(st.booleans()),
                hidden=draw(st.booleans()),
            )
        )
    return out


verdicts = st.builds(
    Verdict,
    category=st.sampled_from(list(MessageCategory)),
    confidence=st.floats(0.0, 1.0),
)


@settings(max_examples=300, deadline=None)
@given(inbox(), st.lists(verdicts, min_size=8, max_size=8))
def test_default_rules_hide_only_confident_corroborated_spam(
    messages: list[InboxMessage], classified: list[Verdict]
) -> None:
    context = ModerationContext.from_messages(messages)
    for message, verdict in zip(messages, classified, strict=False):
        planned = evaluate(message, verdict, context=context)
        assert planned == evaluate(message, verdict, context=context)  # deterministic
        kinds = [p.action for p in planned]
        assert len(kinds) == len(set(kinds))  # each kind of action at most once
        assert ModerationAction.DELETE not in kinds
        if message.from_brand:
            assert planned == ()
        for action in planned:
            assert action.message_key == message.key
            assert action.reason.startswith(f"rule {action.rule}: ")
            assert action.cues
            if action.action is ModerationAction.HIDE:
                assert not message.hidden
                assert verdict.category is MessageCategory.SPAM
                assert verdict.confidence >= 0.8
                assert any(c.startswith(CORROBORATING) for c in action.cues)
        if verdict.category is not MessageCategory.SPAM:
            assert ModerationAction.HIDE not in kinds


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=60),
    st.lists(st.sampled_from(["truffa", "ladro", "scam", "truff*"]), min_size=1),
)
def test_keywords_match_only_whole_words_of_the_text(text: str, keywords: list[str]) -> None:
    from smmkit.community._words import words

    tokens = set(words(text))
    for keyword, matched in KeywordMatcher(keywords).find(text):
        assert matched in tokens
        stem = keyword.rstrip("*")
        assert matched.startswith(stem[:-1] if stem[-1] in "aeiou" else stem)


def test_default_policy_is_the_default() -> None:
    message = InboxMessage(
        channel="ig",
        platform=Platform.INSTAGRAM,
        message_id="m",
        thread_id="p",
        author="a",
        text="bit.ly/x guadagna",
        created_at=T0,
    )
    verdict = Verdict(MessageCategory.SPAM, 0.9)
    assert evaluate(message, verdict) == evaluate(message, verdict, policy=DEFAULT_POLICY)
