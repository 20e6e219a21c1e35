"""The Facebook Page operations (sans-I/O).

References (read November 2026): Page posts https://developers.facebook.com/docs/pages-api/posts
(feed, ``published=false`` + ``scheduled_publish_time``), photos with ``attached_media``
https://developers.facebook.com/docs/graph-api/reference/page/photos/, resumable video upload
https://developers.facebook.com/docs/video-api/guides/publishing, Reels
https://developers.facebook.com/docs/video-api/guides/reels-publishing, comments
https://developers.facebook.com/docs/graph-api/reference/object/comments, Page insights
https://developers.facebook.com/docs/platforminsights/page.

Exactly once: the Pages API takes no idempotency key and has no container, so every publish goes
through :func:`~smmkit.platforms.reconciled_publish`: an ambiguous failure is settled by looking
the post up (published or scheduled posts, or the Page's videos) by its text before anything is
sent again. Unpublished photos and upload phases before ``finish`` create nothing public and may
be repeated.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx

from smmkit._sinks import safe_url
from smmkit.errors import NotFoundError, UnsupportedCapability, ValidationError
from smmkit.models import (
    AccountMetrics,
    InboxMessage,
    MediaAsset,
    MediaKind,
    MessageKind,
    Platform,
    PostMetrics,
    Variant,
)
from smmkit.platforms._capabilities import Capability
from smmkit.platforms._client import reconcile_unknown, reconciled_publish
from smmkit.platforms._core import Operation
from smmkit.platforms._graph import (
    graph_call,
)
from smmkit.platforms._graph._call import GRAPH_EXTENSION, GraphTarget, obj
from smmkit.platforms._graph._core import GraphCore, listed, next_cursor
from smmkit.platforms._graph._core import count as _count
from smmkit.platforms._graph._messaging import read_conversations, send_direct
from smmkit.platforms._graph._metrics import metrics_for
from smmkit.platforms._inbox import CountsCursor, pulled
from smmkit.platforms._pagination import Page
from smmkit.platforms._protocol import (
    Comment,
    InboxPage,
    PostMarker,
    PublishedPost,
    text_fingerprint,
)
from smmkit.platforms._retry import RetryPolicy

__all__ = ["FACEBOOK_EXTRAS", "MIN_SCHEDULE_AHEAD", "FacebookPageCore"]

MIN_SCHEDULE_AHEAD = timedelta(minutes=10)
"""Meta refuses a ``scheduled_publish_time`` less than 10 minutes ahead."""
DEFAULT_MAX_SCHEDULE_AHEAD = timedelta(days=30)
"""A conservative upper limit (sources disagree: 30 days, 75 days, 6 months); configurable."""
RUPLOAD = "https://rupload.facebook.com"
_REMEMBERED = 10_000
FACEBOOK_EXTRAS = frozenset({"link", "reel"})
_PUBLISH = ("pages_manage_posts", "pages_read_engagement")
_ENGAGE = ("pages_manage_engagement", "pages_read_user_content")
_INSIGHTS = ("read_insights", "pages_read_engagement")
_MESSAGING = ("pages_messaging", "pages_read_engagement")
_AUTH_HINT = (
    "get a new Page token: log in again with Facebook Login (an admin of the Page, granting "
    "pages_manage_posts), exchange the user token for a long-lived one and read the Page token "
    "from /me/accounts (smmkit.platforms.meta.MetaTokens.page_tokens)."
)


def _parse_time(value: object) -> datetime | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _load_path(asset: MediaAsset) -> bytes:
    assert asset.path is not None
    return Path(asset.path).read_bytes()


class FacebookPageCore(GraphCore):
    """Every Facebook Page operation, as generators. The client's token is a Page token."""

    platform: ClassVar[Platform] = Platform.FACEBOOK
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
            Capability.PUBLISH_VIDEO,
            Capability.NATIVE_SCHEDULING,
            Capability.DELETE,
            Capability.EDIT,
            Capability.READ_COMMENTS,
            Capability.REPLY_COMMENTS,
            Capability.HIDE_COMMENTS,
            Capability.DELETE_COMMENTS,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
            Capability.FIND_POST,
            Capability.READ_INBOX,
        }
    )

    def __init__(
        self,
        *,
        page_id: str,
        channel: str = "facebook",
        account: str | None = None,
        version: str = "v24.0",
        base_url: str = "https://graph.facebook.com",
        max_schedule_ahead: timedelta = DEFAULT_MAX_SCHEDULE_AHEAD,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        retry: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        upload_authorization: Callable[[], str | None] | None = None,
        direct_messages: bool = False,
    ) -> None:
        if not page_id or not page_id.isdigit():
            raise ValidationError(
                "page_id",
                page_id,
                "the numeric id of the Facebook Page",
                hint="read it from /me/accounts (smmkit.platforms.meta.MetaTokens.page_tokens).",
            )
        super().__init__(
            channel=channel,
            api_root=f"{base_url.rstrip('/')}/{version}",
            auth_hint=_AUTH_HINT,
            account=account,
            retry=retry,
            clock=clock,
        )
        self.page_id = page_id
        self.direct_messages = direct_messages
        self.version = version
        self.max_schedule_ahead = max_schedule_ahead
        self._load_media = load_media
        self._upload_authorization = upload_authorization
        """The ``Authorization`` value for Meta's Reel upload host (from the shell's auth)."""
        self.published: OrderedDict[str, PublishedPost] = OrderedDict()
        """Publish keys that went out in this process (the last 10,000): never sent again."""

    # -- validation ----------------------------------------------------------------------------
    def validate(self, variant: Variant) -> None:
        unknown = sorted(set(variant.extras) - FACEBOOK_EXTRAS - {"native_schedule"})
        if unknown:
            raise ValidationError(
                "variant.extras",
                unknown,
                f"unknown Facebook options; known: {sorted(FACEBOOK_EXTRAS)}",
            )
        link = variant.extras.get("link")
        if link is not None:
            safe_url(str(link), field="variant.extras.link")
            if variant.media:
                raise ValidationError("variant.extras.link", link, "a link post cannot carry media")
        kinds = {m.kind for m in variant.media}
        if MediaKind.VIDEO in kinds and len(variant.media) > 1:
            raise ValidationError(
                "variant.media", len(variant.media), "a video post has exactly one video"
            )
        if not kinds <= {MediaKind.IMAGE, MediaKind.VIDEO}:
            raise ValidationError(
                "variant.media", sorted(k.value for k in kinds), "images or one video"
            )
        if variant.extras.get("reel") and MediaKind.VIDEO not in kinds:
            raise ValidationError("variant.extras.reel", True, "a Reel needs one video")
        for index, asset in enumerate(variant.media):
            if asset.kind is MediaKind.IMAGE and asset.url is None:
                raise ValidationError(
                    f"variant.media[{index}].url",
                    asset.path,
                    "Meta downloads photos from a public URL; give an https URL",
                )
            if asset.url is not None:
                safe_url(asset.url, field=f"variant.media[{index}].url")
        if not variant.text and not variant.media and link is None:
            raise ValidationError("variant.text", "", "a post needs a text, a link or media")

    def scheduled_time(self, variant: Variant) -> int:
        """``scheduled_publish_time`` (Unix seconds), checked: at least 10 minutes ahead and at
        most ``max_schedule_ahead``."""
        when = variant.scheduled_at
        if when is None:
            raise ValidationError(
                "variant.scheduled_at", None, "native scheduling needs a scheduled_at"
            )
        now = self.clock()
        if when < now + MIN_SCHEDULE_AHEAD:
            raise ValidationError(
                "variant.scheduled_at",
                when.isoformat(),
                "Facebook schedules at least 10 minutes ahead",
                hint="publish now instead, or schedule later.",
            )
        if when > now + self.max_schedule_ahead:
            raise ValidationError(
                "variant.scheduled_at",
                when.isoformat(),
                f"at most {self.max_schedule_ahead.days} days ahead (max_schedule_ahead)",
                hint="keep it in smmkit's calendar and publish natively closer to the date.",
            )
        return int(when.timestamp())

    def publish(
        self, variant: Variant, *, native_schedule: bool = False
    ) -> Operation[PublishedPost]:
        if native_schedule:
            self.scheduled_time(variant)
        return super().publish(variant, native_schedule=native_schedule)

    # -- publishing ----------------------------------------------------------------------------
    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        done = self.published.get(variant.publish_key)
        if done is not None:  # this key went out already: never again
            return done.model_copy(update={"reconciled": True})
        post = yield from self._publish_once(variant, native_schedule=native_schedule)
        self.published[variant.publish_key] = post
        while len(self.published) > _REMEMBERED:
            self.published.popitem(last=False)
        return post

    def _publish_once(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        when = self.scheduled_time(variant) if native_schedule else None
        schedule: dict[str, object] = (
            {"published": False, "scheduled_publish_time": when} if when else {}
        )
        started = self.clock() - timedelta(minutes=5)
        video = next((m for m in variant.media if m.kind is MediaKind.VIDEO), None)
        marker = PostMarker(
            publish_key=variant.publish_key,
            channel=self.channel,
            fingerprint=text_fingerprint(variant.text),
            not_before=started,
        )
        if video is not None:
            attempt = (
                (lambda: self._publish_reel(variant, video, when))
                if variant.extras.get("reel")
                else (lambda: self._publish_video(variant, video, schedule))
            )
            finder: Callable[[PostMarker], Operation[PublishedPost | None]] = (
                self._find_reel if variant.extras.get("reel") else self._find_video
            )
        else:
            photo_ids: list[str] = []
            if len(variant.media) > 1:
                for asset in variant.media:  # unpublished photos: invisible, safe to repeat
                    data = yield from self._call(
                        "POST",
                        "Page",
                        self.page_id,
                        "photos",
                        {
                            "url": asset.url,
                            "published": False,
                            "temporary": True if when else None,
                            "alt_text_custom": asset.alt_text,
                        },
                        permissions=_PUBLISH,
                        idempotent=True,
                        action="upload a photo",
                    )
                    photo_ids.append(str(data["id"]))

            def attempt() -> Operation[PublishedPost]:
                return self._post_feed_or_photo(variant, photo_ids, schedule)

            finder = self._find_scheduled if when else self._find_published
        return (
            yield from reconciled_publish(
                attempt,
                finder,
                marker,
                platform="facebook",
                pending=self.pending,
                publish_key=variant.publish_key,
            )
        )

    def _post_feed_or_photo(
        self, variant: Variant, photo_ids: list[str], schedule: Mapping[str, object]
    ) -> Operation[PublishedPost]:
        if len(variant.media) == 1:
            asset = variant.media[0]
            params: dict[str, object] = {
                "url": asset.url,
                "caption": variant.text or None,
                "alt_text_custom": asset.alt_text,
                **schedule,
            }
            data = yield from self._call(
                "POST",
                "Page",
                self.page_id,
                "photos",
                params,
                permissions=_PUBLISH,
                idempotent=False,
                action="publish a photo",
            )
            post_id = str(data.get("post_id") or data["id"])
        else:
            params = {
                "message": variant.text or None,
                "link": variant.extras.get("link"),
                **schedule,
            }
            if photo_ids:
                params["attached_media"] = [{"media_fbid": i} for i in photo_ids]
            data = yield from self._call(
                "POST",
                "Page",
                self.page_id,
                "feed",
                params,
                permissions=_PUBLISH,
                idempotent=False,
                action="publish a post",
            )
            post_id = str(data["id"])
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=post_id,
            url=f"https://www.facebook.com/{post_id}",
            published_at=None if schedule else self.clock(),
            scheduled=bool(schedule),
        )

    def _publish_video(
        self, variant: Variant, asset: MediaAsset, schedule: Mapping[str, object]
    ) -> Operation[PublishedPost]:
        meta: dict[str, object] = {
            "description": variant.text or None,
            "title": variant.title,
            **schedule,
        }
        if asset.url is not None:
            data = yield from self._call(
                "POST",
                "Page",
                self.page_id,
                "videos",
                {"file_url": asset.url, **meta},
                permissions=_PUBLISH,
                idempotent=False,
                action="publish a video",
            )
        else:
            content = self._load_media(asset)
            start = yield from self._call(
                "POST",
                "Page",
                self.page_id,
                "videos",
                {"upload_phase": "start", "file_size": len(content)},
                permissions=_PUBLISH,
                idempotent=True,
                action="start a video upload",
            )
            session = str(start["upload_session_id"])
            offset, end = (
                int(start.get("start_offset", 0)),
                int(start.get("end_offset", len(content))),
            )
            while offset < len(content):
                chunk = content[offset : max(end, offset + 1)]
                answer = yield from self._call(
                    "POST",
                    "Page",
                    self.page_id,
                    "videos",
                    {
                        "upload_phase": "transfer",
                        "upload_session_id": session,
                        "start_offset": offset,
                    },
                    files={"video_file_chunk": ("chunk", chunk, "application/octet-stream")},
                    permissions=_PUBLISH,
                    idempotent=True,
                    action="upload a video chunk",
                )
                offset, end = int(answer["start_offset"]), int(answer["end_offset"])
            data = yield from self._call(
                "POST",
                "Page",
                self.page_id,
                "videos",
                {"upload_phase": "finish", "upload_session_id": session, **meta},
                permissions=_PUBLISH,
                idempotent=False,
                action="publish a video",
            )
            data.setdefault("id", start.get("video_id"))
        video_id = str(data.get("video_id") or data["id"])
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=video_id,
            url=f"https://www.facebook.com/{self.page_id}/videos/{video_id}",
            published_at=None if schedule else self.clock(),
            scheduled=bool(schedule),
        )

    def _publish_reel(
        self, variant: Variant, asset: MediaAsset, when: int | None
    ) -> Operation[PublishedPost]:
        start = yield from self._call(
            "POST",
            "Page",
            self.page_id,
            "video_reels",
            {"upload_phase": "start"},
            permissions=_PUBLISH,
            idempotent=True,
            action="start a Reel upload",
        )
        video_id = str(start["video_id"])
        url = f"{RUPLOAD}/video-upload/{self.version}/{video_id}"
        if asset.url is not None:  # Meta fetches a hosted file itself
            upload = httpx.Request("POST", url, headers={"file_url": asset.url})
        else:
            content = self._load_media(asset)
            upload = httpx.Request(
                "POST",
                url,
                headers={"offset": "0", "file_size": str(len(content))},
                content=content,
            )
        upload.extensions[GRAPH_EXTENSION] = GraphTarget("#special", "rupload")
        # the upload host is Meta's too but not the client's origin, so the driver adds no
        # credentials there: the header Meta documents ("OAuth <token>") is set here
        authorization = self._upload_authorization() if self._upload_authorization else None
        if authorization:
            upload.headers["Authorization"] = authorization
        yield from graph_call(
            upload,
            self.context,
            idempotent=True,
            permissions=_PUBLISH,
            action="upload a Reel",
            credentials=False,
        )
        params: dict[str, object] = {
            "upload_phase": "finish",
            "video_id": video_id,
            "description": variant.text or None,
            "video_state": "SCHEDULED" if when else "PUBLISHED",
            "scheduled_publish_time": when,
        }
        yield from self._call(
            "POST",
            "Page",
            self.page_id,
            "video_reels",
            params,
            permissions=_PUBLISH,
            idempotent=False,
            action="publish a Reel",
        )
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=video_id,
            url=f"https://www.facebook.com/reel/{video_id}",
            published_at=None if when else self.clock(),
            scheduled=bool(when),
        )

    # -- finding (reconciliation) --------------------------------------------------------------
    def _scan(
        self,
        edge: str,
        fields: str,
        text_field: str,
        time_field: str,
        marker: PostMarker,
        node: str = "Page",
        scheduled: bool = False,
    ) -> Operation[PublishedPost | None]:
        cursor: str | None = None
        for _ in range(4):
            params: dict[str, object] = {"fields": fields, "limit": 50}
            if cursor:
                params["after"] = cursor
            data = yield from self._call("GET", node, self.page_id, edge, params)
            for item in data.get("data") or []:
                if not isinstance(item, dict):
                    continue
                created = _parse_time(item.get(time_field))
                if not scheduled and marker.not_before and created and created < marker.not_before:
                    return None
                if text_fingerprint(str(item.get(text_field) or "")) == marker.fingerprint:
                    post_id = str(item["id"])
                    return PublishedPost(
                        platform=self.platform,
                        channel=self.channel,
                        post_id=post_id,
                        url=item.get("permalink_url")
                        if isinstance(item.get("permalink_url"), str)
                        else None,
                        published_at=None if scheduled else created,
                        scheduled=scheduled,
                        publish_key=marker.publish_key,
                    )
            paging = obj(data.get("paging"))
            after = obj(paging.get("cursors")).get("after") if paging.get("next") else None
            if not after:
                return None
            cursor = str(after)
        return None

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        """Look a post up anywhere it may be (the protocol's ``find_post``, used by the runner
        after a crash): published posts, then scheduled posts, videos and Reels."""
        for finder in (
            self._find_published,
            self._find_scheduled,
            self._find_video,
            self._find_reel,
        ):
            found = yield from finder(marker)
            if found is not None:
                return found
        return None

    def _find_published(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return self._scan(
            "published_posts",
            "id,message,created_time,permalink_url",
            "message",
            "created_time",
            marker,
        )

    def _find_scheduled(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return self._scan(
            "scheduled_posts",
            "id,message,scheduled_publish_time",
            "message",
            "scheduled_publish_time",
            marker,
            scheduled=True,
        )

    def _find_video(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return self._scan(
            "videos",
            "id,description,created_time,permalink_url",
            "description",
            "created_time",
            marker,
        )

    def _find_reel(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return self._scan(
            "video_reels", "id,description,created_time", "description", "created_time", marker
        )

    # -- edit, delete ----------------------------------------------------------------------------
    def edit(self, post_id: str, text: str) -> Operation[None]:
        """Operation: change a post's text (``POST /<post>``; repeatable)."""
        yield from self._call(
            "POST",
            "PagePost",
            post_id,
            None,
            {"message": text},
            permissions=_PUBLISH,
            idempotent=True,
            action="edit a post",
        )

    def _delete(self, post_id: str) -> Operation[None]:
        with contextlib.suppress(NotFoundError):  # already gone: a lost answer to a DELETE
            yield from self._call("DELETE", "PagePost", post_id, permissions=_PUBLISH)

    # -- comments ----------------------------------------------------------------------------------
    def _comment(self, data: Mapping[str, Any], post_id: str | None) -> Comment:
        who = obj(data.get("from"))
        parent = obj(data.get("parent")).get("id")
        return Comment(
            platform=self.platform,
            comment_id=str(data["id"]),
            post_id=post_id,
            author=str(who.get("name") or who.get("id") or "unknown"),
            text=str(data.get("message") or "")[:10_000],
            created_at=_parse_time(data.get("created_time")) or self.clock(),
            in_reply_to=str(parent) if parent else None,
            hidden=data.get("is_hidden") is True,
            url=data.get("permalink_url") if isinstance(data.get("permalink_url"), str) else None,
        )

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        params: dict[str, object] = {
            "fields": "id,message,from,created_time,parent{id},is_hidden,permalink_url",
            "filter": "stream",
            "limit": 50,
        }
        if cursor:
            params["after"] = cursor
        data = yield from self._call(
            "GET", "PagePost", post_id, "comments", params, permissions=_ENGAGE
        )
        items = tuple(
            self._comment(c, post_id) for c in data.get("data") or [] if isinstance(c, dict)
        )
        return Page(items, next_cursor=next_cursor(data))

    inbox_window: ClassVar[timedelta] = timedelta(days=30)
    """How far back a pull reads direct messages (``direct_messages=True``)."""
    inbox_pages: int = 4
    """At most this many pages of conversations per pull."""

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        """Comments and replies on the Page's recent posts (and, with
        ``direct_messages=True``, its Messenger conversations).

        ``GET /<page>/published_posts`` lists the recent posts with their comment totals
        (``comments.summary(true).limit(0)``, one request); only the posts whose total changed
        since the cursor's are read, with ``GET /<post>/comments?filter=stream&since=...``
        (replies included, after the cursor's watermark). ``GET /<page>/conversations``
        (``platform=messenger``) is read most recently updated first back to the watermark."""
        state = CountsCursor.parse(since, "facebook")
        listing = yield from self._call(
            "GET",
            "Page",
            self.page_id,
            "published_posts",
            {
                "fields": "id,created_time,comments.summary(true).limit(0)",
                "limit": min(limit or 25, 50),
            },
        )
        counts: dict[str, int] = {}
        for item in listed(listing, "facebook", "published_posts"):
            if isinstance(item.get("id"), str | int):
                total = obj(obj(item.get("comments")).get("summary")).get("total_count")
                counts[str(item["id"])] = _count(total) or 0
        previous = state.counts if state is not None else {}
        mark = state.mark if state is not None else None
        messages: list[InboxMessage] = []
        for post_id, count in counts.items():
            if count == 0 or previous.get(post_id) == count:
                continue
            params: dict[str, object] = {
                "fields": "id,message,from,created_time,parent{id},is_hidden,permalink_url",
                "filter": "stream",
                "order": "chronological",
                "limit": 100,
            }
            if mark is not None:
                params["since"] = int(mark.at.timestamp())
            data = yield from self._call(
                "GET", "PagePost", post_id, "comments", params, permissions=_ENGAGE
            )
            for item in listed(data, "facebook", "comments"):
                if isinstance(item.get("id"), str | int):
                    messages.append(self._inbox_message(item, post_id))
        if self.direct_messages:
            messages += yield from read_conversations(
                self,
                node="Page",
                node_id=self.page_id,
                platform="messenger",
                mark=mark,
                oldest=self.clock() - self.inbox_window,
                size=min(limit or 25, 50),
                pages=self.inbox_pages,
                permissions=_MESSAGING,
            )
        ordered, after = pulled(messages, mark)
        return InboxPage(ordered, cursor=CountsCursor(after, counts).encode())

    def _inbox_message(self, data: Mapping[str, Any], post_id: str) -> InboxMessage:
        who = obj(data.get("from"))
        parent = obj(data.get("parent")).get("id")
        author_id = str(who["id"]) if who.get("id") is not None else None
        return InboxMessage(
            channel=self.channel,
            platform=self.platform,
            message_id=str(data["id"]),
            kind=MessageKind.REPLY if parent else MessageKind.COMMENT,
            thread_id=post_id,
            post_id=post_id,
            in_reply_to=str(parent) if parent else None,
            author=str(who.get("name") or who.get("id") or "unknown"),
            author_id=author_id,
            text=str(data.get("message") or "")[:10_000],
            created_at=_parse_time(data.get("created_time")) or self.clock(),
            url=data.get("permalink_url") if isinstance(data.get("permalink_url"), str) else None,
            from_brand=author_id == self.page_id,
            hidden=data.get("is_hidden") is True,
        )

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        if to.kind is MessageKind.DIRECT:
            return (yield from self._reply_to_direct(to, text))
        fingerprint = text_fingerprint(text)

        def attempt() -> Operation[Comment]:
            data = yield from self._call(
                "POST",
                "Comment",
                to.comment_id,
                "comments",
                {"message": text},
                permissions=_ENGAGE,
                idempotent=False,
                action="reply to a comment",
            )
            return Comment(
                platform=self.platform,
                comment_id=str(data["id"]),
                post_id=to.post_id,
                author=self.page_id,
                text=text,
                created_at=self.clock(),
                in_reply_to=to.comment_id,
            )

        def look_up() -> Operation[Comment | None]:
            data = yield from self._call(
                "GET",
                "Comment",
                to.comment_id,
                "comments",
                {"fields": "id,message,from,created_time"},
                permissions=_ENGAGE,
            )
            for row in data.get("data") or []:
                if (
                    isinstance(row, dict)
                    and text_fingerprint(str(row.get("message") or "")) == fingerprint
                ):
                    return self._comment(row, to.post_id).model_copy(
                        update={"in_reply_to": to.comment_id}
                    )
            return None

        comment, _ = yield from reconcile_unknown(attempt, look_up)
        return comment

    def _reply_to_direct(self, to: Comment, text: str) -> Operation[Comment]:
        """``POST /<page>/messages`` to the sender (``to.author_id``, the Page-scoped id the
        inbox stored), ``messaging_type=RESPONSE``: a Messenger message is answered privately,
        once. Meta accepts it within 24 hours of the person's last message."""
        if not self.direct_messages:
            raise UnsupportedCapability(
                "facebook: this client was not opened with direct_messages=True.",
                platform="facebook",
                hint="open the client with direct_messages=True (pages_messaging).",
            )
        return (
            yield from send_direct(
                self,
                node="Page",
                node_id=self.page_id,
                to=to,
                text=text,
                permissions=_MESSAGING,
                extra={"messaging_type": "RESPONSE"},
            )
        )

    def set_hidden(self, comment_id: str, hidden: bool) -> Operation[None]:
        """Operation: hide or unhide a comment (``is_hidden``; repeatable)."""
        yield from self._call(
            "POST",
            "Comment",
            comment_id,
            None,
            {"is_hidden": hidden},
            permissions=_ENGAGE,
            idempotent=True,
        )

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        return self.set_hidden(comment.comment_id, True)

    def _delete_comment(self, comment: Comment) -> Operation[None]:
        """Operation: ``DELETE /<comment-id>`` (idempotent, so retried per the retry table; a
        comment already gone, e.g. a repeated delete whose first answer was lost, is not an
        error)."""
        with contextlib.suppress(NotFoundError):
            yield from self._call("DELETE", "Comment", comment.comment_id, permissions=_ENGAGE)

    # -- insights --------------------------------------------------------------------------------
    @staticmethod
    def _values(data: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in data.get("data") or []:
            if not isinstance(row, dict) or row.get("name") not in fields:
                continue
            values = row.get("values") if isinstance(row.get("values"), list) else []
            last = values[-1] if values and isinstance(values[-1], dict) else {}
            out[fields[str(row["name"])]] = _count(last.get("value"))
        return out

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        names = metrics_for("page_post", self.clock().date())
        data = yield from self._call(
            "GET",
            "PagePost",
            post_id,
            "insights",
            {"metric": ",".join(m.name for m in names)},
            permissions=_INSIGHTS,
        )
        values = self._values(data, {m.name: m.field for m in names})
        counts = yield from self._call(
            "GET",
            "PagePost",
            post_id,
            None,
            {
                "fields": "id,created_time,shares,reactions.summary(total_count).limit(0),"
                "comments.summary(total_count).limit(0)"
            },
        )
        return PostMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            post_id=post_id,
            published_at=_parse_time(counts.get("created_time")),
            likes=_count(obj(obj(counts.get("reactions")).get("summary")).get("total_count")),
            comments=_count(obj(obj(counts.get("comments")).get("summary")).get("total_count")),
            shares=_count(obj(counts.get("shares")).get("count")),
            **values,
        )

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        names = metrics_for("page", self.clock().date())
        data = yield from self._call(
            "GET",
            "Page",
            self.page_id,
            "insights",
            {"metric": ",".join(m.name for m in names if m.field != "followers"), "period": "day"},
            permissions=_INSIGHTS,
        )
        values = self._values(data, {m.name: m.field for m in names if m.field != "followers"})
        page = yield from self._call(
            "GET", "Page", self.page_id, None, {"fields": "id,name,followers_count"}
        )
        return AccountMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            account_id=self.page_id,
            followers=_count(page.get("followers_count")),
            **values,
        )

    def scheduled_posts(self) -> Operation[list[dict[str, Any]]]:
        """Operation: the Page's natively scheduled posts."""
        data = yield from self._call(
            "GET",
            "Page",
            self.page_id,
            "scheduled_posts",
            {"fields": "id,message,scheduled_publish_time"},
        )
        return [d for d in data.get("data") or [] if isinstance(d, dict)]
