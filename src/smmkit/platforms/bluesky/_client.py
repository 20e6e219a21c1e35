"""The two thin shells of the Bluesky client: sync over ``httpx.Client``, async over
``httpx.AsyncClient``. Every operation lives once, in :class:`~._core.BlueskyCore`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.content import PlatformRules
from smmkit.errors import ValidationError
from smmkit.models import Channel
from smmkit.platforms import (
    AsyncClient,
    AsyncDriver,
    AsyncPager,
    ClientOptions,
    Page,
    PlatformPlugin,
    RateLimiter,
    Step,
    SyncClient,
    SyncDriver,
    SyncPager,
    TokenSet,
    resolve_secret,
)

from ._core import BlueskyCore, BlueskyRecord, MediaLoader, read_media
from ._records import POST_COLLECTION
from ._session import DEFAULT_SERVICE, BlueskySessionAuth, bluesky_dialect

__all__ = ["PLUGIN", "AsyncBlueskyClient", "BlueskyClient"]

Timeout = float | httpx.Timeout | None


def _core(
    *,
    identifier: str,
    app_password: SecretStr | str,
    base_url: str,
    channel: str,
    tokens: TokenSet | None,
    on_tokens: Callable[[TokenSet], None] | None,
    clock: Callable[[], datetime] | None,
    media_loader: MediaLoader,
    rules: PlatformRules | None,
) -> BlueskyCore:
    if not identifier or not isinstance(identifier, str):
        raise ValidationError("identifier", identifier, "must be the account's handle or DID")
    if not app_password:
        raise ValidationError(
            "app_password",
            "***",
            "must not be empty",
            hint="create an app password in Bluesky's settings (App passwords).",
        )
    password = resolve_secret(app_password, field="app_password")
    assert password is not None
    dialect = bluesky_dialect()
    auth = BlueskySessionAuth(
        base_url,
        identifier,
        password,
        tokens=tokens,
        on_tokens=on_tokens,
        clock=clock,
        dialect=dialect,
    )
    return BlueskyCore(
        channel=channel,
        base_url=base_url,
        auth=auth,
        dialect=dialect,
        clock=clock,
        media_loader=media_loader,
        rules=rules,
    )


def _channel_options(channel: Channel, options: dict[str, Any]) -> dict[str, Any]:
    if channel.credentials is None and "app_password" not in options:
        raise ValidationError(
            f"channels.{channel.key}.credentials",
            None,
            "a Bluesky channel needs an app password",
            hint="set the channel's credentials to an app password (Bluesky → Settings → "
            "App passwords).",
        )
    options.setdefault("app_password", channel.credentials)
    options.setdefault("base_url", channel.base_url or DEFAULT_SERVICE)
    options.setdefault("channel", channel.key)
    return options


class BlueskyClient(SyncClient[BlueskyCore]):
    """Bluesky, synchronously. Logs in once (lazily), reuses and refreshes the session.

    ``identifier`` is the handle (or DID) and ``app_password`` an app password; ``base_url`` the
    PDS or entryway (default ``https://bsky.social``). ``tokens``/``on_tokens`` let the caller
    store the session between runs. ``http_client`` injects the transport; ``options``,
    ``limiter``, ``sleep``, ``clock`` and ``jitter`` go to the driver.
    """

    def __init__(
        self,
        identifier: str,
        app_password: SecretStr | str,
        *,
        base_url: str = DEFAULT_SERVICE,
        channel: str = "bluesky",
        http_client: httpx.Client | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        jitter: Callable[[], float] | None = None,
        media_loader: MediaLoader = read_media,
        rules: PlatformRules | None = None,
    ) -> None:
        core = _core(
            identifier=identifier,
            app_password=app_password,
            base_url=base_url,
            channel=channel,
            tokens=tokens,
            on_tokens=on_tokens,
            clock=clock,
            media_loader=media_loader,
            rules=rules,
        )
        driver = SyncDriver(
            dialect=core.dialect,
            http_client=http_client,
            base_url=core.base_url,
            auth=core.auth,
            account=identifier,
            options=options,
            limiter=limiter,
            sleep=sleep,
            clock=clock,
            jitter=jitter,
        )
        super().__init__(core, driver)

    @classmethod
    def from_channel(cls, channel: Channel, /, **options: Any) -> BlueskyClient:
        """A client for a :class:`~smmkit.models.Channel` (handle, base_url, credentials)."""
        opts = _channel_options(channel, dict(options))
        return cls(channel.handle.lstrip("@"), **opts)

    @property
    def did(self) -> str | None:
        """The account's DID once a session exists."""
        return self.core.auth.did

    def login(self, *, timeout: Timeout = None) -> dict[str, Any]:
        """Create the session now (it is otherwise created by the first call) and return
        ``getSession``'s answer (``did``, ``handle``...)."""
        return self.run(self.core.session(), timeout=timeout)

    def refresh_session(self, *, timeout: Timeout = None) -> dict[str, Any]:
        """Refresh the session now (``refreshSession``); no new login."""
        return self.run(self.core.refresh_session(), timeout=timeout)

    def get_record(self, uri: str, *, timeout: Timeout = None) -> BlueskyRecord:
        """Read a record back (``com.atproto.repo.getRecord``)."""
        return self.run(self.core.get_record(uri), timeout=timeout)

    def list_records(
        self,
        collection: str = POST_COLLECTION,
        *,
        limit: int | None = None,
        page_size: int = 50,
        reverse: bool | None = None,
        repo: str | None = None,
    ) -> SyncPager[BlueskyRecord]:
        """The account's records of ``collection``, newest first (a pager: iterate items, or
        ``.pages()``)."""

        def fetch(cursor: str | None) -> Generator[Step, Any, Page[BlueskyRecord]]:
            return self.core.list_records(
                collection, cursor, limit=page_size, reverse=reverse, repo=repo
            )

        return SyncPager(fetch, self.run, limit=limit)

    def resolve_handle(self, handle: str, *, timeout: Timeout = None) -> str | None:
        return self.run(self.core.resolve_handle(handle), timeout=timeout)

    def upload_blob(
        self, data: bytes, mime_type: str, *, timeout: Timeout = None
    ) -> dict[str, Any]:
        return self.run(self.core.upload_blob(data, mime_type), timeout=timeout)


class AsyncBlueskyClient(AsyncClient[BlueskyCore]):
    """Bluesky, asynchronously: the same operations as :class:`BlueskyClient`, awaited."""

    def __init__(
        self,
        identifier: str,
        app_password: SecretStr | str,
        *,
        base_url: str = DEFAULT_SERVICE,
        channel: str = "bluesky",
        http_client: httpx.AsyncClient | None = None,
        tokens: TokenSet | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], datetime] | None = None,
        jitter: Callable[[], float] | None = None,
        media_loader: MediaLoader = read_media,
        rules: PlatformRules | None = None,
    ) -> None:
        core = _core(
            identifier=identifier,
            app_password=app_password,
            base_url=base_url,
            channel=channel,
            tokens=tokens,
            on_tokens=on_tokens,
            clock=clock,
            media_loader=media_loader,
            rules=rules,
        )
        driver = AsyncDriver(
            dialect=core.dialect,
            http_client=http_client,
            base_url=core.base_url,
            auth=core.auth,
            account=identifier,
            options=options,
            limiter=limiter,
            sleep=sleep,
            clock=clock,
            jitter=jitter,
        )
        super().__init__(core, driver)

    @classmethod
    def from_channel(cls, channel: Channel, /, **options: Any) -> AsyncBlueskyClient:
        opts = _channel_options(channel, dict(options))
        return cls(channel.handle.lstrip("@"), **opts)

    @property
    def did(self) -> str | None:
        return self.core.auth.did

    async def login(self, *, timeout: Timeout = None) -> dict[str, Any]:
        return await self.run(self.core.session(), timeout=timeout)

    async def refresh_session(self, *, timeout: Timeout = None) -> dict[str, Any]:
        return await self.run(self.core.refresh_session(), timeout=timeout)

    async def get_record(self, uri: str, *, timeout: Timeout = None) -> BlueskyRecord:
        return await self.run(self.core.get_record(uri), timeout=timeout)

    def list_records(
        self,
        collection: str = POST_COLLECTION,
        *,
        limit: int | None = None,
        page_size: int = 50,
        reverse: bool | None = None,
        repo: str | None = None,
    ) -> AsyncPager[BlueskyRecord]:
        def fetch(cursor: str | None) -> Generator[Step, Any, Page[BlueskyRecord]]:
            return self.core.list_records(
                collection, cursor, limit=page_size, reverse=reverse, repo=repo
            )

        return AsyncPager(fetch, self.run, limit=limit)

    async def resolve_handle(self, handle: str, *, timeout: Timeout = None) -> str | None:
        return await self.run(self.core.resolve_handle(handle), timeout=timeout)

    async def upload_blob(
        self, data: bytes, mime_type: str, *, timeout: Timeout = None
    ) -> dict[str, Any]:
        return await self.run(self.core.upload_blob(data, mime_type), timeout=timeout)


PLUGIN = PlatformPlugin(
    name="bluesky",
    client=BlueskyClient,
    async_client=AsyncBlueskyClient,
    description="Bluesky (AT Protocol): app-password sessions, facets, images, link cards, "
    "threads; exactly-once publishing through deterministic record keys.",
)
