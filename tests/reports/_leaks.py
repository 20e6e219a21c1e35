"""Find English UI strings (catalog message ids) left in an output meant for another language."""

from __future__ import annotations

import html
import re
from functools import cache

from babel.messages.pofile import read_po

from smmkit.i18n import catalog_dirs

_FIELD = re.compile(r"\{[a-z_]+\}")
_TAG = re.compile(r"<style[^>]*>.*?</style>|<[^<>]*>", re.S)


@cache
def _fragments(language: str, reverse: bool = False) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Literal pieces of every message whose translation differs from the English one (with
    ``reverse``, pieces of the translations, to find them in an English output)."""
    path = catalog_dirs()[-1] / language / "LC_MESSAGES" / "smmkit.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    out: dict[str, re.Pattern[str]] = {}

    # Words of the translations themselves ("Date" in "Date da ricordare") are not English.
    def sides(msg: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
        mid, mstr = getattr(msg, "id", ""), getattr(msg, "string", "")
        ids = mid if isinstance(mid, tuple) else (mid,)
        strings = tuple(s or "" for s in (mstr if isinstance(mstr, tuple) else (mstr,)))
        return (strings, ids) if reverse else (ids, strings)

    native = {w for msg in catalog if msg.id for s in sides(msg)[1] for w in re.findall(r"\w+", s)}
    for msg in catalog:
        if not msg.id:
            continue
        ids, strings = sides(msg)
        translated = " ".join(strings)
        for mid in ids:
            if mid in strings or re.fullmatch(r"[EdMy ,]+", mid):
                continue  # the same word in both languages, or a CLDR date pattern
            pieces = _FIELD.split(mid)
            for piece in pieces:
                piece = piece.strip(" :.,()")
                if len(pieces) > 1 and not re.search(r"[A-Za-z]{4}", piece):
                    continue  # "of the" between two fields says nothing on its own
                # Skip pieces the translation also contains (loan words like "community").
                if len(piece) < 3 or not re.search(r"[A-Za-z]{3}", piece) or piece in translated:
                    continue
                if " " not in piece and piece in native:
                    continue
                out[piece] = re.compile(r"(?<![\w])" + re.escape(piece) + r"(?![\w])")
    return tuple(sorted(out.items()))


def english_leaks(text: str, language: str = "it") -> list[str]:
    """English message fragments found in ``text`` (as whole words; HTML tags ignored)."""
    text = html.unescape(_TAG.sub(" ", text))
    return [piece for piece, rx in _fragments(language) if rx.search(text)]


def italian_leaks(text: str) -> list[str]:
    """Italian catalog fragments found in an output meant for English readers."""
    text = html.unescape(_TAG.sub(" ", text))
    return [piece for piece, rx in _fragments("it", True) if rx.search(text)]
