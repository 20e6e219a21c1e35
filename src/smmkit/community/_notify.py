"""Where a brand's moderation notifications go: the setup's ``[community.notify]`` table.

Pure data (the delivery itself, over HTTP or a local command, is the workspace's
:class:`~smmkit.workspace.WebhookNotifier` and :class:`~smmkit.workspace.CommandNotifier`). A
webhook URL is a secret (a Slack incoming-webhook URL carries its token in the path), so a setup
file only names the environment variable that holds it (``webhook = "env:FORNO_PAGER_URL"``);
a literal URL is refused without being echoed.
"""

from __future__ import annotations

import re
from typing import Any, Self

from pydantic import Field, field_validator, model_validator

from smmkit.models._base import ValueModel

from ._rules import ModerationAction

__all__ = ["DEFAULT_NOTIFIED_ACTIONS", "NotifySettings", "env_reference_name"]

DEFAULT_NOTIFIED_ACTIONS: tuple[ModerationAction, ...] = (
    ModerationAction.ASSIGN,
    ModerationAction.ESCALATE,
    ModerationAction.NOTIFY,
)
"""The actions notified unless a setup says otherwise: the ones that only reach a person through
a notification (hide, delete and reply are visible on the platform)."""

_ENV_REFERENCE = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]{0,127})")


def env_reference_name(reference: str) -> str | None:
    """``"env:NAME"`` → ``"NAME"``; anything else (a literal URL, a typo) → ``None``."""
    found = _ENV_REFERENCE.fullmatch(reference.strip())
    return None if found is None else found.group(1)


class NotifySettings(ValueModel):
    """Where a live moderation run sends a notification of each action it has done.

    Exactly one target: ``webhook`` names the environment variable holding an incoming-webhook
    URL (``"env:FORNO_PAGER_URL"``; https, or http to this machine for tests), which receives a
    JSON POST; or ``command`` is an argument list (never run through a shell) that receives the
    same JSON on its standard input, a non-zero exit meaning "not delivered". ``actions`` are
    the actions notified (default :data:`DEFAULT_NOTIFIED_ACTIONS`); ``timeout_seconds`` bounds
    each attempt and ``attempts`` how many are made before the run stops with the notification
    still queued for the next live run.
    """

    webhook: str | None = Field(default=None, repr=False)
    command: tuple[str, ...] | None = None
    actions: tuple[ModerationAction, ...] = Field(default=DEFAULT_NOTIFIED_ACTIONS, min_length=1)
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    attempts: int = Field(default=3, ge=1, le=10)

    @field_validator("webhook")
    @classmethod
    def _a_reference(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = env_reference_name(value)
        if name is None:
            # never echo the value: it may be the URL itself, token included
            raise ValueError(
                "the webhook URL is a secret and is never written in a setup file: write "
                'webhook = "env:NAME" and export NAME=<the URL> where smmkit runs'
            )
        return f"env:{name}"

    @field_validator("command", mode="before")
    @classmethod
    def _an_argument_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(
                "command is an argument list, never a shell line: write "
                'command = ["/usr/local/bin/page-team", "--team", "moderators"]'
            )
        return value

    @field_validator("command")
    @classmethod
    def _runnable(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not value or not value[0].strip():
            raise ValueError("command needs the program to run as its first element")
        if any("\x00" in part for part in value):
            raise ValueError("command's arguments cannot contain a NUL character")
        return value

    @field_validator("actions", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.webhook is None) == (self.command is None):
            raise ValueError(
                'give exactly one target: webhook = "env:NAME" (an incoming-webhook URL in '
                'that variable) or command = ["program", "arg", ...]'
            )
        return self

    @property
    def kind(self) -> str:
        """``"webhook"`` or ``"command"``."""
        return "webhook" if self.webhook is not None else "command"
