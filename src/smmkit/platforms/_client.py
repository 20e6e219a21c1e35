"""The base of every client: a sans-I/O *core* with one operation per protocol call, and two
thin shells that run the core's operations with the sync or the async driver.

To add a network, subclass :class:`PlatformCore` (declare ``platform``, ``capabilities`` and a
:class:`~._errors.Dialect`; implement the ``_operations`` it supports as generators), then make
the two shells::

    class MyClient(SyncClient[MyCore]): ...
    class AsyncMyClient(AsyncClient[MyCore]): ...

The shells already implement the whole :class:`~._protocol.PlatformClient` protocol by running
the core's operations; nothing is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from smmkit.errors import (
    ContentRuleError,
    PlatformError,
    SmmkitError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import AccountMetrics, Platform, PostMetrics, Variant

from ._capabilities import Capability, needed_capabilities, require
from ._core import Operation, Step, is_outcome_unknown, mark_outcome_unknown
from ._driver import READ_ERRORS as _READ_ERRORS
from ._driver import AsyncDriver, SyncDriver, Timeout
from ._errors import Dialect
from ._pagination import AsyncPager, Page, SyncPager
from ._protocol import Comment, InboxPage, PostMarker, PostRef, PublishedPost
from ._redact import get_logger

if TYPE_CHECKING:
    from smmkit.content import PlatformRules, Violation
    from smmkit.models import VoiceProfile


__all__ = [
    "AsyncClient",
    "PlatformCore",
    "SyncClient",
    "reconcile_unknown",
    "reconciled_publish",
]

T = TypeVar("T")
CoreT = TypeVar("CoreT", bound="PlatformCore")
_log = get_logger("smmkit.platforms")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _unknown_outcome(exc: Exception) -> PlatformError | None:
    """For a failed create: the error to reconcile when the server may have acted on it, or
    ``None`` when the failure is to be raised as it is (its outcome is known, or it is not a
    failure of the exchange)."""
    if isinstance(exc, PlatformError):
        return exc if is_outcome_unknown(exc) else None
    if isinstance(exc, SmmkitError) or not isinstance(exc, _READ_ERRORS):
        return None
    # The create was answered, but not with what it should be: it may have happened.
    return mark_outcome_unknown(
        PlatformError(
            f"could not read the answer to a create ({type(exc).__name__}).",
            hint="the post is looked up before anything is sent again.",
        )
    )


def reconcile_unknown(
    attempt: Callable[[], Operation[T]],
    look_up: Callable[[], Operation[T | None]],
    *,
    rounds: int = 3,
    on_unknown: Callable[[PlatformError, int], None] | None = None,
) -> Operation[tuple[T, bool]]:
    """Operation: make a create happen at most once, whatever the failures.

    Runs ``attempt()``. A failure whose outcome is known (the server certainly did not act, or
    refused) is raised. A failure whose outcome is *unknown* (:func:`~._core.is_outcome_unknown`:
    a timeout after sending, a lost response, a 5xx after the body went out) is first reported
    to ``on_unknown(error, round)``, then settled with ``look_up()`` *before* anything is sent
    again: found means done; not found means nothing was created, so one more attempt is safe.
    At most ``rounds`` attempts; when they are used up, the last error is raised.

    Returns ``(result, reconciled)``: ``reconciled`` is true when the result is what the look-up
    found. :func:`reconciled_publish` is built on it; use it directly for a create whose result
    is not a :class:`~._protocol.PublishedPost` (a record, a reply, a media container).
    """
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1 (got {rounds})")
    last: PlatformError | None = None
    for round_number in range(1, rounds + 1):
        try:
            result = yield from attempt()
        except Exception as exc:
            last = _unknown_outcome(exc)
            if last is None:
                raise
            if on_unknown is not None:
                on_unknown(last, round_number)
        else:
            return result, False
        found = yield from look_up()
        if found is not None:
            return found, True
    assert last is not None
    raise last


def reconciled_publish(
    attempt: Callable[[], Operation[PublishedPost]],
    find: Callable[[PostMarker], Operation[PublishedPost | None]],
    marker: PostMarker | Callable[[], PostMarker],
    *,
    rounds: int = 3,
    platform: str = "platform",
    pending: dict[str, PostMarker] | None = None,
    publish_key: str | None = None,
) -> Operation[PublishedPost]:
    """Operation: publish exactly once on a network that may not deduplicate.

    Runs ``attempt()``. If it fails with an outcome that is unknown (the server may have created
    the post: a timeout after sending, a lost response, a 5xx after the body went out), looks the
    post up with ``find(marker)`` *before* anything is sent again: found means done
    (``reconciled=True``); not found means the previous attempt created nothing, so one more
    attempt is safe. At most ``rounds`` attempts are made.

    ``marker`` may be a zero-argument callable (with ``publish_key`` given), so that it is built
    only when a look-up is needed. ``pending`` (kept by the core) remembers publish keys whose
    outcome is still unknown when this operation gives up; a later publish of the same key
    starts with the look-up, using the first attempt's marker, so a caller's own retry is never
    a blind resend either. After the first attempt, the loop is :func:`reconcile_unknown`.
    """
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1 (got {rounds})")
    key = publish_key or _marker(marker).publish_key
    first: PlatformError | None = None
    if not pending or key not in pending:
        # The usual case: the first attempt, made here (the publish hot path goes through one
        # generator level fewer); any failure is classified as in reconcile_unknown.
        try:
            result = yield from attempt()
        except Exception as exc:
            first = _unknown_outcome(exc)
            if first is None:
                raise
        else:
            if pending:
                pending.pop(key, None)
            return result
    return (
        yield from _reconciling(
            attempt, find, marker, key, first, rounds=rounds, platform=platform, pending=pending
        )
    )


def _marker(marker: PostMarker | Callable[[], PostMarker]) -> PostMarker:
    return marker if isinstance(marker, PostMarker) else marker()


def _reconciling(
    attempt: Callable[[], Operation[PublishedPost]],
    find: Callable[[PostMarker], Operation[PublishedPost | None]],
    marker: PostMarker | Callable[[], PostMarker],
    key: str,
    first: PlatformError | None,
    *,
    rounds: int,
    platform: str,
    pending: dict[str, PostMarker] | None,
) -> Operation[PublishedPost]:
    """:func:`reconciled_publish` after its first attempt failed with an unknown outcome
    (``first``), or, with ``first=None``, when ``key`` was left pending by an earlier publish."""
    built: list[PostMarker] = []

    def resolve() -> PostMarker:
        if not built:
            built.append(_marker(marker))
        return built[0]

    def unknown(error: PlatformError, round_number: int) -> None:
        if pending is not None:
            pending[key] = resolve()
        _log.info(
            "%s: publish %s ended with an unknown outcome (round %d): reconciling",
            platform,
            key,
            round_number,
        )

    used = 0  # attempts already made
    if first is None:
        assert pending is not None
        previous = pending[key]
        found = yield from find(previous)
        if found is not None:
            pending.pop(key, None)
            return found.model_copy(update={"reconciled": True})
        built.append(previous)
    else:
        used = 1
        unknown(first, 1)
        found = yield from find(resolve())
    if found is None and used == rounds:
        assert first is not None
        raise first
    if found is not None:
        result, reconciled = found, True
    else:
        result, reconciled = yield from reconcile_unknown(
            attempt,
            lambda: find(resolve()),
            rounds=rounds - used,
            on_unknown=lambda error, round_number: unknown(error, round_number + used),
        )
    if pending:
        pending.pop(key, None)
    if not reconciled:
        return result
    _log.info("%s: publish %s reconciled: found %s", platform, key, result.post_id)
    return result.model_copy(update={"reconciled": True})


class PlatformCore:
    """The sans-I/O half of a client: one operation per protocol call, nothing else.

    Public methods check capabilities (and the content rules, via :meth:`validate`) *eagerly*,
    so a refused call raises before any request; then they return the operation generator from
    the matching ``_method``. Subclasses override the ``_methods`` they support.
    """

    platform: ClassVar[Platform]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def __init__(
        self, *, channel: str, dialect: Dialect, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.channel = channel
        self.dialect = dialect
        self.clock = clock or _utcnow
        """The time source (``None`` given: the real UTC clock)."""
        self.pending: dict[str, PostMarker] = {}
        """Publish keys whose outcome is still unknown (see :func:`reconciled_publish`)."""
        self.voice: tuple[VoiceProfile, str] | None = None
        """The brand's voice and locale, when known: replies are linted against it."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channel={self.channel!r})"

    # -- checks ------------------------------------------------------------------------------
    def _require(self, operation: str, *needed: Capability) -> None:
        require(self.capabilities, *needed, platform=str(self.platform), operation=operation)

    def validate(self, variant: Variant) -> None:
        """Raise :class:`~smmkit.errors.ContentRuleError` if ``variant`` breaks the platform's
        rules (the default checks nothing beyond capabilities)."""

    @staticmethod
    def refuse_violations(violations: Sequence[Violation], refusal: str, *, hint: str) -> None:
        """Raise :class:`~smmkit.errors.ContentRuleError` if there are ``violations``.

        The message is ``"<refusal>: <field>: <message>; ..."``, listing every violation, and the
        error carries them (``error.violations``). A helper for :meth:`validate`.
        """
        if violations:
            listed = "; ".join(f"{v.field}: {v.message}" for v in violations)
            raise ContentRuleError(f"{refusal}: {listed}.", violations, hint=hint)

    def reply_rules(self) -> PlatformRules:
        """The rules a reply's text must meet: the platform's content rules (a core whose rules
        are known better, an instance's or a simulated network's, overrides this)."""
        from smmkit.content import rules_for

        return rules_for(self.platform)

    def check_reply(self, text: str) -> None:
        """Refuse, before any request, a reply that breaks the platform's text rules or (when
        the brand's voice is known, see :attr:`voice`) the voice."""
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("text", text, "a reply needs some text")
        from smmkit.content import lint_voice
        from smmkit.content import validate as content_validate

        violations = [
            v
            for v in content_validate(text, self.platform, rules=self.reply_rules())
            if v.severity == "error"
        ]
        self.refuse_violations(
            violations,
            f"{self.platform} refuses this reply",
            hint="shorten the reply (or split it) to fit the platform's limits.",
        )
        if self.voice is not None:
            voice, locale = self.voice
            findings = [f for f in lint_voice(text, voice, locale) if f.severity == "error"]
            if findings:
                listed = "; ".join(f"{f.rule}: {f.message}" for f in findings)
                raise ContentRuleError(
                    f"this reply breaks the brand's voice: {listed}.",
                    findings,
                    hint="rewrite it in the brand's register (see the suggestions).",
                )

    # -- the protocol, as operations -----------------------------------------------------------
    def publish(
        self, variant: Variant, *, native_schedule: bool = False
    ) -> Operation[PublishedPost]:
        needed = needed_capabilities(variant, native_schedule=native_schedule)
        self._require("publish this variant", *needed)
        self.validate(variant)
        if variant.channel != self.channel:
            raise ValidationError(
                "variant.channel",
                variant.channel,
                f"this client publishes on channel {self.channel!r}",
                hint="publish the variant with the client of its own channel "
                "(smmkit.platforms.client_for(channel)).",
            )
        return self._publish(variant, native_schedule=native_schedule)

    def delete(self, post: PostRef) -> Operation[None]:
        self._require("delete posts", Capability.DELETE)
        return self._delete(_post_id(post))

    def get_post_metrics(self, post: PostRef) -> Operation[PostMetrics]:
        self._require("read post metrics", Capability.POST_METRICS)
        return self._get_post_metrics(_post_id(post))

    def get_account_metrics(self) -> Operation[AccountMetrics]:
        self._require("read account metrics", Capability.ACCOUNT_METRICS)
        return self._get_account_metrics()

    def list_comments(self, post: PostRef, cursor: str | None = None) -> Operation[Page[Comment]]:
        self._require("read comments", Capability.READ_COMMENTS)
        return self._list_comments(_post_id(post), cursor)

    def reply(self, to: Comment, text: str) -> Operation[Comment]:
        self._require("reply to comments", Capability.REPLY_COMMENTS)
        self.check_reply(text)
        return self._reply(to, text)

    def hide_comment(self, comment: Comment) -> Operation[None]:
        self._require("hide comments", Capability.HIDE_COMMENTS)
        return self._hide_comment(comment)

    def delete_comment(self, comment: Comment) -> Operation[None]:
        """Operation: delete ``comment`` from the brand's post. Idempotent: a comment already
        gone (a repeated delete whose first answer was lost) counts as deleted."""
        self._require("delete comments", Capability.DELETE_COMMENTS)
        if not isinstance(comment, Comment):
            raise ValidationError(
                "comment", comment, "must be a Comment (from list_comments or the inbox)"
            )
        return self._delete_comment(comment)

    def find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        self._require("look posts up", Capability.FIND_POST)
        return self._find_post(marker)

    def fetch_inbox(
        self, since: str | None = None, *, limit: int | None = None
    ) -> Operation[InboxPage]:
        """Operation: the inbox's messages after ``since`` (a cursor from an earlier
        :class:`~._protocol.InboxPage`; ``None``: the first pull, the recent messages), at most
        ``limit`` (``None``: the platform's default page)."""
        self._require("read the inbox", Capability.READ_INBOX)
        if since is not None and (not isinstance(since, str) or not since or len(since) > 10_000):
            raise ValidationError(
                "since",
                since,
                "must be a cursor from an earlier InboxPage (a non-empty string), or None",
            )
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValidationError("limit", limit, "must be a positive integer or None")
        return self._fetch_inbox(since, limit)

    # -- to implement --------------------------------------------------------------------------
    def _unsupported(self, what: str) -> UnsupportedCapability:
        return UnsupportedCapability(f"{self.platform} cannot {what}.", platform=str(self.platform))

    def _publish(self, variant: Variant, *, native_schedule: bool) -> Operation[PublishedPost]:
        raise self._unsupported("publish")

    def _delete(self, post_id: str) -> Operation[None]:
        raise self._unsupported("delete posts")

    def _get_post_metrics(self, post_id: str) -> Operation[PostMetrics]:
        raise self._unsupported("read post metrics")

    def _get_account_metrics(self) -> Operation[AccountMetrics]:
        raise self._unsupported("read account metrics")

    def _list_comments(self, post_id: str, cursor: str | None) -> Operation[Page[Comment]]:
        raise self._unsupported("read comments")

    def _reply(self, to: Comment, text: str) -> Operation[Comment]:
        raise self._unsupported("reply to comments")

    def _hide_comment(self, comment: Comment) -> Operation[None]:
        raise self._unsupported("hide comments")

    def _delete_comment(self, comment: Comment) -> Operation[None]:
        raise self._unsupported("delete comments")

    def _find_post(self, marker: PostMarker) -> Operation[PublishedPost | None]:
        raise self._unsupported("look posts up")

    def _fetch_inbox(self, since: str | None, limit: int | None) -> Operation[InboxPage]:
        raise self._unsupported("read the inbox")


def _post_id(post: PostRef) -> str:
    post_id = post.post_id if isinstance(post, PublishedPost) else post
    if not isinstance(post_id, str) or not post_id:
        raise ValueError(f"post: a PublishedPost or a non-empty id is required (got {post!r})")
    return post_id


class _Shell(Generic[CoreT]):
    def __init__(self, core: CoreT) -> None:
        self.core = core

    @property
    def platform(self) -> Platform:
        return self.core.platform

    @property
    def channel(self) -> str:
        return self.core.channel

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.core.capabilities

    def supports(self, capability: Capability) -> bool:
        """Whether this client can do ``capability``."""
        return Capability(capability) in self.core.capabilities

    def use_voice(self, voice: VoiceProfile, locale: str) -> None:
        """Lint every reply against the brand's ``voice`` (in ``locale``) before sending."""
        self.core.voice = (voice, locale)


class SyncClient(_Shell[CoreT]):
    """Runs a core's operations with a :class:`~._driver.SyncDriver`."""

    def __init__(self, core: CoreT, driver: SyncDriver) -> None:
        super().__init__(core)
        self.driver = driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channel={self.channel!r}, driver={self.driver!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def run(self, operation: Generator[Step, Any, T], *, timeout: Timeout = None) -> T:
        """Run any operation of this client's core."""
        return self.driver.run(operation, timeout=timeout)

    def publish(
        self, variant: Variant, *, native_schedule: bool = False, timeout: Timeout = None
    ) -> PublishedPost:
        """Publish ``variant`` exactly once (see the platform's guarantee in the docs)."""
        return self.run(
            self.core.publish(variant, native_schedule=native_schedule), timeout=timeout
        )

    def delete(self, post: PostRef, *, timeout: Timeout = None) -> None:
        self.run(self.core.delete(post), timeout=timeout)

    def get_post_metrics(self, post: PostRef, *, timeout: Timeout = None) -> PostMetrics:
        return self.run(self.core.get_post_metrics(post), timeout=timeout)

    def get_account_metrics(self, *, timeout: Timeout = None) -> AccountMetrics:
        return self.run(self.core.get_account_metrics(), timeout=timeout)

    def list_comments(self, post: PostRef, *, limit: int | None = None) -> SyncPager[Comment]:
        self.core._require("read comments", Capability.READ_COMMENTS)
        return SyncPager(
            lambda cursor: self.core.list_comments(post, cursor), self.run, limit=limit
        )

    def reply(self, to: Comment, text: str, *, timeout: Timeout = None) -> Comment:
        return self.run(self.core.reply(to, text), timeout=timeout)

    def hide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        self.run(self.core.hide_comment(comment), timeout=timeout)

    def delete_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        """Delete ``comment`` (``Capability.DELETE_COMMENTS``); deleting it again is a no-op."""
        self.run(self.core.delete_comment(comment), timeout=timeout)

    def find_post(self, marker: PostMarker, *, timeout: Timeout = None) -> PublishedPost | None:
        return self.run(self.core.find_post(marker), timeout=timeout)

    def fetch_inbox(
        self, since: str | None = None, *, limit: int | None = None, timeout: Timeout = None
    ) -> InboxPage:
        """The inbox's messages after ``since`` (see :meth:`PlatformCore.fetch_inbox`)."""
        return self.run(self.core.fetch_inbox(since, limit=limit), timeout=timeout)


class AsyncClient(_Shell[CoreT]):
    """Runs a core's operations with an :class:`~._driver.AsyncDriver`."""

    def __init__(self, core: CoreT, driver: AsyncDriver) -> None:
        super().__init__(core)
        self.driver = driver

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channel={self.channel!r}, driver={self.driver!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.driver.aclose()

    async def run(self, operation: Generator[Step, Any, T], *, timeout: Timeout = None) -> T:
        """Run any operation of this client's core."""
        return await self.driver.run(operation, timeout=timeout)

    async def publish(
        self, variant: Variant, *, native_schedule: bool = False, timeout: Timeout = None
    ) -> PublishedPost:
        """Publish ``variant`` exactly once (see the platform's guarantee in the docs)."""
        return await self.run(
            self.core.publish(variant, native_schedule=native_schedule), timeout=timeout
        )

    async def delete(self, post: PostRef, *, timeout: Timeout = None) -> None:
        await self.run(self.core.delete(post), timeout=timeout)

    async def get_post_metrics(self, post: PostRef, *, timeout: Timeout = None) -> PostMetrics:
        return await self.run(self.core.get_post_metrics(post), timeout=timeout)

    async def get_account_metrics(self, *, timeout: Timeout = None) -> AccountMetrics:
        return await self.run(self.core.get_account_metrics(), timeout=timeout)

    def list_comments(self, post: PostRef, *, limit: int | None = None) -> AsyncPager[Comment]:
        self.core._require("read comments", Capability.READ_COMMENTS)
        return AsyncPager(
            lambda cursor: self.core.list_comments(post, cursor), self.run, limit=limit
        )

    async def reply(self, to: Comment, text: str, *, timeout: Timeout = None) -> Comment:
        return await self.run(self.core.reply(to, text), timeout=timeout)

    async def hide_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        await self.run(self.core.hide_comment(comment), timeout=timeout)

    async def delete_comment(self, comment: Comment, *, timeout: Timeout = None) -> None:
        """Delete ``comment`` (``Capability.DELETE_COMMENTS``); deleting it again is a no-op."""
        await self.run(self.core.delete_comment(comment), timeout=timeout)

    async def find_post(
        self, marker: PostMarker, *, timeout: Timeout = None
    ) -> PublishedPost | None:
        return await self.run(self.core.find_post(marker), timeout=timeout)

    async def fetch_inbox(
        self, since: str | None = None, *, limit: int | None = None, timeout: Timeout = None
    ) -> InboxPage:
        """The inbox's messages after ``since`` (see :meth:`PlatformCore.fetch_inbox`)."""
        return await self.run(self.core.fetch_inbox(since, limit=limit), timeout=timeout)
