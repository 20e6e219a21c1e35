"""Moderation of the stored inbox: plan with the brand's rules, apply each action exactly once.

:meth:`Workspace.moderate` calls :func:`moderate`. A dry run (the default) evaluates the rules
over the inbox and returns what would happen and why, writing nothing. A live run records each
action in the store's ``moderation_actions`` table before acting (unique by message, action and
rule, so a re-run finds the row instead of acting again), claims it (committed before the
platform call), calls the client, and finishes it. Rows left ``sending`` by a run that died are
reconciled first: the platform is asked whether the effect is there (the comment is hidden or
gone, the reply is in the thread) before anything is sent again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import AwareDatetime, Field

from smmkit.community import (
    DEFAULT_POLICY,
    Classifier,
    ModerationAction,
    ModerationPolicy,
    PlannedAction,
    SavedReply,
    choose_reply,
    prepare_reply,
)
from smmkit.errors import (
    PlatformConnectionError,
    PlatformError,
    PlatformTimeoutError,
    RateLimitedError,
    SmmkitError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import Brand, InboxMessage, MessageCategory, ValueModel

if TYPE_CHECKING:
    from smmkit.store import ActionRecord, InboxRecord, Store

    from ._workspace import Workspace

__all__ = ["ActionOutcome", "ModeratedAction", "ModerationRun", "moderate"]

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


class ModerationRun(ValueModel):
    """What :meth:`Workspace.moderate` did (or, in a dry run, would do) and why."""

    brand: str
    at: AwareDatetime
    dry_run: bool
    messages: int = Field(description="Messages evaluated (the public's, not the brand's).")
    actions: tuple[ModeratedAction, ...] = ()
    reconciled: int = Field(
        default=0,
        description="Rows left in flight by a dead run and settled by asking the platform.",
    )

    def count(
        self,
        outcome: ActionOutcome | str | None = None,
        action: ModerationAction | str | None = None,
    ) -> int:
        """How many actions have this outcome and/or kind."""
        return sum(
            1
            for a in self.actions
            if (outcome is None or a.outcome == outcome) and (action is None or a.action == action)
        )

    def summary(self) -> dict[str, dict[str, int]]:
        """``{action: {outcome: count}}``, for a quick look."""
        out: dict[str, dict[str, int]] = {}
        for a in self.actions:
            per = out.setdefault(a.action.value, {})
            per[a.outcome.value] = per.get(a.outcome.value, 0) + 1
        return out


@dataclass(frozen=True)
class _Verdict:
    """A stored classification as the rules read it."""

    category: MessageCategory
    confidence: float
    cues: tuple[str, ...]
    language: str | None = None


ActionHook = Callable[[ModeratedAction], None]
"""Called after each action a live run settles (assign, escalate and notify are store-only: a
hook is how they reach a person)."""


def _community(workspace: Workspace, brand_id: str) -> tuple[ModerationPolicy, list[SavedReply]]:
    """The brand's declared rules and saved replies (the setup's ``community`` section), else
    the default rules and no saved reply."""
    try:
        setup = workspace.setup(brand_id)
    except SmmkitError:
        return DEFAULT_POLICY, []
    community = getattr(setup, "community", None)
    replies = [
        r for r in getattr(community, "saved_replies", None) or () if isinstance(r, SavedReply)
    ]
    found = getattr(community, "policy", None)
    if isinstance(found, ModerationPolicy):
        return found, replies
    rules = getattr(community, "rules", None)
    if rules:
        return ModerationPolicy(rules=tuple(rules)), replies
    return DEFAULT_POLICY, replies


def _verdicts(
    records: Sequence[InboxRecord], classifier: Classifier | None
) -> tuple[dict[str, _Verdict], dict[str, Any]]:
    """The stored classification of each message, and a new one for those stored without."""
    verdicts: dict[str, _Verdict] = {}
    fresh: dict[str, Any] = {}
    for record in records:
        if record.category is not None:
            verdicts[record.key] = _Verdict(
                MessageCategory(record.category),
                float(record.confidence or 0.0),
                record.cues,
                record.language,
            )
            continue
        if classifier is None:
            from smmkit.community import DEFAULT_CLASSIFIER

            classifier = DEFAULT_CLASSIFIER
        found = classifier.classify(record.message)
        fresh[record.key] = found
        verdicts[record.key] = _Verdict(
            MessageCategory(found.category),
            float(found.confidence),
            tuple(found.cues),
            found.language,
        )
    return verdicts, fresh


def _plan(
    records: Sequence[InboxRecord], verdicts: dict[str, _Verdict], policy: ModerationPolicy
) -> list[tuple[InboxRecord, PlannedAction]]:
    public = [r for r in records if not r.message.from_brand]
    context = policy.context(r.message for r in public)
    out: list[tuple[InboxRecord, PlannedAction]] = []
    for record in public:
        message: InboxMessage = record.message
        if record.hidden and not message.hidden:
            message = message.model_copy(update={"hidden": True})
        for planned in policy.evaluate(message, verdicts[record.key], context=context):
            if planned.action is ModerationAction.REPLY and record.answered_at is not None:
                continue  # answered already (by a person, or by an earlier run)
            out.append((record, planned))
    return out


def _item(
    record: InboxRecord,
    planned: PlannedAction,
    outcome: ActionOutcome,
    *,
    detail: str | None = None,
    action_id: int | None = None,
    texts: Mapping[tuple[str, str, str], tuple[str | None, str | None]] | None = None,
) -> ModeratedAction:
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


_Texts = dict[tuple[str, str, str], tuple[str | None, str | None]]
"""Planned reply → (the text to send, or why it is refused)."""


def _reply_texts(
    planned: Sequence[tuple[InboxRecord, PlannedAction]],
    verdicts: Mapping[str, _Verdict],
    replies: Sequence[SavedReply],
    brand: Brand,
    now: datetime,
) -> _Texts:
    """Render and check each planned reply (the voice linter and the platform's limits): the
    text, or the findings that refuse it before anything is sent."""
    texts: _Texts = {}
    for record, action in planned:
        if action.action is not ModerationAction.REPLY or action.reply is None:
            continue
        message: InboxMessage = record.message
        language = verdicts[record.key].language
        saved = choose_reply(
            replies,
            brand=brand,
            name=action.reply,
            language=language if language in ("it", "en") else None,
        ) or choose_reply(replies, brand=brand, name=action.reply)
        if saved is None:
            known = sorted({r.name for r in replies})
            texts[action.key] = (
                None,
                f"no saved reply named {action.reply!r} fits the brand"
                + (f" (saved replies: {', '.join(known)})" if known else " (none is declared)"),
            )
            continue
        checked = prepare_reply(
            saved,
            brand=brand,
            platform=message.platform,
            values={"name": message.author},
            on=now.date(),
        )
        if checked.ok:
            texts[action.key] = (checked.text, None)
        else:
            findings = "; ".join(str(f) for f in checked.errors)
            texts[action.key] = (checked.text, f"reply refused before sending: {findings}")
    return texts


def moderate(
    workspace: Workspace,
    *,
    now: datetime,
    dry_run: bool = True,
    brand: str | None = None,
    channel: str | Sequence[str] | None = None,
    since: datetime | None = None,
    policy: ModerationPolicy | None = None,
    saved_replies: Sequence[SavedReply] | None = None,
    classifier: Classifier | None = None,
    on_action: ActionHook | None = None,
) -> ModerationRun:
    """See :meth:`Workspace.moderate`."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError("now", now, "must be a timezone-aware datetime")
    brand_id = workspace.brand_id(brand)
    store = workspace.store
    declared, declared_replies = _community(workspace, brand_id)
    chosen = policy or declared
    replies = list(saved_replies) if saved_replies is not None else declared_replies
    with store.read() as tx:
        records = tx.messages(brand_id, channel=channel)
        brand_model = tx.get_brand(brand_id)
    assert brand_model is not None
    verdicts, fresh = _verdicts(records, classifier)
    planned = _plan(records, verdicts, chosen)
    if since is not None:
        planned = [(r, p) for r, p in planned if r.message.created_at >= since]
    texts = _reply_texts(planned, verdicts, replies, brand_model, now)
    evaluated = sum(1 for r in records if not r.message.from_brand)
    if dry_run:
        return _dry_run(store, brand_id, now, planned, evaluated, texts)
    if fresh:
        with store.transaction(actor=workspace.actor) as tx:
            tx.classify_messages(brand_id, fresh)
    return _Applier(workspace, brand_id, now, on_action, texts).run(planned, records, evaluated)


def _dry_run(
    store: Store,
    brand_id: str,
    now: datetime,
    planned: list[tuple[InboxRecord, PlannedAction]],
    evaluated: int,
    texts: _Texts,
) -> ModerationRun:
    """What a live run would do now: the plan, minus what earlier runs settled."""
    with store.read() as tx:
        known = {(a.message_key, a.action, a.rule): a for a in tx.actions(brand_id)}
    items: list[ModeratedAction] = []
    for record, action in planned:
        row = known.get(action.key)
        if row is None or row.state.value == "planned":
            refused = texts.get(action.key, (None, None))[1]
            outcome = ActionOutcome.WOULD_DO if refused is None else ActionOutcome.FAILED
            items.append(_item(record, action, outcome, texts=texts))
        elif row.state.value == "sending":
            items.append(
                _item(record, action, ActionOutcome.IN_FLIGHT, action_id=row.id, texts=texts)
            )
        else:
            items.append(
                _item(record, action, ActionOutcome.ALREADY_DONE, action_id=row.id, texts=texts)
            )
    return ModerationRun(
        brand=brand_id, at=now, dry_run=True, messages=evaluated, actions=tuple(items)
    )


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
    )


class _Applier:
    """One live run: registered as a runner (so another process can tell it is alive), each
    action planned, claimed, applied and finished; orphans reconciled first."""

    def __init__(
        self,
        workspace: Workspace,
        brand_id: str,
        now: datetime,
        on_action: ActionHook | None,
        texts: _Texts,
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
        evaluated: int,
    ) -> ModerationRun:
        lock_key = secrets.randbits(62)
        lock = self.store.hold_runner_lock(lock_key)
        try:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                tx.register_runner(self.id, lock_key=lock_key, now=self.now)
            by_key = {r.key: r for r in records}
            reconciled = self._reconcile(by_key)
            for record, action in planned:
                self._one(record, action)
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                tx.stop_runner(self.id, now=self.now)
        finally:
            lock.release()
        return ModerationRun(
            brand=self.brand_id,
            at=self.now,
            dry_run=False,
            messages=evaluated,
            actions=tuple(self.items),
            reconciled=reconciled,
        )

    def _alive(self, row: ActionRecord) -> bool:
        if row.claimed_by is None:
            return False
        with self.store.read() as tx:
            found = tx.runner(row.claimed_by)
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
            record = by_key.get(row.message_key)
            if record is None or self._alive(row):
                continue  # another channel's (a run that covers it settles it), or still running
            present = self._effect_present(row, record.message)
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                if not tx.take_over_action(row.id, self.id, previous=row.claimed_by):
                    continue
                if present is True:
                    tx.finish_action(row.id, result={"reconciled": True}, runner=self.id)
                    self._mark(tx, row.action, row.message_key, row.payload)
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
                _item(
                    record, planned, ActionOutcome.ALREADY_DONE, texts=self.texts, action_id=row.id
                )
            )
            return
        if state == "sending":
            self.items.append(
                _item(record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id)
            )
            return
        if planned.action not in _ON_PLATFORM:
            self._store_only(record, planned, row)
            return
        if message.channel in self.blocked:
            self.items.append(
                _item(record, planned, ActionOutcome.DEFERRED, texts=self.texts, action_id=row.id)
            )
            return
        if not self.store.claim_action(row.id, self.id, actor=self.actor):
            self.items.append(
                _item(record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id)
            )
            return
        self._on_platform(record, planned, row)

    def _store_only(self, record: InboxRecord, planned: PlannedAction, row: ActionRecord) -> None:
        """assign, escalate, notify: claimed, applied and finished in one transaction."""
        with self.store.transaction(actor=self.actor) as tx:
            if not tx.claim_action(row.id, self.id):
                self.items.append(
                    _item(
                        record, planned, ActionOutcome.IN_FLIGHT, texts=self.texts, action_id=row.id
                    )
                )
                return
            self._mark(tx, planned.action.value, record.key, row.payload)
            tx.finish_action(row.id, result={"to": planned.to}, runner=self.id)
        self._settle(record, planned, ActionOutcome.DONE, action_id=row.id)

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
        self._settle(record, planned, ActionOutcome.DONE, action_id=row.id)

    def _call(
        self, client: Any, planned: PlannedAction, message: InboxMessage, row: ActionRecord
    ) -> dict[str, Any]:
        """The platform call of ``planned``; what it returned, as JSON for the row."""
        if planned.action in (ModerationAction.HIDE, ModerationAction.DELETE) and (
            message.kind.value not in ("comment", "reply")
        ):
            raise ValidationError(
                "action",
                planned.action.value,
                f"a {message.kind.value} is not a comment on the brand's posts: the brand cannot "
                f"{planned.action.value} it",
                hint="limit the rule to comments: kind = ['comment', 'reply'].",
            )
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
            self._settle(record, planned, ActionOutcome.DONE, action_id=row.id)
        elif present is False:
            self._defer(record, planned, row, exc)
        else:
            self.items.append(
                _item(
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
            _item(
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
        item = _item(record, planned, outcome, detail=detail, action_id=action_id, texts=self.texts)
        self.items.append(item)
        _log.info(
            "moderation %s: %s %s on %s (%s)",
            self.id,
            outcome.value,
            planned.action.value,
            record.key,
            planned.reason,
        )
        if self.on_action is not None and outcome is ActionOutcome.DONE:
            self.on_action(item)
