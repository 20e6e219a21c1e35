"""Authentication: bearer tokens, sessions with refresh, and OAuth 2 with PKCE.

Every auth object is an :class:`httpx.Auth` whose ``auth_flow`` is a generator (written once;
httpx runs it sync or async), passed per request by the drivers, so a shared ``httpx.Client`` is
never mutated. Secrets are :class:`~pydantic.SecretStr`, registered for redaction, and never
appear in ``repr``, logs or error text.

* :class:`BearerAuth`: a fixed token (Mastodon access tokens, personal tokens).
* :class:`SessionAuth`: log in once with an identifier and app password, reuse the session, and
  refresh it when it expires (AT Protocol's ``createSession``/``refreshSession``); the platform
  supplies the request builders and the response parser.
* :class:`OAuth2PKCE` and :class:`OAuth2Auth`: the authorisation-code flow with PKCE (S256):
  authorisation URL, code exchange, refresh with rotation.

Rotated tokens are handed to ``on_tokens(tokens)`` so that the caller can store them, and
:meth:`RefreshingAuth.expire_access_token` forces a refresh before the next request.

A failed login or refresh is raised through the framework's one status mapping
(:func:`~._errors.error_for_status`): a refused credential (400 or 401) is an
:class:`~smmkit.errors.AuthenticationError` naming the account and how to fix it; a 429 is a
:class:`~smmkit.errors.RateLimitedError` with ``retry_after``; a 5xx a
:class:`~smmkit.errors.ServerError`; no answer at all reaches the driver as a transport failure
and becomes a :class:`~smmkit.errors.PlatformConnectionError`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx
from pydantic import AwareDatetime, Field, SecretStr, field_validator
from pydantic import ValidationError as PydanticValidationError

from smmkit.errors import AuthenticationError, PlatformStatusError, SmmkitError, ValidationError
from smmkit.models import ValueModel

from ._core import Call, Operation, send
from ._errors import Dialect, error_for_status
from ._redact import get_logger, register_secret, release_secret

__all__ = [
    "AuthorizationRequest",
    "BearerAuth",
    "OAuth2Auth",
    "OAuth2PKCE",
    "RefreshingAuth",
    "SessionAuth",
    "TokenCallbackError",
    "TokenSet",
    "code_challenge",
    "make_code_verifier",
    "resolve_secret",
]

_log = get_logger("smmkit.platforms.auth")


def _utcnow() -> datetime:
    return datetime.now(UTC)


_MASKED = "**********"
_MAX_LIFETIME = timedelta(days=3650)
"""Longer announced lifetimes are read as this (a token response of ``1e30`` seconds)."""
STORAGE_VERSION = 1


def _secret_field(value: object, field: str) -> SecretStr:
    raw = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not isinstance(raw, str) or not raw:
        raise ValidationError(field, "***", "must be a non-empty token string")
    if raw == _MASKED or set(raw) == {"*"}:
        raise ValidationError(
            field,
            raw,
            "is the masked placeholder that model_dump_json() writes, not a token",
            hint="serialise tokens with TokenSet.to_storage() and load them with "
            "TokenSet.from_storage().",
        )
    return value if isinstance(value, SecretStr) else SecretStr(raw)


def expiry_after(now: datetime, seconds: object) -> datetime | None:
    """``now + seconds`` for a lifetime announced by a server, or ``None`` when unreadable.

    Non-numbers, NaN and negative values are unreadable; lifetimes beyond ten years (``1e30``)
    are capped at ten years, so no announced value can overflow.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float | str):
        return None
    try:
        value = float(seconds)
    except (TypeError, ValueError, OverflowError):
        return None
    if value != value or value < 0:
        return None
    lifetime = _MAX_LIFETIME if value >= _MAX_LIFETIME.total_seconds() else timedelta(seconds=value)
    try:
        return now + lifetime
    except OverflowError:
        return None


class TokenSet(ValueModel):
    """Tokens of one account. ``expires_at`` is when the access token stops working.

    ``repr``, ``str`` and ``model_dump_json()`` mask the tokens (``**********``). To keep a
    session across restarts, serialise it explicitly with :meth:`to_storage` (plain tokens:
    store the result encrypted, e.g. in a workspace) and load it with :meth:`from_storage`; the
    masked placeholder is refused as a token.
    """

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    token_type: str = "Bearer"
    expires_at: AwareDatetime | None = None
    scope: str | None = None
    subject: str | None = Field(default=None, description="The account the tokens belong to.")

    @field_validator("access_token", mode="before")
    @classmethod
    def _access(cls, value: object) -> SecretStr:
        return _secret_field(value, "access_token")

    @field_validator("refresh_token", mode="before")
    @classmethod
    def _refresh(cls, value: object) -> SecretStr | None:
        return None if value is None else _secret_field(value, "refresh_token")

    def model_post_init(self, context: Any, /) -> None:
        register_secret(self.access_token)
        register_secret(self.refresh_token)

    def release(self) -> None:
        """Retire these tokens from the live redaction registry (see :mod:`._redact`)."""
        release_secret(self.access_token)
        release_secret(self.refresh_token)

    def expired(self, now: datetime, skew: timedelta = timedelta(seconds=30)) -> bool:
        """Whether the access token is expired (or will be within ``skew``)."""
        return self.expires_at is not None and self.expires_at - skew <= now

    def to_storage(self) -> dict[str, Any]:
        """A JSON-serialisable dict with the tokens **in plain text**, for the caller to store
        (encrypted at rest) and give back to :meth:`from_storage`. Never log it."""
        return {
            "version": STORAGE_VERSION,
            "access_token": self.access_token.get_secret_value(),
            "refresh_token": (
                self.refresh_token.get_secret_value() if self.refresh_token is not None else None
            ),
            "token_type": self.token_type,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "scope": self.scope,
            "subject": self.subject,
        }

    @classmethod
    def from_storage(cls, data: Mapping[str, Any]) -> TokenSet:
        """Tokens from :meth:`to_storage`'s dict; a masked placeholder or a dict of another
        version is refused with a :class:`~smmkit.errors.ValidationError`."""
        if not isinstance(data, Mapping):
            raise ValidationError(
                "tokens", type(data).__name__, "must be the dict TokenSet.to_storage() returned"
            )
        version = data.get("version")
        if version != STORAGE_VERSION:
            raise ValidationError(
                "tokens.version",
                version,
                f"must be {STORAGE_VERSION} (a dict made by TokenSet.to_storage())",
                hint="store tokens with TokenSet.to_storage(), or log in again.",
            )
        fields = {k: v for k, v in data.items() if k != "version"}
        try:
            return cls.model_validate(fields)
        except PydanticValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'tokens'}: {e['msg']}"
                for e in exc.errors(include_input=False)
            )
            raise ValidationError(
                "tokens",
                "***",
                f"is not a stored token set ({problems})",
                hint="store tokens with TokenSet.to_storage(), or log in again.",
            ) from None

    @classmethod
    def from_oauth(cls, data: object, now: datetime, previous: TokenSet | None = None) -> TokenSet:
        """From an OAuth 2 token response (RFC 6749 section 5.1); keeps the old refresh token
        when the server does not rotate it. A malformed answer is an
        :class:`~smmkit.errors.AuthenticationError` that never shows the answer."""
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            raise AuthenticationError(
                "the token response has no access_token.",
                hint="check the token endpoint URL and the client's credentials.",
            )
        refresh = data.get("refresh_token")
        refresh_secret = (
            SecretStr(refresh)
            if isinstance(refresh, str) and refresh
            else (previous.refresh_token if previous else None)
        )
        try:
            return cls(
                access_token=SecretStr(data["access_token"]),
                refresh_token=refresh_secret,
                token_type=str(data.get("token_type") or "Bearer")[:40],
                expires_at=expiry_after(now, data.get("expires_in")),
                scope=data.get("scope") if isinstance(data.get("scope"), str) else None,
                subject=previous.subject if previous else None,
            )
        except (ValidationError, PydanticValidationError):
            raise AuthenticationError(
                "the token response holds no usable access token.",
                hint="check the token endpoint URL and the client's credentials.",
            ) from None


class BearerAuth(httpx.Auth):
    """A fixed bearer token. ``repr`` never shows it. The drivers attach it only to requests
    for the client's own origin."""

    def __init__(self, token: SecretStr | str) -> None:
        self._token = _secret_field(token, "token")
        register_secret(self._token)

    def __repr__(self) -> str:
        return "BearerAuth(token=SecretStr('**********'))"

    def authorization_header(self) -> str:
        return f"Bearer {self._token.get_secret_value()}"

    def release(self) -> None:
        """Retire the token from the live redaction registry (the client is closing)."""
        release_secret(self._token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self.authorization_header()
        yield request


class TokenCallbackError(AuthenticationError):
    """``on_tokens`` raised while storing rotated tokens. The new tokens are in use in memory
    (the request that rotated them went on); store them again from ``auth.tokens``."""


class _Flight:
    """One login or refresh in progress, awaited by threads (an event) and by tasks of any
    event loop (futures resolved thread-safely)."""

    __slots__ = ("error", "event", "lock", "tokens", "waiters")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.tokens: TokenSet | None = None
        self.error: BaseException | None = None
        self.waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def finish(self, tokens: TokenSet | None, error: BaseException | None) -> None:
        with self.lock:
            self.tokens, self.error = tokens, error
            self.event.set()
            waiters, self.waiters = self.waiters, []
        for loop, future in waiters:
            # A closed loop raises RuntimeError: nobody waits there any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_wake, future)

    def result(self) -> TokenSet:
        if self.error is not None:
            raise self.error
        assert self.tokens is not None
        return self.tokens

    def wait(self) -> TokenSet:
        self.event.wait()
        return self.result()

    async def wait_async(self) -> TokenSet:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self.lock:
            if not self.event.is_set():
                self.waiters.append((loop, future))
            else:
                future.set_result(None)
        await future
        return self.result()


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class RefreshingAuth(httpx.Auth):
    """Base of the auths that obtain and refresh tokens.

    Subclasses implement :meth:`login_request` (or return ``None`` if they cannot log in),
    :meth:`refresh_request`, :meth:`parse_tokens`, and may override :meth:`is_expired_response`
    (default: status 401).

    The drivers run logins and refreshes as operations of their own (with the client's
    timeouts, rate-limit recording and retry table) and make them **single-flight**: however
    many threads and asyncio tasks meet an expired token at once, one of them renews it and the
    others wait for that result, then retry with the new token. A refresh whose credentials are
    refused (400 or 401) falls back to one login; a rate-limited or failing refresh is raised as
    what it is (logging in again would only spend the login budget).

    Rotated tokens are handed to ``on_tokens(tokens)`` once per rotation, in order. If it
    raises, the new tokens stay in use in memory and the caller gets a
    :class:`TokenCallbackError`.

    ``dialect`` (the platform's :class:`~._errors.Dialect`) reads the error bodies and the
    rate-limit hints of login and refresh answers, and its ``auth_hint`` says how to fix refused
    credentials; without one, ``Dialect(platform=platform, auth_hint=default_auth_hint)``.
    """

    requires_response_body = True
    default_auth_hint: ClassVar[str] = (
        "check the account's credentials; revoked or expired ones must be replaced."
    )

    def __init__(
        self,
        tokens: TokenSet | None = None,
        *,
        account: str | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        platform: str = "platform",
        dialect: Dialect | None = None,
    ) -> None:
        self._tokens = tokens
        self._account = account
        self._on_tokens = on_tokens
        self._clock = clock or _utcnow
        self._dialect = dialect or Dialect(platform=platform, auth_hint=self.default_auth_hint)
        self._platform = self._dialect.platform
        self._lock = threading.Lock()
        self._flight: _Flight | None = None
        self.rotations = 0
        """How many times new tokens were obtained (logins and refreshes)."""

    def __repr__(self) -> str:
        state = "with tokens" if self._tokens else "no tokens"
        return f"{type(self).__name__}(account={self._account!r}, {state})"

    @property
    def tokens(self) -> TokenSet | None:
        """The current tokens (``None`` before the first login)."""
        return self._tokens

    @property
    def dialect(self) -> Dialect:
        """The platform's wire conventions used to read login and refresh answers."""
        return self._dialect

    def expire_access_token(self) -> None:
        """Treat the current access token as expired, so that the next request first renews
        it (with the refresh token, or by logging in again when it cannot be refreshed).

        Use it to rotate a session now, or after the token was revoked elsewhere. Nothing is
        sent here. Before the first login (no tokens) it does nothing.
        """
        with self._lock:
            if self._tokens is not None:
                past = self._clock() - timedelta(days=1)
                self._tokens = self._tokens.model_copy(update={"expires_at": past})

    def release(self) -> None:
        """Retire the current tokens from the live redaction registry (the client closes)."""
        with self._lock:
            if self._tokens is not None:
                self._tokens.release()

    # -- hooks ---------------------------------------------------------------------------
    def login_request(self) -> httpx.Request | None:
        """A request that logs in from scratch, or ``None`` if this auth cannot log in."""
        return None

    def refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        """A request that refreshes ``tokens``, or ``None`` if they cannot be refreshed."""
        return None

    def parse_tokens(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        """Tokens from a login or refresh response."""
        raise NotImplementedError

    def is_expired_response(self, response: httpx.Response) -> bool:
        """Whether ``response`` says the access token expired (default: 401)."""
        return response.status_code == 401

    def authorization_header(self, tokens: TokenSet) -> str:
        scheme = "Bearer" if tokens.token_type.lower() == "bearer" else tokens.token_type
        return f"{scheme} {tokens.access_token.get_secret_value()}"

    # -- the single-flight renewal, driven by the drivers -----------------------------------
    def usable(self) -> TokenSet | None:
        """The current tokens if they can be sent now, else ``None`` (renew first)."""
        tokens = self._tokens
        if tokens is None or tokens.expired(self._clock()):
            return None
        return tokens

    def begin_renewal(self, used: TokenSet | None) -> tuple[TokenSet | None, _Flight | None, bool]:
        """Join or start the renewal of ``used`` (the tokens a request found wanting).

        Returns ``(tokens, None, False)`` when someone already renewed them (use ``tokens``),
        ``(None, flight, False)`` when a renewal is in progress (wait for ``flight``), or
        ``(None, flight, True)`` when the caller leads it: run :meth:`renewal_operation`, then
        :meth:`complete_renewal` (or :meth:`fail_renewal`).
        """
        with self._lock:
            current = self._tokens
            if current is not None and current is not used and not current.expired(self._clock()):
                return current, None, False
            if self._flight is not None:
                return None, self._flight, False
            self._flight = _Flight()
            return None, self._flight, True

    def renewal_operation(self, used: TokenSet | None) -> Operation[TokenSet]:
        """Operation: obtain new tokens (refresh ``used``, else log in). Stores nothing."""
        current = self._tokens if self._tokens is not None else used
        request = self.refresh_request(current) if current is not None else None
        if request is None:
            return (yield from self._login_operation())
        response = yield from send(_credential_call(request))
        if response.status_code >= 400:
            if self._refused(response) and self.login_request() is not None:
                _log.info("%s: refresh refused; logging in again", self._platform)
                return (yield from self._login_operation())
            raise self._fail(response, "refresh the session")
        return self._parsed(response, current)

    def _login_operation(self) -> Operation[TokenSet]:
        request = self.login_request()
        if request is None:
            raise AuthenticationError(
                f"{self._platform}: the tokens of account {self._account!r} expired and cannot "
                "be refreshed.",
                platform=self._platform,
                hint="authorise the app again to get new tokens.",
            )
        response = yield from send(_credential_call(request))
        if response.status_code >= 400:
            raise self._fail(response, "log in")
        return self._parsed(response, self._tokens)

    def _parsed(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        try:
            return self.parse_tokens(response, previous)
        except SmmkitError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise AuthenticationError(
                f"{self._platform}: the login or refresh answer of account {self._account!r} "
                f"could not be read ({type(exc).__name__}).",
                platform=self._platform,
                status=response.status_code,
                hint="check the service URL; the server's answer is not a token response.",
            ) from None

    def complete_renewal(self, flight: _Flight, tokens: TokenSet) -> TokenSet:
        """Adopt ``tokens`` (the leader's renewal succeeded), tell ``on_tokens``, wake the
        waiters; raises :class:`TokenCallbackError` if ``on_tokens`` raised (tokens kept)."""
        callback_error: BaseException | None = None
        with self._lock:
            old, self._tokens = self._tokens, tokens
            self.rotations += 1
        if old is not None and old is not tokens:
            old.release()
        _log.info("%s: new tokens for account %r", self._platform, self._account)
        if self._on_tokens is not None:
            try:
                self._on_tokens(tokens)
            except Exception as exc:
                callback_error = exc
        with self._lock:
            self._flight = None
        flight.finish(tokens, None)
        if callback_error is not None:
            raise TokenCallbackError(
                f"{self._platform}: on_tokens raised {type(callback_error).__name__} while "
                f"storing the new tokens of account {self._account!r}; they are in use in "
                "memory but were not stored.",
                platform=self._platform,
                hint="fix the on_tokens callback, then store auth.tokens again "
                "(TokenSet.to_storage()).",
            ) from None
        return tokens

    def fail_renewal(self, flight: _Flight, error: BaseException) -> None:
        """The leader's renewal failed: the waiters get the same error."""
        with self._lock:
            self._flight = None
        flight.finish(None, error)

    def _fail(self, response: httpx.Response, action: str) -> PlatformStatusError:
        """The error for a failed login or refresh answer (see the module docstring)."""
        return error_for_status(
            response,
            self._dialect,
            account=self._account,
            now=self._clock(),
            action=action,
            credentials=True,
        )

    @staticmethod
    def _refused(response: httpx.Response) -> bool:
        """Whether a login or refresh answer refuses the credentials (not a server trouble)."""
        return response.status_code in (400, 401)

    # -- plain httpx use (outside smmkit's drivers; not single-flight across threads) -----
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        tokens = self.usable()
        if tokens is None:
            tokens = yield from self._plain_renew(self._tokens)
        request.headers["Authorization"] = self.authorization_header(tokens)
        response = yield request
        if self.is_expired_response(response):
            response.read()
            tokens = yield from self._plain_renew(tokens)
            request.headers["Authorization"] = self.authorization_header(tokens)
            yield request

    def _plain_renew(
        self, used: TokenSet | None
    ) -> Generator[httpx.Request, httpx.Response, TokenSet]:
        tokens, flight, leader = self.begin_renewal(used)
        if tokens is not None:
            return tokens
        assert flight is not None
        if not leader:
            return flight.wait()
        operation = self.renewal_operation(used)
        reply: Any = None
        try:
            while True:
                try:
                    step = operation.send(reply)
                except StopIteration as stop:
                    new: TokenSet = stop.value
                    break
                request = step.request if isinstance(step, Call) else step
                assert isinstance(request, httpx.Request)
                reply = yield request
                reply.read()
        except BaseException as exc:
            self.fail_renewal(flight, exc)
            raise
        return self.complete_renewal(flight, new)


def _credential_call(request: httpx.Request) -> Call:
    """A login or refresh request: carries its own credentials, is never repeated blindly
    (logins are rate limited, refresh tokens may be single-use), and every error answer comes
    back to the auth, which maps it naming the account and the action (the driver still
    records its rate-limit headers)."""
    return Call(
        request,
        idempotent=False,
        bucket="auth",
        accept=_CREDENTIAL_ANSWERS,
        credentials=False,
    )


_CREDENTIAL_ANSWERS = frozenset(range(400, 600))


class SessionAuth(RefreshingAuth):
    """An app-password session: log in once, reuse, refresh when expired.

    The platform supplies ``login`` (identifier, password → request), ``refresh`` (tokens →
    request), ``parse`` (response, previous tokens → :class:`TokenSet`) and optionally
    ``expired`` (response → whether it reports an expired token). The password is kept as a
    :class:`~pydantic.SecretStr` and used only to build the login request. ``dialect`` as in
    :class:`RefreshingAuth`.
    """

    default_auth_hint: ClassVar[str] = (
        "check the identifier and the app password; a revoked app password must be replaced "
        "with a new one."
    )

    def __init__(
        self,
        identifier: str,
        password: SecretStr | str,
        *,
        login: Callable[[str, SecretStr], httpx.Request],
        refresh: Callable[[TokenSet], httpx.Request | None],
        parse: Callable[[httpx.Response, TokenSet | None], TokenSet],
        expired: Callable[[httpx.Response], bool] | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        platform: str = "platform",
        dialect: Dialect | None = None,
    ) -> None:
        super().__init__(
            tokens,
            account=identifier,
            on_tokens=on_tokens,
            clock=clock,
            platform=platform,
            dialect=dialect,
        )
        self._identifier = identifier
        resolved = resolve_secret(password, field="password")
        assert resolved is not None
        self._password = resolved
        self._login_builder = login
        self._refresh_builder = refresh
        self._parse = parse
        self._expired = expired

    def login_request(self) -> httpx.Request | None:
        return self._login_builder(self._identifier, self._password)

    def release(self) -> None:
        super().release()
        release_secret(self._password)

    def refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        return self._refresh_builder(tokens)

    def parse_tokens(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        return self._parse(response, previous)

    def is_expired_response(self, response: httpx.Response) -> bool:
        if self._expired is not None:
            return self._expired(response)
        return super().is_expired_response(response)


def resolve_secret(
    value: SecretStr | str | None, *, field: str = "credentials"
) -> SecretStr | None:
    """A secret from a value or a reference: ``env:NAME`` reads the environment variable NAME.

    Raises :class:`~smmkit.errors.ValidationError` naming the variable when it is not set.
    """
    if value is None:
        return None
    raw = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not isinstance(raw, str):
        raise ValidationError(field, type(raw).__name__, "must be a string or env:NAME")
    if raw == _MASKED:
        raise ValidationError(
            field,
            raw,
            "is the masked placeholder that model_dump_json() writes, not a secret",
            hint="pass the real secret, or env:NAME to read it from the environment.",
        )
    if raw.startswith("env:"):
        name = raw[4:]
        found = os.environ.get(name)
        if not found:
            raise ValidationError(
                field,
                raw,
                f"the environment variable {name} is not set",
                hint=f"export {name}=<the token> before running.",
            )
        secret = SecretStr(found)
    else:
        secret = value if isinstance(value, SecretStr) else SecretStr(value)
    register_secret(secret)
    return secret


def make_code_verifier(length: int = 64) -> SecretStr:
    """A random PKCE code verifier (RFC 7636: 43 to 128 unreserved characters)."""
    if not 43 <= length <= 128:
        raise ValueError(f"a PKCE code verifier has 43 to 128 characters (got {length})")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    verifier = SecretStr("".join(secrets.choice(alphabet) for _ in range(length)))
    register_secret(verifier)
    return verifier


def code_challenge(verifier: SecretStr | str) -> str:
    """The S256 code challenge of a verifier: BASE64URL(SHA256(verifier)) without padding."""
    raw = verifier.get_secret_value() if isinstance(verifier, SecretStr) else verifier
    digest = hashlib.sha256(raw.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the user, and what to keep until the redirect comes back."""

    url: str
    state: str
    code_verifier: SecretStr


class OAuth2PKCE:
    """The OAuth 2 authorisation-code flow with PKCE (S256), public or confidential client.

    1. :meth:`start` gives the authorisation URL, a ``state`` and the code verifier to keep.
    2. The user approves; the redirect brings ``code`` and ``state`` back.
    3. :meth:`exchange_code` (an operation: run it with a driver, or through a client) gives a
       :class:`TokenSet`; :meth:`auth` wraps them in an :class:`OAuth2Auth` that refreshes them.
    """

    def __init__(
        self,
        *,
        client_id: str,
        authorize_url: str,
        token_url: str,
        redirect_uri: str,
        scopes: Sequence[str] = (),
        client_secret: SecretStr | str | None = None,
        platform: str = "platform",
    ) -> None:
        self.client_id = client_id
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)
        self.platform = platform
        self._secret = (
            client_secret
            if isinstance(client_secret, SecretStr) or client_secret is None
            else SecretStr(client_secret)
        )
        register_secret(self._secret)

    def __repr__(self) -> str:
        return f"OAuth2PKCE(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def start(
        self, *, state: str | None = None, code_verifier: SecretStr | None = None
    ) -> AuthorizationRequest:
        """The authorisation URL (with ``code_challenge``), its ``state`` and the verifier."""
        verifier = code_verifier or make_code_verifier()
        chosen_state = state or secrets.token_urlsafe(16)
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": chosen_state,
            "code_challenge": code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        if self.scopes:
            params["scope"] = " ".join(self.scopes)
        separator = "&" if "?" in self.authorize_url else "?"
        return AuthorizationRequest(
            url=f"{self.authorize_url}{separator}{urlencode(params)}",
            state=chosen_state,
            code_verifier=verifier,
        )

    def _token_request(self, form: dict[str, str]) -> httpx.Request:
        form = {**form, "client_id": self.client_id}
        if self._secret is not None:
            form["client_secret"] = self._secret.get_secret_value()
        return httpx.Request(
            "POST", self.token_url, data=form, headers={"Accept": "application/json"}
        )

    def exchange_code(
        self,
        code: str,
        code_verifier: SecretStr,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Operation[TokenSet]:
        """Operation: trade the authorisation ``code`` for tokens."""
        register_secret(code)
        request = self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": code_verifier.get_secret_value(),
            }
        )
        response = yield from send(_credential_call(request))
        if response.status_code >= 400:
            raise error_for_status(
                response,
                Dialect(platform=self.platform, auth_hint="authorise the app again."),
                account=None,
                now=clock(),
                action="exchange the authorisation code",
                credentials=True,
            )
        return TokenSet.from_oauth(_json_or_none(response), clock())

    def refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        """The refresh-token grant request, or ``None`` without a refresh token."""
        if tokens.refresh_token is None:
            return None
        return self._token_request(
            {
                "grant_type": "refresh_token",
                "refresh_token": tokens.refresh_token.get_secret_value(),
            }
        )

    def auth(
        self,
        tokens: TokenSet,
        *,
        account: str | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        dialect: Dialect | None = None,
    ) -> OAuth2Auth:
        """An auth that sends ``tokens`` and refreshes them (handing rotated ones to
        ``on_tokens``); ``dialect`` reads the token endpoint's error answers."""
        return OAuth2Auth(
            self, tokens, account=account, on_tokens=on_tokens, clock=clock, dialect=dialect
        )


class OAuth2Auth(RefreshingAuth):
    """Bearer auth from an OAuth 2 :class:`TokenSet`, refreshed through its :class:`OAuth2PKCE`."""

    default_auth_hint: ClassVar[str] = "authorise the app again to get new tokens."

    def __init__(
        self,
        flow: OAuth2PKCE,
        tokens: TokenSet,
        *,
        account: str | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        dialect: Dialect | None = None,
    ) -> None:
        super().__init__(
            tokens,
            account=account,
            on_tokens=on_tokens,
            clock=clock,
            platform=flow.platform,
            dialect=dialect,
        )
        self._flow = flow

    def refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        return self._flow.refresh_request(tokens)

    def parse_tokens(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        return TokenSet.from_oauth(_json_or_none(response), self._clock(), previous)


def _json_or_none(response: httpx.Response) -> object:
    """The JSON body of ``response``, or ``None`` when it is not JSON (never raises)."""
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None
