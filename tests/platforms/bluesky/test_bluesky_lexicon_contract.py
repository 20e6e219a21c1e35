"""Contract: every request the Bluesky client builds, and every record it writes, is valid
against the lexicons in ../shared/specs/atproto-lexicons/, checked by Bluesky's own validator
library (@atproto/lexicon, installed with the PDS harness), not by hand-written checks.

The client runs every operation it has against the fake PDS (with an AppView); each request's
query parameters and input body, and each record inside createRecord/putRecord, are validated
against the lexicon of its method or collection. The fake's answers are validated as outputs
too, so the fake cannot drift from the real API.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from smmkit.models import MediaAsset, MediaKind, Platform, Variant
from smmkit.platforms import PostMarker

ALL_METHODS = {
    "com.atproto.server.createSession",
    "com.atproto.server.getSession",
    "com.atproto.server.refreshSession",
    "com.atproto.identity.resolveHandle",
    "com.atproto.repo.uploadBlob",
    "com.atproto.repo.createRecord",
    "com.atproto.repo.putRecord",
    "com.atproto.repo.getRecord",
    "com.atproto.repo.listRecords",
    "com.atproto.repo.deleteRecord",
    "app.bsky.feed.getPosts",
    "app.bsky.actor.getProfile",
    "app.bsky.feed.getPostThread",
    "app.bsky.notification.listNotifications",
}


def _variant(text: str, **kwargs: Any) -> Variant:
    return Variant(channel="forno-bsky", platform=Platform.BLUESKY, text=text, **kwargs)


def _exercise_everything(client: Any, pds: Any, tmp_path: Any) -> None:
    """Call every operation of the client once (at least)."""
    pds.appview = True
    pds.handles["amica.test"] = "did:plc:amicaamicaamicaamica0000"
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    images = tuple(
        MediaAsset(
            kind=MediaKind.IMAGE,
            path=str(photo),
            mime_type="image/png",
            alt_text=f"foto {i}",
            width=800,
            height=600,
        )
        for i in range(4)
    )
    client.login()
    post = client.publish(
        _variant(
            "Buongiorno @amica.test! Orari su https://forno.example/orari #pane #forno 🥖",
            media=images,
            extras={"langs": ["it"]},
        )
    )
    card = {
        "uri": "https://forno.example/menu",
        "title": "Menu",
        "description": "Oggi",
        "thumb": {"kind": "image", "path": str(photo), "mime_type": "image/png"},
    }
    client.publish(_variant("Il menu", extras={"link_card": card}))
    thread = client.publish(
        _variant(
            "1/2 Lievito madre",
            thread=("2/2 Pazienza",),
            first_comment="Ricetta: https://forno.example/lievito",
        )
    )
    client.publish(_variant("Risposta", extras={"reply_to": thread.thread[0]}))
    client.find_post(
        PostMarker.for_variant(_variant("1/2 Lievito madre", publish_key=thread.publish_key))
    )
    list(client.list_records(page_size=2).pages())
    client.list_records(reverse=True).first_page()
    client.resolve_handle("nessuno.test")
    now = "2026-11-26T09:00:00.000Z"
    author = {"did": "did:plc:amicaamicaamicaamica0000", "handle": "amica.test"}
    reply_uri = "at://did:plc:amicaamicaamicaamica0000/app.bsky.feed.post/3kaaaaaaaaaa2"
    reply_cid = "bafyreigq3exe2m23sojzoachuyucow4vu7eyatati4uy6scr4ixt6xwlhi"
    cid = post.raw["cid"]
    reply_view = {
        "uri": reply_uri,
        "cid": reply_cid,
        "author": author,
        "indexedAt": now,
        "record": {
            "$type": "app.bsky.feed.post",
            "text": "Che buono!",
            "createdAt": now,
            "reply": {
                "root": {"uri": post.post_id, "cid": cid},
                "parent": {"uri": post.post_id, "cid": cid},
            },
        },
    }
    root_view = {
        "uri": post.post_id,
        "cid": cid,
        "indexedAt": now,
        "likeCount": 3,
        "replyCount": 1,
        "repostCount": 0,
        "quoteCount": 0,
        "author": {"did": pds.did, "handle": pds.handle},
        "record": pds.records[post.post_id],
    }
    pds.post_views[post.post_id] = {
        **root_view,
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": root_view,
            "replies": [{"$type": "app.bsky.feed.defs#threadViewPost", "post": reply_view}],
        },
    }
    pds.profile = {
        "did": pds.did,
        "handle": pds.handle,
        "followersCount": 10,
        "followsCount": 2,
        "postsCount": 6,
    }
    client.get_post_metrics(post)
    client.get_account_metrics()
    comments = client.list_comments(post).to_list()
    answer = client.reply(comments[0], "Grazie @amica.test!")
    client.hide_comment(comments[0])
    pds.notifications.append(
        {
            "uri": reply_view["uri"],
            "cid": reply_view["cid"],
            "author": reply_view["author"],
            "reason": "reply",
            "record": reply_view["record"],
            "isRead": False,
            "indexedAt": now,
        }
    )
    first = client.fetch_inbox(limit=10)
    client.fetch_inbox(first.cursor, limit=10)
    client.refresh_session()
    client.delete(answer.comment_id)


def _query(request: httpx.Request) -> dict[str, object]:
    parsed = parse_qs(urlsplit(str(request.url)).query)
    return {k: (v if len(v) > 1 or k == "uris" else v[0]) for k, v in parsed.items()}


def test_every_request_and_record_is_valid(
    make_client: Any, fake_pds: Any, lexicon_validator: Any, tmp_path: Any
) -> None:
    client = make_client()
    _exercise_everything(client, fake_pds, tmp_path)
    problems: list[str] = []
    methods: set[str] = set()
    records = 0
    for nsid, request, response in fake_pds.exchanges:
        methods.add(nsid)
        where = f"{request.method} {nsid}"
        if request.method == "GET":
            error = lexicon_validator.check("params", nsid, _query(request))
        else:
            content_type = request.headers.get("content-type", "")
            body = (
                json.loads(request.content) if content_type.startswith("application/json") else None
            )
            if request.content or nsid != "com.atproto.server.refreshSession":
                error = lexicon_validator.check("input", nsid, body, content_type or None)
            else:
                error = None  # refreshSession takes no input
            if body and "record" in body:
                records += 1
                record_error = lexicon_validator.check("record", body["collection"], body["record"])
                if record_error:
                    problems.append(f"{where}: record: {record_error}")
        if error:
            problems.append(f"{where}: {error}")
        if response.status_code == 200 and response.content:
            output_error = lexicon_validator.check("output", nsid, response.json())
            if output_error:
                problems.append(f"{where}: the fake's output: {output_error}")
    assert problems == []
    assert methods == ALL_METHODS  # every method the client uses was exercised
    assert records >= 7
    assert lexicon_validator.loaded >= 300


@pytest.mark.parametrize(
    ("kind", "nsid", "value", "expected"),
    [
        (
            "record",
            "app.bsky.feed.post",
            {"$type": "app.bsky.feed.post", "text": "é" * 301, "createdAt": "2026-11-26T09:00:00Z"},
            "300 graphemes",
        ),
        ("record", "app.bsky.feed.post", {"$type": "app.bsky.feed.post", "text": "x"}, "createdAt"),
        (
            "params",
            "com.atproto.repo.listRecords",
            {"repo": "did:plc:x", "collection": "app.bsky.feed.post", "limit": "500"},
            "greater than 100",
        ),
        (
            "input",
            "com.atproto.repo.createRecord",
            {"repo": "not a did", "collection": "app.bsky.feed.post", "record": {}},
            "repo",
        ),
        (
            "record",
            "app.bsky.feed.post",
            {
                "$type": "app.bsky.feed.post",
                "text": "x",
                "createdAt": "2026-11-26T09:00:00Z",
                "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "x"}] * 5},
            },
            "images",
        ),
    ],
)
def test_the_validator_rejects_invalid_values(
    lexicon_validator: Any, kind: Any, nsid: Any, value: Any, expected: Any
) -> None:
    error = lexicon_validator.check(kind, nsid, value)
    assert error is not None and expected in error


def test_records_built_offline_are_valid(lexicon_validator: Any) -> None:
    from smmkit.platforms.bluesky._records import StrongRef, external_embed, post_record

    ref = StrongRef(
        f"at://did:plc:abc/app.bsky.feed.post/{'3jd2lkvdibajw'}",
        "bafyreigq3exe2m23sojzoachuyucow4vu7eyatati4uy6scr4ixt6xwlhi",
    )
    record = post_record(
        "ciao",
        datetime(2026, 11, 26, 9, tzinfo=UTC),
        reply=(ref, ref),
        embed=external_embed("https://forno.example", "t", "d"),
        langs=["it"],
    )
    assert lexicon_validator.check("record", "app.bsky.feed.post", record) is None
