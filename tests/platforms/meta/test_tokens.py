"""Meta tokens against the fake Graph server: code exchange, long-lived tokens, Page tokens,
debug_token with expiry and scopes, Instagram and Threads refresh; secrets never leak."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smmkit.errors import AuthenticationError, BadRequestError, PermissionDeniedError
from smmkit.platforms.meta import MetaTokens, needs_reauth

from .conftest import TOKEN, OptionalContract


def _tokens(server: Any, fake_time: Any) -> MetaTokens:
    return MetaTokens(
        "1234567890",
        "app-secret-42",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def test_facebook_login_to_page_tokens(graph: Any, fake_time: Any, caplog: Any) -> None:
    server = graph()
    caplog.set_level(logging.DEBUG)
    with _tokens(server, fake_time) as tokens:
        url = tokens.authorization_url("https://app.forno.test/cb", ["pages_manage_posts"], "st4te")
        assert url.startswith("https://www.facebook.com/v24.0/dialog/oauth?") and "st4te" in url
        short = tokens.exchange_code("good-code", "https://app.forno.test/cb")
        assert short.expires_at == fake_time.now() + timedelta(seconds=5400)
        long = tokens.long_lived_user_token(short.access_token)
        assert long.access_token.get_secret_value() == "EAAlong-lived-user-1"
        assert not long.refresh_due(fake_time.now()) and long.refresh_due(
            fake_time.now() + timedelta(days=55)
        )
        [page] = tokens.page_tokens(long.access_token)
        assert page.page_id == "1010101010" and page.instagram_business_account == "17841400000001"
        assert "EAApage" not in repr(page) and "EAAlong" not in repr(long)
        with pytest.raises(BadRequestError, match="verification code"):
            tokens.exchange_code("bad-code", "https://app.forno.test/cb")
    contract = OptionalContract()
    assert [str(v) for r in server.requests for v in contract.check(r)] == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("app-secret-42", "EAAlong-lived-user-1", "EAApage-token-777", "EAAshort-user-1"):
        assert secret not in logged


def test_debug_token_names_the_missing_permission(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _tokens(server, fake_time) as tokens:
        debug = tokens.require(TOKEN, ["pages_manage_posts"])
        assert debug.is_valid and "instagram_basic" in debug.scopes
        assert debug.expires_at == fake_time.now() + timedelta(hours=1)
        with pytest.raises(PermissionDeniedError) as caught:
            tokens.require(TOKEN, ["pages_manage_posts", "instagram_content_publish"])
        assert needs_reauth(caught.value)
        assert "instagram_content_publish" in str(caught.value) and "log in again and grant" in str(
            caught.value
        )
        with pytest.raises(AuthenticationError) as expired:
            tokens.require("EAAunknown-token-1", ["pages_manage_posts"])
        assert needs_reauth(expired.value) and "re-authenticate" in str(expired.value)


def test_instagram_and_threads_refresh(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _tokens(server, fake_time) as tokens:
        ig = tokens.refresh_instagram(SecretStr(TOKEN))
        th = tokens.refresh_threads(TOKEN)
        assert (
            ig.access_token.get_secret_value() in server.tokens
            and th.access_token.get_secret_value() in server.tokens
        )
        assert ig.expires_at == fake_time.now() + timedelta(days=60)
        with pytest.raises(AuthenticationError):
            tokens.refresh_threads("EAAnot-a-token-9")
    hosts = [r.url.host for r in server.requests if r.url.path.endswith("refresh_access_token")]
    assert hosts == ["graph.instagram.com", "graph.threads.net", "graph.threads.net"]
    contract = OptionalContract()
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_refresh_if_due(graph: Any, fake_time: Any) -> None:
    from smmkit.errors import ValidationError
    from smmkit.platforms.meta import TokenInfo

    server = graph()
    with _tokens(server, fake_time) as tokens:
        fresh = TokenInfo(
            access_token=SecretStr(TOKEN), expires_at=fake_time.now() + timedelta(days=30)
        )
        assert tokens.refresh_if_due(fresh, "instagram") is fresh
        assert server.requests == []
        old = TokenInfo(
            access_token=SecretStr(TOKEN), expires_at=fake_time.now() + timedelta(days=3)
        )
        renewed = tokens.refresh_if_due(old, "threads")
        assert renewed.expires_at == fake_time.now() + timedelta(days=60)
        with pytest.raises(ValidationError, match="instagram"):
            tokens.refresh_if_due(old, "facebook")


def test_async_tokens(graph: Any, fake_time: Any) -> None:
    import asyncio

    from smmkit.platforms.meta import AsyncMetaTokens, TokenInfo

    server = graph()

    async def main() -> None:
        tokens = AsyncMetaTokens(
            "1234567890",
            "app-secret-42",
            sleep=fake_time.asleep,
            clock=fake_time.now,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        )
        long = await tokens.long_lived_user_token(
            (await tokens.exchange_code("good-code", "https://a.test/cb")).access_token
        )
        [page] = await tokens.page_tokens(long.access_token)
        assert page.page_id == "1010101010"
        await tokens.require(TOKEN, ["pages_manage_posts"])
        old = TokenInfo(
            access_token=SecretStr(TOKEN), expires_at=fake_time.now() + timedelta(days=1)
        )
        assert (
            await tokens.refresh_if_due(old, "instagram")
        ).access_token.get_secret_value() in server.tokens
        await tokens.aclose()

    asyncio.run(main())


def test_clients_refresh_their_long_lived_token_before_it_expires(
    graph: Any, fake_time: Any, contract: Any
) -> None:
    from smmkit.models import MediaAsset, Variant
    from smmkit.platforms import TokenSet
    from smmkit.platforms.instagram import InstagramClient
    from smmkit.platforms.threads import ThreadsClient

    from .conftest import IG_USER, THREADS_USER

    server = graph()
    saved: list[TokenSet] = []
    soon = TokenSet(access_token=SecretStr(TOKEN), expires_at=fake_time.now() + timedelta(days=3))
    http = httpx.Client(transport=httpx.MockTransport(server))
    ig = InstagramClient(
        IG_USER,
        tokens=soon,
        on_tokens=saved.append,
        http_client=http,
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    photo = MediaAsset(kind="image", url="https://cdn.forno.test/a.jpg", mime_type="image/jpeg")
    ig.publish(
        Variant(channel="instagram", platform="instagram", text="dopo il rinnovo", media=(photo,))
    )
    [fresh] = saved
    assert fresh.expires_at == fake_time.now() + timedelta(
        days=60
    ) or fresh.expires_at > fake_time.now() + timedelta(days=59)
    assert (
        server.requests[0].url.path == "/refresh_access_token"
        and server.requests[0].url.host == "graph.instagram.com"
    )
    later = [r.headers.get("authorization") for r in server.requests[1:]]
    assert later and all(h == f"Bearer {fresh.access_token.get_secret_value()}" for h in later)
    assert "EAA" not in repr(ig) and fresh.access_token.get_secret_value() not in repr(fresh)
    # Threads: a refused refresh does not fail the request, and is not retried for an hour
    th = ThreadsClient(
        THREADS_USER,
        tokens=TokenSet(
            access_token=SecretStr(TOKEN), expires_at=fake_time.now() + timedelta(days=1)
        ),
        on_tokens=saved.append,
        http_client=http,
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    server.tokens.add("unused-guard-token")
    original = server.route_token
    server.route_token = lambda host, path, p, token: server.error(190, "refresh refused")
    th.publish(Variant(channel="threads", platform="threads", text="senza rinnovo"))
    th.publishing_limit()
    refreshes = [r for r in server.requests if r.url.path == "/refresh_access_token"]
    assert len(refreshes) == 2  # one per client: the refused one is not retried for an hour
    assert saved[1].access_token.get_secret_value() == TOKEN  # the working token is kept
    fake_time.advance(3601)
    server.route_token = original
    th.publishing_limit()
    assert len(saved) == 3 and saved[2].access_token.get_secret_value() != TOKEN
    assert saved[2].expires_at is not None and saved[2].expires_at > fake_time.now() + timedelta(
        days=59
    )
    meta_specs = [
        r
        for r in server.requests
        if r.url.host != "graph.threads.net" or r.url.path.endswith("refresh_access_token")
    ]
    assert [
        str(v) for r in meta_specs for v in contract.check(r)
    ] == []  # Threads: see test_threads
