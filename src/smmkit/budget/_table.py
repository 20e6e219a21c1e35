"""``LineTable``: many allocation lines as columns (names, curve parameters, bounds)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from smmkit.errors import ValidationError
from smmkit.models._money import CURRENCY_MINOR_UNITS

__all__ = ["LineTable"]

# the families a table can hold (smooth curves with array kernels) and each parameter's rule:
# (lowest, lowest allowed, highest, highest allowed); every value must be finite
_RULES: dict[str, dict[str, tuple[float, bool, float, bool]]] = {
    "hill": {
        "slope": (0.0, False, 20.0, True),
        "half_saturation": (0.0, False, np.inf, False),
        "top": (0.0, False, np.inf, False),
    },
    "logistic": {"lam": (0.0, False, np.inf, False), "top": (0.0, False, np.inf, False)},
    "exponential": {"rate": (0.0, False, np.inf, False), "top": (0.0, False, np.inf, False)},
    "power": {
        "coefficient": (0.0, False, np.inf, False),
        "exponent": (0.0, False, 1.0, False),
    },
}
_LIMIT = float(2**53)  # whole minor units held exactly by the solvers


def _rule_text(lo: float, lo_ok: bool, hi: float, hi_ok: bool) -> str:
    low = f">= {lo:g}" if lo_ok else f"> {lo:g}"
    if hi == np.inf:
        return f"must be finite and {low}"
    return f"must be finite, {low} and {'<=' if hi_ok else '<'} {hi:g}"


class LineTable:
    """Lines for :func:`~smmkit.budget.allocate` as columns, for thousands of lines held in arrays
    (a data frame's columns, say): no :class:`~smmkit.budget.Line` object per line to build or read.

    ``names``: one unique name per line (1 to 200 characters). ``family``: the curve family of
    every line (``"hill"``, ``"logistic"``, ``"exponential"`` or ``"power"``), or one per line.
    ``params``: one array per parameter of those families (the fields of :class:`Hill`,
    :class:`LogisticSaturation`, :class:`ExponentialSaturation`, :class:`Power`), one value per line
    (with several families, a line's value of another family's parameter is ignored: NaN will do).
    ``minimum_units``/``maximum_units``: optional bounds in whole minor units of ``currency``
    (``maximum_units`` may hold ``inf`` for no maximum). ``current_units``: each line's current
    spend in whole minor units (NaN: none), which ``min_ratio``/``max_ratio`` (NaN: none) and
    ``locked`` (booleans) refer to, as the fields of :class:`~smmkit.budget.Line`; ``group``: each
    line's group name (``None``: no group), capped by the ``groups`` given to
    :func:`~smmkit.budget.allocate`. The rules are those of the curve models and of
    :class:`~smmkit.budget.Line`; a bad value raises :class:`~smmkit.errors.ValidationError`
    naming the column and the line.

    >>> t = LineTable(["a", "b"], "exponential", {"rate": [0.01, 0.02], "top": [100, 80]},
    ...               maximum_units=[5_000, np.inf], currency="EUR")
    >>> len(t), t.names
    (2, ('a', 'b'))
    """

    __slots__ = (
        "_blocks",
        "_current",
        "_families",
        "_has_current",
        "_has_hi",
        "_hi",
        "_lo",
        "_locked",
        "_max_ratio",
        "_min_ratio",
        "currency",
        "groups",
        "names",
    )

    names: tuple[str, ...]
    currency: str
    groups: tuple[str | None, ...] | None
    """Each line's group name (``None``: no group), or ``None`` when no line has a group."""
    _families: list[str]
    _blocks: list[tuple[str, npt.NDArray[np.intp], npt.NDArray[np.float64]]]
    _lo: npt.NDArray[np.int64]
    _hi: npt.NDArray[np.int64]
    _has_hi: npt.NDArray[np.bool_]
    _current: npt.NDArray[np.int64]
    _has_current: npt.NDArray[np.bool_]
    _min_ratio: npt.NDArray[np.float64]
    _max_ratio: npt.NDArray[np.float64]
    _locked: npt.NDArray[np.bool_]

    def __init__(
        self,
        names: Sequence[str],
        family: str | Sequence[str],
        params: Mapping[str, npt.ArrayLike],
        *,
        minimum_units: npt.ArrayLike | None = None,
        maximum_units: npt.ArrayLike | None = None,
        current_units: npt.ArrayLike | None = None,
        min_ratio: npt.ArrayLike | None = None,
        max_ratio: npt.ArrayLike | None = None,
        locked: npt.ArrayLike | None = None,
        group: Sequence[str | None] | None = None,
        currency: str,
    ) -> None:
        if currency not in CURRENCY_MINOR_UNITS:
            raise ValidationError("currency", currency, "must be an ISO 4217 currency code")
        names = tuple(names)
        n = len(names)
        if n == 0:
            raise ValidationError("names", names, "at least one line is needed")
        if set(map(type, names)) != {str}:
            bad = next(i for i, v in enumerate(names) if type(v) is not str)
            raise ValidationError(f"names[{bad}]", names[bad], "must be a string")
        lengths = list(map(len, names))
        if not (min(lengths) >= 1 and max(lengths) <= 200):
            bad = next(i for i, k in enumerate(lengths) if not 1 <= k <= 200)
            raise ValidationError(f"names[{bad}]", names[bad], "must have 1 to 200 characters")
        if len(set(names)) != n:
            dup = sorted(v for v, k in Counter(names).items() if k > 1)[0]
            raise ValidationError("lines.name", dup, "line names must be unique")
        if isinstance(family, str):
            kinds = [family]
            fams: npt.NDArray[np.intp] = np.zeros(n, dtype=np.intp)
        else:
            family = list(family)
            if len(family) != n:
                raise ValidationError("family", len(family), f"needs one family per line ({n})")
            kinds = list(dict.fromkeys(family))
            code = {f: c for c, f in enumerate(kinds)}
            fams = np.fromiter(map(code.__getitem__, family), np.intp, n)
        for f in kinds:
            if f not in _RULES:
                raise ValidationError(
                    "family",
                    f,
                    f"must be one of {', '.join(_RULES)} (other curves need Line objects)",
                )
        needed = {p for f in kinds for p in _RULES[f]}
        unknown = set(params) - {p for rules in _RULES.values() for p in rules}
        if unknown:
            raise ValidationError("params", sorted(unknown)[0], "is not a curve parameter")
        missing = needed - set(params)
        if missing:
            raise ValidationError("params", sorted(missing)[0], "is missing (one value per line)")
        columns: dict[str, npt.NDArray[np.float64]] = {}
        for p in sorted(needed):
            col = np.asarray(params[p], dtype=np.float64)
            if col.shape != (n,):
                raise ValidationError(f"params.{p}", col.shape, f"needs one value per line ({n})")
            columns[p] = col
        # one block per family, in order of first appearance: (family, lines, parameter table)
        blocks: list[tuple[str, npt.NDArray[np.intp], npt.NDArray[np.float64]]] = []
        for c, f in enumerate(kinds):
            where = np.arange(n, dtype=np.intp) if len(kinds) == 1 else np.flatnonzero(fams == c)
            table = np.empty((where.size, len(_RULES[f])))
            for j, (p, (lo, lo_ok, hi, hi_ok)) in enumerate(_RULES[f].items()):
                v = columns[p] if len(kinds) == 1 else columns[p][where]
                with np.errstate(invalid="ignore"):
                    ok = np.isfinite(v) & ((v >= lo) if lo_ok else (v > lo))
                    ok &= (v <= hi) if hi_ok else (v < hi)
                if not ok.all():
                    i = int(where[int(np.argmin(ok))])
                    raise ValidationError(
                        f"params.{p}[{i}]",
                        float(columns[p][i]),
                        f"{_rule_text(lo, lo_ok, hi, hi_ok)} ({f} curve of line {names[i]!r})",
                    )
                table[:, j] = v
            blocks.append((f, where, table))
        lo_units = np.zeros(n, dtype=np.int64)
        hi_units = np.zeros(n, dtype=np.int64)
        has_hi = np.zeros(n, dtype=bool)
        if minimum_units is not None:
            lo_units = _units("minimum_units", minimum_units, names, allow_inf=False)[0]
        if maximum_units is not None:
            hi_units, has_hi = _units("maximum_units", maximum_units, names, allow_inf=True)
        current = np.zeros(n, dtype=np.int64)
        has_current = np.zeros(n, dtype=bool)
        if current_units is not None:
            current, has_current = _units("current_units", current_units, names, allow_nan=True)
        ratios = [
            _ratios(f, v, names) for f, v in (("min_ratio", min_ratio), ("max_ratio", max_ratio))
        ]
        locks = np.zeros(n, dtype=bool)
        if locked is not None:
            locks = np.array(locked)
            if locks.shape != (n,) or locks.dtype != np.bool_:
                raise ValidationError(
                    "locked",
                    locks.shape if locks.shape != (n,) else locks.dtype.name,
                    f"needs one boolean per line ({n})",
                )
        for field, needs in (
            ("min_ratio", ~np.isnan(ratios[0])),
            ("max_ratio", ~np.isnan(ratios[1])),
            ("locked", locks),
        ):
            orphan = needs & ~has_current
            if orphan.any():
                i = int(np.argmax(orphan))
                raise ValidationError(
                    f"{field}[{i}]",
                    bool(locks[i]) if field == "locked" else float(ratios[field == "max_ratio"][i]),
                    f"needs a current spend (line {names[i]!r}: current_units is NaN or missing)",
                    hint="give current_units for that line, or drop its ratio or lock",
                )
        groups = None if group is None else _group_names(group, names)
        for slot, value in (
            ("names", names),
            ("currency", currency),
            ("groups", groups),
            ("_families", kinds),
            ("_blocks", blocks),
            ("_lo", lo_units),
            ("_hi", hi_units),
            ("_has_hi", has_hi),
            ("_current", current),
            ("_has_current", has_current),
            ("_min_ratio", ratios[0]),
            ("_max_ratio", ratios[1]),
            ("_locked", locks),
        ):
            object.__setattr__(self, slot, value)
        for arr in (
            lo_units,
            hi_units,
            has_hi,
            current,
            has_current,
            *ratios,
            locks,
            *(b[1] for b in blocks),
            *(b[2] for b in blocks),
        ):
            arr.flags.writeable = False  # the table's own copies, read-only

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"LineTable is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"LineTable is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (tuple(getattr(self, s) for s in self.__slots__),))

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"LineTable({len(self.names)} lines, {', '.join(self._families)}, {self.currency})"


def _restore(values: tuple[Any, ...]) -> LineTable:
    out = object.__new__(LineTable)
    for slot, value in zip(LineTable.__slots__, values, strict=True):
        object.__setattr__(out, slot, value)
    return out


def _units(
    field: str,
    values: npt.ArrayLike,
    names: tuple[str, ...],
    *,
    allow_inf: bool = False,
    allow_nan: bool = False,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Whole minor units (and where they are finite) from an array of counts (``inf`` or NaN
    for none where allowed)."""
    arr = np.array(values, dtype=np.float64)
    n = len(names)
    if arr.shape != (n,):
        raise ValidationError(field, arr.shape, f"needs one value per line ({n})")
    finite = np.isfinite(arr)
    with np.errstate(invalid="ignore"):
        whole = (arr == np.floor(arr)) & (arr < _LIMIT)
        ok = (arr >= 0) & whole
        if allow_inf:
            ok |= arr == np.inf
        if allow_nan:
            ok |= np.isnan(arr)
    if not ok.all():
        i = int(np.argmin(ok))
        rule = "must be a whole number of minor units, >= 0 and below 2^53"
        none = " (or inf: none)" if allow_inf else " (or NaN: none)" if allow_nan else ""
        raise ValidationError(f"{field}[{i}]", float(arr[i]), f"{rule}{none} (line {names[i]!r})")
    units = np.where(finite, arr, 0.0).astype(np.int64)
    return units, finite


def _ratios(
    field: str, values: npt.ArrayLike | None, names: tuple[str, ...]
) -> npt.NDArray[np.float64]:
    """A ratio per line, finite and >= 0 (NaN: none); all NaN when not given."""
    n = len(names)
    if values is None:
        return np.full(n, np.nan)
    arr = np.array(values, dtype=np.float64)
    if arr.shape != (n,):
        raise ValidationError(field, arr.shape, f"needs one value per line ({n})")
    with np.errstate(invalid="ignore"):
        ok = np.isnan(arr) | (np.isfinite(arr) & (arr >= 0))
    if not ok.all():
        i = int(np.argmin(ok))
        raise ValidationError(
            f"{field}[{i}]",
            float(arr[i]),
            f"must be finite and >= 0 (or NaN: none) (line {names[i]!r})",
        )
    return arr


def _group_names(group: Sequence[str | None], names: tuple[str, ...]) -> tuple[str | None, ...]:
    """Each line's group name (a non-empty string) or ``None``."""
    out = tuple(group)
    if len(out) != len(names):
        raise ValidationError(
            "group", len(out), f"needs one group name or None per line ({len(names)})"
        )
    for i, g in enumerate(out):
        if g is not None and (type(g) is not str or not g):
            raise ValidationError(
                f"group[{i}]", g, f"must be a non-empty string or None (line {names[i]!r})"
            )
    return out


def _table_parts(
    t: LineTable,
) -> tuple[
    list[tuple[str, npt.NDArray[np.intp], npt.NDArray[np.float64]]],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
]:
    """What :func:`allocate` reads from a table: the parameter blocks and the bounds."""
    return t._blocks, t._lo, t._hi, t._has_hi


def _table_currents(
    t: LineTable,
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.bool_],
]:
    """The current spends (minor units, and where given), the ratios and the locks."""
    return t._current, t._has_current, t._min_ratio, t._max_ratio, t._locked
