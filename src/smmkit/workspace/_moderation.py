"""Moderation of the stored inbox: plan with the brand's rules, apply each action exactly once.

:meth:`Workspace.moderate` calls :func:`moderate`. A dry run (the default) evaluates the rules
over the inbox and returns what would happen and why, writing nothing. A live run hands the plan
to :class:`~smmkit.workspace._actions.ActionApplier`, which records each action before acting and
applies it exactly once (see that module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
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
from smmkit.errors import SmmkitError, ValidationError
from smmkit.models import Brand, InboxMessage, MessageCategory, ValueModel

from ._actions import (
    ActionApplier,
    ActionHook,
    ActionOutcome,
    ModeratedAction,
    ReplyTexts,
    moderated_action,
    refusal,
)

if TYPE_CHECKING:
    from smmkit.store import InboxRecord, Store

    from ._workspace import Workspace

__all__ = ["ActionOutcome", "ModeratedAction", "ModerationRun", "moderate"]


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


def _reply_texts(
    planned: Sequence[tuple[InboxRecord, PlannedAction]],
    verdicts: Mapping[str, _Verdict],
    replies: Sequence[SavedReply],
    brand: Brand,
    now: datetime,
) -> ReplyTexts:
    """Render and check each planned reply (the voice linter and the platform's limits): the
    text, or the findings that refuse it before anything is sent."""
    texts: ReplyTexts = {}
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
    applied = ActionApplier(workspace, brand_id, now, on_action, texts).run(planned, records)
    return ModerationRun(
        brand=brand_id,
        at=now,
        dry_run=False,
        messages=evaluated,
        actions=applied.actions,
        reconciled=applied.reconciled,
    )


def _dry_run(
    store: Store,
    brand_id: str,
    now: datetime,
    planned: list[tuple[InboxRecord, PlannedAction]],
    evaluated: int,
    texts: ReplyTexts,
) -> ModerationRun:
    """What a live run would do now: the plan, minus what earlier runs settled."""
    with store.read() as tx:
        known = {(a.message_key, a.action, a.rule): a for a in tx.actions(brand_id)}
    items: list[ModeratedAction] = []
    for record, action in planned:
        row = known.get(action.key)
        if row is None or row.state.value == "planned":
            refused = texts.get(action.key, (None, None))[1]
            never = refusal(action.action, record.message)
            outcome = (
                ActionOutcome.WOULD_DO
                if refused is None and never is None
                else ActionOutcome.FAILED
            )
            detail = str(never) if never is not None else None
            items.append(moderated_action(record, action, outcome, texts=texts, detail=detail))
        elif row.state.value == "sending":
            items.append(
                moderated_action(
                    record, action, ActionOutcome.IN_FLIGHT, action_id=row.id, texts=texts
                )
            )
        else:
            items.append(
                moderated_action(
                    record, action, ActionOutcome.ALREADY_DONE, action_id=row.id, texts=texts
                )
            )
    return ModerationRun(
        brand=brand_id, at=now, dry_run=True, messages=evaluated, actions=tuple(items)
    )
