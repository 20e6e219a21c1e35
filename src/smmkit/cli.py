"""The ``smmkit`` command line: a thin front end over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smmkit", description="smmkit: the SDK for a social media manager's job."
    )
    parser.add_argument("--version", action="version", version=f"smmkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="run the guided tour on an example setup (offline, sandbox network)"
    )
    demo.add_argument(
        "--setup", type=Path, default=None, help="a setup file (default: the Forno Aurora example)"
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("smmkit-demo-output"),
        help="where to write the files the demo makes",
    )
    demo.add_argument("--seed", type=int, default=7, help="seed of the simulated network")
    check = commands.add_parser("check-setup", help="validate a setup file and summarise it")
    check.add_argument("path", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``smmkit`` console script."""
    args = _parser().parse_args(argv)
    from .errors import SmmkitError

    try:
        if args.command == "demo":
            from ._demo import run_demo

            run_demo(args.setup, args.out, seed=args.seed)
            print(f"\nFiles written to {args.out}/")
        elif args.command == "check-setup":
            from ._demo import run_demo

            run_demo(
                args.path, Path("smmkit-demo-output"), only=lambda name: name == "section_10_setup"
            )
    except SmmkitError as exc:
        print(f"smmkit: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
