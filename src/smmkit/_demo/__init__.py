"""The demo: the guided tour of smmkit that ``smmkit demo`` runs.

Each capability adds a section module named ``section_NN_<topic>.py`` in this package, with a
``TITLE`` string and a ``run(ctx: DemoContext) -> None`` function. Sections run in the order of
``NN`` and pass results to later sections through ``ctx.shared``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TextIO

from smmkit.setup import Setup, load_setup

__all__ = ["DemoContext", "example_path", "run_demo", "sections"]


def example_path(name: str) -> Path:
    """Path of a shipped example setup (``forno_aurora.toml``, ``larch_and_loom.toml``).

    Looks in the wheel's bundled copy first, then in the source tree's ``examples/``.
    """
    bundled = Path(__file__).resolve().parent.parent / "_examples" / name
    if bundled.is_file():
        return bundled
    source_tree = Path(__file__).resolve().parents[3] / "examples" / name
    if source_tree.is_file():
        return source_tree
    raise FileNotFoundError(f"example {name!r} is not installed with smmkit")


@dataclass
class DemoContext:
    """What the sections share: the setup, where to write files, the seed, the output stream.

    ``shared`` carries results from one section to the next (documented keys: ``"variants"``,
    ``"network"``, ``"published"``, ``"calendar"``, ``"metrics"``).
    """

    setup: Setup
    setup_path: Path
    out_dir: Path
    seed: int = 7
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    shared: dict[str, object] = field(default_factory=dict)

    def say(self, text: str = "") -> None:
        print(text, file=self.stream)

    def heading(self, text: str) -> None:
        self.say()
        self.say(text)
        self.say("=" * len(text))


def sections() -> list[ModuleType]:
    """The demo's section modules, in order."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("section_")
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def run_demo(
    setup_path: Path | None = None,
    out_dir: Path | None = None,
    *,
    seed: int = 7,
    stream: TextIO | None = None,
    only: Callable[[str], bool] | None = None,
) -> DemoContext:
    """Run every demo section on a setup (default: Forno Aurora) and return the context."""
    path = setup_path or example_path("forno_aurora.toml")
    target = out_dir or Path("smmkit-demo-output")
    target.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(
        setup=load_setup(path),
        setup_path=path,
        out_dir=target,
        seed=seed,
        stream=stream or sys.stdout,
    )
    for module in sections():
        name = module.__name__.rsplit(".", 1)[-1]
        if only is not None and not only(name):
            continue
        ctx.heading(str(module.TITLE))
        module.run(ctx)
    return ctx
