"""Instagram direct messages in the inbox (opt-in, Instagram Login): conversations listed most
recently updated first and read back to the cursor's watermark, each message a private
``direct`` message threaded on the other person's id (as the messaging webhook threads it); a
reply goes to the sender through ``POST /<ig-user>/messages``, never as a public comment. Every
request passes the contract."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError, UnsupportedCapability, ValidationError
from smmkit.models import MessageKind, Platform
from smmkit.platforms import Comment
from smmkit.platforms.instagram import InstagramClient
from smmkit.platforms.meta import parse_webhook, webhook_message

from .conftest import IG_USER, TOKEN, OptionalContract


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract(check_fields=True)


def _ig(server: Any, fake_time: Any, **options: Any) -> InstagramClient:
    return InstagramClient(
        IG_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        **options,
    )


def _edges(server: Any) -> list[str]:
    return [r.url.path.rsplit("/", 1)[-1] for r in server.requests]


def test_direct_messages_are_pulled_incrementally_and_answered_privately(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    plain = _ig(server, fake_time)
    server.direct_message("5501", "giulia", "Avete il senza glutine?")
    assert plain.fetch_inbox().messages == () and "conversations" not in _edges(server)

    client = _ig(server, fake_time, direct_messages=True)
    fake_time.advance(60)
    server.direct_message("5502", "marco", "Posso prenotare una torta?")
    server.requests.clear()
    first = client.fetch_inbox()
    assert _edges(server) == ["media", "tags", "conversations"]
    assert server.requests[-1].url.params["platform"] == "instagram"
    got = [(m.kind, m.private, m.author, m.author_id, m.text) for m in first.messages]
    assert got == [
        (MessageKind.DIRECT, True, "giulia", "5501", "Avete il senza glutine?"),
        (MessageKind.DIRECT, True, "marco", "5502", "Posso prenotare una torta?"),
    ]
    assert len({m.thread_id for m in first.messages}) == 2  # one thread per conversation

    server.requests.clear()
    assert client.fetch_inbox(first.cursor).messages == ()
    assert _edges(server) == ["media", "tags", "conversations"]  # one page each, nothing new

    question = first.messages[0]
    fake_time.advance(60)
    sent = client.reply(
        Comment(
            platform=Platform.INSTAGRAM,
            comment_id=question.message_id,
            author=question.author,
            author_id=question.author_id,
            text=question.text,
            created_at=question.created_at,
            kind=question.kind,
            private=question.private,
        ),
        "Sì, ogni giorno!",
    )
    assert sent.private and sent.kind is MessageKind.DIRECT
    assert _edges(server)[-1] == "messages" and "replies" not in _edges(server)
    fake_time.advance(60)
    server.direct_message("5501", "giulia", "Grazie!")
    fresh = client.fetch_inbox(first.cursor)
    assert [(m.text, m.from_brand, m.thread_id) for m in fresh.messages] == [
        ("Sì, ogni giorno!", True, question.thread_id),
        ("Grazie!", False, question.thread_id),
    ]
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_direct_messages_need_instagram_login_the_option_and_a_sender(
    graph: Any, fake_time: Any
) -> None:
    server = graph()
    with pytest.raises(ValidationError, match="Instagram Login"):
        _ig(server, fake_time, direct_messages=True, login="facebook")
    to = Comment(
        platform=Platform.INSTAGRAM,
        comment_id="m_1",
        author="giulia",
        text="ciao",
        created_at=fake_time.now(),
        kind=MessageKind.DIRECT,
    )
    with pytest.raises(UnsupportedCapability, match="direct_messages=True"):
        _ig(server, fake_time).reply(to, "Ciao!")
    with pytest.raises(ValidationError, match="sender's id"):
        _ig(server, fake_time, direct_messages=True).reply(to, "Ciao!")
    with pytest.raises(ValidationError, match="sender's id"):
        _ig(server, fake_time, direct_messages=True).reply(
            to.model_copy(update={"author_id": '1"},"x":{"'}), "Ciao!"
        )
    assert server.requests == []


def test_bad_conversation_answers(fake_time: Any, caplog: pytest.LogCaptureFixture) -> None:
    stamp = fake_time.now().strftime("%Y-%m-%dT%H:%M:%S+0000")

    def server(request: httpx.Request) -> httpx.Response:
        edge = request.url.path.rsplit("/", 1)[-1]
        if edge == "conversations":
            return httpx.Response(
                200,
                json={
                    "data": [
                        {"id": "c1", "updated_time": stamp, "messages": {"data": "oops"}},
                        {
                            "id": "c2",
                            "updated_time": stamp,
                            "messages": {
                                "data": [
                                    {"id": "m1", "created_time": stamp, "message": "ok"},
                                    {"id": "m2", "message": "no time"},
                                ]
                            },
                        },
                        {"id": "c3"},
                    ]
                },
            )
        if edge == "messages":
            return httpx.Response(200, json={"recipient_id": "5"})
        return httpx.Response(200, json={"data": []})

    client = _ig(server, fake_time, direct_messages=True)
    with pytest.raises(PlatformError, match="messages listing"):
        client.fetch_inbox()

    def without_c1(request: httpx.Request) -> httpx.Response:
        answer = server(request)
        if not request.url.path.endswith("/conversations"):
            return answer
        body = answer.json()
        body["data"] = body["data"][1:]
        return httpx.Response(200, json=body)

    page = _ig(without_c1, fake_time, direct_messages=True).fetch_inbox()
    assert [(m.message_id, m.author, m.thread_id) for m in page.messages] == [
        ("m1", "unknown", "c2")
    ]
    assert "without an id or time was skipped" in caplog.text
    to = Comment(
        platform=Platform.INSTAGRAM,
        comment_id="m1",
        author="x",
        author_id="5",
        text="ok",
        created_at=fake_time.now(),
        kind=MessageKind.DIRECT,
    )
    with pytest.raises(PlatformError, match="without a message_id"):
        client.reply(to, "Ciao")


def _delivery(*items: dict[str, Any]) -> dict[str, Any]:
    return {"object": "instagram", "entry": [{"id": IG_USER, "time": 1, "messaging": list(items)}]}


def test_messaging_webhooks_give_the_pulled_messages(graph: Any, fake_time: Any) -> None:
    server = graph()
    client = _ig(server, fake_time, direct_messages=True)
    question = server.direct_message("5501", "giulia", "Siete aperti?")
    first = client.fetch_inbox()
    [pulled] = first.messages
    answer = client.reply(
        Comment(
            platform=Platform.INSTAGRAM,
            comment_id=pulled.message_id,
            author=pulled.author,
            author_id=pulled.author_id,
            text=pulled.text,
            created_at=pulled.created_at,
            kind=MessageKind.DIRECT,
        ),
        "Sì, fino alle 20",
    )
    events = parse_webhook(
        _delivery(
            {
                "sender": {"id": "5501"},
                "recipient": {"id": IG_USER},
                "timestamp": int(question["at"].timestamp() * 1000),
                "message": {"mid": question["id"], "text": "Siete aperti?"},
            },
            {
                "sender": {"id": IG_USER},
                "recipient": {"id": "5501"},
                "timestamp": int(fake_time.now().timestamp() * 1000),
                "message": {"mid": answer.comment_id, "text": "Sì, fino alle 20", "is_echo": True},
            },
            {"sender": {"id": "5501"}, "recipient": {"id": IG_USER}, "read": {"mid": "x"}},
            {"sender": {"id": "5501"}, "message": {"mid": "gone", "is_deleted": True}},
        )
    )
    assert [e.kind for e in events] == ["direct", "direct"]  # reads and deletions left out
    hooked, echo = (webhook_message(e, channel="instagram", account_id=IG_USER) for e in events)
    assert hooked is not None and echo is not None
    assert (hooked.key, hooked.thread_id, hooked.kind, hooked.private, hooked.created_at) == (
        pulled.key,
        pulled.thread_id,
        MessageKind.DIRECT,
        True,
        pulled.created_at,
    )
    assert not hooked.from_brand and hooked.author_id == "5501"
    [mine] = client.fetch_inbox(first.cursor).messages  # the brand's answer, pulled
    assert (echo.key, echo.thread_id, echo.from_brand) == (mine.key, mine.thread_id, True)
    assert mine.thread_id == pulled.thread_id == "5501"  # one thread: the other person
