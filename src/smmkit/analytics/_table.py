"""MetricsTable: metric records as numpy columns, with filters, group-by and KPIs.

Counts are float64 columns where NaN means "not reported" (never 0). Text columns (channel,
platform, pillar, format, campaign, post_id) are dictionary-encoded: an int32 code per row and
the list of distinct values (code -1 = missing). Times are epoch seconds (UTC, float64).

Group-by on text keys and on a period (day, week starting Monday, or month) in any IANA timezone
costs O(n log n) (one sort of the combined key); each KPI is then O(n) with ``np.bincount``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from smmkit.errors import ValidationError
from smmkit.models import AdMetrics, Platform, PostMetrics, ValueModel

from ._kpi import KPI_SPECS, KpiValue

__all__ = ["COUNT_COLUMNS", "TEXT_COLUMNS", "KpiRow", "KpiTable", "MetricsTable"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

COUNT_COLUMNS: tuple[str, ...] = (
    "impressions",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
    "video_completions",
    "watch_time_seconds",
    "followers",
    "spend",
    "revenue",
    "conversions",
)
TEXT_COLUMNS: tuple[str, ...] = ("post_id", "channel", "platform", "pillar", "format", "campaign")
_GROUP_KEYS = ("channel", "platform", "pillar", "format", "campaign", "post_id")
_PERIODS = ("day", "week", "month")


class KpiRow(ValueModel):
    """One group's key (e.g. ``{"channel": "instagram", "period": "2026-03-02"}``) and KPIs."""

    key: dict[str, str | None]
    posts: int
    kpis: dict[str, KpiValue]

    def value(self, name: str) -> float | None:
        return self.kpis[name].value


class KpiTable(ValueModel):
    """KPIs per group, groups sorted by key."""

    by: tuple[str, ...]
    rows: tuple[KpiRow, ...]

    def column(self, name: str) -> list[float | None]:
        return [r.kpis[name].value for r in self.rows]


def _to_epoch(value: Any, field: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                field,
                value,
                "must be timezone-aware",
                hint="attach a timezone; smmkit never guesses one",
            )
        return value.timestamp()
    if isinstance(value, str):
        if not value:
            return math.nan
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(field, value, "must be an ISO 8601 timestamp") from None
        return _to_epoch(parsed, field)
    if isinstance(value, bool):
        raise ValidationError(field, value, "must be a timestamp")
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    raise ValidationError(field, value, "must be an aware datetime, ISO string or epoch seconds")


def _offset_at(seconds: float, tz: ZoneInfo) -> float:
    try:
        off = datetime.fromtimestamp(seconds, tz).utcoffset()
    except (OverflowError, ValueError, OSError):
        raise ValidationError(
            "time",
            seconds,
            "lies outside the years 1-9999",
            hint="check the unit of epoch timestamps (seconds, not milliseconds)",
        ) from None
    return off.total_seconds() if off is not None else 0.0


def _offsets(epoch: FloatArray, tz: ZoneInfo) -> FloatArray:
    """UTC offset in seconds of each instant in ``tz``.

    Sparse: one zone lookup per distinct UTC day present in the data, and one per distinct
    instant on the few days whose offset changes; so O(n + distinct days), whatever the span of
    the dates (rows in 1970 and 8307 cost two lookups, not one per day in between).
    """
    finite = np.isfinite(epoch)
    out = np.zeros(epoch.size)
    if not finite.any():
        return out
    values = epoch[finite]
    days, day_of_row = _dense_unique(np.floor(values / 86400.0).astype(np.int64))
    first = np.empty(days.size)
    changes = np.zeros(days.size, dtype=bool)
    for k, day in enumerate(days.tolist()):
        start = _offset_at(day * 86400, tz)
        first[k] = start
        changes[k] = _offset_at(day * 86400 + 86399, tz) != start
    result = first[day_of_row]
    if changes.any():
        rows = changes[day_of_row]
        instants, inverse = np.unique(values[rows], return_inverse=True)
        exact = np.array([_offset_at(float(t), tz) for t in instants.tolist()])
        result[rows] = exact[inverse.reshape(-1)]
    out[finite] = result
    return out


def period_codes(epoch: FloatArray, period: str, tz: str) -> tuple[IntArray, list[str]]:
    """Each instant's local day/week(Monday)/month as an int code and the label of each code."""
    if period not in _PERIODS:
        raise ValidationError("period", period, f"must be one of {', '.join(_PERIODS)}")
    try:
        zone = ZoneInfo(tz)
    except Exception:
        raise ValidationError("tz", tz, "must be an IANA timezone name") from None
    finite = np.isfinite(epoch)
    local = np.where(finite, epoch, 0.0) + _offsets(epoch, zone)
    days = np.floor(local / 86400.0).astype(np.int64)
    if period == "day":
        codes = days
    elif period == "week":
        codes = days - (days + 3) % 7  # 1970-01-01 was a Thursday
    else:
        codes = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    codes = np.where(finite, codes, np.iinfo(np.int64).min)
    return codes, []


def _period_label(code: int, period: str) -> str | None:
    if code == np.iinfo(np.int64).min:
        return None
    if period == "month":
        return str(np.datetime64(code, "M"))
    return str(np.datetime64(code, "D"))


class _LazyColumns:
    """Numeric columns; a column absent from the input reads as all-NaN (created on demand)."""

    __slots__ = ("n", "present")

    def __init__(self, n: int, present: dict[str, FloatArray]) -> None:
        self.n = n
        self.present = present

    def __getitem__(self, name: str) -> FloatArray:
        if name not in COUNT_COLUMNS:
            raise KeyError(name)
        arr = self.present.get(name)
        return arr if arr is not None else np.full(self.n, np.nan)

    def __contains__(self, name: object) -> bool:
        return name in COUNT_COLUMNS


class MetricsTable:
    """Columnar metric rows. Build with ``from_records``, ``from_dicts``, ``from_columns``,
    ``from_csv``, ``from_pandas`` or ``from_polars``."""

    __slots__ = ("_cats", "_codes", "_num", "_time", "currency")

    def __init__(
        self,
        numbers: Mapping[str, FloatArray],
        codes: Mapping[str, npt.NDArray[np.int32]],
        categories: Mapping[str, list[str]],
        time: FloatArray,
        currency: str | None = None,
    ) -> None:
        n = time.size
        self._num = _LazyColumns(
            n,
            {c: np.asarray(a, dtype=np.float64) for c, a in numbers.items() if c in COUNT_COLUMNS},
        )
        self._codes = {
            c: np.asarray(codes.get(c, np.full(n, -1, dtype=np.int32)), dtype=np.int32)
            for c in TEXT_COLUMNS
        }
        self._cats = {c: list(categories.get(c, [])) for c in TEXT_COLUMNS}
        self._time = np.asarray(time, dtype=np.float64)
        self.currency = currency
        for c, arr in self._num.present.items():
            if arr.size != n:
                raise ValidationError(c, arr.size, f"column length must be {n}")
            bad = arr < 0
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise ValidationError(
                    f"{c}[{row}]",
                    float(arr[row]),
                    "cannot be negative (counts and amounts are >= 0)",
                )
            if np.isinf(arr).any():
                row = int(np.flatnonzero(np.isinf(arr))[0])
                raise ValidationError(f"{c}[{row}]", float(arr[row]), "must be finite")
        for c, code_arr in self._codes.items():
            if code_arr.size != n:
                raise ValidationError(c, code_arr.size, f"column length must be {n}")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[Any] | npt.NDArray[Any]],
        *,
        time: str = "published_at",
        currency: str | None = None,
    ) -> MetricsTable:
        """From named columns (lists or numpy arrays). Missing numbers: None or NaN.

        ``time`` names the column that places a row in a period (epoch seconds, aware datetimes,
        ISO strings, or numpy datetime64 in UTC).
        """
        lengths = {k: len(v) for k, v in columns.items()}
        if len(set(lengths.values())) > 1:
            raise ValidationError("columns", lengths, "must all have the same length")
        n = next(iter(lengths.values()), 0)
        unknown = (
            set(columns)
            - set(COUNT_COLUMNS)
            - set(TEXT_COLUMNS)
            - {time, "published_at", "measured_at", "engagements"}
        )
        if unknown:
            raise ValidationError(
                "columns",
                sorted(unknown),
                f"are not metric columns (known: {', '.join(COUNT_COLUMNS + TEXT_COLUMNS)})",
            )
        numbers: dict[str, FloatArray] = {}
        for c in COUNT_COLUMNS:
            if c in columns:
                try:
                    numbers[c] = np.asarray(columns[c], dtype=np.float64).reshape(-1)
                except (TypeError, ValueError):
                    raise ValidationError(c, "column", "must hold numbers or None") from None
        codes: dict[str, npt.NDArray[np.int32]] = {}
        cats: dict[str, list[str]] = {}
        for c in TEXT_COLUMNS:
            if c in columns:
                codes[c], cats[c] = _encode(columns[c], c)
        tcol = columns.get(time)
        tarr = np.full(n, np.nan) if tcol is None else _time_array(tcol, time)
        return cls(numbers, codes, cats, tarr, currency)

    @classmethod
    def from_dicts(
        cls,
        rows: Sequence[Mapping[str, Any]],
        *,
        time: str = "published_at",
        currency: str | None = None,
    ) -> MetricsTable:
        """From a list of dicts with the column names as keys (missing keys: not reported)."""
        if not rows:
            return cls.from_columns({}, time=time, currency=currency)
        keys = list(rows[0])
        columns: dict[str, Any] = {}
        try:  # fast path: every row has exactly the first row's keys (C-level extraction)
            if sum(map(len, rows)) != len(keys) * len(rows):
                raise KeyError("ragged")
            for k in keys:
                columns[k] = list(map(itemgetter(k), rows))
        except KeyError:
            seen: dict[str, None] = {}
            for r in rows:
                seen.update(dict.fromkeys(r))
            columns = {k: [r.get(k) for r in rows] for k in seen}
        return cls.from_columns(columns, time=time, currency=currency)

    @classmethod
    def from_records(
        cls, records: Iterable[PostMetrics | AdMetrics], *, currency: str | None = None
    ) -> MetricsTable:
        """From :class:`PostMetrics` (time: ``published_at``, else ``measured_at``) and/or
        :class:`AdMetrics` (time: ``period_start``, else ``measured_at``) records."""
        cols: dict[str, list[Any]] = {c: [] for c in COUNT_COLUMNS + TEXT_COLUMNS}
        cols["time"] = []
        for k, rec in enumerate(records):
            if isinstance(rec, PostMetrics):
                t = rec.published_at or rec.measured_at
                pid: str = rec.post_id
                for c in COUNT_COLUMNS:
                    cols[c].append(getattr(rec, c, None))
                pillar, fmt = rec.pillar, rec.format
            elif isinstance(rec, AdMetrics):
                t = rec.period_start or rec.measured_at
                pid = rec.ad_id
                if currency is None:
                    currency = rec.spend.currency
                if rec.spend.currency != currency:
                    raise ValidationError(
                        f"records[{k}].spend.currency",
                        rec.spend.currency,
                        f"differs from the table's currency {currency}",
                    )
                for c in COUNT_COLUMNS:
                    v: Any = getattr(rec, c, None)
                    if c == "spend":
                        v = float(rec.spend.amount)
                    elif c == "revenue":
                        v = None if rec.revenue is None else float(rec.revenue.amount)
                    cols[c].append(v)
                pillar, fmt = None, None
            else:
                raise ValidationError(
                    f"records[{k}]", type(rec).__name__, "must be PostMetrics or AdMetrics"
                )
            cols["time"].append(t)
            cols["post_id"].append(pid)
            cols["channel"].append(rec.channel)
            cols["platform"].append(rec.platform.value)
            cols["pillar"].append(pillar)
            cols["format"].append(fmt)
            cols["campaign"].append(rec.campaign)
        return cls.from_columns(cols, time="time", currency=currency)

    @classmethod
    def from_csv(
        cls, path: str | Path, *, time: str = "published_at", currency: str | None = None
    ) -> MetricsTable:
        """From a CSV file with a header of column names (empty cell: not reported)."""
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows: list[dict[str, Any]] = []
            for line, r in enumerate(reader, start=2):
                row: dict[str, Any] = {}
                for k, v in r.items():
                    if k is None:
                        raise ValidationError(f"{path}:{line}", v, "has more cells than the header")
                    if v == "" or v is None:
                        row[k] = None
                    elif k in COUNT_COLUMNS:
                        try:
                            row[k] = float(v)
                        except ValueError:
                            raise ValidationError(
                                f"{path}:{line}:{k}", v, "must be a number"
                            ) from None
                    else:
                        row[k] = v
                rows.append(row)
        return cls.from_dicts(rows, time=time, currency=currency)

    @classmethod
    def from_pandas(
        cls, frame: Any, *, time: str = "published_at", currency: str | None = None
    ) -> MetricsTable:
        """From a pandas DataFrame (pandas is optional; only needed here)."""
        cols: dict[str, Any] = {}
        for c in frame.columns:
            s = frame[c]
            if c == time and str(s.dtype).startswith("datetime64"):
                if getattr(s.dt, "tz", None) is None:
                    raise ValidationError(time, str(s.dtype), "must be timezone-aware")
                cols[c] = s.dt.tz_convert("UTC").astype("int64").to_numpy() / 1e9
            elif c in COUNT_COLUMNS:
                cols[c] = s.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                cols[c] = s.to_numpy()
        return cls.from_columns(cols, time=time, currency=currency)

    @classmethod
    def from_polars(
        cls, frame: Any, *, time: str = "published_at", currency: str | None = None
    ) -> MetricsTable:
        """From a polars DataFrame (polars is optional; only needed here; no pyarrow needed)."""
        cols: dict[str, Any] = {}
        for c in frame.columns:
            s = frame[c]
            dtype = str(s.dtype)
            if c == time and dtype.startswith("Datetime"):
                if getattr(s.dtype, "time_zone", None) is None:
                    raise ValidationError(time, dtype, "must be timezone-aware")
                cols[c] = s.dt.epoch("us").to_numpy().astype(np.float64) / 1e6
            elif c in COUNT_COLUMNS:
                cols[c] = np.array(
                    [np.nan if v is None else float(v) for v in s.to_list()], dtype=np.float64
                )
            else:
                cols[c] = np.array(s.to_list(), dtype=object)
        return cls.from_columns(cols, time=time, currency=currency)

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return int(self._time.size)

    def column(self, name: str) -> npt.NDArray[Any]:
        """A column as a numpy array (text columns decoded to objects, None = missing)."""
        if name in self._num:
            return self._num[name]
        if name == "engagements":
            return self.engagements()
        if name in self._codes:
            cats = np.array([*self._cats[name], None], dtype=object)
            return cats[self._codes[name]]  # code -1 -> the trailing None
        if name == "time":
            return self._time
        raise ValidationError("column", name, "is not a column of the table")

    def engagements(self) -> FloatArray:
        """likes + comments + shares + saves, counting reported parts; NaN when none is."""
        total = np.zeros(len(self))
        reported = np.zeros(len(self), dtype=bool)
        for c in ("likes", "comments", "shares", "saves"):  # in place: no 4 x n stack
            part = self._num[c]
            known = ~np.isnan(part)  # the constructor refuses infinities
            np.add(total, part, out=total, where=known)
            reported |= known
        total[~reported] = np.nan
        return total

    def _subset(self, mask: npt.NDArray[np.bool_]) -> MetricsTable:
        return MetricsTable(
            {c: a[mask] for c, a in self._num.present.items()},
            {c: a[mask] for c, a in self._codes.items()},
            self._cats,
            self._time[mask],
            self.currency,
        )

    def where(self, **equals: str | Sequence[str] | None) -> MetricsTable:
        """Rows whose text columns equal the value (or one of the values)."""
        mask = np.ones(len(self), dtype=bool)
        for col, want in equals.items():
            if col not in self._codes:
                raise ValidationError(
                    col, want, f"is not a text column ({', '.join(TEXT_COLUMNS)})"
                )
            wanted = [want] if want is None or isinstance(want, str) else list(want)
            codes = [
                -1 if w is None else (self._cats[col].index(w) if w in self._cats[col] else -2)
                for w in wanted
            ]
            mask &= np.isin(self._codes[col], codes)
        return self._subset(mask)

    def between(self, start: datetime, end: datetime) -> MetricsTable:
        """Rows whose time is in ``[start, end)`` (aware datetimes)."""
        a, b = _to_epoch(start, "start"), _to_epoch(end, "end")
        return self._subset((self._time >= a) & (self._time < b))

    def filter(self, mask: npt.NDArray[np.bool_]) -> MetricsTable:
        """Rows where a boolean mask (one entry per row) is true."""
        m = np.asarray(mask, dtype=bool)
        if m.size != len(self):
            raise ValidationError("mask", m.size, f"must have one entry per row ({len(self)})")
        return self._subset(m)

    # ------------------------------------------------------------------ group-by and KPIs
    def group_codes(
        self, by: Sequence[str], *, period: str | None = None, tz: str = "UTC"
    ) -> tuple[IntArray, list[dict[str, str | None]]]:
        """Row -> group index, and each group's key; groups sorted by key."""
        parts: list[tuple[str, IntArray, int]] = []
        labels: dict[str, Any] = {}
        for gk in by:
            if gk == "period":
                if period is None:
                    raise ValidationError("period", None, "is required to group by period")
                codes, _ = period_codes(self._time, period, tz)
                uniq, inv = _dense_unique(codes)
                parts.append(("period", inv, int(uniq.size)))
                labels["period"] = [_period_label(int(u), period) for u in uniq]
            elif gk in _GROUP_KEYS:
                # shift by one so that -1 (missing) sorts first; cats sorted for a stable order
                cats = self._cats[gk]
                order = np.argsort(np.array(cats, dtype=object)) if cats else np.array([], int)
                rank = np.empty(len(cats) + 1, dtype=np.int64)
                rank[0] = 0
                rank[1 + order] = np.arange(1, len(cats) + 1)
                parts.append((gk, rank[self._codes[gk] + 1], len(cats) + 1))
                labels[gk] = [None] + [cats[i] for i in order]
            else:
                raise ValidationError(
                    "by",
                    gk,
                    "must be one of channel, platform, pillar, format, campaign, post_id, period",
                )
        n = len(self)
        keys: list[dict[str, str | None]] = []
        if math.prod(size for _, _, size in parts) >= 2**62:  # too many combinations to pack
            stacked = np.stack([codes for _, codes, _ in parts], axis=1)
            urows, inv = np.unique(stacked, axis=0, return_inverse=True)
            for urow in urows.tolist():
                keys.append(
                    {name: labels[name][c] for (name, _, _), c in zip(parts, urow, strict=True)}
                )
            return inv.astype(np.int64).reshape(-1), keys
        combined = np.zeros(n, dtype=np.int64)
        for _, codes, size in parts:
            combined = combined * size + codes
        uniq, inv = _dense_unique(combined)
        for u in uniq.tolist():
            key: dict[str, str | None] = {}
            rest = int(u)
            for name, _, size in reversed(parts):
                key[name] = labels[name][rest % size]
                rest //= size
            keys.append({k: key[k] for k in by})
        return inv.astype(np.int64), keys

    def kpis(
        self,
        names: Sequence[str] | None = None,
        *,
        by: Sequence[str] = (),
        period: str | None = None,
        tz: str = "UTC",
    ) -> KpiTable:
        """KPIs per group (``by`` any of channel, platform, pillar, format, campaign, post_id,
        period; ``period`` = day, week or month in timezone ``tz``).

        Unknown KPI names raise; see ``KPI_SPECS`` for the formulas.
        """
        names = list(names) if names is not None else list(KPI_SPECS)
        for name in names:
            if name not in KPI_SPECS:
                raise ValidationError(
                    "names", name, f"is not a KPI (known: {', '.join(KPI_SPECS)})"
                )
        if "period" in by and period is None:
            period = "week"
        if by:
            inv, keys = self.group_codes(by, period=period, tz=tz)
        else:
            inv, keys = np.zeros(len(self), dtype=np.int64), [{}]
        g = len(keys)
        posts = np.bincount(inv, minlength=g)
        cache: dict[str, FloatArray] = {}

        def col(c: str) -> FloatArray:
            if c not in cache:
                cache[c] = self.engagements() if c == "engagements" else self._num[c]
            return cache[c]

        results: dict[str, tuple[FloatArray, FloatArray, FloatArray]] = {}
        for name in names:
            spec = KPI_SPECS[name]
            num, den = col(spec.numerator), col(spec.denominator)
            both = np.isfinite(num) & np.isfinite(den)
            if spec.kind == "mean":
                ok = both & (den > 0)
                r = np.divide(num, den, out=np.zeros_like(num), where=ok)
                s_ = _bsum(inv, np.where(ok, r, 0.0), g)
                cnt = _bsum(inv, ok.astype(np.float64), g)
                nboth = _bsum(inv, both.astype(np.float64), g)
                results[name] = (s_, cnt, nboth)
            else:
                nsum = _bsum(inv, np.where(both, num, 0.0), g)
                dsum = _bsum(inv, np.where(both, den, 0.0), g)
                cnt = _bsum(inv, both.astype(np.float64), g)
                results[name] = (nsum, dsum, cnt)
        rows: list[KpiRow] = []
        for i in range(g):  # g groups (small): explain each KPI
            values: dict[str, KpiValue] = {}
            for name in names:
                spec = KPI_SPECS[name]
                a, b, c = results[name]
                if spec.kind == "mean":
                    count = int(b[i])
                    if count == 0:
                        reason = (
                            f"{spec.denominator} is 0 on every post"
                            if c[i] > 0
                            else f"no row with both {spec.numerator} and {spec.denominator} "
                            "reported"
                        )
                        values[name] = KpiValue(
                            name=name, reason=reason, count=0, formula=spec.formula
                        )
                    else:
                        values[name] = KpiValue(
                            name=name,
                            value=float(a[i] / count * spec.scale),
                            count=count,
                            formula=spec.formula,
                        )
                else:
                    count = int(c[i])
                    if count == 0:
                        values[name] = KpiValue(
                            name=name,
                            count=0,
                            formula=spec.formula,
                            reason=f"no row with both {spec.numerator} and {spec.denominator} "
                            "reported",
                        )
                    elif b[i] == 0:
                        values[name] = KpiValue(
                            name=name,
                            numerator=float(a[i]),
                            denominator=0.0,
                            count=count,
                            formula=spec.formula,
                            reason=f"sum of {spec.denominator} is 0",
                        )
                    else:
                        values[name] = KpiValue(
                            name=name,
                            value=float(a[i] / b[i] * spec.scale),
                            numerator=float(a[i]),
                            denominator=float(b[i]),
                            count=count,
                            formula=spec.formula,
                        )
            rows.append(KpiRow(key=keys[i], posts=int(posts[i]), kpis=values))
        return KpiTable(by=tuple(by), rows=tuple(rows))

    # ------------------------------------------------------------------ export
    def to_dict(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {c: self.column(c).tolist() for c in TEXT_COLUMNS}
        for c in COUNT_COLUMNS:
            out[c] = [None if math.isnan(v) else v for v in self._num[c].tolist()]
        out["time"] = [
            None if math.isnan(v) else datetime.fromtimestamp(v, UTC) for v in self._time.tolist()
        ]
        return out

    def to_pandas(self) -> Any:
        """A pandas DataFrame (requires pandas)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install pandas") from None
        data: dict[str, Any] = {c: self.column(c) for c in TEXT_COLUMNS}
        data.update({c: self._num[c] for c in COUNT_COLUMNS})
        data["time"] = pd.to_datetime(self._time, unit="s", utc=True)
        return pd.DataFrame(data)

    def to_polars(self) -> Any:
        """A polars DataFrame (requires polars)."""
        try:
            import polars as pl
        except ImportError:
            raise ImportError("to_polars() needs polars: pip install polars") from None
        data: dict[str, Any] = {c: self.column(c).tolist() for c in TEXT_COLUMNS}
        data.update({c: self._num[c] for c in COUNT_COLUMNS})
        data["time"] = self._time
        return pl.DataFrame(data)


def _encode(
    values: Sequence[Any] | npt.NDArray[Any], field: str
) -> tuple[npt.NDArray[np.int32], list[str]]:
    if isinstance(values, list | tuple):
        items = list(values)  # no round trip through an object array
    else:
        arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
        if arr.dtype.kind == "U" and arr.ndim == 1 and arr.size:
            return _encode_fixed_width(arr)
        items = arr.tolist() if isinstance(arr, np.ndarray) else list(arr)
    try:
        distinct = set(items)
    except TypeError:
        raise ValidationError(field, "column", "must hold strings or None") from None
    lookup: dict[Any, int] = {}
    names: list[str] = []
    for v in distinct:
        if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
            lookup[v] = -1
            continue
        if not isinstance(v, str):
            bad = items.index(v)
            raise ValidationError(f"{field}[{bad}]", v, "must be a string or None")
        names.append(str(v.value) if isinstance(v, Platform) else v)
    order = sorted(set(names))
    pos = {c: k for k, c in enumerate(order)}
    for v in distinct:
        if v not in lookup:
            lookup[v] = pos[str(v.value) if isinstance(v, Platform) else v]
    codes = np.array(list(map(lookup.__getitem__, items)), dtype=np.int32)
    return codes, order


def _bsum(inv: IntArray, weights: FloatArray, g: int) -> FloatArray:
    out: FloatArray = np.bincount(inv, weights=weights, minlength=g).astype(np.float64)
    return out


def _encode_fixed_width(arr: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Dictionary-encode a numpy unicode array by hashing its code points (O(n) + one integer
    sort), verified against the strings; falls back to a sort of the strings on a collision."""
    width = arr.dtype.itemsize // 4
    raw = np.ascontiguousarray(arr)
    # the code points read as 64-bit words (two per word, in place, no copy) plus a last 32-bit
    # one for odd widths: half the passes of hashing code point by code point
    words, odd = divmod(width, 2)
    names: list[str] = []
    formats: list[Any] = []
    offsets: list[int] = []
    if words:
        names.append("w")
        formats.append((np.uint64, (words,)))
        offsets.append(0)
    if odd:
        names.append("t")
        formats.append(np.uint32)
        offsets.append(8 * words)
    view = raw.view(
        np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": 4 * width})
    )
    cols = [view["w"][:, j] for j in range(words)]
    if odd:
        cols.append(view["t"].astype(np.uint64))
    h = np.zeros(arr.size, dtype=np.uint64)
    for j, col in enumerate(cols):
        mult = np.uint64((j * 0x9E3779B97F4A7C15 + 0xBF58476D1CE4E5B9) % 2**64 | 1)
        np.multiply(h, np.uint64(1_000_003), out=h)
        np.add(h, col * mult, out=h)
    small = (h % np.uint64(1_048_573)).astype(np.int64)
    uniq, inv = _dense_unique(small)
    rep = np.empty(2_000_000, dtype=np.int64)
    rep[small] = np.arange(arr.size)  # any occurrence represents its code
    cats_arr = arr[rep[uniq]]
    if not np.array_equal(cats_arr[inv], arr):  # pragma: no cover - hash collision
        cats_arr, inv = np.unique(arr, return_inverse=True)
    order = np.argsort(cats_arr)
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    cats = [str(c) for c in cats_arr[order]]
    codes = rank[inv.reshape(-1)].astype(np.int32)
    if cats and cats[0] == "":  # empty string = missing (sorts first)
        cats.pop(0)
        codes -= 1
    return codes, cats


def _dense_unique(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct keys and each row's index among them; O(n + range) when the range of the
    keys is small next to n (never more than 8 entries of scratch per row), else a sort."""
    if keys.size == 0:
        return keys.astype(np.int64), np.zeros(0, dtype=np.int64)
    lo = int(keys.min())
    hi = int(keys.max())
    if hi - lo <= min(20_000_000, max(8 * keys.size, 65_536)) and lo > np.iinfo(np.int64).min:
        shifted = keys - lo
        present = np.zeros(hi - lo + 1, dtype=bool)
        present[shifted] = True
        rank = np.cumsum(present, dtype=np.int64) - 1
        uniq = np.flatnonzero(present).astype(np.int64) + lo
        return uniq, rank[shifted]
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq.astype(np.int64), inv.astype(np.int64).reshape(-1)


def _time_array(values: Sequence[Any] | npt.NDArray[Any], field: str) -> FloatArray:
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":
            secs = values.astype("datetime64[ns]").astype(np.int64) / 1e9
            return np.where(np.isnat(values), np.nan, secs)
        if values.dtype.kind in "fiu":
            return values.astype(np.float64)
        values = values.tolist()
    items = list(values)
    kinds = set(map(type, items))
    if kinds and all(issubclass(k, datetime) for k in kinds):
        if None in set(map(attrgetter("tzinfo"), items)):
            naive = [k for k, v in enumerate(items) if v.tzinfo is None]
            raise ValidationError(
                f"{field}[{naive[0]}]",
                items[naive[0]],
                "must be timezone-aware",
                hint="attach a timezone; smmkit never guesses one",
            )
        return np.fromiter(map(datetime.timestamp, items), dtype=np.float64, count=len(items))
    if kinds and all(issubclass(k, int | float) and not issubclass(k, bool) for k in kinds):
        return np.array(items, dtype=np.float64)
    out = np.empty(len(items), dtype=np.float64)
    for k, v in enumerate(items):
        out[k] = _to_epoch(v, f"{field}[{k}]")
    return out
