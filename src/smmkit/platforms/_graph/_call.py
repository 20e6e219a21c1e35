"""Building Graph requests and sending them: the one place every Meta client goes through.

* :class:`GraphApi` builds requests for ``<host>/<version>/<node>/<edge>`` and tags each with
  the node type and edge it targets (``request.extensions["smmkit_graph"]``), so the contract
  checker (:mod:`._contract`) can compare it with Meta's own description of that edge.
* :func:`graph_call` sends one request and maps a Graph error body to smmkit's error tree
  (:func:`~._errors.graph_error`). Throttled calls (Meta did not act on them) wait for the
  server's hint and are repeated; 5xx and ``is_transient`` errors are repeated only when the
  call is idempotent; otherwise the error is marked outcome-unknown, so a publish reconciles
  before anything is sent again. The decision is the framework's
  :func:`~smmkit.platforms.decide_retry`.
* :class:`GraphAuth` puts the token in an ``Authorization`` header, only on Meta's API hosts: a
  request to any other host (a media server) never carries it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Generator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from smmkit.errors import PlatformError, ValidationError
from smmkit.platforms._auth import RefreshingAuth, TokenSet
from smmkit.platforms._core import Call, Sleep, Step, mark_outcome_unknown, send
from smmkit.platforms._redact import get_logger, register_secret
from smmkit.platforms._retry import RetryPolicy, decide_retry

from ._errors import graph_error, graph_error_info

__all__ = [
    "GRAPH_EXTENSION",
    "META_HOSTS",
    "GraphApi",
    "GraphAuth",
    "GraphCallContext",
    "GraphTarget",
    "RefreshingGraphAuth",
    "graph_call",
    "graph_json",
]

_log = get_logger("smmkit.platforms.meta")
GRAPH_EXTENSION = "smmkit_graph"
QUOTA_SUBCODE = 2207042
"""Instagram's (and Threads') "publishing limit reached" subcode."""
META_HOSTS = frozenset(
    {
        "graph.facebook.com",
        "graph.instagram.com",
        "graph.threads.net",
        "graph.threads.com",
        "rupload.facebook.com",
    }
)
"""Meta's API hosts; :class:`GraphAuth` sends the token to these (and to the hosts a client is
configured for) only."""

# Every status but 408/429 comes back to graph_call as a response, so that the Graph body is
# read; 408 and 429 keep the driver's own handling (Retry-After).
_ACCEPT = frozenset(s for s in range(400, 600) if s not in (408, 429))


@dataclass(frozen=True, slots=True)
class GraphTarget:
    """What a Graph request targets: the node type (as Meta's specs name it), the edge
    (``None`` for the node itself) and the names of multipart fields, if any."""

    node: str
    edge: str | None
    multipart_fields: tuple[str, ...] = ()


def _form_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class GraphApi:
    """Request builder for one Graph host and version (``https://graph.facebook.com/v24.0``)."""

    base: str

    def url(self, node_id: str, edge: str | None = None) -> str:
        if not node_id or "/" in node_id or "?" in node_id or "#" in node_id:
            raise ValidationError(
                "node_id", node_id, "a Graph id is a non-empty string without '/', '?' or '#'"
            )
        return f"{self.base}/{node_id}" + (f"/{edge}" if edge else "")

    def request(
        self,
        method: str,
        node_type: str,
        node_id: str,
        edge: str | None = None,
        params: Mapping[str, object] | None = None,
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> httpx.Request:
        """A request to ``<base>/<node_id>[/<edge>]``: query parameters for GET and DELETE, a
        form body for POST (lists and objects JSON-encoded, as Graph reads them)."""
        clean = {k: _form_value(v) for k, v in (params or {}).items() if v is not None}
        target = GraphTarget(node_type, edge, tuple(sorted(files)) if files else ())
        url = self.url(node_id, edge)
        if method.upper() in ("GET", "DELETE"):
            request = httpx.Request(method.upper(), url, params=clean)
        elif files:
            request = httpx.Request(method.upper(), url, data=clean, files=dict(files))
        else:
            request = httpx.Request(method.upper(), url, data=clean)
        request.extensions[GRAPH_EXTENSION] = target
        return request

    def special(
        self, method: str, path: str, params: Mapping[str, object] | None = None
    ) -> httpx.Request:
        """A request to an endpoint that is not a node edge (``oauth/access_token``,
        ``debug_token``, ``refresh_access_token``); the contract checker lists these apart."""
        clean = {k: _form_value(v) for k, v in (params or {}).items() if v is not None}
        url = f"{self.base}/{path}"
        request = (
            httpx.Request(method, url, params=clean)
            if method == "GET"
            else httpx.Request(method, url, data=clean)
        )
        request.extensions[GRAPH_EXTENSION] = GraphTarget("#special", path)
        return request


class GraphAuth(httpx.Auth):
    """``Authorization: Bearer <token>`` on Meta's API hosts only (and ``extra_hosts``)."""

    def __init__(self, token: SecretStr | str, *, extra_hosts: Collection[str] = ()) -> None:
        self._token = token if isinstance(token, SecretStr) else SecretStr(token)
        register_secret(self._token)
        self.hosts = frozenset(META_HOSTS | {h.lower() for h in extra_hosts})

    def __repr__(self) -> str:
        return "GraphAuth(token=SecretStr('**********'))"

    @property
    def token(self) -> SecretStr:
        return self._token

    def replace_token(self, token: SecretStr | str) -> None:
        """Use a new token from now on (after a refresh)."""
        self._token = token if isinstance(token, SecretStr) else SecretStr(token)
        register_secret(self._token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.url.host.lower() in self.hosts and request.url.scheme == "https":
            request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request


class RefreshingGraphAuth(RefreshingAuth):
    """The framework's :class:`~smmkit.platforms.RefreshingAuth` for Meta's long-lived
    Instagram Login and Threads tokens: they are refreshed *before* they expire (``margin``
    ahead, 7 days by default; an expired long-lived token cannot be refreshed), through
    ``GET <host>/refresh_access_token?grant_type=...`` (see
    https://developers.facebook.com/docs/instagram-platform/reference/refresh_access_token and
    https://developers.facebook.com/docs/threads/get-started/long-lived-tokens). The drivers run
    the refresh single-flight and hand the new :class:`~smmkit.platforms.TokenSet` to
    ``on_tokens`` (a workspace stores it encrypted).

    An early refresh that fails does not fail the request (the token still works until it
    expires): the current token is kept (``on_tokens`` then sees it unchanged) and the refresh
    is tried again an hour later. There is
    no login: a token that expired needs the user to authorise the app again (Graph code 190,
    ``needs_reauth``).
    """

    def __init__(
        self,
        tokens: TokenSet,
        *,
        refresh_url: str,
        grant_type: str,
        clock: Callable[[], datetime],
        on_tokens: Callable[[TokenSet], None] | None = None,
        margin: timedelta = timedelta(days=7),
        platform: str = "meta",
    ) -> None:
        super().__init__(tokens, on_tokens=on_tokens, clock=clock, platform=platform)
        self.refresh_url, self.grant_type, self.margin = refresh_url, grant_type, margin
        self._now = clock
        self._next_try: datetime | None = None

    def __repr__(self) -> str:
        expires = self.tokens.expires_at if self.tokens else None
        return f"RefreshingGraphAuth(expires_at={expires!r})"

    def usable(self) -> TokenSet | None:
        tokens = self.tokens
        if tokens is None:
            return None
        now = self._now()
        if tokens.expires_at is None or now < tokens.expires_at - self.margin:
            return tokens
        if self._next_try is not None and now < self._next_try and not tokens.expired(now):
            return tokens  # an early refresh failed recently: keep the working token
        return None

    def begin_renewal(self, used: TokenSet | None) -> Any:
        current = self.tokens
        if used is None and current is not None and self.usable() is None:
            used = current  # still valid but due: renew it early (single-flight as usual)
        return super().begin_renewal(used)

    def refresh_request(self, tokens: TokenSet) -> httpx.Request | None:
        request = httpx.Request(
            "GET",
            self.refresh_url,
            params={
                "grant_type": self.grant_type,
                "access_token": tokens.access_token.get_secret_value(),
            },
        )
        request.extensions[GRAPH_EXTENSION] = GraphTarget("#special", "refresh_access_token")
        return request

    def parse_tokens(self, response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        data = response.json()
        token = data["access_token"]
        if not isinstance(token, str) or not token:
            raise ValueError("no access_token")
        seconds = data.get("expires_in")
        expires = (
            self._now() + timedelta(seconds=float(seconds))
            if isinstance(seconds, int | float) and not isinstance(seconds, bool)
            else None
        )
        return TokenSet(
            access_token=SecretStr(token),
            expires_at=expires,
            subject=previous.subject if previous else None,
        )

    def is_expired_response(self, response: httpx.Response) -> bool:
        return False  # Graph says 190: re-authenticate (mapped by graph_call), no blind retry

    def renewal_operation(self, used: TokenSet | None) -> Generator[Step, Any, TokenSet]:
        current = self.tokens if self.tokens is not None else used
        now = self._now()
        if current is None or current.expired(now):
            return (yield from super().renewal_operation(used))
        try:
            fresh: TokenSet = yield from super().renewal_operation(used)
        except PlatformError as exc:
            self._next_try = now + timedelta(hours=1)
            _log.warning(
                "%s: refreshing the long-lived token failed (%s); the current one stays in use "
                "and the refresh is tried again in an hour",
                self.dialect.platform,
                type(exc).__name__,
            )
            return current
        self._next_try = None
        return fresh


@dataclass
class GraphCallContext:
    """What :func:`graph_call` needs from the client: names for messages, the clock, the retry
    policy and the auth hint."""

    platform: str
    account: str | None
    clock: Callable[[], datetime]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    auth_hint: str = "log in again to get a new token."
    bucket: str = "graph"


def graph_call(
    request: httpx.Request,
    context: GraphCallContext,
    *,
    idempotent: bool | None = None,
    permissions: tuple[str, ...] = (),
    action: str | None = None,
    credentials: bool = True,
) -> Generator[Step, Any, httpx.Response]:
    """Operation: send ``request``; return the successful response or raise the mapped error.

    ``idempotent`` (default: GET and DELETE are, POST is not) decides whether a 5xx or a
    transient error may be repeated; a non-idempotent call that failed that way raises an error
    marked outcome-unknown (:func:`~smmkit.platforms.is_outcome_unknown`).
    ``credentials=False``: the request carries its own (the driver adds none).
    """
    safe = idempotent if idempotent is not None else request.method in ("GET", "DELETE")
    attempt = 0
    while True:
        attempt += 1
        response = yield from send(
            Call(
                request,
                idempotent=safe,
                bucket=context.bucket,
                accept=_ACCEPT,
                credentials=credentials,
            )
        )
        if response.status_code < 400:
            return response
        error = graph_error(
            response,
            platform=context.platform,
            account=context.account,
            now=context.clock(),
            permissions=permissions,
            auth_hint=context.auth_hint,
            action=action,
        )
        info = graph_error_info(error)
        # throttled: Meta did not act, repeat after its hint; a spent *publishing* quota
        # (subcode 2207042) is not repeated: nothing is sent until the window frees
        throttled = info is not None and info.throttled and info.subcode != QUOTA_SUBCODE
        transient = response.status_code >= 500 or (info is not None and info.is_transient)
        if throttled:
            hint = getattr(error, "retry_after", None)
            decision = decide_retry(
                attempt=attempt, idempotent=True, status=429, hint=hint, policy=context.retry
            )
        elif transient:
            decision = decide_retry(
                attempt=attempt,
                idempotent=safe,
                status=max(response.status_code, 500),
                policy=context.retry,
            )
        else:
            raise error
        if decision.retry:
            yield Sleep(decision.delay)
            continue
        if decision.outcome_unknown:
            mark_outcome_unknown(error)
        raise error


def obj(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (for reading untrusted answers)."""
    return value if isinstance(value, dict) else {}


def graph_json(response: httpx.Response, platform: str) -> dict[str, Any]:
    """The JSON object of a successful Graph response (an error if it is not one)."""
    try:
        data = response.json()
    except ValueError as exc:
        raise PlatformError(
            f"{platform}: the answer to {response.request.method} "
            f"{response.request.url.copy_with(query=None)} is not JSON.",
            platform=platform,
            status=response.status_code,
            retryable=False,
        ) from exc
    if not isinstance(data, dict):
        raise PlatformError(
            f"{platform}: expected a JSON object, got {type(data).__name__}.",
            platform=platform,
            status=response.status_code,
        )
    return data
