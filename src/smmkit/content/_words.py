"""A text as words and the separators between them, for cutting it on a word boundary.

``adapt`` cuts a text on a word boundary (a truncated post, a thread, a title): it measures
prefixes of the text with its separators normalised. :class:`Words` computes the words' places
once, with array operations (no Python step per word or per character), so that any prefix is
then one slice of one string.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import regex

from . import _textapi as tx

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Words"]

# Python's whitespace (str.isspace, what "\s" and str.strip see): no such character lies above
# U+3000 (a test checks every code point).
WHITESPACE_END = 0x3001
WHITESPACE = "".join(c for c in map(chr, range(WHITESPACE_END)) if c.isspace())
# A grapheme cluster never breaks after a Prepend character or before an Extend, ZWJ or
# SpacingMark character, except next to a control character, CR or LF (UAX #29 GB4, GB5, GB9,
# GB9a, GB9b). So a whitespace character that is not a control is part of its neighbour's
# cluster (of a word, not a separator) when such a character touches it; no other rule joins a
# whitespace character to anything but CR to LF.
_CONTROL = regex.compile(r"[\p{GCB=Control}\r\n]")
_JOINABLE = "".join(c for c in WHITESPACE if not _CONTROL.match(c))
_GLUED = regex.compile(
    f"[{regex.escape(_JOINABLE)}](?=[\\p{{GCB=Extend}}\\p{{GCB=ZWJ}}\\p{{GCB=SpacingMark}}])"
    f"|(?<=\\p{{GCB=Prepend}})[{regex.escape(_JOINABLE)}]"
)
_LF, _CR, _SPACE = 10, 13, 32
# From this many characters, words are found with array operations.
ARRAYS_FROM = 2048
_WORD_AND_SPACE = re.compile(r"(\S+)(\s*)")


def _separator(space: str) -> str:
    if not space or space == " ":
        return space
    breaks = space.count("\n") + space.count("\r") - space.count("\r\n")
    return " " if breaks == 0 else ("\n" if breaks == 1 else "\n\n")


class Words:
    """``text`` (leading whitespace removed) as words and separators.

    A word is a run of grapheme clusters that are not all whitespace, so no cluster (a space
    followed by a combining mark, say) is ever split; a separator is the run of whitespace
    between two words, normalised to " " (no line break in it), "\\n" (one) or "\\n\\n" (more;
    CR LF is one line break). ``joined`` is the words with their normalised separators (the
    whitespace after the last word dropped); :meth:`join` gives any run of consecutive words as
    one slice of it.

    Built in time linear in the text with array operations (numpy): the cost per word is a few
    machine instructions, not a Python step.
    """

    __slots__ = ("_ends", "_starts", "count", "joined")

    joined: str
    count: int
    _starts: npt.NDArray[np.int64] | list[int]
    _ends: npt.NDArray[np.int64] | list[int]

    def __init__(self, text: str, *, arrays: bool | None = None) -> None:
        """``arrays``: find the words with array operations (the default from
        ``ARRAYS_FROM`` characters on) or one at a time (cheaper on a short text)."""
        text = text.lstrip()
        if not text:
            self.joined, self.count, self._starts, self._ends = "", 0, [], []
            return
        if not (len(text) >= ARRAYS_FROM if arrays is None else arrays):
            self._one_at_a_time(text)
            return
        import numpy as np

        codes = _codes(text)
        if codes.dtype == np.uint8:  # ASCII
            space = _whitespace_table()[codes]
        else:
            # The tables have one more entry, False, for every code point from WHITESPACE_END.
            clipped = np.minimum(codes, WHITESPACE_END)
            space = _whitespace_table()[clipped]
            if np.any(_joinable_table()[clipped]) and tx.MAYBE_JOINING.search(text) is not None:
                # Whitespace joined to a neighbour's cluster belongs to a word: marked by
                # replacing it (one character for one, so places do not move).
                marked = _GLUED.sub("x", text)
                if marked != text:
                    other = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), "<u4")
                    space &= other == codes
        # Where a word starts or ends: the text starts with a word, and the words and the
        # separators take turns.
        flips = np.flatnonzero(space[1:] != space[:-1]) + 1
        text_end = [len(space)] if len(flips) % 2 == 0 else []
        edges = np.concatenate((np.zeros(1, np.int64), flips, np.array(text_end, np.int64)))
        starts, ends = edges[0::2], edges[1::2]
        count = len(starts)
        gap_start, gap_end = ends[:-1], starts[1:]  # the separators between words
        if "\n" in text or "\r" in text:
            breaks = (codes == _LF).astype(np.int64) + (codes == _CR)
            breaks[:-1] -= (codes[:-1] == _CR) & (codes[1:] == _LF)  # CR LF is one break
            before = np.concatenate(([0], np.cumsum(breaks)))
            in_gap = before[gap_end] - before[gap_start]
        else:
            in_gap = np.zeros(count - 1, dtype=np.int64)
        gap_length = 1 + (in_gap >= 2)
        gap_first = np.where(in_gap >= 1, _LF, _SPACE)
        lengths = ends - starts
        self._ends = np.cumsum(lengths) + np.concatenate(([0], np.cumsum(gap_length)))
        self._starts = self._ends - lengths
        self.count = count
        last = int(ends[-1])
        two = gap_start[gap_length == 2]
        if (
            np.array_equal(gap_end - gap_start, gap_length)
            and np.array_equal(codes[gap_start], gap_first)
            and np.all(codes[two + 1] == _LF)
        ):
            self.joined = text[:last]  # every separator is already normalised
            return
        out = codes[:last].astype(np.uint32)
        keep = ~space[:last]
        out[gap_start] = gap_first
        keep[gap_start] = True
        out[two + 1] = _LF
        keep[two + 1] = True
        self.joined = out[keep].tobytes().decode("utf-32-le", "surrogatepass")

    @classmethod
    def one(cls, word: str) -> Words:
        """``word``, a text without whitespace, as one word (nothing to find)."""
        words = cls.__new__(cls)
        words.joined, words.count, words._starts, words._ends = word, 1, [0], [len(word)]
        return words

    def _one_at_a_time(self, text: str) -> None:
        pairs: list[tuple[str, str]]
        if text.isascii() or tx.MAYBE_JOINING.search(text) is None:
            # every code point is a cluster (CR LF is whitespace either way)
            pairs = [(word, _separator(space)) for word, space in _WORD_AND_SPACE.findall(text)]
        else:
            pairs = []
            word: list[str] = []
            space: list[str] = []
            for cluster in tx.graphemes(text):
                if cluster.isspace():
                    space.append(cluster)
                    continue
                if space and word:
                    pairs.append(("".join(word), _separator("".join(space))))
                    word = []
                space = []
                word.append(cluster)
            pairs.append(("".join(word), _separator("".join(space))))
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for word_text, separator in pairs:
            starts.append(position)
            position += len(word_text)
            ends.append(position)
            position += len(separator)
        self.joined = "".join(w + s for w, s in pairs)[: ends[-1]]
        self.count, self._starts, self._ends = len(pairs), starts, ends

    def __len__(self) -> int:
        return self.count

    def word(self, i: int) -> str:
        """The ``i``-th word."""
        return self.joined[int(self._starts[i]) : int(self._ends[i])]

    def join(self, start: int, count: int) -> str:
        """``count`` words from the ``start``-th, with their separators ("" for none)."""
        if count <= 0:
            return ""
        return self.joined[int(self._starts[start]) : int(self._ends[start + count - 1])]

    def containing(self, character: str) -> list[str]:
        """The words that contain ``character`` (one character, not whitespace), in order."""
        import numpy as np

        joined = self.joined
        if character not in joined:
            return []
        if self.count == 1:
            return [joined]
        if isinstance(self._ends, list):
            return [w for w in map(self.word, range(self.count)) if character in w]
        places = np.flatnonzero(_codes(joined) == ord(character))
        all_starts, all_ends = np.asarray(self._starts), np.asarray(self._ends)
        which = np.unique(np.searchsorted(all_ends, places, side="right"))
        starts: list[int] = all_starts[which].tolist()
        ends: list[int] = all_ends[which].tolist()
        return list(map(joined.__getitem__, map(slice, starts, ends)))


def _codes(text: str) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint32]:
    """The code points of ``text`` as an array: bytes for ASCII, else 32-bit."""
    import numpy as np

    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


_TABLES: list[npt.NDArray[np.bool_]] = []


def _tables() -> list[npt.NDArray[np.bool_]]:
    if not _TABLES:
        import numpy as np

        for characters in (WHITESPACE, _JOINABLE):
            table = np.zeros(WHITESPACE_END + 1, dtype=bool)
            table[[ord(c) for c in characters]] = True
            _TABLES.append(table)
    return _TABLES


def _whitespace_table() -> npt.NDArray[np.bool_]:
    """Is this code point whitespace (the last entry stands for WHITESPACE_END and above)."""
    return _tables()[0]


def _joinable_table() -> npt.NDArray[np.bool_]:
    """Is this code point whitespace a cluster may join (the last entry: WHITESPACE_END and
    above)."""
    return _tables()[1]
