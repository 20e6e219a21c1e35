"""``ThreadsClient`` and ``AsyncThreadsClient``: thin shells over :class:`ThreadsCore`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.models import Channel, Platform
from smmkit.platforms._auth import TokenSet
from smmkit.platforms._client import AsyncClient, SyncClient
from smmkit.platforms._driver import ClientOptions, Timeout
from smmkit.platforms._graph._containers import PollPolicy
from smmkit.platforms._graph._shell import (
    async_driver,
    channel_token,
    refresh_endpoint,
    sync_driver,
)
from smmkit.platforms._protocol import Comment
from smmkit.platforms._ratelimit import RateLimiter
from smmkit.platforms._retry import RetryPolicy

from ._core import ThreadsCore

__all__ = ["AsyncThreadsClient", "ThreadsClient"]


def _core(
    user_id: str,
    channel: str,
    account: str,
    containers: MutableMapping[str, str] | None,
    poll: PollPolicy | None,
    options: ClientOptions | None,
    clock: Callable[[], datetime] | None,
    base_url: str,
) -> ThreadsCore:
    return ThreadsCore(
        base_url=base_url,
        user_id=user_id,
        channel=channel,
        account=account,
        containers=containers,
        poll=poll,
        retry=options.retry if options else RetryPolicy(),
        clock=clock,
    )


def _channel_options(channel: Channel, token: SecretStr | str | None) -> dict[str, Any]:
    user_id, chosen = channel_token(channel, Platform.THREADS, token)
    return {
        "user_id": user_id,
        "channel": channel.key,
        "account": f"@{channel.handle}",
        "token": chosen,
    }


class ThreadsClient(SyncClient[ThreadsCore]):
    """A Threads profile, synchronously (a long-lived Threads user token)."""

    def __init__(
        self,
        user_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "threads",
        account: str = "default",
        base_url: str = "https://graph.threads.net/v1.0",
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        http_client: httpx.Client | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        **driver_options: Any,
    ) -> None:
        core = _core(user_id, channel, account, containers, poll, options, clock, base_url)
        driver = sync_driver(
            core.dialect,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=refresh_endpoint(core.api.base, "th_refresh_token"),
            token=token,
            auth=auth,
            http_client=http_client,
            account=account,
            options=options,
            limiter=limiter,
            sleep=sleep,
            clock=clock,
            **driver_options,
        )
        super().__init__(core, driver)

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, token: SecretStr | str | None = None, **options: Any
    ) -> ThreadsClient:
        """A client for a :class:`~smmkit.models.Channel` (``account_id`` is the user id)."""
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("user_id"), **values)

    def publishing_limit(self, *, timeout: Timeout = None) -> tuple[int, int, int]:
        """``(used, total, window seconds)`` of the 250-posts quota, read live."""
        return self.run(self.core.publishing_limit_status(), timeout=timeout)

    def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)


class AsyncThreadsClient(AsyncClient[ThreadsCore]):
    """A Threads profile, asynchronously (the same operations as :class:`ThreadsClient`)."""

    def __init__(
        self,
        user_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "threads",
        account: str = "default",
        base_url: str = "https://graph.threads.net/v1.0",
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        **driver_options: Any,
    ) -> None:
        core = _core(user_id, channel, account, containers, poll, options, clock, base_url)
        driver = async_driver(
            core.dialect,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=refresh_endpoint(core.api.base, "th_refresh_token"),
            token=token,
            auth=auth,
            http_client=http_client,
            account=account,
            options=options,
            limiter=limiter,
            sleep=sleep,
            clock=clock,
            **driver_options,
        )
        super().__init__(core, driver)

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, token: SecretStr | str | None = None, **options: Any
    ) -> AsyncThreadsClient:
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("user_id"), **values)

    async def publishing_limit(self, *, timeout: Timeout = None) -> tuple[int, int, int]:
        return await self.run(self.core.publishing_limit_status(), timeout=timeout)

    async def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        await self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)
