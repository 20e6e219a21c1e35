"""markdown-it-py's link-destination and link-label parsers, answered from an index of the text.

markdown-it-py's ``parseLinkDestination`` reads a destination such as ``(a(b)c)`` one character
at a time until a space, a control character, a ``)`` that closes nothing, or a 33rd open ``(``.
On text such as ``"![a]("`` repeated, every ``[`` starts an attempt that reads the next 32
attempts before it gives up: linear, but 160 characters read in Python per 5 of input, which
made a body of 80,000 characters cost a second to render.

:func:`parse_link_destination` gives the same answer from an index of the text built once (one
regular-expression scan): where the stops are, and where the nesting level of the unescaped
parentheses reaches each value. An attempt that fails costs a few bisections; one that succeeds
is handed to the original on exactly the destination it reads (what the link then consumes).
Short texts, and the ``<...>`` form, go to the original directly. The tests compare the two on
random texts, positions and limits.
"""

from __future__ import annotations

import re
import types
from bisect import bisect_left, bisect_right
from typing import Any

from markdown_it import MarkdownIt
from markdown_it import helpers as _helpers

__all__ = ["install"]

_original = _helpers.parseLinkDestination
# Below this length the original's own scan is as cheap as building an index.
_MIN_INDEXED = 256
_MAX_LEVEL = 32  # markdown-it's limit of nested parentheses in a destination
# A run of backslashes, a parenthesis, or a character that stops a destination (space, control).
_EVENT = re.compile(r"\\+|[()]|[\x00-\x20\x7f]")


class _Index:
    """Where a destination read from any position of ``text`` stops, and why."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.parens: list[int] = []  # positions of the unescaped "(" and ")"
        self.levels: list[int] = []  # the nesting level just after each of them
        self.reached: dict[int, list[int]] = {}  # level -> positions just after a paren left it
        self.stops: list[int] = []  # unescaped spaces and controls, and a backslash before a space
        self.escape_stops: set[int] = set()  # those of the stops that are such a backslash
        level = 0
        skip = -1  # the position of a character escaped by a backslash
        for event in _EVENT.finditer(text):
            start = event.start()
            if start == skip:
                continue  # escaped: neither a parenthesis nor a stop
            token = event.group()
            if token[0] == "\\":
                end = event.end()
                if len(token) % 2 == 1 and end < self.length:  # the last one escapes text[end]
                    if text[end] == " ":
                        self.stops.append(end - 1)
                        self.escape_stops.add(end - 1)
                    skip = end
                continue
            if token == "(" or token == ")":
                level += 1 if token == "(" else -1
                self.parens.append(start)
                self.levels.append(level)
                self.reached.setdefault(level, []).append(start + 1)
            else:
                self.stops.append(start)

    def level_at(self, position: int) -> int:
        """The nesting level before ``position`` (counted from the start of the text)."""
        i = bisect_left(self.parens, position)
        return self.levels[i - 1] if i else 0

    def first_reaching(self, level: int, after: int) -> int | None:
        """The first paren at or after ``after`` that leaves the nesting level at ``level``."""
        positions = self.reached.get(level)
        if not positions:
            return None
        i = bisect_right(positions, after)
        return positions[i] - 1 if i < len(positions) else None

    def end(self, start: int, maximum: int) -> int | None:
        """Where the original's scan from ``start`` ends with a destination, or ``None`` when it
        fails (more than 32 nested parentheses, nothing read, or unbalanced at the end)."""
        base = self.level_at(start)
        end = maximum
        i = bisect_left(self.stops, start)
        if i < len(self.stops) and self.stops[i] < end:
            stop = self.stops[i]
            # A backslash on the last position read is plain text, not an escape.
            if not (stop in self.escape_stops and stop + 1 >= maximum):
                end = stop
        close = self.first_reaching(base - 1, start)
        if close is not None and close < end:
            end = close
        too_deep = self.first_reaching(base + _MAX_LEVEL + 1, start)
        if too_deep is not None and too_deep < end:
            return None
        if end == start or self.level_at(end) != base:
            return None
        return end


_last: tuple[str, _Index] | None = None


def _index(text: str) -> _Index:
    global _last
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    index = _Index(text)
    _last = (text, index)
    return index


def parse_link_destination(
    string: str, pos: int, maximum: int, *, min_indexed: int = _MIN_INDEXED
) -> Any:
    """``markdown_it.helpers.parseLinkDestination``, the same result, without rereading the
    text from every attempt (see the module's docstring); texts shorter than ``min_indexed``
    go to the original."""
    if (
        len(string) < min_indexed
        or maximum > len(string)
        or pos >= maximum
        or string[pos] == "<"
        or (pos > 0 and string[pos - 1] == "\\")
    ):
        return _original(string, pos, maximum)
    end = _index(string).end(pos, maximum)
    if end is None:
        return _original(string, pos, pos)  # the original's answer for a failure
    return _original(string, pos, end)  # reads exactly the destination, as the original would


_original_label = _helpers.parseLinkLabel
_last_closers: tuple[str, list[int]] | None = None


def _closers(text: str) -> list[int]:
    """The positions of every "]" in ``text`` (kept for the last text asked about)."""
    global _last_closers
    last = _last_closers
    if last is not None and last[0] is text:
        return last[1]
    positions = [m.start() for m in re.finditer(r"\]", text)]
    _last_closers = (text, positions)
    return positions


def parse_link_label(state: Any, start: int, disableNested: bool = False) -> int:
    """``markdown_it.helpers.parseLinkLabel``, the same result; when no "]" follows ``start``
    before the end of the inline text, the label cannot close and the answer is -1 at once
    (the original reads on, nesting up to its limit, from every "[" of "[[[[...")."""
    closers = _closers(state.src)
    i = bisect_right(closers, start)
    if i == len(closers) or closers[i] >= state.posMax:
        return -1
    return int(_original_label(state, start, disableNested))


def install(md: MarkdownIt) -> MarkdownIt:
    """Give ``md`` (one instance, not the library) the indexed destination parser."""
    helpers = types.ModuleType("smmkit_markdown_helpers")
    helpers.parseLinkLabel = parse_link_label  # type: ignore[attr-defined]
    helpers.parseLinkTitle = _helpers.parseLinkTitle  # type: ignore[attr-defined]
    helpers.parseLinkDestination = parse_link_destination  # type: ignore[attr-defined]
    md.helpers = helpers
    return md
