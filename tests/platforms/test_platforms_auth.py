"""Auth: bearer, app-password sessions with refresh, OAuth 2 with PKCE; and secret redaction."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from pydantic import SecretStr

from smmkit.errors import AuthenticationError, PlatformError
from smmkit.platforms import (
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
        return httpx.Request("POST", f"{API}/com.atproto.server.createSession", json={
            "identifier": identifier, "password": password.get_secret_value()})

    def refresh(tokens: TokenSet) -> httpx.Request | None:
        if tokens.refresh_token is None:
            return None
        return httpx.Request("POST", f"{API}/com.atproto.server.refreshSession", headers={
            "Authorization": f"Bearer {tokens.refresh_token.get_secret_value()}"})

    def parse(response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        data = response.json()
        return TokenSet(access_token=SecretStr(data["accessJwt"]),
                        refresh_token=SecretStr(data["refreshJwt"]), subject=data["did"])

    def expired(response: httpx.Response) -> bool:
        if response.status_code != 400:
            return False
        return bool(response.json().get("error") == "ExpiredToken")

    return SessionAuth("aurora.test", SecretStr("app-pass-word-1234"), login=login,
                       refresh=refresh, parse=parse, expired=expired, on_tokens=on_tokens,
                       clock=fake_time.now, platform="bluesky")


@respx.mock
def test_session_logs_in_once_then_refreshes_on_expiry(fake_time: Any) -> None:
    stored: list[TokenSet] = []
    login = respx.post(f"{API}/com.atproto.server.createSession").mock(
        return_value=httpx.Response(200, json={"accessJwt": "access-one-aaaa",
                                               "refreshJwt": "refresh-one-bbbb", "did": "did:x"}))
    refresh = respx.post(f"{API}/com.atproto.server.refreshSession").mock(
        return_value=httpx.Response(200, json={"accessJwt": "access-two-cccc",
                                               "refreshJwt": "refresh-two-dddd", "did": "did:x"}))
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
    assert seen == ["Bearer access-one-aaaa", "Bearer access-one-aaaa",
                    "Bearer access-one-aaaa", "Bearer access-two-cccc"]
    assert [t.access_token.get_secret_value() for t in stored] == [
        "access-one-aaaa", "access-two-cccc"]


@respx.mock
def test_wrong_app_password_names_the_account_and_the_fix(fake_time: Any) -> None:
    respx.post(f"{API}/com.atproto.server.createSession").mock(return_value=httpx.Response(
        401, json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}))
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


FLOW = OAuth2PKCE(client_id="smmkit-app", authorize_url="https://social.test/oauth/authorize",
                  token_url="https://social.test/oauth/token",
                  redirect_uri="https://app.test/callback", scopes=("read", "write"),
                  platform="mastodon")


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
        return httpx.Response(200, json={"access_token": f"access-token-{n}xxxx",
                                         "refresh_token": f"refresh-token-{n}yyyy",
                                         "token_type": "Bearer", "expires_in": 3600})

    respx.post("https://social.test/oauth/token").mock(side_effect=token)
    start = FLOW.start()
    driver = SyncDriver(dialect=Dialect(platform="mastodon"), sleep=fake_time.sleep,
                        clock=fake_time.now)
    tokens = driver.run(FLOW.exchange_code("the-code-1234", start.code_verifier,
                                           clock=fake_time.now))
    assert bodies[0]["grant_type"] == ["authorization_code"]
    assert bodies[0]["code_verifier"] == [start.code_verifier.get_secret_value()]
    assert tokens.expires_at == fake_time.now() + timedelta(seconds=3600)

    rotated: list[TokenSet] = []
    authed = SyncDriver(dialect=Dialect(platform="mastodon"),
                        auth=FLOW.auth(tokens, account="@aurora", on_tokens=rotated.append,
                                       clock=fake_time.now),
                        sleep=fake_time.sleep, clock=fake_time.now)
    api = respx.get("https://social.test/api/v1/accounts/verify_credentials").mock(
        return_value=httpx.Response(200, json={"id": "1"}))

    def verify() -> Any:
        response = yield from send(
            httpx.Request("GET", "https://social.test/api/v1/accounts/verify_credentials"))
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
    respx.get("https://social.test/api/v1/x").mock(return_value=httpx.Response(
        401, json={"error": "The access token expired"}))
    tokens = TokenSet(access_token=SecretStr("old-access-zzzz"))
    driver = SyncDriver(dialect=Dialect(platform="mastodon"),
                        auth=FLOW.auth(tokens, account="@aurora", clock=fake_time.now),
                        sleep=fake_time.sleep)

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
    respx.post("https://social.test/api/v1/statuses").mock(side_effect=[
        httpx.Response(502), httpx.Response(
            401, json={"error": f"token {token} was revoked"}, headers={"X-Request-Id": "r-1"}),
    ])
    auth = BearerAuth(token)
    driver = SyncDriver(dialect=Dialect(platform="mastodon"), auth=auth, sleep=fake_time.sleep)

    def op() -> Any:
        request = httpx.Request("POST", "https://social.test/api/v1/statuses",
                                json={"status": "x"}, headers={"Idempotency-Key": "k" * 10})
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
    record = logging.LogRecord("smmkit", logging.INFO, __file__, 1, "token=%s", ("abcdef123",),
                               None)
    RedactingFilter().filter(record)
    assert "abcdef123" not in record.getMessage()
