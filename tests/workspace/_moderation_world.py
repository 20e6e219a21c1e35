"""A sandbox world for the moderation tests: the Forno Aurora setup, posts with comments (ground
truth: genuine, question, spam, abusive), mentions, and a workspace whose inbox holds them (synced
with ``Workspace.sync_inbox``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.setup import Setup, load_setup
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=3)
MENTIONS = 2.0
"""Posts elsewhere that mention each channel, per day (some ask questions the rules answer)."""


def setup() -> Setup:
    return load_setup(FORNO)


def network(path: Path, *, posts: int = 10) -> SandboxNetwork:
    """The sandbox at ``path`` with ``posts`` posts per channel (made once), its clock at LATER."""
    net = SandboxNetwork.from_setup(setup(), path=path, start=T0, mentions_per_day=MENTIONS)
    for channel in net.channel_keys():
        if net.posts(channel):
            continue
        for n in range(posts):
            net.create_post(
                channel,
                text=f"Il pane di oggi, numero {n} #pane",
                publish_key=f"moderation-{channel}-{n:03d}",
                published_at=T0 + timedelta(hours=5 * n),
            )
    if net.now() < LATER:
        net.set_time(LATER)
    return net


def labels(net: SandboxNetwork) -> dict[str, str]:
    """Ground truth: comment id → genuine, question, spam, abusive (or brand)."""
    return {
        c.comment_id: c.label or ""
        for channel in net.channel_keys()
        for post in net.posts(channel)
        for c in net.comments(post)
    }


def fill_inbox(ws: Workspace, net: SandboxNetwork) -> int:
    """Sync the sandbox's inbox (comments, mentions, the brand's replies) into the workspace,
    classified; how many messages it holds."""
    ws.sync_inbox(now=net.now())
    with ws.store.read() as tx:
        return len(tx.messages(ws.brand_id()))


def open_workspace(target: str | Path, net: SandboxNetwork) -> Workspace:
    ws = Workspace.open(target, clock=net.now, sandbox=net, actor="moderator")
    if not ws.brands():
        ws.import_setup(setup())
    return ws
