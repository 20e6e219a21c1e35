"""The file-backed sandbox shared by several processes (issue 10, point 9): it deduplicates a
publish key in one transaction, looks the key up before the first attempt, and says when it
holds a post for later."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smmkit.models import Variant
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _net(path: Path | None, *, dedupe: bool = True) -> SandboxNetwork:
    net = SandboxNetwork(seed=1, path=path, start=T0, dedupe=dedupe)
    net.add_channel(sandbox_channel("c0", platform="sandbox"))
    return net


def _variant(**fields: object) -> Variant:
    values: dict[str, object] = {
        "channel": "c0",
        "platform": "sandbox",
        "text": "Hello",
        "publish_key": "same-key-0001",
    }
    values.update(fields)
    return Variant.model_validate(values)


def test_four_processes_publishing_one_key_make_one_post(tmp_path: Path) -> None:
    path = tmp_path / "net.db"
    _net(path).close()
    results: list[str] = []
    barrier = threading.Barrier(4)

    def publish() -> None:
        net = _net(path)  # its own connection, as another process would have
        barrier.wait()
        results.append(net.client("c0").publish(_variant()).post_id)
        net.close()

    threads = [threading.Thread(target=publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    net = _net(path)
    assert len(net.posts("c0")) == 1
    assert set(results) == {net.posts("c0")[0].post_id}


def test_the_idempotency_key_is_honoured_and_dedupe_can_be_off(tmp_path: Path) -> None:
    net = _net(None)
    first = net.client("c0").publish(_variant())
    again = net.client("c0").publish(_variant())  # in memory: no look-up first, the key dedupes
    assert again.post_id == first.post_id
    assert len(net.posts("c0")) == 1
    raw = _net(tmp_path / "raw.db", dedupe=False)
    raw.client("c0").publish(_variant())
    raw.client("c0").publish(_variant())
    assert len(raw.posts("c0")) == 2  # a network that does not deduplicate


def test_a_post_held_for_later_is_reported_scheduled() -> None:
    net = _net(None)
    later = net.client("c0").publish(_variant(scheduled_at=T0 + timedelta(hours=3)))
    now = net.client("c0").publish(_variant(publish_key="other-key-01"))
    assert later.scheduled
    assert later.published_at == T0 + timedelta(hours=3)
    assert not now.scheduled
