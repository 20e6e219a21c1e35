"""The workspace: the front door users start from (DESIGN.md layer 6).

Secrets: credentials come from the environment or a provider callable and are never stored;
tokens that rotate are stored encrypted with a key the user supplies (:class:`SecretBox`).
"""

from __future__ import annotations

from ._actions import ActionOutcome, ModeratedAction
from ._inbox import ChannelSync, InboxSyncResult, WebhookResult, default_classifier
from ._moderation import ModerationRun
from ._notify import (
    EXCERPT_CHARS,
    CommandNotifier,
    Notifier,
    WebhookNotifier,
    notification_payload,
    notifier_from_settings,
    resolve_webhook,
)
from ._results import (
    Assignment,
    DraftedVariant,
    DraftResult,
    ImportResult,
    PublishedItem,
    PublishResult,
    RefusedVariant,
    ScheduleResult,
    WorkspaceStatus,
)
from ._secrets import (
    SECRET_KEY_ENV,
    CredentialProvider,
    SecretBox,
    env_credentials,
    generate_key,
)
from ._workspace import ClientFactory, VariantRefs, Workspace, brand_slug

__all__ = [
    "EXCERPT_CHARS",
    "SECRET_KEY_ENV",
    "ActionOutcome",
    "Assignment",
    "ChannelSync",
    "ClientFactory",
    "CommandNotifier",
    "CredentialProvider",
    "DraftResult",
    "DraftedVariant",
    "ImportResult",
    "InboxSyncResult",
    "ModeratedAction",
    "ModerationRun",
    "Notifier",
    "PublishResult",
    "PublishedItem",
    "RefusedVariant",
    "ScheduleResult",
    "SecretBox",
    "VariantRefs",
    "WebhookNotifier",
    "WebhookResult",
    "Workspace",
    "WorkspaceStatus",
    "brand_slug",
    "default_classifier",
    "env_credentials",
    "generate_key",
    "notification_payload",
    "notifier_from_settings",
    "resolve_webhook",
]
