"""The workspace: the front door users start from (DESIGN.md layer 6).

Secrets: credentials come from the environment or a provider callable and are never stored;
tokens that rotate are stored encrypted with a key the user supplies (:class:`SecretBox`).
"""

from __future__ import annotations

from ._moderation import ActionOutcome, ModeratedAction, ModerationRun
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
    "SECRET_KEY_ENV",
    "ActionOutcome",
    "Assignment",
    "ClientFactory",
    "CredentialProvider",
    "DraftResult",
    "DraftedVariant",
    "ImportResult",
    "ModeratedAction",
    "ModerationRun",
    "PublishResult",
    "PublishedItem",
    "RefusedVariant",
    "ScheduleResult",
    "SecretBox",
    "VariantRefs",
    "Workspace",
    "WorkspaceStatus",
    "brand_slug",
    "env_credentials",
    "generate_key",
]
