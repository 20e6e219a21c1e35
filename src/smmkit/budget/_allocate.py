"""``allocate``: split a budget over lines with response curves, exactly, with a certificate."""

from __future__ import annotations

import gc
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum
from functools import partial
from itertools import chain, repeat
from operator import attrgetter, call, is_not, itemgetter
from typing import Annotated, Any, Literal, NamedTuple, Self, overload

import numpy as np
import numpy.typing as npt
from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from smmkit.errors import AllocationError, ValidationError
from smmkit.models import Money, ValueModel
from smmkit.models._plain import adapter_for, plain_schema

from ._curves import (
    _KERNELS,
    Array,
    ExponentialSaturation,
    Hill,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    Power,
    _hill_inv,
    _kernel,
    quiet,
)
from ._inputs import check_number, check_total
from ._posterior import PosteriorCurve
from ._solver import (
    _PL,
    Core,
    Env,
    GroupSpec,
    _fgh_all,
    _Smooth,
    branch_and_bound,
    build_core,
    build_posterior_core,
    newton_smooth,
)
from ._table import LineTable, _table_currents, _table_parts

_FAMILY_BY_NAMES = {
    ("slope", "half_saturation", "top"): "hill",
    ("lam", "top"): "logistic",
    ("rate", "top"): "exponential",
    ("coefficient", "exponent"): "power",
}

__all__ = [
    "AllocatedLine",
    "AllocatedLines",
    "Allocation",
    "Goal",
    "GroupCap",
    "Line",
]

log = logging.getLogger("smmkit.budget")

AnyCurve = Annotated[
    Hill
    | LogisticSaturation
    | ExponentialSaturation
    | Power
    | LinearCap
    | PiecewiseLinear
    | PosteriorCurve,
    Field(discriminator="family"),
]


class Goal(StrEnum):
    """What the allocator optimises."""

    MAX_RESPONSE = "max_response"
    """Spend the whole total for the largest response."""
    MIN_SPEND = "min_spend"
    """The least spend (at most the total) whose response reaches ``target``."""
    TARGET_ROAS = "target_roas"
    """The largest response (spend at most the total) with response / spend >= ``target``."""
    TARGET_CPA = "target_cpa"
    """The largest response (spend at most the total) with spend / response <= ``target``."""
    MARGINAL_ROAS = "marginal_roas"
    """Spend (at most the total) until the marginal return falls to ``target``."""


class Line(ValueModel):
    """One thing money can go to (a channel, campaign or ad set) and how it responds.

    Bounds: ``minimum``/``maximum`` are absolute; ``min_ratio``/``max_ratio`` are relative to
    ``current`` (``max_ratio=1.5`` means at most 150% of the current spend); the tighter bound wins.
    A ``locked`` line keeps its current spend.
    """

    name: str = Field(min_length=1, max_length=200)
    curve: AnyCurve
    current: Money | None = None
    minimum: Money | None = None
    maximum: Money | None = None
    min_ratio: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    max_ratio: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    locked: bool = False
    group: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        for label, m in (
            ("current", self.current),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
        ):
            if m is not None and m.amount < 0:
                raise ValueError(f"{label} cannot be negative (line {self.name!r})")
        if (self.min_ratio is not None or self.max_ratio is not None or self.locked) and (
            self.current is None
        ):
            raise ValueError(f"line {self.name!r}: min_ratio, max_ratio and locked need `current`")
        return self


class GroupCap(ValueModel):
    """A cap on the total of some lines: ``max_share`` of the budget and/or an absolute maximum.

    Lines join a group by naming it in ``Line.group``. Groups must not overlap.
    """

    name: str = Field(min_length=1)
    max_share: float | None = Field(default=None, gt=0, le=1, allow_inf_nan=False)
    maximum: Money | None = None

    @model_validator(mode="after")
    def _one(self) -> Self:
        if self.max_share is None and self.maximum is None:
            raise ValueError(f"group {self.name!r} needs max_share or maximum")
        return self


Binding = Literal["lower", "upper", "locked", "group"]
Method = Literal["equal_marginal", "branch_and_bound", "posterior_mean", "posterior_cara"]


class AllocatedLine(NamedTuple):
    """One line of an :class:`Allocation`: a named tuple of its fields (immutable, compared and
    hashed by its fields in order, built in bulk from the solver's arrays).

    Inside a model it validates from, and dumps to, a dict of its fields, and it has the model
    methods (``model_dump``, ``model_dump_json``, ``model_validate``, ``model_validate_json``,
    ``model_json_schema``, ``model_copy``). ``marginal`` is the marginal return at the allocated
    amount; ``binding`` the bound that holds the line where it is, if any.
    """

    name: str
    amount: Money
    minor_units: int
    share: float
    response: float
    marginal: float
    lower: Money
    upper: Money | None
    binding: Binding | None = None
    group: str | None = None
    current: Money | None = None
    current_response: float | None = None

    @property
    def change(self) -> Money | None:
        """The amount minus the current spend (``None`` without a current spend)."""
        return None if self.current is None else self.amount - self.current

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        money = handler.generate_schema(Money)
        maybe_money = core_schema.nullable_schema(money)
        return plain_schema(
            cls,
            {
                "name": core_schema.str_schema(),
                "amount": money,
                "minor_units": core_schema.int_schema(),
                "share": core_schema.float_schema(),
                "response": core_schema.float_schema(),
                "marginal": core_schema.float_schema(),
                "lower": money,
                "upper": maybe_money,
                "binding": core_schema.nullable_schema(
                    core_schema.literal_schema(["lower", "upper", "locked", "group"])
                ),
                "group": core_schema.nullable_schema(core_schema.str_schema()),
                "current": maybe_money,
                "current_response": core_schema.nullable_schema(core_schema.float_schema()),
            },
            build=lambda d: cls(**d),
            optional=frozenset({"binding", "group", "current", "current_response"}),
            values=iter,
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        target = handler.resolve_ref_schema(out)
        target["title"] = cls.__name__
        target["description"] = "One line of an allocation."
        return out

    def model_dump(self, *, mode: Literal["json", "python"] = "python") -> dict[str, Any]:
        """The fields as a dict (``mode="json"``: JSON-compatible values)."""
        out: dict[str, Any] = adapter_for(AllocatedLine).dump_python(self, mode=mode)
        return out

    def model_dump_json(self, *, indent: int | None = None) -> str:
        """The fields as a JSON object."""
        return adapter_for(AllocatedLine).dump_json(self, indent=indent).decode()

    @classmethod
    def model_validate(cls, obj: Any) -> AllocatedLine:
        """Validate a line or a dict of its fields (raises :class:`pydantic.ValidationError`)."""
        out: AllocatedLine = adapter_for(cls).validate_python(obj)
        return out

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> AllocatedLine:
        """Validate a JSON object of the fields (raises :class:`pydantic.ValidationError`)."""
        out: AllocatedLine = adapter_for(cls).validate_json(data)
        return out

    @classmethod
    def model_json_schema(
        cls, mode: Literal["validation", "serialization"] = "validation"
    ) -> dict[str, Any]:
        """The JSON Schema of the dumped form."""
        return adapter_for(cls).json_schema(mode=mode)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> AllocatedLine:
        """A copy with some fields replaced (unchecked, as pydantic's ``model_copy``)."""
        return self._replace(**update) if update else self


class AllocatedLines(Sequence[AllocatedLine]):
    """The lines of an :class:`Allocation`, in the order of the input: a read-only sequence.

    A result fresh from :func:`allocate` keeps the solver's results as columns and builds each
    :class:`AllocatedLine` when it is read (iterating builds one line per step, in C, and keeps
    none: a loop over 10,000 lines leaves no 10,000 objects behind for the garbage collector to
    walk); the :class:`~smmkit.models.Money` amounts are built once, all together, on first use.
    The array views (:attr:`names`, :attr:`minor_units`, :attr:`shares`, :attr:`responses`,
    :attr:`marginals`) and :meth:`Allocation.amounts` never build the line objects. Equality,
    hashing, pickling and serialisation are those of the tuple of lines (lines read twice are
    equal, not necessarily the same object).
    """

    __slots__ = ("_cols", "_columns", "_items", "_money")

    def __init__(self, lines: Iterable[AllocatedLine] = ()) -> None:
        self._items: tuple[AllocatedLine, ...] | None = tuple(lines)
        self._cols: _LineColumns | None = None
        self._columns: tuple[list[Any], ...] | None = None
        self._money: list[Money] | None = None

    @classmethod
    def _from_columns(cls, cols: _LineColumns) -> AllocatedLines:
        out = cls()
        out._items = None
        out._cols = cols
        return out

    # -- pydantic: validated from (and dumped as) a tuple of AllocatedLine ----------------------
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        items = handler.generate_schema(tuple[AllocatedLine, ...])
        from_items = core_schema.no_info_after_validator_function(cls, items)
        return core_schema.json_or_python_schema(
            json_schema=from_items,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_items]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                tuple, return_schema=items
            ),
        )

    # -- the sequence ----------------------------------------------------------------------------
    def _fields(self) -> tuple[list[Any], ...]:
        """The lines' fields as lists (one per field, in field order), made on first use."""
        columns = self._columns
        if columns is None:
            assert self._cols is not None
            columns = self._columns = self._cols.columns(self._amount_money())
        return columns

    def _lines(self) -> tuple[AllocatedLine, ...]:
        if self._items is not None:
            return self._items
        return tuple(map(_NEW_LINE, zip(*self._fields(), strict=True)))

    def _amount_money(self) -> list[Money]:
        if self._money is None:
            if self._cols is not None:
                self._money = self._cols.amounts()
            else:
                self._money = [ln.amount for ln in self._lines()]
        return self._money

    def __len__(self) -> int:
        return len(self._cols.names) if self._cols is not None else len(self._lines())

    @overload
    def __getitem__(self, index: int) -> AllocatedLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[AllocatedLine, ...]: ...

    def __getitem__(self, index: int | slice) -> AllocatedLine | tuple[AllocatedLine, ...]:
        if self._items is not None:
            return self._items[index]
        fields = self._fields()
        if isinstance(index, slice):
            return tuple(map(_NEW_LINE, zip(*(f[index] for f in fields), strict=True)))
        return _NEW_LINE(tuple([f[index] for f in fields]))

    def __iter__(self) -> Iterator[AllocatedLine]:
        if self._items is not None:
            return iter(self._items)
        return map(_NEW_LINE, zip(*self._fields(), strict=True))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, AllocatedLines):
            return self._lines() == other._lines()
        if isinstance(other, tuple):
            return self._lines() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._lines())

    def __repr__(self) -> str:
        return repr(self._lines())

    def __reduce__(self) -> tuple[Any, ...]:
        return (AllocatedLines, (self._lines(),))

    def __copy__(self) -> Self:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self  # immutable

    # -- array views (no line object built) --------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """The line names, in order."""
        if self._cols is not None:
            return tuple(self._cols.names)
        return tuple(ln.name for ln in self._lines())

    def _array(self, column: str, field: str, dtype: type) -> npt.NDArray[Any]:
        arr: npt.NDArray[Any]
        if self._cols is not None:
            arr = np.asarray(getattr(self._cols, column), dtype=dtype)
        else:
            arr = np.array([getattr(ln, field) for ln in self._lines()], dtype=dtype)
        view = arr.view()
        view.flags.writeable = False
        return view

    @property
    def minor_units(self) -> npt.NDArray[np.int64]:
        """Every line's amount in minor units (read-only array)."""
        return self._array("units", "minor_units", np.int64)

    @property
    def shares(self) -> npt.NDArray[np.float64]:
        """Every line's share of the allocated total (read-only array)."""
        return self._array("shares", "share", np.float64)

    @property
    def responses(self) -> npt.NDArray[np.float64]:
        """Every line's response at its amount (read-only array)."""
        return self._array("responses", "response", np.float64)

    @property
    def marginals(self) -> npt.NDArray[np.float64]:
        """Every line's marginal return at its amount (read-only array)."""
        return self._array("marginals", "marginal", np.float64)


_BINDINGS: tuple[Binding | None, ...] = (None, "lower", "upper", "locked", "group")
_BINDING_NAMES = np.array(_BINDINGS, dtype=object)
# a line from the tuple of its fields, in C (``AllocatedLine._make`` is a Python-level call)
_NEW_LINE: Callable[[tuple[Any, ...]], AllocatedLine] = partial(tuple.__new__, AllocatedLine)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while a result's objects are built in bulk.

    Building 10,000 amounts and lines allocates tens of thousands of objects, none in a cycle;
    each 700 allocations would start a collection, and some of them a full pass over every object
    of the process (the caller's included): at 10,000 lines those passes cost more than the
    objects. The collector is switched back on at once if it was on (a collection then runs at
    most once for the whole batch); reference counting frees memory as usual meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(slots=True)
class _LineColumns:
    """The per-line results as columns, straight from the solver (see :class:`AllocatedLines`)."""

    names: list[str]
    units: npt.NDArray[np.int64]
    shares: npt.NDArray[np.float64]
    responses: npt.NDArray[np.float64]
    marginals: npt.NDArray[np.float64]
    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]
    has_hi: npt.NDArray[np.bool_]
    binding: npt.NDArray[np.int8]
    groups: list[str | None]
    currents: list[Money | None]
    current_responses: list[float] | None
    currency: str
    mu: int

    def _money(self, units: npt.NDArray[np.int64]) -> list[Money]:
        """One Money per count of minor units, each distinct count built once (lines at the same
        bound, or at zero, share one immutable amount), in order of first appearance (so the
        amounts lie in memory in the lines' order); expanded through a dict by count."""
        counts: list[int] = units.tolist()
        distinct = list(dict.fromkeys(counts))
        with _collector_paused():
            built = Money.from_minor_units_list(distinct, self.currency)
        if len(distinct) == len(counts):  # no count repeats: already in the lines' order
            return built
        return list(map(dict(zip(distinct, built, strict=True)).__getitem__, counts))

    def amounts(self) -> list[Money]:
        """One Money per line."""
        return self._money(self.units)

    def columns(self, amounts: list[Money]) -> tuple[list[Any], ...]:
        """The lines' fields as lists, in the order of :class:`AllocatedLine`'s fields."""
        n = len(self.names)
        if self.lo.any():
            lowers = self._money(self.lo)
        else:  # no minimum: one zero for every line
            lowers = Money.from_minor_units_list([0], self.currency) * n
        if self.has_hi.all():
            uppers: list[Money | None] = list(self._money(self.hi))
        else:  # None where a line has no maximum
            with_none = np.empty(n, dtype=object)
            if self.has_hi.any():
                with_none[self.has_hi] = self._money(self.hi[self.has_hi])
            uppers = with_none.tolist()
        return (
            self.names,
            amounts,
            self.units.tolist(),
            self.shares.tolist(),
            self.responses.tolist(),
            self.marginals.tolist(),
            lowers,
            uppers,
            _BINDING_NAMES[self.binding].tolist(),
            self.groups,
            self.currents,
            [None] * n if self.current_responses is None else self.current_responses,
        )


class Allocation(ValueModel):
    """The result of :func:`allocate`, with the certificate of its optimality.

    ``upper_bound`` is a proven upper bound on the best response any split of ``total`` within the
    bounds can reach (the Lagrangian dual of the exact or envelope problem); ``gap`` is
    ``upper_bound - response``, the most the returned split can be short of the optimum
    (rounding to minor units included), up to floating-point rounding.

    ``lines`` is an :class:`AllocatedLines` sequence: a result fresh from :func:`allocate` builds
    each per-line object when it is read, so callers who only need the totals, the certificate or
    the arrays (``lines.minor_units``) do not pay for one object per line; the values are the same
    either way.
    """

    goal: Goal
    currency: str
    budget: Money
    total: Money = Field(
        description="What the lines receive together (equal to the budget for max_response)."
    )
    unallocated: Money
    lines: AllocatedLines
    response: float
    upper_bound: float
    gap: float
    relative_gap: float
    marginal: float = Field(description="The common marginal return of the lines not at a bound.")
    group_marginals: dict[str, float] = Field(default_factory=dict)
    method: Method
    certified: bool = Field(description="Whether the gap is certified below the tolerance.")
    nodes: int = 0
    current_response: float | None = None
    no_better_than_current: bool = False
    notes: tuple[str, ...] = ()

    def line(self, name: str) -> AllocatedLine:
        for i, n in enumerate(self.lines.names):
            if n == name:
                return self.lines[i]
        raise KeyError(name)

    @property
    def amounts(self) -> dict[str, Money]:
        """Every line's amount by name (builds the amounts, not the line objects)."""
        lines = self.lines
        names = lines._cols.names if lines._cols is not None else lines.names  # (no copy)
        return dict(zip(names, lines._amount_money(), strict=True))

    @property
    def uplift(self) -> float | None:
        """Response gained over the current mix (``None`` without current spends)."""
        if self.current_response is None:
            return None
        return self.response - self.current_response


# ------------------------------------------------------------------------------------------------
def _to_minor(amount: Decimal, mu: int, rounding: str) -> int:
    return int(amount.scaleb(mu).to_integral_value(rounding=rounding))


class _Prepared:
    """Validated numeric form of a request."""

    table: LineTable | None = None
    # the solver's parameter blocks of the lines' curves, when read with the lines (else None)
    blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]] | None = None

    def _budget(self, budget: Money) -> None:
        cur = budget.currency
        self.currency, self.mu = cur, budget.minor_unit
        self.unit = 10.0 ** (-self.mu)
        if budget.amount < 0:
            raise AllocationError(
                f"the total {budget} is negative",
                constraint="total",
                hint="pass a total of zero or more.",
            )
        self.T = budget.minor_units

    @classmethod
    def from_table(cls, table: LineTable, budget: Money, groups: Sequence[GroupCap]) -> _Prepared:
        """The numeric form of a :class:`LineTable` (already checked when it was built)."""
        self = object.__new__(cls)
        self._budget(budget)
        if table.currency != self.currency:
            raise AllocationError(
                f"the table's bounds are in {table.currency} but the total is in {self.currency}",
                constraint="currency",
                hint="give the total in the table's currency.",
            )
        _, lo, hi_units, has_hi = _table_parts(table)
        current, has_current, min_ratio, max_ratio, locks = _table_currents(table)
        n = len(table.names)
        self.table = table
        self.names = list(table.names)
        self.n = n
        self.curves, self.families = [], []
        big = int(np.iinfo(np.int64).max // 4)
        hi = np.where(has_hi, hi_units, big)
        self.currents = [None] * n
        if has_current.any():
            lo, hi, has_hi = lo.copy(), hi.copy(), has_hi.copy()
            where = np.flatnonzero(has_current)
            amounts = Money.from_minor_units_list(current[where].tolist(), self.currency)
            for i, money in zip(where.tolist(), amounts, strict=True):
                self.currents[i] = money
            # the ratio bounds and locks as from Line objects (the same Decimal arithmetic)
            ruled = has_current & (~np.isnan(min_ratio) | ~np.isnan(max_ratio) | locks)
            for i in np.flatnonzero(ruled).tolist():
                c = self.currents[i].amount  # type: ignore[union-attr]
                if not math.isnan(min_ratio[i]):
                    r = Decimal(repr(float(min_ratio[i])))
                    lo[i] = max(int(lo[i]), _to_minor(c * r, self.mu, ROUND_CEILING))
                if not math.isnan(max_ratio[i]):
                    r = Decimal(repr(float(max_ratio[i])))
                    hi[i] = min(int(hi[i]), _to_minor(c * r, self.mu, ROUND_FLOOR))
                    has_hi[i] = True
                if locks[i]:
                    lo[i] = hi[i] = current[i]
                    has_hi[i] = True
        bad = lo > hi
        if bad.any():
            i = int(np.argmax(bad))
            raise AllocationError(
                f"line {self.names[i]!r}: its minimum "
                f"{Money.from_minor_units(int(lo[i]), self.currency)} is above its maximum "
                f"{Money.from_minor_units(int(hi[i]), self.currency)}",
                line=self.names[i],
                constraint="minimum <= maximum",
                hint="lower the minimum (or min_ratio) or raise the maximum (or max_ratio).",
            )
        self.lo, self.hi, self.has_hi = lo, hi, has_hi
        self.binding_locked = locks
        self.line_groups = [None] * n if table.groups is None else list(table.groups)
        self._set_groups(groups, budget)
        return self

    def __init__(self, lines: Sequence[Line], budget: Money, groups: Sequence[GroupCap]) -> None:
        if not lines:
            raise ValidationError("lines", [], "at least one line is needed")
        self._budget(budget)
        cur, mu = self.currency, self.mu
        # the fields of the lines, one C-level pass per field into a list of references: no
        # object made per line (at 10,000 lines, 10,000 small tuples cost more in the garbage
        # collector's passes over the caller's objects than in building them)
        # (through each model's ``__dict__``, which holds its fields: one fewer hop per field)
        # All six fields of a line are read in one visit to its ``__dict__`` (rows flattened into
        # one list, then sliced into columns): a pass per field would go back to every line's
        # dict, scattered in memory, six times
        flat = list(chain.from_iterable(map(_LINE_ROW, map(_GET_DICT, lines))))
        names: list[str] = flat[0::6]
        self.curves: list[Any] = flat[1::6]
        minimums: list[Money | None] = flat[2::6]
        maximums: list[Money | None] = flat[3::6]
        currents: list[Money | None] = flat[4::6]
        line_groups: list[str | None] = flat[5::6]
        del flat
        # the curves' families and parameters in one pass (smooth families), else family by family
        self.families, self.blocks = _read_smooth_curves(self.curves)
        if len(set(names)) != len(names):
            dup = {n for n, c in Counter(names).items() if c > 1}
            raise ValidationError("lines.name", sorted(dup)[0], "line names must be unique")
        n = self.n = len(lines)
        # the loop below visits only the lines that have a bound (the checks and their order are
        # those of the line-by-line version: currencies, bounds, minimum <= maximum)
        big = int(np.iinfo(np.int64).max // 4)
        lo_l = [0] * n
        hi_l = [big] * n
        has_hi_l = [False] * n
        locked_l = [False] * n
        floors: dict[Decimal, int] = {}  # minor units of each distinct maximum (they repeat)
        self.names = names
        self.line_groups = line_groups
        self.currents: list[Money | None] = currents
        only_maxima = minimums.count(None) == n and currents.count(None) == n
        if only_maxima:  # no minimum, no current spend: the maxima, in C-level passes
            has_hi_arr = np.fromiter(map(is_not, maximums, repeat(None)), bool, n)
            # each maximum's amount and currency in one visit (flattened, then sliced)
            pairs = list(chain.from_iterable(map(_AMOUNT_CURRENCY, filter(None, maximums))))
            amounts = pairs[0::2]
            # (``filter(None, ...)`` keeps every Money: a Money is never false)
            only_maxima = len(amounts) == int(has_hi_arr.sum()) and set(pairs[1::2]) <= {cur}
        if only_maxima:
            floors = {d: _to_minor(d, mu, ROUND_FLOOR) for d in set(amounts)}
            hi_arr = np.full(n, big, dtype=np.int64)
            hi_arr[has_hi_arr] = list(map(floors.__getitem__, amounts))
        for i, (mn, mx, cu) in enumerate(
            zip(minimums, maximums, currents, strict=True) if not only_maxima else ()
        ):
            if mn is None and cu is None:
                if mx is None:
                    continue
                if mx.currency == cur:  # the common case: a maximum alone
                    hi_m = floors.get(mx.amount)
                    if hi_m is None:
                        hi_m = floors[mx.amount] = _to_minor(mx.amount, mu, ROUND_FLOOR)
                    hi_l[i], has_hi_l[i] = hi_m, True  # >= 0, the minimum
                    continue
            ln = lines[i]
            if (
                (cu is not None and cu.currency != cur)
                or (mn is not None and mn.currency != cur)
                or (mx is not None and mx.currency != cur)
            ):
                label, m = next(
                    (lb, mm)
                    for lb, mm in (("current", cu), ("minimum", mn), ("maximum", mx))
                    if mm is not None and mm.currency != cur
                )
                raise AllocationError(
                    f"line {ln.name!r}: {label} is in {m.currency} but the total is in {cur}",
                    line=ln.name,
                    constraint=label,
                    hint="give every amount in one currency.",
                )
            lo_i, hi_i, has_hi = 0, big, False
            if mn is not None:
                lo_i = max(lo_i, _to_minor(mn.amount, mu, ROUND_CEILING))
            if mx is not None:
                hi_m = floors.get(mx.amount)
                if hi_m is None:
                    hi_m = floors[mx.amount] = _to_minor(mx.amount, mu, ROUND_FLOOR)
                hi_i = min(hi_i, hi_m)
                has_hi = True
            if cu is not None:
                c = cu.amount
                if ln.min_ratio is not None:
                    lo_i = max(lo_i, _to_minor(c * Decimal(repr(ln.min_ratio)), mu, ROUND_CEILING))
                if ln.max_ratio is not None:
                    hi_i = min(hi_i, _to_minor(c * Decimal(repr(ln.max_ratio)), mu, ROUND_FLOOR))
                    has_hi = True
                if ln.locked:
                    lo_i = hi_i = cu.minor_units
                    has_hi = True
                    locked_l[i] = True
            if lo_i > hi_i:
                raise AllocationError(
                    f"line {ln.name!r}: its minimum {Money.from_minor_units(lo_i, cur)} is "
                    f"above its maximum {Money.from_minor_units(hi_i, cur)}",
                    line=ln.name,
                    constraint="minimum <= maximum",
                    hint="lower the minimum (or min_ratio) or raise the maximum (or max_ratio).",
                )
            lo_l[i], hi_l[i], has_hi_l[i] = lo_i, hi_i, has_hi
        if only_maxima:  # no minimum, no lock: zeros without a pass over the lists
            lo = np.zeros(n, dtype=np.int64)
            hi, self.has_hi = hi_arr, has_hi_arr
            self.binding_locked = np.zeros(n, dtype=bool)
        else:
            lo = np.array(lo_l, dtype=np.int64)
            hi = np.array(hi_l, dtype=np.int64)
            self.has_hi = np.array(has_hi_l, dtype=bool)
            self.binding_locked = np.array(locked_l, dtype=bool)
        self.lo, self.hi = lo, hi
        self._set_groups(groups, budget)

    def _set_groups(self, groups: Sequence[GroupCap], budget: Money) -> None:
        """The group caps in minor units, with the lines of each group (``self.line_groups``)."""
        cur, mu, lo = self.currency, self.mu, self.lo
        members: dict[str, list[int]] = {}
        if self.line_groups.count(None) != self.n:
            for i, grp in enumerate(self.line_groups):
                if grp is not None:
                    members.setdefault(grp, []).append(i)
        self.groups: list[tuple[GroupCap, np.ndarray, int]] = []
        known = {g.name: g for g in groups}
        if len(known) != len(groups):
            raise ValidationError(
                "groups.name", [g.name for g in groups], "group names must be unique"
            )
        for g in groups:
            if g.name not in members:
                raise ValidationError(
                    f"groups[{g.name}]",
                    g.name,
                    "no line belongs to this group (set Line.group, or a LineTable's group)",
                )
        for g in groups:
            idx = np.array(members[g.name], dtype=np.intp)
            caps = []
            if g.max_share is not None:
                caps.append(_to_minor(budget.amount * Decimal(repr(g.max_share)), mu, ROUND_FLOOR))
            if g.maximum is not None:
                if g.maximum.currency != cur:
                    raise AllocationError(
                        f"group {g.name!r}: maximum is in {g.maximum.currency} "
                        f"but the total is in {cur}",
                        constraint="group maximum",
                    )
                caps.append(_to_minor(g.maximum.amount, mu, ROUND_FLOOR))
            cap = min(caps)
            if idx.size and int(lo[idx].sum()) > cap:
                raise AllocationError(
                    f"group {g.name!r}: the minimums of its lines add up to "
                    f"{Money.from_minor_units(int(lo[idx].sum()), cur)}, above its cap "
                    f"{Money.from_minor_units(cap, cur)}",
                    constraint=f"group {g.name} cap",
                    hint="lower those minimums or the cap.",
                )
            self.groups.append((g, idx, cap))

    def check_total(self, T: int, strict: bool) -> int:
        """Validate a total in minor units against the bounds; return what can be allocated."""
        cur = self.currency
        s_lo = int(self.lo.sum())
        if s_lo > T:
            worst = int(np.argmax(self.lo))
            raise AllocationError(
                f"the total {Money.from_minor_units(T, cur)} is below the sum of the minimums "
                f"{Money.from_minor_units(s_lo, cur)} (largest: line "
                f"{self.names[worst]!r} at "
                f"{Money.from_minor_units(int(self.lo[worst]), cur)})",
                line=self.names[worst],
                constraint="sum of minimums <= total",
                hint="raise the total or lower some minimums.",
            )
        cap_hi = self._max_spend()
        if cap_hi < T:
            if strict:
                raise AllocationError(
                    f"the total {Money.from_minor_units(T, cur)} is above what the maximums and "
                    f"group caps allow ({Money.from_minor_units(cap_hi, cur)})",
                    constraint="sum of maximums >= total",
                    hint="raise some maximums or group caps, or pass strict=False to leave the "
                    "rest unallocated.",
                )
            return cap_hi
        return T

    def _max_spend(self) -> int:
        hi = np.where(self.has_hi, self.hi, np.iinfo(np.int64).max // (4 * self.n))
        total = 0
        grouped = np.zeros(self.n, dtype=bool)
        for _, idx, cap in self.groups:
            grouped[idx] = True
            total += min(int(hi[idx].sum()), cap)
        total += int(hi[~grouped].sum())
        return total


def _core_for(
    lines: Sequence[Line], weights: Array | None = None, prep: _Prepared | None = None
) -> Core:
    """The solver's form of the lines' curves (read from ``prep`` when given)."""
    if prep is None:
        curves: list[Any] = list(map(_GET_CURVE, lines))
        families = _families(curves)
    elif prep.blocks is not None:  # read with the lines: (a copy of) the blocks as they are
        return _smooth_core(len(prep.curves), list(prep.blocks), [])
    else:
        curves, families = prep.curves, prep.families
    kinds = set(families)
    if "posterior" in kinds:
        if len(kinds) > 1:
            bad = next(
                ln.name for ln, fam in zip(lines, families, strict=True) if fam != "posterior"
            )
            raise AllocationError(
                f"line {bad!r} has a plain curve while others have posterior draws",
                line=bad,
                constraint="posterior lines",
                hint="give every line a PosteriorCurve (one draw repeated for a known curve).",
            )
        sizes = {c.n_draws for c in curves}
        if len(sizes) != 1:
            raise AllocationError(
                "posterior lines must all have the same number of draws",
                constraint="posterior draws",
            )
        return build_posterior_core([c.base for c in curves], [c.arrays() for c in curves], weights)
    # one block per (family, closed-form inverse), in order of first appearance; each block's
    # parameters are read in one C-level pass over its curves' ``__dict__`` (one row per curve,
    # flattened straight into the parameter table)
    pls: list[_PL] = []
    # (first line, family, closed-form inverse, lines, parameter table) per block
    blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]] = []
    if len(kinds) == 1:
        codes = None
    else:  # one small integer per line (one C-level pass), then each family's lines by numpy
        code_of = {fam: c for c, fam in enumerate(kinds)}
        codes = np.fromiter(map(code_of.__getitem__, families), np.intp, len(families))
    for fam in kinds:
        if codes is None:
            where = np.arange(len(families), dtype=np.intp)
        else:
            where = np.flatnonzero(codes == code_of[fam])
        idx: list[int] = where.tolist()
        if fam == "piecewise_linear" or fam == "linear_cap":
            for i in idx:
                c = curves[i]
                if fam == "linear_cap":
                    pls.append(
                        _PL(i=i, xs=np.array([0.0, c.cap]), ys=np.array([0.0, c.slope * c.cap]))
                    )
                else:
                    pls.append(
                        _PL(
                            i=i,
                            xs=np.array([p[0] for p in c.points]),
                            ys=np.array([p[1] for p in c.points]),
                        )
                    )
            continue
        block = curves if codes is None else list(map(curves.__getitem__, idx))
        names = _kernel(fam).names
        rows = map(itemgetter(*names) if len(names) > 1 else _one(names[0]), map(_GET_DICT, block))
        flat_params = np.fromiter(chain.from_iterable(rows), np.float64, len(idx) * len(names))
        _add_block(blocks, fam, where, flat_params.reshape(len(idx), len(names)))
    pls.sort(key=lambda pl: pl.i)
    return _smooth_core(len(lines), blocks, pls)


def _table_core(table: LineTable) -> Core:
    """The solver's form of a :class:`LineTable`'s curves (the same blocks as from lines)."""
    blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]] = []
    for fam, where, params in _table_parts(table)[0]:
        _add_block(blocks, fam, where, params)
    return _smooth_core(len(table.names), blocks, [])


def _add_block(
    blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]],
    fam: str,
    where: np.ndarray,
    table: np.ndarray,
) -> None:
    """Add one family's lines (Hill split by whether its marginal inverts in closed form)."""
    if fam == "hill":
        closed = table[:, 0] == 1.0
        for flag in (True, False):
            part = closed if flag else ~closed
            if part.any():
                blocks.append((int(where[part][0]), fam, flag, where[part], table[part]))
    else:
        blocks.append((int(where[0]), fam, _CLOSED[fam], where, table))


def _smooth_core(
    n: int, blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]], pls: list[_PL]
) -> Core:
    blocks.sort(key=lambda b: b[0])
    smooth: list[_Smooth] = []
    for _, family, closed, where, table in blocks:
        k = _kernel(family)
        arr = {name: np.ascontiguousarray(table[:, j]) for j, name in enumerate(k.names)}
        if family == "hill" and closed:
            k = replace(k, inv=_hill_inv)
        smooth.append(_Smooth(kernel=k, params=arr, idx=where, closed=closed))
    return Core(n, smooth, pls)


_GET_CURVE = attrgetter("curve")
_GET_DICT = attrgetter("__dict__")
_LINE_ROW = itemgetter("name", "curve", "minimum", "maximum", "current", "group")
_FAMILY = itemgetter("family")
_FAMILY_OF_TYPE: dict[type, str] = {
    Hill: "hill",
    LogisticSaturation: "logistic",
    ExponentialSaturation: "exponential",
    Power: "power",
    LinearCap: "linear_cap",
    PiecewiseLinear: "piecewise_linear",
    PosteriorCurve: "posterior",
}


def _families(curves: list[Any]) -> list[str]:
    """Each curve's family, from its type (no visit to the curve's fields); a subclass of a curve
    class is read from its ``family`` field."""
    families: list[str | None] = list(map(_FAMILY_OF_TYPE.get, map(type, curves)))
    if None in families:
        return list(map(_FAMILY, map(_GET_DICT, curves)))
    return families  # type: ignore[return-value]


# the smooth curve classes read in one pass, each with the getter of its parameters from its
# ``__dict__`` (padded to a common width by repeating its last parameter) and their number
_SMOOTH_FAMILIES = ("hill", "logistic", "exponential", "power")
_WIDTH = max(len(_KERNELS[f].names) for f in _SMOOTH_FAMILIES)
_ROW_OF_TYPE: dict[type, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
    cls: itemgetter(*names, *(names[-1],) * (_WIDTH - len(names)))
    for cls, fam in _FAMILY_OF_TYPE.items()
    if fam in _SMOOTH_FAMILIES
    for names in [_KERNELS[fam].names]
}


def _read_smooth_curves(
    curves: list[Any],
) -> tuple[list[str], list[tuple[int, str, bool, np.ndarray, np.ndarray]] | None]:
    """Each curve's family and, when every curve is of a smooth family's own class (Hill,
    logistic, exponential, power), the solver's parameter blocks, read in one pass over the
    curves (their classes, then each one's parameters from its ``__dict__`` into one table of
    ``_WIDTH`` columns); otherwise the families alone (blocks ``None``: read by
    :func:`_core_for` family by family). O(n)."""
    types = list(map(type, curves))
    kinds = list(dict.fromkeys(types))
    if not all(t in _ROW_OF_TYPE for t in kinds):
        return _families(curves), None
    n = len(curves)
    rows = map(call, map(_ROW_OF_TYPE.__getitem__, types), map(_GET_DICT, curves))
    table = np.fromiter(chain.from_iterable(rows), np.float64, n * _WIDTH).reshape(n, _WIDTH)
    blocks: list[tuple[int, str, bool, np.ndarray, np.ndarray]] = []
    if len(kinds) == 1:
        fam = _FAMILY_OF_TYPE[kinds[0]]
        width = len(_KERNELS[fam].names)
        _add_block(blocks, fam, np.arange(n, dtype=np.intp), table[:, :width])
        return [fam] * n, blocks
    code_of = {t: c for c, t in enumerate(kinds)}
    codes = np.fromiter(map(code_of.__getitem__, types), np.intp, n)
    for c, t in enumerate(kinds):
        fam = _FAMILY_OF_TYPE[t]
        where = np.flatnonzero(codes == c)
        _add_block(blocks, fam, where, table[where, : len(_KERNELS[fam].names)])
    return list(map(_FAMILY_OF_TYPE.__getitem__, types)), blocks


def _one(name: str) -> Callable[[dict[str, Any]], tuple[Any]]:
    get = itemgetter(name)
    return lambda d: (get(d),)


_AMOUNT_CURRENCY = attrgetter("amount", "currency")
_CLOSED = {fam: k.inv is not None for fam, k in _KERNELS.items()}


def _round_split(x_minor: Array, p: _Prepared, T: int) -> np.ndarray:
    """Whole minor units summing to ``T`` within the bounds and the group caps.

    Without groups, :func:`_round_to_total`. With groups, each group first gets a whole total
    (its continuous total to the nearest unit, within its cap and its lines' bounds, then moved
    by whole units until the lines outside every group can take the rest), and each group and
    the rest are rounded to their totals apart: a group's rounding never pushes it past its cap.
    """
    if not p.groups:
        return _round_to_total(x_minor, p.lo, p.hi, T)
    lo, hi = p.lo, p.hi

    def most_of(sel: np.ndarray) -> int:
        # what lines can take, at most T + 1 (a line without a maximum has a huge one: no
        # int64 sum of those)
        return int(min(float(np.minimum(hi[sel], T).sum()), T + 1.0))

    rest = np.ones(len(x_minor), dtype=bool)
    parts: list[tuple[np.ndarray, int, int, int]] = []  # (lines, total, least, most)
    for _, idx, cap in p.groups:
        rest[idx] = False
        least = int(lo[idx].sum())
        most = max(min(most_of(idx), cap), least)
        near = round(float(np.clip(x_minor[idx], lo[idx], hi[idx]).sum()))
        parts.append((idx, min(max(near, least), most), least, most))
    rest_lo, rest_hi = int(lo[rest].sum()), most_of(rest)
    left = T - sum(t for _, t, _, _ in parts)
    # the rest takes what it can; the groups take (or give back) the difference, in order
    for k, (idx, t, least, most) in enumerate(parts):
        if left > rest_hi:
            move = min(left - rest_hi, most - t)
        elif left < rest_lo:
            move = -min(rest_lo - left, t - least)
        else:
            break
        parts[k] = (idx, t + move, least, most)
        left -= move
    out = np.empty(len(x_minor), dtype=np.int64)
    for idx, t, _, _ in parts:
        out[idx] = _round_to_total(x_minor[idx], lo[idx], hi[idx], t)
    where = np.flatnonzero(rest)
    out[where] = _round_to_total(x_minor[where], lo[where], hi[where], left)
    return out


def _round_to_total(x_minor: Array, lo: np.ndarray, hi: np.ndarray, T: int) -> np.ndarray:
    """Largest-remainder rounding of ``x_minor`` to integers within ``[lo, hi]`` summing to ``T``.

    Floors every amount (clipped to its bounds), then hands the missing units one by one to the
    lines with the largest fractional remainders that still have room (ties: lower index first);
    a surplus is taken back from the smallest remainders. Deterministic.
    """
    x = np.clip(x_minor, lo.astype(np.float64), hi.astype(np.float64))
    base = np.floor(x).astype(np.int64)
    base = np.clip(base, lo, hi)
    frac = x - base
    diff = T - int(base.sum())
    if diff == 0:
        return base
    # the common case, fewer missing (or surplus) units than lines with room: one unit to each
    # of the first ``need`` of those lines by (remainder, index), found by a partition (O(n))
    # instead of a sort; the same lines as the first pass of the loop below
    need = abs(diff)
    cand = np.flatnonzero(base < hi if diff > 0 else base > lo)
    if need < cand.size:
        key = -frac[cand] if diff > 0 else frac[cand]
        kth = np.partition(key, need - 1)[need - 1]
        below = cand[key < kth]
        take = np.concatenate((below, cand[key == kth][: need - below.size]))
        if take.size == need:  # (not so only with NaN remainders: the loop handles them)
            base[take] += 1 if diff > 0 else -1
            return base
    # a stable sort keeps ties in index order (the same order as lexsort on (index, key));
    # each pass gives one unit to (or takes one from) every line with room, in that order
    order = np.argsort(-frac if diff > 0 else frac, kind="stable")
    # ``L`` whole passes give each line ``min(room, L)`` units: the largest ``L`` that does not
    # overshoot is found by bisection and applied at once, so the passes left are at most one
    # (a residual of millions of units over a few lines never loops millions of times)
    room_all = (hi - base) if diff > 0 else (base - lo)
    if need >= cand.size and room_all.size:
        lo_l, hi_l = 0, min(int(room_all.max()), need)
        while lo_l < hi_l:
            mid = (lo_l + hi_l + 1) // 2
            took = np.minimum(room_all, mid)
            # (exact: Python integers where an int64 sum could overflow)
            total = int(took.sum()) if mid * took.size < 2**62 else int(took.sum(dtype=object))
            if total <= need:
                lo_l = mid
            else:
                hi_l = mid - 1
        if lo_l > 0:
            step = np.minimum(room_all, lo_l)
            base += step if diff > 0 else -step
            diff -= int(step.sum()) if diff > 0 else -int(step.sum())
    while diff != 0:
        if diff > 0:
            room = order[base[order] < hi[order]]
            take = room[:diff]
            base[take] += 1
            diff -= int(take.size)
        else:
            room = order[base[order] > lo[order]]
            take = room[:-diff]
            base[take] -= 1
            diff += int(take.size)
        if take.size == 0:  # pragma: no cover - the feasibility checks make this unreachable
            raise AllocationError(
                "cannot round the allocation within the bounds", constraint="rounding"
            )
    return base


@quiet
def allocate(
    lines: Sequence[Line] | LineTable,
    total: Money,
    *,
    groups: Sequence[GroupCap] = (),
    goal: Goal | str = Goal.MAX_RESPONSE,
    target: float | None = None,
    strict: bool = True,
    gap_tolerance: float = 1e-9,
    max_nodes: int = 50_000,
    time_limit: float = 30.0,
    risk_aversion: float = 0.0,
) -> Allocation:
    """Split ``total`` over ``lines`` for the best response, with a certificate.

    Concave curves (every family except Hill with ``slope > 1`` and non-concave piecewise-linear)
    are solved exactly: equal marginal returns with bounds, found by a safeguarded Newton iteration
    on the common marginal return ``lam`` (binary search over the kinks of piecewise-linear lines),
    each line's best reply in closed form or by a vectorised Newton solve; cost
    ``O(n)`` per iteration, ~10 to 30 iterations. Group caps by an active-set over the groups.
    S-shaped curves are solved globally by branch-and-bound on concave envelopes, stopping when the
    certified relative gap is below ``gap_tolerance`` or at ``max_nodes`` nodes; ``time_limit``
    (seconds) bounds the branch-and-bound searches of the whole call together (a goal other than
    ``max_response`` solves at several totals: they share it, so the call never runs for minutes
    on S-shaped curves; what a search could not certify in time is reported in ``notes`` and
    ``certified``). Posterior curves maximise the mean response
    over draws, or, with ``risk_aversion > 0``, the certainty equivalent
    ``-log(mean(exp(-a R))) / a`` of the total response ``R`` (CARA utility).

    ``lines`` may be a :class:`LineTable` (thousands of lines as columns, no object per line);
    the result is the same as from the equivalent ``Line`` objects.

    Amounts are whole minor units of ``total.currency`` adding up exactly to the total (largest-
    remainder rounding within the bounds). Bad input raises :class:`~smmkit.errors.AllocationError`
    or :class:`~smmkit.errors.ValidationError` naming the line and the constraint.
    """
    check_total("total", total)
    target = check_number("target", target)
    try:
        goal = Goal(goal)
    except ValueError:
        raise ValidationError(
            "goal", goal, f"must be one of {', '.join(g.value for g in Goal)}"
        ) from None
    if isinstance(lines, LineTable):
        prep = _Prepared.from_table(lines, total, groups)
        core = _table_core(lines)
    else:
        prep = _Prepared(lines, total, groups)
        core = _core_for(lines, prep=prep)
    weights_needed = risk_aversion > 0
    if weights_needed and not core.smooth[0].draws:
        raise ValidationError(
            "risk_aversion", risk_aversion, "risk aversion needs posterior curves (PosteriorCurve)"
        )
    if risk_aversion < 0 or not math.isfinite(risk_aversion):
        raise ValidationError("risk_aversion", risk_aversion, "must be a finite number >= 0")
    notes: list[str] = []
    T_avail = prep.check_total(prep.T, strict)
    if T_avail < prep.T:
        notes.append(
            f"the bounds cap spend at {Money.from_minor_units(T_avail, prep.currency)}: "
            f"{Money.from_minor_units(prep.T - T_avail, prep.currency)} is left "
            "unallocated"
        )
    if goal is not Goal.MAX_RESPONSE and (
        target is None or not target > 0 or not math.isfinite(target)
    ):
        raise ValidationError("target", target, f"goal {goal.value} needs a positive finite target")
    solver = _Solver(prep, core, gap_tolerance, max_nodes, time_limit, risk_aversion)
    if goal is Goal.MAX_RESPONSE:
        T_use = T_avail
    elif goal is Goal.MARGINAL_ROAS:
        assert target is not None
        T_use = solver.spend_at_marginal(target, T_avail)
        notes.append(
            f"spend where the marginal return falls to {target:g}: "
            f"{Money.from_minor_units(T_use, prep.currency)}"
        )
    elif goal is Goal.MIN_SPEND:
        assert target is not None
        T_use = solver.min_spend(target, T_avail)
    else:
        assert target is not None
        ratio = target if goal is Goal.TARGET_ROAS else 1.0 / target
        T_use = solver.max_spend_at_ratio(ratio, T_avail, goal)
    return solver.finish(T_use, goal, notes)


class _Solver:
    def __init__(
        self,
        prep: _Prepared,
        core: Core,
        tol: float,
        max_nodes: int,
        time_limit: float,
        risk: float,
    ) -> None:
        self.p, self.core = prep, core
        self.tol, self.max_nodes, self.time_limit, self.risk = tol, max_nodes, time_limit, risk
        u = prep.unit
        self.a = prep.lo.astype(np.float64) * u
        self.b = np.where(prep.has_hi, prep.hi.astype(np.float64) * u, np.inf)
        self.gspecs = [GroupSpec(g.name, idx, cap * u) for g, idx, cap in prep.groups]
        self._env: Env | None = None
        # the branch-and-bound searches of the whole call share ``time_limit``
        self.deadline = time.perf_counter() + time_limit

    @property
    def env(self) -> Env:
        """The envelope of the lines on their bounds (built on first use)."""
        if self._env is None:
            self._env = self.core.envelope(self.a, self.b)
        return self._env

    # continuous solve at a budget (currency units)
    def solve(self, B: float) -> tuple[Array, float, float, dict[str, float], bool, int, Method]:
        if self.risk > 0:
            return self._solve_cara(B)
        if self.core.smooth and self.core.smooth[0].draws and not self.gspecs:
            return self._solve_posterior(B)
        if self.core.concave:
            sol = self.core.solve(self.env, B, self.gspecs)
            method: Method = (
                "posterior_mean"
                if self.core.smooth and self.core.smooth[0].draws
                else "equal_marginal"
            )
            return sol.x, sol.upper_bound, sol.lam, sol.group_lam, True, 1, method
        res = branch_and_bound(
            self.core,
            self.a,
            self.b,
            B,
            self.gspecs,
            rel_gap=self.tol,
            max_nodes=self.max_nodes,
            time_limit=max(self.deadline - time.perf_counter(), 0.0),
        )
        return (
            res.x,
            res.upper_bound,
            res.lam,
            res.group_lam,
            res.complete,
            res.nodes,
            "branch_and_bound",
        )

    def value(self, B: float) -> tuple[float, float]:
        x, _, lam, *_ = self.solve(B)
        return float(self.core.f(x).sum()), lam

    def spend_at_marginal(self, m: float, T_avail: int) -> int:
        u = self.p.unit
        xmin, _, _ = self.core.reply(self.env, m)
        spend = float(xmin.sum())
        if not spend < (T_avail + 1) * u:  # (a marginal so small that lines without a maximum
            return T_avail  # would spend without bound: inf, or NaN)
        T = math.floor(spend / u + 1e-9)
        return max(min(T, T_avail), int(self.p.lo.sum()))

    def min_spend(self, R: float, T_avail: int) -> int:
        u = self.p.unit
        lo_T = int(self.p.lo.sum())
        v_max, _ = self.value(T_avail * u)
        if v_max < R:
            raise AllocationError(
                f"the target response {R:g} is out of reach: the best the budget "
                f"{Money.from_minor_units(T_avail, self.p.currency)} can do is {v_max:g}",
                constraint="target response",
                hint="raise the total or lower the target.",
            )
        v_lo, _ = self.value(lo_T * u)
        if v_lo >= R:
            return lo_T
        lo_b, hi_b = lo_T * u, T_avail * u
        B = hi_b
        for _ in range(100):
            v, lam = self.value(B)
            if v >= R:
                hi_b = B
            else:
                lo_b = B
            if hi_b - lo_b <= 0.5 * u:
                break
            step = B + (R - v) / lam if lam > 0 else np.nan
            B = step if lo_b < step < hi_b else 0.5 * (lo_b + hi_b)
        T = math.ceil(hi_b / u - 1e-9)
        if T_avail <= T:
            return T_avail
        return _first_true(lambda t: self._rounded_value(t) >= R, T, T_avail)

    def max_spend_at_ratio(self, r: float, T_avail: int, goal: Goal) -> int:
        """Largest spend ``B <= T`` with ``V(B) >= r * B``.

        ``h(B) = V(B) - r*B`` is concave (``V`` is the concave value of the budget), so its
        feasible set is an interval; ``h`` peaks where the marginal return equals ``r``. Newton
        with bisection on the decreasing side finds the right end of the interval.
        """
        u = self.p.unit
        lo_T = int(self.p.lo.sum())
        v, _ = self.value(T_avail * u)
        if v >= r * T_avail * u:
            return T_avail
        peak = min(max(self.spend_at_marginal(r, T_avail), lo_T), T_avail)
        v_peak, _ = self.value(peak * u)
        if peak == 0 or v_peak < r * peak * u:
            shown = r if goal is Goal.TARGET_ROAS else 1 / r
            raise AllocationError(
                f"the {goal.value} target {shown:g} cannot be met at any spend within the "
                f"bounds (best: response {v_peak:g} for "
                f"{Money.from_minor_units(peak, self.p.currency)})",
                constraint=goal.value,
                hint="relax the target or lower the minimums.",
            )
        lo_b, hi_b = peak * u, T_avail * u
        B = 0.5 * (lo_b + hi_b)
        for _ in range(200):
            v, lam = self.value(B)
            h = v - r * B
            if h >= 0:
                lo_b = B
            else:
                hi_b = B
            if hi_b - lo_b <= 0.5 * u:
                break
            d = lam - r
            step = B - h / d if d < 0 else np.nan
            B = step if lo_b < step < hi_b else 0.5 * (lo_b + hi_b)
        T = math.floor(lo_b / u + 1e-9)
        if peak >= T:
            return T
        return _first_true(lambda t: self._rounded_value(t) >= r * t * u, T, peak)

    def _rounded_value(self, T: int) -> float:
        x, *_ = self.solve(T * self.p.unit)
        ints = _round_split(x / self.p.unit, self.p, T)
        return float(self.core.f(ints * self.p.unit).sum())

    def _solve_posterior(
        self, B: float
    ) -> tuple[Array, float, float, dict[str, float], bool, int, Method]:
        """Mean over draws: start from the exact optimum of the plug-in curves (mean parameters,
        closed-form replies), then primal Newton steps on the posterior mean."""
        fams = ["" for _ in range(self.core.n)]
        params: list[dict[str, float]] = [{} for _ in range(self.core.n)]
        for g in self.core.smooth:
            means = {k: v.mean(axis=1) for k, v in g.params.items()}
            fam = _FAMILY_BY_NAMES[g.kernel.names]
            for j, i in enumerate(g.idx):
                fams[int(i)] = fam
                params[int(i)] = {k: float(v[j]) for k, v in means.items()}
        if any(f == "hill" and p["slope"] > 1 for f, p in zip(fams, params, strict=True)):
            x0 = np.full(self.core.n, B / self.core.n)
        else:
            plug = build_core(fams, params, [None] * self.core.n)
            env = plug.envelope(self.a, self.b)
            x0 = plug.solve(env, B).x
        x, lam, ub = newton_smooth(self.core, self.a, self.b, B, x0)
        return x, ub, lam, {}, True, 1, "posterior_mean"

    def _solve_cara(
        self, B: float
    ) -> tuple[Array, float, float, dict[str, float], bool, int, Method]:
        g0 = self.core.smooth[0]
        D = next(iter(g0.params.values())).shape[1]
        a = self.risk
        w = np.full(D, 1.0 / D)
        x = None
        lam = 0.0
        glam: dict[str, float] = {}
        for _ in range(60):
            wcore = _reweighted(self.core, w)
            env = wcore.envelope(self.a, self.b)
            sol = wcore.solve(env, B, self.gspecs, lam0=lam or None)
            x_new, lam, glam = sol.x, sol.lam, sol.group_lam
            R = _draw_totals(self.core, x_new)
            z = -a * (R - R.mean())
            w_new = np.exp(z - z.max())
            w_new /= w_new.sum()
            if x is not None and np.max(np.abs(x_new - x)) <= 1e-12 * max(B, 1e-300):
                x = x_new
                break
            x = x_new
            w = 0.5 * w + 0.5 * w_new
        assert x is not None
        # certificate: concave CE, Frank-Wolfe bound CE(x) + max_y grad.(y - x)
        R = _draw_totals(self.core, x)
        ce = _ce(R, a)
        z = -a * (R - R.mean())
        wx = np.exp(z - z.max())
        wx /= wx.sum()
        grad = _draw_grad(self.core, x, wx)
        y = _linear_max(grad, self.a, self.b, B, self.gspecs)
        ub = ce + float(grad @ (y - x))
        return x, ub, lam, glam, True, 1, "posterior_cara"

    def objective(self, x: Array) -> float:
        if self.risk > 0:
            return _ce(_draw_totals(self.core, x), self.risk)
        return float(self.core.f(x).sum())

    def finish(self, T: int, goal: Goal, notes: list[str]) -> Allocation:
        p = self.p
        u = p.unit
        cur = p.currency
        x, ub, lam, glam, certified, nodes, method = self.solve(T * u)
        if not np.isfinite(x).all():
            bad = int(np.argmax(~np.isfinite(x)))
            raise AllocationError(
                f"the allocation of {Money.from_minor_units(T, cur)} gave line "
                f"{p.names[bad]!r} a spend of {x[bad]} (not a number)",
                line=p.names[bad],
                constraint="finite solution",
                hint="this is a bug in smmkit's solver: please report it with the lines and the "
                "total; expressing the curves' spend in larger units (thousands) may avoid it.",
            )
        ints = _round_split(x / u, p, T)
        posterior = bool(self.core.smooth) and self.core.smooth[0].draws
        if self.risk == 0 and not posterior:
            ints, per_polished = _exchange_polish(self.core, ints, p, u)
        else:
            per_polished = None
        xr = ints.astype(np.float64) * u
        if posterior:
            per, marg, _ = _fgh_all(self.core, xr)
        else:
            # (the polish's last evaluation is at these amounts: the same values)
            per = self.core.f(xr) if per_polished is None else per_polished
            marg = self.core.d1(xr)
        response = self.objective(xr) if self.risk > 0 else float(per.sum())
        if int(p.lo.sum()) == T:
            # every line at its lower bound is the only split: it is the optimum (the dual bound
            # can be NaN there, an infinite marginal at zero times a zero budget)
            ub = response
        gap = max(ub - response, 0.0)
        rel = gap / abs(ub) if ub != 0 else 0.0
        if T > 0 and lam <= 0:
            notes.append(
                "the budget is past the saturation of every line that can take more: "
                "the last units return nothing (spend less with goal='marginal_roas')"
            )
        if not certified:
            notes.append(
                f"the search stopped at its node or time limit after {nodes} nodes; the "
                f"optimum is at most {rel:.3g} (relative) above this split"
            )
        have_current = None not in p.currents
        cur_resp = None
        cur_per = None
        if have_current:
            cx = np.array([float(c.amount) if c else 0.0 for c in p.currents])
            cur_per = self.core.f(cx)
            cur_resp = self.objective(cx)
        no_better = False
        if cur_resp is not None:
            cur_total = sum(int(c.minor_units) for c in p.currents if c)
            if response <= cur_resp + max(abs(cur_resp), 1.0) * 1e-9 and cur_total <= T:
                no_better = True
                notes.append("the optimum is no better than the current mix: keep it")
        log.debug("allocated %s over %d lines: response %.6g, gap %.3g", T, p.n, response, gap)
        return Allocation(
            goal=goal,
            currency=cur,
            budget=Money.from_minor_units(p.T, cur),
            total=Money.from_minor_units(T, cur),
            unallocated=Money.from_minor_units(p.T - T, cur),
            lines=_result_lines(p, ints, x, self.a, per, marg, lam, glam, T, cur_per),
            response=response,
            upper_bound=max(ub, response),
            gap=gap,
            relative_gap=rel,
            marginal=float(lam),
            group_marginals=dict(glam),
            method=method,
            certified=certified,
            nodes=nodes,
            current_response=cur_resp,
            no_better_than_current=no_better,
            notes=tuple(notes),
        )


def _first_true(ok: Callable[[int], bool], start: int, end: int) -> int:
    """The first ``t`` from ``start`` towards ``end`` with ``ok(t)`` (``end`` if none before it).

    What stepping one minor unit at a time from ``start`` finds when ``ok`` stays true once it
    holds (the rounded totals near a goal's boundary), in ``O(log |end - start|)`` calls instead
    of one call per unit: steps of 1, 2, 4, ... until ``ok`` holds or ``end`` is reached, then a
    bisection between the last ``t`` where it failed and there (``end`` counts as true).
    """
    d = 1 if end > start else -1
    if start == end or ok(start):
        return start
    bad, step = start, 1
    while True:
        cand = start + d * step
        if (cand - end) * d >= 0:
            good = end
            break
        if ok(cand):
            good = cand
            break
        bad, step = cand, step * 2
    while abs(good - bad) > 1:
        mid = bad + d * (abs(good - bad) // 2)
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def _result_lines(
    p: _Prepared,
    ints: np.ndarray,
    x: Array,
    a: Array,
    per: Array,
    marg: Array,
    lam: float,
    glam: dict[str, float],
    T: int,
    cur_per: Array | None,
) -> AllocatedLines:
    """The per-line results as arrays (each line object is built when it is read).

    Which bound holds a line is decided over whole arrays, in this order of precedence: locked;
    at its lower bound (``"lower"`` if the bound is positive or the marginal is below the common
    one, else none); at its upper bound; in a full group with a positive group price.
    """
    u = p.unit
    n = p.n
    locked = p.binding_locked
    at_lo = ~locked & (ints == p.lo) & (x <= a * (1 + 1e-12) + 1e-12 * u)
    lower = at_lo & ((p.lo > 0) | (marg < lam * (1 - 1e-9)))
    upper = ~locked & ~at_lo & p.has_hi & (ints == p.hi)
    in_full_group = np.zeros(n, dtype=bool)
    for g, idx, cap in p.groups:
        if int(ints[idx].sum()) >= cap and g.name in glam:
            in_full_group[idx] = True
    group = ~locked & ~at_lo & ~upper & in_full_group
    # (the four masks exclude one another: each line gets at most one code)
    code = np.zeros(n, dtype=np.int8)
    code[lower] = 1
    code[upper] = 2
    code[locked] = 3
    code[group] = 4
    if T and abs(T) < 2**53 and int(np.abs(ints).max(initial=0)) < 2**53:
        shares = ints.astype(np.float64) / T  # exact conversions, one rounding
    else:
        shares = np.array([units / T if T else 0.0 for units in ints.tolist()], dtype=np.float64)
    return AllocatedLines._from_columns(
        _LineColumns(
            names=p.names,
            units=ints.astype(np.int64, copy=True),
            shares=shares,
            responses=np.asarray(per, dtype=np.float64),
            marginals=np.asarray(marg, dtype=np.float64),
            lo=p.lo,
            hi=p.hi,
            has_hi=p.has_hi,
            binding=code,
            groups=p.line_groups,
            currents=p.currents,
            current_responses=None if cur_per is None else cur_per.tolist(),
            currency=p.currency,
            mu=p.mu,
        )
    )


def _exchange_polish(
    core: Core, ints: np.ndarray, p: _Prepared, u: float
) -> tuple[np.ndarray, Array | None]:
    """Move single minor units from line to line while that raises the response.

    For separable concave curves a split that no single-unit move improves is the exact optimum
    over whole minor units; for S-shaped curves it removes what rounding lost. Moves respect the
    bounds and the group caps. Each round moves at most one unit per line, best pairs first.
    Returns the amounts and, when the last round moved nothing (the usual end), each line's
    response at them (``core.f`` of the amounts in currency units), else ``None``.
    """
    k = ints.copy()
    gid = np.full(len(k), -1)
    caps = []
    for gi, (_, idx, cap) in enumerate(p.groups):
        gid[idx] = gi
        caps.append(cap)
    for _ in range(200):
        x = k.astype(np.float64) * u
        fx = core.f(x)
        up = np.where(k < p.hi, core.f(x + u) - fx, -np.inf)
        down = np.where(k > p.lo, fx - core.f(x - u), np.inf)
        tol = 1e-13 * max(abs(float(fx.sum())), 1e-300)
        best_gain = float(up.max(initial=-np.inf) - down.min(initial=np.inf))
        if best_gain <= tol:  # (NaN: compare pair by pair below)
            return k, fx  # no pair of lines gains from a move (the common case: nothing to sort)
        order_up = np.argsort(-up, kind="stable")
        order_down = np.argsort(down, kind="stable")
        room = [cap - int(k[gid == gi].sum()) for gi, cap in enumerate(caps)]
        used = np.zeros(len(k), dtype=bool)
        moved = 0
        di = 0
        for i in order_up[: max(1, min(len(k), 64))]:
            if not np.isfinite(up[i]):
                break
            while di < len(order_down) and (used[order_down[di]] or order_down[di] == i):
                di += 1
            if di >= len(order_down):
                break
            j = order_down[di]
            gain = up[i] - down[j]
            if not gain > tol:
                break
            gi, gj = int(gid[i]), int(gid[j])
            if gi >= 0 and gi != gj and room[gi] <= 0:
                continue
            k[i] += 1
            k[j] -= 1
            if gi >= 0 and gi != gj:
                room[gi] -= 1
            if gj >= 0 and gi != gj:
                room[gj] += 1
            used[i] = used[j] = True
            di += 1
            moved += 1
        if moved == 0:
            return k, fx
    return k, None


def _reweighted(core: Core, w: Array) -> Core:
    smooth = [_Smooth(g.kernel, g.params, g.idx, g.closed, w) for g in core.smooth]
    return Core(core.n, smooth, [])


def _draw_totals(core: Core, x: Array) -> Array:
    total: Array | None = None
    for g in core.smooth:
        v = g.kernel.f(g.params, x[g.idx][:, None]).sum(axis=0)
        total = v if total is None else total + v
    assert total is not None
    return total


def _draw_grad(core: Core, x: Array, w: Array) -> Array:
    out = np.zeros(core.n)
    for g in core.smooth:
        out[g.idx] = g.kernel.d1(g.params, x[g.idx][:, None]) @ w
    return out


def _ce(R: Array, a: float) -> float:
    z = -a * R
    zmax = float(z.max())
    return -(zmax + math.log(float(np.mean(np.exp(z - zmax))))) / a


def _linear_max(grad: Array, a: Array, b: Array, B: float, groups: Sequence[GroupSpec]) -> Array:
    """argmax grad.y over a <= y <= b, sum y = B, group caps (greedy by gradient)."""
    y = a.copy()
    left = B - float(a.sum())
    room_g = {g.name: g.cap - float(a[g.idx].sum()) for g in groups}
    gid = {int(i): g.name for g in groups for i in g.idx}
    for i in np.argsort(-grad, kind="stable"):
        if left <= 0:
            break
        room = b[i] - a[i]
        if int(i) in gid:
            room = min(room, room_g[gid[int(i)]])
        take = min(room, left)
        if take <= 0:
            continue
        y[i] += take
        left -= take
        if int(i) in gid:
            room_g[gid[int(i)]] -= take
    return y
