"""The ``smmkit`` command line: a thin front end over :class:`smmkit.Workspace` (Typer + Rich).

Every command takes ``--json`` (one JSON document on stdout, for scripts); exit codes are listed
in ``docs/cli.md`` and in :data:`EXIT_CODES`. The library never imports this package.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``smmkit`` console script; returns the exit code."""
    from ._app import run

    return run(argv)
