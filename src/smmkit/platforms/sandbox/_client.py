"""``SandboxClient`` / ``AsyncSandboxClient``: the protocol over the sandbox's HTTP API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from smmkit.models import (
    AccountMetrics,
    Channel,
    InboxMessage,
    MessageKind,
    Platform,
    PostMetrics,
    Variant,
)
from smmkit.platforms._capabilities import Capability
from smmkit.platforms._client import AsyncClient, PlatformCore, SyncClient, reconciled_publish
from smmkit.platforms._core import Call, Operation, send
from smmkit.platforms._driver import AsyncDriver, ClientOptions, SyncDriver
from smmkit.platforms._errors import Dialect
from smmkit.platforms._pagination import Page
from smmkit.platforms._protocol import Comment, InboxPage, PostMarker, PublishedPost
from smmkit.platforms._ratelimit import RateLimiter

from ._network import BASE_URL, SandboxNetwork

if TYPE_CHECKING:
    from smmkit.content import PlatformRules

__all__ = ["AsyncSandboxClient", "SandboxClient", "SandboxCore", "sandbox_dialect"]


def sandbox_dialect() -> Dialect:
    """The sandbox's conventions: ``X-Request-Id``, ``X-RateLimit-*`` with epoch resets, no
    idempotency key (publishing relies on reconciliation)."""
    return Dialect(platform="sandbox", auth_hint="the sandbox needs no credentials.")


class SandboxCore(PlatformCore):
    """The sandbox operations. The simulated network does not deduplicate publishes, so every
    publish goes through :func:`~smmkit.platforms.reconciled_publish` (look up by
    ``publish_key`` after an ambiguous failure)."""

    platform: ClassVar[Platform] = Platform.SANDBOX
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_IMAGE,
            Capability.PUBLISH_CAROUSEL,
            Capability.PUBLISH_VIDEO,
            Capability.PUBLISH_THREAD,
            Capability.NATIVE_SCHEDULING,
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

    def __init__(
        self,
        *,
        channel: str,
        network_platform: Platform,
        clock: Callable[[], datetime],
        look_up_first: bool = False,
    ) -> None:
        super().__init__(channel=channel, dialect=sandbox_dialect(), clock=clock)
        self.network_platform = network_platform
        self.look_up_first = look_up_first
        """Look the publish key up before the first attempt (a file-backed network, which
        other processes may have published to with the same key)."""

    def url(self, path: str) -> str:
        return f"{BASE_URL}{path}"

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        headers = {"X-Sandbox-Account": self.channel, **kwargs.pop("headers", {})}
        return httpx.Request(method, self.url(path), headers=headers, **kwargs)

    def validate(self, variant: Variant) -> None:
        """The rules of the network the channel simulates (``smmkit.content``)."""
        from smmkit.content import validate as content_validate
        from smmkit.content.rules import RULES

        if self.network_platform not in RULES:
            return
        violations = [
            v for v in content_validate(variant, self.network_platform) if v.severity == "error"
        ]
        self.refuse_violations(
            violations,
            f"{self.network_platform.value} (sandbox) refuses this variant",
            hint="adapt it with smmkit.content.adapt first.",
        )

    def reply_rules(self) -> PlatformRules:
        """The text rules of the network the channel simulates (as :meth:`validate` uses), so a
        reply the workspace checked against the channel's platform is checked here the same
        way; the sandbox's own rules where it simulates no known network."""
        from smmkit.content import rules_for
        from smmkit.content.rules import RULES

        if self.network_platform in RULES:
            return rules_for(self.network_platform)
        return super().reply_rules()

    def _published(self, data: dict[str, Any], *, reconciled: bool = False) -> PublishedPost:
        published_at = datetime.fromisoformat(data["published_at"])
        created_at = datetime.fromisoformat(data["created_at"])
        return PublishedPost(
            platform=self.network_platform,
            channel=self.channel,
            post_id=data["post_id"],
            url=data["url"],
            published_at=published_at,
            publish_key=data["publish_key"],
            scheduled=published_at > created_at,  # held by the network until published_at
            reconciled=reconciled,
        )

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        extras = variant.extras
        body = {
            "text": variant.text,
            "publish_key": variant.publish_key,
            "format": extras.get("format", "post"),
            "pillar": extras.get("pillar"),
            "campaign": extras.get("campaign"),
            "media_count": len(variant.media),
            "thread": list(variant.thread),
            "published_at": variant.scheduled_at.isoformat() if variant.scheduled_at else None,
        }
        marker = PostMarker.for_variant(variant, not_before=None)

        def attempt() -> Operation[PublishedPost]:
            request = self._request(
                "POST",
                f"/v1/channels/{self.channel}/posts",
                json=body,
                headers={"Idempotency-Key": variant.publish_key},
            )
            response = yield from send(Call(request, bucket="publish"))
            return self._published(response.json())

        if self.look_up_first:
            found = yield from self._find_post(marker)
            if found is not None:
                return found.model_copy(update={"reconciled": True})
        return (
            yield from reconciled_publish(
                attempt, self._find_post, marker, platform="sandbox", pending=self.pending
            )
        )

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        response = yield from send(
            self._request(
                "GET",
                f"/v1/channels/{self.channel}/posts",
                params={"publish_key": marker.publish_key},
            )
        )
        posts = response.json()["posts"]
        return self._published(posts[-1]) if posts else None

    def _delete(self, post_id: str) -> Operation[None]:
        from smmkit.errors import NotFoundError

        try:
            yield from send(self._request("DELETE", f"/v1/posts/{post_id}"))
        except NotFoundError:
            return  # already gone (a repeated delete whose first answer was lost)

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        response = yield from send(self._request("GET", f"/v1/posts/{post_id}/metrics"))
        return PostMetrics.model_validate_json(response.content)

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        response = yield from send(self._request("GET", f"/v1/channels/{self.channel}/account"))
        return AccountMetrics.model_validate_json(response.content)

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        params = {"cursor": cursor} if cursor else {}
        response = yield from send(
            self._request("GET", f"/v1/posts/{post_id}/comments", params=params)
        )
        data = response.json()
        return Page(
            tuple(Comment.model_validate(c) for c in data["comments"]), next_cursor=data["cursor"]
        )

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        body: dict[str, object] = {"text": text}
        if to.private or to.kind is MessageKind.DIRECT:
            body["private"] = True  # a private message is answered privately
        response = yield from send(
            self._request("POST", f"/v1/comments/{to.comment_id}/replies", json=body)
        )
        return Comment.model_validate(response.json())

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        yield from send(
            Call(self._request("POST", f"/v1/comments/{comment.comment_id}/hide"), idempotent=True)
        )

    def _delete_comment(self, comment: Comment) -> Operation[None]:
        from smmkit.errors import NotFoundError

        try:
            yield from send(
                Call(
                    self._request("DELETE", f"/v1/comments/{comment.comment_id}"),
                    idempotent=True,
                )
            )
        except NotFoundError:
            return  # already gone

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        params: dict[str, str] = {}
        if since is not None:
            params["since"] = since
        if limit is not None:
            params["limit"] = str(limit)
        response = yield from send(
            self._request("GET", f"/v1/channels/{self.channel}/inbox", params=params)
        )
        data = response.json()
        return InboxPage(
            tuple(InboxMessage.model_validate(m) for m in data["messages"]),
            cursor=data["cursor"],
            has_more=bool(data["more"]),
        )


def _options(network: SandboxNetwork, channel: str) -> tuple[SandboxCore, dict[str, Any]]:
    info = network._channel(channel)
    core = SandboxCore(
        channel=channel,
        network_platform=info.platform,
        clock=network.now,
        look_up_first=network.dedupe and network.store.path is not None,
    )
    return core, {"dialect": core.dialect, "account": channel}


class SandboxClient(SyncClient[SandboxCore]):
    """A client of one channel of a :class:`SandboxNetwork` (sync)."""

    def __init__(
        self,
        network: SandboxNetwork,
        channel: str,
        *,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] | None = None,
        http_client: httpx.Client | None = None,
        **driver_options: Any,
    ) -> None:
        """``http_client``: an ``httpx.Client`` over the network's :meth:`~SandboxNetwork.
        transport` (or a transport wrapping it, to record or alter requests); the caller
        closes it. By default the client makes and owns one."""
        core, base = _options(network, channel)
        driver = SyncDriver(
            http_client=http_client or httpx.Client(transport=network.transport()),
            options=options,
            limiter=limiter,
            sleep=sleep,
            **base,
            **driver_options,
        )
        driver._owns_client = http_client is None
        super().__init__(core, driver)
        self.network = network

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, network: SandboxNetwork | None = None, **options: Any
    ) -> SandboxClient:
        """A client for ``channel`` on ``network`` (a fresh in-memory network if omitted)."""
        network = network or SandboxNetwork()
        network.add_channel(channel)
        return cls(network, channel.key, **options)


class AsyncSandboxClient(AsyncClient[SandboxCore]):
    """A client of one channel of a :class:`SandboxNetwork` (async)."""

    def __init__(
        self,
        network: SandboxNetwork,
        channel: str,
        *,
        options: ClientOptions | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        http_client: httpx.AsyncClient | None = None,
        **driver_options: Any,
    ) -> None:
        core, base = _options(network, channel)
        driver = AsyncDriver(
            http_client=http_client or httpx.AsyncClient(transport=network.transport()),
            options=options,
            limiter=limiter,
            sleep=sleep,
            **base,
            **driver_options,
        )
        driver._owns_client = http_client is None
        super().__init__(core, driver)
        self.network = network

    @classmethod
    def from_channel(
        cls, channel: Channel, /, *, network: SandboxNetwork | None = None, **options: Any
    ) -> AsyncSandboxClient:
        network = network or SandboxNetwork()
        network.add_channel(channel)
        return cls(network, channel.key, **options)
