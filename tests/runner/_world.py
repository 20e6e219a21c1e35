"""Helpers shared by the runner tests and the crash worker: a store with due posts, and a
sandbox network that does *not* deduplicate (so exactly-once rests on the runner alone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smmkit.models import Variant
from smmkit.platforms.sandbox import RateLimitConfig, SandboxNetwork, sandbox_channel
from smmkit.store import Store

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BRAND = "forno"


def channel_keys(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


def fill(
    store: Store, posts: int, *, channels: int = 4, due: datetime = T0, first: int = 0
) -> list[Variant]:
    """A brand with ``channels`` sandbox channels and ``posts`` scheduled, enqueued variants,
    due between ``due - posts s`` and ``due``. ``first`` > 0 adds more variants (numbered from
    ``first``) to a store already filled."""
    from smmkit.setup import load_setup  # not needed by the worker processes: keep them light

    setup = load_setup(ROOT / "examples" / "forno_aurora.toml")
    keys = channel_keys(channels)
    variants = [
        Variant(
            id=f"v{n:05d}",
            channel=keys[n % channels],
            platform="sandbox",
            text=f"Post number {n}",
            status="scheduled",
            scheduled_at=due - timedelta(seconds=first + posts - n),
            publish_key=f"pk-{n:06d}",
        )
        for n in range(first, first + posts)
    ]
    with store.transaction(actor="test") as tx:
        if first == 0:
            tx.put_brand(BRAND, setup.brand)
            for key in keys:
                tx.put_channel(BRAND, sandbox_channel(key, platform="sandbox"))
        tx.add_variants(BRAND, variants)
        tx.enqueue_many([(v.id, v.scheduled_at or due) for v in variants])
    return variants


def network(path: Path | None, *, channels: int = 4, dedupe: bool = False) -> SandboxNetwork:
    """The file-backed sandbox the runner tests publish to.

    Its rate limit is out of reach and its rate-limit windows do not follow the wall clock: by
    default the sandbox allows 300 requests per channel per five wall-clock minutes, and a fast
    machine publishing the crash test's posts (plus top-ups and look-ups) came close enough to
    it to get a 429 now and then. The runner then rightly puts the row back for after the
    ``Retry-After`` — a time the tests' fixed clock never reaches — and the outcome depended on
    the machine's speed and where the wall-clock window fell. Rate limits have tests of their own.
    """
    net = SandboxNetwork(
        seed=3,
        path=path,
        start=T0 - timedelta(days=1),
        dedupe=dedupe,
        rate_limit=RateLimitConfig(limit=10**9),
        wall_clock=T0.timestamp,
    )
    for key in channel_keys(channels):
        net.add_channel(sandbox_channel(key, platform="sandbox"))
    return net


def post_counts(net: SandboxNetwork) -> dict[str, int]:
    """How many posts the sandbox holds per publish key (deleted ones included)."""
    counts: dict[str, int] = {}
    for row in net.store.query("SELECT publish_key, COUNT(*) AS n FROM posts GROUP BY publish_key"):
        counts[str(row["publish_key"])] = int(row["n"])
    return counts
