"""The Mastodon operations, written once (sans-I/O) and run by both shells."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import httpx

from smmkit.content import PlatformRules, from_mastodon_instance, rules_for
from smmkit.content import validate as content_validate
from smmkit.errors import NotFoundError, PlatformError, ValidationError
from smmkit.models import (
    AccountMetrics,
    InboxMessage,
    MediaAsset,
    MessageKind,
    Platform,
    PostMetrics,
    Variant,
)
from smmkit.platforms._capabilities import Capability
from smmkit.platforms._client import PlatformCore, reconciled_publish
from smmkit.platforms._core import (
    Call,
    Operation,
    fetch,
    json_request,
    mark_outcome_unknown,
    send,
    sleep,
)
from smmkit.platforms._errors import Dialect
from smmkit.platforms._inbox import check_id_cursor
from smmkit.platforms._media import check_base_url, same_origin
from smmkit.platforms._pagination import Page, link_cursor
from smmkit.platforms._protocol import (
    Comment,
    InboxPage,
    PostMarker,
    PublishedPost,
    text_fingerprint,
)
from smmkit.platforms._redact import get_logger

from ._html import status_text

__all__ = ["MIN_SCHEDULE_AHEAD", "MastodonCore", "mastodon_dialect"]

_log = get_logger("smmkit.platforms.mastodon")

MIN_SCHEDULE_AHEAD = timedelta(minutes=5)
"""Mastodon refuses ``scheduled_at`` less than 5 minutes ahead."""

_LOOK_UP_SLACK = timedelta(seconds=5)
"""A look-up after an unknown outcome searches statuses created since this long before the
first attempt (clock differences)."""

_VISIBILITIES = ("public", "unlisted", "private", "direct")
_PRIVATE = ("private", "direct")  # followers-only and direct: not for everyone to read
_STATUS_EXTRAS = frozenset(
    {
        "visibility",
        "spoiler_text",
        "sensitive",
        "language",
        "in_reply_to_id",
        "poll",
        "media_focus",
    }
)


def mastodon_dialect() -> Dialect:
    """Mastodon's wire conventions: ``X-Request-Id``, ``X-RateLimit-*`` (ISO reset), and an
    ``Idempotency-Key`` honoured on ``POST /api/v1/statuses``."""
    return Dialect(
        platform="mastodon",
        request_id_headers=("x-request-id",),
        idempotency_header="Idempotency-Key",
        honours_idempotency_key=True,
        auth_hint=(
            "create a new access token (Preferences > Development > your app) or authorise "
            "the app again with OAuth; the token needs the read and write scopes."
        ),
    )


_MASTODON_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?:[-+~][0-9A-Za-z.+~-]{0,64})?")


def honours_idempotency_key(instance: Mapping[str, Any] | None) -> bool:
    """Whether an instance document identifies Mastodon itself (or a fork that keeps its
    code, such as glitch-soc: ``4.3.0+glitch``), which honours ``Idempotency-Key``. Other
    software speaking the Mastodon API says ``"2.7.2 (compatible; Pleroma 2.5.0)"`` or gives
    its own version scheme: not trusted."""
    if not instance:
        return False
    version = instance.get("version")
    if not isinstance(version, str) or "compatible" in version.lower():
        return False
    if not _MASTODON_VERSION.fullmatch(version.strip()):
        return False
    source = instance.get("source_url")
    return not isinstance(source, str) or "mastodon" in source.lower() or not source


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _load_path(asset: MediaAsset) -> bytes:
    assert asset.path is not None
    return Path(asset.path).read_bytes()


class MastodonCore(PlatformCore):
    """Every Mastodon operation, as generators.

    ``base_url`` is the instance (``https://mastodon.social``). ``language`` is the default
    ISO 639-1 language of statuses. ``instance`` may be given (the JSON of ``/api/v2/instance``)
    or is fetched once before the first publish (``fetch_instance=True``); its limits feed the
    content rules (:func:`smmkit.content.from_mastodon_instance`). ``load_media`` reads a
    :class:`~smmkit.models.MediaAsset` with a ``path`` (the one piece of non-HTTP I/O, injectable).
    """

    platform: ClassVar[Platform] = Platform.MASTODON
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
            Capability.PUBLISH_VIDEO,
            Capability.PUBLISH_THREAD,
            Capability.PUBLISH_POLL,
            Capability.NATIVE_SCHEDULING,
            Capability.DELETE,
            Capability.EDIT,
            Capability.READ_COMMENTS,
            Capability.REPLY_COMMENTS,
            Capability.POST_METRICS,
            Capability.ACCOUNT_METRICS,
            Capability.FIND_POST,
            Capability.READ_INBOX,
        }
    )
    media_poll_interval: ClassVar[float] = 1.0
    media_poll_max_wait: ClassVar[float] = 120.0

    def __init__(
        self,
        *,
        base_url: str,
        channel: str = "mastodon",
        language: str | None = None,
        instance: Mapping[str, Any] | None = None,
        fetch_instance: bool = True,
        load_media: Callable[[MediaAsset], bytes] = _load_path,
        clock: Callable[[], datetime] | None = None,
        trust_idempotency_key: bool | None = None,
    ) -> None:
        base_url = check_base_url(base_url)
        self._trust_key = trust_idempotency_key
        self._trust_auto: bool | None = None
        self._extras_of: tuple[Variant, dict[str, Any]] | None = None
        self._template: PublishedPost | None = None
        self._endpoints: dict[str, httpx.URL] = {}
        super().__init__(
            channel=channel, dialect=mastodon_dialect(), **({"clock": clock} if clock else {})
        )
        self.base_url = base_url.rstrip("/")
        self.language = language.split("-")[0].lower() if language else None
        self.fetch_instance = fetch_instance
        self._load_media = load_media
        self._instance: dict[str, Any] | None = None
        self._rules: PlatformRules | None = None
        self._account_id: str | None = None
        if instance is not None:
            self.use_instance(instance)

    # -- instance and rules ------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def endpoint(self, path: str) -> httpx.URL:
        """The parsed URL of a fixed ``path`` (no ids in it): parsed once, then reused
        (parsing a URL costs more than the rest of building a request)."""
        text = f"{self.base_url}{path}"
        url = self._endpoints.get(text)
        if url is None:
            if len(self._endpoints) >= 32:  # only fixed paths come here; a changed base_url
                self._endpoints.clear()  # leaves old ones behind
            url = self._endpoints[text] = httpx.URL(text)
        return url

    @property
    def instance_info(self) -> dict[str, Any] | None:
        """The instance document in use (``None`` until fetched or given)."""
        return self._instance

    def use_instance(self, instance: Mapping[str, Any]) -> None:
        """Adopt an instance document: its limits become the content rules."""
        self._instance = dict(instance)
        self._rules = from_mastodon_instance(self._instance)
        self._trust_auto = None

    @property
    def trusts_idempotency_key(self) -> bool:
        """Whether a lost ``POST /api/v1/statuses`` may be resent with its ``Idempotency-Key``.

        Only when the instance identifies as Mastodon itself (its ``version`` is a Mastodon
        version, not ``"... (compatible; Other)"``), which keeps keys for an hour; or when
        ``trust_idempotency_key=True`` was given. Otherwise the status is looked up before any
        resend, so a server that ignores the key never gets a duplicate.
        """
        if self._trust_key is not None:
            return self._trust_key
        if self._trust_auto is None:
            self._trust_auto = honours_idempotency_key(self._instance)
        return self._trust_auto

    def rules(self) -> PlatformRules:
        """The content rules in force: the instance's if known, else the default table."""
        if self._rules is None:
            self._rules = rules_for(Platform.MASTODON)
        return self._rules

    def reply_rules(self) -> PlatformRules:
        """A reply meets the same rules as a post: the instance's when known."""
        return self.rules()

    def instance(self) -> Operation[dict[str, Any]]:
        """Operation: ``GET /api/v2/instance``; adopts its limits."""
        response = yield from send(httpx.Request("GET", self.endpoint("/api/v2/instance")))
        data = response.json()
        self.use_instance(data)
        return dict(data)

    def _poll_limits(self) -> dict[str, int]:
        config = (self._instance or {}).get("configuration") or {}
        polls = config.get("polls") or {}
        defaults = {
            "max_options": 4,
            "max_characters_per_option": 50,
            "min_expiration": 300,
            "max_expiration": 2629746,
        }
        return {k: int(polls.get(k, v)) for k, v in defaults.items()}

    def validate(self, variant: Variant) -> None:
        """Refuse, before any request, a variant that breaks the instance's rules.

        Until the instance is known (and ``fetch_instance`` is on), only the options are checked
        here; the text and media limits are checked against the instance's own configuration
        right after ``/api/v2/instance`` is read, still before anything is published.
        """
        self._check_options(variant)
        if self._instance is None and self.fetch_instance:
            return
        self._check_rules(variant)

    def _check_rules(self, variant: Variant) -> None:
        violations = [
            v for v in content_validate(variant, rules=self.rules()) if v.severity == "error"
        ]
        self.refuse_violations(
            violations,
            f"mastodon refuses this variant ({len(violations)} violation"
            f"{'s' if len(violations) > 1 else ''})",
            hint="adapt it with smmkit.content.adapt, or shorten/split the text.",
        )

    def _extras(self, variant: Variant) -> dict[str, Any]:
        """``variant.extras`` (a view rebuilt on every read), read once per variant: variants
        are immutable, so the last one's view is kept."""
        cached = self._extras_of
        if cached is not None and cached[0] is variant:
            return cached[1]
        if (
            variant.platform is Platform.MASTODON
            and variant.mastodon is None
            and not variant.platform_extras
        ):
            # What the view holds for such a variant: no Mastodon options, and no shared key
            # (Mastodon reads none), so nothing. Skips rebuilding the view.
            return {}
        extras = variant.extras
        self._extras_of = (variant, extras)
        return extras

    def _check_options(self, variant: Variant) -> None:
        extras = self._extras(variant)
        if not extras:
            return
        unknown = sorted(set(extras) - _STATUS_EXTRAS - {"native_schedule"})
        if unknown:
            raise ValidationError(
                "variant.extras",
                unknown,
                f"unknown Mastodon options; known: {sorted(_STATUS_EXTRAS)}",
            )
        visibility = extras.get("visibility", "public")
        if visibility not in _VISIBILITIES:
            raise ValidationError(
                "variant.extras.visibility",
                visibility,
                f"must be one of {', '.join(_VISIBILITIES)}",
            )
        poll = extras.get("poll")
        if poll is not None:
            self._check_poll(poll, has_media=bool(variant.media))

    def _check_poll(self, poll: object, *, has_media: bool) -> None:
        limits = self._poll_limits()
        if not isinstance(poll, dict):
            raise ValidationError("variant.extras.poll", poll, "must be an object with options")
        options = poll.get("options")
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise ValidationError("variant.extras.poll.options", options, "must be a list of texts")
        if not 2 <= len(options) <= limits["max_options"]:
            raise ValidationError(
                "variant.extras.poll.options",
                len(options),
                f"a poll has 2 to {limits['max_options']} options",
            )
        for i, option in enumerate(options):
            if len(option) > limits["max_characters_per_option"]:
                raise ValidationError(
                    f"variant.extras.poll.options[{i}]",
                    option,
                    f"at most {limits['max_characters_per_option']} characters",
                )
        expires = poll.get("expires_in", 86400)
        if not isinstance(expires, int) or not (
            limits["min_expiration"] <= expires <= limits["max_expiration"]
        ):
            raise ValidationError(
                "variant.extras.poll.expires_in",
                expires,
                f"must be {limits['min_expiration']} to {limits['max_expiration']} seconds",
            )
        if has_media:
            raise ValidationError(
                "variant.extras.poll",
                "poll + media",
                "Mastodon cannot attach a poll and media to one status",
            )

    def _check_schedule(self, variant: Variant) -> datetime:
        when = variant.scheduled_at
        if when is None:
            raise ValidationError(
                "variant.scheduled_at", None, "native scheduling needs a scheduled_at"
            )
        earliest = self.clock() + MIN_SCHEDULE_AHEAD
        if when < earliest:
            raise ValidationError(
                "variant.scheduled_at",
                when.isoformat(),
                "Mastodon schedules at least 5 minutes ahead",
                hint="publish now instead, or schedule later.",
            )
        if variant.thread:
            raise ValidationError(
                "variant.thread",
                len(variant.thread),
                "a thread cannot be scheduled natively (replies need the first status to exist)",
            )
        return when

    def publish(
        self, variant: Variant, *, native_schedule: bool = False
    ) -> Operation[PublishedPost]:
        if native_schedule:
            self._check_schedule(variant)
        return super().publish(variant, native_schedule=native_schedule)

    # -- publishing ----------------------------------------------------------------------------
    def status_body(
        self,
        variant: Variant,
        text: str,
        *,
        media_ids: list[str] | None = None,
        in_reply_to_id: str | None = None,
        scheduled_at: datetime | None = None,
        with_poll: bool = True,
    ) -> dict[str, Any]:
        """The JSON body of ``POST /api/v1/statuses`` for one part of ``variant``."""
        extras = self._extras(variant)
        body: dict[str, Any] = {}
        if text:
            body["status"] = text
        if media_ids:
            body["media_ids"] = media_ids
        body["visibility"] = extras.get("visibility", "public")
        language = extras.get("language", self.language)
        if isinstance(language, str) and language:
            body["language"] = language.split("-")[0].lower()
        if isinstance(extras.get("spoiler_text"), str) and extras["spoiler_text"]:
            body["spoiler_text"] = extras["spoiler_text"]
        if extras.get("sensitive") is True:
            body["sensitive"] = True
        reply_to = in_reply_to_id or extras.get("in_reply_to_id")
        if isinstance(reply_to, str) and reply_to:
            body["in_reply_to_id"] = reply_to
        poll = extras.get("poll")
        if with_poll and isinstance(poll, dict):
            body["poll"] = {
                "options": list(poll["options"]),
                "expires_in": poll.get("expires_in", 86400),
            }
            for flag in ("multiple", "hide_totals"):
                if isinstance(poll.get(flag), bool):
                    body["poll"][flag] = poll[flag]
        if scheduled_at is not None:
            body["scheduled_at"] = scheduled_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return body

    def create_status(self, body: dict[str, Any], key: str) -> Operation[dict[str, Any]]:
        """Operation: ``POST /api/v1/statuses`` with ``Idempotency-Key: key``.

        Mastodon remembers the key for an hour and answers a repeat with the status it already
        created, so the driver may repeat this request after an ambiguous failure.
        """
        response = yield from send(self._status_call(body, key))
        return self._status_data(response)

    def _status_call(self, body: dict[str, Any], key: str) -> Call:
        request = json_request(
            "POST", self.endpoint("/api/v1/statuses"), body, {"Idempotency-Key": key}
        )
        return Call(request, idempotent=self.trusts_idempotency_key, bucket="statuses")

    @staticmethod
    def _status_data(response: httpx.Response) -> dict[str, Any]:
        data = response.json()
        if not isinstance(data, dict):
            raise mark_outcome_unknown(
                PlatformError(
                    f"mastodon answered POST /api/v1/statuses with {type(data).__name__}, "
                    "not a status.",
                    platform="mastodon",
                )
            )
        return data

    def _post_status(self, body: dict[str, Any], key: str) -> Operation[PublishedPost]:
        """Operation: one publish attempt, :meth:`create_status` read as a post (written as one
        generator: it is the publish hot path)."""
        response = yield from send(self._status_call(body, key))
        return self._published(self._status_data(response), key)

    def _published(self, data: Mapping[str, Any], key: str | None) -> PublishedPost:
        scheduled = "params" in data and "content" not in data
        moment = _parse_time(data.get("scheduled_at") if scheduled else data.get("created_at"))
        post_id = str(data.get("id") or "")
        url = None if scheduled else (data.get("url") or data.get("uri"))
        if not post_id or not (url is None or isinstance(url, str)):
            raise mark_outcome_unknown(
                PlatformError(
                    "mastodon answered a status without an id or URL.",
                    platform="mastodon",
                )
            )
        # Every field is checked above (id non-empty, url a string or None, an aware time):
        # the model is a copy of a validated one with those fields replaced, without a second
        # validation pass (it is on the publish hot path; cheaper than model_construct).
        return self._published_template().model_copy(
            update={
                "post_id": post_id,
                "url": url,
                "published_at": moment,
                "publish_key": key,
                "scheduled": scheduled,
            }
        )

    def _published_template(self) -> PublishedPost:
        template = self._template
        if template is None or template.channel != self.channel:
            template = self._template = PublishedPost(
                platform=self.platform,
                channel=self.channel,
                post_id="-",
                url=None,
                published_at=None,
                publish_key=None,
                thread=(),
                scheduled=False,
                reconciled=False,
                raw=None,
            )
        return template

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        if self._instance is None and self.fetch_instance:
            yield from self.instance()
            self._check_rules(variant)  # now with the instance's own limits
        media_ids: list[str] = []
        for asset in variant.media:
            media_ids.append((yield from self.upload_media(asset)))
        scheduled_at = variant.scheduled_at if native_schedule else None
        started = self.clock() - _LOOK_UP_SLACK
        parts = [variant.text, *variant.thread]
        posted: list[PublishedPost] = []
        for index, text in enumerate(parts):
            key = variant.publish_key if index == 0 else f"{variant.publish_key}-{index}"
            body = self.status_body(
                variant,
                text,
                media_ids=media_ids if index == 0 else None,
                in_reply_to_id=posted[-1].post_id if posted else None,
                scheduled_at=scheduled_at,
                with_poll=index == 0,
            )

            def marker(key: str = key, text: str = text) -> PostMarker:
                return PostMarker(
                    publish_key=key,
                    channel=self.channel,
                    fingerprint=text_fingerprint(text),
                    not_before=started,
                )

            finder = self._find_post if scheduled_at is None else self._find_scheduled
            posted.append(
                (
                    yield from reconciled_publish(
                        partial(self._post_status, body, key),
                        finder,
                        marker,
                        platform="mastodon",
                        pending=self.pending,
                        publish_key=key,
                    )
                )
            )
        first = posted[0]
        if len(posted) == 1:
            return first
        return first.model_copy(
            update={
                "thread": tuple(p.post_id for p in posted[1:]),
                "reconciled": any(p.reconciled for p in posted),
            }
        )

    def upload_media(self, asset: MediaAsset) -> Operation[str]:
        """Operation: upload one file through ``POST /api/v2/media``, wait until processed,
        and return the attachment id.

        A repeated upload creates at most an unattached file (never a public post), so the
        upload is marked idempotent for the retry decision.
        """
        if asset.url is not None:
            # Fetched by the driver's credential-less media client, size- and time-bounded,
            # and checked by magic bytes against the declared type.
            content = yield from fetch(asset.url, kind=asset.mime_type, field="media.url")
        else:
            content = self._load_media(asset)
        name = (
            Path(asset.path).name
            if asset.path
            else ("upload" + (mimetypes.guess_extension(asset.mime_type) or ""))
        )
        data: dict[str, str] = {}
        if asset.alt_text:
            data["description"] = asset.alt_text
        request = httpx.Request(
            "POST",
            self.endpoint("/api/v2/media"),
            files={"file": (name, content, asset.mime_type)},
            data=data,
        )
        response = yield from send(Call(request, idempotent=True, bucket="media"))
        attachment = response.json()
        media_id = str(attachment["id"])
        waited = 0.0
        delay = self.media_poll_interval
        while response.status_code == 202 or (
            response.status_code == 206 or attachment.get("url") is None
        ):
            if waited >= self.media_poll_max_wait:
                raise PlatformError(
                    f"mastodon: media {media_id} still processing after {waited:.0f}s.",
                    platform="mastodon",
                    retryable=True,
                    hint="retry the publish later; the instance is slow to process media.",
                )
            yield from sleep(delay)
            waited += delay
            delay = min(delay * 2, 10.0)
            response = yield from send(
                Call(
                    httpx.Request("GET", self.url(f"/api/v1/media/{media_id}")),
                    accept=frozenset({206}),
                    bucket="media",
                )
            )
            attachment = response.json()
        return media_id

    def edit(
        self,
        post_id: str,
        text: str,
        *,
        spoiler_text: str | None = None,
        language: str | None = None,
        sensitive: bool | None = None,
    ) -> Operation[PublishedPost]:
        """Operation: ``PUT /api/v1/statuses/:id`` (edit the text of a published status)."""
        body: dict[str, Any] = {"status": text}
        if spoiler_text is not None:
            body["spoiler_text"] = spoiler_text
        if language is not None:
            body["language"] = language
        if sensitive is not None:
            body["sensitive"] = sensitive
        response = yield from send(
            httpx.Request("PUT", self.url(f"/api/v1/statuses/{post_id}"), json=body)
        )
        return self._published(response.json(), None)

    def _delete(self, post_id: str) -> Operation[None]:
        try:
            yield from send(httpx.Request("DELETE", self.url(f"/api/v1/statuses/{post_id}")))
        except NotFoundError:
            # A repeated DELETE whose first answer was lost lands here: the post is gone.
            _log.info("mastodon: status %s was already deleted", post_id)

    # -- reading -------------------------------------------------------------------------------
    def status(self, post_id: str) -> Operation[dict[str, Any]]:
        """Operation: ``GET /api/v1/statuses/:id``."""
        response = yield from send(httpx.Request("GET", self.url(f"/api/v1/statuses/{post_id}")))
        data: dict[str, Any] = response.json()
        return data

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        data = yield from self.status(post_id)
        return PostMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            post_id=str(data["id"]),
            published_at=_parse_time(data.get("created_at")),
            likes=_count(data.get("favourites_count")),
            shares=_count(data.get("reblogs_count")),
            comments=_count(data.get("replies_count")),
            raw={
                k: data[k]
                for k in ("id", "favourites_count", "reblogs_count", "replies_count")
                if k in data
            },
        )

    def verify_credentials(self) -> Operation[dict[str, Any]]:
        """Operation: ``GET /api/v1/accounts/verify_credentials`` (the token's account)."""
        response = yield from send(
            httpx.Request("GET", self.endpoint("/api/v1/accounts/verify_credentials"))
        )
        data = response.json()
        if not isinstance(data, dict) or not isinstance(data.get("id"), str | int):
            raise PlatformError(
                "mastodon answered verify_credentials without an account id.",
                platform="mastodon",
                hint="check that base_url points at a Mastodon-API server.",
            )
        self._account_id = str(data["id"])
        return data

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        data = yield from self.verify_credentials()
        return AccountMetrics(
            platform=self.platform,
            channel=self.channel,
            measured_at=self.clock(),
            account_id=str(data["id"]),
            followers=_count(data.get("followers_count")),
            following=_count(data.get("following_count")),
            posts_count=_count(data.get("statuses_count")),
        )

    def _comment(self, data: Mapping[str, Any], post_id: str | None) -> Comment:
        account = data.get("account") or {}
        visibility = data.get("visibility")
        return Comment(
            platform=self.platform,
            comment_id=str(data["id"]),
            post_id=post_id,
            author=str(account.get("acct") or account.get("username") or "unknown"),
            text=status_text(str(data.get("content") or "")),
            created_at=_parse_time(data.get("created_at")) or self.clock(),
            in_reply_to=data.get("in_reply_to_id"),
            url=data.get("url"),
            kind=MessageKind.DIRECT if visibility == "direct" else None,
            private=visibility in _PRIVATE,
        )

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        response = yield from send(
            httpx.Request("GET", self.url(f"/api/v1/statuses/{post_id}/context"))
        )
        descendants = response.json().get("descendants") or []
        return Page(tuple(self._comment(d, post_id) for d in descendants))

    def mentions(self, cursor: str | None = None, *, limit: int = 40) -> Operation[Page[Comment]]:
        """Operation: one page of mention notifications (``Link``-header pagination)."""
        request = (
            self._cursor_request(cursor)
            if cursor
            else httpx.Request(
                "GET",
                self.endpoint("/api/v1/notifications"),
                params={"types[]": "mention", "limit": str(min(max(limit, 1), 80))},
            )
        )
        response = yield from send(request)
        items = []
        for notification in response.json():
            status = notification.get("status")
            if status:
                items.append(self._comment(status, status.get("in_reply_to_id")))
        return Page(
            tuple(items),
            next_cursor=link_cursor(response, "next"),
            prev_cursor=link_cursor(response, "prev"),
        )

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        """Mentions (a reply to the brand's status mentions it, so replies come too) from
        ``GET /api/v1/notifications?types[]=mention``: the first pull takes the newest page;
        then ``min_id`` = the newest notification id pulled, which returns the page right after
        it (``has_more`` when the page is full)."""
        size = min(limit or 40, 80)
        params = {"types[]": "mention", "limit": str(size)}
        if since is not None:
            params["min_id"] = check_id_cursor(since, "mastodon")
        response = yield from send(
            httpx.Request("GET", self.endpoint("/api/v1/notifications"), params=params)
        )
        data = response.json()
        if not isinstance(data, list):
            raise PlatformError(
                "mastodon answered the notifications list with something else than a list.",
                platform="mastodon",
            )
        ids = [str(n["id"]) for n in data if isinstance(n, dict) and n.get("id") is not None]
        messages = [
            self._inbox_message(n["status"])
            for n in data
            if isinstance(n, dict)
            and isinstance(n.get("status"), dict)
            and isinstance(n["status"].get("id"), str | int)
        ]
        messages.sort(key=lambda m: (m.created_at, m.message_id))
        newest = max(ids, key=lambda i: (len(i), i)) if ids else None
        return InboxPage(
            tuple(messages),
            cursor=newest or since,
            has_more=since is not None and len(data) >= size,
        )

    def _inbox_message(self, status: Mapping[str, Any]) -> InboxMessage:
        account = status.get("account") or {}
        parent = status.get("in_reply_to_id")
        visibility = status.get("visibility")
        if visibility == "direct":  # a direct message: its thread is the conversation's root
            kind, thread = MessageKind.DIRECT, str(parent or status["id"])
        elif parent is None:
            kind, thread = MessageKind.MENTION, str(status["id"])
        elif (
            self._account_id is not None
            and str(status.get("in_reply_to_account_id")) == self._account_id
        ):
            kind, thread = MessageKind.COMMENT, str(parent)
        else:
            kind, thread = MessageKind.REPLY, str(parent)
        followers = _count(account.get("followers_count"))
        return InboxMessage(
            channel=self.channel,
            platform=self.platform,
            message_id=str(status["id"]),
            kind=kind,
            thread_id=thread,
            post_id=None if parent is None else str(parent),
            in_reply_to=None if parent is None else str(parent),
            author=str(account.get("acct") or account.get("username") or "unknown"),
            author_id=str(account["id"]) if account.get("id") is not None else None,
            author_created_at=_parse_time(account.get("created_at")),
            author_followers=followers,
            text=status_text(str(status.get("content") or "")),
            created_at=_parse_time(status.get("created_at")) or self.clock(),
            url=status.get("url") if isinstance(status.get("url"), str) else None,
            private=visibility in _PRIVATE,
        )

    def _cursor_request(self, cursor: str) -> httpx.Request:
        """A page request from a ``Link`` cursor, refused unless it is on this instance."""
        try:
            ok = same_origin(cursor, self.base_url)
        except (httpx.InvalidURL, ValueError, TypeError):
            ok = False
        if not ok:
            raise ValidationError(
                "cursor",
                str(cursor)[:120],
                f"must be a page URL on {self.base_url} (credentials go only to the instance)",
                hint="pass back a cursor this client returned.",
            )
        return httpx.Request("GET", cursor)

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        """A reply status mentioning the author. A reply to a private message (a direct
        message, a followers-only post) is itself ``direct``: only the people it mentions read
        it, so a private conversation never becomes public."""
        mention = f"@{to.author}"
        status = text if mention in text else f"{mention} {text}"
        key = hashlib.sha256(f"reply:{to.comment_id}:{status}".encode()).hexdigest()[:32]
        private = to.private or to.kind is MessageKind.DIRECT
        body = {
            "status": status,
            "in_reply_to_id": to.comment_id,
            "visibility": "direct" if private else "public",
        }
        data = yield from self.create_status(body, key)
        return self._comment(data, to.post_id)

    # -- reconciliation -------------------------------------------------------------------------
    def own_statuses(
        self, cursor: str | None = None, *, limit: int = 40
    ) -> Operation[Page[dict[str, Any]]]:
        """Operation: one page of the account's own statuses, newest first."""
        if self._account_id is None:
            yield from self.verify_credentials()
        request = (
            self._cursor_request(cursor)
            if cursor
            else httpx.Request(
                "GET",
                self.url(f"/api/v1/accounts/{self._account_id}/statuses"),
                params={"limit": str(limit), "exclude_reblogs": "true"},
            )
        )
        response = yield from send(request)
        return Page(tuple(response.json()), next_cursor=link_cursor(response, "next"))

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        """Look for a status with the marker's text among the account's recent statuses."""
        cursor: str | None = None
        for _ in range(3):
            page = yield from self.own_statuses(cursor)
            for data in page.items:
                created = _parse_time(data.get("created_at"))
                if marker.not_before and created and created < marker.not_before:
                    return None
                if (
                    text_fingerprint(status_text(str(data.get("content") or "")))
                    == marker.fingerprint
                ):
                    return self._published(data, marker.publish_key)
            if page.next_cursor is None:
                return None
            cursor = page.next_cursor
        return None

    def _find_scheduled(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        response = yield from send(
            httpx.Request("GET", self.endpoint("/api/v1/scheduled_statuses"))
        )
        for data in response.json():
            text = str((data.get("params") or {}).get("text") or "")
            if text_fingerprint(text) == marker.fingerprint:
                return self._published(data, marker.publish_key)
        return None
