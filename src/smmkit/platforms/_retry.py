"""The retry decision: one small, pure function, used by both drivers through tenacity.

The table (``attempt`` counts from 1; ``hint`` is the server's wait in seconds, from
``Retry-After`` or the platform's reset header):

=================================================  ==========================================
outcome                                            decision
=================================================  ==========================================
2xx / 3xx                                          done, no retry
connect error, connect or pool timeout             retry with backoff: the request never left
read/write timeout, read error, dropped connection  retry only if idempotent (outcome unknown)
429 Too Many Requests, 503 Service Unavailable     wait for ``hint`` if it is at most
                                                   ``max_hint_wait``; no hint: backoff;
                                                   hint above the cap: give up (raise);
                                                   429 under the ``raise`` rate-limit policy:
                                                   give up
408, 500, 502, 504 and other 5xx                   retry only if idempotent (outcome unknown),
                                                   waiting for ``hint`` if any, else backoff
any other 4xx                                      give up: repeating cannot help
attempts used up                                   give up
=================================================  ==========================================

Backoff is exponential (``backoff_base * 2 ** (attempt - 1)``, capped at ``backoff_max``) with
"equal jitter": the delay is scaled by ``0.5 + jitter / 2`` for a caller-supplied ``jitter`` in
[0, 1), so the function stays pure and testable.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

__all__ = [
    "RetryDecision",
    "RetryPolicy",
    "decide_retry",
    "parse_retry_after",
]

_NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
_AMBIGUOUS_STATUSES = frozenset({408})
_WAIT_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard the drivers try. Safe defaults; every wait is capped.

    ``max_attempts`` includes the first attempt. ``max_hint_wait`` caps how long a server's
    ``Retry-After`` or reset hint is honoured (seconds); a longer hint gives up with
    :class:`~smmkit.errors.RateLimitedError` carrying ``retry_after``.
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_hint_wait: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be >= 1 (got {self.max_attempts})")
        if self.backoff_base < 0 or self.backoff_max < 0 or self.max_hint_wait < 0:
            raise ValueError("RetryPolicy waits must be >= 0")

    def backoff(self, attempt: int, jitter: float = 0.0) -> float:
        """The backoff delay after attempt number ``attempt`` (1-based)."""
        raw = min(self.backoff_max, self.backoff_base * float(2 ** max(0, attempt - 1)))
        return raw * (0.5 + min(max(jitter, 0.0), 1.0) / 2)


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """What to do after one attempt.

    ``retry``: send the same request again after ``delay`` seconds. ``sent``: whether the server
    may have acted on the request (``False`` = certainly not, ``None`` = unknown, ``True`` = it
    answered). ``outcome_unknown`` is true when the server may have acted and no response says
    what happened: a non-idempotent request in that state must be reconciled, never resent.
    """

    retry: bool
    delay: float
    reason: str
    sent: bool | None
    outcome_unknown: bool = False


def decide_retry(
    *,
    attempt: int,
    idempotent: bool,
    status: int | None = None,
    error: BaseException | None = None,
    hint: float | None = None,
    policy: RetryPolicy | None = None,
    wait_on_rate_limit: bool = True,
    jitter: float = 0.0,
) -> RetryDecision:
    """Decide whether to repeat a request after attempt number ``attempt`` (see the table).

    Give either the response ``status`` or the transport ``error``.
    """
    policy = policy or RetryPolicy()
    exhausted = attempt >= policy.max_attempts
    backoff = policy.backoff(attempt, jitter)

    def give_up(reason: str, sent: bool | None, unknown: bool = False) -> RetryDecision:
        return RetryDecision(False, 0.0, reason, sent, unknown)

    def again(delay: float, reason: str, sent: bool | None) -> RetryDecision:
        if exhausted:
            return give_up(f"{reason}; attempts used up ({attempt})", sent, sent is None)
        return RetryDecision(True, delay, reason, sent)

    if error is not None:
        if isinstance(error, _NEVER_SENT):
            return again(backoff, f"{type(error).__name__}: the request never left", False)
        if isinstance(error, httpx.TransportError):
            what = f"{type(error).__name__}: the server may have acted"
            if idempotent:
                return again(backoff, what + " (idempotent, safe to repeat)", None)
            return give_up(what + " (not idempotent: reconcile first)", None, True)
        return give_up(f"{type(error).__name__} is not a transport failure", False)

    if status is None:
        raise ValueError("decide_retry needs a status or an error")
    if status < 400:
        return give_up(f"status {status}: done", True)
    if status in _WAIT_STATUSES:
        if status == 429 and not wait_on_rate_limit:
            return give_up("429 under the 'raise' rate-limit policy", False)
        if hint is None:
            return again(backoff, f"status {status} without a hint: backoff", False)
        if hint > policy.max_hint_wait:
            return give_up(
                f"status {status}: the server asks to wait {hint:.1f}s, more than the "
                f"{policy.max_hint_wait:.1f}s cap",
                False,
            )
        return again(max(hint, 0.0), f"status {status}: waiting for the server's hint", False)
    if status >= 500 or status in _AMBIGUOUS_STATUSES:
        delay = max(hint, 0.0) if hint is not None and hint <= policy.max_hint_wait else backoff
        if idempotent:
            return again(delay, f"status {status} (idempotent, safe to repeat)", None)
        return give_up(f"status {status} after the body went out (reconcile first)", None, True)
    return give_up(f"status {status}: repeating cannot help", True)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date.

    Returns ``None`` when absent or unreadable; a date in the past gives ``0.0``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds else None  # NaN is unreadable
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((moment - current).total_seconds(), 0.0)
