"""X (Twitter) weighted length: twitter-text's ``parseTweet`` with its configs v1, v2 and v3.

The weighting: the text is NFC-normalised; each URL twitter-text finds counts
``transformed_url_length``; with emoji parsing (v3) each emoji sequence (ZWJ sequences, skin
tones, flags, keycaps, tag sequences) counts ``default_weight``; every other code point weighs
the weight of the range it falls in, else ``default_weight``. Weights are in units of
``1/scale`` characters. U+FFFE, U+FEFF and U+FFFF make a text invalid, and so does an empty text.
"""

from __future__ import annotations

import unicodedata

import regex
from pydantic import BaseModel, ConfigDict, Field, model_validator

from smmkit.errors import ValidationError

from ._extract import extract_urls_with_indices
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
# 140-character config of js/src/configs (every code point weighs 1, no ranges).
X_CONFIGS: dict[str, XConfig] = {
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
_INVALID_CHARS = frozenset("\ufffe\ufeff\uffff")


def _resolve(config: str | XConfig) -> XConfig:
    if isinstance(config, XConfig):
        return config
    if isinstance(config, str):
        return XConfig.named(config)
    raise ValidationError("config", config, "must be 'v1', 'v2', 'v3' or an XConfig")


_WEIGHT_CACHE: dict[tuple[WeightRange, ...], tuple[tuple[int, int, int], ...]] = {}


def parse_x(text: str, config: str | XConfig = "v3") -> XParseResult:
    """Measure ``text`` as X does (twitter-text's ``parseTweet``).

    ``config`` is ``"v3"`` (default: 280 weighted characters, emoji count 2), ``"v2"``, ``"v1"``
    (legacy 140) or an :class:`XConfig`.

    >>> parse_x("Ciao 👋 https://fornoaurora.it/menu").weighted_length
    31

    Complexity: O(n) in the length of the text after the URL scan.
    """
    _check_text(text)
    cfg = _resolve(config)
    normalized = text if text.isascii() else unicodedata.normalize("NFC", text)
    scale = cfg.scale
    limit = cfg.max_weighted_length * scale
    url_weight = cfg.transformed_url_length * scale
    default_weight = cfg.default_weight
    ranges = [(r.start, r.end, r.weight) for r in cfg.ranges]

    # Spans (start, end, weight) counted as a whole: URLs, then emoji outside URLs.
    spans: dict[int, tuple[int, int]] = {}
    if "." in normalized:
        for url in extract_urls_with_indices(normalized):
            spans[url.start] = (url.end, url_weight)
    if cfg.emoji_parsing and not normalized.isascii():
        for match in _EMOJI.finditer(normalized):
            spans.setdefault(match.start(), (match.end(), default_weight))

    weighted = 0
    valid = True
    valid_index = 0
    index = 0
    length = len(normalized)
    while index < length:
        span = spans.get(index)
        if span is not None:
            end, weight = span
            weighted += weight
            index = end - 1
        else:
            code = ord(normalized[index])
            weight = default_weight
            for start, stop, range_weight in ranges:
                if start <= code <= stop:
                    weight = range_weight
                    break
            weighted += weight
        if valid and normalized[index] in _INVALID_CHARS:
            valid = False
        if valid and weighted <= limit:
            valid_index = index
        index += 1

    valid = valid and 0 < weighted <= limit
    valid_index += len(text) - len(normalized)
    return XParseResult.model_construct(
        weighted_length=-(-weighted // scale),
        valid=valid,
        permillage=(weighted * 1000) // limit if limit else 0,
        display_range=(0, len(text) - 1 if text else 0),
        valid_range=(0, valid_index),
    )
