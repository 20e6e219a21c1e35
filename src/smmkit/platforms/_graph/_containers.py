"""Meta's container flow (Instagram and Threads), exactly once without an idempotency key.

Publishing is two steps: create a *container* (Meta downloads the media from its public URL),
wait until its status is ``FINISHED``, then publish it (``media_publish`` /
``threads_publish``). See https://developers.facebook.com/docs/instagram-platform/content-publishing/
and https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
(``status_code``: ``IN_PROGRESS``, ``FINISHED``, ``ERROR``, ``EXPIRED``, ``PUBLISHED``).

Neither network takes an idempotency key, but a container is published at most once. So the
container id is remembered per publish key (in ``store``, which a runner may persist) before
the publish call, and every doubt is settled by reading the container:

* the publish call failed with an unknown outcome -> read ``status_code``: ``PUBLISHED`` means it
  went out (the media is then found among the account's recent posts); ``FINISHED`` means it did
  not, and the *same* container is published again; never a second container while one that may
  have been published exists;
* a later publish of the same key starts from the remembered container the same way;
* ``ERROR`` and ``EXPIRED`` containers were never published: they are dropped;
* once published, the key's entry becomes the post itself (``"published:<json>"``): publishing
  the same key again returns it without a request (a thread whose later part failed resumes
  after the parts that went out). Entries older than a few days may be pruned by the owner of
  the store.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smmkit.errors import PlatformError
from smmkit.platforms._core import Operation, is_outcome_unknown, mark_outcome_unknown, sleep
from smmkit.platforms._protocol import PostMarker, PublishedPost
from smmkit.platforms._redact import get_logger

from ._errors import graph_error_info

__all__ = ["ContainerStatus", "PollPolicy", "publish_via_container", "wait_until_finished"]

_log = get_logger("smmkit.platforms.meta")

_NOT_READY_SUBCODES = frozenset({2207027})


class ContainerStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"
    PUBLISHED = "PUBLISHED"


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """How a container is polled: ``interval`` seconds first, doubling up to ``max_interval``,
    for at most ``max_wait`` seconds in total (through the driver's sleep)."""

    interval: float = 2.0
    max_interval: float = 30.0
    max_wait: float = 600.0


StatusReader = Callable[[str], Operation[tuple[ContainerStatus, str | None]]]


def wait_until_finished(
    container_id: str, read: StatusReader, poll: PollPolicy, *, platform: str
) -> Operation[ContainerStatus]:
    """Operation: poll ``container_id`` until it is ``FINISHED`` (or ``PUBLISHED``).

    ``ERROR`` raises with Meta's reason; ``EXPIRED`` raises too; running out of ``max_wait``
    raises a retryable error (the container is kept: a later attempt goes on polling it).
    """
    waited, delay = 0.0, poll.interval
    while True:
        status, detail = yield from read(container_id)
        if status in (ContainerStatus.FINISHED, ContainerStatus.PUBLISHED):
            return status
        if status is ContainerStatus.ERROR:
            raise PlatformError(
                f"{platform}: Meta could not process media container {container_id} "
                f"(status ERROR{': ' + detail if detail else ''}).",
                platform=platform,
                code="container:ERROR",
                platform_message=detail,
                hint="Meta downloads the media from its public URL: check that the URL is public "
                "HTTPS and the file meets the format rules; the next attempt creates a new "
                "container.",
            )
        if status is ContainerStatus.EXPIRED:
            raise PlatformError(
                f"{platform}: media container {container_id} expired (not published within "
                "24 hours).",
                platform=platform,
                code="container:EXPIRED",
                retryable=True,
                hint="publish again: the next attempt creates a new container.",
            )
        if waited >= poll.max_wait:
            raise PlatformError(
                f"{platform}: media container {container_id} still IN_PROGRESS after "
                f"{waited:.0f}s.",
                platform=platform,
                retryable=True,
                hint="retry later: the container is remembered and polled again, never "
                "created twice.",
            )
        yield from sleep(delay)
        waited += delay
        delay = min(delay * 2, poll.max_interval)


def _entry(container_id: str, created: datetime) -> str:
    return f"{container_id} {created.isoformat()}"


def _parse_entry(value: str) -> tuple[str, datetime | None]:
    container_id, _, when = value.partition(" ")
    try:
        return container_id, datetime.fromisoformat(when) if when else None
    except ValueError:
        return container_id, None


_DONE = "published:"


def _done(store: MutableMapping[str, str], key: str, post: PublishedPost) -> PublishedPost:
    """Remember that ``key`` went out (as the post itself), so that a later publish of the same
    key (the runner retrying after a crash, the rest of a thread failing) sends nothing."""
    store[key] = _DONE + post.model_dump_json(exclude={"raw"})
    return post


def _unknown(platform: str, container_id: str) -> PlatformError:
    return mark_outcome_unknown(
        PlatformError(
            f"{platform}: container {container_id} is PUBLISHED but the post is not visible "
            "among the account's recent media yet.",
            platform=platform,
            retryable=True,
            hint="retry later: the publish is reconciled again from the same container, never "
            "sent twice.",
        )
    )


def publish_via_container(
    *,
    platform: str,
    key: str,
    marker: Callable[[datetime], PostMarker],
    store: MutableMapping[str, str],
    clock: Callable[[], datetime],
    create: Callable[[], Operation[str]],
    read: StatusReader,
    publish: Callable[[str], Operation[PublishedPost]],
    find: Callable[[PostMarker], Operation[PublishedPost | None]],
    check_limit: Callable[[], Operation[None]],
    poll: PollPolicy,
    rounds: int = 3,
) -> Operation[PublishedPost]:
    """Operation: publish exactly once through a container (see the module docs).

    ``marker(not_before)`` builds the look-up marker; ``store`` maps publish keys to their
    container (``"<id> <created iso>"``); ``check_limit`` raises before anything is created or
    published when the publishing quota is spent.
    """
    container_id: str | None = None
    created: datetime | None = None
    if key in store and store[key].startswith(_DONE):  # published before: never again
        post = PublishedPost.model_validate_json(store[key][len(_DONE) :])
        return post.model_copy(update={"reconciled": True})
    if key in store:
        container_id, created = _parse_entry(store[key])
        status, _ = yield from read(container_id)
        if status is ContainerStatus.PUBLISHED:
            found = yield from find(marker(created or clock()))
            if found is None:
                raise _unknown(platform, container_id)
            _log.info("%s: publish %s reconciled from its container", platform, key)
            return _done(
                store, key, found.model_copy(update={"reconciled": True, "publish_key": key})
            )
        if status in (ContainerStatus.ERROR, ContainerStatus.EXPIRED):
            store.pop(key, None)
            container_id = None
    yield from check_limit()
    if container_id is None:
        created = clock()
        container_id = yield from create()
        store[key] = _entry(container_id, created)
    try:
        yield from wait_until_finished(container_id, read, poll, platform=platform)
    except PlatformError as exc:
        if exc.code in ("container:ERROR", "container:EXPIRED"):  # never published: drop it
            store.pop(key, None)
        raise
    last: PlatformError | None = None
    for _ in range(rounds):
        try:
            post = yield from publish(container_id)
        except PlatformError as exc:
            info = graph_error_info(exc)
            last = exc
            if info is not None and info.subcode in _NOT_READY_SUBCODES:
                yield from wait_until_finished(container_id, read, poll, platform=platform)
                continue
            if not is_outcome_unknown(exc):
                raise  # refused: the container was not published and stays reusable
            _log.info("%s: publish %s: unknown outcome, reading the container", platform, key)
            status, _ = yield from read(container_id)
            if status is ContainerStatus.PUBLISHED:
                found = yield from find(marker(created or clock()))
                if found is None:
                    raise _unknown(platform, container_id) from exc
                return _done(
                    store, key, found.model_copy(update={"reconciled": True, "publish_key": key})
                )
            if status in (ContainerStatus.ERROR, ContainerStatus.EXPIRED):
                store.pop(key, None)
                raise
            if status is ContainerStatus.IN_PROGRESS:
                yield from wait_until_finished(container_id, read, poll, platform=platform)
            continue  # FINISHED: not published; the same container may be published again
        return _done(store, key, post.model_copy(update={"publish_key": key}))
    assert last is not None
    raise last
