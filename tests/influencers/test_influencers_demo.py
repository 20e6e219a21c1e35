"""The demo's influencer and audit section runs on its own, offline."""

from __future__ import annotations

import io
from pathlib import Path

from smmkit._demo import run_demo


def test_demo_section_scores_briefs_and_audits(tmp_path: Path) -> None:
    out = io.StringIO()
    run_demo(out_dir=tmp_path, stream=out, only=lambda name: name == "section_80_influencers")
    text = out.getvalue()
    assert "8. Influencers and the presence audit" in text
    assert "Scored 300 sandbox creators" in text
    assert "going live now is refused" in text and "allows contracted, closed" in text
    assert "Brief (tu, code " in text
    assert "Forno San Vitale on instagram: no readable data" in text
    assert "Panificio Due Torri on instagram: 6,110 followers" in text
    assert "Where to be" in text
    audit = (tmp_path / "audit.md").read_text(encoding="utf-8")
    assert audit.startswith("# Presence audit: Forno Aurora")
