"""Meta tokens: Facebook Login's code exchange, short- to long-lived user tokens, Page tokens,
``debug_token`` (expiry and granted scopes), and the Instagram Login and Threads long-lived
token refresh. Operations (sans-I/O), run by :class:`~smmkit.platforms.meta.MetaTokens`.

References (read November 2026):
https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow (code exchange),
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
(long-lived user and Page tokens), https://developers.facebook.com/docs/graph-api/reference/debug_token,
https://developers.facebook.com/docs/instagram-platform/reference/refresh_access_token,
https://developers.facebook.com/docs/threads/get-started/long-lived-tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from pydantic import AwareDatetime, Field, SecretStr

from smmkit.errors import AuthenticationError, PermissionDeniedError, ValidationError
from smmkit.models import ValueModel
from smmkit.platforms._core import Operation
from smmkit.platforms._redact import register_secret

from ._call import GraphApi, GraphCallContext, graph_call, graph_json, obj
from ._errors import _REAUTH_ATTR

__all__ = ["MetaAuthCore", "PageToken", "TokenDebug", "TokenInfo"]

FACEBOOK = "https://graph.facebook.com"
INSTAGRAM = "https://graph.instagram.com"
THREADS = "https://graph.threads.net"


class TokenInfo(ValueModel):
    """An access token and when it expires (``None``: Meta did not say, or never)."""

    access_token: SecretStr = Field(repr=False)
    token_type: str | None = None
    expires_at: AwareDatetime | None = None

    def refresh_due(self, now: datetime, margin: timedelta = timedelta(days=7)) -> bool:
        """Whether to refresh now: less than ``margin`` before expiry."""
        return self.expires_at is not None and now >= self.expires_at - margin


class TokenDebug(ValueModel):
    """What ``debug_token`` says about a token."""

    is_valid: bool
    app_id: str | None = None
    user_id: str | None = None
    type: str | None = None
    scopes: tuple[str, ...] = ()
    expires_at: AwareDatetime | None = None
    data_access_expires_at: AwareDatetime | None = None


class PageToken(ValueModel):
    """A Page the user manages, with its Page access token."""

    page_id: str
    name: str
    access_token: SecretStr = Field(repr=False)
    tasks: tuple[str, ...] = ()
    instagram_business_account: str | None = None


def _expiry(now: datetime, data: dict[str, Any]) -> datetime | None:
    seconds = data.get("expires_in")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return now + timedelta(seconds=float(seconds))
    return None


def _epoch(value: object) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return datetime.fromtimestamp(value, UTC)
    return None


def _token(data: dict[str, Any], now: datetime) -> TokenInfo:
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise AuthenticationError(
            "meta: the token endpoint answered without an access_token.",
            platform="meta",
            hint="start the login again.",
        )
    register_secret(token)
    return TokenInfo(
        access_token=SecretStr(token),
        token_type=str(data["token_type"]) if data.get("token_type") else None,
        expires_at=_expiry(now, data),
    )


class MetaAuthCore:
    """Token operations for one Meta app (``app_id`` and ``app_secret``)."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: SecretStr | str,
        version: str = "v24.0",
        clock: Callable[[], datetime] | None = None,
        facebook_base: str = FACEBOOK,
        instagram_base: str = INSTAGRAM,
        threads_base: str = THREADS,
    ) -> None:
        if not app_id or not app_id.isdigit():
            raise ValidationError("app_id", app_id, "the numeric app id from the app dashboard")
        self.app_id = app_id
        self._secret = app_secret if isinstance(app_secret, SecretStr) else SecretStr(app_secret)
        register_secret(self._secret)
        self.version = version
        self.clock = clock or (lambda: datetime.now(UTC))
        self.facebook = GraphApi(f"{facebook_base}/{version}")
        self.instagram = GraphApi(instagram_base)
        self.instagram_versioned = GraphApi(f"{instagram_base}/{version}")
        self.threads = GraphApi(threads_base)
        self.threads_versioned = GraphApi(f"{threads_base}/v1.0")
        self.context = GraphCallContext(
            "meta", None, self.clock, auth_hint="start the login flow again."
        )

    def __repr__(self) -> str:
        return f"MetaAuthCore(app_id={self.app_id!r})"

    def authorization_url(self, redirect_uri: str, scopes: Iterable[str], state: str) -> str:
        """The Facebook Login dialog URL to send the user to."""
        query = urlencode(
            {
                "client_id": self.app_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": ",".join(scopes),
                "response_type": "code",
            }
        )
        return f"https://www.facebook.com/{self.version}/dialog/oauth?{query}"

    def _get(
        self, api: GraphApi, path: str, params: dict[str, object]
    ) -> Operation[dict[str, Any]]:
        response = yield from graph_call(
            api.special("GET", path, params), self.context, action="obtain credentials"
        )
        return graph_json(response, "meta")

    def exchange_code(self, code: str, redirect_uri: str) -> Operation[TokenInfo]:
        """Operation: Facebook Login's ``code`` -> a short-lived user token."""
        data = yield from self._get(
            self.facebook,
            "oauth/access_token",
            {
                "client_id": self.app_id,
                "client_secret": self._secret.get_secret_value(),
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        return _token(data, self.clock())

    def long_lived_user_token(self, short: SecretStr | str) -> Operation[TokenInfo]:
        """Operation: a short-lived user token -> a long-lived one (about 60 days)."""
        value = short.get_secret_value() if isinstance(short, SecretStr) else short
        data = yield from self._get(
            self.facebook,
            "oauth/access_token",
            {
                "grant_type": "fb_exchange_token",
                "client_id": self.app_id,
                "client_secret": self._secret.get_secret_value(),
                "fb_exchange_token": value,
            },
        )
        return _token(data, self.clock())

    def page_tokens(self, user_token: SecretStr | str) -> Operation[list[PageToken]]:
        """Operation: the Pages the user manages, each with its Page token (from a long-lived
        user token, Page tokens do not expire)."""
        value = user_token.get_secret_value() if isinstance(user_token, SecretStr) else user_token
        request = self.facebook.request(
            "GET",
            "User",
            "me",
            "accounts",
            {
                "fields": "id,name,access_token,tasks,instagram_business_account",
                "access_token": value,
            },
        )
        response = yield from graph_call(request, self.context, action="list the user's Pages")
        pages: list[PageToken] = []
        for row in graph_json(response, "meta").get("data") or []:
            if not isinstance(row, dict) or not row.get("access_token"):
                continue
            register_secret(str(row["access_token"]))
            ig = row.get("instagram_business_account")
            pages.append(
                PageToken(
                    page_id=str(row["id"]),
                    name=str(row.get("name") or ""),
                    access_token=SecretStr(str(row["access_token"])),
                    tasks=tuple(str(t) for t in row.get("tasks") or []),
                    instagram_business_account=str(ig["id"])
                    if isinstance(ig, dict) and ig.get("id")
                    else None,
                )
            )
        return pages

    def debug_token(self, token: SecretStr | str) -> Operation[TokenDebug]:
        """Operation: expiry and granted scopes of ``token`` (asked with the app token)."""
        value = token.get_secret_value() if isinstance(token, SecretStr) else token
        data = yield from self._get(
            self.facebook,
            "debug_token",
            {
                "input_token": value,
                "access_token": f"{self.app_id}|{self._secret.get_secret_value()}",
            },
        )
        info = obj(data.get("data"))
        return TokenDebug(
            is_valid=info.get("is_valid") is True,
            app_id=str(info["app_id"]) if info.get("app_id") else None,
            user_id=str(info["user_id"]) if info.get("user_id") else None,
            type=str(info["type"]) if info.get("type") else None,
            scopes=tuple(str(s) for s in info.get("scopes") or []),
            expires_at=_epoch(info.get("expires_at")),
            data_access_expires_at=_epoch(info.get("data_access_expires_at")),
        )

    @staticmethod
    def require(
        debug: TokenDebug,
        needed: Iterable[str],
        *,
        platform: str = "meta",
        now: datetime | None = None,
    ) -> None:
        """Raise (marked ``needs_reauth``) if the token is invalid, expired or lacks a scope,
        naming the permission and the fix."""
        error: PermissionDeniedError | AuthenticationError | None = None
        if not debug.is_valid or (
            now is not None and debug.expires_at is not None and debug.expires_at <= now
        ):
            error = AuthenticationError(
                f"{platform}: the access token is invalid or expired.",
                platform=platform,
                hint="re-authenticate: log in again and store the new long-lived token.",
            )
        else:
            missing = sorted(set(needed) - set(debug.scopes))
            if missing:
                names = ", ".join(missing)
                error = PermissionDeniedError(
                    f"{platform}: the access token lacks the permission(s) {names}.",
                    platform=platform,
                    hint=f"log in again and grant {names} (the app needs them approved in App "
                    "Review for people without a role on the app).",
                )
        if error is not None:
            setattr(error, _REAUTH_ATTR, True)
            raise error

    def instagram_long_lived(self, short: SecretStr | str) -> Operation[TokenInfo]:
        """Operation: Instagram Login short-lived token -> long-lived (60 days)."""
        value = short.get_secret_value() if isinstance(short, SecretStr) else short
        data = yield from self._get(
            self.instagram,
            "access_token",
            {
                "grant_type": "ig_exchange_token",
                "client_secret": self._secret.get_secret_value(),
                "access_token": value,
            },
        )
        return _token(data, self.clock())

    def refresh_instagram(self, token: SecretStr | str) -> Operation[TokenInfo]:
        """Operation: refresh a long-lived Instagram Login token (at least 24 h old, not
        expired) for another 60 days."""
        value = token.get_secret_value() if isinstance(token, SecretStr) else token
        data = yield from self._get(
            self.instagram,
            "refresh_access_token",
            {"grant_type": "ig_refresh_token", "access_token": value},
        )
        return _token(data, self.clock())

    def threads_long_lived(self, short: SecretStr | str) -> Operation[TokenInfo]:
        """Operation: Threads short-lived token -> long-lived (60 days)."""
        value = short.get_secret_value() if isinstance(short, SecretStr) else short
        data = yield from self._get(
            self.threads,
            "access_token",
            {
                "grant_type": "th_exchange_token",
                "client_secret": self._secret.get_secret_value(),
                "access_token": value,
            },
        )
        return _token(data, self.clock())

    def refresh_threads(self, token: SecretStr | str) -> Operation[TokenInfo]:
        """Operation: refresh a long-lived Threads token for another 60 days."""
        value = token.get_secret_value() if isinstance(token, SecretStr) else token
        data = yield from self._get(
            self.threads,
            "refresh_access_token",
            {"grant_type": "th_refresh_token", "access_token": value},
        )
        return _token(data, self.clock())
