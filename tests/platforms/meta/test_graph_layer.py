"""The shared Graph layer: error bodies -> smmkit errors, usage headers -> rate-limit state,
webhooks, and the contract checker against Meta's own specs (../shared/specs/meta-graph)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from smmkit.models import Platform
from smmkit.platforms import RetryPolicy, SyncDriver, is_outcome_unknown
from smmkit.platforms._graph import (
    THROTTLING_CODES,
    GraphApi,
    GraphAuth,
    GraphCallContext,
    GraphContract,
    ReplayGuard,
    WebhookRefused,
    graph_call,
    graph_dialect,
    graph_error,
    graph_error_info,
    needs_reauth,
    parse_usage_headers,
    parse_webhook,
    sign_body,
    verify_delivery,
    verify_signature,
    verify_subscription,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
API = GraphApi("https://graph.facebook.com/v24.0")


def _error_response(
    code: int,
    subcode: int | None = None,
    *,
    status: int = 400,
    transient: bool = False,
    headers: dict[str, str] | None = None,
    user_msg: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {
        "message": f"error {code}",
        "type": "OAuthException",
        "code": code,
        "is_transient": transient,
        "fbtrace_id": f"trace-{code}-{subcode}",
    }
    if subcode is not None:
        body["error_subcode"] = subcode
    if user_msg:
        body["error_user_msg"] = user_msg
    request = API.request("POST", "IGUser", "1784", "media", {"image_url": "https://x.test/a"})
    return httpx.Response(status, json={"error": body}, headers=headers, request=request)


def _map(response: httpx.Response, **kwargs: Any) -> Any:
    return graph_error(response, platform="instagram", account="@forno", now=NOW, **kwargs)


# -- error codes, one by one (https://developers.facebook.com/docs/graph-api/guides/error-handling)
def test_190_is_an_authentication_error_that_needs_reauth() -> None:
    error = _map(_error_response(190, 463))
    assert isinstance(error, AuthenticationError)
    assert needs_reauth(error)
    assert "re-authenticate" in str(error.hint) and "expired" in str(error.hint)
    assert error.request_id == "trace-190-463"  # fbtrace_id is the request id
    assert error.code == "190/463"


@pytest.mark.parametrize("code", sorted(THROTTLING_CODES))
def test_every_throttling_code_is_rate_limited(code: int) -> None:
    error = _map(_error_response(code))
    assert isinstance(error, RateLimitedError)
    assert error.retryable and not needs_reauth(error)
    assert "throttling" in str(error.hint)


def test_throttling_reads_estimated_time_to_regain_access() -> None:
    buc = {
        "1784": [
            {
                "type": "instagram",
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "estimated_time_to_regain_access": 7,
            }
        ]
    }
    error = _map(_error_response(80002, headers={"x-business-use-case-usage": json.dumps(buc)}))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 7 * 60
    assert "wait 420s" in str(error.hint)


def test_2207052_says_meta_could_not_download_the_public_url() -> None:
    error = _map(_error_response(9004, 2207052, user_msg="The media could not be fetched"))
    assert isinstance(error, BadRequestError)
    assert "could not download the media from its public URL" in str(error.hint)
    assert "Meta says: The media could not be fetched" in str(error.hint)


@pytest.mark.parametrize("code", [10, 200, 299])
def test_permission_codes_name_the_permission(code: int) -> None:
    error = _map(_error_response(code), permissions=("instagram_business_content_publish",))
    assert isinstance(error, PermissionDeniedError)
    assert needs_reauth(error)
    assert "grant instagram_business_content_publish" in str(error.hint)


def test_transient_5xx_is_a_retryable_server_error() -> None:
    error = _map(_error_response(2, status=500, transient=True))
    assert isinstance(error, ServerError) and error.retryable
    assert "transient" in str(error.hint)
    info = graph_error_info(error)
    assert info is not None and info.is_transient and info.code == 2


def test_missing_object_is_not_found_and_non_json_is_still_mapped() -> None:
    assert isinstance(_map(_error_response(100, 33)), NotFoundError)
    request = API.request("GET", "IGMedia", "55")
    error = _map(httpx.Response(502, text="<html>bad gateway</html>", request=request))
    assert isinstance(error, ServerError) and error.status == 502


def test_error_text_never_carries_the_token() -> None:
    GraphAuth("EAAsecret123")  # a client's token is registered for redaction
    request = httpx.Request("GET", "https://graph.facebook.com/v24.0/me?access_token=EAAsecret123")
    response = httpx.Response(
        400,
        json={
            "error": {
                "code": 190,
                "message": "token EAAsecret123 expired access_token=EAAsecret123",
            }
        },
        request=request,
    )
    error = _map(response)
    assert "EAAsecret123" not in str(error) and "EAAsecret123" not in repr(error)


# -- usage headers -> rate-limit state ------------------------------------------------------
def test_usage_headers_leave_headroom_and_block_before_meta_does() -> None:
    low = parse_usage_headers(
        {"x-app-usage": '{"call_count":20,"total_time":5,"total_cputime":3}'}, NOW
    )
    assert low is not None and low.limit == 100 and low.remaining == 75 and low.reset_at is None
    high = parse_usage_headers(
        {"x-app-usage": '{"call_count":96,"total_time":5,"total_cputime":3}'}, NOW
    )
    assert high is not None and high.remaining == 0 and high.reset_at == NOW + timedelta(seconds=60)
    buc = {
        "9": [
            {
                "call_count": 100,
                "total_time": 1,
                "total_cputime": 1,
                "estimated_time_to_regain_access": 12,
            }
        ]
    }
    blocked = parse_usage_headers({"x-business-use-case-usage": json.dumps(buc)}, NOW)
    assert blocked is not None and blocked.reset_at == NOW + timedelta(minutes=12)
    assert parse_usage_headers({}, NOW) is None
    assert parse_usage_headers({"x-app-usage": "not json"}, NOW) is None


@given(
    st.dictionaries(
        st.sampled_from(["call_count", "total_time", "total_cputime", "x"]),
        st.one_of(st.integers(-5, 500), st.floats(allow_nan=True), st.text(max_size=3)),
    )
)
def test_usage_parser_never_crashes_and_stays_in_range(usage: dict[str, object]) -> None:
    info = parse_usage_headers({"x-app-usage": json.dumps(usage)}, NOW)
    if info is not None:
        assert info.remaining is not None and 0 <= info.remaining <= 100


def test_pace_slows_down_as_usage_climbs_to_100_percent(fake_time: Any) -> None:
    """The driver records usage through the Graph dialect; at 96% the next call waits."""
    served = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        served["n"] += 1
        usage = min(20 * served["n"], 100)
        return httpx.Response(
            200, json={"id": "1"}, headers={"x-app-usage": json.dumps({"call_count": usage})}
        )

    driver = SyncDriver(
        dialect=graph_dialect("instagram", auth_hint="log in"),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    context = GraphCallContext("instagram", "@forno", fake_time.now)
    for _ in range(6):
        driver.run(graph_call(API.request("GET", "IGUser", "1784"), context))
    assert fake_time.sleeps and fake_time.sleeps[0] >= 60  # waited once usage passed 95%


def test_graph_call_waits_for_throttling_then_succeeds(fake_time: Any) -> None:
    answers = iter(
        [
            httpx.Response(
                400,
                json={"error": {"code": 4, "message": "throttled"}},
                headers={
                    "x-business-use-case-usage": json.dumps(
                        {"1": [{"call_count": 100, "estimated_time_to_regain_access": 0.5}]}
                    )
                },
            ),
            httpx.Response(200, json={"id": "ok"}),
        ]
    )
    driver = SyncDriver(
        dialect=graph_dialect("instagram", auth_hint="log in"),
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: next(answers))),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    context = GraphCallContext("instagram", None, fake_time.now)
    response = driver.run(
        graph_call(API.request("POST", "IGUser", "1", "media", {"caption": "x"}), context)
    )
    assert response.json() == {"id": "ok"}
    assert sum(fake_time.sleeps) >= 30


def test_graph_call_marks_a_failed_post_outcome_unknown(fake_time: Any) -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(
            500, json={"error": {"code": 2, "is_transient": True, "message": "x"}}
        )

    driver = SyncDriver(
        dialect=graph_dialect("instagram", auth_hint="log in"),
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    context = GraphCallContext("instagram", None, fake_time.now, retry=RetryPolicy(max_attempts=3))
    with pytest.raises(ServerError) as caught:
        driver.run(
            graph_call(
                API.request("POST", "IGUser", "1", "media_publish", {"creation_id": "9"}), context
            )
        )
    assert is_outcome_unknown(caught.value) and calls["n"] == 1  # never blindly resent
    with pytest.raises(ServerError):
        driver.run(graph_call(API.request("GET", "IGMedia", "9"), context))
    assert calls["n"] == 1 + 3  # a GET is repeated


def test_graph_auth_sends_the_token_to_meta_hosts_only() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    client = httpx.Client(
        transport=httpx.MockTransport(record),
        auth=GraphAuth("EAAtoken-abc-123"),
    )
    client.get("https://graph.facebook.com/v24.0/me")
    client.get("https://cdn.forno.test/pane.jpg")
    client.get("http://graph.facebook.com/v24.0/me")  # never over plain HTTP
    assert seen[0].headers["authorization"] == "Bearer EAAtoken-abc-123"
    assert "authorization" not in seen[1].headers and "authorization" not in seen[2].headers
    assert "EAAtoken" not in repr(GraphAuth("EAAtoken-abc-123"))


# -- webhooks (https://developers.facebook.com/docs/graph-api/webhooks/getting-started) -------
SECRET = "app-secret-forno-42"
IG_COMMENT: dict[str, Any] = {
    "object": "instagram",
    "entry": [
        {
            "id": "1784",
            "time": 1764147600,
            "changes": [
                {
                    "field": "comments",
                    "value": {
                        "from": {"id": "232", "username": "giulia"},
                        "media": {"id": "555", "media_product_type": "FEED"},
                        "id": "c-1",
                        "parent_id": "c-0",
                        "text": "Che buono! A che ora aprite?",
                    },
                }
            ],
        }
    ],
}


def test_subscription_verification() -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": "vt-forno",
        "hub.challenge": "1158201444",
    }
    assert verify_subscription(params, "vt-forno") == "1158201444"
    with pytest.raises(WebhookRefused, match="verify_token"):
        verify_subscription({**params, "hub.verify_token": "other"}, "vt-forno")
    with pytest.raises(WebhookRefused, match=r"hub\.mode"):
        verify_subscription({**params, "hub.mode": "unsubscribe"}, "vt-forno")


def test_signature_accepts_the_raw_body_and_refuses_tampering_and_wrong_secret() -> None:
    body = json.dumps(IG_COMMENT).encode()
    header = sign_body(body, SECRET)
    events = verify_delivery(body, header, SECRET)
    assert events[0].comment is not None and events[0].comment.text.startswith("Che buono")
    tampered = body.replace(b"Che buono", b"Che schifo")
    with pytest.raises(WebhookRefused, match="tampered"):
        verify_signature(tampered, header, SECRET)
    with pytest.raises(WebhookRefused):
        verify_signature(body, sign_body(body, "another-secret"), SECRET)
    with pytest.raises(WebhookRefused):
        verify_signature(body, None, SECRET)
    with pytest.raises(WebhookRefused):
        verify_signature(body, "sha1=" + "0" * 40, SECRET)
    with pytest.raises(WebhookRefused, match="raw request body"):
        verify_signature(IG_COMMENT, header, SECRET)  # type: ignore[arg-type]


def test_a_replayed_delivery_is_refused(fake_time: Any) -> None:
    body = json.dumps(IG_COMMENT).encode()
    header = sign_body(body, SECRET)
    guard = ReplayGuard(clock=fake_time.now, window=timedelta(hours=1))
    verify_delivery(body, header, SECRET, guard=guard)
    with pytest.raises(WebhookRefused, match="replayed"):
        verify_delivery(body, header, SECRET, guard=guard)
    with pytest.raises(WebhookRefused, match="replayed"):
        verify_delivery(body, header.upper().replace("SHA256=", "sha256="), SECRET, guard=guard)
    fake_time.advance(2 * 3600)
    assert verify_delivery(body, header, SECRET, guard=guard)  # forgotten after the window


def test_webhook_events_become_the_clients_comment_model() -> None:
    [ig] = parse_webhook(IG_COMMENT)
    assert ig.kind == "comment" and ig.platform is Platform.INSTAGRAM
    assert ig.comment is not None
    assert (
        ig.comment.comment_id,
        ig.comment.post_id,
        ig.comment.author,
        ig.comment.in_reply_to,
    ) == ("c-1", "555", "giulia", "c-0")
    mention = {
        "object": "instagram",
        "entry": [
            {
                "id": "1784",
                "time": 1764147600,
                "changes": [
                    {"field": "mentions", "value": {"media_id": "777", "comment_id": "c-9"}}
                ],
            }
        ],
    }
    [m] = parse_webhook(mention)
    assert (m.kind, m.media_id, m.comment_id, m.comment) == ("mention", "777", "c-9", None)
    page = {
        "object": "page",
        "entry": [
            {
                "id": "101",
                "time": 1764147600,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": "101_9_1",
                            "post_id": "101_9",
                            "parent_id": "101_9",
                            "from": {"id": "5", "name": "Marco Rossi"},
                            "message": "Ci vediamo sabato",
                            "created_time": 1764147000,
                        },
                    }
                ],
            }
        ],
    }
    [fb] = parse_webhook(page)
    assert (
        fb.comment is not None
        and fb.comment.author == "Marco Rossi"
        and fb.comment.in_reply_to is None
    )
    assert fb.comment.created_at == datetime.fromtimestamp(1764147000, UTC)
    with pytest.raises(ValidationError):
        parse_webhook(b"[1, 2]")
    with pytest.raises(ValidationError):
        parse_webhook(b"{not json")


def test_hostile_webhook_text_is_linear() -> None:
    text = "a" * 200_000
    body = json.dumps(
        {
            **IG_COMMENT,
            "entry": [
                {
                    **IG_COMMENT["entry"][0],
                    "changes": [
                        {
                            "field": "comments",
                            "value": {"id": "c", "text": text, "from": {"username": "x" * 10_000}},
                        }
                    ],
                }
            ],
        }
    )
    [event] = parse_webhook(body.encode())
    assert event.comment is not None and len(event.comment.text) == 10_000


# -- contract checker -----------------------------------------------------------------------
@pytest.fixture
def contract(shared_path: Any) -> GraphContract:
    return GraphContract(shared_path("specs", "meta-graph"))


def test_contract_accepts_declared_edges_and_refuses_others(contract: GraphContract) -> None:
    ok = API.request(
        "POST",
        "IGUser",
        "1784",
        "media",
        {"image_url": "https://x.test/a.jpg", "caption": "hi", "alt_text": "pane"},
    )
    assert contract.check(ok) == []
    assert (
        contract.check(API.request("POST", "IGUser", "1784", "media_publish", {"creation_id": "9"}))
        == []
    )
    missing = API.request("POST", "IGUser", "1784", "media_publish", {})
    assert [v.rule for v in contract.check(missing)] == [
        "required parameter 'creation_id' is missing"
    ]
    unknown = API.request("POST", "IGUser", "1784", "media", {"image_url": "u", "colour": "red"})
    assert "parameter 'colour' is not declared" in [v.rule for v in contract.check(unknown)]
    no_edge = API.request("POST", "IGMedia", "55", "publish_now", {})
    assert "no POST publish_now edge" in str(contract.check(no_edge)[0])
    hide = API.request("POST", "IGComment", "c1", None, {"hide": True})
    assert contract.check(hide) == []
    assert contract.check(httpx.Request("GET", "https://graph.facebook.com/v24.0/me"))  # untagged


def test_contract_knows_the_instagram_login_host(contract: GraphContract) -> None:
    ig = GraphApi("https://graph.instagram.com/v24.0")
    assert (
        contract.check(ig.request("POST", "IGUser", "1784", "media_publish", {"creation_id": "1"}))
        == []
    )
    assert (
        contract.check(
            ig.special("GET", "refresh_access_token", {"grant_type": "ig_refresh_token"})
        )
        == []
    )


def test_the_permission_named_by_meta_comes_first() -> None:
    request = API.request("POST", "Page", "101", "feed", {"message": "x"})
    body = {
        "error": {
            "code": 200,
            "message": "(#200) Requires pages_manage_posts permission to manage the object",
        }
    }
    error = _map(
        httpx.Response(403, json=body, request=request), permissions=("pages_read_engagement",)
    )
    assert isinstance(error, PermissionDeniedError)
    assert "grant pages_manage_posts " in str(error.hint) and "pages_read_engagement" not in str(
        error.hint
    )
    bare = {
        "error": {
            "code": 10,
            "message": "(#10) Application does not have permission for this action",
        }
    }
    error = _map(httpx.Response(400, json=bare, request=request))
    assert "grant the permission this call needs" in str(error.hint)
