"""The demo: the guided tour of smmkit that ``smmkit demo`` runs.

Each capability adds a section module named ``section_NN_<topic>.py`` in this package, with a
``TITLE`` string and a ``run(ctx: DemoContext) -> None`` function. Sections run in the order of
``NN``. They keep their state in a :class:`~smmkit.workspace.Workspace` (a SQLite file) publishing
to a sandbox network kept in a second file beside it, so a second run on the same workspace
continues where the first stopped.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from smmkit.setup import Setup, load_setup

if TYPE_CHECKING:
    from smmkit.platforms.sandbox import SandboxNetwork
    from smmkit.workspace import ImportResult, Workspace

START = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)
"""Where the simulated clock starts on a new demo workspace (Monday 30 November 2026, 07:30 in
Rome)."""

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
    """What the sections share: the setup, where to write files, the seed, the output stream,
    and the workspace (opened on first use, with the setup imported) and its sandbox network."""

    setup: Setup
    setup_path: Path
    out_dir: Path
    seed: int = 7
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    workspace_path: Path | None = None
    imported: ImportResult | None = None
    _workspace: Workspace | None = None
    _network: SandboxNetwork | None = None

    @property
    def network(self) -> SandboxNetwork:
        """The sandbox network, kept in a file beside the workspace (its clock is the demo's)."""
        if self._network is None:
            from smmkit.platforms.sandbox import SandboxNetwork

            if self.workspace_path is None:
                self.workspace_path = Path(tempfile.mkdtemp(prefix="smmkit-demo-")) / "demo.db"
            self._network = SandboxNetwork(
                seed=self.seed, path=self.workspace_path.with_suffix(".sandbox.db"), start=START
            )
        return self._network

    @property
    def workspace(self) -> Workspace:
        """The demo's workspace (created with the setup imported on first use)."""
        if self._workspace is None:
            from smmkit.workspace import Workspace

            network = self.network
            assert self.workspace_path is not None
            self._workspace = Workspace.open(
                self.workspace_path, clock=network.now, sandbox=network, actor="demo"
            )
            self.imported = self._workspace.import_setup(self.setup)
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None
        if self._network is not None:
            self._network.close()
            self._network = None

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
    workspace: Path | None = None,
) -> DemoContext:
    """Run every demo section on a setup (default: Forno Aurora) and return the context.

    The sections keep their state in a workspace: ``workspace`` (a SQLite file; run again with
    the same file to continue where the last run stopped), or a new one in a temporary
    directory. The sandbox network lives beside it (``<name>.sandbox.db``).
    """
    path = setup_path or example_path("forno_aurora.toml")
    target = out_dir or Path("smmkit-demo-output")
    ctx = DemoContext(
        setup=load_setup(path),
        setup_path=path,
        out_dir=target,
        seed=seed,
        stream=stream or sys.stdout,
        workspace_path=workspace,
    )
    try:
        for module in sections():
            name = module.__name__.rsplit(".", 1)[-1]
            if only is not None and not only(name):
                continue
            if getattr(module, "WRITES", True):  # a section that only reads creates nothing
                target.mkdir(parents=True, exist_ok=True)
            ctx.heading(str(module.TITLE))
            module.run(ctx)
    finally:
        ctx.close()
    return ctx
