"""smmkit.platforms: the clients that talk to the networks, and the simulated network.

The framework (this package's front door) gives every client the same parts:

* sans-I/O operations (generators yielding :class:`httpx.Request`, :class:`Call` or
  :class:`Sleep` and receiving :class:`httpx.Response`), run by :class:`SyncDriver` and
  :class:`AsyncDriver`;
* :func:`decide_retry` (one small decision table, used through tenacity), rate-limit state
  (:class:`RateLimiter`) with the caller's :class:`RateLimitPolicy` (raise, wait, pace);
* auth (:class:`BearerAuth`, :class:`SessionAuth`, :class:`OAuth2PKCE`), redaction of secrets;
* pagination (:class:`SyncPager`, :class:`AsyncPager`), capabilities (:class:`Capability`);
* exactly once: :func:`reconciled_publish` and the loop under it, :func:`reconcile_unknown`
  (an unknown outcome is looked up before anything is sent again);
* the protocol every client speaks (:class:`PlatformClient`, :class:`AsyncPlatformClient`),
  built from a :class:`PlatformCore` and the :class:`SyncClient` / :class:`AsyncClient` shells;
* the registry (:func:`client_for`, entry-point group ``smmkit.platforms``).

Networks live in subpackages: ``smmkit.platforms.sandbox``, ``smmkit.platforms.mastodon``,
``smmkit.platforms.bluesky``.
"""

from ._auth import (
    AuthorizationRequest,
    BearerAuth,
    OAuth2Auth,
    OAuth2PKCE,
    RefreshingAuth,
    SessionAuth,
    TokenSet,
    code_challenge,
    make_code_verifier,
    resolve_secret,
)
from ._capabilities import Capability, needed_capabilities, require
from ._client import (
    AsyncClient,
    PlatformCore,
    SyncClient,
    reconcile_unknown,
    reconciled_publish,
)
from ._core import (
    Call,
    Operation,
    Sleep,
    Step,
    is_outcome_unknown,
    mark_outcome_unknown,
    send,
    sleep,
)
from ._driver import DEFAULT_USER_AGENT, AsyncDriver, ClientOptions, SyncDriver
from ._errors import Dialect, default_error_parser, error_from_exception, error_from_response
from ._pagination import AsyncPager, Page, SyncPager, link_cursor
from ._protocol import (
    AsyncInboxClient,
    AsyncPlatformClient,
    Comment,
    InboxClient,
    InboxPage,
    PlatformClient,
    PostMarker,
    PublishedPost,
    text_fingerprint,
)
from ._ratelimit import (
    RateLimiter,
    RateLimitInfo,
    RateLimitKey,
    RateLimitPolicy,
    parse_rate_limit_headers,
    parse_reset,
)
from ._redact import RedactingFilter, get_logger, redact, register_secret
from ._registry import (
    ENTRY_POINT_GROUP,
    PlatformPlugin,
    available_platforms,
    client_for,
    get_plugin,
    register_platform,
)
from ._retry import RetryDecision, RetryPolicy, decide_retry, parse_retry_after

__all__ = [
    "DEFAULT_USER_AGENT",
    "ENTRY_POINT_GROUP",
    "AsyncClient",
    "AsyncDriver",
    "AsyncInboxClient",
    "AsyncPager",
    "AsyncPlatformClient",
    "AuthorizationRequest",
    "BearerAuth",
    "Call",
    "Capability",
    "ClientOptions",
    "Comment",
    "Dialect",
    "InboxClient",
    "InboxPage",
    "OAuth2Auth",
    "OAuth2PKCE",
    "Operation",
    "Page",
    "PlatformClient",
    "PlatformCore",
    "PlatformPlugin",
    "PostMarker",
    "PublishedPost",
    "RateLimitInfo",
    "RateLimitKey",
    "RateLimitPolicy",
    "RateLimiter",
    "RedactingFilter",
    "RefreshingAuth",
    "RetryDecision",
    "RetryPolicy",
    "SessionAuth",
    "Sleep",
    "Step",
    "SyncClient",
    "SyncDriver",
    "SyncPager",
    "TokenSet",
    "available_platforms",
    "client_for",
    "code_challenge",
    "decide_retry",
    "default_error_parser",
    "error_from_exception",
    "error_from_response",
    "get_logger",
    "get_plugin",
    "is_outcome_unknown",
    "link_cursor",
    "make_code_verifier",
    "mark_outcome_unknown",
    "needed_capabilities",
    "parse_rate_limit_headers",
    "parse_reset",
    "parse_retry_after",
    "reconcile_unknown",
    "reconciled_publish",
    "redact",
    "register_platform",
    "register_secret",
    "require",
    "resolve_secret",
    "send",
    "sleep",
    "text_fingerprint",
]
