"""Auth: bearer, app-password sessions with refresh, OAuth 2 with PKCE; and secret redaction."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from pydantic import SecretStr

from smmkit.errors import (
    AuthenticationError,
    PlatformConnectionError,
    PlatformError,
    RateLimitedError,
    ServerError,
)
from smmkit.platforms import (
    AsyncDriver,
    BearerAuth,
    Dialect,
    OAuth2PKCE,
    RedactingFilter,
    SessionAuth,
    SyncDriver,
    TokenSet,
    code_challenge,
    get_logger,
    make_code_verifier,
    redact,
    send,
)

API = "https://pds.test/xrpc"
DIALECT = Dialect(platform="bluesky")


def _get_profile() -> Any:
    response = yield from send(httpx.Request("GET", f"{API}/app.bsky.actor.getProfile"))
    return response.json()


def _session(fake_time: Any, on_tokens: Any = None) -> SessionAuth:
    def login(identifier: str, password: SecretStr) -> httpx.Request:
        return httpx.Request(
            "POST",
            f"{API}/com.atproto.server.createSession",
            json={"identifier": identifier, "password": password.get_secret_value()},
        )

    def refresh(tokens: TokenSet) -> httpx.Request | None:
        if tokens.refresh_token is None:
            return None
        return httpx.Request(
            "POST",
            f"{API}/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {tokens.refresh_token.get_secret_value()}"},
        )

    def parse(response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        data = response.json()
        return TokenSet(
            access_token=SecretStr(data["accessJwt"]),
            refresh_token=SecretStr(data["refreshJwt"]),
            subject=data["did"],
        )

    def expired(response: httpx.Response) -> bool:
        if response.status_code != 400:
            return False
        return bool(response.json().get("error") == "ExpiredToken")

    return SessionAuth(
        "aurora.test",
        SecretStr("app-pass-word-1234"),
        login=login,
        refresh=refresh,
        parse=parse,
        expired=expired,
        on_tokens=on_tokens,
        clock=fake_time.now,
        platform="bluesky",
    )


@respx.mock
def test_session_logs_in_once_then_refreshes_on_expiry(fake_time: Any) -> None:
    stored: list[TokenSet] = []
    login = respx.post(f"{API}/com.atproto.server.createSession").mock(
        return_value=httpx.Response(
            200,
            json={"accessJwt": "access-one-aaaa", "refreshJwt": "refresh-one-bbbb", "did": "did:x"},
        )
    )
    refresh = respx.post(f"{API}/com.atproto.server.refreshSession").mock(
        return_value=httpx.Response(
            200,
            json={"accessJwt": "access-two-cccc", "refreshJwt": "refresh-two-dddd", "did": "did:x"},
        )
    )
    seen: list[str] = []

    def profile(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer access-one-aaaa" and len(seen) > 2:
            return httpx.Response(400, json={"error": "ExpiredToken", "message": "expired"})
        return httpx.Response(200, json={"handle": "aurora.test"})

    respx.get(f"{API}/app.bsky.actor.getProfile").mock(side_effect=profile)
    auth = _session(fake_time, on_tokens=stored.append)
    driver = SyncDriver(dialect=DIALECT, auth=auth, sleep=fake_time.sleep, clock=fake_time.now)
    for _ in range(3):
        assert driver.run(_get_profile()) == {"handle": "aurora.test"}
    assert login.call_count == 1  # never log in per call
    assert refresh.call_count == 1
    assert refresh.calls[0].request.headers["Authorization"] == "Bearer refresh-one-bbbb"
    assert seen == [
        "Bearer access-one-aaaa",
        "Bearer access-one-aaaa",
        "Bearer access-one-aaaa",
        "Bearer access-two-cccc",
    ]
    assert [t.access_token.get_secret_value() for t in stored] == [
        "access-one-aaaa",
        "access-two-cccc",
    ]


@respx.mock
def test_wrong_app_password_names_the_account_and_the_fix(fake_time: Any) -> None:
    respx.post(f"{API}/com.atproto.server.createSession").mock(
        return_value=httpx.Response(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )
    )
    driver = SyncDriver(dialect=DIALECT, auth=_session(fake_time), sleep=fake_time.sleep)
    with pytest.raises(AuthenticationError) as info:
        driver.run(_get_profile())
    text = str(info.value)
    assert "aurora.test" in text and "app password" in text
    assert info.value.code == "AuthenticationRequired"
    assert "app-pass-word-1234" not in text + repr(info.value)


def test_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert code_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    made = make_code_verifier()
    assert 43 <= len(made.get_secret_value()) <= 128
    with pytest.raises(ValueError, match="43 to 128"):
        make_code_verifier(20)


FLOW = OAuth2PKCE(
    client_id="smmkit-app",
    authorize_url="https://social.test/oauth/authorize",
    token_url="https://social.test/oauth/token",
    redirect_uri="https://app.test/callback",
    scopes=("read", "write"),
    platform="mastodon",
)


def test_authorization_url_carries_pkce_and_state() -> None:
    start = FLOW.start(state="st-1")
    query = parse_qs(urlsplit(start.url).query)
    assert query["code_challenge"] == [code_challenge(start.code_verifier)]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == ["st-1"] and query["scope"] == ["read write"]
    assert start.code_verifier.get_secret_value() not in start.url


@respx.mock
def test_code_exchange_then_refresh_with_rotation_hook(fake_time: Any) -> None:
    bodies: list[dict[str, list[str]]] = []

    def token(request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode())
        bodies.append(form)
        n = len(bodies)
        return httpx.Response(
            200,
            json={
                "access_token": f"access-token-{n}xxxx",
                "refresh_token": f"refresh-token-{n}yyyy",
                "token_type": "Bearer",
                "expires_in": 3600,
            },
        )

    respx.post("https://social.test/oauth/token").mock(side_effect=token)
    start = FLOW.start()
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"), sleep=fake_time.sleep, clock=fake_time.now
    )
    tokens = driver.run(
        FLOW.exchange_code("the-code-1234", start.code_verifier, clock=fake_time.now)
    )
    assert bodies[0]["grant_type"] == ["authorization_code"]
    assert bodies[0]["code_verifier"] == [start.code_verifier.get_secret_value()]
    assert tokens.expires_at == fake_time.now() + timedelta(seconds=3600)

    rotated: list[TokenSet] = []
    authed = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        auth=FLOW.auth(tokens, account="@aurora", on_tokens=rotated.append, clock=fake_time.now),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    api = respx.get("https://social.test/api/v1/accounts/verify_credentials").mock(
        return_value=httpx.Response(200, json={"id": "1"})
    )

    def verify() -> Any:
        response = yield from send(
            httpx.Request("GET", "https://social.test/api/v1/accounts/verify_credentials")
        )
        return response.json()

    assert authed.run(verify()) == {"id": "1"}
    assert not rotated  # still valid: no refresh
    fake_time.advance(3600)
    assert authed.run(verify()) == {"id": "1"}
    assert bodies[1]["grant_type"] == ["refresh_token"]
    assert bodies[1]["refresh_token"] == ["refresh-token-1yyyy"]
    assert [t.access_token.get_secret_value() for t in rotated] == ["access-token-2xxxx"]
    assert api.calls[-1].request.headers["Authorization"] == "Bearer access-token-2xxxx"


@respx.mock
def test_expired_oauth_tokens_without_refresh_token_explain_the_fix(fake_time: Any) -> None:
    respx.get("https://social.test/api/v1/x").mock(
        return_value=httpx.Response(401, json={"error": "The access token expired"})
    )
    tokens = TokenSet(access_token=SecretStr("old-access-zzzz"))
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        auth=FLOW.auth(tokens, account="@aurora", clock=fake_time.now),
        sleep=fake_time.sleep,
    )

    def op() -> Any:
        yield from send(httpx.Request("GET", "https://social.test/api/v1/x"))

    with pytest.raises(AuthenticationError) as info:
        driver.run(op())
    assert "@aurora" in str(info.value) and "authorise the app again" in str(info.value)


@respx.mock
def test_a_token_appears_in_no_log_record_repr_or_exception(
    caplog: pytest.LogCaptureFixture, fake_time: Any
) -> None:
    token = "tok-SUPER-secret-9f8e7d6c5b4a"
    caplog.set_level(logging.DEBUG)
    respx.post("https://social.test/api/v1/statuses").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(
                401, json={"error": f"token {token} was revoked"}, headers={"X-Request-Id": "r-1"}
            ),
        ]
    )
    auth = BearerAuth(token)
    driver = SyncDriver(dialect=Dialect(platform="mastodon"), auth=auth, sleep=fake_time.sleep)

    def op() -> Any:
        request = httpx.Request(
            "POST",
            "https://social.test/api/v1/statuses",
            json={"status": "x"},
            headers={"Idempotency-Key": "k" * 10},
        )
        from smmkit.platforms import Call

        yield from send(Call(request, idempotent=True))

    with pytest.raises(PlatformError) as info:
        driver.run(op())
    logging.getLogger("smmkit.platforms.http").info("sending with Authorization: Bearer %s", token)
    get_logger("smmkit.platforms.custom").warning("payload %s", json.dumps({"access_token": token}))
    texts = [r.getMessage() for r in caplog.records]
    assert texts, "the driver logged nothing"
    assert all(token not in t for t in texts)
    assert token not in repr(auth) and token not in repr(driver)
    assert token not in str(info.value) and token not in repr(info.value)
    assert token not in (info.value.platform_message or "")
    assert info.value.request_id == "r-1"
    tokens = TokenSet(access_token=SecretStr(token))
    assert token not in repr(tokens) and token not in tokens.model_dump_json()


def test_redaction_shapes() -> None:
    assert "abc.def" not in redact("Authorization: Bearer abc.def")
    assert redact("https://x.test/cb?code=xyz123&state=s") == "https://x.test/cb?code=***&state=s"
    assert "hunter22" not in redact('{"password": "hunter22"}')
    record = logging.LogRecord(
        "smmkit", logging.INFO, __file__, 1, "token=%s", ("abcdef123",), None
    )
    RedactingFilter().filter(record)
    assert "abcdef123" not in record.getMessage()


# -- a failed login or refresh is raised as what it is ------------------------------------------
LOGIN = f"{API}/com.atproto.server.createSession"
REFRESH = f"{API}/com.atproto.server.refreshSession"
PROFILE = f"{API}/app.bsky.actor.getProfile"


def _session_answer(n: int) -> httpx.Response:
    return httpx.Response(
        200,
        json={"accessJwt": f"access-{n}-aaaa", "refreshJwt": f"refresh-{n}-bbbb", "did": "did:x"},
    )


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected"),
    [
        (
            401,
            {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            {},
            AuthenticationError,
        ),
        (
            400,
            {"error": "InvalidRequest", "message": "Invalid identifier or password"},
            {},
            AuthenticationError,
        ),
        (
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"Retry-After": "30"},
            RateLimitedError,
        ),
        (500, {"error": "InternalServerError", "message": "boom"}, {}, ServerError),
        (503, {"error": "Unavailable", "message": "down"}, {}, ServerError),
    ],
    ids=["401", "400", "429", "500", "503"],
)
@respx.mock
def test_a_failed_login_maps_through_the_status_mapping(
    fake_time: Any,
    status: int,
    body: dict[str, str],
    headers: dict[str, str],
    expected: type[PlatformError],
) -> None:
    login = respx.post(LOGIN).mock(return_value=httpx.Response(status, json=body, headers=headers))
    profile = respx.get(PROFILE).mock(return_value=httpx.Response(200, json={}))
    auth = _session(fake_time)
    driver = SyncDriver(dialect=DIALECT, auth=auth, sleep=fake_time.sleep, clock=fake_time.now)
    with pytest.raises(PlatformError) as info:
        driver.run(_get_profile())
    error = info.value
    assert type(error) is expected
    assert error.status == status and error.code == body["error"]
    assert error.platform == "bluesky" and error.platform_message == body["message"]
    text = str(error)
    assert "could not log in for account 'aurora.test'" in text
    assert "app-pass-word-1234" not in text + repr(error)
    if expected is AuthenticationError:
        assert not error.retryable
        assert error.hint is not None and "app password" in error.hint
        assert "aurora.test" in error.hint
    else:
        assert error.retryable
        assert not isinstance(error, AuthenticationError)
    if expected is RateLimitedError:
        assert isinstance(error, RateLimitedError) and error.retry_after == 30.0
    # The login answer is raised once, not hammered (logins are rate limited), and the request
    # that needed the session was never sent.
    assert login.call_count == 1 and not profile.called
    assert auth.tokens is None


@respx.mock
def test_a_login_without_an_answer_is_a_connection_error(fake_time: Any) -> None:
    login = respx.post(LOGIN).mock(side_effect=httpx.ConnectError("connection refused"))
    profile = respx.get(PROFILE).mock(return_value=httpx.Response(200, json={}))
    auth = _session(fake_time)
    driver = SyncDriver(dialect=DIALECT, auth=auth, sleep=fake_time.sleep, clock=fake_time.now)
    with pytest.raises(PlatformConnectionError) as info:
        driver.run(_get_profile())
    assert not isinstance(info.value, AuthenticationError) and info.value.retryable
    assert login.call_count == 4  # a connect error never left: retried, with backoff
    assert len(fake_time.sleeps) == 3 and not profile.called and auth.tokens is None


@pytest.mark.parametrize(
    ("status", "expected", "logins"),
    [(400, None, 1), (401, None, 1), (429, RateLimitedError, 0), (502, ServerError, 0)],
    ids=["400-login-again", "401-login-again", "429-raised", "502-raised"],
)
@respx.mock
def test_a_refused_refresh_logs_in_again_but_a_failing_one_is_raised(
    fake_time: Any, status: int, expected: type[PlatformError] | None, logins: int
) -> None:
    login = respx.post(LOGIN).mock(return_value=_session_answer(2))
    refresh = respx.post(REFRESH).mock(
        return_value=httpx.Response(
            status,
            json={"error": "ExpiredToken" if status < 429 else "Busy", "message": "no"},
            headers={"Retry-After": "7"} if status == 429 else {},
        )
    )
    profile = respx.get(PROFILE).mock(return_value=httpx.Response(200, json={"ok": True}))
    stale = TokenSet(
        access_token=SecretStr("access-1-aaaa"),
        refresh_token=SecretStr("refresh-1-bbbb"),
        expires_at=fake_time.now() - timedelta(minutes=1),
    )
    auth = SessionAuth(
        "aurora.test",
        "app-pass-word-1234",
        tokens=stale,
        platform="bluesky",
        login=lambda identifier, password: httpx.Request("POST", LOGIN),
        refresh=lambda t: httpx.Request("POST", REFRESH),
        parse=lambda r, prev: TokenSet(
            access_token=SecretStr(r.json()["accessJwt"]),
            refresh_token=SecretStr(r.json()["refreshJwt"]),
        ),
        clock=fake_time.now,
    )
    driver = SyncDriver(dialect=DIALECT, auth=auth, sleep=fake_time.sleep, clock=fake_time.now)
    if expected is None:
        assert driver.run(_get_profile()) == {"ok": True}
        assert profile.calls[0].request.headers["Authorization"] == "Bearer access-2-aaaa"
    else:
        with pytest.raises(expected) as info:
            driver.run(_get_profile())
        assert info.value.status == status and info.value.retryable
        assert "could not refresh the session for account 'aurora.test'" in str(info.value)
        if expected is RateLimitedError:
            assert isinstance(info.value, RateLimitedError) and info.value.retry_after == 7.0
        assert not profile.called and auth.tokens is stale
    assert refresh.call_count == 1 and login.call_count == logins


@respx.mock
def test_an_oauth_refresh_refused_or_failing_says_which(fake_time: Any) -> None:
    token = respx.post("https://social.test/oauth/token")
    api = respx.get("https://social.test/api/v1/x").mock(return_value=httpx.Response(200, json={}))
    expired = TokenSet(
        access_token=SecretStr("old-access-zzzz"),
        refresh_token=SecretStr("old-refresh-zzzz"),
        expires_at=fake_time.now() - timedelta(seconds=1),
    )

    def op() -> Any:
        yield from send(httpx.Request("GET", "https://social.test/api/v1/x"))

    def run() -> None:
        auth = FLOW.auth(expired, account="@aurora", clock=fake_time.now)
        SyncDriver(
            dialect=Dialect(platform="mastodon"),
            auth=auth,
            sleep=fake_time.sleep,
            clock=fake_time.now,
        ).run(op())

    token.respond(
        400, json={"error": "invalid_grant", "error_description": "The refresh token is invalid."}
    )
    with pytest.raises(AuthenticationError) as refused:
        run()
    assert refused.value.code == "invalid_grant" and "@aurora" in str(refused.value)
    assert "authorise the app again" in str(refused.value)
    token.respond(503, json={"error": "unavailable"})
    with pytest.raises(ServerError) as failing:
        run()
    assert failing.value.retryable and "@aurora" in str(failing.value)
    assert not api.called


# -- forcing a refresh ------------------------------------------------------------------------
@respx.mock
def test_expire_access_token_makes_the_next_request_refresh(fake_time: Any) -> None:
    login = respx.post(LOGIN).mock(return_value=_session_answer(1))
    refresh = respx.post(REFRESH).mock(return_value=_session_answer(2))
    profile = respx.get(PROFILE).mock(return_value=httpx.Response(200, json={"ok": True}))
    stored: list[TokenSet] = []
    auth = _session(fake_time, on_tokens=stored.append)
    auth.expire_access_token()  # no session yet: nothing to expire, nothing sent
    assert auth.tokens is None and not login.called
    driver = SyncDriver(dialect=DIALECT, auth=auth, sleep=fake_time.sleep, clock=fake_time.now)
    driver.run(_get_profile())
    auth.expire_access_token()
    assert not refresh.called  # lazy: the refresh happens inside the next request
    tokens = auth.tokens
    assert tokens is not None and tokens.expired(fake_time.now())
    assert tokens.access_token.get_secret_value() == "access-1-aaaa"

    async def main() -> None:  # the async driver runs the very same auth flow
        async_driver = AsyncDriver(
            dialect=DIALECT, auth=auth, sleep=fake_time.asleep, clock=fake_time.now
        )
        await async_driver.run(_get_profile())
        await async_driver.aclose()

    asyncio.run(main())
    driver.run(_get_profile())
    assert login.call_count == 1 and refresh.call_count == 1
    assert refresh.calls[0].request.headers["Authorization"] == "Bearer refresh-1-bbbb"
    assert [c.request.headers["Authorization"] for c in profile.calls] == [
        "Bearer access-1-aaaa",
        "Bearer access-2-aaaa",
        "Bearer access-2-aaaa",
    ]
    assert [t.access_token.get_secret_value() for t in stored] == ["access-1-aaaa", "access-2-aaaa"]
