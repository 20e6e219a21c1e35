"""One runner process for the crash tests: ``python crash_worker.py STORE SANDBOX NOW [forever]``.

Publishes everything due at NOW (an ISO time: the clock is fixed, never the wall clock) to the
file-backed sandbox, then exits; SIGKILL may stop it at any moment. With ``forever`` it keeps
polling (once an hour) until SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world import network

from smmkit.runner import PublishingClient, Runner
from smmkit.store import open_store


def main() -> int:
    store_target, sandbox_path, now_text = sys.argv[1:4]
    now = datetime.fromisoformat(now_text)
    store = open_store(store_target, clock=lambda: now)
    net = network(Path(sandbox_path))
    clients: dict[str, PublishingClient] = {}

    def client(brand_id: str, channel: str) -> PublishingClient:
        if channel not in clients:
            clients[channel] = net.client(channel)
        return clients[channel]

    forever = sys.argv[4:5] == ["forever"]
    runner = Runner(
        store, client, clock=lambda: now, batch=5, collect_metrics=False, poll_interval=3600
    )
    report = runner.run(until_idle=not forever)
    print(f"stopped_by={report.stopped_by}")
    print(f"published={report.published} reconciled={report.reconciled}")
    print(f"taken_over={report.taken_over}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
