"""The Instagram operations (sans-I/O), for both ways Meta offers the API:

* Instagram API with Instagram Login: ``graph.instagram.com``, an Instagram user token;
* Instagram API with Facebook Login: ``graph.facebook.com``, a Facebook user or Page token and
  the Instagram professional account connected to the Page.

References (read November 2026): content publishing
https://developers.facebook.com/docs/instagram-platform/content-publishing/, media_publish
https://developers.facebook.com/documentation/instagram-platform/instagram-graph-api/reference/ig-user/media_publish,
content_publishing_limit
https://developers.facebook.com/documentation/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit,
containers https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container,
comments https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment,
business discovery https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/business_discovery.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from smmkit._sinks import safe_url
from smmkit.errors import (
    NotFoundError,
    PlatformError,
    RateLimitedError,
    UnsupportedCapability,
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
from smmkit.platforms._client import reconcile_unknown
from smmkit.platforms._core import Operation
from smmkit.platforms._graph import (
    graph_error_info,
)
from smmkit.platforms._graph._call import QUOTA_SUBCODE
from smmkit.platforms._graph._containers import (
    ContainerStatus,
    PollPolicy,
    wait_until_finished,
)
from smmkit.platforms._graph._core import MetaContainerCore, listed, next_cursor
from smmkit.platforms._graph._core import count as _count
from smmkit.platforms._graph._core import parse_time as _parse_time
from smmkit.platforms._graph._messaging import read_conversations, send_direct
from smmkit.platforms._graph._metrics import metrics_for
from smmkit.platforms._inbox import CountsCursor, Watermark, newest_first_page, pulled
from smmkit.platforms._pagination import Page
from smmkit.platforms._protocol import (
    Comment,
    InboxPage,
    PostMarker,
    PublishedPost,
    text_fingerprint,
)
from smmkit.platforms._retry import RetryPolicy

if TYPE_CHECKING:
    from smmkit.analytics import CompetitorSnapshot

__all__ = [
    "CAROUSEL_MAX",
    "CAROUSEL_MIN",
    "DEFAULT_GRAPH_VERSION",
    "INSTAGRAM_EXTRAS",
    "InstagramCore",
]

DEFAULT_GRAPH_VERSION = "v24.0"
CAROUSEL_MIN, CAROUSEL_MAX = 2, 10
CAPTION_MAX = 2200
INSTAGRAM_EXTRAS = frozenset(
    {
        "media_type",
        "user_tags",
        "collaborators",
        "cover_url",
        "thumb_offset",
        "share_to_feed",
        "location_id",
        "audio_name",
    }
)
_log = logging.getLogger("smmkit.platforms.instagram")
_MEDIA_FIELDS = "id,caption,timestamp,username,permalink"
_HOSTS = {"instagram": "https://graph.instagram.com", "facebook": "https://graph.facebook.com"}
_PUBLISH_PERMISSIONS = {
    "instagram": ("instagram_business_basic", "instagram_business_content_publish"),
    "facebook": ("instagram_basic", "instagram_content_publish", "pages_read_engagement"),
}
_DM_PERMISSIONS = ("instagram_business_basic", "instagram_business_manage_messages")
_COMMENT_PERMISSIONS = {
    "instagram": ("instagram_business_manage_comments",),
    "facebook": ("instagram_manage_comments",),
}
_INSIGHT_PERMISSIONS = {
    "instagram": ("instagram_business_manage_insights",),
    "facebook": ("instagram_manage_insights",),
}
_AUTH_HINTS = {
    "instagram": "log in again with Business Login for Instagram and exchange the new token for "
    "a long-lived one (smmkit.platforms.meta.MetaTokens); long-lived tokens last 60 days and "
    "must be refreshed before they expire.",
    "facebook": "log in again with Facebook Login for Business (the Page's admin) and get a new "
    "long-lived user or Page token (smmkit.platforms.meta.MetaTokens).",
}


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _listed(data: Mapping[str, Any], what: str) -> list[dict[str, Any]]:
    return listed(data, "instagram", what)


def _graph_id(name: str, value: str) -> str:
    """``value`` when it is a Graph object id (digits, or digits joined by ``_``); anything
    else is refused before it can reach a field expansion."""
    if (
        not isinstance(value, str)
        or not 0 < len(value) <= 64
        or not value.replace("_", "").isascii()
        or not value.replace("_", "").isdigit()
    ):
        raise ValidationError(
            name,
            str(value)[:80],
            "is not an Instagram object id (digits)",
            hint="pass the ids of the webhook event or of the stored message.",
        )
    return value


class InstagramCore(MetaContainerCore):
    """Every Instagram operation, as generators.

    ``ig_user_id`` is the professional account's id; ``login`` is ``"instagram"``
    (``graph.instagram.com``) or ``"facebook"`` (``graph.facebook.com``). ``containers`` maps
    publish keys to their pending container (pass a persistent mapping so that a crash between
    the publish call and its answer is reconciled after a restart). ``schedule_limit`` is read
    live before each publish (``content_publishing_limit``); ``publishing_limit`` is only the
    fallback when Meta's answer lacks ``quota_total``.
    """

    platform: ClassVar[Platform] = Platform.INSTAGRAM
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
            Capability.PUBLISH_VIDEO,
            Capability.DELETE,
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
    inbox_window: ClassVar[timedelta] = timedelta(days=30)
    """How far back a pull looks for the account's media (their comments are the inbox)."""

    def __init__(
        self,
        *,
        ig_user_id: str,
        login: Literal["instagram", "facebook"] = "instagram",
        channel: str = "instagram",
        account: str | None = None,
        version: str = DEFAULT_GRAPH_VERSION,
        base_url: str | None = None,
        containers: MutableMapping[str, str] | None = None,
        poll: PollPolicy | None = None,
        retry: RetryPolicy | None = None,
        publishing_limit: int = 50,
        clock: Callable[[], datetime] | None = None,
        direct_messages: bool = False,
    ) -> None:
        if login not in _HOSTS:
            raise ValidationError("login", login, "must be 'instagram' or 'facebook'")
        if direct_messages and login != "instagram":
            raise ValidationError(
                "direct_messages",
                True,
                "Instagram direct messages are read through the Instagram API with Instagram "
                "Login (GET /<ig-user>/conversations); with Facebook Login they belong to the Page",
                hint="use login='instagram' with the instagram_business_manage_messages "
                "permission, or leave direct_messages off.",
            )
        if not ig_user_id or not ig_user_id.isdigit():
            raise ValidationError(
                "ig_user_id",
                ig_user_id,
                "must be the numeric id of the Instagram professional account",
                hint="read it from GET /me?fields=user_id (Instagram Login) or "
                "GET /<page-id>?fields=instagram_business_account (Facebook Login).",
            )
        super().__init__(
            channel=channel,
            api_root=f"{(base_url or _HOSTS[login]).rstrip('/')}/{version}",
            auth_hint=_AUTH_HINTS[login],
            account=account,
            retry=retry,
            clock=clock,
            containers=containers,
            poll=poll or PollPolicy(),
            publishing_limit=publishing_limit,
        )
        self.login = login
        self.ig_user_id = ig_user_id
        self.direct_messages = direct_messages

    # -- validation ----------------------------------------------------------------------------
    def validate(self, variant: Variant) -> None:
        """Refuse before any request what Instagram cannot publish."""
        unknown = sorted(set(variant.extras) - INSTAGRAM_EXTRAS - {"native_schedule"})
        if unknown:
            raise ValidationError(
                "variant.extras",
                unknown,
                f"unknown Instagram options; known: {sorted(INSTAGRAM_EXTRAS)}",
            )
        media = variant.media
        if not media:
            raise ValidationError(
                "variant.media",
                0,
                "an Instagram post needs an image or a video (text alone cannot be published)",
                hint="attach a MediaAsset with a public https URL.",
            )
        if len(variant.text) > CAPTION_MAX:
            raise ValidationError(
                "variant.text", len(variant.text), f"a caption has at most {CAPTION_MAX} characters"
            )
        if len(media) > CAROUSEL_MAX:
            raise ValidationError(
                "variant.media",
                len(media),
                f"a carousel has {CAROUSEL_MIN} to {CAROUSEL_MAX} items",
            )
        for index, asset in enumerate(media):
            if asset.kind not in (MediaKind.IMAGE, MediaKind.VIDEO):
                raise ValidationError(
                    f"variant.media[{index}].kind",
                    asset.kind.value,
                    "Instagram takes images and videos",
                )
            if asset.url is None:
                raise ValidationError(
                    f"variant.media[{index}].url",
                    asset.path,
                    "Meta downloads media from a public URL; a local path cannot be sent",
                    hint="upload the file to public HTTPS storage and give its URL.",
                )
            url = safe_url(asset.url, field=f"variant.media[{index}].url")
            if not url.lower().startswith("https://"):
                raise ValidationError(
                    f"variant.media[{index}].url", url, "Meta fetches media over HTTPS only"
                )
        media_type = variant.extras.get("media_type")
        if media_type not in (None, "REELS", "STORIES"):
            raise ValidationError(
                "variant.extras.media_type", media_type, "must be REELS or STORIES"
            )
        if media_type == "STORIES" and len(media) != 1:
            raise ValidationError(
                "variant.media", len(media), "a story has exactly one image or video"
            )
        tags = variant.extras.get("user_tags")
        if tags is not None and not (
            isinstance(tags, list)
            and all(isinstance(t, dict) and isinstance(t.get("username"), str) for t in tags)
        ):
            raise ValidationError(
                "variant.extras.user_tags", tags, "a list of {username, x, y} objects"
            )
        collaborators = variant.extras.get("collaborators")
        if collaborators is not None and not (
            isinstance(collaborators, list)
            and len(collaborators) <= 3
            and all(isinstance(c, str) for c in collaborators)
        ):
            raise ValidationError(
                "variant.extras.collaborators", collaborators, "a list of at most 3 usernames"
            )
        cover = variant.extras.get("cover_url")
        if cover is not None:
            safe_url(str(cover), field="variant.extras.cover_url")

    # -- publishing limit ----------------------------------------------------------------------
    def publishing_limit_status(self) -> Operation[tuple[int, int, int]]:
        """Operation: ``(used, total, window seconds)`` from ``content_publishing_limit``."""
        data = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            "content_publishing_limit",
            {"fields": "config,quota_usage"},
            permissions=_PUBLISH_PERMISSIONS[self.login],
        )
        return self._quota(data)

    def _window_frees_at(self, window: int) -> Operation[datetime]:
        now = self.clock()
        since = now - timedelta(seconds=window)
        data = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            "media",
            {"fields": "id,timestamp", "since": int(since.timestamp()), "limit": 100},
        )
        times = [
            t
            for item in data.get("data") or []
            if isinstance(item, dict)
            and (t := _parse_time(item.get("timestamp"))) is not None
            and t >= since
        ]
        return (min(times) if times else now) + timedelta(seconds=window)

    def check_publishing_limit(self) -> Operation[None]:
        """Operation: raise :class:`~smmkit.errors.RateLimitedError` (saying when the window
        frees) if the account's publishing quota is spent; nothing is sent to publish then."""
        now = self.clock()
        if self._blocked_until is not None and now < self._blocked_until:
            raise self._limit_error(None, None, self._blocked_until, now)
        used, total, window = yield from self.publishing_limit_status()
        if used < total:
            self._blocked_until = None
            return
        frees = yield from self._window_frees_at(window)
        self._blocked_until = frees
        raise self._limit_error(used, total, frees, self.clock())

    def _limit_error(
        self, used: int | None, total: int | None, frees: datetime, now: datetime
    ) -> RateLimitedError:
        wait = max((frees - now).total_seconds(), 0.0)
        counts = f" ({used} of {total} posts)" if used is not None else ""
        return RateLimitedError(
            f"instagram: the publishing limit of account {self.ig_user_id} for the moving "
            f"24-hour window is reached{counts}; the window frees a slot at "
            f"{frees.astimezone(UTC).isoformat(timespec='minutes')}.",
            platform="instagram",
            code="content_publishing_limit",
            retry_after=wait,
            hint=f"publish again after {frees.astimezone(UTC):%Y-%m-%d %H:%M} UTC (in "
            f"{wait / 3600:.1f} h); nothing was sent.",
        )

    # -- containers ----------------------------------------------------------------------------
    def _container_params(self, variant: Variant) -> dict[str, object]:
        extras = variant.extras
        params: dict[str, object] = {}
        media = variant.media
        media_type = extras.get("media_type")
        if variant.text:
            params["caption"] = variant.text
        if len(media) == 1:
            asset = media[0]
            if asset.kind is MediaKind.VIDEO:
                params["video_url"] = asset.url
                params["media_type"] = "STORIES" if media_type == "STORIES" else "REELS"
                if extras.get("share_to_feed") is not None and media_type != "STORIES":
                    params["share_to_feed"] = bool(extras["share_to_feed"])
                if extras.get("cover_url"):
                    params["cover_url"] = extras["cover_url"]
                if extras.get("thumb_offset") is not None:
                    params["thumb_offset"] = int(str(extras["thumb_offset"]))
                if extras.get("audio_name"):
                    params["audio_name"] = extras["audio_name"]
            else:
                params["image_url"] = asset.url
                if media_type == "STORIES":
                    params["media_type"] = "STORIES"
                elif asset.alt_text:
                    params["alt_text"] = asset.alt_text
            if media_type == "STORIES":
                params.pop("caption", None)  # stories take no caption
        if extras.get("user_tags") and media_type != "STORIES" and len(media) == 1:
            params["user_tags"] = extras["user_tags"]
        if extras.get("collaborators") and media_type != "STORIES":
            params["collaborators"] = extras["collaborators"]
        if extras.get("location_id"):
            params["location_id"] = extras["location_id"]
        return params

    def create_container(self, params: Mapping[str, object]) -> Operation[str]:
        """Operation: ``POST /<ig-user>/media``; returns the container id.

        A repeated creation makes at most an unpublished container (it expires in 24 hours), so
        the call may be repeated after an ambiguous failure.
        """
        data = yield from self._call(
            "POST",
            "IGUser",
            self.ig_user_id,
            "media",
            params,
            permissions=_PUBLISH_PERMISSIONS[self.login],
            idempotent=True,
            action="create a media container",
        )
        return str(data["id"])

    def container_status(self, container_id: str) -> Operation[tuple[ContainerStatus, str | None]]:
        """Operation: the container's ``status_code`` (and ``status``, Meta's detail)."""
        return (
            yield from self._read_container(
                "ShadowIGMediaBuilder", container_id, "status_code", "status"
            )
        )

    def _create_for(self, variant: Variant) -> Operation[str]:
        if len(variant.media) == 1:
            return (yield from self.create_container(self._container_params(variant)))
        children: list[str] = []
        tags = variant.extras.get("user_tags")  # tags sit on an item: the first image
        for asset in variant.media:
            child: dict[str, object] = {"is_carousel_item": True}
            if asset.kind is MediaKind.VIDEO:
                child["media_type"] = "VIDEO"
                child["video_url"] = asset.url
            else:
                child["image_url"] = asset.url
                if asset.alt_text:
                    child["alt_text"] = asset.alt_text
                if tags:
                    child["user_tags"], tags = tags, None
            children.append((yield from self.create_container(child)))
        for child_id in children:  # children must be processed before the carousel
            yield from wait_until_finished(
                child_id, self.container_status, self.poll, platform="instagram"
            )
        params = self._container_params(variant)
        params["media_type"] = "CAROUSEL"
        params["children"] = ",".join(children)
        return (yield from self.create_container(params))

    def publish_container(self, container_id: str) -> Operation[PublishedPost]:
        """Operation: ``POST /<ig-user>/media_publish`` (not repeatable: reconciled instead)."""
        try:
            data = yield from self._call(
                "POST",
                "IGUser",
                self.ig_user_id,
                "media_publish",
                {"creation_id": container_id},
                permissions=_PUBLISH_PERMISSIONS[self.login],
                idempotent=False,
                action="publish a media container",
            )
        except RateLimitedError as exc:
            refusal = graph_error_info(exc)
            if refusal is None or refusal.subcode != QUOTA_SUBCODE:
                raise
            # Meta counts posts made elsewhere too: remember when the window frees
            frees = yield from self._window_frees_at(86400)
            self._blocked_until = frees
            raise self._limit_error(None, None, frees, self.clock()) from exc
        media_id = str(data["id"])
        url: str | None = None
        published: datetime | None = None
        try:  # the post exists: a failure to read its link must not fail the publish
            read = yield from self._call(
                "GET", "IGMedia", media_id, None, {"fields": "id,permalink,timestamp"}
            )
            url = read.get("permalink") if isinstance(read.get("permalink"), str) else None
            published = _parse_time(read.get("timestamp"))
        except PlatformError:
            pass
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=media_id,
            url=url,
            published_at=published,
        )

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        story = variant.extras.get("media_type") == "STORIES"
        return (
            yield from self._via_container(
                variant.publish_key,
                "" if story else variant.text,  # stories carry no caption
                lambda: self._create_for(variant),
                self._find_story if story else self._find_post,
            )
        )

    # -- finding, deleting ---------------------------------------------------------------------
    def recent_media(
        self, *, since: datetime | None = None, cursor: str | None = None, limit: int = 50
    ) -> Operation[Page[dict[str, Any]]]:
        """Operation: one page of the account's media, newest first."""
        params: dict[str, object] = {
            "fields": "id,caption,timestamp,permalink,media_type,media_product_type",
            "limit": limit,
        }
        if since is not None:
            params["since"] = int(since.timestamp())
        if cursor:
            params["after"] = cursor
        data = yield from self._call("GET", "IGUser", self.ig_user_id, "media", params)
        items = tuple(i for i in data.get("data") or [] if isinstance(i, dict))
        return Page(items, next_cursor=next_cursor(data))

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        return (
            yield from self._find_by_text(
                marker,
                lambda since, cursor: self.recent_media(since=since, cursor=cursor),
                "caption",
            )
        )

    def _find_story(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        """The story published since ``marker.not_before`` (stories are not in ``/media``;
        the oldest one in the window is taken, as stories carry no caption to match)."""
        data = yield from self._call(
            "GET", "IGUser", self.ig_user_id, "stories", {"fields": "id,timestamp,permalink"}
        )
        found: list[tuple[datetime, dict[str, Any]]] = []
        for item in data.get("data") or []:
            moment = _parse_time(_obj(item).get("timestamp"))
            if moment is not None and (marker.not_before is None or moment >= marker.not_before):
                found.append((moment, _obj(item)))
        if not found:
            return None
        moment, item = min(found, key=lambda pair: pair[0])
        return PublishedPost(
            platform=self.platform,
            channel=self.channel,
            post_id=str(item["id"]),
            url=item.get("permalink") if isinstance(item.get("permalink"), str) else None,
            published_at=moment,
            publish_key=marker.publish_key,
        )

    def _delete(self, post_id: str) -> Operation[None]:
        # already gone: a repeated DELETE whose first answer was lost
        with contextlib.suppress(NotFoundError):
            yield from self._call(
                "DELETE", "IGMedia", post_id, permissions=_PUBLISH_PERMISSIONS[self.login]
            )

    # -- comments and mentions -----------------------------------------------------------------
    def _comment(self, data: Mapping[str, Any], post_id: str | None) -> Comment:
        media = _obj(data.get("media"))
        parent = data.get("parent_id")
        return Comment(
            platform=self.platform,
            comment_id=str(data["id"]),
            post_id=post_id or (str(media["id"]) if media.get("id") else None),
            author=str(
                data.get("username") or (data.get("from") or {}).get("username") or "unknown"
            ),
            text=str(data.get("text") or "")[:10_000],
            created_at=_parse_time(data.get("timestamp")) or self.clock(),
            in_reply_to=str(parent) if parent else None,
            hidden=data.get("hidden") is True,
        )

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        params: dict[str, object] = {
            "fields": "id,text,timestamp,username,hidden,parent_id",
            "limit": 50,
        }
        if cursor:
            params["after"] = cursor
        data = yield from self._call(
            "GET",
            "IGMedia",
            post_id,
            "comments",
            params,
            permissions=_COMMENT_PERMISSIONS[self.login],
        )
        items = tuple(
            self._comment(c, post_id) for c in data.get("data") or [] if isinstance(c, dict)
        )
        return Page(items, next_cursor=next_cursor(data))

    def _replies(self, comment_id: str) -> Operation[list[dict[str, Any]]]:
        data = yield from self._call(
            "GET",
            "IGComment",
            comment_id,
            "replies",
            {"fields": "id,text,timestamp,username"},
            permissions=_COMMENT_PERMISSIONS[self.login],
        )
        return [r for r in data.get("data") or [] if isinstance(r, dict)]

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        if to.kind is MessageKind.MENTION:
            return (yield from self._reply_to_mention(to, text))
        if to.kind is MessageKind.DIRECT:
            return (yield from self._reply_to_direct(to, text))
        fingerprint = text_fingerprint(text)

        def attempt() -> Operation[Comment]:
            data = yield from self._call(
                "POST",
                "IGComment",
                to.comment_id,
                "replies",
                {"message": text},
                permissions=_COMMENT_PERMISSIONS[self.login],
                idempotent=False,
                action="reply to a comment",
            )
            return Comment(
                platform=self.platform,
                comment_id=str(data["id"]),
                post_id=to.post_id,
                author="me",
                text=text,
                created_at=self.clock(),
                in_reply_to=to.comment_id,
            )

        def look_up() -> Operation[Comment | None]:
            for reply in (yield from self._replies(to.comment_id)):
                if text_fingerprint(str(reply.get("text") or "")) == fingerprint:
                    found = self._comment(reply, to.post_id)
                    return found.model_copy(update={"in_reply_to": to.comment_id})
            return None

        comment, _ = yield from reconcile_unknown(attempt, look_up)
        return comment

    def set_hidden(self, comment_id: str, hidden: bool) -> Operation[None]:
        """Operation: hide or unhide a comment (``POST /<comment>?hide=``; repeatable)."""
        yield from self._call(
            "POST",
            "IGComment",
            comment_id,
            None,
            {"hide": hidden},
            permissions=_COMMENT_PERMISSIONS[self.login],
            idempotent=True,
        )

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        return self.set_hidden(comment.comment_id, True)

    def _delete_comment(self, comment: Comment) -> Operation[None]:
        """Operation: ``DELETE /<ig-comment-id>`` (idempotent, so retried per the retry table;
        a comment already gone, e.g. a repeated delete whose first answer was lost, is not an
        error)."""
        with contextlib.suppress(NotFoundError):
            yield from self._call(
                "DELETE",
                "IGComment",
                comment.comment_id,
                permissions=_COMMENT_PERMISSIONS[self.login],
            )

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        """Comments and replies on the account's media of the last :attr:`inbox_window`, and
        the media the account is tagged in (mentions).

        ``GET /<ig-user>/media?since=...`` lists the media with their ``comments_count`` (one
        request); only the media whose count changed since the cursor's are read
        (``GET /<media>/comments`` with the replies expanded). ``GET /<ig-user>/tags`` (which
        takes no ``since``) is read newest first and stops at the first page holding a media
        already pulled. Only the messages after the cursor's watermark are returned. A comment
        or caption that @mentions the account without tagging it comes by webhook
        (``mentions``; see :meth:`mention_message`)."""
        state = CountsCursor.parse(since, "instagram")
        size = min(limit or 25, 50)
        listing = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            "media",
            {
                "fields": "id,timestamp,comments_count,permalink",
                "limit": size,
                "since": int((self.clock() - self.inbox_window).timestamp()),
            },
        )
        counts: dict[str, int] = {}
        for item in _listed(listing, "media"):
            if item.get("id") is not None:
                counts[str(item["id"])] = _count(item.get("comments_count")) or 0
        previous = state.counts if state is not None else {}
        messages: list[InboxMessage] = []
        for media_id, count in counts.items():
            if count == 0 or previous.get(media_id) == count:
                continue
            data = yield from self._call(
                "GET",
                "IGMedia",
                media_id,
                "comments",
                {
                    "fields": "id,text,timestamp,username,hidden,parent_id,from,"
                    "replies{id,text,timestamp,username,hidden,parent_id,from}",
                    "limit": 50,
                },
                permissions=_COMMENT_PERMISSIONS[self.login],
            )
            for item in _listed(data, "comments"):
                if item.get("id") is None:
                    continue
                messages.append(self._inbox_message(item, media_id, None))
                replies = _obj(item.get("replies")).get("data")
                for reply in replies if isinstance(replies, list) else []:
                    if isinstance(reply, dict) and reply.get("id") is not None:
                        messages.append(self._inbox_message(reply, media_id, str(item["id"])))
        mark = state.mark if state is not None else None
        messages += yield from self._tagged(mark, size)
        if self.direct_messages:
            messages += yield from self._conversations(mark, size)
        ordered, after = pulled(messages, mark)  # a media tagged twice is one mention
        return InboxPage(ordered, cursor=CountsCursor(after, counts).encode())

    tag_pages: int = 4
    """At most this many pages of ``/tags`` per pull (a first pull reads the
    :attr:`inbox_window`; later pulls stop at the first media already pulled)."""

    def _tagged(self, mark: Watermark | None, size: int) -> Operation[list[InboxMessage]]:
        """The media the account is tagged in that are newer than ``mark`` (and within the
        inbox window), from ``GET /<ig-user>/tags``, newest first, page by page."""
        oldest = self.clock() - self.inbox_window
        found: list[InboxMessage] = []
        after: str | None = None
        for _ in range(self.tag_pages):
            params: dict[str, object] = {"fields": _MEDIA_FIELDS, "limit": size}
            if after:
                params["after"] = after
            data = yield from self._call(
                "GET",
                "IGUser",
                self.ig_user_id,
                "tags",
                params,
                permissions=_COMMENT_PERMISSIONS[self.login],
            )
            page, reached_old = newest_first_page(
                (self._mention_media(item, source="tags") for item in _listed(data, "tags")),
                mark,
                oldest,
            )
            found += page
            after = next_cursor(data)
            if reached_old or after is None:
                break
        else:
            _log.warning(
                "instagram %s: more than %d pages of tagged media; older ones were left out",
                self.ig_user_id,
                self.tag_pages,
            )
        return found

    def _conversations(self, mark: Watermark | None, size: int) -> Operation[list[InboxMessage]]:
        """Direct messages (opt-in, ``direct_messages=True``): ``GET /<ig-user>/conversations``
        (``platform=instagram``), most recently updated first, back to ``mark``; see
        :mod:`smmkit.platforms._graph._messaging`."""
        return (
            yield from read_conversations(
                self,
                node="IGUser",
                node_id=self.ig_user_id,
                platform="instagram",
                mark=mark,
                oldest=self.clock() - self.inbox_window,
                size=size,
                pages=self.tag_pages,
                permissions=_DM_PERMISSIONS,
            )
        )

    def _reply_to_direct(self, to: Comment, text: str) -> Operation[Comment]:
        """``POST /<ig-user>/messages`` to the sender (``to.author_id``, the Instagram-scoped
        id the inbox stored): a direct message is answered privately, once. Meta refuses a
        reply more than 24 hours after the person's last message (the messaging window)."""
        if not self.direct_messages:
            raise UnsupportedCapability(
                "instagram: this client was not opened with direct_messages=True.",
                platform="instagram",
                hint="open the client with direct_messages=True (Instagram Login).",
            )
        return (
            yield from send_direct(
                self,
                node="IGUser",
                node_id=self.ig_user_id,
                to=to,
                text=text,
                permissions=_DM_PERMISSIONS,
            )
        )

    def _mention_media(self, item: Mapping[str, Any], *, source: str) -> InboxMessage | None:
        """A media that tags or @mentions the account, as a ``mention`` (its caption is the
        text); ``None`` (logged) when Meta's answer lacks an id or a readable timestamp (it
        could not be placed on the watermark)."""
        media_id = item.get("id")
        when = _parse_time(item.get("timestamp"))
        if not isinstance(media_id, str | int) or isinstance(media_id, bool) or when is None:
            _log.warning("instagram: a mentioned media without an id or timestamp was skipped")
            return None
        permalink = item.get("permalink")
        return InboxMessage(
            channel=self.channel,
            platform=self.platform,
            message_id=str(media_id),
            kind=MessageKind.MENTION,
            thread_id=str(media_id),
            post_id=str(media_id),
            author=str(item.get("username") or "unknown"),
            text=str(item.get("caption") or "")[:10_000],
            created_at=when,
            url=permalink if isinstance(permalink, str) else None,
            raw={"source": source},
        )

    def mention_message(
        self, *, media_id: str | None, comment_id: str | None = None
    ) -> Operation[InboxMessage]:
        """Operation: the inbox message of a ``mentions`` webhook event (which carries only
        ids): the comment that @mentions the account (``mentioned_comment``, when
        ``comment_id`` is given) or the media whose caption does (``mentioned_media``).

        Meta describes these fields on the Facebook-Login Instagram user only; with Instagram
        Login this raises :class:`~smmkit.errors.UnsupportedCapability` before any request."""
        if self.login != "facebook":
            raise UnsupportedCapability(
                "instagram: mentioned_comment and mentioned_media are read only through the "
                "Instagram API with Facebook Login (Meta's specs list them on that IG user node "
                "only).",
                platform="instagram",
                hint="connect the account with Facebook Login (login='facebook'), or rely on "
                "the tagged media that every inbox pull reads.",
            )
        media = _graph_id("media_id", media_id) if media_id is not None else None
        if comment_id is not None:
            comment = _graph_id("comment_id", comment_id)
            fields = (
                f"mentioned_comment.comment_id({comment})"
                "{id,text,timestamp,username,like_count,media{id,permalink}}"
            )
            data = yield from self._call("GET", "IGUser", self.ig_user_id, None, {"fields": fields})
            found = data.get("mentioned_comment")
            if not isinstance(found, dict) or found.get("id") is None:
                raise NotFoundError(
                    f"instagram: mentioned comment {comment} not found (deleted, or not a "
                    "mention of this account).",
                    platform="instagram",
                    status=404,
                )
            return self._mention_comment(found, media)
        if media is None:
            raise ValidationError(
                "media_id", None, "a mention is a media id, a comment id, or both"
            )
        data = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            None,
            {"fields": f"mentioned_media.media_id({media}){{{_MEDIA_FIELDS}}}"},
        )
        item = data.get("mentioned_media")
        message = self._mention_media(item, source="webhook") if isinstance(item, dict) else None
        if message is None:
            raise NotFoundError(
                f"instagram: mentioned media {media} not found (deleted, private, or not a "
                "mention of this account).",
                platform="instagram",
                status=404,
            )
        return message

    def _mention_comment(self, data: Mapping[str, Any], media_id: str | None) -> InboxMessage:
        media = _obj(data.get("media"))
        on = str(media["id"]) if media.get("id") is not None else media_id
        when = _parse_time(data.get("timestamp"))
        if when is None:
            raise PlatformError(
                "instagram: the mentioned comment has no readable timestamp.",
                platform="instagram",
                hint="Meta's answer lacked 'timestamp'; retry later.",
            )
        link = media.get("permalink")
        return InboxMessage(
            channel=self.channel,
            platform=self.platform,
            message_id=str(data["id"]),
            kind=MessageKind.MENTION,
            thread_id=on or str(data["id"]),
            post_id=on,
            author=str(data.get("username") or "unknown"),
            text=str(data.get("text") or "")[:10_000],
            created_at=when,
            url=link if isinstance(link, str) else None,
            raw={"source": "webhook"},
        )

    def _reply_to_mention(self, to: Comment, text: str) -> Operation[Comment]:
        """``POST /<ig-user>/mentions`` (``media_id``, ``comment_id`` for a comment): the way
        to answer a mention on someone else's media. Sent once: the answer's outcome, if lost,
        is reported unknown and never guessed (Meta offers no look-up of it)."""
        if to.post_id is None:
            raise ValidationError(
                "to.post_id",
                None,
                "a reply to an Instagram mention needs the media id the mention is on",
                hint="reply to the mention as the inbox stored it (its post_id is the media).",
            )
        params: dict[str, object] = {"media_id": _graph_id("post_id", to.post_id)}
        if to.comment_id != to.post_id:
            params["comment_id"] = _graph_id("comment_id", to.comment_id)
        params["message"] = text
        data = yield from self._call(
            "POST",
            "IGUser",
            self.ig_user_id,
            "mentions",
            params,
            permissions=_COMMENT_PERMISSIONS[self.login],
            idempotent=False,
            action="reply to a mention",
        )
        if data.get("id") is None:
            raise PlatformError(
                "instagram: the reply to a mention was answered without an id.",
                platform="instagram",
            )
        return Comment(
            platform=self.platform,
            comment_id=str(data["id"]),
            post_id=to.post_id,
            author="me",
            text=text,
            created_at=self.clock(),
            in_reply_to=to.comment_id,
        )

    def _inbox_message(
        self, data: Mapping[str, Any], media_id: str, parent: str | None
    ) -> InboxMessage:
        who = _obj(data.get("from"))
        parent = str(data.get("parent_id") or parent or "") or None
        author_id = str(who["id"]) if who.get("id") is not None else None
        return InboxMessage(
            channel=self.channel,
            platform=self.platform,
            message_id=str(data["id"]),
            kind=MessageKind.REPLY if parent else MessageKind.COMMENT,
            thread_id=media_id,
            post_id=media_id,
            in_reply_to=parent,
            author=str(data.get("username") or who.get("username") or "unknown"),
            author_id=author_id,
            text=str(data.get("text") or "")[:10_000],
            created_at=_parse_time(data.get("timestamp")) or self.clock(),
            from_brand=author_id == self.ig_user_id,
            hidden=data.get("hidden") is True,
        )

    def mentions(self, cursor: str | None = None) -> Operation[Page[Comment]]:
        """Operation: media in which the account is tagged (``/tags``), as comments whose text
        is the caption."""
        params: dict[str, object] = {
            "fields": "id,caption,timestamp,username,permalink",
            "limit": 50,
        }
        if cursor:
            params["after"] = cursor
        data = yield from self._call("GET", "IGUser", self.ig_user_id, "tags", params)
        items = tuple(
            Comment(
                platform=self.platform,
                comment_id=str(m["id"]),
                post_id=str(m["id"]),
                author=str(m.get("username") or "unknown"),
                text=str(m.get("caption") or "")[:10_000],
                created_at=_parse_time(m.get("timestamp")) or self.clock(),
                url=m.get("permalink") if isinstance(m.get("permalink"), str) else None,
            )
            for m in data.get("data") or []
            if isinstance(m, dict)
        )
        return Page(items, next_cursor=next_cursor(data))

    def mentioned_comment(self, comment_id: str) -> Operation[Comment]:
        """Operation: the comment of a ``mentions`` webhook event (``mentioned_comment``)."""
        data = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            None,
            {
                "fields": f"mentioned_comment.comment_id({comment_id})"
                "{id,text,timestamp,username,media{id}}"
            },
        )
        found = data.get("mentioned_comment")
        if not isinstance(found, dict):
            raise NotFoundError(
                f"instagram: mentioned comment {comment_id} not found.",
                platform="instagram",
                status=404,
            )
        return self._comment(found, None)

    # -- metrics -------------------------------------------------------------------------------
    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        names = metrics_for("instagram_media", self.clock().date())
        data = yield from self._call(
            "GET",
            "IGMedia",
            post_id,
            "insights",
            {"metric": ",".join(m.name for m in names)},
            permissions=_INSIGHT_PERMISSIONS[self.login],
        )
        fields = {m.name: m.field for m in names}
        values: dict[str, Any] = {}
        for row in data.get("data") or []:
            if not isinstance(row, dict) or row.get("name") not in fields:
                continue
            total = row.get("total_value") if isinstance(row.get("total_value"), dict) else None
            listed = row.get("values") if isinstance(row.get("values"), list) else []
            value = (
                total.get("value")
                if total
                else (listed[0].get("value") if listed and isinstance(listed[0], dict) else None)
            )
            values[fields[str(row["name"])]] = _count(value)
        return PostMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            post_id=post_id,
            raw={"data": data.get("data")} if isinstance(data.get("data"), list) else None,
            **values,
        )

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        data = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            None,
            {"fields": "id,username,followers_count,follows_count,media_count"},
        )
        now = self.clock()
        names = metrics_for("instagram_account", now.date())
        insights = yield from self._call(
            "GET",
            "IGUser",
            self.ig_user_id,
            "insights",
            {
                "metric": ",".join(m.name for m in names),
                "period": "day",
                "metric_type": "total_value",
            },
            permissions=_INSIGHT_PERMISSIONS[self.login],
        )
        fields = {m.name: m.field for m in names}
        values: dict[str, Any] = {}
        for row in insights.get("data") or []:
            if isinstance(row, dict) and row.get("name") in fields:
                values[fields[str(row["name"])]] = _count(_obj(row.get("total_value")).get("value"))
        return AccountMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=now,
            account_id=str(data.get("id") or self.ig_user_id),
            followers=_count(data.get("followers_count")),
            following=_count(data.get("follows_count")),
            posts_count=_count(data.get("media_count")),
            period_start=now - timedelta(days=1),
            period_end=now,
            **values,
        )

    def business_discovery(
        self, username: str, *, days: int = 30, posts: int = 50, name: str | None = None
    ) -> Operation[CompetitorSnapshot]:
        """Operation: a competitor's public figures (followers, media count, the recent posts'
        likes and comments) as :class:`~smmkit.analytics.CompetitorSnapshot` for
        :func:`~smmkit.analytics.compare_competitors`."""
        if (
            not username
            or not all(c.isalnum() or c in "._" for c in username)
            or len(username) > 30
        ):
            raise ValidationError(
                "username", username, "an Instagram username (letters, digits, . and _)"
            )
        fields = (
            f"business_discovery.username({username})"
            f"{{username,followers_count,media_count,media.limit({max(1, min(posts, 100))})"
            "{timestamp,like_count,comments_count,media_type,media_product_type}}"
        )
        data = yield from self._call("GET", "IGUser", self.ig_user_id, None, {"fields": fields})
        found = data.get("business_discovery")
        if not isinstance(found, dict):
            raise NotFoundError(
                f"instagram: business_discovery found no professional account {username!r}.",
                platform="instagram",
                status=404,
                hint="business_discovery sees business and creator accounts only.",
            )
        from smmkit.analytics import CompetitorSnapshot  # lazy: analytics pulls numpy

        since = self.clock() - timedelta(days=days)
        media = _obj(found.get("media"))
        count = engagements = 0
        formats: dict[str, int] = {}
        for item in media.get("data") or []:
            if not isinstance(item, dict):
                continue
            moment = _parse_time(item.get("timestamp"))
            if moment is None or moment < since:
                continue
            count += 1
            engagements += (_count(item.get("like_count")) or 0) + (
                _count(item.get("comments_count")) or 0
            )
            kind = str(
                item.get("media_product_type") or item.get("media_type") or "unknown"
            ).lower()
            formats[kind] = formats.get(kind, 0) + 1
        return CompetitorSnapshot(
            name=name or str(found.get("username") or username),
            platform=Platform.INSTAGRAM,
            followers_end=_count(found.get("followers_count")),
            posts=count,
            days=float(days),
            engagements=engagements,
            formats=formats,
        )
