"""A Facebook Page's Messenger conversations in the inbox (opt-in ``direct_messages=True``):
read most recently updated first back to the watermark, each message a private ``direct``
message threaded on the other person's Page-scoped id; a reply goes to the sender with
``POST /<page>/messages`` (``messaging_type=RESPONSE``), never as a public comment; the
Messenger webhook gives the same messages. Every request passes the contract check."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError, UnsupportedCapability, ValidationError
from smmkit.models import MessageKind, Platform, Variant
from smmkit.platforms import Comment
from smmkit.platforms.facebook import FacebookPageClient
from smmkit.platforms.meta import parse_webhook, webhook_message

from .conftest import PAGE_ID, TOKEN, OptionalContract


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract(check_fields=True)


def _fb(server: Any, fake_time: Any, **options: Any) -> FacebookPageClient:
    return FacebookPageClient(
        PAGE_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        **options,
    )


def _edges(server: Any) -> list[str]:
    return [r.url.path.rsplit("/", 1)[-1] for r in server.requests]


def _to(message: Any) -> Comment:
    return Comment(
        platform=Platform.FACEBOOK,
        comment_id=message.message_id,
        author=message.author,
        author_id=message.author_id,
        text=message.text,
        created_at=message.created_at,
        kind=message.kind,
        private=message.private,
    )


def test_messenger_conversations_are_pulled_and_answered_privately(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _fb(server, fake_time, direct_messages=True)
    post = client.publish(Variant(channel="facebook", platform="facebook", text="Menu"))
    server.add_comment(post.post_id, "Che buono", "Anna", fb=True)
    fake_time.advance(30)
    server.direct_message("7701", "Giulia Rossi", "Fate torte su ordinazione?", owner=PAGE_ID)
    server.direct_message("7702", "Marco Bianchi", "Siete aperti a Natale?", owner=PAGE_ID)
    server.direct_message("5501", "ig user", "not the Page's")  # an Instagram conversation
    server.requests.clear()

    first = client.fetch_inbox()
    assert _edges(server) == ["published_posts", "comments", "conversations"]
    assert server.requests[-1].url.params["platform"] == "messenger"
    got = [(m.kind, m.private, m.author, m.thread_id) for m in first.messages]
    assert got == [
        (MessageKind.COMMENT, False, "Anna", post.post_id),
        (MessageKind.DIRECT, True, "Giulia Rossi", "7701"),
        (MessageKind.DIRECT, True, "Marco Bianchi", "7702"),
    ]
    server.requests.clear()
    assert client.fetch_inbox(first.cursor).messages == ()
    assert _edges(server) == ["published_posts", "conversations"]

    fake_time.advance(60)
    sent = client.reply(_to(first.messages[1]), "Certo, con due giorni di preavviso!")
    assert sent.private and _edges(server)[-1] == "messages"
    assert server.requests[-1].method == "POST"
    fake_time.advance(60)
    fresh = client.fetch_inbox(first.cursor)
    assert [(m.text, m.from_brand, m.thread_id) for m in fresh.messages] == [
        ("Certo, con due giorni di preavviso!", True, "7701")
    ]
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_messenger_webhook_and_pull_are_one_message(graph: Any, fake_time: Any) -> None:
    server = graph()
    client = _fb(server, fake_time, direct_messages=True)
    question = server.direct_message("7701", "Giulia Rossi", "Consegnate?", owner=PAGE_ID)
    [pulled] = client.fetch_inbox().messages
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1,
                "messaging": [
                    {
                        "sender": {"id": "7701"},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": int(question["at"].timestamp() * 1000),
                        "message": {"mid": question["id"], "text": "Consegnate?"},
                    }
                ],
            }
        ],
    }
    [event] = parse_webhook(body)
    assert (event.platform, event.kind) == (Platform.FACEBOOK, "direct")
    hooked = webhook_message(event, channel="facebook", account_id=PAGE_ID)
    assert hooked is not None
    assert (hooked.key, hooked.thread_id, hooked.private) == (pulled.key, pulled.thread_id, True)


def test_messenger_refusals_before_any_request(graph: Any, fake_time: Any) -> None:
    server = graph()
    to = Comment(
        platform=Platform.FACEBOOK,
        comment_id="m_1",
        author="Giulia",
        author_id="7701",
        text="ciao",
        created_at=fake_time.now(),
        kind=MessageKind.DIRECT,
    )
    with pytest.raises(UnsupportedCapability, match="direct_messages=True"):
        _fb(server, fake_time).reply(to, "Ciao!")
    with pytest.raises(ValidationError, match="sender's id"):
        _fb(server, fake_time, direct_messages=True).reply(
            to.model_copy(update={"author_id": None}), "Ciao!"
        )
    assert server.requests == []
    plain = _fb(server, fake_time)
    plain.fetch_inbox()
    assert "conversations" not in _edges(server)  # off by default: no permission needed


def test_bad_listing_answers_are_clear_errors(fake_time: Any) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"id": "1"}})

    with pytest.raises(PlatformError, match="published_posts listing"):
        _fb(server, fake_time).fetch_inbox()
