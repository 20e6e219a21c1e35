"""Run every ```python block of docs/*.md and README.md, so the documentation never rots.

The blocks of one page run in order, in one namespace, with the repository root as the working
directory. A block fenced ```python norun is shown but not run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
_BLOCK = re.compile(r"^```python([^\n]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks(page: Path) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        if "norun" in match.group(1):
            continue
        line = text.count("\n", 0, match.start()) + 2
        found.append((line, match.group(2)))
    return found


def test_docs_exist() -> None:
    names = {p.name for p in PAGES}
    assert {"getting-started.md", "concepts.md", "README.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_doc_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(page)
    if not blocks:
        pytest.skip(f"{page.name} has no python examples")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SMMKIT_DOCS_TMP", str(tmp_path))
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}", "DOCS_TMP": tmp_path}
    for line, source in blocks:
        code = compile(source, f"{page.relative_to(ROOT)}:{line}", "exec")
        try:
            exec(code, namespace)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            raise AssertionError(
                f"example at {page.name} line {line} failed: {type(exc).__name__}: {exc}"
            ) from exc
    assert os.getcwd() == str(ROOT)
