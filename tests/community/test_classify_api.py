"""The classification API: the result's shape, the language, the plug-in protocol."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smmkit.community import (
    DEFAULT_CLASSIFIER,
    Classification,
    Classifier,
    RuleClassifier,
    classify,
    classify_message,
    detect_language,
)
from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory, Platform


def _message(text: str, author: str = "giulia.bo") -> InboxMessage:
    return InboxMessage(
        channel="ig-main",
        platform=Platform.SANDBOX,
        message_id="m1",
        thread_id="p1",
        author=author,
        text=text,
        created_at=datetime(2026, 5, 4, 10, tzinfo=UTC),
    )


def test_result_explains_itself() -> None:
    result = classify("Great post! Check my profile for free followers 🔥")
    assert result.category is MessageCategory.SPAM
    assert result.language == "en"
    assert 0.5 < result.confidence <= 1.0
    assert "en:spam:check my profile" in result.cues


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Buonissimo, torno sicuramente!", "it"),
        ("xké nn rispondete mai ai messaggi", "it"),
        ("Do you deliver on Sundays?", "en"),
        ("the staff was so friendly", "en"),
        ("😍😍😍", "und"),
        ("", "und"),
        ("ok", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert classify(text).language == language


def test_language_given_is_kept_and_checked() -> None:
    assert classify("ciao", language="en").language == "en"
    with pytest.raises(ValidationError, match="language"):
        classify("ciao", language="fr")


def test_classify_message_reads_the_text() -> None:
    result = classify_message(_message("A che ora aprite domenica?"))
    assert result.category is MessageCategory.QUESTION
    assert DEFAULT_CLASSIFIER.classify(_message("A che ora aprite domenica?")) == result


def test_promo_author_tips_a_link_into_spam() -> None:
    text = "Bellissimo! guarda qui www.example-shop.biz/offerta"
    assert classify(text).category is not MessageCategory.SPAM
    assert classify_message(_message(text, author="promo_boost_bot")).category is (
        MessageCategory.SPAM
    )


class _KeywordModel:
    """A stand-in for a fitted scikit-learn pipeline: ``predict`` and ``predict_proba``."""

    classes_ = ("other", "praise")

    def predict(self, texts: list[str]) -> list[str]:
        return ["praise" if "love" in t else "other" for t in texts]

    def predict_proba(self, texts: list[str]) -> list[list[float]]:
        return [[0.1, 0.9] if "love" in t else [0.8, 0.2] for t in texts]


class SklearnClassifier:
    """The documented adapter shape: any object with ``classify(message)`` is a Classifier."""

    def __init__(self, model: _KeywordModel) -> None:
        self.model = model

    def classify(self, message: InboxMessage) -> Classification:
        label = self.model.predict([message.text])[0]
        proba = max(self.model.predict_proba([message.text])[0])
        return Classification(
            category=MessageCategory(label),
            language=detect_language(message.text),
            confidence=proba,
            cues=(f"model:{label}",),
        )


def test_plugged_classifier_satisfies_the_protocol() -> None:
    plugged = SklearnClassifier(_KeywordModel())
    assert isinstance(plugged, Classifier)
    assert isinstance(RuleClassifier(), Classifier)

    def run(classifier: Classifier, text: str) -> Classification:
        return classifier.classify(_message(text))

    result = run(plugged, "love it")
    assert result.category is MessageCategory.PRAISE
    assert result.cues == ("model:praise",)
    assert run(DEFAULT_CLASSIFIER, "love it").category is MessageCategory.PRAISE


def test_classification_is_validated() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Classification(category=MessageCategory.OTHER, language="it", confidence=1.5)
    with pytest.raises(ValueError, match="language"):
        Classification(category=MessageCategory.OTHER, language="fr", confidence=0.5)
