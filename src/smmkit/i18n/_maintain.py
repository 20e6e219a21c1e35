"""Catalog upkeep for translators: extract smmkit's messages and create or update a ``.po``.

Run as ``python -m smmkit.i18n.catalogs``:

- ``init LANG [--dir DIR]``: a new catalog for ``LANG`` with every message and empty
  translations (``DIR`` defaults to the package's ``locales`` folder; point ``SMMKIT_LOCALE_PATH``
  at another folder to use it without touching the installed package);
- ``update [LANG ...]``: add new messages to existing catalogs, keep the translations made,
  mark messages no longer used as obsolete;
- ``check [LANG ...]``: list messages without a translation (exit 1 if any).

Without ``LANG``, ``update`` and ``check`` take the language catalogs (``it``, ``en``); a
regional catalog (``en_US``) holds only the messages that differ from its language's and is
left alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._catalog import _PACKAGE_DIR, DOMAIN

if TYPE_CHECKING:  # pragma: no cover
    from babel.messages.catalog import Catalog

__all__ = ["KEYWORDS", "extract", "main", "missing", "write_catalog"]

KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "n_": (1, 2), "N_": None}
"""Call names that mark a message: ``loc._("...")``, ``loc.n_("one", "many", n)``, ``N_("...")``."""

_SOURCE = Path(__file__).resolve().parents[1]


def extract(source: Path = _SOURCE) -> Catalog:
    """Every message in smmkit's source as a Babel ``Catalog`` (a template)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(domain=DOMAIN, project="smmkit", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def _read(path: Path) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, domain=DOMAIN)


def write_catalog(language: str, directory: Path = _PACKAGE_DIR) -> Path:
    """Create or update ``directory/LANG/LC_MESSAGES/smmkit.po`` from the current source."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = extract()
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.is_file():
        catalog = _read(path)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="smmkit", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return path


def missing(language: str, directory: Path = _PACKAGE_DIR) -> list[str]:
    """Messages of the source without a (non-fuzzy) translation in ``language``'s catalog."""
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return ["(no catalog at " + str(path) + ")"]
    catalog = _read(path)
    template = extract()
    out: list[str] = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id)
        raw = None if have is None else have.string
        strings = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
        if have is None or have.fuzzy or not all(strings):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smmkit.i18n.catalogs")
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init")
    init.add_argument("language")
    init.add_argument("--dir", type=Path, default=_PACKAGE_DIR)
    upd = sub.add_parser("update")
    upd.add_argument("languages", nargs="*")
    upd.add_argument("--dir", type=Path, default=_PACKAGE_DIR)
    chk = sub.add_parser("check")
    chk.add_argument("languages", nargs="*")
    chk.add_argument("--dir", type=Path, default=_PACKAGE_DIR)
    args = parser.parse_args(argv)
    directory: Path = args.dir
    if args.command == "init":
        print(write_catalog(args.language, directory))
        return 0
    # By default the language catalogs; a regional one (en_US) holds only what differs.
    langs = args.languages or sorted(
        p.name
        for p in directory.iterdir()
        if "_" not in p.name and (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    )
    if args.command == "update":
        for lang in langs:
            print(write_catalog(lang, directory))
        return 0
    bad = 0
    for lang in langs:
        for msg in missing(lang, directory):
            bad += 1
            print(f"{lang}: {msg}")
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
