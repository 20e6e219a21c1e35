"""The Threads operations (sans-I/O), on ``graph.threads.net``.

References (read November 2026; Threads is not in Meta's codegen specs): posts
https://developers.facebook.com/documentation/threads/posts (``POST /<user>/threads`` with
``media_type`` TEXT, IMAGE, VIDEO or CAROUSEL, ``is_carousel_item``, ``reply_to_id``; then
``POST /<user>/threads_publish``), the 250-posts-per-24-hours limit and
``threads_publishing_limit`` https://developers.facebook.com/docs/threads/overview/, reply
management https://developers.facebook.com/docs/threads/reply-management (``GET /<media>/replies``
and ``/conversation``, ``reverse`` default true: newest first), mentions
https://developers.facebook.com/documentation/threads/threads-mentions (updated 2025-03-27:
``GET /<user>/mentions``, ``since`` >= 1688540400, ``threads_manage_mentions``), insights
https://developers.facebook.com/docs/threads/insights.

The same container flow as Instagram (:mod:`smmkit.platforms._graph._containers`): a container is
published at most once, so an ambiguous ``threads_publish`` is settled by reading the container
(``status``: ``PUBLISHED`` means it went out).
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from smmkit._sinks import safe_url
from smmkit.errors import (
    NotFoundError,
    PermissionDeniedError,
    PlatformError,
    RateLimitedError,
    ValidationError,
)
from smmkit.models import (
    AccountMetrics,
    InboxMessage,
    MediaKind,
    MessageKind,
    Platform,
    PostMetrics,
    Variant,
)
from smmkit.platforms._capabilities import Capability
from smmkit.platforms._core import Operation
from smmkit.platforms._graph import (
    graph_error_info,
)
from smmkit.platforms._graph._call import QUOTA_SUBCODE, obj
from smmkit.platforms._graph._containers import (
    ContainerStatus,
    PollPolicy,
    wait_until_finished,
)
from smmkit.platforms._graph._core import MetaContainerCore, next_cursor
from smmkit.platforms._graph._core import count as _count
from smmkit.platforms._graph._core import listed as _listed
from smmkit.platforms._graph._core import parse_time as _parse_time
from smmkit.platforms._graph._metrics import metrics_for
from smmkit.platforms._inbox import Watermark, newest_first_page, pulled
from smmkit.platforms._pagination import Page
from smmkit.platforms._protocol import (
    Comment,
    InboxPage,
    PostMarker,
    PublishedPost,
    text_fingerprint,
)
from smmkit.platforms._retry import RetryPolicy

__all__ = ["THREADS_CAROUSEL_MAX", "THREADS_EXTRAS", "THREADS_TEXT_MAX", "ThreadsCore"]

THREADS_TEXT_MAX = 500
THREADS_CAROUSEL_MAX = 20
THREADS_EXTRAS = frozenset({"reply_to_id", "reply_control"})
_REPLY_CONTROLS = ("everyone", "accounts_you_follow", "mentioned_only")
_PUBLISH = ("threads_basic", "threads_content_publish")
_REPLIES = ("threads_basic", "threads_manage_replies", "threads_read_replies")
_INSIGHTS = ("threads_basic", "threads_manage_insights")
_MENTIONS = ("threads_basic", "threads_manage_mentions")
_REPLY_FIELDS = (
    "id,text,username,timestamp,permalink,hide_status,replied_to,root_post,is_reply_owned_by_me"
)
_MENTION_FIELDS = "id,text,username,timestamp,permalink,root_post"
_EARLIEST_SINCE = 1_688_540_400  # the mentions edge refuses an older 'since'
_log = logging.getLogger("smmkit.platforms.threads")
_AUTH_HINT = (
    "log in again with Threads' OAuth (threads_basic, threads_content_publish), exchange the "
    "code for a long-lived token and refresh it before its 60 days run out "
    "(smmkit.platforms.meta.MetaTokens.refresh_threads)."
)


class ThreadsCore(MetaContainerCore):
    """Every Threads operation, as generators. ``user_id`` is the Threads user id."""

    platform: ClassVar[Platform] = Platform.THREADS
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
            Capability.PUBLISH_VIDEO,
            Capability.PUBLISH_THREAD,
            Capability.DELETE,
            Capability.READ_COMMENTS,
            Capability.REPLY_COMMENTS,
            Capability.HIDE_COMMENTS,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
            Capability.FIND_POST,
            Capability.READ_INBOX,
        }
    )
    inbox_window: ClassVar[timedelta] = timedelta(days=7)
    """How far back a pull looks for the account's posts (their replies are the inbox)."""
    inbox_pages: int = 4
    """At most this many pages of one listing per pull (each is read newest first until a
    message already pulled)."""

    def __init__(
        self,
        *,
        user_id: str,
        channel: str = "threads",
        account: str | None = None,
        base_url: str = "https://graph.threads.net/v1.0",
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        retry: RetryPolicy | None = None,
        publishing_limit: int = 250,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not user_id or not user_id.isdigit():
            raise ValidationError(
                "user_id", user_id, "the numeric Threads user id (GET /me?fields=id)"
            )
        super().__init__(
            channel=channel,
            api_root=base_url.rstrip("/"),
            auth_hint=_AUTH_HINT,
            account=account,
            retry=retry,
            clock=clock,
            containers=containers,
            poll=poll or PollPolicy(interval=2.0, max_interval=15.0, max_wait=300.0),
            publishing_limit=publishing_limit,
        )
        self.user_id = user_id

    # -- validation ----------------------------------------------------------------------------
    def validate(self, variant: Variant) -> None:
        unknown = sorted(set(variant.extras) - THREADS_EXTRAS - {"native_schedule"})
        if unknown:
            raise ValidationError(
                "variant.extras",
                unknown,
                f"unknown Threads options; known: {sorted(THREADS_EXTRAS)}",
            )
        for index, text in enumerate((variant.text, *variant.thread)):
            if len(text) > THREADS_TEXT_MAX:
                field = "variant.text" if index == 0 else f"variant.thread[{index - 1}]"
                raise ValidationError(
                    field, len(text), f"a Threads post has at most {THREADS_TEXT_MAX} characters"
                )
        if not variant.text and not variant.media:
            raise ValidationError("variant.text", "", "a Threads post needs text or media")
        if len(variant.media) > THREADS_CAROUSEL_MAX:
            raise ValidationError(
                "variant.media",
                len(variant.media),
                f"a carousel has 2 to {THREADS_CAROUSEL_MAX} items",
            )
        for index, asset in enumerate(variant.media):
            if asset.kind not in (MediaKind.IMAGE, MediaKind.VIDEO) or asset.url is None:
                raise ValidationError(
                    f"variant.media[{index}]",
                    asset.path or asset.kind.value,
                    "Threads takes images and videos from a public https URL",
                )
            if not safe_url(asset.url, field=f"variant.media[{index}].url").startswith("https://"):
                raise ValidationError(
                    f"variant.media[{index}].url", asset.url, "Meta fetches media over HTTPS only"
                )
        control = variant.extras.get("reply_control")
        if control is not None and control not in _REPLY_CONTROLS:
            raise ValidationError(
                "variant.extras.reply_control", control, f"one of {', '.join(_REPLY_CONTROLS)}"
            )

    # -- publishing limit ----------------------------------------------------------------------
    def publishing_limit_status(self) -> Operation[tuple[int, int, int]]:
        """Operation: ``(used, total, window seconds)`` from ``threads_publishing_limit``."""
        data = yield from self._call(
            "GET",
            "ThreadsUser",
            self.user_id,
            "threads_publishing_limit",
            {"fields": "quota_usage,config"},
            permissions=_PUBLISH,
        )
        return self._quota(data)

    def check_publishing_limit(self) -> Operation[None]:
        now = self.clock()
        if self._blocked_until is not None and now < self._blocked_until:
            raise self._limit_error(self._blocked_until, now)
        used, total, window = yield from self.publishing_limit_status()
        if used < total:
            self._blocked_until = None
            return
        page = yield from self.own_threads(since=now - timedelta(seconds=window))
        times = [t for item in page.items if (t := _parse_time(item.get("timestamp"))) is not None]
        frees = (min(times) if times else now) + timedelta(seconds=window)
        self._blocked_until = frees
        raise self._limit_error(frees, self.clock(), used, total)

    def _limit_error(
        self, frees: datetime, now: datetime, used: int | None = None, total: int | None = None
    ) -> RateLimitedError:
        wait = max((frees - now).total_seconds(), 0.0)
        counts = f" ({used} of {total} posts)" if used is not None else ""
        return RateLimitedError(
            f"threads: the publishing limit of profile {self.user_id} for the moving 24-hour "
            f"window is reached{counts}; the window frees a slot at "
            f"{frees.astimezone(UTC).isoformat(timespec='minutes')}.",
            platform="threads",
            code="threads_publishing_limit",
            retry_after=wait,
            hint=f"publish again after {frees.astimezone(UTC):%Y-%m-%d %H:%M} UTC; "
            "nothing was sent.",
        )

    # -- containers ----------------------------------------------------------------------------
    def create_container(self, params: Mapping[str, object]) -> Operation[str]:
        """Operation: ``POST /<user>/threads`` (repeatable: an unpublished container expires)."""
        data = yield from self._call(
            "POST",
            "ThreadsUser",
            self.user_id,
            "threads",
            params,
            permissions=_PUBLISH,
            idempotent=True,
            action="create a Threads container",
        )
        return str(data["id"])

    def container_status(self, container_id: str) -> Operation[tuple[ContainerStatus, str | None]]:
        return (
            yield from self._read_container(
                "ThreadsContainer", container_id, "status", "error_message"
            )
        )

    def _create_for(
        self, variant: Variant, text: str, reply_to: str | None, with_media: bool
    ) -> Operation[str]:
        base: dict[str, object] = {"text": text or None, "reply_to_id": reply_to}
        if variant.extras.get("reply_control"):
            base["reply_control"] = variant.extras["reply_control"]
        media = variant.media if with_media else ()
        if not media:
            return (yield from self.create_container({"media_type": "TEXT", **base}))
        if len(media) == 1:
            asset = media[0]
            key = "video_url" if asset.kind is MediaKind.VIDEO else "image_url"
            kind = "VIDEO" if asset.kind is MediaKind.VIDEO else "IMAGE"
            return (yield from self.create_container({"media_type": kind, key: asset.url, **base}))
        children: list[str] = []
        for asset in media:
            key = "video_url" if asset.kind is MediaKind.VIDEO else "image_url"
            kind = "VIDEO" if asset.kind is MediaKind.VIDEO else "IMAGE"
            children.append(
                (
                    yield from self.create_container(
                        {"media_type": kind, key: asset.url, "is_carousel_item": True}
                    )
                )
            )
        for child in children:
            yield from wait_until_finished(
                child, self.container_status, self.poll, platform="threads"
            )
        return (
            yield from self.create_container(
                {"media_type": "CAROUSEL", "children": ",".join(children), **base}
            )
        )

    def publish_container(self, container_id: str) -> Operation[PublishedPost]:
        """Operation: ``POST /<user>/threads_publish`` (not repeatable: reconciled instead)."""
        try:
            data = yield from self._call(
                "POST",
                "ThreadsUser",
                self.user_id,
                "threads_publish",
                {"creation_id": container_id},
                permissions=_PUBLISH,
                idempotent=False,
                action="publish a Threads container",
            )
        except RateLimitedError as exc:
            refusal = graph_error_info(exc)
            if refusal is None or refusal.subcode != QUOTA_SUBCODE:
                raise
            now = self.clock()
            page = yield from self.own_threads(since=now - timedelta(days=1))
            times = [t for i in page.items if (t := _parse_time(i.get("timestamp"))) is not None]
            frees = (min(times) if times else now) + timedelta(days=1)
            self._blocked_until = frees
            raise self._limit_error(frees, now) from exc
        media_id = str(data["id"])
        url: str | None = None
        with contextlib.suppress(PlatformError):  # published: a failed read must not fail it
            info = yield from self._call(
                "GET", "ThreadsMedia", media_id, None, {"fields": "id,permalink,timestamp"}
            )
            url = info.get("permalink") if isinstance(info.get("permalink"), str) else None
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=media_id,
            url=url,
            published_at=self.clock(),
        )

    def _publish_part(
        self, variant: Variant, key: str, text: str, reply_to: str | None, with_media: bool
    ) -> Operation[PublishedPost]:
        return (
            yield from self._via_container(
                key,
                text,
                lambda: self._create_for(variant, text, reply_to, with_media),
                self._find_post,
            )
        )

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        reply_to = variant.extras.get("reply_to_id")
        parts = [variant.text, *variant.thread]
        posted: list[PublishedPost] = []
        for index, text in enumerate(parts):
            key = variant.publish_key if index == 0 else f"{variant.publish_key}-{index}"
            parent = posted[-1].post_id if posted else (str(reply_to) if reply_to else None)
            posted.append((yield from self._publish_part(variant, key, text, parent, index == 0)))
        first = posted[0]
        if len(posted) == 1:
            return first
        return first.model_copy(
            update={
                "thread": tuple(p.post_id for p in posted[1:]),
                "reconciled": any(p.reconciled for p in posted),
            }
        )

    # -- reading, finding, deleting --------------------------------------------------------------
    def own_threads(
        self, *, since: datetime | None = None, cursor: str | None = None
    ) -> Operation[Page[dict[str, Any]]]:
        params: dict[str, object] = {
            "fields": "id,text,timestamp,permalink,media_type",
            "limit": 50,
        }
        if since is not None:
            params["since"] = int(since.timestamp())
        if cursor:
            params["after"] = cursor
        data = yield from self._call("GET", "ThreadsUser", self.user_id, "threads", params)
        items = tuple(i for i in data.get("data") or [] if isinstance(i, dict))
        return Page(items, next_cursor=next_cursor(data))

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return (
            yield from self._find_by_text(
                marker,
                lambda since, cursor: self.own_threads(since=since, cursor=cursor),
                "text",
            )
        )

    def _delete(self, post_id: str) -> Operation[None]:
        with contextlib.suppress(NotFoundError):
            yield from self._call(
                "DELETE", "ThreadsMedia", post_id, permissions=("threads_delete",)
            )

    # -- replies ---------------------------------------------------------------------------------
    def _comment(self, data: Mapping[str, Any], post_id: str | None) -> Comment:
        replied = obj(data.get("replied_to")).get("id")
        return Comment(
            platform=self.platform,
            comment_id=str(data["id"]),
            post_id=post_id,
            author=str(data.get("username") or "unknown"),
            text=str(data.get("text") or "")[:10_000],
            created_at=_parse_time(data.get("timestamp")) or self.clock(),
            in_reply_to=str(replied) if replied else None,
            hidden=data.get("hide_status") == "HIDDEN",
            url=data.get("permalink") if isinstance(data.get("permalink"), str) else None,
        )

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        params: dict[str, object] = {
            "fields": "id,text,username,timestamp,hide_status,replied_to,permalink"
        }
        if cursor:
            params["after"] = cursor
        data = yield from self._call(
            "GET", "ThreadsMedia", post_id, "replies", params, permissions=_REPLIES
        )
        items = tuple(
            self._comment(c, post_id) for c in data.get("data") or [] if isinstance(c, dict)
        )
        return Page(items, next_cursor=next_cursor(data))

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        if len(text) > THREADS_TEXT_MAX:
            raise ValidationError("text", len(text), f"at most {THREADS_TEXT_MAX} characters")
        variant = Variant(channel=self.channel, platform=Platform.THREADS, text=text)
        key = f"reply-{to.comment_id}-{text_fingerprint(text)}"
        post = yield from self._publish_part(variant, key, text, to.comment_id, False)
        return Comment(
            platform=self.platform,
            comment_id=post.post_id,
            post_id=to.post_id,
            author="me",
            text=text,
            created_at=self.clock(),
            in_reply_to=to.comment_id,
            url=post.url,
        )

    def set_hidden(self, reply_id: str, hidden: bool) -> Operation[None]:
        """Operation: hide or unhide a reply (``POST /<reply>/manage_reply``; repeatable)."""
        yield from self._call(
            "POST",
            "ThreadsMedia",
            reply_id,
            "manage_reply",
            {"hide": hidden},
            permissions=_REPLIES,
            idempotent=True,
        )

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        return self.set_hidden(comment.comment_id, True)

    # -- the inbox ------------------------------------------------------------------------------
    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        """Replies to the account's posts of the last :attr:`inbox_window`, the posts that
        mention it, and its own replies (which mark what they answer).

        ``GET /<user>/threads?since=<window>`` lists the posts with ``has_replies``; the
        conversation of each post with replies (``GET /<post>/conversation``, every depth,
        newest first) is read back to the cursor's watermark; ``GET /<user>/mentions`` and
        ``GET /<user>/replies`` are read with ``since`` = the watermark. A pull with nothing new
        costs three requests plus one per recent post with replies (Threads gives no reply
        count to skip unchanged posts by). The cursor is a :class:`Watermark`. Without the
        ``threads_manage_mentions`` permission the mentions are left out (logged) and the rest
        is pulled."""
        mark = Watermark.parse(since, "threads")
        size = min(limit or 25, 100)
        now = self.clock()
        window = now - self.inbox_window
        floor = max(mark.at, window) if mark is not None else window
        since_param = min(max(int(floor.timestamp()), _EARLIEST_SINCE), int(now.timestamp()))
        listing = yield from self._call(
            "GET",
            "ThreadsUser",
            self.user_id,
            "threads",
            {"fields": "id,timestamp,has_replies", "since": int(window.timestamp()), "limit": 100},
        )
        posts = [
            str(item["id"])
            for item in _listed(listing, "threads", "threads")
            if isinstance(item.get("id"), str | int) and item.get("has_replies") is True
        ]
        if obj(listing.get("paging")).get("next"):
            _log.warning(
                "threads %s: more than 100 posts in the inbox window; the replies to the older "
                "ones are left out (shorten inbox_window or rely on the replies webhook)",
                self.user_id,
            )
        messages: list[InboxMessage] = []
        for post in posts:
            messages += yield from self._newest_first(
                "ThreadsMedia",
                post,
                "conversation",
                {"fields": _REPLY_FIELDS, "reverse": True, "limit": size},
                functools.partial(self._inbox_reply, post=post),
                mark,
                window,
                _REPLIES,
            )
        try:
            messages += yield from self._newest_first(
                "ThreadsUser",
                self.user_id,
                "mentions",
                {"fields": _MENTION_FIELDS, "since": since_param, "limit": size},
                self._inbox_mention,
                mark,
                window,
                _MENTIONS,
            )
        except PermissionDeniedError as exc:
            # mentions need threads_manage_mentions, which many apps lack: the replies still
            # come in, and the log says what to grant
            _log.warning("threads %s: mentions not read: %s", self.user_id, exc)
        messages += yield from self._newest_first(
            "ThreadsUser",
            self.user_id,
            "replies",
            {"fields": _REPLY_FIELDS, "since": since_param, "limit": size},
            self._inbox_own_reply,
            mark,
            window,
            _REPLIES,
        )
        # a reply of the brand's is in a conversation and in /replies: pulled keeps it once
        ordered, after = pulled(messages, mark)
        return InboxPage(ordered, cursor=after.encode())

    def _newest_first(
        self,
        node: str,
        node_id: str,
        edge: str,
        params: dict[str, object],
        convert: Callable[[Mapping[str, Any]], InboxMessage | None],
        mark: Watermark | None,
        window: datetime,
        permissions: tuple[str, ...],
    ) -> Operation[list[InboxMessage]]:
        """The messages of a newest-first listing that are newer than ``mark`` (and within
        the window), page by page until one is not."""
        found: list[InboxMessage] = []
        after: str | None = None
        for _ in range(self.inbox_pages):
            page = dict(params)
            if after:
                page["after"] = after
            data = yield from self._call("GET", node, node_id, edge, page, permissions=permissions)
            page_found, reached_old = newest_first_page(
                (convert(item) for item in _listed(data, "threads", edge)), mark, window
            )
            found += page_found
            after = next_cursor(data)
            if reached_old or after is None:
                break
        else:
            _log.warning(
                "threads %s: more than %d pages of %s; older ones were left out",
                self.user_id,
                self.inbox_pages,
                edge,
            )
        return found

    def _message_basics(self, item: Mapping[str, Any]) -> dict[str, Any] | None:
        """What every inbox message of Threads shares; ``None`` (logged) without an id or a
        readable timestamp (it could not be placed on the watermark)."""
        media_id = item.get("id")
        when = _parse_time(item.get("timestamp"))
        if not isinstance(media_id, str | int) or isinstance(media_id, bool) or when is None:
            _log.warning("threads: an item without an id or timestamp was skipped")
            return None
        link = item.get("permalink")
        return {
            "channel": self.channel,
            "platform": self.platform,
            "message_id": str(media_id),
            "author": str(item.get("username") or "unknown"),
            "text": str(item.get("text") or "")[:10_000],
            "created_at": when,
            "url": link if isinstance(link, str) else None,
        }

    def _inbox_reply(self, item: Mapping[str, Any], post: str) -> InboxMessage | None:
        base = self._message_basics(item)
        if base is None:
            return None
        parent = _media_ref(item.get("replied_to")) or post
        return InboxMessage(
            **base,
            kind=MessageKind.COMMENT if parent == post else MessageKind.REPLY,
            thread_id=post,
            post_id=post,
            in_reply_to=parent,
            from_brand=item.get("is_reply_owned_by_me") is True,
            hidden=item.get("hide_status") == "HIDDEN",
        )

    def _inbox_mention(self, item: Mapping[str, Any]) -> InboxMessage | None:
        base = self._message_basics(item)
        if base is None:
            return None
        root = _media_ref(item.get("root_post"))
        return InboxMessage(
            **base,
            kind=MessageKind.MENTION,
            thread_id=root or base["message_id"],
            post_id=root,
        )

    def _inbox_own_reply(self, item: Mapping[str, Any]) -> InboxMessage | None:
        base = self._message_basics(item)
        if base is None:
            return None
        parent = _media_ref(item.get("replied_to"))
        root = _media_ref(item.get("root_post")) or parent
        return InboxMessage(
            **base,
            kind=MessageKind.REPLY if parent != root else MessageKind.COMMENT,
            thread_id=root or base["message_id"],
            post_id=root,
            in_reply_to=parent,
            from_brand=True,
        )

    # -- insights --------------------------------------------------------------------------------
    @staticmethod
    def _values(data: Mapping[str, Any], fields: Mapping[str, str], allowed: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in data.get("data") or []:
            if not isinstance(row, dict) or row.get("name") not in fields:
                continue
            field = fields[str(row["name"])]
            if field not in allowed:
                continue
            total = obj(row.get("total_value"))
            values = row.get("values") if isinstance(row.get("values"), list) else []
            value = (
                total.get("value") if total else (obj(values[-1]).get("value") if values else None)
            )
            out[field] = _count(value)
        return out

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        names = metrics_for("threads_media", self.clock().date())
        data = yield from self._call(
            "GET",
            "ThreadsMedia",
            post_id,
            "insights",
            {"metric": ",".join(m.name for m in names)},
            permissions=_INSIGHTS,
        )
        values = self._values(data, {m.name: m.field for m in names}, PostMetrics.model_fields)
        return PostMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            post_id=post_id,
            raw={"data": data.get("data")} if isinstance(data.get("data"), list) else None,
            **values,
        )

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        names = metrics_for("threads_user", self.clock().date())
        data = yield from self._call(
            "GET",
            "ThreadsUser",
            self.user_id,
            "threads_insights",
            {"metric": ",".join(m.name for m in names)},
            permissions=_INSIGHTS,
        )
        values = self._values(data, {m.name: m.field for m in names}, AccountMetrics.model_fields)
        return AccountMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            account_id=self.user_id,
            **values,
        )


def _media_ref(value: object) -> str | None:
    """A media id given as ``{"id": ...}`` (or as the bare id)."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    return None
