"""A live moderation run, as a process the kill test can SIGKILL: ``python _notify_run.py
WORKSPACE SANDBOX OUT`` moderates at LATER with a hook that appends each notification's
``action_id`` to OUT (one line, flushed and synced to disk before the hook returns)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import LATER

from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import ModeratedAction, Workspace


def main(workspace: str, sandbox: str, out: str) -> None:
    net = SandboxNetwork(path=Path(sandbox))
    if net.now() < LATER:
        net.set_time(LATER)
    with (
        Workspace.open(workspace, sandbox=net, clock=net.now, actor="moderator") as ws,
        open(out, "a", encoding="utf-8") as heard,
    ):

        def hook(item: ModeratedAction) -> None:
            heard.write(f"{item.action_id}\n")
            heard.flush()
            os.fsync(heard.fileno())

        ws.moderate(now=LATER, dry_run=False, on_action=hook)
    net.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
