"""Response curves: how a channel's outcome responds to spend.

Every curve is a frozen pydantic model with a ``family`` tag. It evaluates its value, its marginal
return (first derivative) and its curvature on floats or numpy arrays, gives the inverse of the
marginal where a closed form exists, and says whether it is concave or S-shaped.

The numeric core does not call the models one by one: :func:`_kernel` returns, for each family, a
set of vectorised functions over stacked parameter arrays, so ten thousand lines of six families
evaluate in a handful of numpy calls.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, ParamSpec, Self, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from smmkit.models import ValueModel

__all__ = [
    "CurveShape",
    "ExponentialSaturation",
    "Hill",
    "LinearCap",
    "LogisticSaturation",
    "PiecewiseLinear",
    "Power",
    "ResponseCurve",
]

Array = NDArray[np.float64]
ArrayLike = float | Array

_P = ParamSpec("_P")
_R = TypeVar("_R")


def quiet(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with numpy's floating-point warnings off (infinities are handled explicitly)."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)

    return wrapper


class CurveShape(StrEnum):
    """The shape of a response curve over spend."""

    CONCAVE = "concave"
    """Diminishing returns from the first unit spent: equal marginal returns are optimal."""
    S_SHAPED = "s_shaped"
    """Increasing returns up to an inflection point, diminishing after it."""
    NONCONCAVE = "nonconcave"
    """A piecewise-linear curve whose slopes rise and fall more than once."""


_Pos = Annotated[float, Field(gt=0, allow_inf_nan=False)]


def _clip(x: Any, lo: Any, hi: Any) -> Array:
    """``np.clip`` without its per-call overhead (a large share of small-array solves)."""
    return np.asarray(np.minimum(np.maximum(x, lo), hi))


def _arr(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


def _out(value: Array, like: ArrayLike) -> Any:
    return float(value) if np.ndim(like) == 0 else value


class _Curve(ValueModel):
    """Shared behaviour of the response-curve families."""

    @property
    def shape(self) -> CurveShape:
        return CurveShape.CONCAVE

    @property
    def is_concave(self) -> bool:
        return self.shape is CurveShape.CONCAVE

    @property
    def inflection(self) -> float:
        """Spend where the curve turns from increasing to diminishing returns (0 if concave)."""
        return 0.0

    @property
    def has_closed_form_inverse(self) -> bool:
        """Whether :meth:`inverse_marginal` is a closed formula (otherwise a numeric solve)."""
        return True

    def _params(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.model_dump(exclude={"family"}).items()}

    @quiet
    def value(self, spend: ArrayLike) -> Any:
        """Response at ``spend`` (a float or a numpy array)."""
        k = _kernel(self.family)  # type: ignore[attr-defined]
        x = _arr(spend)
        return _out(k.f(self._param_arrays(), x), spend)

    @quiet
    def marginal(self, spend: ArrayLike) -> Any:
        """Marginal return d(response)/d(spend) at ``spend``."""
        k = _kernel(self.family)  # type: ignore[attr-defined]
        x = _arr(spend)
        return _out(k.d1(self._param_arrays(), x), spend)

    @quiet
    def curvature(self, spend: ArrayLike) -> Any:
        """Second derivative of the response at ``spend``."""
        k = _kernel(self.family)  # type: ignore[attr-defined]
        x = _arr(spend)
        return _out(k.d2(self._param_arrays(), x), spend)

    @quiet
    def inverse_marginal(self, marginal: ArrayLike) -> Any:
        """Spend at which the marginal return equals ``marginal`` (on the diminishing branch).

        Closed form where the family has one; otherwise a vectorised safeguarded Newton solve.
        Returns 0 where even the first unit returns less than ``marginal``.
        """
        k = _kernel(self.family)  # type: ignore[attr-defined]
        m = _arr(marginal)
        p = self._param_arrays()
        if k.inv is not None:
            res = k.inv(p, m)
        else:
            shape = m.shape
            mm = np.atleast_1d(m).astype(np.float64)
            pp = {key: np.broadcast_to(v, mm.shape) for key, v in p.items()}
            lo = np.broadcast_to(np.asarray(k.inflection(p), dtype=np.float64), mm.shape).copy()
            res = _numeric_inverse(k, pp, mm, lo, np.full(mm.shape, np.inf)).reshape(shape)
        return _out(res, marginal)

    def _param_arrays(self) -> dict[str, Array]:
        return {k: np.asarray(v, dtype=np.float64) for k, v in self._params().items()}


class Hill(_Curve):
    """Hill curve: ``top * x**slope / (half_saturation**slope + x**slope)``.

    Concave when ``slope <= 1``, S-shaped when ``slope > 1`` (inflection at
    ``half * ((slope - 1) / (slope + 1)) ** (1 / slope)``). The marginal inverts in closed form only
    for ``slope == 1``.
    """

    family: Literal["hill"] = "hill"
    slope: float = Field(gt=0, le=20, allow_inf_nan=False)
    half_saturation: _Pos
    top: _Pos

    @property
    def shape(self) -> CurveShape:
        return CurveShape.CONCAVE if self.slope <= 1 else CurveShape.S_SHAPED

    @property
    def inflection(self) -> float:
        s = self.slope
        return 0.0 if s <= 1 else self.half_saturation * ((s - 1) / (s + 1)) ** (1 / s)

    @property
    def has_closed_form_inverse(self) -> bool:
        return self.slope == 1


class LogisticSaturation(_Curve):
    """Logistic saturation (as in PyMC-Marketing): ``top * (1 - e^(-lam x)) / (1 + e^(-lam x))``.

    Concave; ``lam`` is per currency unit of spend. The marginal inverts in closed form.
    """

    family: Literal["logistic"] = "logistic"
    lam: _Pos
    top: _Pos


class ExponentialSaturation(_Curve):
    """Exponential saturation: ``top * (1 - e^(-rate x))``. Concave; closed-form inverse."""

    family: Literal["exponential"] = "exponential"
    rate: _Pos
    top: _Pos


class Power(_Curve):
    """Power curve: ``coefficient * x**exponent`` with ``0 < exponent < 1``. Concave."""

    family: Literal["power"] = "power"
    coefficient: _Pos
    exponent: float = Field(gt=0, lt=1, allow_inf_nan=False)


class LinearCap(_Curve):
    """Linear up to a cap: ``slope * min(x, cap)``; nothing more past ``cap``. Concave."""

    family: Literal["linear_cap"] = "linear_cap"
    slope: _Pos
    cap: _Pos

    def _params(self) -> dict[str, float]:
        return {"slope": self.slope, "cap": self.cap}


class PiecewiseLinear(_Curve):
    """Piecewise-linear response through ``points`` ``(spend, response)``, flat after the last.

    The first point must be at spend 0; spends strictly increase; responses never decrease.
    Concave when the slopes never increase; otherwise S-shaped or non-concave, and the allocator
    works with its concave envelope inside a branch-and-bound.
    """

    family: Literal["piecewise_linear"] = "piecewise_linear"
    points: tuple[tuple[float, float], ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> Self:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        if not all(math.isfinite(v) for v in xs + ys):
            raise ValueError("points must be finite numbers")
        if xs[0] != 0:
            raise ValueError(f"the first point must be at spend 0 (got {xs[0]})")
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("the spends of the points must strictly increase")
        if any(b < a for a, b in itertools.pairwise(ys)):
            raise ValueError("the responses of the points must not decrease")
        return self

    @property
    def slopes(self) -> tuple[float, ...]:
        p = self.points
        return tuple((b[1] - a[1]) / (b[0] - a[0]) for a, b in itertools.pairwise(p))

    @property
    def shape(self) -> CurveShape:
        s = self.slopes
        rises = sum(1 for a, b in itertools.pairwise(s) if b > a)
        if rises == 0:
            return CurveShape.CONCAVE
        peak = max(range(len(s)), key=lambda i: s[i])
        rising, falling = s[: peak + 1], s[peak:]
        if all(b >= a for a, b in itertools.pairwise(rising)) and all(
            b <= a for a, b in itertools.pairwise(falling)
        ):
            return CurveShape.S_SHAPED
        return CurveShape.NONCONCAVE

    @property
    def inflection(self) -> float:
        if self.shape is CurveShape.CONCAVE:
            return 0.0
        s = self.slopes
        peak = max(range(len(s)), key=lambda i: s[i])
        return self.points[peak][0]

    @quiet
    def value(self, spend: ArrayLike) -> Any:
        xs = np.array([p[0] for p in self.points])
        ys = np.array([p[1] for p in self.points])
        x = _arr(spend)
        return _out(np.interp(x, xs, ys), spend)

    @quiet
    def marginal(self, spend: ArrayLike) -> Any:
        """Right-hand slope at ``spend`` (0 past the last point)."""
        xs = np.array([p[0] for p in self.points])
        s = np.array([*self.slopes, 0.0])
        x = _arr(spend)
        idx = _clip(np.searchsorted(xs, x, side="right") - 1, 0, len(s) - 1)
        return _out(s[idx], spend)

    @quiet
    def curvature(self, spend: ArrayLike) -> Any:
        return _out(np.zeros_like(_arr(spend)), spend)

    @quiet
    def inverse_marginal(self, marginal: ArrayLike) -> Any:
        """Largest spend whose marginal (on the concave envelope) is at least ``marginal``."""
        hx, _, hs = _hull(
            np.array([p[0] for p in self.points]), np.array([p[1] for p in self.points])
        )
        m = _arr(marginal)
        lengths = np.diff(hx)
        res = (lengths * (hs >= m[..., None])).sum(axis=-1)
        return _out(np.asarray(res, dtype=np.float64), marginal)


ResponseCurve = Annotated[
    Hill | LogisticSaturation | ExponentialSaturation | Power | LinearCap | PiecewiseLinear,
    Field(discriminator="family"),
]
"""Any response curve (a tagged union over ``family``)."""


# ---------------------------------------------------------------------------------------------
# Vectorised kernels: f, f', f'' and (where closed) the inverse marginal over parameter arrays.

Params = dict[str, Array]


@dataclass(frozen=True)
class _Kernel:
    names: tuple[str, ...]
    f: Callable[[Params, Array], Array]
    d1: Callable[[Params, Array], Array]
    d2: Callable[[Params, Array], Array]
    inv: Callable[[Params, Array], Array] | None
    inflection: Callable[[Params], Array]
    s_shaped: Callable[[Params], Array]


def _zero_infl(p: Params) -> Array:
    first = next(iter(p.values()))
    return np.zeros(np.shape(first))


def _false(p: Params) -> Array:
    first = next(iter(p.values()))
    return np.zeros(np.shape(first), dtype=bool)


# Hill ----------------------------------------------------------------------------------------
def _hill_f(p: Params, x: Array) -> Array:
    y = np.maximum(x, 0.0) / p["half_saturation"]
    r = y ** p["slope"]
    return np.asarray(p["top"] * r / (1.0 + r))


def _hill_d1(p: Params, x: Array) -> Array:
    s, h = p["slope"], p["half_saturation"]
    y = np.maximum(x, 0.0) / h
    r = y**s
    out = p["top"] * s / h * (y ** (s - 1.0)) / (1.0 + r) ** 2
    return np.asarray(np.where(np.isnan(out), np.inf, out))


def _hill_d2(p: Params, x: Array) -> Array:
    s, h = p["slope"], p["half_saturation"]
    y = np.maximum(x, 0.0) / h
    r = y**s
    out = p["top"] * s / (h * h) * y ** (s - 2.0) * ((s - 1.0) - (s + 1.0) * r) / (1.0 + r) ** 3
    return np.asarray(np.where(np.isnan(out), -np.inf, out))


def _hill_inv(p: Params, m: Array) -> Array:
    # Closed form only for slope == 1; callers check before using it.
    h, top = p["half_saturation"], p["top"]
    y = np.sqrt(top / (np.maximum(m, 0.0) * h)) - 1.0
    return np.asarray(np.maximum(y, 0.0) * h)


def _hill_infl(p: Params) -> Array:
    s = p["slope"]
    ss = np.maximum(s, 1.0)
    infl = p["half_saturation"] * ((ss - 1.0) / (ss + 1.0)) ** (1.0 / ss)
    return np.asarray(np.where(s > 1.0, infl, 0.0))


# Logistic saturation ---------------------------------------------------------------------------
def _logi_f(p: Params, x: Array) -> Array:
    return np.asarray(p["top"] * np.tanh(0.5 * p["lam"] * np.maximum(x, 0.0)))


def _logi_d1(p: Params, x: Array) -> Array:
    e = np.exp(-p["lam"] * np.maximum(x, 0.0))
    return np.asarray(2.0 * p["top"] * p["lam"] * e / (1.0 + e) ** 2)


def _logi_d2(p: Params, x: Array) -> Array:
    lam = p["lam"]
    e = np.exp(-lam * np.maximum(x, 0.0))
    return np.asarray(-2.0 * p["top"] * lam * lam * e * (1.0 - e) / (1.0 + e) ** 3)


def _logi_inv(p: Params, m: Array) -> Array:
    lam = p["lam"]
    q = _clip(m / (2.0 * p["top"] * lam), 0.0, 0.25)
    e = 2.0 * q / ((1.0 - 2.0 * q) + np.sqrt(np.maximum(1.0 - 4.0 * q, 0.0)))
    return np.asarray(np.where(q >= 0.25, 0.0, -np.log(e) / lam))


# Exponential saturation ------------------------------------------------------------------------
def _exp_f(p: Params, x: Array) -> Array:
    return np.asarray(-p["top"] * np.expm1(-p["rate"] * np.maximum(x, 0.0)))


def _exp_d1(p: Params, x: Array) -> Array:
    return np.asarray(p["top"] * p["rate"] * np.exp(-p["rate"] * np.maximum(x, 0.0)))


def _exp_d2(p: Params, x: Array) -> Array:
    return np.asarray(-p["rate"] * _exp_d1(p, x))


def _exp_inv(p: Params, m: Array) -> Array:
    return np.asarray(np.maximum(np.log(p["top"] * p["rate"] / m) / p["rate"], 0.0))


# Power -------------------------------------------------------------------------------------------
def _pow_f(p: Params, x: Array) -> Array:
    return np.asarray(p["coefficient"] * np.maximum(x, 0.0) ** p["exponent"])


def _pow_d1(p: Params, x: Array) -> Array:
    d = p["coefficient"] * p["exponent"] * np.maximum(x, 0.0) ** (p["exponent"] - 1)
    return np.asarray(d)


def _pow_d2(p: Params, x: Array) -> Array:
    a, e = p["coefficient"], p["exponent"]
    return np.asarray(a * e * (e - 1) * np.maximum(x, 0.0) ** (e - 2))


def _pow_inv(p: Params, m: Array) -> Array:
    a, e = p["coefficient"], p["exponent"]
    return np.asarray((np.maximum(m, 0.0) / (a * e)) ** (1.0 / (e - 1.0)))


# Linear with a cap (the numeric core treats it as piecewise-linear; these serve the model) -----
def _lin_f(p: Params, x: Array) -> Array:
    return np.asarray(p["slope"] * _clip(x, 0.0, p["cap"]))


def _lin_d1(p: Params, x: Array) -> Array:
    return np.asarray(np.where(x < p["cap"], p["slope"], 0.0))


def _lin_d2(p: Params, x: Array) -> Array:
    return np.zeros(np.broadcast(x, p["slope"]).shape)


def _lin_inv(p: Params, m: Array) -> Array:
    return np.asarray(np.where(m <= p["slope"], p["cap"], 0.0) + 0.0 * m)


def fgh(family: str, p: Params, x: Array) -> tuple[Array, Array, Array]:
    """Value, marginal and curvature together, sharing the transcendental calls (one ``exp`` or
    one ``log`` per element): the inner loop of the posterior solver."""
    if family in ("logistic", "exponential"):
        k = p["lam"] if family == "logistic" else p["rate"]
        top = p["top"]
        e = np.exp(-k * np.maximum(x, 0.0))
        if family == "exponential":
            d1 = top * k * e
            return top * (1.0 - e), d1, -k * d1
        q = 1.0 / (1.0 + e)
        d1 = 2.0 * top * k * e * q * q
        return top * (1.0 - e) * q, d1, -k * d1 * (1.0 - e) * q
    if family == "hill":
        s, h, top = p["slope"], p["half_saturation"], p["top"]
        y = np.maximum(x, 1e-300) / h
        r = np.exp(s * np.log(y))
        q = 1.0 / (1.0 + r)
        f = top * r * q
        d1 = top * s * r * q * q / (y * h)
        return f, d1, d1 * ((s - 1.0) - 2.0 * s * r * q) / (y * h)
    kern = _KERNELS[family]
    return kern.f(p, x), kern.d1(p, x), kern.d2(p, x)


_KERNELS: dict[str, _Kernel] = {
    "hill": _Kernel(
        ("slope", "half_saturation", "top"),
        _hill_f,
        _hill_d1,
        _hill_d2,
        None,
        _hill_infl,
        lambda p: np.asarray(p["slope"] > 1.0),
    ),
    "logistic": _Kernel(("lam", "top"), _logi_f, _logi_d1, _logi_d2, _logi_inv, _zero_infl, _false),
    "exponential": _Kernel(("rate", "top"), _exp_f, _exp_d1, _exp_d2, _exp_inv, _zero_infl, _false),
    "power": _Kernel(
        ("coefficient", "exponent"), _pow_f, _pow_d1, _pow_d2, _pow_inv, _zero_infl, _false
    ),
    "linear_cap": _Kernel(("slope", "cap"), _lin_f, _lin_d1, _lin_d2, _lin_inv, _zero_infl, _false),
}


def _kernel(family: str) -> _Kernel:
    return _KERNELS[family]


def _hull(xs: Array, ys: Array) -> tuple[Array, Array, Array]:
    """Upper concave hull of points sorted by x: hull xs, hull ys and segment slopes."""
    keep: list[int] = []
    for i in range(len(xs)):
        while len(keep) >= 2:
            i0, i1 = keep[-2], keep[-1]
            # drop i1 if it lies on or below the chord i0 -> i
            cross = (xs[i1] - xs[i0]) * (ys[i] - ys[i0]) - (ys[i1] - ys[i0]) * (xs[i] - xs[i0])
            if cross >= 0:
                keep.pop()
            else:
                break
        keep.append(i)
    hx, hy = xs[keep], ys[keep]
    slopes = np.diff(hy) / np.diff(hx)
    return hx, hy, slopes


def _root_dec(
    fun: Callable[[Array], tuple[Array, Array]],
    lo: Array,
    hi: Array,
    x0: Array | None = None,
    max_iter: int = 200,
) -> Array:
    """Vectorised root of decreasing functions ``g(x) = 0`` bracketed by ``g(lo) > 0 >= g(hi)``.

    ``fun(x)`` returns ``(g(x), g'(x))`` elementwise. Safeguarded Newton: a step that leaves the
    bracket is replaced by bisection (geometric when the bracket spans a factor of 4 or more).
    Typically 4 to 8 iterations to a few ulps.
    """
    a = lo.astype(np.float64, copy=True)
    b = hi.astype(np.float64, copy=True)
    x = 0.5 * (a + b) if x0 is None else _clip(x0, a, b)
    x = np.where((x <= a) | (x >= b), 0.5 * (a + b), x)
    for _ in range(max_iter):
        g, dg = fun(x)
        a = np.where(g > 0, x, a)
        b = np.where(g <= 0, x, b)
        xn = x - g / dg
        geo = np.sqrt(a * b)
        bad = ~np.isfinite(xn) | (xn <= a) | (xn >= b)
        wide = (a > 0) & (b > 4.0 * a)
        mid = np.where(wide, geo, 0.5 * (a + b))
        xn = np.where(bad, mid, xn)
        done = (np.abs(xn - x) <= 1e-15 * np.abs(x)) | (b - a <= 1e-15 * np.abs(b)) | (g == 0)
        x = xn
        if done.all():
            break
    return x


def _upper_bracket(
    decreasing: Callable[[Array], Array], lo: Array, hi: Array, guess: Array | None = None
) -> Array:
    """Replace infinite ``hi`` by a finite point where ``decreasing`` is <= 0 (by quadrupling)."""
    out = hi.astype(np.float64, copy=True)
    inf = ~np.isfinite(out)
    if not inf.any():
        return out
    start = np.maximum(lo, 0.0) * 2.0 + 1.0
    if guess is not None:
        start = np.maximum(start, np.where(np.isfinite(guess), guess * 2.0, 0.0))
    cand = np.where(inf, start, out)
    for _ in range(2200):
        need = inf & (decreasing(cand) > 0)
        if not need.any():
            break
        cand = np.where(need, cand * 4.0, cand)
    return cand


def _numeric_inverse(
    k: _Kernel, p: Params, m: Array, lo: Array, hi: Array, x0: Array | None = None
) -> Array:
    """Solve ``f'(x) = m`` on ``[lo, hi]`` where ``f'`` decreases (the diminishing branch).

    Returns ``lo`` where ``f'(lo) <= m`` and ``hi`` where ``f'(hi) >= m``.
    """
    out = np.empty(m.shape[0])
    if k.names == ("slope", "half_saturation", "top"):
        return _hill_inverse(p, m, lo, hi, x0)
    d_lo = k.d1(p, lo)
    at_lo = d_lo <= m
    fin = np.isfinite(hi)
    d_hi = np.where(fin, k.d1(p, np.where(fin, hi, lo)), -np.inf)
    at_hi = (~at_lo) & (d_hi >= m)
    todo = ~(at_lo | at_hi)
    out[at_lo] = lo[at_lo]
    out[at_hi] = hi[at_hi]
    if not todo.any():
        return out
    sel = np.flatnonzero(todo)
    pp = {kk: v[sel] for kk, v in p.items()}
    mm = m[sel]
    a = lo[sel]
    warm = None if x0 is None else x0[sel]
    if k.names == ("slope", "half_saturation", "top"):
        out[sel] = _hill_inverse(pp, mm, a, hi[sel], warm)
        return out
    b = _upper_bracket(lambda x: k.d1(pp, x) - mm, a, hi[sel], warm)
    out[sel] = _log_inverse(lambda x: k.d1(pp, x), lambda x: k.d2(pp, x), mm, a, b, warm)
    return out


def _hill_inverse(p: Params, m: Array, lo: Array, hi: Array, x0: Array | None) -> Array:
    """Hill's marginal inverted by Newton in log-log coordinates, where it is nearly straight:
    ``log f' = log(top*s/h) + (s-1)*log(x/h) - 2*log(1 + (x/h)**s)`` (about 8 numpy calls per
    iteration). The tail asymptote ``log f' <= C - (s+1)*log(x/h)`` gives a finite upper bracket.
    """
    s, h, top = p["slope"], p["half_saturation"], p["top"]
    lh = np.log(h)
    c = np.log(top * s / h) - np.log(m)
    u_asym = lh + c / (s + 1.0) + 1e-9
    u_hi = np.where(np.isfinite(hi), np.log(hi), u_asym)
    tiny_u = u_hi - 69.0  # 1e-30 of the upper end: below that, spend is 0 for every purpose
    u_lo = np.maximum(np.log(np.maximum(lo, 1e-300)), tiny_u)
    sm1 = s - 1.0

    def fun(u: Array) -> tuple[Array, Array]:
        ly = u - lh
        r = np.exp(s * ly)
        return c + sm1 * ly - 2.0 * np.log1p(r), sm1 - 2.0 * s * r / (1.0 + r)

    below = fun(u_lo)[0] <= 0  # even the lowest spend returns less than m
    above = ~below & np.isfinite(hi) & (fun(u_hi)[0] >= 0)  # the upper bound still returns more
    u_hi = np.maximum(u_hi, u_lo)
    u0 = None if x0 is None else np.log(_clip(x0, np.exp(u_lo), np.exp(u_hi)))
    u = _root_dec_abs(fun, u_lo, u_hi, u0, skip=below | above)
    x = np.exp(u)
    return np.where(below, lo, np.where(above, hi, _clip(x, lo, hi)))


def _log_inverse(
    d1: Callable[[Array], Array],
    d2: Callable[[Array], Array],
    m: Array,
    lo: Array,
    hi: Array,
    x0: Array | None,
) -> Array:
    """Solve ``d1(x) = m`` for decreasing positive ``d1`` by Newton on ``log d1`` over ``log x``.

    Saturation curves are close to straight lines in log-log coordinates (power laws at both
    ends), so this converges in a few steps where Newton in ``x`` crawls.
    """
    tiny = hi * 1e-30
    lo_x = np.maximum(lo, tiny)
    log_m = np.log(m)

    def fun(u: Array) -> tuple[Array, Array]:
        x = np.exp(u)
        g1 = d1(x)
        g = np.log(g1) - log_m
        dg = x * d2(x) / g1
        return g, dg

    u_lo = np.log(lo_x)
    below = fun(u_lo)[0] <= 0  # the root lies below the lowest point worth resolving
    u0 = None if x0 is None else np.log(_clip(x0, lo_x, hi))
    u = _root_dec_abs(fun, u_lo, np.log(hi), u0, skip=below)
    x = np.exp(u)
    return np.where(below | (x <= tiny * 1.0000001), lo, _clip(x, lo, hi))


def _root_dec_abs(
    fun: Callable[[Array], tuple[Array, Array]],
    lo: Array,
    hi: Array,
    x0: Array | None,
    max_iter: int = 200,
    skip: NDArray[np.bool_] | None = None,
) -> Array:
    """Root of decreasing, mostly concave ``g`` bracketed in ``[lo, hi]`` (absolute tolerance).

    Starts from the right end (or a warm start): for a concave decreasing ``g``, Newton from the
    right of the root never overshoots, so it converges monotonically and quadratically. A step
    from the left that overshoots jumps to the right end once; bisection is the last resort.
    """
    a = lo.copy()
    b = hi.copy()
    x = b.copy() if x0 is None else _clip(x0, a, b)
    jumped = np.zeros(x.shape, dtype=bool)
    if skip is not None and skip.any():
        b = np.where(skip, a, b)
        x = np.where(skip, a, x)
    for _ in range(max_iter):
        g, dg = fun(x)
        a = np.where(g > 0, x, a)
        b = np.where(g <= 0, x, b)
        xn = x - g / dg
        bad = ~np.isfinite(xn) | (xn < a) | (xn > b)
        jump = bad & (g > 0) & ~jumped
        jumped |= jump
        xn = np.where(jump, b, np.where(bad, 0.5 * (a + b), xn))
        done = (
            (np.abs(xn - x) <= 1e-15 * np.maximum(1.0, np.abs(x)))
            | (b - a <= 1e-14)
            | (np.abs(g) <= 4e-15)
        )
        x = xn
        if done.all():
            break
    return x


def curve_params(curve: Any) -> dict[str, float]:
    """The numeric parameters of a curve (internal helper for the numeric core)."""
    return {
        name: float(getattr(curve, "half_saturation" if name == "half_saturation" else name))
        for name in _kernel(curve.family).names
    }
