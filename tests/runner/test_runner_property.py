"""Property: whatever faults the network injects and wherever runners die, every post ends up
published exactly once (in-process deaths here; real SIGKILLs in test_crash.py)."""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world import T0, fill, network, post_counts

from smmkit.models import AccountMetrics, PostMetrics, Variant
from smmkit.platforms import PostMarker, PublishedPost
from smmkit.runner import Backoff, PublishingClient, Runner
from smmkit.store import OutboxState, open_store


class Died(BaseException):
    """The process died here (nothing after this line of the runner runs)."""


class Dying:
    """A client that dies right after the network acted on its ``n``-th publish."""

    def __init__(self, client: PublishingClient, die_at: int | None) -> None:
        self.client = client
        self.die_at = die_at
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def supports(self, capability: Any) -> bool:
        return self.client.supports(capability)

    def find_post(self, marker: PostMarker) -> PublishedPost | None:
        return self.client.find_post(marker)

    def get_post_metrics(self, post: str) -> PostMetrics:
        return self.client.get_post_metrics(post)

    def get_account_metrics(self) -> AccountMetrics:
        return self.client.get_account_metrics()

    def publish(self, variant: Variant) -> PublishedPost:
        self.calls += 1
        post = self.client.publish(variant)
        if self.calls == self.die_at:
            raise Died
        return post


@settings(max_examples=10, deadline=None)
@given(
    posts=st.integers(min_value=1, max_value=25),
    fault_rate=st.sampled_from([0.0, 0.2, 0.5]),
    seed=st.integers(min_value=0, max_value=10_000),
    deaths=st.lists(st.integers(min_value=1, max_value=8), max_size=4),
    batch=st.integers(min_value=1, max_value=6),
)
def test_every_post_exactly_once_whatever_happens(
    posts: int, fault_rate: float, seed: int, deaths: list[int], batch: int
) -> None:
    from smmkit.platforms.sandbox import FaultConfig

    clock_now = [T0 + timedelta(minutes=1)]
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "s.db", clock=lambda: clock_now[0], synchronous="normal")
        variants = fill(store, posts)
        net = network(Path(folder) / "n.db")
        net.set_faults(
            FaultConfig(
                rate=fault_rate,
                seed=seed,
                kinds=("lost_after_success", "read_timeout_after", "connect", "error_502"),
            )
        )
        plain = {f"c{i}": net.client(f"c{i}", sleep=lambda _s: None) for i in range(4)}
        for die_at in [*deaths, None]:
            dying = {key: Dying(client, die_at) for key, client in plain.items()}

            def clients(_brand: str, channel: str, dying: dict[str, Dying] = dying) -> Dying:
                return dying[channel]

            runner = Runner(
                store,
                clients,
                clock=lambda: clock_now[0],
                batch=batch,
                collect_metrics=False,
                backoff=Backoff(base=timedelta(seconds=1), max_tries=100),
            )
            runner.start()  # so that run() leaves the registration alone when it "dies"
            died = False
            for _ in range(60):
                try:
                    runner.run(until_idle=True)
                except Died:
                    assert runner._lock is not None
                    runner._lock.release()  # the OS frees a dead process's lock
                    died = True
                    break
                with store.read() as tx:
                    if tx.outbox_counts()[OutboxState.PUBLISHED] == posts:
                        break
                clock_now[0] += timedelta(minutes=5)
            if not died:
                runner.close()
        with store.read() as tx:
            states = {k: v for k, v in tx.outbox_counts().items() if v}
        counts = post_counts(net)
        net.close()
        store.close()
    assert states == {OutboxState.PUBLISHED: posts}
    assert counts == {v.publish_key: 1 for v in variants}
