"""A reference solver for the allocator tests, independent of smmkit's numeric core.

For a concave problem the optimum equals the minimum over ``lam`` of the Lagrangian dual
``q(lam) = lam*B + sum_i max_{l_i <= x <= u_i} (f_i(x) - lam*x)`` (strong duality). Each inner
maximum is found by plain bisection on the analytic marginal (smooth families, 100 halvings in
log-spend) or by enumerating the kinks (piecewise-linear); ``q`` is minimised by golden-section
search in ``log lam`` and summed with ``math.fsum``. ``q`` is flat to first order at its minimum,
so the value is exact to floating-point precision even where the minimiser is only approximate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt


@dataclass
class RefLine:
    family: str
    params: dict[str, float]
    lo: float
    hi: float
    points: tuple[tuple[float, float], ...] = field(default_factory=tuple)


def _arr(values: object) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def _f(fam: str, p: dict[str, np.ndarray], x: np.ndarray) -> npt.NDArray[np.float64]:
    x = np.maximum(x, 0.0)
    if fam == "hill":
        r = (x / p["half_saturation"]) ** p["slope"]
        return _arr(p["top"] * r / (1 + r))
    if fam == "logistic":
        e = np.exp(-p["lam"] * x)
        return _arr(p["top"] * (1 - e) / (1 + e))
    if fam == "exponential":
        return _arr(p["top"] * (1 - np.exp(-p["rate"] * x)))
    if fam == "power":
        return _arr(p["coefficient"] * x ** p["exponent"])
    raise AssertionError(fam)


def _df(fam: str, p: dict[str, np.ndarray], x: np.ndarray) -> npt.NDArray[np.float64]:
    if fam == "hill":
        s, h = p["slope"], p["half_saturation"]
        y = x / h
        return _arr(p["top"] * s * y ** (s - 1) / (h * (1 + y**s) ** 2))
    if fam == "logistic":
        e = np.exp(-p["lam"] * x)
        return _arr(2 * p["top"] * p["lam"] * e / (1 + e) ** 2)
    if fam == "exponential":
        return _arr(p["top"] * p["rate"] * np.exp(-p["rate"] * x))
    if fam == "power":
        return _arr(p["coefficient"] * p["exponent"] * x ** (p["exponent"] - 1))
    raise AssertionError(fam)


class Reference:
    """``grid`` > 0 restricts spends to multiples of ``grid`` (whole minor units)."""

    def __init__(self, lines: list[RefLine], grid: float = 0.0) -> None:
        self.grid = grid
        self.smooth: dict[str, tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]] = {}
        fams = sorted({ln.family for ln in lines if not ln.points})
        for fam in fams:
            sel = [ln for ln in lines if ln.family == fam and not ln.points]
            keys = sel[0].params.keys()
            p = {k: np.array([ln.params[k] for ln in sel]) for k in keys}
            self.smooth[fam] = (p, np.array([ln.lo for ln in sel]), np.array([ln.hi for ln in sel]))
        self.pl: list[tuple[np.ndarray, np.ndarray]] = []
        for ln in lines:
            if ln.points:
                xs = np.array([q[0] for q in ln.points])
                ys = np.array([q[1] for q in ln.points])
                hi = min(ln.hi, 1e15)
                cand = np.unique(np.clip(np.concatenate([xs, [ln.lo, hi]]), ln.lo, hi))
                self.pl.append((cand, np.interp(cand, xs, ys)))

    def value(self, fam_x: dict[str, np.ndarray]) -> float:
        return math.fsum(
            float(v) for fam, x in fam_x.items() for v in _f(fam, self.smooth[fam][0], x)
        )

    def inner(self, lam: float) -> float:
        terms: list[float] = []
        for fam, (p, lo, hi) in self.smooth.items():
            top = np.where(np.isfinite(hi), hi, 1e12)
            a = np.log(np.maximum(lo, 1e-12))
            b = np.log(np.maximum(top, 1e-12))
            for _ in range(100):
                mid = 0.5 * (a + b)
                go_up = _df(fam, p, np.exp(mid)) > lam
                a = np.where(go_up, mid, a)
                b = np.where(go_up, b, mid)
            x = np.clip(np.exp(0.5 * (a + b)), lo, top)
            cands = [lo, top, x]
            if self.grid:
                g = self.grid
                cands = [
                    lo,
                    top,
                    np.clip(np.floor(x / g) * g, lo, top),
                    np.clip(np.ceil(x / g) * g, lo, top),
                ]
            best = np.maximum.reduce([_f(fam, p, c) - lam * c for c in cands])
            terms.extend(float(v) for v in best)
        for cand, vals in self.pl:
            terms.append(float(np.max(vals - lam * cand)))
        return math.fsum(terms)

    def optimum(self, B: float) -> float:
        def q(u: float) -> float:
            lam = math.exp(u)
            return math.fsum([lam * B, self.inner(lam)])

        lo, hi = math.log(1e-9), math.log(1e6)
        g = (math.sqrt(5) - 1) / 2
        c, d = hi - g * (hi - lo), lo + g * (hi - lo)
        fc, fd = q(c), q(d)
        for _ in range(80):
            if fc < fd:
                hi, d, fd = d, c, fc
                c = hi - g * (hi - lo)
                fc = q(c)
            else:
                lo, c, fc = c, d, fd
                d = lo + g * (hi - lo)
                fd = q(d)
        return min(fc, fd)
