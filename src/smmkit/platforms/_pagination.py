"""Pages and pagers: page by hand, or iterate over items, sync or async.

A platform writes one operation ``fetch(cursor) -> Operation[Page[T]]``; :class:`SyncPager` and
:class:`AsyncPager` run it with a driver until the cursor runs out (or ``limit`` items were
given). ``cursor`` is opaque: a URL from a ``Link`` header (Mastodon), a ``cursor`` string (AT
Protocol), a page number.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from smmkit.errors import PlatformError

from ._core import Operation
from ._media import same_origin

__all__ = ["AsyncPager", "Page", "SyncPager", "link_cursor"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the cursors around it (``None`` = no such page)."""

    items: tuple[T, ...]
    next_cursor: str | None = None
    prev_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def link_cursor(response: httpx.Response, rel: str = "next") -> str | None:
    """The URL of the ``rel`` link in a response's ``Link`` header (RFC 8288), if any.

    A link to another origin than the request's is refused with a
    :class:`~smmkit.errors.PlatformError` (following it would send the client's credentials
    to a host they do not belong to); a relative link is resolved against the request.
    """
    link = response.links.get(rel)
    url = link.get("url") if link else None
    if not url:
        return None
    try:
        base = response.request.url
    except RuntimeError:  # a response built without a request (tests)
        return url
    try:
        target = base.join(url)
    except (httpx.InvalidURL, ValueError):
        target = None
    if target is None or not same_origin(target, base):
        shown = str(url)[:120]
        raise PlatformError(
            f"the server's Link header points the {rel!r} page at another origin ({shown!r}); "
            "smmkit does not follow it.",
            hint="check the service's configuration (its public URL); credentials go only to "
            "the client's base URL.",
        )
    return str(target)


class _PagerBase(Generic[T]):
    def __init__(
        self,
        fetch: Callable[[str | None], Operation[Page[T]]],
        *,
        cursor: str | None = None,
        limit: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0 (got {limit})")
        self._fetch = fetch
        self._cursor = cursor
        self._limit = limit
        self._max_pages = max_pages


class SyncPager(_PagerBase[T]):
    """Iterate items (``for item in pager``) or pages (``pager.pages()``)."""

    def __init__(
        self,
        fetch: Callable[[str | None], Operation[Page[T]]],
        run: Callable[[Operation[Page[T]]], Page[T]],
        *,
        cursor: str | None = None,
        limit: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(fetch, cursor=cursor, limit=limit, max_pages=max_pages)
        self._run = run

    def first_page(self) -> Page[T]:
        return self._run(self._fetch(self._cursor))

    def pages(self) -> Iterator[Page[T]]:
        cursor, seen, count = self._cursor, set[str](), 0
        while True:
            page = self._run(self._fetch(cursor))
            count += 1
            yield page
            cursor = page.next_cursor
            if cursor is None or cursor in seen or not page.items:
                return
            if self._max_pages is not None and count >= self._max_pages:
                return
            seen.add(cursor)

    def __iter__(self) -> Iterator[T]:
        given = 0
        if self._limit == 0:
            return
        for page in self.pages():
            for item in page.items:
                yield item
                given += 1
                if self._limit is not None and given >= self._limit:
                    return

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPager(_PagerBase[T]):
    """Iterate items (``async for item in pager``) or pages (``async for p in pager.pages()``)."""

    def __init__(
        self,
        fetch: Callable[[str | None], Operation[Page[T]]],
        run: Callable[[Operation[Page[T]]], Awaitable[Page[T]]],
        *,
        cursor: str | None = None,
        limit: int | None = None,
        max_pages: int | None = None,
    ) -> None:
        super().__init__(fetch, cursor=cursor, limit=limit, max_pages=max_pages)
        self._run = run

    async def first_page(self) -> Page[T]:
        return await self._run(self._fetch(self._cursor))

    async def pages(self) -> AsyncIterator[Page[T]]:
        cursor, seen, count = self._cursor, set[str](), 0
        while True:
            page = await self._run(self._fetch(cursor))
            count += 1
            yield page
            cursor = page.next_cursor
            if cursor is None or cursor in seen or not page.items:
                return
            if self._max_pages is not None and count >= self._max_pages:
                return
            seen.add(cursor)

    async def _items(self) -> AsyncIterator[T]:
        given = 0
        if self._limit == 0:
            return
        async for page in self.pages():
            for item in page.items:
                yield item
                given += 1
                if self._limit is not None and given >= self._limit:
                    return

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def to_list(self) -> list[T]:
        return [item async for item in self]
