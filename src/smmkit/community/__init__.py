"""Community management: classify what the public writes, decide what to do about it (moderation
rules, saved replies in the brand's voice) and measure how fast the brand answers.

An engine: pure functions over :mod:`smmkit.models`, no I/O. The inbox itself (sync, state,
actions applied exactly once) lives in the store and the workspace.
"""

from ._classify import (
    DEFAULT_CLASSIFIER,
    MAX_CHARS,
    Classification,
    Classifier,
    RuleClassifier,
    classify,
    classify_message,
    detect_language,
)
from ._rules import (
    DEFAULT_POLICY,
    DEFAULT_RULES,
    Classified,
    ModerationAction,
    ModerationContext,
    ModerationPolicy,
    ModerationRule,
    PlannedAction,
    RuleAction,
    RuleCondition,
    evaluate,
)
from ._words import DEFAULT_SHORTENERS, INFLECTION_ENDINGS, KeywordMatcher

__all__: list[str] = [
    "DEFAULT_CLASSIFIER",
    "DEFAULT_POLICY",
    "DEFAULT_RULES",
    "DEFAULT_SHORTENERS",
    "INFLECTION_ENDINGS",
    "MAX_CHARS",
    "Classification",
    "Classified",
    "Classifier",
    "KeywordMatcher",
    "ModerationAction",
    "ModerationContext",
    "ModerationPolicy",
    "ModerationRule",
    "PlannedAction",
    "RuleAction",
    "RuleClassifier",
    "RuleCondition",
    "classify",
    "classify_message",
    "detect_language",
    "evaluate",
]
