"""Community management: classify what the public writes, decide what to do about it (moderation
rules, saved replies in the brand's voice) and measure how fast the brand answers.

An engine: pure functions over :mod:`smmkit.models`, no I/O. The inbox itself (sync, state,
actions applied exactly once) lives in the store and the workspace.
"""

from smmkit.errors import ReplyRefused

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
from ._learned import EnsembleClassifier, LearnedClassifier
from ._notify import DEFAULT_NOTIFIED_ACTIONS, NotifySettings
from ._replies import (
    STANDARD_PLACEHOLDERS,
    ReplyCheck,
    ReplyFinding,
    SavedReply,
    check_reply,
    choose_reply,
    placeholders_of,
    prepare_reply,
    render_reply,
)
from ._response import (
    UNCLASSIFIED,
    AgeBucket,
    BusinessHours,
    ChannelResponse,
    ResponseReport,
    ResponseStats,
    age_bucket,
    response_times,
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
from ._settings import CommunitySettings
from ._words import DEFAULT_SHORTENERS, INFLECTION_ENDINGS, KeywordMatcher

__all__: list[str] = [
    "DEFAULT_CLASSIFIER",
    "DEFAULT_NOTIFIED_ACTIONS",
    "DEFAULT_POLICY",
    "DEFAULT_RULES",
    "DEFAULT_SHORTENERS",
    "INFLECTION_ENDINGS",
    "MAX_CHARS",
    "STANDARD_PLACEHOLDERS",
    "UNCLASSIFIED",
    "AgeBucket",
    "BusinessHours",
    "ChannelResponse",
    "Classification",
    "Classified",
    "Classifier",
    "CommunitySettings",
    "EnsembleClassifier",
    "KeywordMatcher",
    "LearnedClassifier",
    "ModerationAction",
    "ModerationContext",
    "ModerationPolicy",
    "ModerationRule",
    "NotifySettings",
    "PlannedAction",
    "ReplyCheck",
    "ReplyFinding",
    "ReplyRefused",
    "ResponseReport",
    "ResponseStats",
    "RuleAction",
    "RuleClassifier",
    "RuleCondition",
    "SavedReply",
    "age_bucket",
    "check_reply",
    "choose_reply",
    "classify",
    "classify_message",
    "detect_language",
    "evaluate",
    "placeholders_of",
    "prepare_reply",
    "render_reply",
    "response_times",
]
