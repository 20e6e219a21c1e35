"""Unit tests of the Bluesky client (HTTP mocked with respx or the fake PDS transport)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

import smmkit.platforms.bluesky as bluesky
from smmkit.content import Violation
from smmkit.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContentRuleError,
    NotFoundError,
    PlatformError,
    RateLimitedError,
    ServerError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import Cadence, Channel, MediaAsset, MediaKind, Platform, Variant
from smmkit.platforms import (
    AsyncPlatformClient,
    Capability,
    ClientOptions,
    Comment,
    PlatformClient,
    PostMarker,
    RateLimitKey,
    RateLimitPolicy,
    RetryPolicy,
    TokenSet,
    client_for,
)
from smmkit.platforms.bluesky import (
    AtUri,
    BlueskyClient,
    jwt_expiry,
    rkey_for,
    tid_timestamp,
)

BASE = "https://pds.example"
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # the tests' clock: sessions expire in 2030
DID = "did:plc:fornoaurora00000000000"


def _violations(error: ContentRuleError) -> list[Violation]:
    """The error's violations, checked to be :class:`smmkit.content.Violation` objects."""
    found = [v for v in error.violations if isinstance(v, Violation)]
    assert len(found) == len(error.violations), error.violations
    return found


def _variant(text: str = "Pane caldo #forno", **kwargs: Any) -> Variant:
    return Variant(channel="forno-bsky", platform=Platform.BLUESKY, text=text, **kwargs)


def _session_json(n: int = 1, exp: datetime | None = None) -> dict[str, object]:
    import base64

    def b64(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    moment = exp or datetime(2030, 1, 1, tzinfo=UTC)
    access = f"{b64({'alg': 'HS256'})}.{b64({'exp': int(moment.timestamp()), 'n': n})}.sig{n}"
    return {
        "accessJwt": access,
        "refreshJwt": f"refresh-token-{n}-abcdef",
        "did": DID,
        "handle": "forno.test",
    }


def test_public_api_is_pinned() -> None:
    assert sorted(bluesky.__all__) == [
        "AsyncBlueskyClient",
        "AtUri",
        "BlueskyClient",
        "BlueskyCore",
        "BlueskyRecord",
        "BlueskySessionAuth",
        "DEFAULT_SERVICE",
        "LinkCard",
        "MAX_IMAGE_BYTES",
        "PLUGIN",
        "StrongRef",
        "bluesky_dialect",
        "jwt_expiry",
        "read_media",
        "rkey_for",
        "tid_timestamp",
    ]
    for name in bluesky.__all__:
        assert getattr(bluesky, name) is not None


# -- record keys -------------------------------------------------------------------------------
@settings(max_examples=200)
@given(key=st.text(min_size=8, max_size=64), part=st.integers(0, 50))
def test_rkey_is_a_deterministic_past_tid(key: str, part: int) -> None:
    rkey = rkey_for(key, part)
    assert rkey == rkey_for(key, part)
    assert len(rkey) == 13 and rkey[0] in "234567abcdefghij"
    moment = tid_timestamp(rkey)
    assert datetime(2020, 1, 1, tzinfo=UTC) <= moment < datetime(2024, 6, 30, tzinfo=UTC)
    assert rkey != rkey_for(key, part + 1)


def test_rkey_refuses_short_keys_and_parses_uris() -> None:
    with pytest.raises(ValidationError, match="publish_key"):
        rkey_for("short")
    uri = AtUri.parse(f"at://{DID}/app.bsky.feed.post/3jd2lkvdibajw")
    assert (uri.repo, uri.collection, uri.rkey) == (DID, "app.bsky.feed.post", "3jd2lkvdibajw")
    assert str(uri) == f"at://{DID}/app.bsky.feed.post/3jd2lkvdibajw"
    with pytest.raises(ValidationError, match="AT URI"):
        AtUri.parse("https://bsky.app/profile/x/post/y")
    assert jwt_expiry("not-a-jwt") is None


# -- sessions ----------------------------------------------------------------------------------
@respx.mock(base_url=BASE, assert_all_called=False)
def test_logs_in_once_and_reuses_the_session(respx_mock: respx.MockRouter) -> None:
    login = respx_mock.post("/xrpc/com.atproto.server.createSession").respond(json=_session_json())
    session = respx_mock.get("/xrpc/com.atproto.server.getSession").respond(
        json={"did": DID, "handle": "forno.test"}
    )
    resolve = respx_mock.get("/xrpc/com.atproto.identity.resolveHandle")
    create = respx_mock.post("/xrpc/com.atproto.repo.createRecord").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json={
                "uri": f"at://{DID}/app.bsky.feed.post/{json.loads(request.content)['rkey']}",
                "cid": "bafyreicid",
            },
        )
    )
    stored: list[TokenSet] = []
    client = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url=BASE,
        on_tokens=stored.append,
        channel="forno-bsky",
        clock=lambda: NOW,
    )
    for i in range(3):
        client.publish(_variant(f"Post {i}"))
    assert login.call_count == 1 and session.call_count == 1 and create.call_count == 3
    assert not resolve.called  # no mention in the texts: nothing to resolve
    body = json.loads(create.calls[0].request.content)
    assert body["repo"] == DID and body["collection"] == "app.bsky.feed.post"
    assert create.calls[0].request.headers["authorization"].startswith("Bearer ")
    assert len(stored) == 1 and stored[0].subject == DID
    assert stored[0].expires_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_expired_token_refreshes_without_a_new_login(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    client.publish(_variant("uno"))
    fake_pds.clock.now += timedelta(hours=3)  # the access token expired
    client.publish(_variant("due"))
    assert client.core.auth.logins == 1 and client.core.auth.refreshes == 1
    assert fake_pds.calls["com.atproto.server.refreshSession"] == 1


def test_rejected_token_is_refreshed_then_logged_in_again(make_client: Any, fake_pds: Any) -> None:
    stale = TokenSet(
        access_token=SecretStr("stale-access-token"),
        refresh_token=SecretStr("stale-refresh-token"),
        subject=fake_pds.did,
    )
    client = make_client(tokens=stale)
    post = client.publish(_variant("dopo un riavvio"))
    assert post.post_id.startswith(f"at://{fake_pds.did}/")
    # 400 InvalidToken -> refreshSession refused (400 InvalidToken) -> one login.
    assert fake_pds.calls["com.atproto.server.refreshSession"] == 1
    assert fake_pds.calls["com.atproto.server.createSession"] == 1


def test_wrong_password_is_an_authentication_error_naming_account_and_fix(fakes: Any) -> None:
    pds = fakes.FakePds()
    client = BlueskyClient(
        pds.handle,
        "not-the-password",
        base_url=BASE,
        http_client=httpx.Client(transport=pds.transport()),
        channel="forno-bsky",
    )
    with pytest.raises(AuthenticationError) as error:
        client.publish(_variant())
    text = str(error.value)
    assert "forno.test" in text and "app password" in text
    assert error.value.status == 401 and error.value.code == "AuthenticationRequired"
    assert error.value.platform_message == "Invalid identifier or password"
    assert pds.calls["com.atproto.repo.createRecord"] == 0


def test_secrets_never_in_logs_repr_or_errors(make_client: Any, fake_pds: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client()
    client.publish(_variant("ciao"))
    fake_pds.fail_with = lambda request: httpx.Response(
        400,
        json={"error": "InvalidRequest", "message": f"echo {request.headers.get('authorization')}"},
    )
    with pytest.raises(BadRequestError) as error:
        client.publish(_variant("rifiutato"))
    tokens = client.core.auth.tokens
    secrets = [
        fake_pds.password,
        tokens.access_token.get_secret_value(),
        tokens.refresh_token.get_secret_value(),
    ]
    shown = "\n".join(
        [
            caplog.text,
            repr(client),
            repr(client.core.auth),
            str(error.value),
            repr(error.value),
            repr(tokens),
        ]
    )
    for secret in secrets:
        assert secret not in shown
    assert "forno.test" in repr(client.core.auth)


# -- errors and rate limits --------------------------------------------------------------------
@respx.mock(base_url=BASE)
def test_error_bodies_map_to_the_tree(respx_mock: respx.MockRouter) -> None:
    respx_mock.post("/xrpc/com.atproto.server.createSession").respond(json=_session_json())
    respx_mock.get("/xrpc/com.atproto.server.getSession").respond(json={"did": DID})
    route = respx_mock.post("/xrpc/com.atproto.repo.deleteRecord")
    client = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url=BASE,
        sleep=lambda s: None,
        options=ClientOptions(retry=RetryPolicy(max_attempts=1)),
        channel="forno-bsky",
        clock=lambda: NOW,
    )
    uri = f"at://{DID}/app.bsky.feed.post/3jd2lkvdibajw"
    cases = [
        (400, "InvalidRequest", BadRequestError),
        (403, "Forbidden", Exception),
        (409, "InvalidSwap", ConflictError),
        (500, "InternalServerError", ServerError),
    ]
    for status, code, cls in cases:
        route.respond(
            status,
            json={"error": code, "message": f"m-{code}"},
            headers={"x-request-id": f"req-{status}"},
        )
        with pytest.raises(cls) as error:
            client.delete(uri)
        assert isinstance(error.value, PlatformError)
        assert error.value.status == status and error.value.code == code
        assert error.value.platform_message == f"m-{code}"
        assert error.value.request_id == f"req-{status}"
        assert error.value.platform == "bluesky"


@respx.mock(base_url=BASE)
def test_rate_limit_headers_and_retry_after(respx_mock: respx.MockRouter) -> None:
    respx_mock.post("/xrpc/com.atproto.server.createSession").respond(json=_session_json())
    respx_mock.get("/xrpc/com.atproto.server.getSession").respond(json={"did": DID})
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    reset = int(now.timestamp()) + 120
    route = respx_mock.post("/xrpc/com.atproto.repo.deleteRecord").mock(
        side_effect=[
            httpx.Response(
                429,
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                headers={
                    "RateLimit-Limit": "5000",
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(reset),
                    "Retry-After": "7",
                },
            ),
            httpx.Response(
                200,
                json={},
                headers={
                    "RateLimit-Limit": "5000",
                    "RateLimit-Remaining": "4997",
                    "RateLimit-Reset": str(reset),
                },
            ),
        ]
    )
    slept: list[float] = []
    client = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url=BASE,
        clock=lambda: now,
        sleep=slept.append,
        jitter=lambda: 0.0,
        channel="forno-bsky",
    )
    client.delete(f"at://{DID}/app.bsky.feed.post/3jd2lkvdibajw")
    assert route.call_count == 2
    assert 7.0 in slept  # Retry-After first
    info = client.driver.core.limiter.get(RateLimitKey("bluesky", "forno.test", "repo-write"))
    # Within one window (the same reset) the remaining count only goes down: answers may
    # arrive out of order, so the lower reading (the 429's 0) is kept.
    assert info is not None and (info.limit, info.remaining) == (5000, 0)
    assert info.reset_at == datetime.fromtimestamp(reset, UTC)

    # Under the 'raise' policy a 429 is raised with the wait, never retried.
    route.side_effect = None
    route.respond(
        429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)},
    )
    raising = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url=BASE,
        clock=lambda: now,
        options=ClientOptions(rate_limit_policy=RateLimitPolicy.RAISE),
        channel="forno-bsky",
    )
    with pytest.raises(RateLimitedError) as error:
        raising.delete(f"at://{DID}/app.bsky.feed.post/3jd2lkvdibajw")
    assert error.value.retry_after == 120.0 and error.value.code == "RateLimitExceeded"


# -- validation before sending -----------------------------------------------------------------
def test_violations_are_listed_before_any_request(
    make_client: Any, fake_pds: Any, tmp_path: Any
) -> None:
    client = make_client()
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG" + b"0" * 2_000_001)
    small = tmp_path / "small.png"
    small.write_bytes(b"\x89PNG" + b"0" * 10)
    images = tuple(
        MediaAsset(kind=MediaKind.IMAGE, path=str(p), mime_type="image/png")
        for p in (big, small, small, small, small)
    )
    variant = _variant(
        "x" * 301,
        media=images,
        extras={"link_card": {"uri": "https://forno.example", "title": "t"}},
    )
    with pytest.raises(ContentRuleError) as error:
        client.publish(variant)
    rules = sorted(v.rule for v in _violations(error.value))
    assert rules == ["embed.single", "media.max_count", "media.max_image_bytes", "text.limit"]
    assert fake_pds.requests == []
    assert "300" in str(error.value)


def test_url_media_video_and_wrong_platform_are_refused_up_front(
    make_client: Any, fake_pds: Any
) -> None:
    client = make_client()
    remote = MediaAsset(
        kind=MediaKind.IMAGE, url="https://cdn.example/a.png", mime_type="image/png"
    )
    with pytest.raises(ValidationError, match="local path"):
        client.publish(_variant(media=(remote,)))
    video = MediaAsset(kind=MediaKind.VIDEO, path="/tmp/v.mp4", mime_type="video/mp4")
    with pytest.raises(UnsupportedCapability, match="publish_video"):
        client.publish(_variant(media=(video,)))
    with pytest.raises(ValidationError, match="bluesky"):
        client.publish(Variant(channel="m", platform=Platform.MASTODON, text="x"))
    assert fake_pds.requests == []


# -- publishing --------------------------------------------------------------------------------
def test_facets_images_and_link_card(make_client: Any, fake_pds: Any, tmp_path: Any) -> None:
    fake_pds.handles["amica.test"] = "did:plc:amica"
    client = make_client()
    text = "Ciao @amica.test e @ignoto.test: il menu è su https://forno.example/menu #pane"
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG-photo")
    asset = MediaAsset(
        kind=MediaKind.IMAGE,
        path=str(photo),
        mime_type="image/png",
        alt_text="Pagnotte",
        width=1200,
        height=800,
    )
    post = client.publish(_variant(text, media=(asset,), extras={"langs": ["it"]}))
    record = fake_pds.records[post.post_id]
    kinds = [f["features"][0]["$type"].rsplit("#")[1] for f in record["facets"]]
    assert kinds == ["mention", "link", "tag"]  # the unresolved handle gets no facet
    assert record["facets"][0]["features"][0]["did"] == "did:plc:amica"
    assert record["facets"][1]["features"][0]["uri"] == "https://forno.example/menu"
    image = record["embed"]["images"][0]
    assert image["alt"] == "Pagnotte" and image["aspectRatio"] == {"width": 1200, "height": 800}
    assert fake_pds.blobs[image["image"]["ref"]["$link"]] == b"\x89PNG-photo"
    assert record["langs"] == ["it"]
    assert post.url == f"https://bsky.app/profile/forno.test/post/{rkey_for(post.publish_key)}"

    thumb = tmp_path / "t.jpg"
    thumb.write_bytes(b"\xff\xd8thumb")
    card = {
        "uri": "https://forno.example/menu",
        "title": "Menu",
        "description": "Oggi",
        "thumb": {"kind": "image", "path": str(thumb), "mime_type": "image/jpeg"},
    }
    post = client.publish(_variant("Il menu", extras={"link_card": card}))
    external = fake_pds.records[post.post_id]["embed"]["external"]
    assert external["title"] == "Menu" and external["thumb"]["mimeType"] == "image/jpeg"


def test_reply_to_an_existing_post_keeps_the_root(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    thread = client.publish(_variant("radice", thread=("seguito",)))
    reply = client.publish(_variant("risposta", extras={"reply_to": thread.thread[0]}))
    record = fake_pds.records[reply.post_id]
    assert record["reply"]["root"]["uri"] == thread.post_id
    assert record["reply"]["parent"]["uri"] == thread.thread[0]


def test_lost_response_is_reconciled_not_resent(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    client.login()
    state = {"lost": False}

    def lose_first_create(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("createRecord") and not state["lost"]:
            state["lost"] = True
            fake_pds._serve("com.atproto.repo.createRecord", request)  # the server stores it
            raise httpx.ReadTimeout("timed out", request=request)
        return None

    fake_pds.fail_with = lose_first_create
    post = client.publish(_variant("una volta sola"))
    assert post.reconciled is True
    assert fake_pds.calls["com.atproto.repo.createRecord"] == 1  # never resent
    assert fake_pds.calls["com.atproto.repo.getRecord"] == 1
    assert len(fake_pds.posts()) == 1


def test_not_created_is_sent_again_after_the_look_up(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    client.login()
    state = {"failed": False}

    def fail_first_create(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("createRecord") and not state["failed"]:
            state["failed"] = True
            return httpx.Response(502, text="Bad Gateway")  # nothing stored
        return None

    fake_pds.fail_with = fail_first_create
    post = client.publish(_variant("al secondo colpo"))
    assert post.reconciled is False
    assert fake_pds.calls["com.atproto.repo.createRecord"] == 2
    assert len(fake_pds.posts()) == 1


def test_key_collision_with_another_text_is_a_conflict(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    variant = _variant("primo testo")
    client.publish(variant)
    changed = variant.model_copy(update={"text": "testo cambiato"})
    with pytest.raises(ConflictError, match="publish_key"):
        client.publish(changed)
    with pytest.raises(ConflictError):
        client.find_post(PostMarker.for_variant(changed))
    assert len(fake_pds.posts()) == 1


def test_find_post_delete_records_and_pages(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    variants = [_variant(f"post {i}") for i in range(7)]
    posts = [client.publish(v) for v in variants]
    found = client.find_post(PostMarker.for_variant(variants[3]))
    assert found is not None and found.post_id == posts[3].post_id
    assert client.find_post(PostMarker.for_variant(_variant("mai pubblicato"))) is None
    pages = list(client.list_records(page_size=3).pages())
    assert [len(p.items) for p in pages] == [3, 3, 1]
    assert {r.uri for p in pages for r in p.items} == {p.post_id for p in posts}
    client.delete(posts[0])
    client.delete(posts[0])  # idempotent
    assert posts[0].post_id not in fake_pds.records
    with pytest.raises(NotFoundError):
        client.get_record(posts[0].post_id)


# -- AppView reads -----------------------------------------------------------------------------
def test_counts_comments_and_hiding_with_an_appview(make_client: Any, fake_pds: Any) -> None:
    fake_pds.appview = True
    client = make_client()
    post = client.publish(_variant("Quanti like?"))
    reply_uri = "at://did:plc:amica/app.bsky.feed.post/3kaaaaaaaaaa2"
    fake_pds.post_views[post.post_id] = {
        "uri": post.post_id,
        "cid": "c",
        "likeCount": 12,
        "replyCount": 1,
        "repostCount": 3,
        "quoteCount": 1,
        "record": {"createdAt": "2026-11-26T09:00:00.000Z"},
        "thread": {
            "post": {"uri": post.post_id},
            "replies": [
                {
                    "post": {
                        "uri": reply_uri,
                        "cid": "bafyreply",
                        "author": {"did": "did:plc:amica", "handle": "amica.test"},
                        "record": {
                            "text": "Bellissimo!",
                            "createdAt": "2026-11-26T09:05:00Z",
                            "reply": {
                                "root": {"uri": post.post_id, "cid": "c"},
                                "parent": {"uri": post.post_id, "cid": "c"},
                            },
                        },
                    }
                },
            ],
        },
    }
    fake_pds.profile = {
        "did": fake_pds.did,
        "handle": "forno.test",
        "followersCount": 40,
        "followsCount": 5,
        "postsCount": 9,
    }
    metrics = client.get_post_metrics(post)
    assert (metrics.likes, metrics.comments, metrics.shares) == (12, 1, 3)
    assert metrics.raw["quoteCount"] == 1
    account = client.get_account_metrics()
    assert (account.followers, account.following, account.posts_count) == (40, 5, 9)
    comments = client.list_comments(post).to_list()
    assert [(c.author, c.text, c.in_reply_to) for c in comments] == [
        ("amica.test", "Bellissimo!", post.post_id)
    ]
    answer = client.reply(comments[0], "Grazie!")
    stored = fake_pds.records[answer.comment_id]
    assert stored["reply"]["parent"] == {"uri": reply_uri, "cid": "bafyreply"}
    assert stored["reply"]["root"]["uri"] == post.post_id
    assert client.reply(comments[0], "Grazie!").comment_id == answer.comment_id  # no duplicate
    client.hide_comment(comments[0])
    gate_uri = post.post_id.replace("app.bsky.feed.post", "app.bsky.feed.threadgate")
    assert fake_pds.records[gate_uri]["hiddenReplies"] == [reply_uri]


def test_without_an_appview_counts_are_none(make_client: Any) -> None:
    client = make_client()
    post = client.publish(_variant("x"))
    assert client.get_post_metrics(post).likes is None
    assert client.get_account_metrics().followers is None
    with pytest.raises(UnsupportedCapability, match="AppView"):
        client.list_comments(post).to_list()
    other = Comment(
        platform=Platform.BLUESKY,
        comment_id="at://did:plc:x/app.bsky.feed.post/a",
        post_id="at://did:plc:other/app.bsky.feed.post/3kaaaaaaaaaa2",
        author="x",
        text="x",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(ValidationError, match="only the author"):
        client.hide_comment(other)


def test_capabilities_registry_and_channel(tmp_path: Path) -> None:
    channel = Channel(
        key="forno-bsky",
        platform=Platform.BLUESKY,
        handle="forno.test",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=3),
        base_url=BASE,
        credentials=SecretStr("app-pass-word"),
    )
    client = client_for(channel)
    assert isinstance(client, BlueskyClient) and client.channel == "forno-bsky"
    assert isinstance(client, PlatformClient)
    async_client = client_for(channel, asynchronous=True)
    assert isinstance(async_client, AsyncPlatformClient)
    assert isinstance(async_client, bluesky.AsyncBlueskyClient)
    asyncio.run(async_client.aclose())
    assert client.core.base_url == BASE
    assert client.supports(Capability.PUBLISH_THREAD)
    assert not client.supports(Capability.PUBLISH_VIDEO)
    assert not client.supports(Capability.NATIVE_SCHEDULING)
    with pytest.raises(UnsupportedCapability):
        client.publish(_variant(), native_schedule=True)
    no_secret = channel.model_copy(update={"credentials": None})
    with pytest.raises(ValidationError, match="app password"):
        client_for(no_secret)
    client.close()


def test_async_client_runs_the_same_operations(fakes: Any) -> None:
    pds = fakes.FakePds()

    async def main() -> None:
        http = httpx.AsyncClient(transport=pds.async_transport())
        async with bluesky.AsyncBlueskyClient(
            pds.handle,
            pds.password,
            base_url=BASE,
            http_client=http,
            clock=pds.clock,
            sleep=pds.clock.async_sleep,
            channel="forno-bsky",
        ) as client:
            post = await client.publish(_variant("async", thread=("due",)))
            assert (await client.get_record(post.post_id)).text == "async"
            records = await client.list_records(page_size=1).to_list()
            assert {r.uri for r in records} == {post.post_id, *post.thread}
            assert await client.resolve_handle("forno.test") == pds.did
            session = await client.refresh_session()
            assert session["did"] == pds.did and client.did == pds.did
            await client.delete(post)
        await http.aclose()

    asyncio.run(main())
    assert pds.calls["com.atproto.server.createSession"] == 1
    assert pds.calls["com.atproto.server.refreshSession"] == 1


@respx.mock(base_url=BASE)
def test_a_rate_limited_or_failing_login_is_not_an_authentication_error(
    respx_mock: respx.MockRouter,
) -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    login = respx_mock.post("/xrpc/com.atproto.server.createSession")
    login.respond(
        429,
        json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={
            "RateLimit-Limit": "30",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(int(now.timestamp()) + 240),
        },
    )
    clock = [now]
    slept: list[float] = []
    client = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url=BASE,
        clock=lambda: clock[0],
        sleep=slept.append,
        channel="forno-bsky",
    )
    with pytest.raises(RateLimitedError) as limited:
        client.login()
    assert limited.value.retry_after == 240.0 and "forno.test" in str(limited.value)
    # The login budget is recorded like any other: a new login waits for the reset.
    clock[0] = now + timedelta(seconds=241)
    login.respond(503, json={"error": "InternalServerError", "message": "down"})
    with pytest.raises(ServerError) as failed:
        client.login()
    assert failed.value.status == 503 and failed.value.retryable
    assert client.core.auth.tokens is None


def test_first_comment_is_a_self_reply_published_once(make_client: Any, fake_pds: Any) -> None:
    client = make_client()
    variant = _variant("Nuovo orario", first_comment="Dettagli: https://forno.example/orari")
    post = client.publish(variant)
    comment_uri = post.raw["first_comment"]["uri"]
    record = fake_pds.records[comment_uri]
    assert record["reply"]["root"]["uri"] == post.post_id
    assert record["reply"]["parent"]["uri"] == post.post_id
    assert record["facets"][0]["features"][0]["uri"] == "https://forno.example/orari"
    again = client.publish(variant)
    assert again.reconciled and again.raw["first_comment"]["uri"] == comment_uri
    assert len(fake_pds.posts()) == 2


def test_revoked_app_password_with_stale_tokens_says_which_account(fakes: Any) -> None:
    pds = fakes.FakePds()
    stale = TokenSet(
        access_token=SecretStr("stale-access-token"),
        refresh_token=SecretStr("stale-refresh-token"),
        subject=pds.did,
    )
    client = BlueskyClient(
        pds.handle,
        "revoked-app-password",
        base_url=BASE,
        tokens=stale,
        http_client=httpx.Client(transport=pds.transport()),
        channel="forno-bsky",
    )
    with pytest.raises(AuthenticationError) as error:
        client.publish(_variant("x"))
    assert "forno.test" in str(error.value) and "app password" in str(error.value)
    # refresh refused (400 InvalidToken), then one login attempt refused (401): no loop.
    assert pds.calls["com.atproto.server.refreshSession"] == 1
    assert pds.calls["com.atproto.server.createSession"] == 1
