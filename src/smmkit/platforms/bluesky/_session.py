"""XRPC wire conventions of Bluesky (the dialect) and the app-password session.

A session is created once with ``com.atproto.server.createSession`` (logins are rate limited: 30
per 5 minutes and 300 a day per account), reused for every request, and renewed with
``com.atproto.server.refreshSession`` when the access token expires (the PDS answers
``400 ExpiredToken``) or is no longer accepted (``400 InvalidToken``); if the refresh token is
refused too, the session is created again once.

Failed logins and refreshes are mapped by the framework (:class:`~smmkit.platforms.SessionAuth`)
with this dialect: a refused app password is an ``AuthenticationError`` whose hint says how to
make one, a rate-limited login (``429 RateLimitExceeded``) a ``RateLimitedError`` with the
``RateLimit-Reset`` wait, a failing server a ``ServerError``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr

from smmkit.errors import AuthenticationError
from smmkit.platforms import (
    Dialect,
    RateLimitInfo,
    SessionAuth,
    TokenSet,
    default_error_parser,
    parse_rate_limit_headers,
)

__all__ = [
    "DEFAULT_SERVICE",
    "BlueskySessionAuth",
    "bluesky_dialect",
    "jwt_expiry",
    "xrpc_get",
    "xrpc_post",
]

DEFAULT_SERVICE = "https://bsky.social"
_EXPIRED_CODES = frozenset({"ExpiredToken", "InvalidToken"})
_AUTH_HINT = (
    "create an app password in Bluesky (Settings → Privacy and security → App passwords) and "
    "pass it with the account's handle or DID; check the service URL (base_url) too."
)


def xrpc_url(base_url: str, nsid: str) -> str:
    return f"{base_url.rstrip('/')}/xrpc/{nsid}"


def xrpc_get(base_url: str, nsid: str, params: Mapping[str, Any] | None = None) -> httpx.Request:
    """A query (GET). ``None`` values are left out; booleans are written ``true``/``false``."""
    query: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            query.append((name, text))
    url = xrpc_url(base_url, nsid)
    if query:
        url = f"{url}?{urlencode(query)}"
    return httpx.Request("GET", url, headers={"Accept": "application/json"})


def xrpc_post(
    base_url: str,
    nsid: str,
    body: Mapping[str, Any] | None = None,
    *,
    content: bytes | None = None,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """A procedure (POST) with a JSON body, or raw ``content`` (a blob upload)."""
    all_headers = {"Accept": "application/json", **(headers or {})}
    if content is not None:
        all_headers["Content-Type"] = content_type or "application/octet-stream"
        return httpx.Request("POST", xrpc_url(base_url, nsid), content=content, headers=all_headers)
    if body is None:
        return httpx.Request("POST", xrpc_url(base_url, nsid), headers=all_headers)
    return httpx.Request("POST", xrpc_url(base_url, nsid), json=dict(body), headers=all_headers)


def _rate_limit(headers: Mapping[str, str], now: datetime) -> RateLimitInfo | None:
    # RateLimit-Limit / -Remaining / -Reset (epoch seconds) / -Policy ("30;w=300").
    return parse_rate_limit_headers(headers, now, prefix="ratelimit-")


def bluesky_dialect() -> Dialect:
    """How Bluesky speaks HTTP: ``{error, message}`` bodies, ``RateLimit-*`` headers, no
    idempotency key (publishing is made exactly-once by deterministic record keys instead)."""
    return Dialect(
        platform="bluesky",
        request_id_headers=("x-request-id", "atproto-request-id"),
        idempotency_header=None,
        honours_idempotency_key=False,
        parse_error=default_error_parser,
        parse_rate_limit=_rate_limit,
        auth_hint=_AUTH_HINT,
    )


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT (not verified: only used to refresh ahead of time)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(float(claims["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError, OverflowError, OSError):
        return None


class BlueskySessionAuth(SessionAuth):
    """The app-password session of one account (log in once, reuse, refresh).

    ``tokens.subject`` is the account's DID once logged in. ``on_tokens`` receives every new
    session (store it and pass it back as ``tokens=`` to skip the login next time).
    :meth:`expire_access_token` (from the framework) makes the next request refresh the session.
    ``dialect`` defaults to :func:`bluesky_dialect`.
    """

    def __init__(
        self,
        base_url: str,
        identifier: str,
        password: SecretStr | str,
        *,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        dialect: Dialect | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.identifier = identifier
        self.logins = 0
        self.refreshes = 0
        self._handle: str | None = None
        super().__init__(
            identifier,
            password,
            login=self._login_request,
            refresh=self._refresh_request,
            parse=self._parse,
            expired=self._expired,
            tokens=tokens,
            on_tokens=on_tokens,
            clock=clock,
            dialect=dialect or bluesky_dialect(),
        )

    def _login_request(self, identifier: str, password: SecretStr) -> httpx.Request:
        self.logins += 1
        return xrpc_post(
            self.base_url,
            "com.atproto.server.createSession",
            {"identifier": identifier, "password": password.get_secret_value()},
        )

    def _refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        if tokens.refresh_token is None:
            return None
        self.refreshes += 1
        return xrpc_post(
            self.base_url,
            "com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {tokens.refresh_token.get_secret_value()}"},
        )

    def _parse(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        try:
            data = response.json()
            access, refresh, did = data["accessJwt"], data["refreshJwt"], data["did"]
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthenticationError(
                "bluesky: the session response has no accessJwt/refreshJwt/did.",
                platform="bluesky",
                status=response.status_code,
                hint="check that base_url points at a Bluesky PDS or entryway.",
            ) from exc
        if isinstance(data.get("handle"), str):
            self._handle = data["handle"]
        return TokenSet(
            access_token=SecretStr(access),
            refresh_token=SecretStr(refresh),
            expires_at=jwt_expiry(access),
            subject=did,
        )

    def _expired(self, response: httpx.Response) -> bool:
        if response.status_code not in (400, 401):
            return False
        response.read()
        code, _ = self.dialect.parse_error(response)
        return code in _EXPIRED_CODES

    @property
    def did(self) -> str | None:
        """The account's DID, once a session exists."""
        tokens = self.tokens
        return tokens.subject if tokens is not None else None

    @property
    def handle(self) -> str | None:
        """The account's handle as the server reported it at login."""
        return self._handle
