"""``MastodonClient`` and ``AsyncMastodonClient``: thin shells over :class:`MastodonCore`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.errors import ValidationError
from smmkit.models import Channel, MediaAsset, Platform
from smmkit.platforms._auth import BearerAuth, resolve_secret
from smmkit.platforms._client import AsyncClient, SyncClient
from smmkit.platforms._driver import AsyncDriver, ClientOptions, SyncDriver, Timeout
from smmkit.platforms._pagination import AsyncPager, SyncPager
from smmkit.platforms._protocol import Comment, PublishedPost
from smmkit.platforms._ratelimit import RateLimiter

from ._core import MastodonCore, _load_path

__all__ = ["AsyncMastodonClient", "MastodonClient"]


def _auth(token: SecretStr | str | None, auth: httpx.Auth | None) -> httpx.Auth | None:
    if auth is not None:
        return auth
    if token is None:
        return None
    return BearerAuth(token)


def _channel_options(channel: Channel, token: SecretStr | str | None) -> dict[str, Any]:
    if channel.platform != Platform.MASTODON:
        raise ValidationError("channel.platform", channel.platform.value, "must be 'mastodon'")
    if not channel.base_url:
        raise ValidationError(
            "channel.base_url",
            None,
            "a Mastodon channel needs its instance URL",
            hint="set base_url = 'https://your.instance' on the channel.",
        )
    return {
        "base_url": channel.base_url,
        "channel": channel.key,
        "account": f"@{channel.handle}",
        "language": channel.locale,
        "token": resolve_secret(
            token if token is not None else channel.credentials,
            field=f"channels[{channel.key}].credentials",
        ),
    }


class MastodonClient(SyncClient[MastodonCore]):
    """A Mastodon account, synchronously.

    ``token`` is an access token (``SecretStr``), or pass any ``auth`` (e.g.
    :meth:`OAuth2PKCE.auth <smmkit.platforms.OAuth2PKCE.auth>`). ``http_client`` injects the
    transport; ``sleep`` and ``clock`` are injectable for tests.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "mastodon",
        account: str = "default",
        language: str | None = None,
        instance: Mapping[str, Any] | None = None,
        fetch_instance: bool = True,
        trust_idempotency_key: bool | None = None,
        http_client: httpx.Client | None = None,
        media_client: httpx.Client | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        **driver_options: Any,
    ) -> None:
        core = MastodonCore(
            base_url=base_url,
            channel=channel,
            language=language,
            instance=instance,
            fetch_instance=fetch_instance,
            load_media=load_media,
            clock=clock,
            trust_idempotency_key=trust_idempotency_key,
        )
        driver = SyncDriver(
            dialect=core.dialect,
            http_client=http_client,
            media_client=media_client,
            base_url=core.base_url,
            auth=_auth(token, auth),
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
    ) -> MastodonClient:
        """A client for a :class:`~smmkit.models.Channel` (``base_url`` is the instance)."""
        values = _channel_options(channel, token)
        return cls(values.pop("base_url"), **values, **options)

    def instance(self, *, timeout: Timeout = None) -> dict[str, Any]:
        """``GET /api/v2/instance``; its limits become the content rules of this client."""
        return self.run(self.core.instance(), timeout=timeout)

    def edit(
        self, post: PublishedPost | str, text: str, *, timeout: Timeout = None, **fields: Any
    ) -> PublishedPost:
        """Edit a published status's text (``PUT /api/v1/statuses/:id``)."""
        post_id = post.post_id if isinstance(post, PublishedPost) else post
        return self.run(self.core.edit(post_id, text, **fields), timeout=timeout)

    def upload_media(self, asset: MediaAsset, *, timeout: Timeout = None) -> str:
        """Upload a file (v2, waiting for processing) and return the attachment id."""
        return self.run(self.core.upload_media(asset), timeout=timeout)

    def mentions(self, *, limit: int | None = None) -> SyncPager[Comment]:
        """Mentions of the account, newest first, following ``Link`` headers."""
        return SyncPager(self.core.mentions, self.run, limit=limit)


class AsyncMastodonClient(AsyncClient[MastodonCore]):
    """A Mastodon account, asynchronously (the same operations as :class:`MastodonClient`)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        channel: str = "mastodon",
        account: str = "default",
        language: str | None = None,
        instance: Mapping[str, Any] | None = None,
        fetch_instance: bool = True,
        trust_idempotency_key: bool | None = None,
        http_client: httpx.AsyncClient | None = None,
        media_client: httpx.AsyncClient | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        **driver_options: Any,
    ) -> None:
        core = MastodonCore(
            base_url=base_url,
            channel=channel,
            language=language,
            instance=instance,
            fetch_instance=fetch_instance,
            load_media=load_media,
            clock=clock,
            trust_idempotency_key=trust_idempotency_key,
        )
        driver = AsyncDriver(
            dialect=core.dialect,
            http_client=http_client,
            media_client=media_client,
            base_url=core.base_url,
            auth=_auth(token, auth),
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
    ) -> AsyncMastodonClient:
        values = _channel_options(channel, token)
        return cls(values.pop("base_url"), **values, **options)

    async def instance(self, *, timeout: Timeout = None) -> dict[str, Any]:
        return await self.run(self.core.instance(), timeout=timeout)

    async def edit(
        self, post: PublishedPost | str, text: str, *, timeout: Timeout = None, **fields: Any
    ) -> PublishedPost:
        post_id = post.post_id if isinstance(post, PublishedPost) else post
        return await self.run(self.core.edit(post_id, text, **fields), timeout=timeout)

    async def upload_media(self, asset: MediaAsset, *, timeout: Timeout = None) -> str:
        return await self.run(self.core.upload_media(asset), timeout=timeout)

    def mentions(self, *, limit: int | None = None) -> AsyncPager[Comment]:
        return AsyncPager(self.core.mentions, self.run, limit=limit)
