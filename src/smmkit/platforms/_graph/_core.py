"""What the Meta cores (Instagram, Threads, Facebook Pages) share: the Graph API root, the call
context and the one helper that runs a Graph call; for the two that publish through containers
(Instagram, Threads), the containers' bookkeeping too."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any

from smmkit.platforms._client import PlatformCore
from smmkit.platforms._core import Operation
from smmkit.platforms._retry import RetryPolicy

from ._call import GraphApi, GraphCallContext, graph_call, graph_json
from ._containers import PollPolicy
from ._errors import graph_dialect

__all__ = ["GraphCore", "MetaContainerCore", "count", "parse_time"]


def parse_time(value: object) -> datetime | None:
    """A Graph timestamp (``2026-11-26T09:00:00+0000``) as an aware datetime, else ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
