"""The Bluesky client's sans-I/O core: every operation written once, as a generator."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx
from pydantic import Field, JsonValue

from smmkit.content import PlatformRules, Violation, validate
from smmkit.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    PlatformError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import (
    AccountMetrics,
    InboxMessage,
    MediaAsset,
    MediaKind,
    MessageKind,
    Platform,
    PostMetrics,
    ValueModel,
    Variant,
)
from smmkit.platforms import (
    Call,
    Capability,
    Comment,
    Dialect,
    InboxPage,
    Operation,
    Page,
    PlatformCore,
    PostMarker,
    PublishedPost,
    Step,
    error_from_response,
    get_logger,
    reconcile_unknown,
    send,
    text_fingerprint,
)
from smmkit.platforms._inbox import Watermark
from smmkit.platforms._media import check_base_url
from smmkit.text import bluesky_facets

from ._records import (
    POST_COLLECTION,
    THREADGATE_COLLECTION,
    AtUri,
    StrongRef,
    external_embed,
    format_datetime,
    image_embed,
    post_record,
    rkey_for,
)
from ._session import BlueskySessionAuth, xrpc_get, xrpc_post

__all__ = ["MAX_IMAGE_BYTES", "BlueskyCore", "BlueskyRecord", "LinkCard", "read_media"]

_log = get_logger("smmkit.platforms.bluesky")

FIRST_COMMENT_PART = 10_000  # the record-key part of a variant's first comment
MAX_IMAGE_BYTES = 2_000_000  # app.bsky.embed.images#image: blob maxSize
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external#external: thumb maxSize
_NO_APPVIEW = "No service configured"
_READ_BUCKET = "default"
_WRITE_BUCKET = "repo-write"

MediaLoader = Callable[[MediaAsset], bytes]


def read_media(asset: MediaAsset) -> bytes:
    """The default media loader: read ``asset.path`` from disk (URLs are not fetched)."""
    if asset.path is None:
        raise ValidationError(
            "media.path",
            asset.url,
            "Bluesky uploads the image's bytes: a local path is needed",
            hint="download the file first and give MediaAsset(path=...), or pass "
            "media_loader= to the client.",
        )
    with open(asset.path, "rb") as handle:
        return handle.read()


class BlueskyRecord(ValueModel):
    """A record read back from a repository: its AT URI, CID and value."""

    uri: str
    cid: str | None = None
    value: dict[str, JsonValue] = Field(default_factory=dict)

    @property
    def rkey(self) -> str:
        return AtUri.parse(self.uri).rkey

    @property
    def text(self) -> str | None:
        text = self.value.get("text")
        return text if isinstance(text, str) else None


class LinkCard(ValueModel):
    """A link card (``app.bsky.embed.external``). ``thumb`` is an image shown on the card.

    Put it in ``Variant.extras["link_card"]`` as a dict with the same keys.
    """

    uri: str = Field(pattern=r"^https?://\S+$")
    title: str = ""
    description: str = ""
    thumb: MediaAsset | None = None


@dataclass(frozen=True)
class _Created:
    ref: StrongRef
    reconciled: bool
    validation_status: str | None = None


def _json(response: httpx.Response) -> dict[str, Any]:
    data = response.json()
    if not isinstance(data, dict):
        raise BadRequestError(
            f"bluesky answered {response.request.url.path} with a non-object body.",
            platform="bluesky",
            status=response.status_code,
        )
    return data


def _error_code(response: httpx.Response, dialect: Dialect) -> tuple[str | None, str | None]:
    return dialect.parse_error(response)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class BlueskyCore(PlatformCore):
    """Bluesky (AT Protocol) operations against a PDS or entryway at ``base_url``.

    Exactly-once publishing: each post's record key is derived from the variant's
    ``publish_key`` (:func:`~._records.rkey_for`), so a retry can never make a second post: an
    ambiguous failure is reconciled with one ``getRecord`` of that key before anything is sent
    again, and a resend of an already-stored key is refused by the PDS itself.
    """

    platform: ClassVar[Platform] = Platform.BLUESKY
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
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
    inbox_reasons: ClassVar[tuple[str, ...]] = ("reply", "mention", "quote")
    inbox_max_pages: ClassVar[int] = 10

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        auth: BlueskySessionAuth,
        dialect: Dialect,
        clock: Callable[[], datetime] | None = None,
        media_loader: MediaLoader = read_media,
        rules: PlatformRules | None = None,
        publish_rounds: int = 3,
        web_url: str = "https://bsky.app",
    ) -> None:
        super().__init__(channel=channel, dialect=dialect, clock=clock)
        self.base_url = check_base_url(base_url)
        self.auth = auth
        self.media_loader = media_loader
        self.rules = rules
        self.publish_rounds = publish_rounds
        self.web_url = web_url.rstrip("/")

    # -- checks (before any request) -----------------------------------------------------------
    def violations(self, variant: Variant) -> list[Violation]:
        """Every rule ``variant`` breaks on Bluesky (empty: it can be published)."""
        found = [
            v
            for v in validate(variant, Platform.BLUESKY, rules=self.rules)
            if v.severity == "error"
        ]
        images = [m for m in variant.media if m.kind in (MediaKind.IMAGE, MediaKind.GIF)]
        for index, asset in enumerate(variant.media):
            if asset.kind not in (MediaKind.IMAGE, MediaKind.GIF):
                found.append(
                    Violation(
                        rule="media.kind",
                        field=f"media[{index}]",
                        measured=asset.kind.value,
                        limit="image",
                        message="this client publishes images only (no video)",
                    )
                )
            size = self._size(asset)
            if (
                size is not None
                and size > MAX_IMAGE_BYTES
                and not any(
                    v.field == f"media[{index}]" and v.rule.endswith("bytes") for v in found
                )
            ):
                found.append(
                    Violation(
                        rule="media.max_image_bytes",
                        field=f"media[{index}]",
                        measured=size,
                        limit=MAX_IMAGE_BYTES,
                        message=f"{size:,} bytes; Bluesky takes images of at most "
                        f"{MAX_IMAGE_BYTES:,} bytes",
                    )
                )
        card = self._link_card(variant)
        if card is not None and images:
            found.append(
                Violation(
                    rule="embed.single",
                    field="extras.link_card",
                    measured="images + link card",
                    limit="one embed",
                    message="a Bluesky post carries images or a link card, not both",
                )
            )
        if card is not None and card.thumb is not None:
            size = self._size(card.thumb)
            if size is not None and size > MAX_THUMB_BYTES:
                found.append(
                    Violation(
                        rule="link_card.thumb_bytes",
                        field="extras.link_card.thumb",
                        measured=size,
                        limit=MAX_THUMB_BYTES,
                        message=f"a link card thumbnail takes at most {MAX_THUMB_BYTES:,} bytes",
                    )
                )
        return found

    def validate(self, variant: Variant) -> None:
        """Raise :class:`~smmkit.errors.ContentRuleError` listing every violation, if any."""
        if variant.platform is not Platform.BLUESKY:
            raise ValidationError(
                "variant.platform", variant.platform.value, "must be 'bluesky' for this client"
            )
        self.refuse_violations(
            self.violations(variant),
            f"bluesky refuses variant {variant.id!r} before sending",
            hint="shorten or split the text (smmkit.content.adapt), or fix the media.",
        )
        for asset in variant.media:
            if asset.path is None and self.media_loader is read_media:
                read_media(asset)  # raises the clear ValidationError

    @staticmethod
    def _size(asset: MediaAsset) -> int | None:
        if asset.path is not None:
            try:
                return os.stat(asset.path).st_size
            except OSError as exc:
                raise ValidationError(
                    "media.path", asset.path, f"cannot be read ({exc.strerror})"
                ) from exc
        return asset.bytes

    @staticmethod
    def _link_card(variant: Variant) -> LinkCard | None:
        raw = variant.extras.get("link_card")
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise ValidationError("extras.link_card", raw, "must be a dict (uri, title, ...)")
        try:
            return LinkCard.model_validate(raw)
        except ValueError as exc:
            raise ValidationError("extras.link_card", raw, f"is not a link card: {exc}") from exc

    # -- small operations ----------------------------------------------------------------------
    def repo(self) -> Operation[str]:
        """The account's DID (logs in once if there is no session yet)."""
        did = self.auth.did
        if did is not None:
            return did
        response = yield from send(xrpc_get(self.base_url, "com.atproto.server.getSession"))
        data = _json(response)
        return str(data["did"])

    def session(self) -> Operation[dict[str, Any]]:
        """``com.atproto.server.getSession``: who the session belongs to."""
        response = yield from send(xrpc_get(self.base_url, "com.atproto.server.getSession"))
        return _json(response)

    def refresh_session(self) -> Operation[dict[str, Any]]:
        """Refresh the session now (``refreshSession``), then confirm it with ``getSession``."""
        self.auth.expire_access_token()
        return (yield from self.session())

    def _get_optional(
        self, request: httpx.Request, missing: frozenset[str]
    ) -> Generator[Step, Any, dict[str, Any] | None]:
        """GET that answers ``None`` for a 400/404 whose error code is in ``missing``."""
        response = yield from send(Call(request, accept=frozenset({400, 404})))
        if response.status_code < 400:
            return _json(response)
        code, _ = _error_code(response, self.dialect)
        if code in missing or response.status_code == 404:
            return None
        raise error_from_response(response, self.dialect, account=self.auth_account)

    @property
    def auth_account(self) -> str:
        return self.auth.handle or self.auth.identifier

    def get_record_or_none(
        self, repo: str, collection: str, rkey: str
    ) -> Operation[BlueskyRecord | None]:
        data = yield from self._get_optional(
            xrpc_get(
                self.base_url,
                "com.atproto.repo.getRecord",
                {"repo": repo, "collection": collection, "rkey": rkey},
            ),
            frozenset({"RecordNotFound", "NotFound"}),
        )
        return None if data is None else BlueskyRecord.model_validate(data)

    def get_record(self, uri: str) -> Operation[BlueskyRecord]:
        """``com.atproto.repo.getRecord`` of an ``at://`` URI (NotFoundError if absent)."""
        at = AtUri.parse(uri)
        record = yield from self.get_record_or_none(at.repo, at.collection, at.rkey)
        if record is None:
            raise NotFoundError(
                f"bluesky: no record at {uri}.",
                platform="bluesky",
                status=400,
                code="RecordNotFound",
                hint="the post was deleted, or the URI is wrong.",
            )
        return record

    def list_records(
        self,
        collection: str = POST_COLLECTION,
        cursor: str | None = None,
        *,
        limit: int = 50,
        reverse: bool | None = None,
        repo: str | None = None,
    ) -> Operation[Page[BlueskyRecord]]:
        """One page of ``com.atproto.repo.listRecords`` (newest first unless ``reverse``)."""
        if not 1 <= limit <= 100:
            raise ValidationError("limit", limit, "must be between 1 and 100")
        owner = repo or (yield from self.repo())
        response = yield from send(
            xrpc_get(
                self.base_url,
                "com.atproto.repo.listRecords",
                {
                    "repo": owner,
                    "collection": collection,
                    "limit": limit,
                    "cursor": cursor,
                    "reverse": reverse,
                },
            )
        )
        data = _json(response)
        records = tuple(BlueskyRecord.model_validate(r) for r in data.get("records", []))
        # A short page is the last one: no need to ask for an empty page after it.
        next_cursor = data.get("cursor") if len(records) == limit else None
        return Page(records, next_cursor=next_cursor if isinstance(next_cursor, str) else None)

    def resolve_handle(self, handle: str) -> Operation[str | None]:
        """``com.atproto.identity.resolveHandle``: the DID of ``handle``, or ``None``."""
        data = yield from self._get_optional(
            xrpc_get(self.base_url, "com.atproto.identity.resolveHandle", {"handle": handle}),
            frozenset({"HandleNotFound", "InvalidRequest"}),
        )
        did = data.get("did") if data else None
        return did if isinstance(did, str) else None

    def upload_blob(self, data: bytes, mime_type: str) -> Operation[dict[str, Any]]:
        """``com.atproto.repo.uploadBlob``; returns the blob reference to put in a record.

        Safe to repeat (a blob is addressed by its content, and an unused one is discarded), so
        the driver may retry it after an ambiguous failure.
        """
        response = yield from send(
            Call(
                xrpc_post(
                    self.base_url,
                    "com.atproto.repo.uploadBlob",
                    content=data,
                    content_type=mime_type,
                ),
                idempotent=True,
            )
        )
        blob = _json(response).get("blob")
        if not isinstance(blob, dict):
            raise BadRequestError(
                "bluesky: uploadBlob answered without a blob.",
                platform="bluesky",
                status=response.status_code,
            )
        return blob

    # -- publishing ------------------------------------------------------------------------------
    def _create_once(
        self, repo: str, rkey: str, record: dict[str, Any]
    ) -> Generator[Step, Any, _Created]:
        """Create ``record`` under ``rkey`` exactly once: an unknown outcome is looked up (one
        ``getRecord``) before anything is sent again."""
        request_body = {"repo": repo, "collection": POST_COLLECTION, "rkey": rkey, "record": record}

        def create() -> Generator[Step, Any, _Created]:
            response = yield from send(
                Call(
                    xrpc_post(self.base_url, "com.atproto.repo.createRecord", request_body),
                    bucket=_WRITE_BUCKET,
                )
            )
            data = _json(response)
            status = data.get("validationStatus")
            return _Created(
                StrongRef(str(data["uri"]), str(data["cid"])),
                False,
                status if isinstance(status, str) else None,
            )

        def look_up() -> Generator[Step, Any, _Created | None]:
            found = yield from self.get_record_or_none(repo, POST_COLLECTION, rkey)
            if found is None:
                return None
            if text_fingerprint(found.text or "") != text_fingerprint(record["text"]):
                raise ConflictError(
                    f"bluesky: record key {rkey} already holds another post.",
                    platform="bluesky",
                    code="RecordKeyTaken",
                    hint="give the variant a new publish_key.",
                )
            return _Created(StrongRef(found.uri, found.cid or ""), True)

        def unknown(error: PlatformError, round_number: int) -> None:
            _log.warning(
                "bluesky: createRecord %s: outcome unknown (round %d); looking it "
                "up before anything is resent",
                rkey,
                round_number,
            )

        created, reconciled = yield from reconcile_unknown(
            create, look_up, rounds=self.publish_rounds, on_unknown=unknown
        )
        if reconciled:
            _log.info("bluesky: createRecord %s reconciled: the post exists", rkey)
        return created

    def _facets(self, text: str) -> Generator[Step, Any, list[dict[str, Any]]]:
        handles: list[str] = []

        def collect(handle: str) -> str | None:
            handles.append(handle)
            return None

        bluesky_facets(text, resolve_handle=collect)
        resolved: dict[str, str | None] = {}
        for handle in dict.fromkeys(handles):
            resolved[handle] = yield from self.resolve_handle(handle)
        return bluesky_facets(text, resolve_handle=resolved.get)

    def _images(self, variant: Variant) -> Generator[Step, Any, dict[str, Any] | None]:
        images: list[dict[str, Any]] = []
        for asset in variant.media:
            blob = yield from self.upload_blob(self.media_loader(asset), asset.mime_type)
            image: dict[str, Any] = {"image": blob, "alt": asset.alt_text or ""}
            if asset.width and asset.height:
                image["aspectRatio"] = {"width": asset.width, "height": asset.height}
            images.append(image)
        return image_embed(images) if images else None

    def _card(self, card: LinkCard) -> Generator[Step, Any, dict[str, Any]]:
        thumb = None
        if card.thumb is not None:
            thumb = yield from self.upload_blob(self.media_loader(card.thumb), card.thumb.mime_type)
        return external_embed(card.uri, card.title, card.description, thumb)

    def _reply_refs(self, uri: str) -> Generator[Step, Any, tuple[StrongRef, StrongRef]]:
        """``(root, parent)`` for a reply to the post at ``uri``."""
        parent = yield from self.get_record(uri)
        parent_ref = StrongRef(parent.uri, parent.cid or "")
        reply = parent.value.get("reply")
        root = reply.get("root") if isinstance(reply, dict) else None
        if isinstance(root, dict) and isinstance(root.get("uri"), str):
            return StrongRef(str(root["uri"]), str(root.get("cid", ""))), parent_ref
        return parent_ref, parent_ref

    def post_url(self, uri: str) -> str:
        at = AtUri.parse(uri)
        return f"{self.web_url}/profile/{self.auth.handle or at.repo}/post/{at.rkey}"

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        repo = yield from self.repo()
        created_at = self.clock()
        langs = variant.extras.get("langs")
        lang_list = [str(x) for x in langs] if isinstance(langs, list) else None
        embed = yield from self._images(variant)
        card = self._link_card(variant)
        if card is not None:
            embed = yield from self._card(card)
        reply: tuple[StrongRef, StrongRef] | None = None
        reply_to = variant.extras.get("reply_to")
        if isinstance(reply_to, str):
            reply = yield from self._reply_refs(reply_to)
        refs: list[StrongRef] = []
        statuses: list[str | None] = []
        reconciled = False
        for part, text in enumerate((variant.text, *variant.thread)):
            facets = yield from self._facets(text)
            record = post_record(
                text,
                created_at + timedelta(milliseconds=part),
                facets=facets,
                embed=embed if part == 0 else None,
                reply=reply,
                langs=lang_list,
            )
            created = yield from self._create_once(
                repo, rkey_for(variant.publish_key, part), record
            )
            reconciled = reconciled or created.reconciled
            refs.append(created.ref)
            statuses.append(created.validation_status)
            root = reply[0] if reply is not None else refs[0]
            reply = (root, created.ref)
        first = refs[0]
        raw: dict[str, JsonValue] = {
            "uri": first.uri,
            "cid": first.cid,
            "validationStatus": statuses[0],
            "thread": [ref.as_json() for ref in refs[1:]],
        }
        if variant.first_comment:
            # The "first comment": a reply of the account's own to the first post.
            text = variant.first_comment
            facets = yield from self._facets(text)
            root_ref = reply[0] if reply is not None else first
            record = post_record(
                text,
                created_at + timedelta(milliseconds=len(refs)),
                facets=facets,
                reply=(root_ref, first),
                langs=lang_list,
            )
            created = yield from self._create_once(
                repo, rkey_for(variant.publish_key, FIRST_COMMENT_PART), record
            )
            reconciled = reconciled or created.reconciled
            raw["first_comment"] = created.ref.as_json()
        return PublishedPost(
            platform=Platform.BLUESKY,
            channel=self.channel,
            post_id=first.uri,
            url=self.post_url(first.uri),
            published_at=created_at,
            publish_key=variant.publish_key,
            thread=tuple(ref.uri for ref in refs[1:]),
            reconciled=reconciled,
            raw=raw,
        )

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        repo = yield from self.repo()
        first = yield from self.get_record_or_none(
            repo, POST_COLLECTION, rkey_for(marker.publish_key, 0)
        )
        if first is None:
            return None
        if text_fingerprint(first.text or "") != marker.fingerprint:
            raise ConflictError(
                f"bluesky: the record key of publish key {marker.publish_key!r} holds a post "
                "with another text.",
                platform="bluesky",
                code="RecordKeyTaken",
                hint="the variant's text changed after it was published, or two variants share "
                "a publish_key; give the new one its own key.",
            )
        thread: list[str] = []
        for part in range(1, 100):
            follow = yield from self.get_record_or_none(
                repo, POST_COLLECTION, rkey_for(marker.publish_key, part)
            )
            if follow is None:
                break
            thread.append(follow.uri)
        created = _parse_time(first.value.get("createdAt"))
        return PublishedPost(
            platform=Platform.BLUESKY,
            channel=self.channel,
            post_id=first.uri,
            url=self.post_url(first.uri),
            published_at=created,
            publish_key=marker.publish_key,
            thread=tuple(thread),
            raw={"uri": first.uri, "cid": first.cid},
        )

    def _delete(self, post_id: str) -> Operation[None]:
        at = AtUri.parse(post_id)
        repo = yield from self.repo()
        yield from send(
            Call(
                xrpc_post(
                    self.base_url,
                    "com.atproto.repo.deleteRecord",
                    {"repo": repo, "collection": at.collection, "rkey": at.rkey},
                ),
                idempotent=True,  # deleting twice answers 200: safe to repeat
                bucket=_WRITE_BUCKET,
            )
        )

    # -- reading back: counts and comments come from the AppView -----------------------------------
    def _appview(self, request: httpx.Request) -> Generator[Step, Any, dict[str, Any] | None]:
        """An AppView query through the PDS; ``None`` when the service has no AppView."""
        response = yield from send(Call(request, accept=frozenset({400, 501})))
        if response.status_code < 400:
            return _json(response)
        _, message = _error_code(response, self.dialect)
        if (message and message.startswith(_NO_APPVIEW)) or response.status_code == 501:
            _log.info("bluesky: %s has no AppView (%s)", self.base_url, message)
            return None
        raise error_from_response(response, self.dialect, account=self.auth_account)

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        AtUri.parse(post_id)
        data = yield from self._appview(
            xrpc_get(self.base_url, "app.bsky.feed.getPosts", {"uris": [post_id]})
        )
        now = self.clock()
        posts = data.get("posts") if data else None
        if not posts:
            if data is not None:
                raise NotFoundError(
                    f"bluesky: the AppView does not know {post_id}.",
                    platform="bluesky",
                    code="NotFound",
                )
            return PostMetrics(
                platform=Platform.BLUESKY,
                measured_at=now,
                channel=self.channel,
                post_id=post_id,
                raw={"unavailable": "no AppView on this service"},
            )
        view = posts[0]
        record = view.get("record") if isinstance(view.get("record"), dict) else {}

        def count(name: str) -> int | None:
            value = view.get(name)
            return value if isinstance(value, int) else None

        return PostMetrics(
            platform=Platform.BLUESKY,
            measured_at=now,
            channel=self.channel,
            post_id=post_id,
            published_at=_parse_time(record.get("createdAt")),
            likes=count("likeCount"),
            comments=count("replyCount"),
            shares=count("repostCount"),
            raw={
                k: view[k]
                for k in ("likeCount", "replyCount", "repostCount", "quoteCount", "bookmarkCount")
                if k in view
            },
        )

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        repo = yield from self.repo()
        data = yield from self._appview(
            xrpc_get(self.base_url, "app.bsky.actor.getProfile", {"actor": repo})
        )
        now = self.clock()
        if data is None:
            return AccountMetrics(
                platform=Platform.BLUESKY,
                measured_at=now,
                channel=self.channel,
                account_id=repo,
                raw={"unavailable": "no AppView on this service"},
            )

        def count(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) else None

        return AccountMetrics(
            platform=Platform.BLUESKY,
            measured_at=now,
            channel=self.channel,
            account_id=repo,
            followers=count("followersCount"),
            following=count("followsCount"),
            posts_count=count("postsCount"),
        )

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        AtUri.parse(post_id)
        data = yield from self._appview(
            xrpc_get(self.base_url, "app.bsky.feed.getPostThread", {"uri": post_id, "depth": 10})
        )
        if data is None:
            raise UnsupportedCapability(
                f"bluesky: {self.base_url} has no AppView, so replies cannot be listed.",
                platform="bluesky",
                hint="read comments through a service with an AppView (https://bsky.social).",
            )
        comments: list[Comment] = []
        hidden = set()
        gate = data.get("threadgate")
        if isinstance(gate, dict) and isinstance(gate.get("record"), dict):
            hidden = set(gate["record"].get("hiddenReplies") or [])

        def walk(node: dict[str, Any], parent: str) -> None:
            for child in node.get("replies") or []:
                post = child.get("post") if isinstance(child, dict) else None
                if not isinstance(post, dict):
                    continue
                record = post.get("record") or {}
                author = post.get("author") or {}
                uri = str(post.get("uri"))
                comments.append(
                    Comment(
                        platform=Platform.BLUESKY,
                        comment_id=uri,
                        post_id=post_id,
                        author=str(author.get("handle") or author.get("did") or "?"),
                        text=str(record.get("text", "")),
                        created_at=_parse_time(record.get("createdAt")) or self.clock(),
                        in_reply_to=parent,
                        hidden=uri in hidden,
                        url=self.post_url(uri),
                        raw={
                            "uri": uri,
                            "cid": post.get("cid"),
                            "root": (record.get("reply") or {}).get("root"),
                        },
                    )
                )
                walk(child, uri)

        thread = data.get("thread")
        if isinstance(thread, dict):
            walk(thread, post_id)
        return Page(tuple(comments))

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        """Replies, mentions and quotes from ``app.bsky.notification.listNotifications``
        (``reasons``), read newest first. The lexicon has no "newer than" parameter, so the
        cursor is a watermark (the newest ``indexedAt`` pulled and the URIs pulled at that
        instant): a pull reads pages (``limit`` each, at most 100) back until it reaches the
        watermark, at most :attr:`inbox_max_pages` pages; a first pull reads one page."""
        mark = Watermark.parse(since, "bluesky")
        repo = yield from self.repo()
        size = min(limit or 50, 100)
        found: list[tuple[datetime, dict[str, Any]]] = []
        cursor: str | None = None
        for _ in range(self.inbox_max_pages):
            data = yield from self._appview(
                xrpc_get(
                    self.base_url,
                    "app.bsky.notification.listNotifications",
                    {"reasons": list(self.inbox_reasons), "limit": size, "cursor": cursor},
                )
            )
            if data is None:
                raise UnsupportedCapability(
                    f"bluesky: {self.base_url} has no AppView, so notifications cannot be read.",
                    platform="bluesky",
                    hint="read the inbox through a service with an AppView (https://bsky.social).",
                )
            items = data.get("notifications")
            reached = False
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, dict) or item.get("reason") not in self.inbox_reasons:
                    continue
                indexed = _parse_time(item.get("indexedAt"))
                uri = item.get("uri")
                if indexed is None or not isinstance(uri, str):
                    continue
                if mark is not None and not mark.is_new(indexed, uri):
                    reached = True
                    continue
                found.append((indexed, item))
            cursor = data.get("cursor") if isinstance(data.get("cursor"), str) else None
            if mark is None or reached or not cursor or not items:
                break
        else:
            # The cap was hit before the watermark: older notifications are skipped. Say so,
            # with the fix (pull more often, or raise the cap), rather than lose them quietly.
            _log.warning(
                "bluesky: the inbox pull read %d pages of %d without reaching the last pull's "
                "watermark; older notifications in between are skipped. Pull more often or "
                "raise inbox_max_pages.",
                self.inbox_max_pages,
                size,
            )
        start = mark or Watermark(datetime.min.replace(tzinfo=UTC))
        after = start.advance((when, str(item["uri"])) for when, item in found)
        messages = [self._inbox_message(item, repo) for _, item in found]
        messages.sort(key=lambda m: (m.created_at, m.message_id))
        unique = list({m.message_id: m for m in messages}.values())
        return InboxPage(
            tuple(unique),
            cursor=after.encode() if found else since,
        )

    def _inbox_message(self, item: dict[str, Any], repo: str) -> InboxMessage:
        uri = str(item["uri"])
        record = _dict(item.get("record"))
        author = _dict(item.get("author"))
        reply = _dict(record.get("reply"))
        parent = _dict(reply.get("parent")).get("uri")
        root = _dict(reply.get("root")).get("uri")
        quoted = _dict(_dict(record.get("embed")).get("record")).get("uri")
        reason = item.get("reason")
        if reason == "reply" and isinstance(parent, str):
            own_parent = parent.startswith(f"at://{repo}/")
            kind = MessageKind.COMMENT if own_parent else MessageKind.REPLY
        else:
            kind = MessageKind.MENTION
        thread = root if isinstance(root, str) else uri
        post = root if isinstance(root, str) else quoted if isinstance(quoted, str) else None
        did = author.get("did") if isinstance(author.get("did"), str) else None
        return InboxMessage(
            channel=self.channel,
            platform=Platform.BLUESKY,
            message_id=uri,
            kind=kind,
            thread_id=thread,
            post_id=post,
            in_reply_to=parent if isinstance(parent, str) else None,
            author=str(author.get("handle") or did or "?"),
            author_id=did,
            author_created_at=_parse_time(author.get("createdAt")),
            text=str(record.get("text", ""))[:10_000],
            created_at=_parse_time(record.get("createdAt"))
            or _parse_time(item.get("indexedAt"))
            or self.clock(),
            url=self.post_url(uri),
            from_brand=did == repo,
            raw={"uri": uri, "cid": item.get("cid"), "root": reply.get("root")},
        )

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        repo = yield from self.repo()
        cid = (to.raw or {}).get("cid")
        root = (to.raw or {}).get("root")
        if isinstance(cid, str) and isinstance(root, dict) and isinstance(root.get("uri"), str):
            refs = (
                StrongRef(str(root["uri"]), str(root.get("cid", ""))),
                StrongRef(to.comment_id, cid),
            )
        else:
            refs = yield from self._reply_refs(to.comment_id)
        facets = yield from self._facets(text)
        now = self.clock()
        record = post_record(text, now, facets=facets, reply=refs)
        # Replying twice with the same text to the same comment is a duplicate: one key for both.
        key = hashlib.sha256(f"{to.comment_id}\n{text}".encode()).hexdigest()
        created = yield from self._create_once(repo, rkey_for(key), record)
        return Comment(
            platform=Platform.BLUESKY,
            comment_id=created.ref.uri,
            post_id=to.post_id,
            author=self.auth.handle or repo,
            text=text,
            created_at=now,
            in_reply_to=to.comment_id,
            url=self.post_url(created.ref.uri),
            raw={"uri": created.ref.uri, "cid": created.ref.cid, "root": refs[0].as_json()},
        )

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        """Hide a reply with the root post's threadgate (``hiddenReplies``)."""
        repo = yield from self.repo()
        root_uri = comment.post_id
        root = (comment.raw or {}).get("root")
        if isinstance(root, dict) and isinstance(root.get("uri"), str):
            root_uri = str(root["uri"])
        if root_uri is None:
            raise ValidationError("comment.post_id", None, "is needed to find the thread's root")
        at = AtUri.parse(root_uri)
        if at.repo != repo:
            raise ValidationError(
                "comment.post_id",
                root_uri,
                "must be a post of this account: only the author of a thread hides replies",
            )
        gate = yield from self.get_record_or_none(repo, THREADGATE_COLLECTION, at.rkey)
        value: dict[str, Any] = (
            dict(gate.value)
            if gate is not None
            else {
                "$type": THREADGATE_COLLECTION,
                "post": root_uri,
                "createdAt": format_datetime(self.clock()),
            }
        )
        hidden = [str(u) for u in value.get("hiddenReplies") or []]
        if comment.comment_id in hidden:
            return
        value["hiddenReplies"] = [*hidden, comment.comment_id]
        yield from send(
            Call(
                xrpc_post(
                    self.base_url,
                    "com.atproto.repo.putRecord",
                    {
                        "repo": repo,
                        "collection": THREADGATE_COLLECTION,
                        "rkey": at.rkey,
                        "record": value,
                    },
                ),
                idempotent=True,  # a put of the same value is safe to repeat
                bucket=_WRITE_BUCKET,
            )
        )
