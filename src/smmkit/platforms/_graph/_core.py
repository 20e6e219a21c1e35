"""What the Meta cores (Instagram, Threads, Facebook Pages) share: the Graph API root, the call
context and the one helper that runs a Graph call; for the two that publish through containers
(Instagram, Threads), the containers' bookkeeping too."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any

from smmkit.errors import PlatformError
from smmkit.platforms._client import PlatformCore
from smmkit.platforms._core import Operation
from smmkit.platforms._pagination import Page
from smmkit.platforms._protocol import PostMarker, PublishedPost, text_fingerprint
from smmkit.platforms._retry import RetryPolicy

from ._call import GraphApi, GraphCallContext, graph_call, graph_json, obj
from ._containers import ContainerStatus, PollPolicy, publish_via_container
from ._errors import graph_dialect

__all__ = ["GraphCore", "MetaContainerCore", "count", "listed", "next_cursor", "parse_time"]


def parse_time(value: object) -> datetime | None:
    """A Graph timestamp (``2026-11-26T09:00:00+0000``) as an aware datetime, else ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def next_cursor(data: Mapping[str, Any]) -> str | None:
    """The cursor of a Graph listing's next page (``paging.cursors.after``), or ``None`` on the
    last page (Graph drops ``paging.next`` there even when it still sends cursors)."""
    paging = obj(data.get("paging"))
    after = obj(paging.get("cursors")).get("after") if paging.get("next") else None
    return str(after) if after else None


def listed(data: Mapping[str, Any], platform: str, what: str) -> list[dict[str, Any]]:
    """The objects of a Graph listing's ``data`` (a missing ``data`` is an empty listing); a
    clear error when it is not a list."""
    items = data.get("data", [])
    if items is None:
        return []
    if not isinstance(items, list):
        raise PlatformError(
            f"{platform}: the {what} listing's 'data' is {type(items).__name__}, not a list.",
            platform=platform,
            hint="a proxy or a changed Graph version may be answering; check base_url/version.",
        )
    return [item for item in items if isinstance(item, dict)]


def count(value: object) -> int | None:
    """A non-negative integer count, else ``None`` (a boolean is not a count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class GraphCore(PlatformCore):
    """A core over Meta's Graph API: ``api`` (the versioned root), ``context`` (retries,
    permissions, error hints) and :meth:`_call`. Subclasses declare ``platform``."""

    def __init__(
        self,
        *,
        channel: str,
        api_root: str,
        auth_hint: str,
        account: str | None,
        retry: RetryPolicy | None,
        clock: Callable[[], datetime] | None,
    ) -> None:
        platform = str(self.platform)
        super().__init__(
            channel=channel,
            dialect=graph_dialect(platform, auth_hint=auth_hint),
            **({"clock": clock} if clock else {}),
        )
        self.api = GraphApi(api_root)
        self.context = GraphCallContext(
            platform, account, self.clock, retry or RetryPolicy(), auth_hint
        )

    def _call(
        self,
        method: str,
        node: str,
        node_id: str,
        edge: str | None = None,
        params: Mapping[str, object] | None = None,
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        permissions: tuple[str, ...] = (),
        idempotent: bool | None = None,
        action: str | None = None,
    ) -> Operation[dict[str, Any]]:
        """Operation: one Graph call, its answer read as a JSON object."""
        request = self.api.request(method, node, node_id, edge, params, files=files)
        response = yield from graph_call(
            request, self.context, idempotent=idempotent, permissions=permissions, action=action
        )
        return graph_json(response, str(self.platform))


class MetaContainerCore(GraphCore):
    """A Graph core that publishes through containers (Instagram, Threads): ``containers`` maps
    publish keys to their pending container (a persistent mapping lets a crash between the
    publish call and its answer be reconciled after a restart); ``poll`` paces the wait for a
    container to be processed; ``publishing_limit`` is the fallback quota when Meta's answer
    lacks one."""

    def __init__(
        self,
        *,
        channel: str,
        api_root: str,
        auth_hint: str,
        account: str | None,
        retry: RetryPolicy | None,
        clock: Callable[[], datetime] | None,
        containers: MutableMapping[str, str] | None,
        poll: PollPolicy,
        publishing_limit: int,
    ) -> None:
        super().__init__(
            channel=channel,
            api_root=api_root,
            auth_hint=auth_hint,
            account=account,
            retry=retry,
            clock=clock,
        )
        self.containers: MutableMapping[str, str] = containers if containers is not None else {}
        self.poll = poll
        self.publishing_limit = publishing_limit
        self._blocked_until: datetime | None = None

    # -- what a container publisher implements -------------------------------------------------
    def container_status(self, container_id: str) -> Operation[tuple[ContainerStatus, str | None]]:
        """Operation: a container's status (and Meta's detail)."""
        raise NotImplementedError

    def publish_container(self, container_id: str) -> Operation[PublishedPost]:
        """Operation: publish a finished container (not repeatable: reconciled instead)."""
        raise NotImplementedError

    def check_publishing_limit(self) -> Operation[None]:
        """Operation: raise :class:`~smmkit.errors.RateLimitedError` if the quota is spent."""
        raise NotImplementedError

    # -- the shared flow -----------------------------------------------------------------------
    def _read_container(
        self, node: str, container_id: str, status_field: str, detail_field: str
    ) -> Operation[tuple[ContainerStatus, str | None]]:
        """Operation: ``GET /<container>?fields=<status_field>,<detail_field>`` read as the
        container's status and Meta's detail; an unknown status is a retryable error."""
        data = yield from self._call(
            "GET", node, container_id, None, {"fields": f"{status_field},{detail_field}"}
        )
        try:
            status = ContainerStatus(str(data.get(status_field)))
        except ValueError:
            raise PlatformError(
                f"{self.platform}: container {container_id} has an unknown {status_field} "
                f"{data.get(status_field)!r}.",
                platform=str(self.platform),
                retryable=True,
            ) from None
        detail = data.get(detail_field)
        return status, str(detail) if detail else None

    def _quota(self, data: Mapping[str, Any]) -> tuple[int, int, int]:
        """``(used, total, window seconds)`` from a publishing-limit answer (``total`` falls
        back to :attr:`publishing_limit`, the window to 24 hours)."""
        rows = data.get("data") if isinstance(data.get("data"), list) else [data]
        row = obj(rows[0]) if rows else {}
        config = obj(row.get("config"))
        used = count(row.get("quota_usage")) or 0
        total = count(config.get("quota_total")) or self.publishing_limit
        window = count(config.get("quota_duration")) or 86400
        return used, total, window

    def _via_container(
        self,
        key: str,
        text: str,
        create: Callable[[], Operation[str]],
        find: Callable[[PostMarker], Operation[PublishedPost | None]],
    ) -> Operation[PublishedPost]:
        """Operation: publish ``text`` (under ``key``) exactly once through a container made by
        ``create``; an ambiguous publish is looked up with ``find`` (posts whose text has the
        fingerprint of ``text``, since five minutes before the container was made)."""
        fingerprint = text_fingerprint(text)

        def marker(not_before: datetime) -> PostMarker:
            return PostMarker(
                publish_key=key,
                channel=self.channel,
                fingerprint=fingerprint,
                not_before=not_before - timedelta(minutes=5),
            )

        return (
            yield from publish_via_container(
                platform=str(self.platform),
                key=key,
                marker=marker,
                store=self.containers,
                clock=self.clock,
                create=create,
                read=self.container_status,
                publish=self.publish_container,
                find=find,
                check_limit=self.check_publishing_limit,
                poll=self.poll,
            )
        )

    def _find_by_text(
        self,
        marker: PostMarker,
        pages: Callable[[datetime | None, str | None], Operation[Page[dict[str, Any]]]],
        text_field: str,
    ) -> Operation[PublishedPost | None]:
        """Operation: the post whose ``text_field`` has the marker's fingerprint, among the
        first four pages of ``pages(since, cursor)`` (the account's posts, newest first)."""
        cursor: str | None = None
        for _ in range(4):
            page = yield from pages(marker.not_before, cursor)
            for item in page.items:
                if text_fingerprint(str(item.get(text_field) or "")) == marker.fingerprint:
                    permalink = item.get("permalink")
                    return PublishedPost(
                        platform=self.platform,
                        channel=self.channel,
                        post_id=str(item["id"]),
                        url=permalink if isinstance(permalink, str) else None,
                        published_at=parse_time(item.get("timestamp")),
                        publish_key=marker.publish_key,
                    )
            if page.next_cursor is None:
                return None
            cursor = page.next_cursor
        return None
