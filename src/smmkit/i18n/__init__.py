"""Localisation: message catalogs (gettext ``.po`` files read with Babel) and locale-aware
numbers, percentages, money, dates and weekday names.

``localizer("it-IT")`` returns a :class:`Localizer`; its ``_()`` translates a message and its
``percent()``, ``currency()``, ``date()``... format by the locale's rules (``4,83%``,
``1.500,00 €``, ``lunedì 7 dicembre``). Catalogs ship for Italian and English; another language
is a ``<lang>/LC_MESSAGES/smmkit.po`` file in the package's ``locales`` folder or in a folder
named by the ``SMMKIT_LOCALE_PATH`` environment variable (no code change). Babel is imported on
first use, never by ``import smmkit``. See ``docs/reports.md``.
"""

from ._catalog import (
    DOMAIN,
    LOCALE_PATH_ENV,
    Localizer,
    available_languages,
    catalog_dirs,
    localizer,
    normalize_locale,
)
from ._labels import KPI_LABELS, METRIC_LABELS, N_, VALUE_LABELS, kpi_label, label, metric_label

__all__ = [
    "DOMAIN",
    "KPI_LABELS",
    "LOCALE_PATH_ENV",
    "METRIC_LABELS",
    "N_",
    "VALUE_LABELS",
    "Localizer",
    "available_languages",
    "catalog_dirs",
    "kpi_label",
    "label",
    "localizer",
    "metric_label",
    "normalize_locale",
]
