"""Demo section: sync the sandbox's comments into the inbox, moderate them with the brand's rules
(a dry run first, then live, exactly once) and answer the questions with a saved reply."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from . import DemoContext

TITLE = "9. Community: the inbox, moderation and replies"

_POSTS = 6


def _ensure_posts(ctx: DemoContext) -> None:
    """Posts to comment on when the earlier sections did not publish (this section run alone)."""
    network = ctx.network
    now = network.now()
    for channel in network.channel_keys():
        if network.posts(channel):
            continue
        for n in range(_POSTS):
            network.create_post(
                channel,
                text=f"Il pane di oggi, infornata {n + 1} #FornoAurora",
                publish_key=f"demo-community-{channel}-{n}",
                published_at=now - timedelta(hours=8 * (n + 1)),
            )


def _sync(ctx: DemoContext) -> int:
    """The sandbox's comments and mentions into the workspace's inbox, classified (incremental:
    a second run pulls only what is new); how many messages the inbox holds."""
    ws = ctx.workspace
    ws.sync_inbox(now=ctx.network.now())
    with ws.store.read() as tx:
        return len(tx.messages(ws.brand_id()))


def run(ctx: DemoContext) -> None:
    say = ctx.say
    ws = ctx.workspace
    network = ctx.network
    community = ctx.setup.community
    _ensure_posts(ctx)
    stored = _sync(ctx)
    truth = {
        c.comment_id: c.label or ""
        for channel in network.channel_keys()
        for post in network.posts(channel)
        for c in network.comments(post)
    }
    say(f"Inbox: {stored} messages synced from {len(network.channel_keys())} sandbox channels")

    policy, replies = community.policy, community.saved_replies
    dry = ws.moderate(policy=policy, saved_replies=replies)
    planned = Counter(a.action.value for a in dry.actions)
    say(
        f"Dry run over {dry.messages} messages (nothing changed): "
        + ", ".join(f"{n} {action}" for action, n in sorted(planned.items()))
    )
    for action in ("hide", "reply", "escalate"):
        example = next((a for a in dry.actions if a.action.value == action), None)
        if example is not None:
            say(f"  {action} {example.author}: {example.text!r}")
            say(f"    because {example.reason}")
            if example.reply_text:
                say(f"    reply: {example.reply_text}")

    live = ws.moderate(dry_run=False, policy=policy, saved_replies=replies)
    done = Counter(a.action.value for a in live.actions if a.outcome.value == "done")
    applied = ", ".join(f"{n} {action}" for action, n in sorted(done.items()))
    say(f"Applied: {applied or 'nothing new (an earlier run did it all)'}")
    hidden = [a for a in live.actions if a.action.value == "hide" and a.outcome.value == "done"]
    labels = Counter(truth.get(a.message_key.split(":", 1)[1], "?") for a in hidden)
    genuine = sum(n for label, n in labels.items() if label != "spam")
    say(
        f"Hidden {len(hidden)} comments; by the sandbox's ground truth: "
        + (", ".join(f"{n} {label}" for label, n in sorted(labels.items())) or "none")
        + f" (genuine customers hidden: {genuine})"
    )
    replied = [a for a in live.actions if a.action.value == "reply" and a.outcome.value == "done"]
    say(f"Questions answered with a saved reply: {len(replied)}")
    again = ws.moderate(dry_run=False, policy=policy, saved_replies=replies)
    say(
        f"Run again: {again.count('done')} new actions, {again.count('already_done')} already "
        "done (each action happens once)"
    )
