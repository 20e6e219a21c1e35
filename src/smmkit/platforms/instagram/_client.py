"""``InstagramClient`` and ``AsyncInstagramClient``: thin shells over :class:`InstagramCore`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import httpx
from pydantic import SecretStr

from smmkit.models import Channel, InboxMessage, Platform
from smmkit.platforms._auth import TokenSet
from smmkit.platforms._client import AsyncClient, SyncClient
from smmkit.platforms._driver import ClientOptions, Timeout
from smmkit.platforms._graph._containers import ContainerStatus, PollPolicy
from smmkit.platforms._graph._shell import (
    async_driver,
    channel_token,
    refresh_endpoint,
    sync_driver,
)
from smmkit.platforms._pagination import AsyncPager, SyncPager
from smmkit.platforms._protocol import Comment
from smmkit.platforms._ratelimit import RateLimiter
from smmkit.platforms._retry import RetryPolicy

from ._core import DEFAULT_GRAPH_VERSION, InstagramCore

if TYPE_CHECKING:
    from smmkit.analytics import CompetitorSnapshot

__all__ = ["AsyncInstagramClient", "InstagramClient"]


def _core(
    ig_user_id: str,
    login: Literal["instagram", "facebook"],
    channel: str,
    account: str,
    version: str,
    base_url: str | None,
    containers: MutableMapping[str, str] | None,
    poll: PollPolicy | None,
    options: ClientOptions | None,
    clock: Callable[[], datetime] | None,
    direct_messages: bool,
) -> InstagramCore:
    return InstagramCore(
        ig_user_id=ig_user_id,
        login=login,
        channel=channel,
        account=account,
        version=version,
        base_url=base_url,
        containers=containers,
        poll=poll,
        retry=options.retry if options else RetryPolicy(),
        clock=clock,
        direct_messages=direct_messages,
    )


def _refresh(core: InstagramCore) -> tuple[str, str] | None:
    """Instagram Login tokens are refreshed before they expire; Facebook Login ones are not
    refreshable this way (a Page token from a long-lived user token does not expire)."""
    return (
        refresh_endpoint(core.api.base, "ig_refresh_token") if core.login == "instagram" else None
    )


def _channel_options(channel: Channel, token: SecretStr | str | None) -> dict[str, Any]:
    account_id, chosen = channel_token(channel, Platform.INSTAGRAM, token)
    login = (
        "facebook" if channel.base_url and "graph.facebook.com" in channel.base_url else "instagram"
    )
    return {
        "channel": channel.key,
        "account": f"@{channel.handle}",
        "token": chosen,
        "login": login,
        "ig_user_id": account_id,
    }


class InstagramClient(SyncClient[InstagramCore]):
    """An Instagram professional account, synchronously.

    ``login="instagram"`` (default: ``graph.instagram.com``, an Instagram user token) or
    ``"facebook"`` (``graph.facebook.com``, a Facebook user/Page token). The token goes to Meta's
    API hosts only. ``http_client``, ``sleep`` and ``clock`` are injectable for tests.
    ``direct_messages=True`` (Instagram Login, ``instagram_business_manage_messages``) adds the
    account's direct messages to :meth:`fetch_inbox` and answers them privately.
    """

    def __init__(
        self,
        ig_user_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        login: Literal["instagram", "facebook"] = "instagram",
        channel: str = "instagram",
        account: str = "default",
        version: str = DEFAULT_GRAPH_VERSION,
        base_url: str | None = None,
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        http_client: httpx.Client | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        direct_messages: bool = False,
        **driver_options: Any,
    ) -> None:
        core = _core(
            ig_user_id,
            login,
            channel,
            account,
            version,
            base_url,
            containers,
            poll,
            options,
            clock,
            direct_messages,
        )
        driver = sync_driver(
            core.dialect,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=_refresh(core),
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
    ) -> InstagramClient:
        """A client for a :class:`~smmkit.models.Channel` (``account_id`` is the IG user id;
        ``base_url`` containing ``graph.facebook.com`` selects Facebook Login)."""
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("ig_user_id"), **values)

    def publishing_limit(self, *, timeout: Timeout = None) -> tuple[int, int, int]:
        """``(used, total, window seconds)`` of the publishing quota, read live."""
        return self.run(self.core.publishing_limit_status(), timeout=timeout)

    def container_status(
        self, container_id: str, *, timeout: Timeout = None
    ) -> tuple[ContainerStatus, str | None]:
        return self.run(self.core.container_status(container_id), timeout=timeout)

    def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)

    def mentions(self, *, limit: int | None = None) -> SyncPager[Comment]:
        """Media the account is tagged in, newest first."""
        return SyncPager(self.core.mentions, self.run, limit=limit)

    def mentioned_comment(self, comment_id: str, *, timeout: Timeout = None) -> Comment:
        """The comment of a ``mentions`` webhook event."""
        return self.run(self.core.mentioned_comment(comment_id), timeout=timeout)

    def mention_message(
        self,
        *,
        media_id: str | None = None,
        comment_id: str | None = None,
        timeout: Timeout = None,
    ) -> InboxMessage:
        """The inbox message of a ``mentions`` webhook event (it carries only ids): the
        comment (``comment_id``) or the caption (``media_id``) that @mentions the account,
        as a ``mention``. Facebook Login only (see :meth:`InstagramCore.mention_message`)."""
        return self.run(
            self.core.mention_message(media_id=media_id, comment_id=comment_id), timeout=timeout
        )

    def business_discovery(
        self, username: str, *, days: int = 30, posts: int = 50, timeout: Timeout = None
    ) -> CompetitorSnapshot:
        """A competitor's public figures, ready for ``analytics.compare_competitors``."""
        return self.run(
            self.core.business_discovery(username, days=days, posts=posts), timeout=timeout
        )


class AsyncInstagramClient(AsyncClient[InstagramCore]):
    """An Instagram professional account, asynchronously (the same operations)."""

    def __init__(
        self,
        ig_user_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        login: Literal["instagram", "facebook"] = "instagram",
        channel: str = "instagram",
        account: str = "default",
        version: str = DEFAULT_GRAPH_VERSION,
        base_url: str | None = None,
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        direct_messages: bool = False,
        **driver_options: Any,
    ) -> None:
        core = _core(
            ig_user_id,
            login,
            channel,
            account,
            version,
            base_url,
            containers,
            poll,
            options,
            clock,
            direct_messages,
        )
        driver = async_driver(
            core.dialect,
            tokens=tokens,
            on_tokens=on_tokens,
            refresh=_refresh(core),
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
    ) -> AsyncInstagramClient:
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("ig_user_id"), **values)

    async def publishing_limit(self, *, timeout: Timeout = None) -> tuple[int, int, int]:
        return await self.run(self.core.publishing_limit_status(), timeout=timeout)

    async def container_status(
        self, container_id: str, *, timeout: Timeout = None
    ) -> tuple[ContainerStatus, str | None]:
        return await self.run(self.core.container_status(container_id), timeout=timeout)

    async def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        await self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)

    def mentions(self, *, limit: int | None = None) -> AsyncPager[Comment]:
        return AsyncPager(self.core.mentions, self.run, limit=limit)

    async def mentioned_comment(self, comment_id: str, *, timeout: Timeout = None) -> Comment:
        return await self.run(self.core.mentioned_comment(comment_id), timeout=timeout)

    async def mention_message(
        self,
        *,
        media_id: str | None = None,
        comment_id: str | None = None,
        timeout: Timeout = None,
    ) -> InboxMessage:
        return await self.run(
            self.core.mention_message(media_id=media_id, comment_id=comment_id), timeout=timeout
        )

    async def business_discovery(
        self, username: str, *, days: int = 30, posts: int = 50, timeout: Timeout = None
    ) -> CompetitorSnapshot:
        return await self.run(
            self.core.business_discovery(username, days=days, posts=posts), timeout=timeout
        )
