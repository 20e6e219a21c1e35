"""Demo section 20 runs offline, fast, and stores its approved variants in the workspace."""

from __future__ import annotations

import io
from pathlib import Path

from smmkit._demo import DemoContext, example_path
from smmkit._demo import section_20_content as section
from smmkit.content import validate
from smmkit.models import Variant
from smmkit.setup import load_setup


def test_section_20(tmp_path: Path) -> None:
    path = example_path("forno_aurora.toml")
    stream = io.StringIO()
    ctx = DemoContext(
        setup=load_setup(path),
        setup_path=path,
        out_dir=tmp_path,
        stream=stream,
        workspace_path=tmp_path / "a.db",
    )
    section.run(ctx)
    out = stream.getvalue().replace(str(tmp_path / "a.db"), "WS")
    variants = ctx.workspace.variants()
    ctx.close()
    assert variants
    assert all(v.status.value == "approved" for v in variants)
    assert all(isinstance(v, Variant) for v in variants)
    assert {v.channel for v in variants} == {c.key for c in ctx.setup.channels}
    first = [v for v in variants if v.item_id == "panettone-lancio"]
    ready_at = ctx.setup.content[0].ready_at
    assert ready_at is not None
    assert all(validate(v, on=ready_at.date()) == [] for v in first)
    assert "utm_campaign=panettone-2026" in out
    for rule in ("disclosure", "register", "banned_term", "emoji", "shouting"):
        assert rule in out
    again = io.StringIO()
    ctx2 = DemoContext(
        setup=ctx.setup,
        setup_path=path,
        out_dir=tmp_path,
        stream=again,
        workspace_path=tmp_path / "b.db",
    )
    section.run(ctx2)
    ctx2.close()
    assert again.getvalue().replace(str(tmp_path / "b.db"), "WS") == out  # deterministic
    assert section.TITLE == "2. Content: one idea adapted to every channel"
