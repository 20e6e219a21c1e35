"""The network edge, attacked: credentials only to their origin, single-flight refresh, malformed
replies, redaction on every logger, retry decisions, pacing under concurrency, misuse.

Each test reproduces an attack or a failure seen in review (issue 10) and now passes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smmkit.errors import (
    ContentRuleError,
    PlatformError,
    SmmkitError,
    ValidationError,
)
from smmkit.models import (
    GrammaticalPerson,
    MediaAsset,
    Platform,
    Register,
    Variant,
    VoiceProfile,
)
from smmkit.platforms import (
    AsyncDriver,
    ClientOptions,
    Dialect,
    PublishedPost,
    RateLimiter,
    RateLimitPolicy,
    RetryPolicy,
    SessionAuth,
    SyncDriver,
    TokenSet,
    send,
)
from smmkit.platforms._auth import TokenCallbackError
from smmkit.platforms._core import Call
from smmkit.platforms._media import MediaFetchError, check_kind, sniff
from smmkit.platforms._ratelimit import parse_rate_limit_headers
from smmkit.platforms._redact import RETIRED_KEPT, live_secret_count, redact
from smmkit.platforms.bluesky import BlueskyClient, jwt_expiry
from smmkit.platforms.mastodon import MastodonClient, honours_idempotency_key, status_text

BASE = "https://social.test"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# -- a second, real origin on loopback ---------------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]]
    body: bytes = PNG
    extra_headers: dict[str, str]

    def do_GET(self) -> None:
        self.seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
        self.send_response(200)
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, type[_Recorder]]]:
    handler = type("Handler", (_Recorder,), {"seen": [], "extra_headers": {}, "body": PNG})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def _variant(text: str, **kwargs: Any) -> Variant:
    return Variant(channel="mastodon", platform="mastodon", text=text, **kwargs)


# -- 2. credentials go only to their origin ------------------------------------------------------
def test_no_authorization_reaches_a_media_host_on_another_origin(
    mastodon_server: Any, fake_time: Any, loopback: tuple[str, type[_Recorder]]
) -> None:
    origin, handler = loopback
    server = mastodon_server(media_processing_polls=0)
    client = MastodonClient(
        BASE,
        token="tok-origin-check-1",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    asset = MediaAsset(kind="image", url=f"{origin}/pane.png", mime_type="image/png")
    client.publish(_variant("Foto dal forno", media=(asset,)))
    client.close()
    assert len(handler.seen) == 1
    assert "authorization" not in handler.seen[0] and "cookie" not in handler.seen[0]
    upload = next(r for r in server.requests if r.url.path == "/api/v2/media")
    assert PNG in upload.content and upload.headers["Authorization"].startswith("Bearer ")


def test_media_bytes_are_checked_by_magic_not_by_name(
    mastodon_server: Any, fake_time: Any, loopback: tuple[str, type[_Recorder]]
) -> None:
    origin, handler = loopback
    handler.body = b"<html><script>alert(1)</script></html>"
    server = mastodon_server(media_processing_polls=0)
    client = MastodonClient(
        BASE,
        token="tok-origin-check-2",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    asset = MediaAsset(kind="image", url=f"{origin}/photo.png", mime_type="image/png")
    with pytest.raises(ValidationError) as info:
        client.publish(_variant("Foto", media=(asset,)))
    assert "not the declared image/png" in str(info.value)
    assert not any(r.url.path == "/api/v2/media" for r in server.requests)


def test_media_over_the_size_limit_is_refused(loopback: tuple[str, type[_Recorder]]) -> None:
    from smmkit.platforms._media import fetch_sync

    origin, handler = loopback
    handler.body = PNG + b"\x00" * 5000
    with httpx.Client() as http, pytest.raises(MediaFetchError) as info:
        fetch_sync(
            http, f"{origin}/big.png", kind="image/png", max_bytes=1000, timeout=5, field="m"
        )
    assert "1000 bytes" in str(info.value)


def test_sniffing_knows_the_common_kinds() -> None:
    assert sniff(PNG) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0" + b"0" * 10) == "image/jpeg"
    assert sniff(b"GIF89a....") == "image/gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"\x00\x00\x00\x18ftypmp42") == "video/mp4"
    assert sniff(b"\x00\x00\x00\x18ftypheic") == "image/heic"
    assert check_kind(b"\x00\x00\x00\x18ftypqt  ", "video/mp4") == "video/quicktime"
    with pytest.raises(ValidationError):
        check_kind(b"\xff\xd8\xff\xe0", "video/mp4")


def test_a_link_header_to_another_origin_is_refused(
    mastodon_server: Any, fake_time: Any, loopback: tuple[str, type[_Recorder]]
) -> None:
    origin, handler = loopback
    server = mastodon_server()

    def transport(request: httpx.Request) -> httpx.Response:
        response: httpx.Response = server(request)
        if request.url.path == "/api/v1/notifications":
            response.headers["Link"] = f'<{origin}/api/v1/notifications?max_id=1>; rel="next"'
        return response

    client = MastodonClient(
        BASE,
        token="tok-link-check-3",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(transport)),
    )
    with pytest.raises(PlatformError) as info:
        list(client.mentions(limit=100))
    assert "another origin" in str(info.value)
    with pytest.raises(ValidationError):
        client.run(client.core.mentions(f"{origin}/api/v1/notifications"))
    assert handler.seen == []


@pytest.mark.parametrize(
    "url", ["https://user:hunter22@social.test", "ftp://social.test", "https://social.test?x=1"]
)
def test_a_base_url_with_credentials_or_oddities_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        MastodonClient(url, token="tok-base-check-4")
    assert "hunter22" not in str(info.value)


# -- 3. one refresh at a time --------------------------------------------------------------------
class SingleUseSessions:
    """A PDS-like server with single-use refresh tokens; counts logins and refreshes.

    Requests with the old access token are held until ``hold`` of them arrived, so that every
    caller meets the expired token at once."""

    def __init__(self, hold: int) -> None:
        self.lock = threading.Lock()
        self.hold = hold
        self.arrived = 0
        self.released = threading.Event()
        self.logins = 0
        self.refreshes = 0
        self.refresh_tokens = {"refresh-0-xxxx"}
        self.access = "access-0-xxxx"
        self.generation = 0
        self.timeouts: list[Any] = []

    def route(self, request: httpx.Request) -> tuple[str, Any]:
        path = request.url.path
        if path.endswith("createSession"):
            self.timeouts.append(request.extensions.get("timeout"))
            with self.lock:
                self.logins += 1
                return "ok", self._issue()
        if path.endswith("refreshSession"):
            self.timeouts.append(request.extensions.get("timeout"))
            token = request.headers["Authorization"].removeprefix("Bearer ")
            with self.lock:
                if token not in self.refresh_tokens:
                    return "refused", None
                self.refresh_tokens.discard(token)
                self.refreshes += 1
                return "ok", self._issue()
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            current = token == self.access
        return ("ok", {"ok": True}) if current else ("expired", None)

    def _issue(self) -> dict[str, str]:
        self.generation += 1
        self.access = f"access-{self.generation}-xxxx"
        refresh = f"refresh-{self.generation}-xxxx"
        self.refresh_tokens = {refresh}
        return {"accessJwt": self.access, "refreshJwt": refresh, "did": "did:plc:x"}

    @staticmethod
    def answer(kind: str, data: Any) -> httpx.Response:
        if kind == "ok":
            return httpx.Response(200, json=data)
        if kind == "refused":
            return httpx.Response(400, json={"error": "ExpiredToken", "message": "used"})
        return httpx.Response(400, json={"error": "ExpiredToken", "message": "expired"})

    def sync_handler(self, request: httpx.Request) -> httpx.Response:
        kind, data = self.route(request)
        if kind == "expired":
            with self.lock:
                self.arrived += 1
                if self.arrived >= self.hold:
                    self.released.set()
            self.released.wait(timeout=30)
        return self.answer(kind, data)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        kind, data = self.route(request)
        if kind == "expired":
            self.arrived += 1
            if self.arrived >= self.hold:
                self.released.set()
            while not self.released.is_set():
                await asyncio.sleep(0)
        return self.answer(kind, data)


# The fake holds the stale-token requests until all arrived; under 'pace' the first request on
# an unknown budget goes out alone (a probe), which would wait for the held one forever.
NO_PROBE = ClientOptions(rate_limit_policy=RateLimitPolicy.WAIT)


def _session_auth(stored: list[TokenSet], fail_store: bool = False) -> SessionAuth:
    def on_tokens(tokens: TokenSet) -> None:
        stored.append(tokens)
        if fail_store:
            raise OSError("disk full")

    def parse(response: httpx.Response, previous: TokenSet | None) -> TokenSet:
        data = response.json()
        return TokenSet(
            access_token=SecretStr(data["accessJwt"]),
            refresh_token=SecretStr(data["refreshJwt"]),
            subject=data["did"],
        )

    def expired(response: httpx.Response) -> bool:
        return response.status_code == 400 and b"ExpiredToken" in response.read()

    return SessionAuth(
        "forno.test",
        "app-pass-word-5678",
        login=lambda i, p: httpx.Request("POST", "https://pds.test/xrpc/createSession"),
        refresh=lambda t: httpx.Request(
            "POST",
            "https://pds.test/xrpc/refreshSession",
            headers={"Authorization": f"Bearer {t.refresh_token.get_secret_value()}"}
            if t.refresh_token
            else {},
        ),
        parse=parse,
        expired=expired,
        tokens=TokenSet(
            access_token=SecretStr("access-stale-xxxx"),
            refresh_token=SecretStr("refresh-0-xxxx"),
        ),
        on_tokens=on_tokens,
        platform="bluesky",
    )


def _profile() -> Any:
    response = yield from send(httpx.Request("GET", "https://pds.test/xrpc/getProfile"))
    return response.json()


def test_four_threads_on_an_expired_session_refresh_exactly_once() -> None:
    server = SingleUseSessions(hold=4)
    stored: list[TokenSet] = []
    auth = _session_auth(stored)
    driver = SyncDriver(
        dialect=Dialect(platform="bluesky"),
        auth=auth,
        http_client=httpx.Client(transport=httpx.MockTransport(server.sync_handler)),
        sleep=lambda s: None,
        options=NO_PROBE,
    )
    results: list[Any] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(driver.run(_profile()))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and results == [{"ok": True}] * 4
    assert (server.refreshes, server.logins) == (1, 0)
    assert [t.access_token.get_secret_value() for t in stored] == ["access-1-xxxx"]
    assert all(t is not None and t.get("read") for t in server.timeouts)  # a timeout is set


def test_four_tasks_on_an_expired_session_refresh_exactly_once() -> None:
    server = SingleUseSessions(hold=4)
    stored: list[TokenSet] = []
    auth = _session_auth(stored)

    async def main() -> list[Any]:
        driver = AsyncDriver(
            dialect=Dialect(platform="bluesky"),
            auth=auth,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)),
            options=NO_PROBE,
        )
        try:
            return list(await asyncio.gather(*(driver.run(_profile()) for _ in range(4))))
        finally:
            await driver.aclose()

    assert asyncio.run(main()) == [{"ok": True}] * 4
    assert (server.refreshes, server.logins) == (1, 0)
    assert len(stored) == 1


def test_on_tokens_raising_is_a_smmkit_error_and_the_tokens_stay_usable() -> None:
    server = SingleUseSessions(hold=1)
    stored: list[TokenSet] = []
    auth = _session_auth(stored, fail_store=True)
    driver = SyncDriver(
        dialect=Dialect(platform="bluesky"),
        auth=auth,
        http_client=httpx.Client(transport=httpx.MockTransport(server.sync_handler)),
        sleep=lambda s: None,
    )
    with pytest.raises(TokenCallbackError) as info:
        driver.run(_profile())
    assert "disk full" not in str(info.value) and "access-1" not in str(info.value)
    assert auth.tokens is not None and auth.tokens.access_token.get_secret_value() == (
        "access-1-xxxx"
    )
    assert driver.run(_profile()) == {"ok": True}
    assert server.refreshes == 1 and len(stored) == 1


# -- 4. sessions survive a restart ---------------------------------------------------------------
def test_tokens_round_trip_through_storage_and_the_mask_is_refused() -> None:
    tokens = TokenSet(
        access_token=SecretStr("access-store-1234"),
        refresh_token=SecretStr("refresh-store-1234"),
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        subject="did:plc:x",
    )
    stored = json.loads(json.dumps(tokens.to_storage()))
    assert TokenSet.from_storage(stored) == tokens
    with pytest.raises(ValueError, match="to_storage"):
        TokenSet.model_validate_json(tokens.model_dump_json())
    with pytest.raises(ValidationError, match="masked placeholder"):
        TokenSet.from_storage({**stored, "access_token": "**********"})
    with pytest.raises(ValidationError, match="version"):
        TokenSet.from_storage({"access_token": "x"})


def test_bluesky_env_credentials_are_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORNO_APP_PASSWORD", "real-app-password-9")
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.read())
        return httpx.Response(
            200, json={"accessJwt": "a.b.c", "refreshJwt": "d.e.f", "did": "did:plc:x"}
        )

    client = BlueskyClient(
        "forno.test",
        "env:FORNO_APP_PASSWORD",
        base_url="https://pds.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.login()
    assert b"real-app-password-9" in seen[0] and b"env:" not in seen[0]
    with pytest.raises(ValidationError, match="NOT_SET_ANYWHERE"):
        BlueskyClient("forno.test", "env:NOT_SET_ANYWHERE", base_url="https://pds.test")


# -- 5. every reply parsed safely ----------------------------------------------------------------
def _chain(error: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args)]
        parts += list(getattr(current, "__notes__", []))
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


def test_malformed_json_after_a_create_is_reconciled_not_raw(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server()
    broken = {"left": 1}

    def transport(request: httpx.Request) -> httpx.Response:
        response: httpx.Response = server(request)
        if request.url.path == "/api/v1/statuses" and broken["left"]:
            broken["left"] -= 1
            return httpx.Response(200, content=b'{"id": "tok-mal-777", ')
        return response

    client = MastodonClient(
        BASE,
        token="tok-mal-777-secret",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(transport)),
    )
    post = client.publish(_variant("Pane caldo alle 7"))
    assert post.reconciled and len(server.statuses) == 1


@pytest.mark.parametrize(
    "body",
    [b"not json at all", b"[1, 2, 3]", b'{"id": null, "url": 5}', b'"a string"', b"{}"],
    ids=["garbage", "list", "wrong-types", "string", "empty"],
)
def test_a_malformed_reply_is_a_platform_error_with_no_token(body: bytes, fake_time: Any) -> None:
    def transport(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    client = MastodonClient(
        BASE,
        token="tok-secret-reply-1",
        fetch_instance=False,
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(transport)),
        options=ClientOptions(retry=RetryPolicy(max_attempts=1)),
    )
    for call in (client.get_account_metrics, lambda: client.publish(_variant("Ciao"))):
        with pytest.raises(PlatformError) as info:
            call()
        assert "tok-secret-reply-1" not in _chain(info.value)


def test_huge_numbers_from_servers_never_overflow() -> None:
    now = datetime(2026, 11, 26, tzinfo=UTC)
    # a JWT whose exp is 1e20
    import base64

    payload = base64.urlsafe_b64encode(json.dumps({"exp": 1e20}).encode()).decode().rstrip("=")
    assert jwt_expiry(f"h.{payload}.s") is None
    tokens = TokenSet.from_oauth({"access_token": "abc-123456", "expires_in": 1e30}, now)
    assert tokens.expires_at is not None and tokens.expires_at.year <= now.year + 11
    tokens = TokenSet.from_oauth({"access_token": "abc-123456", "expires_in": "nan"}, now)
    assert tokens.expires_at is None
    for headers in (
        {"x-ratelimit-limit": "1e400", "x-ratelimit-remaining": "1e400"},
        {"x-ratelimit-reset": "9999-12-31T23:59:59Z", "x-ratelimit-remaining": "0"},
        {"x-ratelimit-reset": "1e400"},
        {"x-ratelimit-reset": "99999999999999999999"},
    ):
        parse_rate_limit_headers(httpx.Headers(headers), now)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Limit": "1e400", "X-RateLimit-Remaining": "1e400"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999-12-31T23:59:59Z"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1e400"},
        {"Retry-After": "1e400"},
    ],
)
def test_absurd_rate_limit_headers_are_smmkit_errors_or_ignored(
    headers: dict[str, str], fake_time: Any
) -> None:
    def transport(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": "1", "followers_count": 1}, headers=headers)

    client = MastodonClient(
        BASE,
        token="tok-absurd-headers",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(transport)),
    )
    errors: list[SmmkitError] = []
    for _ in range(3):
        try:
            client.get_account_metrics()
        except SmmkitError as error:
            errors.append(error)
    assert all("tok-absurd-headers" not in _chain(error) for error in errors)


# -- 6. redaction that covers everything ---------------------------------------------------------
def test_no_log_record_on_any_logger_holds_a_token_password_or_cookie(
    loopback: tuple[str, type[_Recorder]],
) -> None:
    origin, handler = loopback
    token = "tok-echoed-by-server-9876"
    handler.extra_headers = {
        "X-Echo-Authorization": f"Bearer {token}",
        "Set-Cookie": "session=cookie-value-abcdef; Path=/; HttpOnly",
    }
    handler.body = json.dumps({"id": "42", "followers_count": 3}).encode()
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    names = ["httpx", "httpcore", "httpcore.http11", "httpcore.connection", "smmkit"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        client = MastodonClient(origin, token=token, fetch_instance=False)
        client.get_account_metrics()
        client.close()
    finally:
        root.removeHandler(keep)
        root.setLevel(old_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert any(r.name.startswith("httpcore") for r in records)  # the real transport logged
    text = "\n".join(r.getMessage() for r in records)
    assert token not in text and "cookie-value-abcdef" not in text


def test_the_secret_registry_is_bounded_after_many_rotations() -> None:
    before = live_secret_count()
    for i in range(1000):
        tokens = TokenSet(
            access_token=SecretStr(f"rotating-access-{i:06d}"),
            refresh_token=SecretStr(f"rotating-refresh-{i:06d}"),
        )
        tokens.release()
    assert live_secret_count() <= before + RETIRED_KEPT
    assert redact("rotating-access-000999") == "***"  # the latest retired ones still redacted


# -- 7. retry decisions --------------------------------------------------------------------------
def test_a_502_with_budget_left_backs_off_briefly(fake_time: Any) -> None:
    reset = (fake_time.now() + timedelta(seconds=55)).isoformat().replace("+00:00", "Z")
    answers = [
        httpx.Response(
            502,
            headers={
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": "299",
                "X-RateLimit-Reset": reset,
            },
        ),
        httpx.Response(200, json={"ok": True}),
    ]
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: answers.pop(0))),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        jitter=lambda: 0.0,
    )

    def get() -> Any:
        response = yield from send(httpx.Request("GET", f"{BASE}/api/v1/x"))
        return response.json()

    assert driver.run(get()) == {"ok": True}
    assert fake_time.sleeps and max(fake_time.sleeps) < 5


def test_the_idempotency_key_is_trusted_only_for_mastodon_itself() -> None:
    assert honours_idempotency_key({"version": "4.3.0"})
    assert honours_idempotency_key({"version": "4.2.10+glitch"})
    assert not honours_idempotency_key({"version": "2.7.2 (compatible; Pleroma 2.5.0)"})
    assert not honours_idempotency_key({"version": "0.17.3 git-8e2e4a6"})
    assert not honours_idempotency_key(None)


def test_500_faulted_publishes_to_a_server_ignoring_the_key_land_exactly_once(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server(
        fault_rate=0.2, seed=4242, honour_idempotency=False, version="0.17.3 git-8e2e4a6"
    )
    client = MastodonClient(
        BASE,
        token="tok-ignores-key-1",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    variants = [_variant(f"Sfornata {i}: pane caldo alle 7!") for i in range(500)]
    results: dict[str, PublishedPost] = {}
    for variant in variants:
        for _ in range(20):
            try:
                results[variant.publish_key] = client.publish(variant)
                break
            except PlatformError:
                continue
    texts = Counter(status_text(s["content"]) for s in server.statuses.values())
    assert len(results) == 500
    assert len(server.statuses) == 500 and all(texts[v.text] == 1 for v in variants)
    assert sum(server.faults.values()) > 50


# -- 8. pace holds under concurrency ---------------------------------------------------------------
class FixedWindow:
    """A thread-safe server allowing ``limit`` requests per ``window`` seconds of real time."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.lock = threading.Lock()
        self.start = datetime.now(UTC)
        self.counts: Counter[int] = Counter()
        self.too_many = 0
        self.served = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            now = datetime.now(UTC)
            index = int((now - self.start).total_seconds() // self.window)
            reset = self.start + timedelta(seconds=(index + 1) * self.window)
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
            }
            if self.counts[index] >= self.limit:
                self.too_many += 1
                return httpx.Response(429, headers={**headers, "X-RateLimit-Remaining": "0"})
            self.counts[index] += 1
            self.served += 1
            remaining = self.limit - self.counts[index]
        return httpx.Response(
            200, json={"ok": True}, headers={**headers, "X-RateLimit-Remaining": str(remaining)}
        )


def _get() -> Any:
    response = yield from send(Call(httpx.Request("GET", f"{BASE}/api/v1/x")))
    return response.json()


def test_four_threads_sharing_a_limiter_never_get_a_429() -> None:
    server = FixedWindow(limit=5, window=1.0)
    limiter = RateLimiter()
    http = httpx.Client(transport=httpx.MockTransport(server))
    driver = SyncDriver(dialect=Dialect(platform="mastodon"), http_client=http, limiter=limiter)

    def worker() -> None:
        for _ in range(5):
            driver.run(_get())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert server.served == 20 and server.too_many == 0


def test_four_tasks_sharing_a_limiter_never_get_a_429() -> None:
    server = FixedWindow(limit=5, window=1.0)
    limiter = RateLimiter()

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        driver = AsyncDriver(
            dialect=Dialect(platform="mastodon"), http_client=http, limiter=limiter
        )

        async def worker() -> None:
            for _ in range(5):
                await driver.run(_get())

        await asyncio.gather(*(worker() for _ in range(4)))
        await http.aclose()

    asyncio.run(main())
    assert server.served == 20 and server.too_many == 0


# -- 9. misuse refused ---------------------------------------------------------------------------
def test_a_variant_for_another_channel_is_refused(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    client = MastodonClient(
        BASE,
        token="tok-misuse-5",
        channel="mastodon",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    wrong = Variant(channel="mastodon-other", platform="mastodon", text="Ciao")
    with pytest.raises(ValidationError, match="mastodon-other"):
        client.publish(wrong)
    assert not server.statuses


def test_reply_checks_limits_and_voice(mastodon_server: Any, fake_time: Any) -> None:
    from smmkit.platforms import Comment

    server = mastodon_server()
    client = MastodonClient(
        BASE,
        token="tok-misuse-6",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    comment = Comment(
        platform=Platform.MASTODON,
        comment_id="1",
        post_id="1",
        author="cliente",
        text="A che ora aprite?",
        created_at=fake_time.now(),
    )
    with pytest.raises(ContentRuleError):
        client.reply(comment, "x" * 5000)
    client.use_voice(
        VoiceProfile(register=Register.INFORMAL, address={"it": GrammaticalPerson.TU}), "it-IT"
    )
    with pytest.raises(ContentRuleError, match="voice"):
        client.reply(comment, "Buongiorno, Lei può venire quando desidera.")
    assert not server.statuses


def test_async_pace_progresses_with_a_fake_sleep_that_never_yields(fake_time: Any) -> None:
    """The probe on an unknown budget must not starve the other tasks when the injected sleep
    only moves a fake clock (it never yields to the event loop)."""
    served: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)  # the server answers later: the other tasks ask meanwhile
        served.append(1)
        return httpx.Response(
            200,
            json={"ok": True},
            headers={"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": str(99 - len(served))},
        )

    async def main() -> list[Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        driver = AsyncDriver(
            dialect=Dialect(platform="mastodon"),
            http_client=http,
            sleep=fake_time.asleep,
            clock=fake_time.now,
            limiter=RateLimiter(clock=fake_time.now),
        )
        try:
            return list(
                await asyncio.wait_for(asyncio.gather(*(driver.run(_get()) for _ in range(8))), 30)
            )
        finally:
            await http.aclose()

    assert asyncio.run(main()) == [{"ok": True}] * 8
