"""Instagram mentions in the inbox, against the fake Graph server: media the account is tagged
in (``GET /<ig-user>/tags``, read newest first until a media already pulled), comments and
captions that @mention it (``mentioned_comment`` / ``mentioned_media``, for ``mentions``
webhooks), replies to them (``POST /<ig-user>/mentions``). Every request passes the contract
check against Meta's specs, the ``fields`` selections included."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Literal

import httpx
import pytest

from smmkit.errors import NotFoundError, PlatformError, UnsupportedCapability, ValidationError
from smmkit.models import MediaAsset, MessageKind, Platform, Variant
from smmkit.platforms import Comment
from smmkit.platforms.instagram import AsyncInstagramClient, InstagramClient

from .conftest import IG_USER, SPECS, TOKEN, OptionalContract


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract(check_fields=True)


def _ig(
    server: Any, fake_time: Any, login: Literal["instagram", "facebook"] = "facebook"
) -> InstagramClient:
    return InstagramClient(
        IG_USER,
        token=TOKEN,
        login=login,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def _edges(server: Any) -> list[str]:
    return [r.url.path.rsplit("/", 1)[-1] for r in server.requests]


def _violations(server: Any, contract: OptionalContract) -> list[str]:
    return [str(v) for r in server.requests for v in contract.check(r)]


@pytest.mark.parametrize("login", ["facebook", "instagram"])
def test_tagged_media_enter_the_inbox_as_mentions_incrementally(
    graph: Any, fake_time: Any, contract: OptionalContract, login: Any
) -> None:
    server = graph()
    client = _ig(server, fake_time, login)
    image = MediaAsset(kind="image", url="https://cdn.forno.test/p.jpg", mime_type="image/jpeg")
    post = client.publish(
        Variant(channel="instagram", platform="instagram", text="Pane", media=(image,))
    )
    server.add_comment(post.post_id, "Aprite domenica?", "giulia")
    fake_time.advance(30)
    tagged = server.tag("Colazione da @forno, che cornetti!", "marco")
    server.requests.clear()

    first = client.fetch_inbox()
    assert _edges(server) == ["media", "comments", "tags"]
    assert [(m.kind, m.author, m.text) for m in first.messages] == [
        (MessageKind.COMMENT, "giulia", "Aprite domenica?"),
        (MessageKind.MENTION, "marco", "Colazione da @forno, che cornetti!"),
    ]
    mention = first.messages[1]
    assert (mention.message_id, mention.thread_id, mention.post_id) == (tagged["id"],) * 3
    assert mention.url == f"https://www.instagram.com/p/{tagged['id']}/"
    assert mention.in_reply_to is None and not mention.from_brand

    server.requests.clear()
    again = client.fetch_inbox(first.cursor)
    assert again.messages == ()
    assert _edges(server) == ["media", "tags"]  # no comments read, one page of tags

    fake_time.advance(60)
    newer = server.tag("Il pane di @forno", "anna")
    server.requests.clear()
    fresh = client.fetch_inbox(again.cursor)
    assert [m.message_id for m in fresh.messages] == [newer["id"]]
    assert _edges(server) == ["media", "tags"]
    assert client.fetch_inbox(fresh.cursor).messages == ()
    assert _violations(server, contract) == []


def test_tags_are_paged_until_a_pulled_media_and_within_the_window(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _ig(server, fake_time)
    server.tag("old news", "ugo", at=fake_time.now() - timedelta(days=40))
    expected = []
    for n in range(30):
        fake_time.advance(1)
        expected.append(server.tag(f"tag {n}", f"user{n}")["id"])
    server.requests.clear()
    first = client.fetch_inbox(limit=10)
    assert _edges(server).count("tags") == 4  # pages of 10: 30 new, the 4th holds the old one
    assert [m.message_id for m in first.messages] == expected  # oldest first, none older
    assert [r.url.params.get("after") for r in server.requests if r.url.path.endswith("tags")][
        1:
    ] == ["10", "20", "30"]

    fake_time.advance(5)
    for n in range(12):
        server.tag(f"later {n}", "zoe")
    server.requests.clear()
    second = client.fetch_inbox(first.cursor, limit=10)
    assert len(second.messages) == 12 and _edges(server).count("tags") == 2
    assert _violations(server, contract) == []


def test_more_tags_than_the_page_cap_are_logged_not_looped(
    graph: Any, fake_time: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = graph()
    client = _ig(server, fake_time)
    for n in range(client.core.tag_pages * 10 + 5):
        fake_time.advance(1)
        server.tag(f"tag {n}", "ugo")
    server.requests.clear()
    page = client.fetch_inbox(limit=10)
    assert _edges(server).count("tags") == client.core.tag_pages
    assert len(page.messages) == client.core.tag_pages * 10
    assert "older ones were left out" in caplog.text


def test_mention_messages_from_webhook_ids_are_deduplicated_with_the_pull(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _ig(server, fake_time)
    tagged = server.tag("Grazie @forno", "marco")
    caption = server.mention_in_caption("Il miglior pane è di @forno", "anna")
    other = server.others_post("Domenica in montagna", "lucia")
    comment = server.mention_in_comment(other["id"], "@forno fate consegne in Appennino?")
    server.requests.clear()

    by_comment = client.mention_message(comment_id=comment["id"], media_id=other["id"])
    assert (by_comment.kind, by_comment.message_id, by_comment.thread_id) == (
        MessageKind.MENTION,
        comment["id"],
        other["id"],
    )
    assert by_comment.text == "@forno fate consegne in Appennino?"
    assert by_comment.author == "unknown"  # Meta's answer names no author here
    by_caption = client.mention_message(media_id=caption["id"])
    assert (by_caption.key, by_caption.text) == (
        f"instagram:{caption['id']}",
        "Il miglior pane è di @forno",
    )
    # the same media by webhook and by the tags pull: one key, so one message in the store
    pulled = client.fetch_inbox().messages
    server.mentioned_media_ids.add(tagged["id"])
    hooked = client.mention_message(media_id=tagged["id"])
    assert [m.key for m in pulled] == [hooked.key]
    assert (hooked.kind, hooked.text, hooked.created_at) == (
        pulled[0].kind,
        pulled[0].text,
        pulled[0].created_at,
    )
    fields = [r.url.params["fields"] for r in server.requests if r.url.path.endswith(IG_USER)]
    assert fields[0].startswith(f"mentioned_comment.comment_id({comment['id']}){{")
    assert fields[1].startswith(f"mentioned_media.media_id({caption['id']}){{")
    assert _violations(server, contract) == []


def test_a_reply_to_a_mention_goes_through_the_mentions_edge(
    graph: Any, fake_time: Any, contract: OptionalContract
) -> None:
    server = graph()
    client = _ig(server, fake_time)
    other = server.others_post("Pranzo in centro", "lucia")
    comment = server.mention_in_comment(other["id"], "@forno siete aperti a Natale?")
    message = client.mention_message(comment_id=comment["id"])
    to = Comment(
        platform=Platform.INSTAGRAM,
        comment_id=message.message_id,
        post_id=message.post_id,
        author=message.author,
        text=message.text,
        created_at=message.created_at,
        kind=message.kind,
    )
    server.requests.clear()
    sent = client.reply(to, "Sì, fino alle 13!")
    assert sent.in_reply_to == comment["id"] and sent.post_id == other["id"]
    assert server.mention_replies == [
        {
            "id": sent.comment_id,
            "media_id": other["id"],
            "comment_id": comment["id"],
            "text": "Sì, fino alle 13!",
        }
    ]
    tagged = server.tag("Che buono @forno", "marco")
    caption = client.fetch_inbox().messages[0]
    client.reply(
        to.model_copy(
            update={"comment_id": caption.message_id, "post_id": caption.post_id, "text": "x"}
        ),
        "Grazie Marco!",
    )
    assert server.mention_replies[-1]["media_id"] == tagged["id"]
    assert server.mention_replies[-1]["comment_id"] is None  # a caption: media_id only
    assert _edges(server).count("mentions") == 2
    assert _violations(server, contract) == []
    with pytest.raises(ValidationError, match="media id"):
        client.reply(to.model_copy(update={"post_id": None}), "Ciao")


def test_mentions_by_id_need_facebook_login_and_clean_ids(graph: Any, fake_time: Any) -> None:
    server = graph()
    client = _ig(server, fake_time, login="instagram")
    with pytest.raises(UnsupportedCapability, match="Facebook Login"):
        client.mention_message(comment_id="1801")
    client = _ig(server, fake_time)
    for bad in ("17){id},business_discovery.username(x", "", "12 34", "١٢٣"):
        with pytest.raises(ValidationError, match="not an Instagram object id"):
            client.mention_message(comment_id=bad)
    with pytest.raises(ValidationError, match="media id, a comment id"):
        client.mention_message()
    assert server.requests == []
    with pytest.raises(PlatformError, match="Invalid parameter"):  # Meta's own refusal
        client.mention_message(media_id="424242")


def _answering(body: Any, status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/media"):
            return httpx.Response(200, json={"data": []})
        if path.endswith(("/tags", IG_USER)):
            return httpx.Response(status, json=body)
        return httpx.Response(404, json={"error": {"message": "no", "code": 100}})

    return handler


@pytest.mark.parametrize(
    ("body", "error", "match"),
    [
        ({"data": {"id": "1"}}, PlatformError, "not a list"),
        ([1, 2], PlatformError, "expected a JSON object"),
        ({"mentioned_comment": {"id": "5", "text": "@forno"}}, PlatformError, "timestamp"),
        ({"mentioned_comment": "gone"}, NotFoundError, "mentioned comment"),
    ],
)
def test_bad_answers_are_clear_errors(
    fake_time: Any, body: Any, error: type[Exception], match: str
) -> None:
    client = _ig(_answering(body), fake_time)
    by_id = match in ("timestamp", "mentioned comment")
    call = (lambda: client.mention_message(comment_id="5")) if by_id else client.fetch_inbox
    with pytest.raises(error, match=match):
        call()


def test_tagged_media_without_an_id_or_a_time_are_skipped(
    fake_time: Any, caplog: pytest.LogCaptureFixture
) -> None:
    good = {"id": "77", "caption": "@forno", "timestamp": "2026-11-26T09:00:00+0000"}
    body = {"data": [{"caption": "no id"}, {"id": "78", "timestamp": "yesterday"}, good, "x"]}
    fake_time.advance(86_400)  # the fake clock starts at 2026-11-26T09:00Z
    page = _ig(_answering(body), fake_time).fetch_inbox()
    assert [m.message_id for m in page.messages] == ["77"]
    assert "skipped" in caplog.text


def test_async_mention_message(graph: Any, fake_time: Any) -> None:
    server = graph()
    other = server.others_post("Pranzo", "lucia")
    comment = server.mention_in_comment(other["id"], "@forno buonissimo")

    async def main() -> str:
        async with AsyncInstagramClient(
            IG_USER,
            token=TOKEN,
            login="facebook",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            found = await client.mention_message(comment_id=comment["id"])
            return found.text

    assert asyncio.run(main()) == "@forno buonissimo"


@pytest.mark.skipif(not SPECS.is_dir(), reason="../shared/specs/meta-graph is absent")
def test_the_fields_check_catches_unknown_names() -> None:
    from smmkit.platforms._graph import GraphApi, GraphContract

    checker = GraphContract(SPECS, check_fields=True)
    api = GraphApi("https://graph.facebook.com/v24.0")
    good = api.request(
        "GET", "IGUser", IG_USER, None, {"fields": "mentioned_comment.comment_id(1){id,media{id}}"}
    )
    assert checker.check(good) == []
    bad = api.request(
        "GET", "IGUser", IG_USER, None, {"fields": "mentioned_comment.comment_id(1){id,nope}"}
    )
    assert [v.rule for v in checker.check(bad)] == ["IGComment has no field or edge 'nope'"]
    edge = api.request("GET", "IGUser", IG_USER, "tags", {"fields": "id,caption,likes"})
    assert [v.rule for v in checker.check(edge)] == ["IGMedia has no field or edge 'likes'"]
    broken = api.request("GET", "IGUser", IG_USER, None, {"fields": "media{id"})
    assert "unclosed" in checker.check(broken)[0].rule
