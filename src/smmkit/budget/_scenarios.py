"""Scenarios (current, optimal, budget up or down) and response-curve tables for plotting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import Money, ValueModel

from ._allocate import Allocation, GroupCap, Line, allocate
from ._curves import quiet

__all__ = ["CurvePoint", "Scenario", "ScenarioTable", "compare_scenarios", "curve_table"]


class Scenario(ValueModel):
    name: str
    budget: Money
    response: float
    roi: float = Field(description="Response per unit of spend.")
    marginal: float | None = Field(description="Marginal return at the split (None: current).")
    amounts: dict[str, Money]
    allocation: Allocation | None = None


class ScenarioTable(ValueModel):
    scenarios: tuple[Scenario, ...]

    def get(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows (one per scenario) for a table or a DataFrame."""
        return [
            {
                "scenario": s.name,
                "budget": str(s.budget),
                "response": s.response,
                "roi": s.roi,
                "marginal": s.marginal,
                **{k: str(v) for k, v in s.amounts.items()},
            }
            for s in self.scenarios
        ]


@quiet
def compare_scenarios(
    lines: Sequence[Line],
    total: Money,
    *,
    changes: Sequence[float] = (-0.2, -0.1, 0.1, 0.2),
    groups: Sequence[GroupCap] = (),
    **kwargs: Any,
) -> ScenarioTable:
    """The current mix (when every line has ``current``), the optimal split of ``total``, and
    the optimal splits of ``total * (1 + change)`` for each change (``-0.1`` is 10% less).
    Budgets the bounds cannot take are skipped (a change is never silently clipped)."""
    out: list[Scenario] = []
    if all(ln.current is not None for ln in lines):
        from ._allocate import _core_for

        core = _core_for(lines)
        cx = np.array([float(ln.current.amount) for ln in lines if ln.current is not None])
        resp = float(core.f(cx).sum())
        cur_total = sum(
            (ln.current for ln in lines if ln.current is not None), Money.zero(total.currency)
        )
        cur_total = cur_total.rounded()
        out.append(
            Scenario(
                name="current",
                budget=cur_total,
                response=resp,
                roi=resp / float(cur_total.amount) if cur_total.amount else 0.0,
                marginal=None,
                amounts={ln.name: ln.current for ln in lines if ln.current},
            )
        )
    budgets = [("optimal", total)]
    for ch in changes:
        if not ch > -1:
            raise ValidationError("changes", ch, "each change must be above -1 (-100%)")
        amount = (total.amount * (1 + Decimal(repr(ch)))).quantize(
            Decimal(1).scaleb(-total.minor_unit), rounding=ROUND_HALF_EVEN
        )
        budgets.append((f"budget {ch:+.0%}", Money(amount=amount, currency=total.currency)))
    for name, b in budgets:
        try:
            alloc = allocate(lines, b, groups=groups, **kwargs)
        except ValueError:
            if name == "optimal":
                raise
            continue
        spend = float(alloc.total.amount)
        out.append(
            Scenario(
                name=name,
                budget=b,
                response=alloc.response,
                roi=alloc.response / spend if spend else 0.0,
                marginal=alloc.marginal,
                amounts=alloc.amounts,
                allocation=alloc,
            )
        )
    return ScenarioTable(scenarios=tuple(out))


class CurvePoint(ValueModel):
    line: str
    spend: float
    response: float
    marginal: float
    roi: float | None


@quiet
def curve_table(
    curves: Mapping[str, Any], max_spend: float, points: int = 21
) -> tuple[CurvePoint, ...]:
    """Response, marginal return and ROI of each curve at ``points`` spends in ``[0, max_spend]``
    (ready to plot: one row per line and spend)."""
    if not max_spend > 0:
        raise ValidationError("max_spend", max_spend, "must be > 0")
    if points < 2:
        raise ValidationError("points", points, "must be >= 2")
    xs = np.linspace(0.0, max_spend, points)
    rows: list[CurvePoint] = []
    for name, curve in curves.items():
        vals = np.asarray(curve.value(xs), dtype=float)
        margs = np.asarray(curve.marginal(xs), dtype=float)
        for x, v, m in zip(xs, vals, margs, strict=True):
            rows.append(
                CurvePoint(
                    line=name,
                    spend=float(x),
                    response=float(v),
                    marginal=float(m) if np.isfinite(m) else float("inf"),
                    roi=float(v / x) if x > 0 else None,
                )
            )
    return tuple(rows)
