"""The smmkit error tree.

Every error smmkit raises on purpose derives from :class:`SmmkitError`. The tree is shallow::

    SmmkitError
    ├── ValidationError (also a ValueError)      bad input: names field, value and rule
    │   ├── SetupError                           a setup file: names file, key and rule
    │   ├── TransitionError                      an illegal workflow transition
    │   └── CurrencyMismatchError                money of two currencies mixed
    ├── ContentRuleError                         content refused by a platform's rules
    │   └── ReplyRefused                         a reply refused before sending: its findings
    ├── PlanningError                            the planner cannot satisfy a request
    │   └── InfeasiblePlanError                  ... names the constraint and the relaxation
    ├── AllocationError (also a ValueError)      the budget allocator cannot satisfy a request
    ├── StoreError                               persistence failed; nothing was half-written
    └── PlatformError                            talking to a network went wrong
        ├── PlatformConnectionError              no response at all
        │   └── PlatformTimeoutError
        ├── PlatformStatusError                  the network answered with an error status
        │   ├── BadRequestError (400, 422)
        │   ├── AuthenticationError (401)
        │   ├── PermissionDeniedError (403)
        │   ├── NotFoundError (404)
        │   ├── ConflictError (409)
        │   ├── RateLimitedError (429)           carries ``retry_after``
        │   └── ServerError (5xx)
        └── UnsupportedCapability                the client cannot do that, refused up front

Each message says what went wrong, why, and how to fix it. Errors never carry secrets: a
:class:`PlatformError` keeps the platform's code and message and the request id, never the request's
headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AllocationError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentRuleError",
    "CurrencyMismatchError",
    "InfeasiblePlanError",
    "NotFoundError",
    "NotificationError",
    "PermissionDeniedError",
    "PlanningError",
    "PlatformConnectionError",
    "PlatformError",
    "PlatformStatusError",
    "PlatformTimeoutError",
    "RateLimitedError",
    "ReplyRefused",
    "ServerError",
    "SetupError",
    "SmmkitError",
    "StoreError",
    "TransitionError",
    "UnsupportedCapability",
    "ValidationError",
    "status_error_class",
]

_MAX_VALUE_REPR = 80


def _short(value: object) -> str:
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 3] + "..."
    return text


class SmmkitError(Exception):
    """Base class of every error smmkit raises on purpose.

    ``message`` says what went wrong; ``hint`` (optional) says how to fix it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} Fix: {hint}")


class ValidationError(SmmkitError, ValueError):
    """A value broke a rule. Names the field (a dotted path), the value and the rule."""

    def __init__(self, field: str, value: object, rule: str, *, hint: str | None = None) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{field}: {rule} (got {_short(value)}).", hint=hint)


class SetupError(ValidationError):
    """A setup file is unreadable or breaks a rule. Names the file, the key and the rule.

    ``value`` is shown only when ``has_value`` is true (a missing key has no value).
    """

    def __init__(
        self,
        file: str,
        key: str,
        rule: str,
        *,
        value: object = None,
        has_value: bool = True,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.field = key
        self.value = value
        self.rule = rule
        shown = f" (got {_short(value)})" if has_value else ""
        SmmkitError.__init__(self, f"{file}: {key}: {rule}{shown}.", hint=hint)


class TransitionError(ValidationError):
    """A workflow status change that the workflow does not allow."""

    def __init__(self, field: str, current: str, target: str, allowed: Sequence[str]) -> None:
        self.current = current
        self.target = target
        self.allowed = tuple(allowed)
        allowed_text = ", ".join(self.allowed) if self.allowed else "nothing (terminal state)"
        super().__init__(
            field,
            target,
            f"cannot move from {current!r} to {target!r}; from {current!r} the workflow allows "
            f"{allowed_text}",
        )


class CurrencyMismatchError(ValidationError):
    """Two amounts of different currencies were combined."""

    def __init__(self, left: str, right: str) -> None:
        super().__init__(
            "currency",
            right,
            f"cannot combine {left} with {right}",
            hint="convert one amount first; smmkit never converts currencies implicitly.",
        )


class ContentRuleError(SmmkitError):
    """Content was refused because it breaks a platform's rules.

    ``violations`` holds the violation objects of :mod:`smmkit.content` (rule, measured value,
    limit, span).
    """

    def __init__(self, message: str, violations: Sequence[object] = (), *, hint: str | None = None):
        self.violations = tuple(violations)
        super().__init__(message, hint=hint)


class ReplyRefused(ContentRuleError):
    """A reply to the public was refused before sending: a placeholder without a value, the
    wrong register ("tu" where the brand says "Lei"), a banned term, a text over the platform's
    limit...

    ``findings`` holds every reason (:class:`smmkit.community.ReplyFinding`: which check, the
    rule, the message, a suggestion); ``violations`` is the same tuple. Nothing was sent.
    """

    def __init__(self, findings: Sequence[object], *, hint: str | None = None) -> None:
        self.findings = tuple(findings)
        listed = "; ".join(str(f) for f in self.findings) or "no reason given"
        super().__init__(
            f"reply refused before sending: {listed}.",
            self.findings,
            hint=hint
            or "fix the saved reply or the values (see error.findings), then send it again.",
        )


class PlanningError(SmmkitError):
    """The planner could not build a calendar for the request."""


class InfeasiblePlanError(PlanningError):
    """The request cannot be satisfied.

    ``constraint`` names the constraint that cannot hold; ``relaxation`` describes the smallest
    change that would make the request feasible.
    """

    def __init__(self, constraint: str, reason: str, relaxation: str | None = None) -> None:
        self.constraint = constraint
        self.reason = reason
        self.relaxation = relaxation
        super().__init__(
            f"infeasible plan: {constraint}: {reason}.",
            hint=relaxation or "pass relax=True to get the best plan with the violations listed.",
        )


class AllocationError(SmmkitError, ValueError):
    """The budget allocator cannot satisfy a request. Names the line and the constraint."""

    def __init__(
        self,
        message: str,
        *,
        line: str | None = None,
        constraint: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.line = line
        self.constraint = constraint
        super().__init__(message, hint=hint)


class NotificationError(SmmkitError):
    """A moderation notification (a webhook or a command) was not delivered.

    ``rule`` and ``action`` name what was being notified, ``action_id`` the stored action,
    ``target`` the kind of target (``"webhook"`` or ``"command"``). The notification stays
    queued: the next live run delivers it again. Never holds the webhook's URL.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        action: str,
        action_id: int | None,
        target: str,
        hint: str | None = None,
    ) -> None:
        self.rule = rule
        self.action = action
        self.action_id = action_id
        self.target = target
        super().__init__(message, hint=hint)


class StoreError(SmmkitError):
    """Persistence failed. The store guarantees nothing was half-written."""


class PlatformError(SmmkitError):
    """Talking to a network failed.

    Attributes: ``platform``; ``status`` (HTTP status, or ``None`` when no response came);
    ``code`` and ``platform_message`` (the platform's own); ``request_id``; ``retryable``
    (whether repeating the same request may help).
    """

    def __init__(
        self,
        message: str,
        *,
        platform: str | None = None,
        status: int | None = None,
        code: str | None = None,
        platform_message: str | None = None,
        request_id: str | None = None,
        retryable: bool = False,
        hint: str | None = None,
    ) -> None:
        self.platform = platform
        self.status = status
        self.code = code
        self.platform_message = platform_message
        self.request_id = request_id
        self.retryable = retryable
        parts = [message]
        if code or platform_message:
            parts.append(f"[{code or '-'}: {platform_message or '-'}]")
        if request_id:
            parts.append(f"(request id {request_id})")
        super().__init__(" ".join(parts), hint=hint)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(platform={self.platform!r}, status={self.status!r}, "
            f"code={self.code!r}, request_id={self.request_id!r}, retryable={self.retryable!r})"
        )


class PlatformConnectionError(PlatformError):
    """No response arrived: DNS, connect, TLS or a dropped connection."""


class PlatformTimeoutError(PlatformConnectionError):
    """The request timed out; whether the server acted on it is unknown."""


class PlatformStatusError(PlatformError):
    """The network answered with an error status."""


class BadRequestError(PlatformStatusError):
    """400 or 422: the network refused the request's content."""


class AuthenticationError(PlatformStatusError):
    """401: credentials are missing, wrong or expired."""


class PermissionDeniedError(PlatformStatusError):
    """403: the account or token lacks a permission."""


class NotFoundError(PlatformStatusError):
    """404: the object does not exist (or is not visible to this account)."""


class ConflictError(PlatformStatusError):
    """409: the request conflicts with the object's state (often a duplicate)."""


class RateLimitedError(PlatformStatusError):
    """429: too many requests. ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        kwargs.setdefault("retryable", True)
        super().__init__(message, **kwargs)


class ServerError(PlatformStatusError):
    """5xx: the network failed on its side."""


class UnsupportedCapability(PlatformError):
    """The client does not support this operation; raised before any request is sent."""


_STATUS_CLASSES: dict[int, type[PlatformStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitedError,
}


def status_error_class(status: int) -> type[PlatformStatusError]:
    """Return the error class for an HTTP error status (``ServerError`` for any 5xx)."""
    if status >= 500:
        return ServerError
    return _STATUS_CLASSES.get(status, PlatformStatusError)
