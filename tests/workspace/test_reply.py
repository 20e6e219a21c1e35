"""Workspace.reply on the sandbox: a reply is checked before anything is written, sent exactly
once however often it is asked for (or after a crash), and who sent it is recorded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import T0, fill_inbox, labels, network, open_workspace

from smmkit.community import ReplyFinding, ReplyRefused, SavedReply
from smmkit.errors import StoreError, ValidationError
from smmkit.models import GrammaticalPerson
from smmkit.platforms import text_fingerprint
from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import ActionOutcome, Workspace
from smmkit.workspace._replying import REPLY_RULE_PREFIX


@pytest.fixture
def net(tmp_path: Path) -> Iterator[SandboxNetwork]:
    n = network(tmp_path / "sandbox.db", posts=6)
    yield n
    n.close()


@pytest.fixture
def ws(tmp_path: Path, net: SandboxNetwork) -> Iterator[Workspace]:
    w = open_workspace(tmp_path / "ws.db", net)
    fill_inbox(w, net)
    yield w
    w.close()


def _key(ws: Workspace, net: SandboxNetwork, label: str) -> str:
    truth = labels(net)
    with ws.store.read() as tx:
        keys = [m.key for m in tx.messages(ws.brand_id()) if not m.message.from_brand]
    return next(k for k in keys if truth.get(k.split(":", 1)[1]) == label)  # comments only


def _comment_id(key: str) -> str:
    return key.split(":", 1)[1]


def test_the_setups_saved_replies_are_kept_by_the_workspace(ws: Workspace) -> None:
    community = ws.setup().community
    assert {r.name for r in community.saved_replies} == {"opening-hours", "thanks", "sorry"}
    assert community.policy.rules[0].name == "opening-hours"


def test_a_saved_reply_is_sent_once_and_who_sent_it_is_recorded(
    ws: Workspace, net: SandboxNetwork
) -> None:
    key = _key(ws, net, "question")
    dry = ws.reply(key, saved="opening-hours", by="marta", dry_run=True)
    assert dry.outcome is ActionOutcome.WOULD_DO and net.reply_counts() == {}
    first = ws.reply(key, saved="opening-hours", by="marta")
    assert first.outcome is ActionOutcome.DONE, first.detail
    assert first.reply_text is not None and first.author in first.reply_text
    assert net.reply_counts() == {_comment_id(key): 1}
    for _ in range(3):
        again = ws.reply(key, saved="opening-hours", by="luca")
        assert again.outcome is ActionOutcome.ALREADY_DONE
        assert again.action_id == first.action_id
    # the same text typed by hand is the same reply
    assert ws.reply(key, first.reply_text).outcome is ActionOutcome.ALREADY_DONE
    assert net.reply_counts() == {_comment_id(key): 1}
    with ws.store.read() as tx:
        record = tx.message(ws.brand_id(), key)
        (row,) = tx.actions(ws.brand_id(), message_key=key)
    assert record is not None and record.answered_at is not None
    assert record.handled_by == "marta"
    assert row.state.value == "done" and row.rule.startswith(REPLY_RULE_PREFIX)
    assert row.payload["fingerprint"] == text_fingerprint(first.reply_text)
    assert "by:marta" in row.payload["cues"]
    with ws.store.read() as tx:
        log = [e for e in tx.changes(entity="inbox") if e.entity_id == key and e.action == "mark"]
    assert [e.actor for e in log if e.detail and "handled_by" in e.detail] == ["moderator", "marta"]


def test_another_text_is_another_reply(ws: Workspace, net: SandboxNetwork) -> None:
    key = _key(ws, net, "question")
    assert ws.reply(key, "Ciao! Ti rispondiamo in privato.").outcome is ActionOutcome.DONE
    assert ws.reply(key, "Ciao! Ecco il link al menù.").outcome is ActionOutcome.DONE
    assert net.reply_counts() == {_comment_id(key): 2}


def test_a_reply_in_the_wrong_register_is_refused_before_anything(
    ws: Workspace, net: SandboxNetwork
) -> None:
    key = _key(ws, net, "question")
    before = ws.store.dump()
    with pytest.raises(ReplyRefused) as caught:
        ws.reply(key, "La ringraziamo, La aspettiamo in negozio.")
    findings = [f for f in caught.value.findings if isinstance(f, ReplyFinding)]
    assert (
        [f.rule for f in findings]
        == ["register", "register"]
        == [f.rule for f in caught.value.findings if isinstance(f, ReplyFinding)]
    )
    assert len(findings) == len(caught.value.findings)
    with pytest.raises(ReplyRefused, match=r"text\.limit"):
        ws.reply(key, "Ciao! " + "pane " * 400)
    lei = SavedReply(
        name="lei", address=GrammaticalPerson.LEI, text="Grazie {name}, La aspettiamo."
    )
    with pytest.raises(ValidationError, match="fits the brand's register"):
        ws.reply(key, saved="lei", saved_replies=[lei])
    open_lei = SavedReply(name="lei", text="Grazie {name}, La aspettiamo.")
    with pytest.raises(ReplyRefused, match="register"):
        ws.reply(key, saved="lei", saved_replies=[open_lei])
    missing = SavedReply(name="x", text="Ciao {name}, il codice è {code}.")
    with pytest.raises(ReplyRefused, match=r"no value for \{code\}"):
        ws.reply(key, saved="x", saved_replies=[missing])
    assert ws.reply(
        key, saved="x", saved_replies=[missing], values={"code": "PANE10"}, dry_run=True
    )
    assert ws.store.dump() == before
    assert net.reply_counts() == {}


def test_bad_calls_are_refused_clearly(ws: Workspace, net: SandboxNetwork) -> None:
    key = _key(ws, net, "question")
    with pytest.raises(ValidationError, match="either a text or"):
        ws.reply(key)
    with pytest.raises(ValidationError, match="either a text or"):
        ws.reply(key, "Ciao", saved="thanks")
    with pytest.raises(StoreError, match="not in brand"):
        ws.reply("instagram:nope", "Ciao")
    with pytest.raises(ValidationError, match="no saved reply"):
        ws.reply(key, saved="nope")


def test_a_reply_left_in_flight_by_a_crash_is_found_not_sent_again(
    ws: Workspace, net: SandboxNetwork
) -> None:
    key = _key(ws, net, "question")
    text = "Ciao! Siamo aperti dalle 7 alle 19."
    fingerprint = text_fingerprint(text)
    brand = ws.brand_id()
    # a process that claimed the reply, sent it, and died before recording it
    row = ws.store.plan_action(
        brand,
        key,
        "reply",
        f"{REPLY_RULE_PREFIX}{fingerprint}",
        {"text": text, "fingerprint": fingerprint, "reply": "text"},
    )
    assert ws.store.claim_action(row.id, "dead-runner")
    net.reply(_comment_id(key), text)
    assert ws.reply(key, text, dry_run=True).outcome is ActionOutcome.IN_FLIGHT
    # asked again, the orphan is reconciled first: the reply is in the thread, so it is done
    result = ws.reply(key, text)
    assert result.outcome is ActionOutcome.ALREADY_DONE and result.action_id == row.id
    assert net.reply_counts() == {_comment_id(key): 1}
    assert ws.reply(key, text).outcome is ActionOutcome.ALREADY_DONE
    assert net.reply_counts() == {_comment_id(key): 1}
    with ws.store.read() as tx:
        settled = tx.action(row.id)
    assert settled is not None and settled.state.value == "done"


def test_a_reply_planned_by_a_rule_is_the_same_reply(ws: Workspace, net: SandboxNetwork) -> None:
    # the rules plan the saved reply for a question; a person sends that very text first
    run = ws.moderate()
    planned = [a for a in run.actions if a.action.value == "reply"]
    assert planned, "the example's opening-hours rule should plan a reply"
    first = planned[0]
    assert first.reply_text is not None
    assert ws.reply(first.message_key, first.reply_text, by="marta").outcome is ActionOutcome.DONE
    ws.moderate(dry_run=False)
    assert net.reply_counts()[_comment_id(first.message_key)] == 1


def test_response_times_read_the_stored_inbox(ws: Workspace, net: SandboxNetwork) -> None:
    before = ws.response_times()
    assert before.total.answered == 0 and before.total.backlog == before.total.received > 0
    with ws.store.read() as tx:
        own = [m for m in tx.messages(ws.brand_id()) if m.message.from_brand]
    assert before.skipped.get("from_brand", 0) == len(own)
    key = _key(ws, net, "question")
    channel = key.split(":", 1)[0]
    ws.reply(key, "Ciao! Ti scriviamo in privato.")
    after = ws.response_times()
    assert after.total.answered == 1
    assert after.channel(channel).answered == 1
    assert after.total.backlog == before.total.backlog - 1
    # spam and abuse want no answer; hidden messages neither
    with ws.store.read() as tx:
        spam = [m for m in tx.messages(ws.brand_id()) if m.category == "spam"]
    assert after.skipped.get("spam", 0) == len([m for m in spam if not m.hidden])
    # the status carries the same figures (its rates over the last 30 days)
    status = ws.status()
    assert status.responses is not None
    assert status.responses.total.backlog == after.total.backlog
    assert ws.response_times(channel=channel).channels == (after.channel(channel),)
    # ... and so does the results report
    report = ws.report()
    assert report.responses is not None and report.responses.total == status.responses.total
    assert "## Community: response times" in report.to_markdown()


def test_the_monthly_report_counts_the_months_conversations(
    ws: Workspace, net: SandboxNetwork
) -> None:
    from smmkit.cli._reports import monthly_report

    key = _key(ws, net, "question")
    ws.reply(key, "Ciao! Ti scriviamo in privato.")
    assert T0.month < 12
    month = f"{T0.year}-{T0.month:02d}"
    community = monthly_report(ws, month).community
    assert community is not None
    zone = ZoneInfo(ws.setup().brand.timezone)
    since = datetime(T0.year, T0.month, 1, tzinfo=zone)
    last = datetime(T0.year, T0.month + 1, 1, tzinfo=zone) - timedelta(microseconds=1)
    stats = ws.response_times(since=since, now=last).total
    assert sum(community.volume.values()) == stats.received > 0
    assert community.unanswered == stats.received - stats.answered
    assert set(community.median_response_minutes) <= set(community.volume)
    assert community.target_minutes == 240  # the example's [community] target


def test_a_reply_is_linted_in_its_own_language(ws: Workspace, net: SandboxNetwork) -> None:
    from smmkit.community import classify_message

    key = _key(ws, net, "question")
    with ws.store.read() as tx:
        record = tx.message(ws.brand_id(), key)
    assert record is not None
    english = record.message.model_copy(
        update={
            "message_id": record.message.message_id.rsplit("-", 1)[0] + "-c999",
            "text": "Do you deliver on Sundays?",
            "author": "jo",
        }
    )
    verdict = classify_message(english)
    assert verdict.language == "en"
    with ws.store.transaction(actor="sync") as tx:
        tx.put_messages(ws.brand_id(), [english], {english.key: verdict})
    # an Italian reply to an English comment is still Italian: "Lei" is caught
    with pytest.raises(ReplyRefused, match="register"):
        ws.reply(english.key, "La ringraziamo, Le consegniamo anche la domenica.")
    assert ws.reply(english.key, "Yes, we deliver on Sundays too!").outcome is ActionOutcome.DONE
