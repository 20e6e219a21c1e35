"""X (Twitter) weighted length: twitter-text's ``parseTweet`` with its configs v1, v2 and v3.

The weighting: the text is NFC-normalised; each URL twitter-text finds counts
``transformed_url_length``; with emoji parsing (v3) each emoji sequence (ZWJ sequences, skin
tones, flags, keycaps, tag sequences) counts ``default_weight``; every other code point weighs
the weight of the range it falls in, else ``default_weight``. Weights are in units of
``1/scale`` characters. U+FFFE, U+FEFF and U+FFFF make a text invalid, and so does an empty text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

import regex
from pydantic import BaseModel, ConfigDict, Field, model_validator

from smmkit.errors import ValidationError

from ._extract import _url_spans
from ._graphemes import _check_text

__all__ = ["X_CONFIGS", "WeightRange", "XConfig", "XParseResult", "parse_x"]


class WeightRange(BaseModel):
    """Code points ``start..end`` (both inclusive) weigh ``weight`` (in ``1/scale`` units)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0, le=0x10FFFF)
    end: int = Field(ge=0, le=0x10FFFF)
    weight: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> WeightRange:
        if self.end < self.start:
            raise ValidationError("end", self.end, f"must be >= start ({self.start})")
        return self


# twitter-text's weight-1 ranges (config/v2.json and config/v3.json): Latin-1 up to U+10FF,
# U+2000-U+200D (spaces, ZWJ), U+2010-U+201F (dashes, quotes), U+2032-U+2037 (primes).
_STANDARD_RANGES = (
    WeightRange(start=0, end=4351, weight=100),
    WeightRange(start=8192, end=8205, weight=100),
    WeightRange(start=8208, end=8223, weight=100),
    WeightRange(start=8242, end=8247, weight=100),
)


class XConfig(BaseModel):
    """A twitter-text weighting configuration (the fields of its ``config/v*.json``).

    Start from a named one and override what differs, e.g. an X Premium account::

        XConfig.named("v3").model_copy(update={"max_weighted_length": 25_000})

    or simply ``XConfig(max_weighted_length=25_000)`` (the other fields default to v3).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(default=3, ge=0)
    max_weighted_length: int = Field(default=280, ge=0)
    scale: int = Field(default=100, ge=1)
    default_weight: int = Field(default=200, ge=0)
    transformed_url_length: int = Field(default=23, ge=0)
    emoji_parsing: bool = True
    ranges: tuple[WeightRange, ...] = _STANDARD_RANGES

    @classmethod
    def named(cls, name: str) -> XConfig:
        """The config called ``name``: ``"v1"``, ``"v2"`` or ``"v3"`` (the current default)."""
        try:
            return X_CONFIGS[name]
        except KeyError:
            raise ValidationError(
                "config", name, f"must be one of {sorted(X_CONFIGS)} or an XConfig"
            ) from None


# The values of twitter-text's configurations. v2 and v3 are config/v2.json and config/v3.json
# of https://github.com/twitter/twitter-text (Apache-2.0, commit 30e2430d); v1 is the legacy
# 140-character config of js/src/configs (every code point weighs 1, no ranges). Read-only.
X_CONFIGS: Mapping[str, XConfig] = MappingProxyType(
    {
        "v1": XConfig(
            version=1,
            max_weighted_length=140,
            scale=1,
            default_weight=1,
            transformed_url_length=23,
            emoji_parsing=False,
            ranges=(),
        ),
        "v2": XConfig(version=2, emoji_parsing=False),
        "v3": XConfig(version=3, emoji_parsing=True),
    }
)


class XParseResult(BaseModel):
    """What ``parse_x`` measured.

    ``weighted_length`` is in characters (weights divided by the scale, rounded up);
    ``permillage`` is the share of the limit used, in thousandths, rounded down. The ranges are
    Python code-point indices into the text as given, both ends INCLUSIVE as in twitter-text:
    ``display_range`` spans the whole text and ``valid_range`` the part that fits the limit
    (``text[valid_range[0]:valid_range[1] + 1]``). An empty text gives ``(0, 0)`` for both.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]


# An emoji sequence as twemoji counts it (UTS #51 shapes), from the regex module's Unicode
# emoji properties. A character that is text by default (©, ®, digits) counts as emoji only with
# U+FE0F or as a keycap base.
_EMOJI_ELEMENT = (
    "(?:"
    "[#*0-9]\\ufe0f?\\u20e3"
    "|\\p{Regional_Indicator}\\p{Regional_Indicator}"
    "|(?:[\\xa9\\xae]\\ufe0f|(?![\\xa9\\xae])\\p{Extended_Pictographic}|\\p{Emoji_Modifier})"
    "(?:\\p{Emoji_Modifier}|\\ufe0f)?"
    "(?:[\\U000e0020-\\U000e007e]+\\U000e007f)?"
    ")"
)
_EMOJI = regex.compile(f"{_EMOJI_ELEMENT}(?:\\u200d{_EMOJI_ELEMENT})*", regex.VERSION0)
# Where an emoji sequence can start: a keycap base before U+20E3, or a character of this class,
# which holds every Extended_Pictographic character, emoji modifier and regional indicator
# (tests/text checks it against the regex module's Unicode data). The emoji pattern is tried
# only there, which spares scanning most text.
_EMOJI_START = re.compile(
    "[#*0-9]\ufe0f?\u20e3|[\xa9\xae\u203c\u2049\u2122-\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001ffff]"
)


def _emoji_spans(text: str) -> list[tuple[int, int]]:
    """The emoji sequences of ``text``, as a left-to-right scan with ``_EMOJI`` finds them.

    The scan starts at the first place a sequence can start (most text has none); from there
    the pattern's own scan is cheaper than one match call per sequence in a text dense with
    emoji, and hardly dearer in plain text (its first element rejects a position at once).
    """
    first = _EMOJI_START.search(text)
    if first is None:
        return []
    return [m.span() for m in _EMOJI.finditer(text, first.start())]


def _outside(
    emoji: list[tuple[int, int, int]], urls: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """The emoji sequences that do not start inside a URL (both lists sorted, one merge pass)."""
    kept = []
    u = 0
    for e in emoji:
        while u < len(urls) and urls[u][1] <= e[0]:
            u += 1
        if u < len(urls) and urls[u][0] <= e[0]:
            continue
        kept.append(e)
    return kept


_INVALID_CHARS = "\ufffe\ufeff\uffff"


def _resolve(config: str | XConfig) -> XConfig:
    if isinstance(config, str):
        named = X_CONFIGS.get(config)
        if named is not None:
            return named
        return XConfig.named(config)
    if isinstance(config, XConfig):
        return config
    raise ValidationError("config", config, "must be 'v1', 'v2', 'v3' or an XConfig")


class _Weights:
    """A config's weights prepared for fast counting.

    ``weight_of(code)`` is twitter-text's ``getCharacterWeight`` (the first range that holds the
    code point wins). When every range has the same weight (true of the published configs), a
    run of plain text weighs ``inside * len(run) + (default - inside) * outside_count`` where
    ``outside_count`` is found by one regex scan.
    """

    def __init__(self, config: XConfig) -> None:
        self.default = config.default_weight
        self.ranges = [(r.start, r.end, r.weight) for r in config.ranges]
        weights = {weight for _, _, weight in self.ranges}
        self.uniform: int | None = weights.pop() if len(weights) == 1 else None
        self.outside: re.Pattern[str] | None = None
        self.ascii_inside = False
        if self.uniform is not None:
            spans = "".join(
                f"{_class_char(start)}-{_class_char(end)}" for start, end, _ in self.ranges
            )
            self.outside = re.compile(f"[^{spans}]")
            self.ascii_inside = all(self.weight_of(code) == self.uniform for code in range(128))
        elif not self.ranges:
            self.uniform = self.default
            self.ascii_inside = True

    def weight_of(self, code: int) -> int:
        for start, end, weight in self.ranges:
            if start <= code <= end:
                return weight
        return self.default

    def run(self, text: str, start: int, end: int) -> int:
        """The weight of the plain text ``text[start:end]``."""
        length = end - start
        if length <= 0:
            return 0
        uniform = self.uniform
        if uniform is not None:
            if self.outside is None:
                return uniform * length
            chunk = text[start:end]
            if self.ascii_inside and chunk.isascii():
                return uniform * length
            return uniform * length + (self.default - uniform) * len(self.outside.findall(chunk))
        return sum(self.weight_of(ord(char)) for char in text[start:end])


def _class_char(code: int) -> str:
    return f"\\U{code:08x}"


_PREPARED: dict[int, tuple[XConfig, _Weights]] = {}


def _weights(config: XConfig) -> _Weights:
    entry = _PREPARED.get(id(config))
    if entry is not None and entry[0] is config:
        return entry[1]
    if len(_PREPARED) > 64:
        _PREPARED.clear()
    prepared = _Weights(config)
    _PREPARED[id(config)] = (config, prepared)
    return prepared


def parse_x(text: str, config: str | XConfig = "v3") -> XParseResult:
    """Measure ``text`` as X does (twitter-text's ``parseTweet``).

    ``config`` is ``"v3"`` (default: 280 weighted characters, emoji count 2), ``"v2"``, ``"v1"``
    (legacy 140) or an :class:`XConfig`.

    >>> parse_x("Ciao 👋 https://fornoaurora.it/menu").weighted_length
    31

    Complexity: O(n). The text is cut into units (URLs, emoji sequences, runs of plain text);
    plain runs are weighed in bulk, character by character only where the limit falls.
    """
    _check_text(text)
    cfg = _resolve(config)
    weights = _weights(cfg)
    normalized = text if text.isascii() else unicodedata.normalize("NFC", text)
    length = len(normalized)
    scale = cfg.scale
    limit = cfg.max_weighted_length * scale

    # Units counted as a whole: (start, end, weight), in text order, not overlapping.
    units: list[tuple[int, int, int]] = []
    if "." in normalized:
        url_weight = cfg.transformed_url_length * scale
        units = [(start, end, url_weight) for _, start, end in _url_spans(normalized)]
    if cfg.emoji_parsing and not normalized.isascii():
        emoji = [(start, end, cfg.default_weight) for start, end in _emoji_spans(normalized)]
        units = sorted(units + _outside(emoji, units)) if units else emoji

    # The first invalid character ends the valid range (and makes the text invalid).
    cut = length
    for char in _INVALID_CHARS:
        found = normalized.find(char)
        if found != -1 and found < cut:
            cut = found

    weighted = 0
    valid_index = 0
    filling = True  # still inside the valid range
    position = 0
    for start, end, weight in (*units, (length, length, 0)):
        run = weights.run(normalized, position, start)
        if filling:
            if weighted + run <= limit and start <= cut:
                if start > position:
                    valid_index = start - 1
            else:
                filling = False
                valid_index = _last_fitting(
                    normalized, position, min(start, cut), weighted, limit, weights, valid_index
                )
        weighted += run
        if start < end:
            weighted += weight
            if filling:
                if weighted <= limit and end - 1 < cut:
                    valid_index = end - 1
                else:
                    filling = False
        position = end

    valid = cut == length and 0 < weighted <= limit
    valid_index += len(text) - len(normalized)
    return XParseResult(
        weighted_length=-(-weighted // scale),
        valid=valid,
        permillage=(weighted * 1000) // limit if limit else 0,
        display_range=(0, len(text) - 1 if text else 0),
        valid_range=(0, valid_index),
    )


def _last_fitting(
    text: str, start: int, stop: int, weighted: int, limit: int, weights: _Weights, current: int
) -> int:
    """Walk ``text[start:stop]`` from ``weighted``: the index of the last character that fits."""
    for index in range(start, stop):
        weighted += weights.weight_of(ord(text[index]))
        if weighted > limit:
            break
        current = index
    return current
