"""Pagination (Link header and cursors, sync and async) and the mapping of statuses to errors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

from smmkit.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PlatformError,
    PlatformStatusError,
    RateLimitedError,
    ServerError,
)
from smmkit.platforms import (
    AsyncDriver,
    AsyncPager,
    ClientOptions,
    Dialect,
    Operation,
    Page,
    RetryPolicy,
    SyncDriver,
    SyncPager,
    default_error_parser,
    link_cursor,
    send,
)

BASE = "https://social.test/api/v1/notifications"


def _page(cursor: str | None) -> Operation[Page[int]]:
    response = yield from send(httpx.Request("GET", cursor or BASE))
    return Page(tuple(response.json()), next_cursor=link_cursor(response))


def _server(request: httpx.Request) -> httpx.Response:
    max_id = int(request.url.params.get("max_id", "10"))
    items = list(range(max_id, max(max_id - 4, 0), -1))
    headers = {}
    if items and items[-1] > 1:
        headers["Link"] = (
            f'<{BASE}?max_id={items[-1] - 1}>; rel="next", <{BASE}?min_id={items[0]}>; rel="prev"'
        )
    return httpx.Response(200, json=items, headers=headers)


@respx.mock
def test_sync_pager_follows_link_headers_by_item_and_by_page() -> None:
    respx.get(url__startswith=BASE).mock(side_effect=_server)
    driver = SyncDriver(dialect=Dialect(platform="mastodon"))
    pager = SyncPager(_page, driver.run)
    assert list(pager) == list(range(10, 0, -1))
    pages = list(SyncPager(_page, driver.run).pages())
    assert [len(p.items) for p in pages] == [4, 4, 2]
    assert pages[0].next_cursor == f"{BASE}?max_id=6" and not pages[-1].has_next
    assert SyncPager(_page, driver.run, limit=5).to_list() == [10, 9, 8, 7, 6]
    assert SyncPager(_page, driver.run, limit=0).to_list() == []


@respx.mock
def test_async_pager_gives_the_same_items() -> None:
    respx.get(url__startswith=BASE).mock(side_effect=_server)

    async def main() -> tuple[list[int], int]:
        driver = AsyncDriver(dialect=Dialect(platform="mastodon"))
        items = await AsyncPager(_page, driver.run, limit=7).to_list()
        pages = [p async for p in AsyncPager(_page, driver.run).pages()]
        await driver.aclose()
        return items, len(pages)

    assert asyncio.run(main()) == ([10, 9, 8, 7, 6, 5, 4], 3)


def test_pager_rejects_negative_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        SyncPager(_page, lambda op: Page(()), limit=-1)


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (400, BadRequestError, False),
        (401, AuthenticationError, False),
        (403, PermissionDeniedError, False),
        (404, NotFoundError, False),
        (409, ConflictError, False),
        (410, PlatformStatusError, False),
        (422, BadRequestError, False),
        (429, RateLimitedError, True),
        (500, ServerError, True),
        (502, ServerError, True),
        (503, ServerError, True),
    ],
)
@respx.mock
def test_error_mapping_carries_platform_status_code_message_request_id(
    status: int, cls: type[PlatformError], retryable: bool, fake_time: Any
) -> None:
    respx.get(BASE).mock(
        return_value=httpx.Response(
            status,
            json={"error": "Validation failed: Text can't be blank"},
            headers={"X-Request-Id": f"req-{status}"},
        )
    )
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        account="@aurora",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(retry=RetryPolicy(max_attempts=1)),
    )
    with pytest.raises(cls) as info:
        driver.run(_page(None))
    error = info.value
    assert type(error) is cls
    assert (error.platform, error.status, error.request_id) == ("mastodon", status, f"req-{status}")
    assert error.platform_message == "Validation failed: Text can't be blank"
    assert error.retryable is retryable
    assert f"req-{status}" in str(error) and "@aurora" in str(error)


def test_error_parser_understands_the_common_bodies() -> None:
    request = httpx.Request("GET", BASE)

    def parse(body: Any) -> tuple[str | None, str | None]:
        return default_error_parser(httpx.Response(400, json=body, request=request))

    assert parse({"error": "InvalidRequest", "message": "bad"}) == ("InvalidRequest", "bad")
    assert parse({"error": "invalid_grant", "error_description": "expired"}) == (
        "invalid_grant",
        "expired",
    )
    assert parse({"error": "Record not found"}) == (None, "Record not found")
    assert parse({"error": {"code": "E1", "message": "m"}}) == ("E1", "m")
    assert default_error_parser(
        httpx.Response(502, text="<html>bad gateway</html>", request=request)
    ) == (None, "<html>bad gateway</html>")
