"""The demo's community section runs on its own, offline: sync, moderate, answer."""

from __future__ import annotations

import io
import re
from pathlib import Path

from smmkit._demo import run_demo


def test_demo_section_moderates_and_answers(tmp_path: Path) -> None:
    out = io.StringIO()
    run_demo(out_dir=tmp_path, stream=out, only=lambda name: name == "section_90_community")
    text = out.getvalue()
    assert "9. Community: the inbox, moderation and replies" in text
    assert re.search(r"Inbox: [1-9]\d* messages synced", text)
    assert "Dry run over" in text and "because rule " in text
    assert "(genuine customers hidden: 0)" in text
    answered = re.search(r"Questions answered with a saved reply: (\d+)", text)
    assert answered is not None and int(answered.group(1)) >= 1
    assert "Run again: 0 new actions" in text
