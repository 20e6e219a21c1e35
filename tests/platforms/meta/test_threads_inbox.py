"""The Threads inbox against the fake Graph server: replies at every depth to the account's
recent posts (``/conversation``), the posts that mention it (``/mentions``) and its own replies
(``/replies``, which mark what they answer), pulled incrementally with a watermark; every
request passes the Threads contract written from the reference pages (see test_threads)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError, ValidationError
from smmkit.models import MessageKind, Variant
from smmkit.platforms import Capability
from smmkit.platforms.meta import parse_webhook, webhook_message
from smmkit.platforms.threads import AsyncThreadsClient, ThreadsClient

from .conftest import THREADS_USER, TOKEN, OptionalContract
from .test_threads import THREADS_SPEC


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract(extra=THREADS_SPEC)


def _client(server: Any, fake_time: Any) -> ThreadsClient:
    return ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def _edges(server: Any) -> list[str]:
    return [r.url.path.rsplit("/", 1)[-1] for r in server.requests]


def _post(client: ThreadsClient, text: str) -> str:
    return client.publish(Variant(channel="threads", platform="threads", text=text)).post_id


def test_replies_mentions_and_own_replies_are_pulled_incrementally(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _client(server, fake_time)
    assert client.supports(Capability.READ_INBOX)
    post = _post(client, "Il pane di oggi")
    quiet = _post(client, "Nessuno risponde a questo")
    fake_time.advance(60)
    top = server.add_thread_reply(post, "Fate consegne?", "giulia")
    fake_time.advance(60)
    nested = server.add_thread_reply(top["id"], "Anche io vorrei saperlo", "marco")
    fake_time.advance(60)
    mention = server.add_thread_mention("Colazione da @forno, top", "anna")
    server.requests.clear()

    first = client.fetch_inbox()
    assert _edges(server) == ["threads", "conversation", "mentions", "replies"]
    assert server.requests[1].url.path.endswith(f"{post}/conversation")  # not {quiet}
    assert quiet not in str(server.requests)
    got = [(m.kind, m.author, m.thread_id, m.in_reply_to) for m in first.messages]
    assert got == [
        (MessageKind.COMMENT, "giulia", post, post),
        (MessageKind.REPLY, "marco", post, top["id"]),
        (MessageKind.MENTION, "anna", mention["id"], None),
    ]
    assert [m.message_id for m in first.messages] == [top["id"], nested["id"], mention["id"]]

    server.requests.clear()
    again = client.fetch_inbox(first.cursor)
    assert again.messages == ()
    assert _edges(server) == ["threads", "conversation", "mentions", "replies"]
    newest = str(int(mention["timestamp"].timestamp()))  # the watermark: "since" it
    assert [r.url.params.get("since") for r in server.requests[2:]] == [newest, newest]

    # the brand answers the mention and the nested reply: its replies come back from_brand
    fake_time.advance(60)
    sent = client.reply(
        client.list_comments(post)
        .first_page()
        .items[0]
        .model_copy(update={"comment_id": nested["id"]}),
        "Sì, in tutta Bologna!",
    )
    fake_time.advance(60)
    late = server.add_thread_reply(post, "Grazie!", "giulia")
    server.requests.clear()
    fresh = client.fetch_inbox(again.cursor)
    assert [(m.message_id, m.from_brand, m.in_reply_to) for m in fresh.messages] == [
        (sent.comment_id, True, nested["id"]),
        (late["id"], False, post),
    ]
    assert client.fetch_inbox(fresh.cursor).messages == ()
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_long_listings_are_paged_back_to_the_watermark(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _client(server, fake_time)
    post = _post(client, "Tanti commenti")
    for n in range(23):
        fake_time.advance(1)
        server.add_thread_reply(post, f"commento {n}", f"u{n}")
    server.requests.clear()
    first = client.fetch_inbox(limit=10)
    assert len(first.messages) == 23 and _edges(server).count("conversation") == 3
    fake_time.advance(5)
    for n in range(4):
        server.add_thread_reply(post, f"nuovo {n}", "zoe")
    server.requests.clear()
    second = client.fetch_inbox(first.cursor, limit=10)
    assert [m.text for m in second.messages] == [f"nuovo {n}" for n in range(4)]
    assert _edges(server).count("conversation") == 1
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_old_posts_leave_the_window(graph: Any, fake_time: Any) -> None:
    server = graph()
    client = _client(server, fake_time)
    post = _post(client, "Vecchio post")
    server.add_thread_reply(post, "commento vecchio", "ugo")
    fake_time.advance(client.core.inbox_window.total_seconds() + 3600)
    server.requests.clear()
    page = client.fetch_inbox()
    assert page.messages == () and "conversation" not in _edges(server)


def test_a_webhook_reply_and_the_pull_are_one_message(graph: Any, fake_time: Any) -> None:
    server = graph()
    client = _client(server, fake_time)
    post = _post(client, "Pane")
    reply = server.add_thread_reply(post, "Buono!", "giulia")
    [pulled] = client.fetch_inbox().messages
    value = {
        "id": reply["id"],
        "username": "giulia",
        "text": "Buono!",
        "timestamp": "2026-11-26T09:00:00+0000",
        "root_post": {"id": post},
        "replied_to": {"id": post},
    }
    body = {
        "object": "threads",
        "entry": [
            {"id": THREADS_USER, "time": 1, "changes": [{"field": "replies", "value": value}]}
        ],
    }
    [event] = parse_webhook(body)
    hooked = webhook_message(event, channel="threads")
    assert hooked is not None
    assert (hooked.key, hooked.thread_id, hooked.kind) == (
        pulled.key,
        pulled.thread_id,
        pulled.kind,
    )


def _answering(bodies: dict[str, Any]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        edge = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json=bodies.get(edge, {"data": []}))

    return handler


def test_bad_answers_are_clear_errors_or_skipped(
    fake_time: Any, caplog: pytest.LogCaptureFixture
) -> None:
    broken = ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(
            transport=httpx.MockTransport(_answering({"threads": {"data": 5}}))
        ),
        clock=fake_time.now,
    )
    with pytest.raises(PlatformError, match="not a list"):
        broken.fetch_inbox()
    stamp = (fake_time.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    odd = {
        "threads": {"data": [{"id": "1", "has_replies": True}, {"has_replies": True}, 7]},
        "conversation": {
            "data": [
                {"id": "2", "text": "ok", "timestamp": stamp, "replied_to": "1"},
                {"id": "3", "text": "no time"},
                {"id": True, "timestamp": stamp},
                None,
            ]
        },
        "mentions": {"data": None},
        "replies": {},
    }
    client = ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(_answering(odd))),
        clock=fake_time.now,
    )
    page = client.fetch_inbox()
    assert [(m.message_id, m.in_reply_to, m.kind) for m in page.messages] == [
        ("2", "1", MessageKind.COMMENT)
    ]
    assert "skipped" in caplog.text
    with pytest.raises(ValidationError, match="threads inbox cursor"):
        client.fetch_inbox("yesterday")


def test_async_threads_inbox(graph: Any, fake_time: Any) -> None:
    server = graph()
    post = _post(_client(server, fake_time), "Pane")
    server.add_thread_reply(post, "Buonissimo", "anna")

    async def main() -> list[str]:
        async with AsyncThreadsClient(
            THREADS_USER,
            token=TOKEN,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            page = await client.fetch_inbox()
            return [m.text for m in page.messages]

    assert asyncio.run(main()) == ["Buonissimo"]


def test_without_the_mentions_permission_the_replies_still_come(
    graph: Any, fake_time: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = graph()
    client = _client(server, fake_time)
    post = _post(client, "Pane")
    server.add_thread_reply(post, "Buono!", "giulia")
    server.add_thread_mention("@forno top", "anna")

    def no_mentions(request: httpx.Request) -> httpx.Response:
        answer: httpx.Response
        if request.url.path.endswith("/mentions"):
            answer = server.error(10, "(#10) Application does not have permission for this action")
        else:
            answer = server(request)
        return answer

    limited = ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(no_mentions)),
        clock=fake_time.now,
    )
    page = limited.fetch_inbox()
    assert [m.text for m in page.messages] == ["Buono!"]
    assert "mentions not read" in caplog.text and "permission" in caplog.text


def test_more_posts_than_one_listing_are_logged(
    graph: Any, fake_time: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = graph()
    for n in range(101):  # the account's own posts, straight into the fake
        server.add_thread_reply("", f"post {n}", "forno")["reply_to"] = None
    _client(server, fake_time).fetch_inbox()
    assert "more than 100 posts" in caplog.text
