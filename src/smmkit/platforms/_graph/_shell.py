"""What the Meta client shells share: building the driver with Meta-only token auth."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.errors import ValidationError
from smmkit.models import Channel, Platform
from smmkit.platforms._auth import TokenSet, resolve_secret
from smmkit.platforms._driver import AsyncDriver, ClientOptions, SyncDriver
from smmkit.platforms._errors import Dialect
from smmkit.platforms._ratelimit import RateLimiter

from ._call import GraphAuth, RefreshingGraphAuth

__all__ = ["async_driver", "channel_token", "refresh_endpoint", "sync_driver"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _auth(
    token: SecretStr | str | None,
    auth: httpx.Auth | None,
    hosts: tuple[str, ...],
    *,
    tokens: TokenSet | None = None,
    on_tokens: Callable[[TokenSet], None] | None = None,
    refresh: tuple[str, str] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> httpx.Auth | None:
    if auth is not None:
        return auth
    if tokens is not None and refresh is not None:
        url, grant = refresh
        return RefreshingGraphAuth(
            tokens,
            refresh_url=url,
            grant_type=grant,
            clock=clock or _utcnow,
            on_tokens=on_tokens,
        )
    if tokens is not None:
        return GraphAuth(tokens.access_token, extra_hosts=hosts)
    if token is None:
        return None
    return GraphAuth(token, extra_hosts=hosts)


def sync_driver(
    dialect: Dialect,
    *,
    token: SecretStr | str | None,
    auth: httpx.Auth | None,
    http_client: httpx.Client | None,
    account: str,
    options: ClientOptions | None,
    limiter: RateLimiter | None,
    sleep: Callable[[float], None] | None,
    clock: Callable[[], datetime] | None,
    extra_hosts: tuple[str, ...] = (),
    tokens: TokenSet | None = None,
    on_tokens: Callable[[TokenSet], None] | None = None,
    refresh: tuple[str, str] | None = None,
    **driver_options: Any,
) -> SyncDriver:
    return SyncDriver(
        dialect=dialect,
        http_client=http_client,
        auth=_auth(
            token,
            auth,
            extra_hosts,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=refresh,
            clock=clock,
        ),
        account=account,
        options=options,
        limiter=limiter,
        sleep=sleep,
        clock=clock,
        **driver_options,
    )


def async_driver(
    dialect: Dialect,
    *,
    token: SecretStr | str | None,
    auth: httpx.Auth | None,
    http_client: httpx.AsyncClient | None,
    account: str,
    options: ClientOptions | None,
    limiter: RateLimiter | None,
    sleep: Callable[[float], Awaitable[None]] | None,
    clock: Callable[[], datetime] | None,
    extra_hosts: tuple[str, ...] = (),
    tokens: TokenSet | None = None,
    on_tokens: Callable[[TokenSet], None] | None = None,
    refresh: tuple[str, str] | None = None,
    **driver_options: Any,
) -> AsyncDriver:
    return AsyncDriver(
        dialect=dialect,
        http_client=http_client,
        auth=_auth(
            token,
            auth,
            extra_hosts,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=refresh,
            clock=clock,
        ),
        account=account,
        options=options,
        limiter=limiter,
        sleep=sleep,
        clock=clock,
        **driver_options,
    )


def channel_token(
    channel: Channel, platform: Platform, token: SecretStr | str | None
) -> tuple[str, SecretStr | str | None]:
    """``(account id, token)`` of a Meta channel, checked; ``env:NAME`` references are read from
    the environment."""
    if channel.platform != platform:
        raise ValidationError(
            "channel.platform", channel.platform.value, f"must be {platform.value!r}"
        )
    if not channel.account_id:
        raise ValidationError(
            "channel.account_id",
            None,
            f"a {platform.value} channel needs the numeric account id",
            hint="set account_id on the channel (see docs/meta.md, 'Connect').",
        )
    chosen = resolve_secret(
        token if token is not None else channel.credentials,
        field=f"channels[{channel.key}].credentials",
    )
    return channel.account_id, chosen


def refresh_endpoint(base: str, grant_type: str) -> tuple[str, str]:
    """``(refresh URL, grant type)`` for a versioned API base (``https://graph.instagram.com/v24.0``
    -> ``https://graph.instagram.com/refresh_access_token``)."""
    root = base.rsplit("/", 1)[0] if base.rsplit("/", 1)[-1][:1] == "v" else base
    return f"{root}/refresh_access_token", grant_type
