"""Rate-limit state per platform, account and bucket, read from response headers.

The caller chooses the policy (:class:`RateLimitPolicy`):

* ``raise``: when the known budget is spent, raise :class:`~smmkit.errors.RateLimitedError`
  (with ``retry_after``) before sending; a 429 is raised, never retried.
* ``wait``: when the known budget is spent, sleep until the reset (capped by ``max_wait``); a 429
  is retried after the server's hint.
* ``pace`` (the default): like ``wait``, and every request *reserves* one unit of the known budget
  before it is sent, so that concurrent callers sharing a limiter never send a request the budget
  would refuse. A run under ``pace`` against an honest server gets no 429 at all.

The state is thread-safe and can be shared by several clients (one limiter per process is
typical). Times come from an injectable ``clock``.
"""

from __future__ import annotations

import email.utils
import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import httpx
from dateutil import parser as date_parser

from smmkit.errors import RateLimitedError

__all__ = [
    "RateLimitInfo",
    "RateLimitKey",
    "RateLimitPolicy",
    "RateLimiter",
    "parse_rate_limit_headers",
    "parse_reset",
]


class RateLimitPolicy(StrEnum):
    """What to do when the budget is spent: raise, wait, or pace (see the module docs)."""

    RAISE = "raise"
    WAIT = "wait"
    PACE = "pace"


@dataclass(frozen=True, slots=True)
class RateLimitKey:
    """Identifies one budget: a platform, an account on it, and a bucket of endpoints."""

    platform: str
    account: str
    bucket: str = "default"


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """A budget as last reported: ``limit`` per window, ``remaining`` now, reset moment.

    ``not_before`` is set when this client waited for a reset on this budget: no request is
    sent before that moment.
    """

    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    updated_at: datetime
    not_before: datetime | None = None

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0


@functools.lru_cache(maxsize=64)
def _parse_date_cached(text: str) -> datetime | None:
    return _parse_date(text)


def parse_reset(value: str | None, now: datetime) -> datetime | None:
    """A reset moment from a header value: ISO 8601 or HTTP date, epoch seconds, or delta seconds.

    Numbers above 10**9 are read as Unix epoch seconds, smaller ones as seconds from ``now``.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()[:64]
    if not text[0].isdigit() or "-" in text or ":" in text:
        return _bounded(_parse_date_cached(text), now)
    try:
        number = float(text)
    except ValueError:
        return _bounded(_parse_date_cached(text), now)
    if number != number:  # NaN
        return None
    try:
        if number > 1e9:
            moment = datetime.fromtimestamp(number, UTC)
        else:
            moment = now + timedelta(seconds=max(number, 0.0))
    except (OverflowError, OSError, ValueError):
        return None
    return _bounded(moment, now)


_ONE_SECOND = timedelta(seconds=1)
_MINUS_ONE_SECOND = -_ONE_SECOND

MAX_RESET_AHEAD = timedelta(days=1)
"""A reset announced further ahead than this is read as this far (year 9999 cannot overflow)."""


def _bounded(moment: datetime | None, now: datetime) -> datetime | None:
    if moment is None:
        return None
    try:
        latest = now + MAX_RESET_AHEAD
    except OverflowError:
        return moment
    return min(moment, latest)


def _parse_date(text: str) -> datetime | None:
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            try:
                moment = date_parser.parse(text)
            except (ValueError, OverflowError):
                return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value[:32])
    except ValueError:
        try:
            number = int(float(value.strip()[:32]))
        except (ValueError, OverflowError):
            return None
    return number if -(10**12) <= number <= 10**12 else None


@functools.lru_cache(maxsize=16)
def _header_slots(prefix: str) -> dict[bytes, int]:
    """``{b"<prefix>limit": 0, b"<prefix>remaining": 1, b"<prefix>reset": 2}``, lowercase."""
    wanted = prefix.lower().encode("latin-1")
    return {wanted + b"limit": 0, wanted + b"remaining": 1, wanted + b"reset": 2}


@functools.lru_cache(maxsize=64)
def _limit_cached(value: bytes) -> int | None:
    return _int(value.decode("latin-1"))


def parse_rate_limit_headers(
    headers: Mapping[str, str], now: datetime, *, prefix: str = "x-ratelimit-"
) -> RateLimitInfo | None:
    """Read ``<prefix>limit``, ``<prefix>remaining`` and ``<prefix>reset`` (case-insensitive).

    Mastodon uses ``X-RateLimit-*`` with an ISO date reset; Bluesky ``RateLimit-*`` with epoch
    seconds. Returns ``None`` when no rate-limit header is present.
    """
    limit = remaining = reset = None
    if isinstance(headers, httpx.Headers):  # one pass over the raw bytes: lookups are slow
        slots = _header_slots(prefix)
        found: list[bytes | None] = [None, None, None]
        for raw_key, raw_value in headers.raw:
            slot = slots.get(raw_key.lower())
            if slot is not None:
                found[slot] = raw_value
        raw_limit, raw_remaining, raw_reset = found
        if raw_limit is None and raw_remaining is None and raw_reset is None:
            return None
        # The limit and a dated reset stay the same for a whole window: read once, then cached.
        return RateLimitInfo(
            None if raw_limit is None else _limit_cached(raw_limit),
            None if raw_remaining is None else _int(raw_remaining.decode("latin-1")),
            None if raw_reset is None else parse_reset(raw_reset.decode("latin-1"), now),
            now,
        )
    size = len(prefix)
    for name, value in headers.items():
        lowered = name.lower()
        if lowered.startswith(prefix):
            suffix_text = lowered[size:]
            if suffix_text == "limit":
                limit = value
            elif suffix_text == "remaining":
                remaining = value
            elif suffix_text == "reset":
                reset = value
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimitInfo(_int(limit), _int(remaining), parse_reset(reset, now), now)


@dataclass(slots=True)
class _Budget:
    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    updated_at: datetime
    not_before: datetime | None
    in_flight: int = 0
    next_count: int = 0
    headerless: bool = False

    def info(self) -> RateLimitInfo:
        return RateLimitInfo(
            self.limit, self.remaining, self.reset_at, self.updated_at, self.not_before
        )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class RateLimiter:
    """Budgets keyed by :class:`RateLimitKey`, updated from headers, consulted before sending.

    ``margin`` (seconds) is added after a reset moment before sending again, to absorb clock
    differences and rounding of reset headers.
    """

    def __init__(self, *, clock: Callable[[], datetime] = _utcnow, margin: float = 0.1) -> None:
        self._clock = clock
        self._margin = timedelta(seconds=margin)
        self._lock = threading.Lock()
        self._state: dict[RateLimitKey, _Budget] = {}

    def now(self) -> datetime:
        return self._clock()

    def get(self, key: RateLimitKey) -> RateLimitInfo | None:
        """The last known state of a budget, or ``None``."""
        with self._lock:
            budget = self._state.get(key)
            return budget.info() if budget else None

    def snapshot(self) -> dict[RateLimitKey, RateLimitInfo]:
        """A copy of every known budget."""
        with self._lock:
            return {key: budget.info() for key, budget in self._state.items()}

    # -- pacing across threads and tasks ------------------------------------------------------
    probe_wait: float = 0.05
    """Seconds a request waits while the first request on an unknown budget is out."""

    def acquire(
        self, key: RateLimitKey, policy: RateLimitPolicy, *, max_wait: float = 900.0
    ) -> tuple[float, bool]:
        """``(wait, granted)`` for one request on ``key``.

        Under ``pace``, a granted request holds one unit of the budget until :meth:`settle`
        (or :meth:`release`) is called for it; when not granted, sleep ``wait`` and ask again.
        While a budget is unknown, one request goes out alone to learn it. Requests still in
        flight are counted against whatever window the server reports next, so concurrent
        callers (threads or tasks) sharing this limiter never exceed the budget. Other
        policies behave as :meth:`plan` and are always granted.
        """
        if policy is not RateLimitPolicy.PACE:
            return self.plan(key, policy, max_wait=max_wait), False
        with self._lock:
            now = self._clock()
            budget = self._state.get(key)
            if budget is None:
                budget = self._state[key] = _Budget(None, None, None, now, None)
            if budget.headerless:
                budget.in_flight += 1
                return 0.0, True
            if budget.remaining is None:
                if budget.in_flight == 0:
                    budget.in_flight = 1  # the probe that learns the budget
                    return 0.0, True
                return self.probe_wait, False
            if budget.reset_at is not None and now >= budget.reset_at + self._margin:
                # The window is over: a new one starts. Requests still out (and those that
                # reserved a place in this window while waiting) count against it.
                budget.remaining = (budget.limit if budget.limit is not None else 1) - (
                    budget.in_flight - budget.next_count
                )
                budget.remaining -= budget.next_count
                budget.next_count = 0
                budget.reset_at = None
                budget.not_before = None
            if budget.remaining > 0:
                budget.remaining -= 1
                budget.in_flight += 1
                return 0.0, True
            if budget.reset_at is None:
                if budget.in_flight == 0:
                    budget.in_flight = 1
                    return 0.0, True
                return self.probe_wait, False  # an answer will tell when the window ends
            # Spent: wait for the reset, holding a place in the next window if there is one.
            start = budget.reset_at + self._margin
            wait = self._checked(key, (start - now).total_seconds(), max_wait)
            budget.not_before = start
            capacity = budget.limit if budget.limit is not None else 1
            if budget.next_count < capacity:
                budget.next_count += 1
                budget.in_flight += 1
                return wait, True
            return wait, False

    def release(self, key: RateLimitKey) -> None:
        """A granted request ended without an answer (it may still count on the server)."""
        with self._lock:
            budget = self._state.get(key)
            if budget is not None and budget.in_flight > 0:
                budget.in_flight -= 1

    def settle(self, key: RateLimitKey, info: RateLimitInfo | None) -> None:
        """A granted request was answered with ``info`` (or no rate-limit headers)."""
        with self._lock:
            budget = self._state.get(key)
            if budget is None:
                return
            if budget.in_flight > 0:
                budget.in_flight -= 1
            if info is None:
                if budget.remaining is None:
                    budget.headerless = True
                return
            budget.headerless = False
            self._merge(budget, info)

    def _merge(self, budget: _Budget, info: RateLimitInfo) -> None:
        """Adopt a reported budget conservatively: within one window the remaining count only
        goes down (answers arrive out of order), and requests in flight are assumed to count."""
        reported = None if info.remaining is None else info.remaining - budget.in_flight
        same_window = False
        if budget.reset_at is not None and info.reset_at is not None:
            moved = info.reset_at - budget.reset_at
            if moved < _MINUS_ONE_SECOND:
                return  # stale: an answer from an earlier window
            same_window = _MINUS_ONE_SECOND < moved < _ONE_SECOND
        if same_window and budget.remaining is not None and reported is not None:
            budget.remaining = min(budget.remaining, reported)
        else:
            budget.remaining = reported
        budget.limit = info.limit if info.limit is not None else budget.limit
        budget.reset_at = info.reset_at if info.reset_at is not None else budget.reset_at
        budget.updated_at = info.updated_at
        if budget.not_before is not None and info.updated_at >= budget.not_before:
            budget.not_before = None

    def update(self, key: RateLimitKey, info: RateLimitInfo | None) -> None:
        """Record what a response's headers said about a budget."""
        if info is None:
            return
        with self._lock:
            budget = self._state.get(key)
            if budget is None:
                self._state[key] = _Budget(
                    info.limit, info.remaining, info.reset_at, info.updated_at, None
                )
                return
            budget.limit, budget.remaining = info.limit, info.remaining
            budget.reset_at, budget.updated_at = info.reset_at, info.updated_at
            if budget.not_before is not None and info.updated_at >= budget.not_before:
                budget.not_before = None

    def plan(self, key: RateLimitKey, policy: RateLimitPolicy, *, max_wait: float = 900.0) -> float:
        """Seconds to wait before sending a request on ``key`` (0.0 = send now).

        Raises :class:`~smmkit.errors.RateLimitedError` under ``raise`` when the budget is known
        spent, and under ``wait``/``pace`` when the wait would exceed ``max_wait``.
        """
        with self._lock:
            budget = self._state.get(key)
            if budget is None:
                return 0.0
            now = self._clock()
            if budget.not_before is not None and now < budget.not_before:
                wait = (budget.not_before - now).total_seconds()
                if policy is RateLimitPolicy.RAISE:
                    raise self._error(key, wait)
                if policy is RateLimitPolicy.PACE and budget.remaining is not None:
                    budget.remaining -= 1
                return self._checked(key, wait, max_wait)
            if budget.remaining is None:
                return 0.0
            if budget.remaining > 0:
                if policy is RateLimitPolicy.PACE:
                    budget.remaining -= 1
                return 0.0
            if budget.reset_at is None or budget.reset_at <= now:
                return 0.0
            wait = (budget.reset_at - now + self._margin).total_seconds()
            if policy is RateLimitPolicy.RAISE:
                raise self._error(key, wait)
            wait = self._checked(key, wait, max_wait)
            budget.remaining = (budget.limit if budget.limit is not None else 1) - 1
            budget.not_before = budget.reset_at + self._margin
            return wait

    def _checked(self, key: RateLimitKey, wait: float, max_wait: float) -> float:
        if wait > max_wait:
            raise self._error(key, wait, cap=max_wait)
        return max(wait, 0.0)

    @staticmethod
    def _error(key: RateLimitKey, wait: float, cap: float | None = None) -> RateLimitedError:
        why = (
            f"the wait ({wait:.1f}s) exceeds the cap ({cap:.1f}s)"
            if cap is not None
            else "the policy is 'raise'"
        )
        return RateLimitedError(
            f"{key.platform}: the rate limit of account {key.account!r} (bucket {key.bucket!r}) "
            f"is spent and {why}.",
            platform=key.platform,
            status=None,
            retry_after=wait,
            hint=f"retry in {wait:.0f}s, or use the 'wait' or 'pace' rate-limit policy.",
        )
