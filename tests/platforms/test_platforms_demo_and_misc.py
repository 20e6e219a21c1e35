"""The demo's publishing section, per-call timeouts, and the shape of the shells (no operation
written twice)."""

from __future__ import annotations

import ast
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import smmkit
from smmkit._demo import run_demo
from smmkit.errors import ValidationError
from smmkit.platforms import DEFAULT_USER_AGENT, ClientOptions, Dialect, SyncDriver, send
from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def _run_section(tmp_path: Path, name: str) -> str:
    stream = io.StringIO()
    run_demo(
        out_dir=tmp_path,
        stream=stream,
        seed=7,
        only=lambda section: section.startswith("section_40"),
        workspace=tmp_path / f"{name}.db",
    )
    return stream.getvalue().replace(str(tmp_path / name), "WS")


def test_demo_section_publishes_reconciles_and_keeps_results(tmp_path: Path) -> None:
    text = _run_section(tmp_path, "one")
    assert "4. Publishing to the sandbox network" in text
    assert "fault injected: the next post is created but its response is lost" in text
    assert "the retry carried the same publish key" in text
    assert "(duplicates: 0)" in text
    network = SandboxNetwork(path=tmp_path / "one.sandbox.db")
    with Workspace.open(tmp_path / "one.db") as ws, ws.store.read() as tx:
        published = tx.published()
    assert published
    for record in published:
        assert len(network.posts(record.channel, publish_key=record.publish_key)) == 1
    network.close()
    # (No wall-clock assertion: speed is measured by benchmarks/, never by a timed test.)
    again = _run_section(tmp_path, "two")
    assert again == text  # deterministic for a seed


def test_a_second_run_continues_where_the_first_stopped(tmp_path: Path) -> None:
    first = _run_section(tmp_path, "same")
    assert "run the demo again with the same --workspace to continue" in first
    second = _run_section(tmp_path, "same")
    assert "(the content and calendar sections did not run" not in second
    with Workspace.open(tmp_path / "same.db") as ws:
        status = ws.status()
    assert status.outbox == {"published": status.published}
    network = SandboxNetwork(path=tmp_path / "same.sandbox.db")
    with Workspace.open(tmp_path / "same.db") as ws:
        for variant in ws.variants():
            assert len(network.posts(variant.channel, publish_key=variant.publish_key)) == 1
    network.close()


@respx.mock
def test_per_call_timeout_reaches_the_request() -> None:
    route = respx.get("https://x.test/a").mock(return_value=httpx.Response(200, json={}))
    driver = SyncDriver(dialect=Dialect(platform="x"), options=ClientOptions(timeout=12.0))

    def op() -> Any:
        yield from send(httpx.Request("GET", "https://x.test/a"))

    driver.run(op())
    assert route.calls[-1].request.extensions["timeout"]["read"] == 12.0
    driver.run(op(), timeout=httpx.Timeout(3.0, connect=1.0))
    timeout = route.calls[-1].request.extensions["timeout"]
    assert timeout["read"] == 3.0 and timeout["connect"] == 1.0


@pytest.mark.parametrize("module", ["mastodon/_client.py", "sandbox/_client.py", "_client.py"])
def test_shells_never_build_requests(module: str) -> None:
    """The sync and async shells only run operations: requests are built in the cores."""
    source = (ROOT / "src" / "smmkit" / "platforms" / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name.endswith("Client"):
            for call in ast.walk(node):
                if isinstance(call, ast.Attribute) and call.attr in ("Request", "send"):
                    owner = call.value
                    assert not (isinstance(owner, ast.Name) and owner.id == "httpx"), (
                        f"{node.name} in {module} builds or sends a request itself"
                    )


@respx.mock
def test_every_request_names_smmkit_unless_told_otherwise() -> None:
    route = respx.get("https://x.test/a").mock(return_value=httpx.Response(200, json={}))

    def op(**headers: str) -> Any:
        yield from send(httpx.Request("GET", "https://x.test/a", headers=headers))

    SyncDriver(dialect=Dialect(platform="x")).run(op())
    assert route.calls[-1].request.headers["User-Agent"] == f"smmkit/{smmkit.__version__}"
    assert f"smmkit/{smmkit.__version__}" == DEFAULT_USER_AGENT
    own = f"{DEFAULT_USER_AGENT} (agency-dashboard; ops@example.com)"
    SyncDriver(dialect=Dialect(platform="x"), options=ClientOptions(user_agent=own)).run(op())
    assert route.calls[-1].request.headers["User-Agent"] == own
    SyncDriver(dialect=Dialect(platform="x")).run(op(**{"User-Agent": "per-call/1"}))
    assert route.calls[-1].request.headers["User-Agent"] == "per-call/1"
    SyncDriver(dialect=Dialect(platform="x"), options=ClientOptions(user_agent=None)).run(op())
    assert "smmkit" not in route.calls[-1].request.headers.get("User-Agent", "")


@pytest.mark.parametrize("bad", ["", "   ", "smmkit\r\nX-Evil: 1", "é-agent", "a" * 513])
def test_a_user_agent_that_is_not_a_header_value_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="user_agent") as caught:
        ClientOptions(user_agent=bad)
    assert "\r\n" not in str(caught.value)
