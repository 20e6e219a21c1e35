"""``FacebookPageClient`` and ``AsyncFacebookPageClient``: thin shells over
:class:`FacebookPageCore`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.models import Channel, MediaAsset, Platform
from smmkit.platforms._client import AsyncClient, SyncClient
from smmkit.platforms._driver import AsyncDriver, ClientOptions, SyncDriver, Timeout
from smmkit.platforms._graph._call import GraphAuth
from smmkit.platforms._graph._shell import async_driver, channel_token, sync_driver
from smmkit.platforms._protocol import Comment, PostRef, PublishedPost
from smmkit.platforms._ratelimit import RateLimiter
from smmkit.platforms._retry import RetryPolicy

from ._core import DEFAULT_MAX_SCHEDULE_AHEAD, FacebookPageCore, _load_path

__all__ = ["AsyncFacebookPageClient", "FacebookPageClient"]


def _post_id(post: PostRef) -> str:
    return post.post_id if isinstance(post, PublishedPost) else post


def _core(
    page_id: str,
    channel: str,
    account: str,
    version: str,
    max_schedule_ahead: timedelta,
    load_media: Callable[[MediaAsset], bytes],
    options: ClientOptions | None,
    clock: Callable[[], datetime] | None,
    base_url: str,
    direct_messages: bool = False,
) -> FacebookPageCore:
    return FacebookPageCore(
        base_url=base_url,
        page_id=page_id,
        channel=channel,
        account=account,
        version=version,
        max_schedule_ahead=max_schedule_ahead,
        load_media=load_media,
        retry=options.retry if options else RetryPolicy(),
        clock=clock,
        direct_messages=direct_messages,
    )


def _upload_authorization(driver: SyncDriver | AsyncDriver) -> Callable[[], str | None]:
    def header() -> str | None:
        auth = driver.core.auth
        return f"OAuth {auth.token.get_secret_value()}" if isinstance(auth, GraphAuth) else None

    return header


def _channel_options(channel: Channel, token: SecretStr | str | None) -> dict[str, Any]:
    page_id, chosen = channel_token(channel, Platform.FACEBOOK, token)
    return {
        "page_id": page_id,
        "channel": channel.key,
        "account": f"@{channel.handle}",
        "token": chosen,
    }


class FacebookPageClient(SyncClient[FacebookPageCore]):
    """A Facebook Page, synchronously. ``token`` is a Page access token (see
    :meth:`MetaTokens.page_tokens <smmkit.platforms.meta.MetaTokens.page_tokens>`).
    ``direct_messages=True`` (``pages_messaging``) adds the Page's Messenger conversations to
    :meth:`fetch_inbox` and answers them privately."""

    def __init__(
        self,
        page_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "facebook",
        account: str = "default",
        version: str = "v24.0",
        base_url: str = "https://graph.facebook.com",
        max_schedule_ahead: timedelta = DEFAULT_MAX_SCHEDULE_AHEAD,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        http_client: httpx.Client | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        direct_messages: bool = False,
        **driver_options: Any,
    ) -> None:
        core = _core(
            page_id,
            channel,
            account,
            version,
            max_schedule_ahead,
            load_media,
            options,
            clock,
            base_url,
            direct_messages,
        )
        driver = sync_driver(
            core.dialect,
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
        core._upload_authorization = _upload_authorization(driver)
        super().__init__(core, driver)

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, token: SecretStr | str | None = None, **options: Any
    ) -> FacebookPageClient:
        """A client for a :class:`~smmkit.models.Channel` (``account_id`` is the Page id)."""
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("page_id"), **values)

    def edit(self, post: PostRef, text: str, *, timeout: Timeout = None) -> None:
        """Change a published post's text."""
        self.run(self.core.edit(_post_id(post), text), timeout=timeout)

    def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)

    def scheduled_posts(self, *, timeout: Timeout = None) -> list[dict[str, Any]]:
        """The Page's natively scheduled posts."""
        return self.run(self.core.scheduled_posts(), timeout=timeout)


class AsyncFacebookPageClient(AsyncClient[FacebookPageCore]):
    """A Facebook Page, asynchronously (the same operations as :class:`FacebookPageClient`)."""

    def __init__(
        self,
        page_id: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "facebook",
        account: str = "default",
        version: str = "v24.0",
        base_url: str = "https://graph.facebook.com",
        max_schedule_ahead: timedelta = DEFAULT_MAX_SCHEDULE_AHEAD,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        http_client: httpx.AsyncClient | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        direct_messages: bool = False,
        **driver_options: Any,
    ) -> None:
        core = _core(
            page_id,
            channel,
            account,
            version,
            max_schedule_ahead,
            load_media,
            options,
            clock,
            base_url,
            direct_messages,
        )
        driver = async_driver(
            core.dialect,
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
        core._upload_authorization = _upload_authorization(driver)
        super().__init__(core, driver)

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, token: SecretStr | str | None = None, **options: Any
    ) -> AsyncFacebookPageClient:
        values = _channel_options(channel, token)
        values.update(options)
        return cls(values.pop("page_id"), **values)

    async def edit(self, post: PostRef, text: str, *, timeout: Timeout = None) -> None:
        await self.run(self.core.edit(_post_id(post), text), timeout=timeout)

    async def unhide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        await self.run(self.core.set_hidden(comment.comment_id, False), timeout=timeout)

    async def scheduled_posts(self, *, timeout: Timeout = None) -> list[dict[str, Any]]:
        return await self.run(self.core.scheduled_posts(), timeout=timeout)
