"""Message catalogs and locale formatting (Babel, imported lazily)."""

from __future__ import annotations

import copy
import datetime as dt
import gettext
import io
import os
import re
import threading
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from smmkit.errors import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from smmkit.models import Money, Weekday

__all__ = [
    "DOMAIN",
    "LOCALE_PATH_ENV",
    "Localizer",
    "available_languages",
    "catalog_dirs",
    "localizer",
    "normalize_locale",
]

DOMAIN = "smmkit"
"""The gettext domain: catalogs are ``<dir>/<lang>/LC_MESSAGES/smmkit.po``."""
LOCALE_PATH_ENV = "SMMKIT_LOCALE_PATH"
"""Environment variable: extra catalog folders (``os.pathsep``-separated), searched first."""

_PACKAGE_DIR = Path(__file__).resolve().parent / "locales"
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")
_LOCK = threading.Lock()


def normalize_locale(tag: str) -> str:
    """``"it-IT"``, ``"it_it"`` or ``"it"`` → Babel/gettext form (``"it_IT"``, ``"it"``).

    Raises :class:`~smmkit.errors.ValidationError` for anything that is not a BCP 47-like tag.
    """
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise ValidationError(
            "locale",
            tag,
            "is not a locale tag",
            hint='use a language code with an optional region, like "it-IT" or "en"',
        )
    parts = re.split(r"[-_]", tag)
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p)
    return "_".join(out)


def catalog_dirs() -> tuple[Path, ...]:
    """Folders searched for catalogs, first match wins: those in ``SMMKIT_LOCALE_PATH``, then
    the package's own ``locales`` folder."""
    extra = [Path(p) for p in os.environ.get(LOCALE_PATH_ENV, "").split(os.pathsep) if p]
    return (*extra, _PACKAGE_DIR)


def available_languages() -> tuple[str, ...]:
    """Languages (catalog folder names, e.g. ``"it"``) that have a catalog, sorted."""
    found: set[str] = set()
    for d in catalog_dirs():
        if d.is_dir():
            for sub in d.iterdir():
                if (sub / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
                    found.add(sub.name)
    return tuple(sorted(found))


def _po_path(name: str) -> Path | None:
    for d in catalog_dirs():
        p = d / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=64)
def _load_po(path: Path, mtime: float) -> gettext.GNUTranslations:
    """Read a ``.po`` file with Babel and compile it in memory (fuzzy entries are left out, so
    an unfinished translation falls back to the next catalog)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:  # babel raises several kinds for a malformed file
        raise ValidationError(
            "catalog", str(path), f"is not a readable gettext catalog ({exc})"
        ) from exc
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def _translations(locale: str) -> gettext.NullTranslations:
    """The chain ``it_IT`` → ``it`` → ``en`` → the message ids themselves."""
    names: list[str] = []
    parts = locale.split("_")
    for k in range(len(parts), 0, -1):
        names.append("_".join(parts[:k]))
    if "en" not in names:
        names.append("en")
    chain: gettext.NullTranslations | None = None
    last: gettext.NullTranslations | None = None
    for name in names:
        path = _po_path(name)
        if path is None:
            continue
        t = copy.copy(_load_po(path, path.stat().st_mtime))
        t._fallback = None  # type: ignore[attr-defined]  # fresh chain per localizer
        if chain is None:
            chain = t
        else:
            assert last is not None
            last.add_fallback(t)
        last = t
    return chain or gettext.NullTranslations()


Width = Literal["wide", "abbreviated", "short", "narrow"]


class Localizer:
    """Messages and formats for one locale. Get one with :func:`localizer` (cached).

    ``_("Top posts")`` translates; ``_("{n} posts", n=3)`` translates, then fills the named
    fields (values are inserted as they are, never re-read as a template). ``n_()`` chooses the
    plural form of the language.
    """

    __slots__ = ("_babel", "_t", "language", "locale", "tag")

    def __init__(self, locale: str) -> None:
        self.locale = normalize_locale(locale)
        self.language = self.locale.split("_")[0]
        self.tag = self.locale.replace("_", "-")
        self._t = _translations(self.locale)
        self._babel: Locale | None = None

    def __repr__(self) -> str:
        return f"Localizer({self.tag!r})"

    @property
    def babel(self) -> Locale:
        """The Babel ``Locale`` (a locale Babel does not know formats as its language, then as
        English)."""
        if self._babel is None:
            from babel import Locale, UnknownLocaleError

            try:
                self._babel = Locale.parse(self.locale)
            except (UnknownLocaleError, ValueError):
                try:
                    self._babel = Locale.parse(self.language)
                except (UnknownLocaleError, ValueError):
                    self._babel = Locale.parse("en")
        return self._babel

    # ------------------------------------------------------------------ messages
    def _(self, message: str, /, **values: object) -> str:
        text = self._t.gettext(message)
        return text.format_map(values) if values else text

    def n_(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text.format_map({"n": self.integer(n), **values})

    def translated(self, message: str) -> bool:
        """Whether a catalog of this locale's chain has ``message`` (English included)."""
        t: gettext.NullTranslations | None = self._t
        while t is not None:
            if message in getattr(t, "_catalog", {}):
                return True
            t = getattr(t, "_fallback", None)
        return False

    # ------------------------------------------------------------------ numbers
    def _pattern(self, kind: Literal["decimal", "percent"], digits: int) -> Any:
        from babel.numbers import parse_pattern

        formats = self.babel.decimal_formats if kind == "decimal" else self.babel.percent_formats
        p = copy.copy(parse_pattern(formats[None]))
        p.frac_prec = (digits, digits)
        return p

    def integer(self, value: int) -> str:
        """``1500`` → ``1.500`` (it) / ``1,500`` (en)."""
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.babel))

    def number(self, value: float | Decimal, digits: int = 2) -> str:
        """A number with exactly ``digits`` decimals, grouped by the locale."""
        return str(self._pattern("decimal", digits).apply(Decimal(str(value)), self.babel))

    def percent(self, fraction: float | None, digits: int = 2) -> str:
        """A rate given as a fraction: ``0.0483`` → ``4,83%`` (it) / ``4.83%`` (en); ``None``
        → an en dash."""
        if fraction is None:
            return "–"
        return str(self._pattern("percent", digits).apply(Decimal(str(fraction)), self.babel))

    def currency(self, amount: Money | Decimal | float, currency: str | None = None) -> str:
        """Money by the locale: ``1.500,00 €`` (it), ``€1,500.00`` (en)."""
        from babel.numbers import format_currency

        from smmkit.models import Money

        if isinstance(amount, Money):
            value, code = amount.amount, amount.currency
        else:
            if currency is None:
                raise ValidationError("currency", None, "is required for a bare amount")
            value, code = Decimal(str(amount)), currency
        return str(format_currency(value, code, locale=self.babel))

    # ------------------------------------------------------------------ dates
    def date(
        self, value: dt.date, format: Literal["short", "medium", "long", "full"] = "long"
    ) -> str:
        from babel.dates import format_date

        return str(format_date(value, format=format, locale=self.babel))

    def date_pattern(self, value: dt.date, pattern: str) -> str:
        """``value`` by a CLDR date pattern (``"EEEE d MMMM"``), names in the locale."""
        from babel.dates import format_date

        return str(format_date(value, format=pattern, locale=self.babel))

    def day_month(self, value: dt.date, *, weekday: bool = True) -> str:
        """``lunedì 7 dicembre`` / ``Monday 7 December``: the catalog holds the CLDR pattern,
        so each language orders the parts its own way."""
        pattern = self._("EEEE d MMMM") if weekday else self._("d MMMM")
        return self.date_pattern(value, pattern)

    def month_year(self, year: int, month: int) -> str:
        """``dicembre 2026`` / ``December 2026``."""
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMMM", dt.date(year, month, 1), locale=self.babel))

    def time(self, value: dt.time | dt.datetime) -> str:
        """``09:30`` / ``9:30 AM`` by the locale's short time format."""
        from babel.dates import format_time

        return str(format_time(value, format="short", locale=self.babel))

    def datetime(self, value: dt.datetime) -> str:
        return f"{self.date(value.date(), 'medium')} {self.time(value)}"

    def weekday(self, day: Weekday | int, width: Width = "wide") -> str:
        """Weekday name (``day`` is a :class:`~smmkit.models.Weekday` or 0 = Monday)."""
        index = day if isinstance(day, int) else _weekday_index(day)
        names: Mapping[int, str] = self.babel.days["format"][width]
        return str(names[index])


def _weekday_index(day: Weekday) -> int:
    from smmkit.models import Weekday

    return list(Weekday).index(day)


def localizer(locale: str) -> Localizer:
    """The :class:`Localizer` for a locale tag (``"it-IT"``, ``"en"``), cached per tag."""
    key = (normalize_locale(locale), catalog_dirs())
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is None:
            hit = _CACHE[key] = Localizer(key[0])
    return hit


_CACHE: dict[tuple[str, tuple[Path, ...]], Localizer] = {}
