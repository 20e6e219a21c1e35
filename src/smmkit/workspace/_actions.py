"""Acting on the inbox exactly once: the one sending path of moderation runs and of replies
sent by hand.

Each action is a row of the store's ``moderation_actions`` table (unique by message, action and
rule, so a re-run finds the row instead of acting again). :class:`ActionApplier` claims it
(committed before the platform call), calls the client, and finishes it; rows left ``sending``
by a run that died are reconciled first: the platform is asked whether the effect is there (the
comment is hidden or gone, the reply is in the thread) before anything is sent again.
:func:`moderated_action` is how a planned action and what became of it are reported.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import Field

from smmkit.community import ModerationAction, PlannedAction
from smmkit.errors import (
    PlatformConnectionError,
    PlatformError,
    PlatformTimeoutError,
    RateLimitedError,
    SmmkitError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import InboxMessage, MessageCategory, ValueModel

if TYPE_CHECKING:
    from smmkit.store import ActionRecord, InboxRecord

    from ._workspace import Workspace

__all__ = [
    "ActionApplier",
    "ActionHook",
    "ActionOutcome",
    "AppliedActions",
    "ModeratedAction",
    "ReplyTexts",
    "moderated_action",
    "refusal",
]

_log = logging.getLogger("smmkit.workspace.moderation")

_ON_PLATFORM = (ModerationAction.HIDE, ModerationAction.DELETE, ModerationAction.REPLY)
_MAX_INBOX_PAGES = 1_000
"""How far a reconciliation reads an inbox looking for a reply (then: unknown, never resent)."""


class ActionOutcome(StrEnum):
    """What became of one planned action in a run."""

    WOULD_DO = "would_do"
    """Dry run: it would be done now."""
    DONE = "done"
    """Done in this run."""
    RECONCILED = "reconciled"
    """Left in flight by a run that died; the platform showed it had happened: marked done."""
    ALREADY_DONE = "already_done"
    """Done (or failed for good) by an earlier run: not done again."""
    IN_FLIGHT = "in_flight"
    """Claimed by another live process: left to it."""
    DEFERRED = "deferred"
    """Not done now (rate-limited, or the request surely never left): the next run does it."""
    FAILED = "failed"
    """Refused or failed; ``detail`` says why (logged; not retried automatically)."""


class ModeratedAction(ValueModel):
    """One action of a moderation run: the plan (with the rule and the cues that fired), the
    message it is about, and what became of it."""

    message_key: str
    channel: str
    author: str
    text: str = Field(repr=False)
    action: ModerationAction
    rule: str
    reason: str
    cues: tuple[str, ...]
    category: MessageCategory
    confidence: float
    reply: str | None = None
    reply_text: str | None = Field(
        default=None, description="The saved reply as it is (or would be) sent."
    )
    to: str | None = None
    outcome: ActionOutcome
    detail: str | None = None
    action_id: int | None = None


ActionHook = Callable[[ModeratedAction], None]
"""Called with each action a live run has done (assign, escalate and notify are store-only: a
hook is how they reach a person), at least once: a notification cut short by a crash is
delivered again, with the same ``action_id``, by the next live run."""


@dataclass(frozen=True)
class AppliedActions:
    """What one :meth:`ActionApplier.run` did: each action (in plan order) and how many rows left
    in flight by dead runs it settled by asking the platform."""

    actions: tuple[ModeratedAction, ...]
    reconciled: int


ReplyTexts = dict[tuple[str, str, str], tuple[str | None, str | None]]
"""Planned reply → (the text to send, or why it is refused)."""


def moderated_action(
    record: InboxRecord,
    planned: PlannedAction,
    outcome: ActionOutcome,
    *,
    detail: str | None = None,
    action_id: int | None = None,
    texts: Mapping[tuple[str, str, str], tuple[str | None, str | None]] | None = None,
) -> ModeratedAction:
    """What became of ``planned`` (about ``record``), with the reply's text from ``texts`` and,
    when the reply was refused before sending and no other ``detail`` is given, why."""
    message: InboxMessage = record.message
    text, refused = (texts or {}).get(planned.key, (None, None))
    if refused is not None and detail is None:
        detail = refused
    return ModeratedAction(
        message_key=record.key,
        channel=message.channel,
        author=message.author,
        text=message.text,
        action=planned.action,
        rule=planned.rule,
        reason=planned.reason,
        cues=planned.cues,
        category=planned.category,
        confidence=planned.confidence,
        reply=planned.reply,
        reply_text=text,
        to=planned.to,
        outcome=outcome,
        detail=detail,
        action_id=action_id,
    )


def refusal(action: ModerationAction, message: InboxMessage) -> ValidationError | None:
    """Why ``action`` can never be applied to ``message`` (``None``: it can be tried): a hide or
    a delete applies only to a public comment on the brand's posts, never to a mention
    elsewhere, a direct message or a private message (nobody else reads those)."""
    if action not in (ModerationAction.HIDE, ModerationAction.DELETE):
        return None
    if message.kind.value not in ("comment", "reply"):
        return ValidationError(
            "action",
            action.value,
            f"a {message.kind.value} is not a comment on the brand's posts: the brand cannot "
            f"{action.value} it",
            hint="limit the rule to comments: kind = ['comment', 'reply'].",
        )
    if message.private:
        return ValidationError(
            "action",
            action.value,
            "the message is private (only the brand and the people it names read it): "
            "nobody else sees it, so it is never "
            f"{'hidden' if action is ModerationAction.HIDE else 'deleted'}",
            hint="answer it privately, assign it or escalate it instead.",
        )
    return None


def _comment(message: InboxMessage) -> Any:
    from smmkit.platforms import Comment

    return Comment(
        platform=message.platform,
        comment_id=message.message_id,
        post_id=message.post_id,
        author=message.author,
        text=message.text,
        created_at=message.created_at,
        hidden=message.hidden,
        url=message.url,
        kind=message.kind,
        private=message.private,
        author_id=message.author_id,
    )


class ActionApplier:
    """One live run: registered as a runner (so another process can tell it is alive), each
    action planned, claimed, applied and finished; orphans reconciled first."""

    def __init__(
        self,
        workspace: Workspace,
        brand_id: str,
        now: datetime,
        on_action: ActionHook | None,
        texts: ReplyTexts,
    ) -> None:
        self.texts = texts
        self.workspace = workspace
        self.store = workspace.store
        self.brand_id = brand_id
        self.now = now
        self.on_action = on_action
        self.id = f"moderate-{secrets.token_hex(4)}"
        self.actor = workspace.actor
        self.blocked: set[str] = set()  # channels rate-limited in this run
        self.items: list[ModeratedAction] = []

    # -- life --------------------------------------------------------------------------------
    def run(
        self,
        planned: list[tuple[InboxRecord, PlannedAction]],
        records: Sequence[InboxRecord],
    ) -> AppliedActions:
        """Reconcile what dead runs left in flight over ``records``, then apply ``planned`` in
        order."""
        lock_key = secrets.randbits(62)
        lock = self.store.hold_runner_lock(lock_key)
        try:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                tx.register_runner(self.id, lock_key=lock_key, now=self.now)
            by_key = {r.key: r for r in records}
            reconciled = self._reconcile(by_key)
            if self.on_action is not None:
                self._redeliver()
            for record, action in planned:
                self._one(record, action)
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                tx.stop_runner(self.id, now=self.now)
        finally:
            lock.release()
        return AppliedActions(tuple(self.items), reconciled)

    def _alive(self, runner: str | None) -> bool:
        """Whether the runner ``runner`` (another run, or the publishing runner) is alive."""
        if runner is None:
            return False
        with self.store.read() as tx:
            found = tx.runner(runner)
        if found is None:
            return False
        record, lock_key = found
        return record.stopped_at is None and self.store.runner_alive(lock_key)

    # -- reconciliation ----------------------------------------------------------------------
    def _reconcile(self, by_key: dict[str, InboxRecord]) -> int:
        """Settle the ``sending`` rows of dead runs: done if the platform shows the effect, back
        to ``planned`` if it shows its absence, failed if it cannot tell (never sent blindly)."""
        with self.store.read() as tx:
            rows = [
                r for r in tx.actions(self.brand_id, state="sending") if r.claimed_by != self.id
            ]
        settled = 0
        for row in rows:
            done: tuple[ModeratedAction, int | None] | None = None
            record = by_key.get(row.message_key)
            if record is None or self._alive(row.claimed_by):
                continue  # another channel's (a run that covers it settles it), or still running
            present = self._effect_present(row, record.message)
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                if not tx.take_over_action(row.id, self.id, previous=row.claimed_by):
                    continue
                if present is True:
                    tx.finish_action(row.id, result={"reconciled": True}, runner=self.id)
                    self._mark(tx, row.action, row.message_key, row.payload)
                    done = self._notify_later(
                        tx, record, _planned_of(row), ActionOutcome.RECONCILED, row
                    )
                    settled += 1
                elif present is False:
                    tx.release_action(row.id, runner=self.id)
                else:
                    tx.finish_action(
                        row.id,
                        state="failed",
                        error="the outcome is unknown and the platform cannot be asked; check "
                        "the message by hand",
                        runner=self.id,
                    )
            _log.info(
                "moderation %s: %s on %s left in flight by %s: %s",
                self.id,
                row.action,
                row.message_key,
                row.claimed_by,
                {True: "done", False: "not done, planned again", None: "unknown"}[present],
            )
            if done is not None:
                self._deliver(*done)
        return settled

    def _effect_present(self, row: ActionRecord, message: InboxMessage) -> bool | None:
        """Whether the platform shows ``row``'s effect; None when it cannot tell."""
        if row.action not in (a.value for a in _ON_PLATFORM):
            return False  # store-only actions are applied in one transaction: redo them
        try:
            client = self.workspace.client(message.channel, brand=self.brand_id)
            if message.post_id is None:  # a mention or a direct message: read the inbox
                if row.action != ModerationAction.REPLY:
                    return None
                return self._reply_in_inbox(client, message, row)
            comments = list(client.list_comments(message.post_id))
        except SmmkitError as exc:
            _log.warning("moderation %s: cannot read %s: %s", self.id, message.key, exc)
            return None
        if row.action == ModerationAction.HIDE:
            for c in comments:
                if c.comment_id == message.message_id:
                    return bool(c.hidden)
            return None
        if row.action == ModerationAction.REPLY:
            from smmkit.platforms import text_fingerprint

            wanted = row.payload.get("fingerprint")
            return any(
                c.in_reply_to == message.message_id and text_fingerprint(c.text) == wanted
                for c in comments
            )
        return all(c.comment_id != message.message_id for c in comments)

    def _reply_in_inbox(self, client: Any, message: InboxMessage, row: ActionRecord) -> bool | None:
        """Whether the brand's reply to ``message`` is in the channel's inbox (read from the
        start, page by page); None when the client cannot read it."""
        from smmkit.platforms import Capability, text_fingerprint

        if not client.supports(Capability.READ_INBOX):
            return None
        wanted = row.payload.get("fingerprint")
        since: str | None = None
        for _ in range(_MAX_INBOX_PAGES):
            page = client.fetch_inbox(since)
            for found in page.messages:
                if (
                    found.from_brand
                    and found.in_reply_to == message.message_id
                    and text_fingerprint(found.text) == wanted
                ):
                    return True
            if not page.has_more or page.cursor is None or page.cursor == since:
                return False
            since = page.cursor
        return None

    # -- one action --------------------------------------------------------------------------
    def _payload(self, planned: PlannedAction, record: InboxRecord) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "reason": planned.reason,
            "cues": list(planned.cues),
            "category": planned.category.value,
            "confidence": planned.confidence,
        }
        if planned.to is not None:
            payload["to"] = planned.to
        if planned.reply is not None:
            from smmkit.platforms import text_fingerprint

            payload["reply"] = planned.reply
            text, refused = self.texts.get(planned.key, (None, None))
            if refused is not None or text is None:
                raise ValidationError("reply", planned.reply, refused or "no text to send")
            payload["text"] = text
            payload["fingerprint"] = text_fingerprint(text)
        del record
        return payload

    def _one(self, record: InboxRecord, planned: PlannedAction) -> None:
        message: InboxMessage = record.message
        try:
            payload = self._payload(planned, record)
        except SmmkitError as exc:
            self._settle(record, planned, ActionOutcome.FAILED, detail=str(exc))
            return
        row = self.store.plan_action(
            self.brand_id,
            record.key,
            planned.action.value,
            planned.rule,
            payload,
            actor=self.actor,
        )
        state = row.state.value
        if state in ("done", "failed"):
            self.items.append(
                moderated_action(
                    record, planned, ActionOutcome.ALREADY_DONE, texts=self.texts, action_id=row.id
                )
            )
            return
        if state == "sending":
            self.items.append(
                moderated_action(
                    record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id
                )
            )
            return
        if planned.action not in _ON_PLATFORM:
            self._store_only(record, planned, row)
            return
        if message.channel in self.blocked:
            self.items.append(
                moderated_action(
                    record, planned, ActionOutcome.DEFERRED, texts=self.texts, action_id=row.id
                )
            )
            return
        if not self.store.claim_action(row.id, self.id, actor=self.actor):
            self.items.append(
                moderated_action(
                    record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id
                )
            )
            return
        self._on_platform(record, planned, row)

    def _store_only(self, record: InboxRecord, planned: PlannedAction, row: ActionRecord) -> None:
        """assign, escalate, notify: claimed, applied and finished in one transaction."""
        with self.store.transaction(actor=self.actor) as tx:
            if not tx.claim_action(row.id, self.id):
                self.items.append(
                    moderated_action(
                        record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id
                    )
                )
                return
            self._mark(tx, planned.action.value, record.key, row.payload)
            tx.finish_action(row.id, result={"to": planned.to}, runner=self.id)
            done = self._notify_later(tx, record, planned, ActionOutcome.DONE, row)
        self._done(*done)

    def _on_platform(self, record: InboxRecord, planned: PlannedAction, row: ActionRecord) -> None:
        message: InboxMessage = record.message
        try:
            client = self.workspace.client(message.channel, brand=self.brand_id)
            result = self._call(client, planned, message, row)
        except (RateLimitedError, PlatformConnectionError) as exc:
            if isinstance(exc, PlatformTimeoutError) and planned.action is ModerationAction.REPLY:
                self._unknown(record, planned, row, exc)
                return
            # The request was refused before it acted, or never left: planned again.
            if isinstance(exc, RateLimitedError):
                self.blocked.add(message.channel)
            self._defer(record, planned, row, exc)
            return
        except PlatformError as exc:
            if exc.retryable and planned.action is ModerationAction.REPLY:
                self._unknown(record, planned, row, exc)
                return
            if exc.retryable and not isinstance(exc, UnsupportedCapability):
                self._defer(record, planned, row, exc)
                return
            self._fail(record, planned, row, exc)
            return
        except SmmkitError as exc:
            self._fail(record, planned, row, exc)
            return
        with self.store.transaction(actor=self.actor) as tx:
            tx.finish_action(row.id, result=result, runner=self.id)
            self._mark(tx, planned.action.value, record.key, row.payload)
            done = self._notify_later(tx, record, planned, ActionOutcome.DONE, row)
        self._done(*done)

    def _call(
        self, client: Any, planned: PlannedAction, message: InboxMessage, row: ActionRecord
    ) -> dict[str, Any]:
        """The platform call of ``planned``; what it returned, as JSON for the row."""
        refused = refusal(planned.action, message)
        if refused is not None:
            raise refused
        if planned.action is ModerationAction.HIDE:
            client.hide_comment(_comment(message))
            return {"hidden": True}
        if planned.action is ModerationAction.DELETE:
            from smmkit.platforms import Capability

            supports = getattr(client, "supports", None)
            if not callable(supports) or not supports(Capability.DELETE_COMMENTS):
                raise UnsupportedCapability(
                    f"{message.platform} cannot delete comments through smmkit (its client does "
                    "not declare Capability.DELETE_COMMENTS).",
                    platform=str(message.platform),
                    hint="hide the comment instead (do = 'hide'), or delete it by hand.",
                )
            client.delete_comment(_comment(message))  # idempotent: gone already is done
            return {"deleted": True}
        text = row.payload.get("text")
        if not isinstance(text, str):
            raise ValidationError(
                "reply",
                planned.reply,
                "the reply's text was not rendered when the action was planned",
            )
        sent = client.reply(_comment(message), text)
        return {"reply_id": str(getattr(sent, "comment_id", ""))}

    def _unknown(
        self, record: InboxRecord, planned: PlannedAction, row: ActionRecord, exc: SmmkitError
    ) -> None:
        """A reply whose outcome is unknown: look for it now; found → done, absent → planned
        again, cannot tell → left in flight for the next run to reconcile."""
        present = self._effect_present(row, record.message)
        if present is True:
            with self.store.transaction(actor=self.actor) as tx:
                tx.finish_action(row.id, result={"reconciled": True}, runner=self.id)
                self._mark(tx, planned.action.value, record.key, row.payload)
                done = self._notify_later(tx, record, planned, ActionOutcome.DONE, row)
            self._done(*done)
        elif present is False:
            self._defer(record, planned, row, exc)
        else:
            self.items.append(
                moderated_action(
                    record,
                    planned,
                    ActionOutcome.IN_FLIGHT,
                    texts=self.texts,
                    detail=str(exc),
                    action_id=row.id,
                )
            )

    def _release(self, row: ActionRecord, exc: BaseException) -> None:
        with self.store.transaction(actor=self.actor) as tx:
            tx.release_action(row.id, runner=self.id, error=exc)

    def _defer(
        self, record: InboxRecord, planned: PlannedAction, row: ActionRecord, exc: SmmkitError
    ) -> None:
        """Nothing was done (refused before acting, or never sent): planned again, and said."""
        self._release(row, exc)
        self.items.append(
            moderated_action(
                record,
                planned,
                ActionOutcome.DEFERRED,
                texts=self.texts,
                detail=str(exc),
                action_id=row.id,
            )
        )

    def _fail(
        self, record: InboxRecord, planned: PlannedAction, row: ActionRecord, exc: SmmkitError
    ) -> None:
        self.store.finish_action(
            row.id, state="failed", error=exc, runner=self.id, actor=self.actor
        )
        _log.warning("moderation %s: %s on %s failed: %s", self.id, planned.action, record.key, exc)
        self._settle(record, planned, ActionOutcome.FAILED, detail=str(exc), action_id=row.id)

    def _mark(self, tx: Any, action: str, key: str, payload: dict[str, Any]) -> None:
        """The inbox state an action leaves (in the transaction that finishes it)."""
        if action in (ModerationAction.HIDE, ModerationAction.DELETE):
            # A deleted comment is out of the public's sight too: marked hidden in the inbox.
            tx.mark_message(self.brand_id, key, hidden=True, handled_by=self.actor)
        elif action == ModerationAction.ASSIGN:
            tx.mark_message(self.brand_id, key, assigned_to=payload.get("to"))
        elif action == ModerationAction.REPLY:
            tx.mark_message(self.brand_id, key, answered_at=self.now, handled_by=self.actor)

    def _settle(
        self,
        record: InboxRecord,
        planned: PlannedAction,
        outcome: ActionOutcome,
        *,
        detail: str | None = None,
        action_id: int | None = None,
    ) -> None:
        """Report an action that was not done (the hook hears only of done ones)."""
        item = moderated_action(
            record, planned, outcome, detail=detail, action_id=action_id, texts=self.texts
        )
        self.items.append(item)
        self._log_outcome(item)

    def _log_outcome(self, item: ModeratedAction) -> None:
        _log.info(
            "moderation %s: %s %s on %s (%s)",
            self.id,
            item.outcome.value,
            item.action.value,
            item.message_key,
            item.reason,
        )

    # -- the hook: each done action notified at least once ------------------------------------
    def _notify_later(
        self,
        tx: Any,
        record: InboxRecord,
        planned: PlannedAction,
        outcome: ActionOutcome,
        row: ActionRecord,
    ) -> tuple[ModeratedAction, int | None]:
        """In the transaction that finishes ``row``: the action as reported, and (when the run
        has a hook) its notification queued, to deliver once the transaction has committed."""
        item = moderated_action(record, planned, outcome, action_id=row.id, texts=self.texts)
        if self.on_action is None:
            return item, None
        queued = tx.queue_notification(
            self.brand_id, row.id, item.model_dump(mode="json"), runner=self.id
        )
        return item, queued.id

    def _done(self, item: ModeratedAction, notification: int | None) -> None:
        """A done action, committed: reported, and its notification delivered."""
        self.items.append(item)
        self._log_outcome(item)
        self._deliver(item, notification)

    def _deliver(self, item: ModeratedAction, notification: int | None) -> None:
        """Call the hook, then mark the notification delivered: a crash in between leaves it
        queued for the next live run (at least once; ``item.action_id`` tells repeats apart)."""
        if self.on_action is None or notification is None:
            return
        self.on_action(item)
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            tx.mark_notified(notification)

    def _redeliver(self) -> int:
        """Deliver the notifications that runs which died (or whose hook raised) queued and
        never marked delivered; those of live runs are left to them."""
        with self.store.read() as tx:
            pending = tx.pending_notifications(self.brand_id)
        delivered = 0
        for notification in pending:
            if notification.runner == self.id or self._alive(notification.runner):
                continue
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                if not tx.take_over_notification(
                    notification.id, self.id, previous=notification.runner
                ):
                    continue
            item = ModeratedAction.model_validate(notification.payload)
            _log.info(
                "moderation %s: delivering again the notification of action %s (attempt %d)",
                self.id,
                item.action_id,
                notification.attempts + 1,
            )
            self._deliver(item, notification.id)
            delivered += 1
        return delivered


def _planned_of(row: ActionRecord) -> PlannedAction:
    """The planned action a row records (from what its payload kept of the plan)."""
    payload = row.payload
    return PlannedAction(
        message_key=row.message_key,
        action=ModerationAction(row.action),
        rule=row.rule,
        cues=tuple(str(c) for c in payload.get("cues", ())),
        reason=str(payload.get("reason", "")),
        category=MessageCategory(payload.get("category", MessageCategory.OTHER.value)),
        confidence=min(max(float(payload.get("confidence", 0.0)), 0.0), 1.0),
        reply=payload.get("reply"),
        to=payload.get("to"),
    )
