"""Locale names as callers write them: ``"it-IT"``, ``"it_IT"``, ``"IT"``; typos caught."""

from __future__ import annotations

import difflib
import re
from functools import cache

from smmkit.errors import ValidationError

__all__ = ["normalise_locale"]

# Languages most content is written in: checked without loading Babel (whose import alone
# takes a tenth of a second). Any other language is looked up in CLDR through Babel. A test
# checks that CLDR knows each of these.
_COMMON_LANGUAGES = frozenset(
    [
        "af",
        "am",
        "ar",
        "az",
        "be",
        "bg",
        "bn",
        "bs",
        "ca",
        "cs",
        "cy",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "eu",
        "fa",
        "fi",
        "fil",
        "fr",
        "ga",
        "gl",
        "gu",
        "he",
        "hi",
        "hr",
        "hu",
        "hy",
        "id",
        "is",
        "it",
        "ja",
        "ka",
        "kk",
        "km",
        "kn",
        "ko",
        "ky",
        "lo",
        "lt",
        "lv",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "nb",
        "ne",
        "nl",
        "no",
        "pa",
        "pl",
        "ps",
        "pt",
        "ro",
        "ru",
        "si",
        "sk",
        "sl",
        "sq",
        "sr",
        "sv",
        "sw",
        "ta",
        "te",
        "th",
        "tr",
        "uk",
        "ur",
        "uz",
        "vi",
        "zh",
        "zu",
    ]
)
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_MAX_LENGTH = 35  # BCP 47 tags used for content are short; a longer value is not a locale


@cache
def _languages() -> tuple[frozenset[str], dict[str, str]]:
    """Language codes Babel (CLDR) knows, and their English and Italian names -> code."""
    from babel import Locale, localedata  # lazy: Babel's data is large

    codes = frozenset(identifier.split("_")[0] for identifier in localedata.locale_identifiers())
    names: dict[str, str] = {}
    for reader in ("en", "it"):
        for code, name in Locale(reader).languages.items():
            if code in codes:
                names.setdefault(name.casefold(), code)
    return codes, names


def _suggestion(language: str) -> str:
    codes, names = _languages()
    if language.casefold() in names:
        return f"did you mean {names[language.casefold()]!r}?"
    close = difflib.get_close_matches(language.lower(), sorted(codes), n=3, cutoff=0.6)
    close.sort(key=lambda code: not language.lower().startswith(code))  # "itt": 'it' first
    close += [names[n] for n in difflib.get_close_matches(language.casefold(), list(names), n=2)]
    unique = list(dict.fromkeys(close))[:3]
    if unique:
        return "did you mean " + " or ".join(repr(c) for c in unique) + "?"
    return "use a language code such as 'it' or 'en', optionally with a region: 'it-IT'."


def normalise_locale(value: object, field: str = "locale") -> str:
    """``value`` as a normalised BCP 47 tag (``"it_it"`` -> ``"it-IT"``), or a ValidationError.

    Underscores count as hyphens (POSIX locale names such as ``it_IT``), case is normalised
    (language lower, script title, region upper), and the language must be one CLDR knows: a
    typo gets a "did you mean" (``"itt"`` -> ``'it'``; ``"Italian"`` -> ``'it'``).
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            field, value, "must be a language tag", hint="write it as 'it-IT', 'it' or 'en-GB'."
        )
    raw = value.strip()
    if len(raw) > _MAX_LENGTH:
        raise ValidationError(
            field, value, f"is longer than {_MAX_LENGTH} characters, so not a language tag"
        )
    # POSIX names may carry an encoding and a modifier ("it_IT.UTF-8@euro"): they go.
    parts = re.split(r"[-_]", re.split(r"[.@]", raw)[0])
    language = parts[0].lower()
    normal = "-".join([language] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])
    if language not in _COMMON_LANGUAGES and language not in _languages()[0]:
        raise ValidationError(
            field,
            value,
            f"{parts[0]!r} is not a language code CLDR knows",
            hint=_suggestion(parts[0]),
        )
    if not _LOCALE_RE.match(normal):
        raise ValidationError(
            field,
            value,
            "is not a BCP 47 language tag",
            hint=f"write it as {language!r} or {language + '-' + language.upper()!r}.",
        )
    return normal
