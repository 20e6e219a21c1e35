"""A person's reply to a message of the inbox: checked before anything is written, sent exactly
once through the store's action table, who sent it logged.

:meth:`Workspace.reply` calls :func:`send_reply`. The text is a saved reply (rendered in the
brand's register and the message's language) or a text of the sender's; either is checked by the
voice linter and the platform's limits, and refused with :class:`~smmkit.errors.ReplyRefused`
before anything is written. The reply is then one row of ``moderation_actions`` keyed by the
message and the text's fingerprint: sending the same reply again, or re-running after a crash,
finds the row (done, or in flight and reconciled by looking for the reply in the thread) and
never sends a second one. The sending itself is the moderation run's (claim committed before the
platform call, finish after, orphans reconciled first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from smmkit.community import (
    ModerationAction,
    PlannedAction,
    ReplyRefused,
    SavedReply,
    check_reply,
    choose_reply,
    detect_language,
    prepare_reply,
)
from smmkit.errors import StoreError, ValidationError
from smmkit.models import MessageCategory

from ._actions import (
    ActionApplier,
    ActionOutcome,
    ModeratedAction,
    ReplyTexts,
    moderated_action,
)

if TYPE_CHECKING:
    from smmkit.store import ActionRecord

    from ._workspace import Workspace

__all__ = ["REPLY_RULE_PREFIX", "send_reply"]

REPLY_RULE_PREFIX = "reply-by-hand:"
"""The action table's ``rule`` of a reply sent by hand: the prefix and the text's fingerprint."""


def _locale(brand_locales: tuple[str, ...], language: str | None) -> str | None:
    if language in (None, "und"):
        return None
    for locale in brand_locales:
        if locale.split("-")[0].lower() == language:
            return locale
    return None


def send_reply(
    workspace: Workspace,
    key: str,
    *,
    text: str | None,
    saved: str | None,
    values: Mapping[str, str] | None,
    saved_replies: tuple[SavedReply, ...] | None,
    by: str | None,
    brand: str | None,
    now: datetime,
    dry_run: bool,
) -> ModeratedAction:
    """See :meth:`Workspace.reply`."""
    from smmkit.platforms import text_fingerprint

    if (text is None) == (saved is None):
        raise ValidationError(
            "text",
            text,
            "give either a text or the name of a saved reply",
            hint="ws.reply(key, 'Grazie!') or ws.reply(key, saved='thanks').",
        )
    who = by or workspace.actor
    if not 1 <= len(who) <= 200:
        raise ValidationError("by", by, "must be a name of 1-200 characters")
    brand_id = workspace.brand_id(brand)
    store = workspace.store
    with store.read() as tx:
        record = tx.message(brand_id, key)
        brand_model = tx.get_brand(brand_id)
    assert brand_model is not None
    if record is None:
        raise StoreError(
            f"message {key!r} is not in brand {brand_id!r}'s inbox.",
            hint="sync the inbox first, or check the key ('<channel>:<message id>').",
        )
    message = record.message
    if message.from_brand:
        raise ValidationError("key", key, "is the brand's own message; reply to the public's")
    language = record.language if record.language in ("it", "en") else None
    if saved is not None:
        library = (
            saved_replies
            if saved_replies is not None
            else workspace.setup(brand_id).community.saved_replies
        )
        chosen = choose_reply(library, brand=brand_model, name=saved, language=language)
        chosen = chosen or choose_reply(library, brand=brand_model, name=saved)
        if chosen is None:
            known = ", ".join(sorted({r.name for r in library})) or "none is declared"
            raise ValidationError(
                "saved",
                saved,
                f"no saved reply of that name fits the brand's register (saved replies: {known})",
                hint="declare it in the setup's [[community.saved_replies]].",
            )
        filled = {"name": message.author, "channel": message.channel, **(values or {})}
        checked = prepare_reply(
            chosen, brand=brand_model, platform=message.platform, values=filled, on=now.date()
        )
    else:
        assert text is not None
        # linted in the reply's own language (an Italian reply to an English comment is still
        # Italian), else the message's, else the brand's main one
        written = detect_language(text)
        checked = check_reply(
            text,
            brand=brand_model,
            platform=message.platform,
            locale=_locale(brand_model.locales, written if written != "und" else language),
            on=now.date(),
        )
    if not checked.ok:
        raise ReplyRefused(checked.errors)
    fingerprint = text_fingerprint(checked.text)
    planned = PlannedAction(
        message_key=key,
        action=ModerationAction.REPLY,
        rule=f"{REPLY_RULE_PREFIX}{fingerprint}",
        cues=(f"by:{who}",),
        reason=f"reply by {who}",
        category=MessageCategory(record.category or MessageCategory.OTHER),
        confidence=min(max(float(record.confidence or 0.0), 0.0), 1.0),
        reply=saved or "text",
    )
    texts: ReplyTexts = {planned.key: (checked.text, None)}
    same = _same_reply(workspace, brand_id, key, fingerprint)
    if same is not None:
        # The same text is recorded already (by a person or a rule): that row is the reply.
        planned = planned.model_copy(update={"rule": same.rule})
        texts = {planned.key: (checked.text, None)}
        if same.state.value == "done":
            return moderated_action(
                record, planned, ActionOutcome.ALREADY_DONE, action_id=same.id, texts=texts
            )
        if same.state.value == "sending" and dry_run:
            return moderated_action(
                record, planned, ActionOutcome.IN_FLIGHT, action_id=same.id, texts=texts
            )
    if dry_run:
        return moderated_action(record, planned, ActionOutcome.WOULD_DO, texts=texts)
    applied = ActionApplier(workspace, brand_id, now, None, texts).run(
        [(record, planned)], [record]
    )
    (item,) = [a for a in applied.actions if a.message_key == key]
    if item.outcome is ActionOutcome.DONE:
        with store.transaction(actor=who) as tx:
            tx.mark_message(brand_id, key, handled_by=who)
    return item


def _same_reply(
    workspace: Workspace, brand_id: str, key: str, fingerprint: str
) -> ActionRecord | None:
    """A reply with the same text already recorded for this message (by a person or a rule),
    unless it failed."""
    with workspace.store.read() as tx:
        rows = tx.actions(brand_id, message_key=key, action=ModerationAction.REPLY.value)
    for row in rows:
        if row.payload.get("fingerprint") == fingerprint and row.state.value != "failed":
            return row
    return None
