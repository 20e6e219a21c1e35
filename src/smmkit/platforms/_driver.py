"""The drivers: run a sans-I/O operation over ``httpx.Client`` (sync) or ``httpx.AsyncClient``.

Both drivers share :class:`_DriverCore`, which holds every decision (timeouts, rate-limit
planning, the retry decision, error mapping); the drivers themselves only send and sleep. Retries
go through tenacity with :func:`~._retry.decide_retry` as the predicate and the wait. ``sleep``
and ``clock`` are injectable, so tests never sleep for real.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
import tenacity

from smmkit._version import __version__
from smmkit.errors import PlatformError, SmmkitError, ValidationError

from ._auth import BearerAuth, RefreshingAuth, TokenSet
from ._core import Call, Fetch, Operation, Sleep, Step, mark_outcome_unknown
from ._errors import Dialect, error_for_status, error_from_exception
from ._media import async_media_client, fetch_async, fetch_sync, media_client, origin
from ._ratelimit import RateLimiter, RateLimitKey, RateLimitPolicy
from ._redact import get_logger, redact
from ._retry import RetryDecision, RetryPolicy, decide_retry

__all__ = ["DEFAULT_USER_AGENT", "AsyncDriver", "ClientOptions", "SyncDriver"]

DEFAULT_USER_AGENT = f"smmkit/{__version__}"
"""The ``User-Agent`` every client sends unless :class:`ClientOptions` says otherwise."""

T = TypeVar("T")
_log = get_logger("smmkit.platforms.http")
Timeout = float | httpx.Timeout | None
READ_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    UnicodeDecodeError,
)
"""What reading a malformed reply raises in an operation (mapped to a PlatformError)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientOptions:
    """Behaviour shared by every client: retries, rate-limit policy, default timeout.

    ``timeout`` (seconds or an :class:`httpx.Timeout`) applies to each request unless a call
    passes its own ``timeout=``. ``max_rate_limit_wait`` caps any wait for a rate-limit reset.
    ``user_agent`` is sent as ``User-Agent`` on every request that does not set its own
    (default ``smmkit/<version>``; servers and their operators see who calls; ``None`` sends
    none). Add your app's name and a contact, as Mastodon's and Bluesky's operators ask of bots:
    ``ClientOptions(user_agent=f"{DEFAULT_USER_AGENT} (agency-dashboard; ops@example.com)")``.
    """

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    rate_limit_policy: RateLimitPolicy = RateLimitPolicy.PACE
    max_rate_limit_wait: float = 900.0
    timeout: float | httpx.Timeout = 30.0
    user_agent: str | None = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate_limit_policy", RateLimitPolicy(self.rate_limit_policy))
        agent = self.user_agent
        if agent is not None and (
            not isinstance(agent, str)
            or not agent.strip()
            or len(agent) > 512
            or not agent.isascii()
            or any(not " " <= c <= "~" for c in agent)
        ):
            raise ValidationError(
                "user_agent",
                agent if isinstance(agent, str) and len(agent) <= 80 else type(agent).__name__,
                "must be non-empty printable ASCII of at most 512 characters (a header value), "
                "or None to send no User-Agent",
            )


class _DriverCore:
    """Everything a driver decides, without I/O."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        account: str,
        auth: httpx.Auth | None,
        options: ClientOptions | None,
        limiter: RateLimiter | None,
        clock: Callable[[], datetime],
        jitter: Callable[[], float] | None,
        observer: Callable[[Generator[Step, Any, Any]], None] | None,
        base_url: str | None = None,
    ) -> None:
        self.dialect = dialect
        self.account = account
        self.auth = auth
        self.origin = origin(base_url) if base_url else None
        """Where credentials may go: the base URL's origin (pinned to the first credentialed
        request's origin when no base URL is given)."""
        self.options = options or ClientOptions()
        self.clock = clock
        self.limiter = limiter or RateLimiter(clock=clock)
        self._jitter = jitter or random.random
        self.observer = observer
        self._default_timeout: dict[str, float | None] | None = None
        self._keys: dict[str, RateLimitKey] = {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(platform={self.dialect.platform!r}, "
            f"account={self.account!r}, auth={self.auth!r})"
        )

    def prepare(self, step: httpx.Request | Call, timeout: Timeout) -> Call:
        call = step if isinstance(step, Call) else Call(step)
        agent = self.options.user_agent
        if agent is not None and "user-agent" not in call.request.headers:
            call.request.headers["User-Agent"] = agent
        if timeout is None:
            if self._default_timeout is None:
                self._default_timeout = self._timeout_dict(self.options.timeout)
            call.request.extensions["timeout"] = self._default_timeout
        else:
            call.request.extensions["timeout"] = self._timeout_dict(timeout)
        return call

    @staticmethod
    def _timeout_dict(value: float | httpx.Timeout) -> dict[str, float | None]:
        return (value if isinstance(value, httpx.Timeout) else httpx.Timeout(value)).as_dict()

    def may_authorize(self, call: Call) -> bool:
        """Whether ``call`` may carry the client's credentials: only to the base origin."""
        if not call.credentials or self.auth is None:
            return False
        target = origin(call.request.url)
        if self.origin is None:
            self.origin = target
            return True
        if target == self.origin:
            return True
        _log.warning(
            "%s: not sending credentials to %s://%s (the client's origin is %s://%s)",
            self.dialect.platform,
            target[0],
            target[1],
            self.origin[0],
            self.origin[1],
        )
        return False

    def authorize(self, call: Call) -> httpx.Auth | None:
        """Put the client's credentials on ``call`` when they may go to its origin, and say
        how to send it: with the returned ``httpx.Auth`` (``None``: as it is now); a
        :class:`~._auth.RefreshingAuth` returned goes through the driver's single-flight
        renewal instead."""
        if not self.may_authorize(call):
            if call.credentials:
                call.request.headers.pop("Authorization", None)
            return None
        auth = self.auth
        if isinstance(auth, BearerAuth):
            call.request.headers["Authorization"] = auth.authorization_header()
            return None
        return auth

    def read_error(self, exc: BaseException, *, after_create: bool) -> PlatformError:
        """The smmkit error for a reply an operation could not read (never the raw one,
        whose text may quote the reply)."""
        error = PlatformError(
            f"{self.dialect.platform}: could not read the server's reply "
            f"({type(exc).__name__}: {redact(str(exc))[:160]}).",
            platform=self.dialect.platform,
            hint="check that the client's base URL points at the right service; if it does, "
            "the server answered something unexpected: retry later or report it.",
        )
        if after_create:
            mark_outcome_unknown(error)
        return error

    def key(self, call: Call) -> RateLimitKey:
        key = self._keys.get(call.bucket)
        if key is None:
            key = self._keys[call.bucket] = RateLimitKey(
                self.dialect.platform, self.account, call.bucket
            )
        return key

    def plan(self, call: Call) -> float:
        return self.limiter.plan(
            self.key(call),
            self.options.rate_limit_policy,
            max_wait=self.options.max_rate_limit_wait,
        )

    def acquire(self, call: Call) -> tuple[float, bool]:
        """``(wait, granted)``: see :meth:`RateLimiter.acquire`."""
        return self.limiter.acquire(
            self.key(call),
            self.options.rate_limit_policy,
            max_wait=self.options.max_rate_limit_wait,
        )

    def release(self, call: Call) -> None:
        self.limiter.release(self.key(call))

    def record(self, call: Call, response: httpx.Response, *, granted: bool = False) -> None:
        now = self.clock()
        try:
            info = self.dialect.parse_rate_limit(response.headers, now)
        except (ValueError, TypeError, OverflowError, OSError):
            info = None  # unreadable headers: as if absent
        if granted:
            self.limiter.settle(self.key(call), info)
        else:
            self.limiter.update(self.key(call), info)
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug(
                "%s %s -> %s (%s)",
                call.request.method,
                call.request.url,
                response.status_code,
                self.dialect.request_id(response) or "no request id",
            )

    def is_error(self, call: Call, response: httpx.Response) -> bool:
        return response.status_code >= 400 and response.status_code not in call.accept

    def decide(self, call: Call, state: tenacity.RetryCallState) -> RetryDecision:
        outcome = state.outcome
        assert outcome is not None
        idempotent = call.is_idempotent(self.dialect.effective_idempotency_header)
        common: dict[str, Any] = {
            "attempt": state.attempt_number,
            "idempotent": idempotent,
            "policy": self.options.retry,
            "wait_on_rate_limit": self.options.rate_limit_policy is not RateLimitPolicy.RAISE,
            "jitter": self._jitter(),
        }
        if outcome.failed:
            return decide_retry(error=outcome.exception(), **common)
        response: httpx.Response = outcome.result()
        if not self.is_error(call, response):
            return decide_retry(status=min(response.status_code, 299), **common)
        return decide_retry(
            status=response.status_code,
            hint=self.dialect.retry_hint(response, self.clock()),
            **common,
        )

    def retrying_kwargs(self, call: Call, decisions: dict[int, RetryDecision]) -> dict[str, Any]:
        def should_retry(state: tenacity.RetryCallState) -> bool:
            decision = self.decide(call, state)
            decisions[state.attempt_number] = decision
            return decision.retry

        def wait(state: tenacity.RetryCallState) -> float:
            return decisions[state.attempt_number].delay

        def before_sleep(state: tenacity.RetryCallState) -> None:
            decision = decisions[state.attempt_number]
            _log.info(
                "%s: retrying %s %s in %.2fs (attempt %d): %s",
                self.dialect.platform,
                call.request.method,
                call.request.url.copy_with(query=None),
                decision.delay,
                state.attempt_number,
                decision.reason,
            )

        def give_back(state: tenacity.RetryCallState) -> Any:
            assert state.outcome is not None
            return state.outcome.result()  # re-raises a final exception

        return {
            "stop": tenacity.stop_after_attempt(self.options.retry.max_attempts),
            "retry": should_retry,
            "wait": wait,
            "before_sleep": before_sleep,
            "retry_error_callback": give_back,
            "reraise": True,
        }

    def finish(
        self, call: Call, response: httpx.Response, decisions: dict[int, RetryDecision]
    ) -> httpx.Response:
        if not self.is_error(call, response):
            return response
        error = error_for_status(response, self.dialect, account=self.account, now=self.clock())
        if self.ambiguous(decisions):
            mark_outcome_unknown(error)
        raise error

    @staticmethod
    def ambiguous(decisions: dict[int, RetryDecision]) -> bool:
        """Whether any attempt may have been acted on without a response saying so."""
        return any(d.sent is None for d in decisions.values())

    def fail(
        self, call: Call, exc: BaseException, decisions: dict[int, RetryDecision]
    ) -> PlatformError:
        if isinstance(exc, httpx.TransportError):
            error: PlatformError = error_from_exception(exc, call.request, self.dialect)
            if self.ambiguous(decisions):
                mark_outcome_unknown(error)
            error.__cause__ = exc
            return error
        if isinstance(exc, PlatformError):
            return exc
        raise exc


def _release(auth: httpx.Auth | None) -> None:
    release = getattr(auth, "release", None)
    if callable(release):
        release()


class _First:
    """The first attempt, made outside tenacity (the fast path); when a retry is needed,
    tenacity replays it as its attempt 1, so every decision still goes through
    :func:`~._retry.decide_retry`."""

    def __init__(
        self, *, response: httpx.Response | None = None, error: BaseException | None = None
    ) -> None:
        self._response = response
        self.error = error
        self.pending = True

    @property
    def response(self) -> httpx.Response:
        assert self._response is not None
        return self._response

    def replay(self) -> httpx.Response:
        self.pending = False
        if self.error is not None:
            raise self.error
        return self.response


class _Runner:
    """The generator loop shared by both drivers' bookkeeping (no I/O)."""

    @staticmethod
    def start(core: _DriverCore, operation: Generator[Step, Any, Any]) -> None:
        if core.observer is not None:
            core.observer(operation)


class SyncDriver:
    """Runs operations over an ``httpx.Client`` (created, and closed by :meth:`close`, if not
    given). ``sleep`` and ``clock`` default to the real ones when omitted or ``None``, so a
    client shell can pass its own optional ``sleep=``/``clock=`` straight through."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        http_client: httpx.Client | None = None,
        auth: httpx.Auth | None = None,
        account: str = "default",
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        jitter: Callable[[], float] | None = None,
        observer: Callable[[Generator[Step, Any, Any]], None] | None = None,
        base_url: str | None = None,
        media_client: httpx.Client | None = None,
    ) -> None:
        self.core = _DriverCore(
            dialect=dialect,
            account=account,
            auth=auth,
            options=options,
            limiter=limiter,
            clock=clock or _utcnow,
            jitter=jitter,
            observer=observer,
            base_url=base_url,
        )
        self._owns_client = http_client is None
        self.http_client = http_client or httpx.Client()
        self._owns_media_client = media_client is None
        self._media_client = media_client
        self._sleep = sleep or time.sleep

    def __repr__(self) -> str:
        return f"SyncDriver({self.core!r})"

    def close(self) -> None:
        if self._owns_client:
            self.http_client.close()
        if self._media_client is not None and self._owns_media_client:
            self._media_client.close()
            self._media_client = None
        _release(self.core.auth)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def run(self, operation: Operation[T], *, timeout: Timeout = None) -> T:
        """Run ``operation`` to completion and return its result."""
        _Runner.start(self.core, operation)
        reply: Any = None
        error: BaseException | None = None
        created = False
        while True:
            try:
                step = operation.throw(error) if error is not None else operation.send(reply)
            except StopIteration as stop:
                result: T = stop.value
                return result
            except SmmkitError:
                raise
            except READ_ERRORS as exc:
                raise self.core.read_error(exc, after_create=created) from None
            reply, error = None, None
            if isinstance(step, Sleep):
                self.sleep(step.seconds)
                continue
            if isinstance(step, Fetch):
                try:
                    reply = self._fetch(step)
                except SmmkitError as exc:
                    error = exc
                continue
            call = self.core.prepare(step, timeout)
            created = created or not call.is_idempotent(None)
            try:
                reply = self._execute(call)
            except PlatformError as exc:
                error = exc

    def _fetch(self, step: Fetch) -> bytes:
        if self._media_client is None:
            self._media_client = media_client(self.core.options.user_agent)
        return fetch_sync(
            self._media_client,
            step.url,
            kind=step.kind,
            max_bytes=step.max_bytes,
            timeout=step.timeout,
            field=step.field,
        )

    def _renew(self, auth: RefreshingAuth, used: TokenSet | None) -> TokenSet:
        """Single-flight renewal: one caller logs in or refreshes, the others wait for it."""
        tokens, flight, leader = auth.begin_renewal(used)
        if tokens is not None:
            return tokens
        assert flight is not None
        if not leader:
            return flight.wait()
        try:
            new = self.run(auth.renewal_operation(used))
        except BaseException as exc:
            auth.fail_renewal(flight, exc)
            raise
        return auth.complete_renewal(flight, new)

    def _send_refreshing(self, call: Call, auth: RefreshingAuth) -> httpx.Response:
        core, request, http = self.core, call.request, self.http_client
        tokens = auth.usable() or self._renew(auth, None)
        request.headers["Authorization"] = auth.authorization_header(tokens)
        response = http.send(request, auth=None)
        if auth.is_expired_response(response):
            response.read()
            response.close()
            core.record(call, response)
            tokens = self._renew(auth, tokens)
            request.headers["Authorization"] = auth.authorization_header(tokens)
            response = http.send(request, auth=None)
        return response

    def _attempt(self, call: Call) -> httpx.Response:
        """One attempt: a place in the rate-limit budget, the request, the budget's update."""
        core = self.core
        while True:
            delay, granted = core.acquire(call)
            if delay > 0:
                self._sleep(delay)
            if granted or core.options.rate_limit_policy is not RateLimitPolicy.PACE:
                break
        try:
            auth = core.authorize(call)
            if isinstance(auth, RefreshingAuth):
                response = self._send_refreshing(call, auth)
            else:
                response = self.http_client.send(call.request, auth=auth)
        except BaseException:
            if granted:
                core.release(call)
            raise
        core.record(call, response, granted=granted)
        return response

    def _execute(self, call: Call) -> httpx.Response:
        core = self.core
        # The first attempt runs outside tenacity: an answer that is not an error needs no
        # retry decision. Anything else is replayed to tenacity as its attempt 1.
        try:
            response = self._attempt(call)
        except (httpx.TransportError, PlatformError) as exc:
            first = _First(error=exc)
        else:
            if not core.is_error(call, response):
                return response
            first = _First(response=response)
        decisions: dict[int, RetryDecision] = {}

        def attempt() -> httpx.Response:
            return first.replay() if first.pending else self._attempt(call)

        retrying = tenacity.Retrying(sleep=self.sleep, **core.retrying_kwargs(call, decisions))
        try:
            response = retrying(attempt)
        except (httpx.TransportError, PlatformError) as exc:
            raise core.fail(call, exc, decisions) from exc
        return core.finish(call, response, decisions)


async def _async_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class AsyncDriver:
    """Runs operations over an ``httpx.AsyncClient`` (created, and closed by :meth:`aclose`, if
    not given). ``sleep`` (awaitable) and ``clock`` default to the real ones when ``None``."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        http_client: httpx.AsyncClient | None = None,
        auth: httpx.Auth | None = None,
        account: str = "default",
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        jitter: Callable[[], float] | None = None,
        observer: Callable[[Generator[Step, Any, Any]], None] | None = None,
        base_url: str | None = None,
        media_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.core = _DriverCore(
            dialect=dialect,
            account=account,
            auth=auth,
            options=options,
            limiter=limiter,
            clock=clock or _utcnow,
            jitter=jitter,
            observer=observer,
            base_url=base_url,
        )
        self._owns_client = http_client is None
        self.http_client = http_client or httpx.AsyncClient()
        self._owns_media_client = media_client is None
        self._media_client = media_client
        self._sleep = sleep or _async_sleep

    def __repr__(self) -> str:
        return f"AsyncDriver({self.core!r})"

    async def aclose(self) -> None:
        if self._owns_client:
            await self.http_client.aclose()
        if self._media_client is not None and self._owns_media_client:
            await self._media_client.aclose()
            self._media_client = None
        _release(self.core.auth)

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    async def run(self, operation: Operation[T], *, timeout: Timeout = None) -> T:
        """Run ``operation`` to completion and return its result."""
        _Runner.start(self.core, operation)
        reply: Any = None
        error: BaseException | None = None
        created = False
        while True:
            try:
                step = operation.throw(error) if error is not None else operation.send(reply)
            except StopIteration as stop:
                result: T = stop.value
                return result
            except SmmkitError:
                raise
            except READ_ERRORS as exc:
                raise self.core.read_error(exc, after_create=created) from None
            reply, error = None, None
            if isinstance(step, Sleep):
                await self.sleep(step.seconds)
                continue
            if isinstance(step, Fetch):
                try:
                    reply = await self._fetch(step)
                except SmmkitError as exc:
                    error = exc
                continue
            call = self.core.prepare(step, timeout)
            created = created or not call.is_idempotent(None)
            try:
                reply = await self._execute(call)
            except PlatformError as exc:
                error = exc

    async def _fetch(self, step: Fetch) -> bytes:
        if self._media_client is None:
            self._media_client = async_media_client(self.core.options.user_agent)
        return await fetch_async(
            self._media_client,
            step.url,
            kind=step.kind,
            max_bytes=step.max_bytes,
            timeout=step.timeout,
            field=step.field,
        )

    async def _renew(self, auth: RefreshingAuth, used: TokenSet | None) -> TokenSet:
        """Single-flight renewal across tasks and threads (see :meth:`SyncDriver._renew`)."""
        tokens, flight, leader = auth.begin_renewal(used)
        if tokens is not None:
            return tokens
        assert flight is not None
        if not leader:
            return await flight.wait_async()
        try:
            new = await self.run(auth.renewal_operation(used))
        except BaseException as exc:
            auth.fail_renewal(flight, exc)
            raise
        return auth.complete_renewal(flight, new)

    async def _send_refreshing(self, call: Call, auth: RefreshingAuth) -> httpx.Response:
        core, request, http = self.core, call.request, self.http_client
        tokens = auth.usable() or await self._renew(auth, None)
        request.headers["Authorization"] = auth.authorization_header(tokens)
        response = await http.send(request, auth=None)
        if auth.is_expired_response(response):
            await response.aread()
            await response.aclose()
            core.record(call, response)
            tokens = await self._renew(auth, tokens)
            request.headers["Authorization"] = auth.authorization_header(tokens)
            response = await http.send(request, auth=None)
        return response

    async def _attempt(self, call: Call) -> httpx.Response:
        """One attempt (see :meth:`SyncDriver._attempt`)."""
        core = self.core
        while True:
            delay, granted = core.acquire(call)
            if delay > 0:
                await self._sleep(delay)
            if granted or core.options.rate_limit_policy is not RateLimitPolicy.PACE:
                break
            # Not granted: another task holds the probe or the window. Yield to the loop
            # even if the injected sleep does not (a fake clock), so that task can finish.
            await asyncio.sleep(0)
        try:
            auth = core.authorize(call)
            if isinstance(auth, RefreshingAuth):
                response = await self._send_refreshing(call, auth)
            else:
                response = await self.http_client.send(call.request, auth=auth)
        except BaseException:
            if granted:
                core.release(call)
            raise
        core.record(call, response, granted=granted)
        return response

    async def _execute(self, call: Call) -> httpx.Response:
        core = self.core
        # The first attempt runs outside tenacity (see SyncDriver._execute).
        try:
            response = await self._attempt(call)
        except (httpx.TransportError, PlatformError) as exc:
            first = _First(error=exc)
        else:
            if not core.is_error(call, response):
                return response
            first = _First(response=response)
        decisions: dict[int, RetryDecision] = {}

        async def attempt() -> httpx.Response:
            return first.replay() if first.pending else await self._attempt(call)

        retrying = tenacity.AsyncRetrying(sleep=self.sleep, **core.retrying_kwargs(call, decisions))
        try:
            response = await retrying(attempt)
        except (httpx.TransportError, PlatformError) as exc:
            raise core.fail(call, exc, decisions) from exc
        return core.finish(call, response, decisions)
