"""Demo section 3, per-call timeouts, and the shape of the shells (no operation written twice)."""

from __future__ import annotations

import ast
import io
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from smmkit._demo import run_demo
from smmkit.platforms import ClientOptions, Dialect, PublishedPost, SyncDriver, send
from smmkit.platforms.sandbox import SandboxNetwork

ROOT = Path(__file__).resolve().parents[2]


def _run_section(tmp_path: Path) -> tuple[str, dict[str, object], float]:
    stream = io.StringIO()
    started = time.perf_counter()
    ctx = run_demo(
        out_dir=tmp_path, stream=stream, seed=7, only=lambda name: name.startswith("section_30")
    )
    return stream.getvalue(), ctx.shared, time.perf_counter() - started


def test_demo_section_publishes_reconciles_and_shares_results(tmp_path: Path) -> None:
    text, shared, elapsed = _run_section(tmp_path)
    assert "3. Publishing to the sandbox network" in text
    assert "reconciled: found by its publish key, not sent again" in text
    assert "(duplicates: 0)" in text
    assert isinstance(shared["network"], SandboxNetwork)
    published = shared["published"]
    assert isinstance(published, list) and published
    assert all(isinstance(p, PublishedPost) for p in published)
    assert elapsed < 5.0
    again, _, _ = _run_section(tmp_path)
    assert again == text  # deterministic for a seed


def test_demo_section_uses_variants_from_the_content_section(tmp_path: Path) -> None:
    from smmkit.models import Variant

    stream = io.StringIO()
    variants = [
        Variant(channel="facebook", platform="facebook", text=f"Buongiorno {i}!") for i in range(3)
    ]
    from smmkit._demo import DemoContext, example_path
    from smmkit._demo import section_30_publish as section
    from smmkit.setup import load_setup

    ctx = DemoContext(
        setup=load_setup(example_path("forno_aurora.toml")),
        setup_path=example_path("forno_aurora.toml"),
        out_dir=tmp_path,
        stream=stream,
        shared={"variants": variants},
    )
    section.run(ctx)
    assert "Publishing 3 variants from the content section" in stream.getvalue()
    assert len(ctx.shared["published"]) == 3  # type: ignore[arg-type]


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
