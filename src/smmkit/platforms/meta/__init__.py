"""Meta's networks: what the Instagram, Facebook Pages and Threads clients share.

* tokens: :class:`MetaTokens` / :class:`AsyncMetaTokens` (Facebook Login code exchange, short-
  to long-lived user tokens, Page tokens, ``debug_token``, Instagram Login and Threads
  long-lived exchange and refresh), :class:`TokenInfo`, :class:`TokenDebug`, :class:`PageToken`;
* errors: :func:`graph_error_info` (the Graph error body behind an error: ``code``,
  ``error_subcode``, ``is_transient``, ``error_user_msg``, ``fbtrace_id``) and
  :func:`needs_reauth` (the account must log in again: the runner's ``needs_reauth`` state);
* webhooks as pure functions: :func:`verify_subscription`, :func:`verify_signature`,
  :func:`verify_delivery`, :class:`ReplayGuard`, :func:`parse_webhook` -> :class:`WebhookEvent`;
* :data:`METRIC_NAMES` and :func:`metrics_for`: the dated table of insight metric names;
* :class:`GraphContract`: checks requests against Meta's machine-readable Graph specs.

The clients themselves are :mod:`smmkit.platforms.instagram`, :mod:`smmkit.platforms.facebook`
and :mod:`smmkit.platforms.threads`; see ``docs/meta.md``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

import httpx
from pydantic import SecretStr

from smmkit.errors import ValidationError
from smmkit.platforms._driver import AsyncDriver, ClientOptions, SyncDriver
from smmkit.platforms._graph import (
    THROTTLING_CODES,
    ContractViolation,
    GraphContract,
    GraphErrorInfo,
    ReplayGuard,
    WebhookEvent,
    WebhookRefused,
    graph_dialect,
    graph_error_info,
    needs_reauth,
    parse_webhook,
    sign_body,
    verify_delivery,
    verify_signature,
    verify_subscription,
    webhook_message,
)
from smmkit.platforms._graph._containers import ContainerStatus, PollPolicy
from smmkit.platforms._graph._metrics import METRIC_NAMES, MetricName, metrics_for
from smmkit.platforms._graph._tokens import MetaAuthCore, PageToken, TokenDebug, TokenInfo

__all__ = [
    "METRIC_NAMES",
    "THROTTLING_CODES",
    "AsyncMetaTokens",
    "ContainerStatus",
    "ContractViolation",
    "GraphContract",
    "GraphErrorInfo",
    "MetaTokens",
    "MetricName",
    "PageToken",
    "PollPolicy",
    "ReplayGuard",
    "TokenDebug",
    "TokenInfo",
    "WebhookEvent",
    "WebhookRefused",
    "graph_error_info",
    "metrics_for",
    "needs_reauth",
    "parse_webhook",
    "sign_body",
    "verify_delivery",
    "verify_signature",
    "verify_subscription",
    "webhook_message",
]


class MetaTokens:
    """Token calls for one Meta app, synchronously (no token of a client is involved: each
    call carries the token it is about)."""

    def __init__(
        self,
        app_id: str,
        app_secret: SecretStr | str,
        *,
        version: str = "v24.0",
        http_client: httpx.Client | None = None,
        options: ClientOptions | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.core = MetaAuthCore(app_id=app_id, app_secret=app_secret, version=version, clock=clock)
        self.driver = SyncDriver(
            dialect=graph_dialect("meta", auth_hint="start the login flow again."),
            http_client=http_client,
            options=options,
            sleep=sleep,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"MetaTokens(app_id={self.core.app_id!r})"

    def __enter__(self) -> MetaTokens:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def authorization_url(self, redirect_uri: str, scopes: Iterable[str], state: str) -> str:
        return self.core.authorization_url(redirect_uri, scopes, state)

    def exchange_code(self, code: str, redirect_uri: str) -> TokenInfo:
        return self.driver.run(self.core.exchange_code(code, redirect_uri))

    def long_lived_user_token(self, short: SecretStr | str) -> TokenInfo:
        return self.driver.run(self.core.long_lived_user_token(short))

    def page_tokens(self, user_token: SecretStr | str) -> list[PageToken]:
        return self.driver.run(self.core.page_tokens(user_token))

    def debug_token(self, token: SecretStr | str) -> TokenDebug:
        return self.driver.run(self.core.debug_token(token))

    def require(self, token: SecretStr | str, permissions: Iterable[str]) -> TokenDebug:
        """``debug_token``, then raise (``needs_reauth``) if invalid, expired or lacking one of
        ``permissions``, naming it and the fix."""
        debug = self.debug_token(token)
        MetaAuthCore.require(debug, permissions, now=self.core.clock())
        return debug

    def instagram_long_lived(self, short: SecretStr | str) -> TokenInfo:
        return self.driver.run(self.core.instagram_long_lived(short))

    def refresh_instagram(self, token: SecretStr | str) -> TokenInfo:
        return self.driver.run(self.core.refresh_instagram(token))

    def threads_long_lived(self, short: SecretStr | str) -> TokenInfo:
        return self.driver.run(self.core.threads_long_lived(short))

    def refresh_threads(self, token: SecretStr | str) -> TokenInfo:
        return self.driver.run(self.core.refresh_threads(token))

    def refresh_if_due(
        self, token: TokenInfo, network: str, *, margin: timedelta = timedelta(days=7)
    ) -> TokenInfo:
        """``token`` itself, or a refreshed one when it expires within ``margin``.

        ``network`` is ``"instagram"`` (Instagram Login) or ``"threads"``: their long-lived tokens
        last 60 days and can be refreshed (once at least 24 hours old) before they expire; call
        this daily, e.g. from the runner, and store the result.
        """
        if not token.refresh_due(self.core.clock(), margin):
            return token
        if network == "instagram":
            return self.refresh_instagram(token.access_token)
        if network == "threads":
            return self.refresh_threads(token.access_token)
        raise ValidationError("network", network, "must be 'instagram' or 'threads'")


class AsyncMetaTokens:
    """:class:`MetaTokens`, awaited."""

    def __init__(
        self,
        app_id: str,
        app_secret: SecretStr | str,
        *,
        version: str = "v24.0",
        http_client: httpx.AsyncClient | None = None,
        options: ClientOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.core = MetaAuthCore(app_id=app_id, app_secret=app_secret, version=version, clock=clock)
        self.driver = AsyncDriver(
            dialect=graph_dialect("meta", auth_hint="start the login flow again."),
            http_client=http_client,
            options=options,
            sleep=sleep,
            clock=clock,
        )

    def __repr__(self) -> str:
        return f"AsyncMetaTokens(app_id={self.core.app_id!r})"

    async def aclose(self) -> None:
        await self.driver.aclose()

    async def exchange_code(self, code: str, redirect_uri: str) -> TokenInfo:
        return await self.driver.run(self.core.exchange_code(code, redirect_uri))

    async def long_lived_user_token(self, short: SecretStr | str) -> TokenInfo:
        return await self.driver.run(self.core.long_lived_user_token(short))

    async def page_tokens(self, user_token: SecretStr | str) -> list[PageToken]:
        return await self.driver.run(self.core.page_tokens(user_token))

    async def debug_token(self, token: SecretStr | str) -> TokenDebug:
        return await self.driver.run(self.core.debug_token(token))

    async def require(self, token: SecretStr | str, permissions: Iterable[str]) -> TokenDebug:
        debug = await self.debug_token(token)
        MetaAuthCore.require(debug, permissions, now=self.core.clock())
        return debug

    async def refresh_instagram(self, token: SecretStr | str) -> TokenInfo:
        return await self.driver.run(self.core.refresh_instagram(token))

    def authorization_url(self, redirect_uri: str, scopes: Iterable[str], state: str) -> str:
        return self.core.authorization_url(redirect_uri, scopes, state)

    async def instagram_long_lived(self, short: SecretStr | str) -> TokenInfo:
        return await self.driver.run(self.core.instagram_long_lived(short))

    async def threads_long_lived(self, short: SecretStr | str) -> TokenInfo:
        return await self.driver.run(self.core.threads_long_lived(short))

    async def refresh_threads(self, token: SecretStr | str) -> TokenInfo:
        return await self.driver.run(self.core.refresh_threads(token))

    async def refresh_if_due(
        self, token: TokenInfo, network: str, *, margin: timedelta = timedelta(days=7)
    ) -> TokenInfo:
        """See :meth:`MetaTokens.refresh_if_due`."""
        if not token.refresh_due(self.core.clock(), margin):
            return token
        if network == "instagram":
            return await self.refresh_instagram(token.access_token)
        if network == "threads":
            return await self.refresh_threads(token.access_token)
        raise ValidationError("network", network, "must be 'instagram' or 'threads'")
