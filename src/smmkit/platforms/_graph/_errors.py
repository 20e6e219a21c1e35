"""Meta Graph error bodies and usage headers, mapped to smmkit's error tree and rate-limit state.

A Graph error answers with a JSON body (Instagram error codes:
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes/,
Graph API errors: https://developers.facebook.com/docs/graph-api/guides/error-handling)::

    {"error": {"message": "...", "type": "OAuthException", "code": 190, "error_subcode": 463,
               "is_transient": false, "error_user_title": "...", "error_user_msg": "...",
               "fbtrace_id": "A6LJylpZRKw2xKLFsAP-cJh"}}

The HTTP status says little (most Graph errors are a 400), so the class of the smmkit error comes
from ``code`` and ``error_subcode``: 190 is an :class:`~smmkit.errors.AuthenticationError` that
needs a new login, the throttling codes (4, 17, 32, 613, 80001-80014) are a
:class:`~smmkit.errors.RateLimitedError`, 10 and 200-299 a
:class:`~smmkit.errors.PermissionDeniedError` naming the permission. ``fbtrace_id`` is the request
id. Usage headers (``X-App-Usage``, ``X-Business-Use-Case-Usage`` with
``estimated_time_to_regain_access``, see https://developers.facebook.com/docs/graph-api/overview/rate-limiting/)
become a :class:`~smmkit.platforms.RateLimitInfo` whose unit is a percentage point of the quota.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from smmkit.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PlatformStatusError,
    RateLimitedError,
    ServerError,
    status_error_class,
)
from smmkit.platforms._errors import Dialect
from smmkit.platforms._ratelimit import RateLimitInfo
from smmkit.platforms._redact import redact

__all__ = [
    "THROTTLING_CODES",
    "GraphErrorInfo",
    "graph_dialect",
    "graph_error",
    "graph_error_info",
    "named_permissions",
    "needs_reauth",
    "parse_graph_error",
    "parse_usage_headers",
    "usage_percent",
]

THROTTLING_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
"""Graph codes that mean "throttled": app (4), user (17), Page (32), custom (613) and the
Business Use Case limits (80001-80014)."""

_REAUTH_CODES = frozenset({190, 102})
_PERMISSION_CODES = frozenset({10, *range(200, 300)})
_SUBCODE_HINTS: dict[int, str] = {
    2207052: (
        "Meta could not download the media from its public URL: Meta fetches the file itself "
        "(curl from its servers), so the URL must be public HTTPS, reachable without login, "
        "cookies or IP allow-lists, and answer with the file (not an HTML page); check the link "
        "in a private browser window and try again."
    ),
    2207003: "Meta timed out downloading the media; serve it from a faster public host.",
    2207004: "the image is larger than 8 MiB; compress it.",
    2207005: "the media format is not supported; use JPEG for images, MP4/MOV for video.",
    2207006: "the container was not found (expired or already used); create a new one.",
    2207008: "the container expired before publishing; create a new one and publish within 24h.",
    2207020: "the container expired; create a new one.",
    2207026: "the video format is not supported; see Meta's video specifications.",
    2207027: "the media is not ready yet; smmkit waits for FINISHED before publishing.",
    2207042: "the account reached its publishing limit for the 24-hour window.",
    2207050: "the Instagram account is restricted or inactive; log in to the app and resolve it.",
    2207051: "Meta flagged the action as possible spam; slow down and vary the content.",
    463: "the access token expired.",
    460: "the password was changed; the token is invalid.",
    467: "the token was invalidated (logged out or revoked).",
    458: "the app was removed by the user.",
    492: "the user is not an admin of the Page any more.",
}
_PERMISSION_NAME = re.compile(
    r"\b((?:pages|instagram|threads|business|ads|read|publish|user)_[a-z_]{2,60})\b"
)


def named_permissions(message: str | None) -> tuple[str, ...]:
    """Permission names a Graph error message mentions (``(#200) Requires pages_manage_posts
    permission`` -> ``("pages_manage_posts",)``)."""
    if not message:
        return ()
    return tuple(dict.fromkeys(_PERMISSION_NAME.findall(message[:500])))


@dataclass(frozen=True, slots=True)
class GraphErrorInfo:
    """The fields of a Graph error body (``None`` where absent)."""

    code: int | None
    subcode: int | None
    message: str | None
    type: str | None
    is_transient: bool
    user_title: str | None
    user_message: str | None
    fbtrace_id: str | None

    @property
    def throttled(self) -> bool:
        return self.code in THROTTLING_CODES or self.subcode == 2207042

    @property
    def needs_reauth(self) -> bool:
        return self.code in _REAUTH_CODES

    @property
    def code_text(self) -> str | None:
        if self.code is None:
            return None
        return f"{self.code}/{self.subcode}" if self.subcode else str(self.code)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _as_text(value: object, limit: int = 500) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value[:limit]


def parse_graph_error(response: httpx.Response) -> GraphErrorInfo | None:
    """The Graph error in ``response``'s body, or ``None`` when it has none."""
    try:
        data = json.loads(response.content or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    error: dict[str, Any] = data["error"]
    return GraphErrorInfo(
        code=_as_int(error.get("code")),
        subcode=_as_int(error.get("error_subcode")),
        message=_as_text(error.get("message")),
        type=_as_text(error.get("type"), 100),
        is_transient=error.get("is_transient") is True,
        user_title=_as_text(error.get("error_user_title"), 200),
        user_message=_as_text(error.get("error_user_msg")),
        fbtrace_id=_as_text(error.get("fbtrace_id"), 100) or response.headers.get("x-fb-trace-id"),
    )


def _parse_error_pair(response: httpx.Response) -> tuple[str | None, str | None]:
    info = parse_graph_error(response)
    if info is None:
        return None, (response.text.strip()[:200] or None) if response.content else None
    return info.code_text, info.message


_GRAPH_INFO_ATTR = "_smmkit_graph_error"
_REAUTH_ATTR = "_smmkit_needs_reauth"


def graph_error_info(error: BaseException) -> GraphErrorInfo | None:
    """The Graph error body behind a smmkit error (``None`` when it did not come from one)."""
    info = getattr(error, _GRAPH_INFO_ATTR, None)
    return info if isinstance(info, GraphErrorInfo) else None


def needs_reauth(error: BaseException) -> bool:
    """Whether ``error`` means the account must log in again (the runner's ``needs_reauth``):
    an expired, revoked or invalid token (Graph code 190) or a missing permission."""
    return bool(getattr(error, _REAUTH_ATTR, False))


def _usage_numbers(values: Iterable[object]) -> list[float]:
    out: list[float] = []
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            out.append(min(max(float(value), 0.0), 1000.0))
    return out


def usage_percent(headers: Mapping[str, str]) -> tuple[float | None, float]:
    """``(highest usage percentage, minutes to regain access)`` from the Graph usage headers.

    Reads ``X-App-Usage`` / ``X-Page-Usage`` (``call_count``, ``total_cputime``, ``total_time``)
    and ``X-Business-Use-Case-Usage`` (per business id, a list of usages with
    ``estimated_time_to_regain_access`` in minutes). ``(None, 0.0)`` when none is present or
    readable.
    """
    highest: float | None = None
    regain = 0.0
    for name in ("x-app-usage", "x-page-usage", "x-business-use-case-usage"):
        raw = headers.get(name)
        if not raw or len(raw) > 20_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        usages: list[dict[str, Any]] = []
        if name == "x-business-use-case-usage" and isinstance(data, dict):
            for entries in data.values():
                if isinstance(entries, list):
                    usages.extend(e for e in entries if isinstance(e, dict))
        elif isinstance(data, dict):
            usages.append(data)
        for usage in usages:
            numbers = _usage_numbers(
                usage.get(k) for k in ("call_count", "total_cputime", "total_time")
            )
            if numbers:
                top = max(numbers)
                highest = top if highest is None else max(highest, top)
            minutes = _usage_numbers([usage.get("estimated_time_to_regain_access")])
            if minutes:
                regain = max(regain, minutes[0])
    return highest, regain


def parse_usage_headers(
    headers: Mapping[str, str], now: datetime, *, headroom: float = 5.0, cooldown: float = 60.0
) -> RateLimitInfo | None:
    """The usage headers as a rate-limit budget in percentage points.

    ``limit`` is 100, ``remaining`` is what is left below ``100 - headroom`` (so the limiter
    stops *before* Meta blocks the app). When nothing is left, ``reset_at`` is ``now`` plus
    ``estimated_time_to_regain_access`` (minutes) if Meta gave one, else plus ``cooldown``
    seconds (the window is a rolling hour, so usage drops as old calls age out).
    """
    used, regain_minutes = usage_percent(headers)
    if used is None and not regain_minutes:
        return None
    used = 100.0 if used is None else used
    remaining = min(max(int(100.0 - headroom - used), 0), 100)
    reset_at = None
    if regain_minutes > 0:
        reset_at = now + timedelta(minutes=regain_minutes)
        remaining = 0
    elif remaining == 0:
        reset_at = now + timedelta(seconds=cooldown)
    return RateLimitInfo(100, remaining, reset_at, now)


def graph_dialect(platform: str, *, auth_hint: str) -> Dialect:
    """The Graph wire conventions for one of Meta's networks."""
    return Dialect(
        platform=platform,
        request_id_headers=("x-fb-trace-id", "x-fb-request-id"),
        parse_error=_parse_error_pair,
        parse_rate_limit=lambda headers, now: parse_usage_headers(headers, now),
        auth_hint=auth_hint,
    )


def _hint(
    info: GraphErrorInfo,
    *,
    permissions: tuple[str, ...],
    auth_hint: str,
    retry_after: float | None,
) -> str:
    parts: list[str] = []
    if info.subcode in _SUBCODE_HINTS:
        parts.append(_SUBCODE_HINTS[info.subcode])
    if info.needs_reauth:
        parts.append(
            "re-authenticate: the access token is expired, revoked or invalid (Graph code 190); "
            + auth_hint
        )
    elif info.code in _PERMISSION_CODES:
        named = named_permissions(info.message) or permissions
        names = ", ".join(named) if named else "the permission this call needs"
        parts.append(
            f"the token lacks a permission ({names}): log in again and grant {names} "
            "(and have the app approved for it in App Review)."
        )
    elif info.throttled:
        parts.append(
            f"Meta is throttling this app or account (code {info.code}); "
            + (f"wait {retry_after:.0f}s" if retry_after else "slow down")
            + " or use the 'pace' rate-limit policy."
        )
    elif info.is_transient:
        parts.append("Meta says the error is transient: retrying later may succeed.")
    if info.user_message:
        parts.append(f"Meta says: {info.user_message}")
    return " ".join(parts) if parts else "see the Graph error code in Meta's reference."


def graph_error(
    response: httpx.Response,
    *,
    platform: str,
    account: str | None,
    now: datetime,
    permissions: tuple[str, ...] = (),
    auth_hint: str = "log in again to get a new token.",
    action: str | None = None,
) -> PlatformStatusError:
    """The smmkit error for a Graph error response (the class from ``code``/``error_subcode``).

    ``permissions`` names what the call needs (shown when the token lacks one). The error
    carries the body (:func:`graph_error_info`) and ``needs_reauth`` (:func:`needs_reauth`).
    """
    status = response.status_code
    info = parse_graph_error(response) or GraphErrorInfo(
        None,
        None,
        (response.text or "")[:200] or None,
        None,
        False,
        None,
        None,
        response.headers.get("x-fb-trace-id"),
    )
    _, regain = usage_percent(response.headers)
    retry_after = regain * 60.0 if regain else None
    cls: type[PlatformStatusError]
    if info.needs_reauth:
        cls = AuthenticationError
    elif info.throttled or status == 429:
        cls = RateLimitedError
    elif info.code in _PERMISSION_CODES:
        cls = PermissionDeniedError
    elif (info.code == 100 and info.subcode == 33) or info.code == 803:
        cls = NotFoundError
    elif info.code == 506:
        cls = ConflictError
    elif status >= 500:
        cls = ServerError
    elif status in (400, 422) or info.code is not None:
        cls = BadRequestError if status < 500 else ServerError
    else:
        cls = status_error_class(status)
    where = f"{response.request.method} {response.request.url.copy_with(query=None)}"
    who = f" for account {account!r}" if account else ""
    what = f"could not {action}{who}" if action else f"request failed{who}"
    text = redact(f"{platform}: {what}: {status} {response.reason_phrase} to {where}.")
    hint = redact(
        _hint(info, permissions=permissions, auth_hint=auth_hint, retry_after=retry_after)
    )
    kwargs: dict[str, Any] = {
        "platform": platform,
        "status": status,
        "code": info.code_text,
        "platform_message": redact(info.message) if info.message else None,
        "request_id": info.fbtrace_id,
        "retryable": info.is_transient or info.throttled or status >= 500,
        "hint": hint,
    }
    error: PlatformStatusError = (
        RateLimitedError(text, retry_after=retry_after, **kwargs)
        if cls is RateLimitedError
        else cls(text, **kwargs)
    )
    setattr(error, _GRAPH_INFO_ATTR, info)
    if info.needs_reauth or info.code in _PERMISSION_CODES:
        setattr(error, _REAUTH_ATTR, True)
    return error
