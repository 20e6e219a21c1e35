"""The sans-I/O core: operations are generators that yield steps and receive responses.

An *operation* is a generator function. It yields :class:`httpx.Request` objects (or a
:class:`Call`, which adds per-request policy, or a :class:`Sleep`), receives the
:class:`httpx.Response` for each request (``None`` after a sleep), and returns a typed result::

    def get_status(base: str, status_id: str) -> Operation[dict[str, object]]:
        response = yield from send(httpx.Request("GET", f"{base}/api/v1/statuses/{status_id}"))
        return response.json()

Nothing in an operation performs I/O, so one implementation serves the sync driver (over
``httpx.Client``) and the async driver (over ``httpx.AsyncClient``); see :mod:`._driver`.
Error statuses never reach the operation as responses: the driver raises the mapped
:class:`~smmkit.errors.PlatformError` *into* the generator (``generator.throw``), so an operation
may catch one (a 404 during a look-up, an unknown outcome during a publish) or let it propagate.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

import httpx

from smmkit.errors import PlatformError

__all__ = [
    "Call",
    "Fetch",
    "Operation",
    "Sleep",
    "Step",
    "fetch",
    "is_outcome_unknown",
    "mark_outcome_unknown",
    "send",
    "sleep",
]

T = TypeVar("T")

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})


@dataclass(frozen=True, slots=True)
class Sleep:
    """Ask the driver to sleep ``seconds`` (with its injectable sleep) before going on."""

    seconds: float

    def __post_init__(self) -> None:
        if not self.seconds >= 0:
            raise ValueError(f"Sleep.seconds must be >= 0 (got {self.seconds!r})")


@dataclass(frozen=True, slots=True)
class Call:
    """A request plus the policy the driver applies to it.

    ``idempotent``: whether repeating the request cannot create a second effect. ``None`` means
    "decide from the method" (GET, HEAD, OPTIONS, DELETE and PUT are idempotent; a POST is not,
    unless the platform honours the idempotency key it carries, see
    :attr:`~._errors.Dialect.honours_idempotency_key`).
    ``bucket`` names the rate-limit bucket (``"default"`` unless the platform has others).
    ``accept`` lists extra statuses delivered to the operation as responses instead of errors.
    ``credentials=False`` sends the request without the client's credentials (a login or a
    refresh carries its own).
    """

    request: httpx.Request
    idempotent: bool | None = None
    bucket: str = "default"
    accept: frozenset[int] = field(default_factory=frozenset)
    credentials: bool = True

    def is_idempotent(self, idempotency_header: str | None) -> bool:
        """Whether the driver may repeat this request after an ambiguous failure."""
        if self.idempotent is not None:
            return self.idempotent
        method = self.request.method.upper()
        if method in _IDEMPOTENT_METHODS:
            return True
        return bool(idempotency_header and idempotency_header in self.request.headers)


@dataclass(frozen=True, slots=True)
class Fetch:
    """Ask the driver for the bytes at a public ``url`` (a media file to upload).

    The driver fetches it with a separate HTTP client that never carries the client's
    credentials or cookies, following at most a few redirects, and refuses more than
    ``max_bytes`` or more than ``timeout`` seconds in all. ``kind`` (a MIME type) is checked
    against the bytes' signature (magic bytes), not against the URL or the server's header.
    The operation receives the bytes.
    """

    url: str
    kind: str | None = None
    max_bytes: int = 200 * 1024 * 1024
    timeout: float = 60.0
    field: str = "media.url"


Step: TypeAlias = httpx.Request | Call | Sleep | Fetch
"""What an operation may yield."""

Operation: TypeAlias = Generator[Step, Any, T]
"""A sans-I/O operation returning ``T`` (run it with a driver)."""


_BUILT_HEADERS = frozenset({"host", "content-length", "content-type"})


def json_request(
    method: str, url: httpx.URL, body: Any, headers: Mapping[str, str] | None = None
) -> httpx.Request:
    """The request ``httpx.Request(method, url, json=body, headers=headers)`` builds (``Host``,
    the given headers, ``Content-Length``, ``Content-Type: application/json``, the body as
    compact UTF-8 JSON, already read), built directly for about a third of the cost: for a hot
    path such as a publish. ``url`` is parsed already (an :class:`httpx.URL`); header names and
    values must be ASCII, as httpx requires of ``str`` headers. ``body=None`` sends no body, as
    httpx does.
    """
    given = headers or {}
    if body is None or not url.host or any(name.lower() in _BUILT_HEADERS for name in given):
        return httpx.Request(method, url, json=body, headers=headers)
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    encoded = content.encode("utf-8")
    raw = [(b"Host", url.netloc)]
    raw += [(name.encode("ascii"), value.encode("ascii")) for name, value in given.items()]
    raw.append((b"Content-Length", str(len(encoded)).encode("ascii")))
    raw.append((b"Content-Type", b"application/json"))
    request = httpx.Request(method, url, headers=raw, stream=httpx.ByteStream(encoded))
    request.read()
    return request


def send(request: httpx.Request | Call) -> Generator[Step, Any, httpx.Response]:
    """Yield one request and return its response (typed helper: ``yield from send(req)``)."""
    response = yield request
    if not isinstance(response, httpx.Response):  # pragma: no cover - a driver bug
        raise TypeError(f"the driver answered a request with {type(response).__name__}")
    return response


def fetch(
    url: str,
    *,
    kind: str | None = None,
    max_bytes: int = 200 * 1024 * 1024,
    timeout: float = 60.0,
    field: str = "media.url",
) -> Generator[Step, Any, bytes]:
    """Yield a :class:`Fetch` and return the bytes (``content = yield from fetch(url)``)."""
    content = yield Fetch(url, kind, max_bytes, timeout, field)
    if not isinstance(content, bytes):  # pragma: no cover - a driver bug
        raise TypeError(f"the driver answered a fetch with {type(content).__name__}")
    return content


def sleep(seconds: float) -> Generator[Step, Any, None]:
    """Yield a sleep instruction (typed helper: ``yield from sleep(2.0)``)."""
    yield Sleep(seconds)


_UNKNOWN_ATTR = "_smmkit_outcome_unknown"


def mark_outcome_unknown(error: PlatformError) -> PlatformError:
    """Record on ``error`` that the server may have acted on the request (and add a note)."""
    setattr(error, _UNKNOWN_ATTR, True)
    error.add_note(
        "smmkit: the server may have acted on this request before the failure; a publish is "
        "reconciled (looked up) before anything is sent again."
    )
    return error


def is_outcome_unknown(error: BaseException) -> bool:
    """Whether ``error`` left it unknown if the server acted (timeout after sending, lost
    response, 5xx after the body went out)."""
    return bool(getattr(error, _UNKNOWN_ATTR, False))
