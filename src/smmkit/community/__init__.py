"""Community management: classify what the public writes, decide what to do about it (moderation
rules, saved replies in the brand's voice) and measure how fast the brand answers.

An engine: pure functions over :mod:`smmkit.models`, no I/O. The inbox itself (sync, state,
actions applied exactly once) lives in the store and the workspace.
"""

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
    "DEFAULT_POLICY",
    "DEFAULT_RULES",
    "DEFAULT_SHORTENERS",
    "INFLECTION_ENDINGS",
    "Classified",
    "KeywordMatcher",
    "ModerationAction",
    "ModerationContext",
    "ModerationPolicy",
    "ModerationRule",
    "PlannedAction",
    "RuleAction",
    "RuleCondition",
    "evaluate",
]
