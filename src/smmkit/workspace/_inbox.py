"""The workspace's community inbox: pull every channel's new messages incrementally, classify
them, keep them threaded and deduplicated in the store, and let the team mark them.

These are methods of :class:`~smmkit.workspace.Workspace` (mixed in from here).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import AwareDatetime, Field, SecretStr

from smmkit.errors import SmmkitError, ValidationError
from smmkit.models import InboxMessage, MessageCategory, ValueModel

if TYPE_CHECKING:
    from smmkit.community import Classifier
    from smmkit.store import InboxRecord, InboxState, Store

__all__ = ["ChannelSync", "InboxMixin", "InboxSyncResult", "WebhookResult", "default_classifier"]

_log = logging.getLogger("smmkit.workspace")

_PAGE = 100
_MAX_PAGES = 1_000
_UNSET: Any = None  # replaced by smmkit.store.UNSET on first use (the store loads lazily)


def default_classifier() -> Classifier:
    """The classifier a sync uses when none is given: ``smmkit.community.DEFAULT_CLASSIFIER``
    (deterministic, offline, explains itself with cues)."""
    from smmkit.community import DEFAULT_CLASSIFIER

    return DEFAULT_CLASSIFIER


class ChannelSync(ValueModel):
    """What one channel's pull did."""

    channel: str
    requests: int = Field(description="Inbox pages requested (each one 'since' request).")
    pulled: int = Field(description="Messages the platform returned.")
    new: int = Field(description="Messages stored for the first time (and classified).")
    updated: int = Field(description="Known messages whose text or hidden flag changed.")
    answered: int = Field(description="Messages marked answered by a brand reply pulled now.")
    cursor: str | None = Field(default=None, repr=False)
    skipped: str | None = Field(default=None, description="Why the channel was not pulled.")
    error: str | None = None


class InboxSyncResult(ValueModel):
    """One inbox sync across a brand's channels."""

    brand: str
    now: AwareDatetime
    channels: tuple[ChannelSync, ...]

    @property
    def new(self) -> int:
        return sum(c.new for c in self.channels)

    @property
    def requests(self) -> int:
        return sum(c.requests for c in self.channels)

    @property
    def errors(self) -> tuple[ChannelSync, ...]:
        return tuple(c for c in self.channels if c.error is not None)


class WebhookResult(ValueModel):
    """What a webhook delivery added to the inbox."""

    events: int = Field(description="Events in the delivery.")
    messages: int = Field(description="Events that carried a message for a known channel.")
    new: tuple[str, ...] = Field(default=(), description="Keys stored for the first time.")
    ignored: tuple[str, ...] = Field(
        default=(), description="Why the other events were left out (one line each)."
    )


def _unset() -> Any:
    global _UNSET
    if _UNSET is None:
        from smmkit.store import UNSET

        _UNSET = UNSET
    return _UNSET


class _Keep:
    """A sentinel: "leave this field as it is" (``None`` clears it)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


class InboxMixin:
    """The inbox methods of :class:`~smmkit.workspace.Workspace`."""

    if TYPE_CHECKING:
        _store: Store
        _actor: str

        def brand_id(self, brand: str | None = None) -> str: ...
        def client(self, channel_key: str, *, brand: str | None = None) -> Any: ...
        def now(self) -> datetime: ...

    # -- pulling -------------------------------------------------------------------------------
    def sync_inbox(
        self,
        now: datetime | None = None,
        *,
        brand: str | None = None,
        channels: Sequence[str] | None = None,
        classifier: Classifier | None = None,
        page_size: int = _PAGE,
        max_pages: int = _MAX_PAGES,
    ) -> InboxSyncResult:
        """Pull every channel's new messages (comments, replies, mentions, direct messages
        where the client offers them) since the cursor stored by the last sync, classify the new
        ones and store them, threaded and deduplicated.

        Incremental: each channel's pull starts from its stored cursor, so a pull every few
        minutes costs one "since" request per channel when nothing is new. Each page is stored
        with the cursor that follows it in one transaction (a crash never skips messages; a
        repeated page is deduplicated). A channel whose client cannot read the inbox is
        skipped; a channel that fails is reported and the others go on. ``now`` is when the
        sync happens (default: the workspace clock); ``classifier`` defaults to
        :func:`default_classifier`.
        """
        from smmkit.platforms import Capability

        moment = _aware("now", now) if now is not None else self.now()
        if not 1 <= page_size <= 1_000:
            raise ValidationError("page_size", page_size, "must be within 1-1000")
        if max_pages < 1:
            raise ValidationError("max_pages", max_pages, "must be >= 1")
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            known = [c.key for c in tx.channels(brand_id)]
        if channels is not None:
            unknown = sorted(set(channels) - set(known))
            if unknown:
                raise ValidationError(
                    "channels", unknown[0], f"is not a channel of {brand_id}", hint="smmkit status"
                )
            known = [k for k in known if k in set(channels)]
        judge = classifier or default_classifier()
        results: list[ChannelSync] = []
        for key in known:
            try:
                client = self.client(key, brand=brand_id)
            except SmmkitError as exc:
                results.append(_failed(key, 0, 0, exc))
                continue
            supports = getattr(client, "supports", None)
            if not callable(supports) or not supports(Capability.READ_INBOX):
                results.append(
                    ChannelSync(
                        channel=key,
                        requests=0,
                        pulled=0,
                        new=0,
                        updated=0,
                        answered=0,
                        skipped="the channel's client cannot read the inbox",
                    )
                )
                continue
            results.append(self._sync_channel(brand_id, key, client, judge, page_size, max_pages))
        return InboxSyncResult(brand=brand_id, now=moment, channels=tuple(results))

    def _sync_channel(
        self,
        brand_id: str,
        key: str,
        client: Any,
        judge: Classifier,
        page_size: int,
        max_pages: int,
    ) -> ChannelSync:
        with self._store.read() as tx:
            stored = tx.inbox_cursor(brand_id, key)
        cursor = stored.cursor if stored is not None else None
        requests = pulled = new = updated = answered = 0
        for _ in range(max_pages):
            try:
                page = client.fetch_inbox(cursor, limit=page_size)
            except SmmkitError as exc:
                _log.warning("inbox sync of %s/%s: %s", brand_id, key, exc)
                return _failed(key, requests, pulled, exc, new, updated, answered, cursor)
            requests += 1
            messages = [m for m in page.messages if m.channel == key]
            pulled += len(page.messages)
            with self._store.read() as tx:
                seen = tx.known_message_keys(brand_id, (m.key for m in messages))
            verdicts = {m.key: judge.classify(m) for m in messages if m.key not in seen}
            next_cursor = page.cursor if page.cursor is not None else cursor
            with self._store.transaction(actor=self._actor) as tx:
                wrote = tx.put_messages(brand_id, messages, verdicts)
                tx.set_inbox_cursor(brand_id, key, next_cursor, messages=len(wrote.new))
            new += len(wrote.new)
            updated += len(wrote.updated)
            answered += len(wrote.answered)
            cursor = next_cursor
            if not page.has_more:
                break
        return ChannelSync(
            channel=key,
            requests=requests,
            pulled=pulled,
            new=new,
            updated=updated,
            answered=answered,
            cursor=cursor,
        )

    # -- reading -------------------------------------------------------------------------------
    def inbox(
        self,
        *,
        brand: str | None = None,
        channel: str | Sequence[str] | None = None,
        category: MessageCategory | str | Sequence[MessageCategory | str] | None = None,
        state: InboxState | str | Sequence[InboxState | str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        assigned_to: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[InboxRecord]:
        """The brand's inbox, newest first: filter by channel(s), category(ies), state(s)
        (``"unread"``, ``"unanswered"``, ``"assigned"``, ``"hidden"`` ...; all must hold), when
        the message was written, who it is assigned to."""
        brand_id = self.brand_id(brand)
        categories: str | list[str] | None
        if category is None or isinstance(category, str):
            categories = category
        else:
            categories = [str(c) for c in category]
        with self._store.read() as tx:
            return tx.messages(
                brand_id,
                channel=channel,
                category=categories,
                state=state,
                since=since,
                until=until,
                assigned_to=assigned_to,
                limit=limit,
                newest_first=newest_first,
            )

    def thread(self, key: str, *, brand: str | None = None) -> list[InboxRecord]:
        """The whole thread ``key`` belongs to (its root and every stored reply), oldest first.
        An unknown key is an error."""
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            found = tx.thread(brand_id, key)
        if not found:
            raise ValidationError(
                "key",
                key,
                f"is not a message of {brand_id}'s inbox",
                hint="keys look like '<channel>:<message id>' (see smmkit inbox).",
            )
        return found

    # -- the team's state ----------------------------------------------------------------------
    def mark(
        self,
        keys: str | Iterable[str],
        *,
        by: str | None = None,
        brand: str | None = None,
        read: bool | None = None,
        assigned_to: Any = KEEP,
        answered: bool | datetime | None = None,
        hidden: bool | None = None,
        handled_by: Any = KEEP,
        category: MessageCategory | str | None = None,
    ) -> list[InboxRecord]:
        """Change messages' state in one transaction, recorded in the change log as done by
        ``by`` (default: the workspace's actor): ``read``, ``assigned_to`` (``None``
        unassigns), ``answered`` (``True``: now; a datetime; ``False``: not answered),
        ``hidden`` (the inbox's flag only: hiding on the platform is moderation's job),
        ``handled_by``, ``category`` (a person correcting the classifier). An unknown key
        changes nothing."""
        brand_id = self.brand_id(brand)
        names = [keys] if isinstance(keys, str) else list(keys)
        if not names:
            return []
        unset = _unset()
        moment = self.now()
        when: Any = unset
        if answered is True:
            when = moment
        elif answered is False:
            when = None
        elif isinstance(answered, datetime):
            when = _aware("answered", answered)
        out: list[InboxRecord] = []
        with self._store.transaction(actor=by or self._actor) as tx:
            for key in names:
                out.append(
                    tx.mark_message(
                        brand_id,
                        key,
                        read=unset if read is None else read,
                        assigned_to=unset if assigned_to is KEEP else assigned_to,
                        answered_at=when,
                        hidden=unset if hidden is None else hidden,
                        handled_by=unset if handled_by is KEEP else handled_by,
                        category=unset if category is None else str(category),
                    )
                )
        return out

    # -- webhooks ------------------------------------------------------------------------------
    def ingest_webhook(
        self,
        body: bytes | Mapping[str, Any],
        *,
        signature: str | None = None,
        app_secret: SecretStr | str | None = None,
        brand: str | None = None,
        classifier: Classifier | None = None,
        look_up_mentions: bool = True,
    ) -> WebhookResult:
        """Add a Meta webhook delivery's comments, replies and mentions to the inbox, exactly
        as a pull would (deduplicated: the same comment pulled later is the same message).

        With ``app_secret``, the raw ``body`` (bytes) is checked against its
        ``X-Hub-Signature-256`` header (``signature``) first and refused
        (:class:`~smmkit.platforms.meta.WebhookRefused`) if it does not match. Events are
        routed to the brand's channel whose ``account_id`` is the event's account (an
        Instagram user, a Page, a Threads user); events for no known channel, or without a
        message, are listed in ``ignored``.

        An Instagram ``mentions`` event carries only ids: with ``look_up_mentions`` (the
        default) the channel's client reads the comment or caption that @mentions the account
        (``mention_message``: one Graph call per mention, Facebook Login only) and it enters as
        a ``mention``; a look-up that fails is listed in ``ignored`` with the reason (Meta
        delivers the event again if the endpoint answers with an error; a later delivery or a
        call of this method with the same body is deduplicated).
        """
        from smmkit.platforms.meta import parse_webhook, verify_signature, webhook_message

        if app_secret is not None:
            if not isinstance(body, bytes | bytearray):
                raise ValidationError(
                    "body",
                    type(body).__name__,
                    "must be the raw request bytes when the signature is checked",
                )
            verify_signature(bytes(body), signature, app_secret)
        events = parse_webhook(body)
        brand_id = self.brand_id(brand)
        with self._store.read() as tx:
            channels = tx.channels(brand_id)
        by_account = {
            (c.platform.value, c.account_id): c for c in channels if c.account_id is not None
        }
        messages: list[InboxMessage] = []
        ignored: list[str] = []
        for event in events:
            target = by_account.get((event.platform.value, event.account_id or ""))
            if target is None:
                ignored.append(
                    f"{event.platform.value} {event.field}: account {event.account_id} is not a "
                    f"channel of {brand_id}"
                )
                continue
            message = webhook_message(event, channel=target.key, account_id=target.account_id)
            if message is None and look_up_mentions and event.kind == "mention":
                message, why = self._look_up_mention(brand_id, target.key, event)
                if message is None:
                    ignored.append(f"{event.platform.value} {event.field}: {why}")
                    continue
            if message is None:
                ignored.append(f"{event.platform.value} {event.field}: no message in the event")
                continue
            messages.append(message)
        judge = classifier or default_classifier()
        with self._store.read() as tx:
            seen = tx.known_message_keys(brand_id, (m.key for m in messages))
        verdicts = {m.key: judge.classify(m) for m in messages if m.key not in seen}
        with self._store.transaction(actor=self._actor) as tx:
            wrote = tx.put_messages(brand_id, messages, verdicts)
        return WebhookResult(
            events=len(events), messages=len(messages), new=wrote.new, ignored=tuple(ignored)
        )

    def _look_up_mention(
        self, brand_id: str, key: str, event: Any
    ) -> tuple[InboxMessage | None, str]:
        """The message of a mention event that carries only ids, read through the channel's
        client; else ``None`` and why."""
        if event.media_id is None and event.comment_id is None:
            return None, "the mention names no media and no comment"
        try:
            client = self.client(key, brand=brand_id)
        except SmmkitError as exc:
            return None, f"no client for {key}: {exc}"
        look_up = getattr(client, "mention_message", None)
        if not callable(look_up):
            return None, f"the client of {key} cannot read mentions by id"
        try:
            found = look_up(media_id=event.media_id, comment_id=event.comment_id)
        except SmmkitError as exc:
            _log.warning("webhook mention for %s/%s not read: %s", brand_id, key, exc)
            return None, f"the mention could not be read: {type(exc).__name__}: {exc}"[:500]
        if not isinstance(found, InboxMessage) or found.channel != key:
            return None, f"the client of {key} answered the mention with something else"
        return found, ""


def _failed(
    key: str,
    requests: int,
    pulled: int,
    exc: BaseException,
    new: int = 0,
    updated: int = 0,
    answered: int = 0,
    cursor: str | None = None,
) -> ChannelSync:
    return ChannelSync(
        channel=key,
        requests=requests,
        pulled=pulled,
        new=new,
        updated=updated,
        answered=answered,
        cursor=cursor,
        error=f"{type(exc).__name__}: {exc}"[:500],
    )


def _aware(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            name, value, "must be a timezone-aware datetime", hint="attach a tzinfo (zoneinfo)."
        )
    return value
