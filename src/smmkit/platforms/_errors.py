"""A platform's wire conventions (its *dialect*) and the mapping of failures to smmkit errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from smmkit.errors import (
    AuthenticationError,
    PlatformConnectionError,
    PlatformError,
    PlatformStatusError,
    PlatformTimeoutError,
    RateLimitedError,
    status_error_class,
)

from ._ratelimit import RateLimitInfo, parse_rate_limit_headers
from ._redact import redact
from ._retry import parse_retry_after

__all__ = [
    "Dialect",
    "default_error_parser",
    "error_for_status",
    "error_from_exception",
    "error_from_response",
]


def default_error_parser(response: httpx.Response) -> tuple[str | None, str | None]:
    """Read ``(code, message)`` from common JSON error bodies.

    Understands ``{"error": "...", "error_description": "..."}`` (Mastodon, OAuth 2),
    ``{"error": "Code", "message": "..."}`` (AT Protocol) and ``{"message": ...}``.
    """
    try:
        data = json.loads(response.content or b"null")
    except (ValueError, UnicodeDecodeError):
        text = response.text.strip()
        return None, (text[:200] or None)
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    message = data.get("error_description") or data.get("message")
    if isinstance(error, dict):  # {"error": {"code": ..., "message": ...}}
        message = error.get("message", message)
        error = error.get("code") or error.get("type")
    code = str(error) if error is not None else None
    if message is None and code is not None and " " in code:
        code, message = None, code  # Mastodon puts a sentence in "error"
    return code, (str(message) if message is not None else None)


def _default_rate_limit(headers: Mapping[str, str], now: datetime) -> RateLimitInfo | None:
    return parse_rate_limit_headers(headers, now)


@dataclass(frozen=True)
class Dialect:
    """How one platform speaks HTTP: errors, request ids, rate-limit headers, idempotency.

    ``auth_hint`` is appended to authentication errors (how to fix the credentials).
    """

    platform: str
    request_id_headers: tuple[str, ...] = ("x-request-id",)
    idempotency_header: str | None = None
    honours_idempotency_key: bool = False
    parse_error: Callable[[httpx.Response], tuple[str | None, str | None]] = field(
        default=default_error_parser
    )
    parse_rate_limit: Callable[[Mapping[str, str], datetime], RateLimitInfo | None] = field(
        default=_default_rate_limit
    )
    auth_hint: str = "check the account's token, or log in again to get a new one."

    @property
    def effective_idempotency_header(self) -> str | None:
        """The idempotency header that makes a POST safe to repeat, if the platform honours it."""
        return self.idempotency_header if self.honours_idempotency_key else None

    def request_id(self, response: httpx.Response) -> str | None:
        for name in self.request_id_headers:
            value = response.headers.get(name)
            if value:
                return str(value)
        return None

    def retry_hint(self, response: httpx.Response, now: datetime) -> float | None:
        """Seconds the server asks to wait: ``Retry-After`` first, then the reset header."""
        hint = parse_retry_after(response.headers.get("retry-after"), now)
        if hint is not None:
            return hint
        try:
            info = self.parse_rate_limit(response.headers, now)
        except (ValueError, TypeError, OverflowError, OSError):
            return None
        # The window's reset matters only when the budget is spent (or the answer is a 429):
        # a 502 with 299 requests left is a server hiccup, retried after a short backoff.
        if (
            info is not None
            and info.reset_at is not None
            and (response.status_code == 429 or info.exhausted)
        ):
            return max((info.reset_at - now).total_seconds(), 0.0)
        return None


_CREDENTIAL_REFUSALS = frozenset({400, 401})
_RETRYABLE_STATUSES = frozenset({408, 429})


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


def error_from_response(
    response: httpx.Response,
    dialect: Dialect,
    *,
    account: str | None = None,
    retryable: bool = False,
    retry_after: float | None = None,
    action: str | None = None,
    credentials: bool = False,
) -> PlatformStatusError:
    """The :class:`~smmkit.errors.PlatformStatusError` subclass for an error response.

    The class comes from the status (:func:`~smmkit.errors.status_error_class`). ``action``
    (e.g. ``"log in"``) says what the request was for, in the message. ``credentials=True``
    marks a request that presents credentials (a login, a token refresh): there a 400 or 401
    means the credentials were refused, so it is an
    :class:`~smmkit.errors.AuthenticationError` too.
    """
    status = response.status_code
    code, message = dialect.parse_error(response)
    message = redact(message) if message else message
    cls: type[PlatformStatusError] = (
        AuthenticationError
        if credentials and status in _CREDENTIAL_REFUSALS
        else status_error_class(status)
    )
    who = f" for account {account!r}" if account else ""
    answered = f"{status} {response.reason_phrase} to {_where(response.request)}"
    text = redact(
        f"{dialect.platform}: could not {action}{who}: the server answered {answered}."
        if action
        else f"{dialect.platform} answered {answered}{who}."
    )
    kwargs: dict[str, Any] = {
        "platform": dialect.platform,
        "status": status,
        "code": code,
        "platform_message": message,
        "request_id": dialect.request_id(response),
        "retryable": retryable,
    }
    if cls is RateLimitedError:
        return RateLimitedError(
            text,
            retry_after=retry_after,
            hint=(
                f"wait {retry_after:.0f}s before retrying."
                if retry_after is not None
                else "slow down: use the 'pace' rate-limit policy."
            ),
            **kwargs,
        )
    if cls is AuthenticationError:
        return AuthenticationError(
            text,
            hint=dialect.auth_hint + (f" (account {account!r})" if account else ""),
            **kwargs,
        )
    return cls(text, **kwargs)


def error_for_status(
    response: httpx.Response,
    dialect: Dialect,
    *,
    account: str | None,
    now: datetime,
    action: str | None = None,
    credentials: bool = False,
) -> PlatformStatusError:
    """The error for a final error response, with the framework's retry facts filled in.

    ``retryable`` is true for 408, 429 and 5xx; a 429 carries ``retry_after`` from the
    dialect's hint (``Retry-After``, else the platform's reset header). The drivers and the
    auth flows (login, refresh) both raise through this one function.
    """
    status = response.status_code
    return error_from_response(
        response,
        dialect,
        account=account,
        retryable=status in _RETRYABLE_STATUSES or status >= 500,
        retry_after=dialect.retry_hint(response, now) if status == 429 else None,
        action=action,
        credentials=credentials,
    )


def error_from_exception(
    error: httpx.TransportError, request: httpx.Request, dialect: Dialect
) -> PlatformConnectionError:
    """The smmkit error for a transport failure (no response arrived)."""
    cls: type[PlatformConnectionError] = PlatformConnectionError
    if isinstance(error, httpx.TimeoutException):
        cls = PlatformTimeoutError
    return cls(
        redact(
            f"{dialect.platform}: no response to {_where(request)} "
            f"({type(error).__name__}: {error})."
        ),
        platform=dialect.platform,
        retryable=True,
        hint="check the network and the instance URL; smmkit already retried what was safe.",
    )


def is_platform_error(value: object) -> bool:
    return isinstance(value, PlatformError)
