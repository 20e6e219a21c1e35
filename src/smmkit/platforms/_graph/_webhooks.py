"""Meta webhooks as pure functions, usable from any web framework.

See https://developers.facebook.com/docs/graph-api/webhooks/getting-started: the subscription is
verified with a GET carrying ``hub.mode=subscribe``, ``hub.verify_token`` and ``hub.challenge``
(answer with the challenge); every event POST carries ``X-Hub-Signature-256: sha256=<hex>``, the
HMAC-SHA256 of the *raw* body keyed with the app secret. Compare in constant time, before parsing.

Events for Instagram (``object: instagram``, fields ``comments`` and ``mentions``; direct
messages under ``entry[].messaging[]``, as events of field ``messages`` and kind ``direct``,
for Pages' Messenger too), Pages
(``object: page``, field ``feed`` with ``item: comment``) and Threads (``replies``, ``mentions``)
are parsed into :class:`WebhookEvent`; comments become the same
:class:`~smmkit.platforms.Comment` the clients return.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageKind, Platform
from smmkit.platforms._protocol import Comment

__all__ = [
    "ReplayGuard",
    "WebhookEvent",
    "WebhookRefused",
    "parse_webhook",
    "sign_body",
    "verify_delivery",
    "verify_signature",
    "verify_subscription",
    "webhook_message",
]

_MAX_BODY = 5 * 1024 * 1024
_MESSAGING = {"instagram": Platform.INSTAGRAM, "page": Platform.FACEBOOK}


class WebhookRefused(ValidationError):
    """A webhook request failed verification; answer it with 403 and do not process it."""


def _secret(value: SecretStr | str) -> bytes:
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not text:
        raise ValidationError("app_secret", "", "the app secret (or verify token) is empty")
    return text.encode("utf-8")


def verify_subscription(params: Mapping[str, str], verify_token: SecretStr | str) -> str:
    """The ``hub.challenge`` to answer a subscription check with, or :class:`WebhookRefused`.

    ``params`` are the query parameters of Meta's GET (any mapping).
    """
    mode = params.get("hub.mode")
    if mode != "subscribe":
        raise WebhookRefused("hub.mode", mode, "must be 'subscribe'")
    given = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(given.encode("utf-8"), _secret(verify_token)):
        raise WebhookRefused(
            "hub.verify_token",
            "<hidden>",
            "does not match the verify token set in the app dashboard",
            hint="use the same verify token in the dashboard's webhook settings and here.",
        )
    challenge = params.get("hub.challenge")
    if not challenge or len(challenge) > 256:
        raise WebhookRefused("hub.challenge", challenge, "must be a non-empty value")
    return challenge


def sign_body(body: bytes, app_secret: SecretStr | str) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body`` (for tests and fake servers)."""
    return "sha256=" + hmac.new(_secret(app_secret), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, app_secret: SecretStr | str) -> None:
    """Check ``X-Hub-Signature-256`` against the raw ``body``; :class:`WebhookRefused` if not."""
    if not isinstance(body, bytes | bytearray):
        raise WebhookRefused(
            "body", type(body).__name__, "must be the raw request body (bytes), before parsing"
        )
    if not header or not header.startswith("sha256=") or len(header) != 71:
        raise WebhookRefused(
            "X-Hub-Signature-256",
            (header or "")[:12],
            "missing or not 'sha256=<64 hex digits>'",
        )
    expected = sign_body(bytes(body), app_secret)
    if not hmac.compare_digest(expected.encode("ascii"), header.lower().encode("ascii", "replace")):
        raise WebhookRefused(
            "X-Hub-Signature-256",
            header[:12] + "...",
            "does not match the body signed with the app secret (tampered body or wrong secret)",
            hint="sign with the app secret of the app that owns the webhook; verify the raw body.",
        )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ReplayGuard:
    """Refuses a delivery seen before: a signature accepted once is refused for ``window``.

    Meta signs only the body, so a captured request (body and header) could be sent again; a
    re-delivery of an event already processed is refused the same way (answer it 200 without
    processing). Thread-safe; at most ``max_entries`` signatures are kept.
    """

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=24),
        clock: Callable[[], datetime] = _utcnow,
        max_entries: int = 100_000,
    ) -> None:
        self.window, self._clock, self.max_entries = window, clock, max_entries
        self._seen: OrderedDict[str, datetime] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, header: str) -> None:
        """Remember ``header`` (a verified signature) or raise :class:`WebhookRefused`."""
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, when = next(iter(self._seen.items()))
                if now - when <= self.window and len(self._seen) < self.max_entries:
                    break
                self._seen.pop(oldest)
            if header in self._seen:
                raise WebhookRefused(
                    "X-Hub-Signature-256",
                    header[:12] + "...",
                    "this signed delivery was already accepted (replayed request)",
                    hint="answer 200 without processing it again.",
                )
            self._seen[header] = now


def verify_delivery(
    body: bytes,
    header: str | None,
    app_secret: SecretStr | str,
    *,
    guard: ReplayGuard | None = None,
) -> list[WebhookEvent]:
    """Verify the signature (and replay, with a ``guard``), then parse the events."""
    verify_signature(body, header, app_secret)
    if guard is not None:
        assert header is not None
        guard.check(header.lower())
    return parse_webhook(body)


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One change from a webhook delivery.

    ``kind`` is ``"comment"``, ``"mention"``, ``"reply"``, ``"direct"`` or the raw ``field``.
    ``comment`` is set when the event carries the comment itself; an Instagram mention carries
    only ids (``media_id``, ``comment_id``): read it with the Instagram client's
    ``mention_message``. For a direct message ``media_id`` holds the other person's id (the
    conversation's thread in the inbox) and ``verb`` is ``"echo"`` for the account's own.
    """

    platform: Platform
    object: str
    field: str
    kind: str
    account_id: str | None
    time: datetime | None
    verb: str | None = None
    comment: Comment | None = None
    media_id: str | None = None
    comment_id: str | None = None
    value: Mapping[str, Any] | None = None


def _text(value: object, limit: int = 10_000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _time(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e11:
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _ig_comment(value: Mapping[str, Any], when: datetime) -> Comment:
    who = _obj(value.get("from"))
    media = _obj(value.get("media"))
    return Comment(
        platform=Platform.INSTAGRAM,
        comment_id=str(value["id"]),
        post_id=str(media["id"]) if media.get("id") else None,
        author=_text(who.get("username")) or _text(who.get("id")) or "unknown",
        text=_text(value.get("text")),
        created_at=when,
        in_reply_to=str(value["parent_id"]) if value.get("parent_id") else None,
    )


def _page_comment(value: Mapping[str, Any], when: datetime) -> Comment:
    who = _obj(value.get("from"))
    post_id = value.get("post_id")
    parent = value.get("parent_id")
    return Comment(
        platform=Platform.FACEBOOK,
        comment_id=str(value["comment_id"]),
        post_id=str(post_id) if post_id else None,
        author=_text(who.get("name")) or _text(who.get("id")) or "unknown",
        text=_text(value.get("message")),
        created_at=_time(value.get("created_time")) or when,
        in_reply_to=str(parent) if parent and parent != post_id else None,
    )


def _threads_comment(value: Mapping[str, Any], when: datetime) -> Comment:
    replied = _obj(value.get("replied_to"))
    root = _obj(value.get("root_post"))
    return Comment(
        platform=Platform.THREADS,
        comment_id=str(value["id"]),
        post_id=str(root["id"]) if root.get("id") else None,
        author=_text(value.get("username")) or "unknown",
        text=_text(value.get("text")),
        created_at=_time(value.get("timestamp")) or when,
        in_reply_to=str(replied["id"]) if replied.get("id") else None,
        url=_text(value.get("permalink")) or None,
    )


def _direct_event(
    obj: str, account: str | None, when: datetime, item: Mapping[str, Any]
) -> WebhookEvent | None:
    """A direct message (``entry[].messaging[]`` with a ``message``: Instagram, or Messenger
    for a Page), as a ``direct`` event; reactions, reads and other messaging events are left
    out (``None``)."""
    message = _obj(item.get("message"))
    sender = _text(_obj(item.get("sender")).get("id"), 100)
    recipient = _text(_obj(item.get("recipient")).get("id"), 100)
    mid = _text(message.get("mid"), 300)
    if not mid or not sender or message.get("is_deleted") is True:
        return None
    stamp = item.get("timestamp")
    moment = _time(stamp / 1000 if isinstance(stamp, int | float) else None) or when
    echo = message.get("is_echo") is True or (account is not None and sender == account)
    platform = _MESSAGING[obj]
    comment = Comment(
        platform=platform,
        comment_id=mid,
        author=sender,
        author_id=sender,
        text=_text(message.get("text")),
        created_at=moment,
        kind=MessageKind.DIRECT,
        private=True,
    )
    partner = recipient if echo else sender
    return WebhookEvent(
        platform,
        obj,
        "messages",
        "direct",
        account,
        moment,
        "echo" if echo else "add",
        comment,
        partner or None,
        mid,
        item,
    )


def parse_webhook(body: bytes | Mapping[str, Any]) -> list[WebhookEvent]:
    """The events of one delivery (verify the signature first!). Unknown fields are kept as
    events with ``kind`` = the field name; malformed input raises
    :class:`~smmkit.errors.ValidationError`."""
    if isinstance(body, bytes | bytearray):
        if len(body) > _MAX_BODY:
            raise ValidationError("body", len(body), f"a webhook body is at most {_MAX_BODY} bytes")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ValidationError("body", bytes(body[:40]), "is not JSON") from exc
    else:
        data = body
    if not isinstance(data, Mapping) or not isinstance(data.get("entry"), list):
        raise ValidationError("body", str(data)[:60], "a webhook body has 'object' and 'entry'")
    obj = _text(data.get("object"), 50)
    events: list[WebhookEvent] = []
    for entry in data["entry"]:
        if not isinstance(entry, dict):
            continue
        account = str(entry["id"]) if entry.get("id") is not None else None
        when = _time(entry.get("time")) or datetime.fromtimestamp(0, UTC)
        messaging = entry.get("messaging")
        for item in messaging if isinstance(messaging, list) and obj in _MESSAGING else []:
            if isinstance(item, dict):
                event = _direct_event(obj, account, when, item)
                if event is not None:
                    events.append(event)
        changes = entry.get("changes")
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                continue
            events.append(
                _event(obj, account, when, _text(change.get("field"), 50), change["value"])
            )
    return events


def _event(
    obj: str, account: str | None, when: datetime, name: str, value: Mapping[str, Any]
) -> WebhookEvent:
    try:
        if obj == "instagram" and name in ("comments", "live_comments") and value.get("id"):
            comment = _ig_comment(value, when)
            return WebhookEvent(
                Platform.INSTAGRAM,
                obj,
                name,
                "comment",
                account,
                when,
                "add",
                comment,
                comment.post_id,
                comment.comment_id,
                value,
            )
        if obj == "instagram" and name == "mentions":
            return WebhookEvent(
                Platform.INSTAGRAM,
                obj,
                name,
                "mention",
                account,
                when,
                None,
                None,
                str(value.get("media_id")) if value.get("media_id") else None,
                str(value.get("comment_id")) if value.get("comment_id") else None,
                value,
            )
        if obj == "page" and name == "feed" and value.get("item") == "comment":
            comment = _page_comment(value, when)
            return WebhookEvent(
                Platform.FACEBOOK,
                obj,
                name,
                "comment",
                account,
                when,
                _text(value.get("verb"), 20) or None,
                comment,
                comment.post_id,
                comment.comment_id,
                value,
            )
        if obj in ("threads", "user") and name in ("replies", "mentions") and value.get("id"):
            comment = _threads_comment(value, when)
            kind = "reply" if name == "replies" else "mention"
            return WebhookEvent(
                Platform.THREADS,
                obj,
                name,
                kind,
                account,
                when,
                None,
                comment,
                comment.post_id,
                comment.comment_id,
                value,
            )
    except (KeyError, ValueError) as exc:
        raise ValidationError(
            f"entry.changes[{name}]", str(value)[:60], f"malformed: {exc}"
        ) from exc
    platform = {"instagram": Platform.INSTAGRAM, "page": Platform.FACEBOOK}.get(
        obj, Platform.THREADS
    )
    return WebhookEvent(platform, obj, name, name, account, when, value=value)


def webhook_message(
    event: WebhookEvent, *, channel: str, account_id: str | None = None
) -> InboxMessage | None:
    """The inbox message an event carries, for ``channel`` (the brand's channel on the event's
    account), or ``None`` when the event carries no message (an Instagram mention's ids, a
    removed Page comment, another field). The message has the same key a pull of the channel
    gives, so a webhook followed by a pull is one message. ``account_id`` (the channel's own id)
    marks the brand's own comments (``from_brand``)."""
    comment = event.comment
    if comment is not None and event.kind == "direct":
        return InboxMessage(
            channel=channel,
            platform=event.platform,
            message_id=comment.comment_id,
            kind=MessageKind.DIRECT,
            thread_id=event.media_id or comment.comment_id,  # the other person's id
            author=comment.author,
            author_id=comment.author_id,
            text=comment.text,
            created_at=comment.created_at,
            from_brand=event.verb == "echo",
            raw={"webhook": event.field},
        )
    if comment is None or (event.verb or "add") not in ("add", "edited", "edit", "hide", "unhide"):
        return None
    value = event.value or {}
    author = _obj(value.get("from"))
    author_id = _text(author.get("id"), 100) or None
    if event.platform is Platform.THREADS:
        author_id = _text(value.get("username"), 100) or None
    if event.kind == "mention":
        kind = MessageKind.MENTION
    elif comment.in_reply_to and comment.in_reply_to != comment.post_id:
        kind = MessageKind.REPLY
    else:
        kind = MessageKind.COMMENT
    return InboxMessage(
        channel=channel,
        platform=event.platform,
        message_id=comment.comment_id,
        kind=kind,
        thread_id=comment.post_id or comment.comment_id,
        post_id=comment.post_id,
        in_reply_to=comment.in_reply_to,
        author=comment.author,
        author_id=author_id,
        text=comment.text,
        created_at=comment.created_at,
        url=comment.url,
        from_brand=bool(account_id) and author_id == account_id,
        hidden=event.verb == "hide",
        raw={"webhook": event.field},
    )
