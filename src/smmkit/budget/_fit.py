"""Fitting response curves (with carry-over) from spend and outcome history.

The model, per period ``t``::

    outcome[t] = b0 + sum_k g_k * control_k[t] + sum_c beta_c * sat_c(adstock_c(spend_c)[t] / s_c)

with ``s_c`` the channel's largest spend (max-scaling, as PyMC-Marketing does). Given the
non-linear parameters (adstock decay, saturation shape) the rest is linear, so the fit is
*variable projection*: a grid over each channel's non-linear parameters, ordinary least squares for
the linear ones at every grid point, block-coordinate sweeps over channels, then a Nelder-Mead
polish of all non-linear parameters jointly. Parameter uncertainty comes from a seeded moving-block
residual bootstrap (blocks of ``l_max`` periods keep the autocorrelation). numpy only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import ValueModel

from ._adstock import Adstock, GeometricAdstock, WeibullAdstock
from ._curves import ExponentialSaturation, Hill, LogisticSaturation, Power, ResponseCurve

__all__ = ["ChannelFit", "ResponseFit", "fit_channels", "fit_response"]

log = logging.getLogger("smmkit.budget")

Array = NDArray[np.float64]
Family = Literal["logistic", "exponential", "hill", "power"]
AdstockKind = Literal["geometric", "weibull_cdf", "weibull_pdf"] | None


class ResponseFit(ValueModel):
    """A fitted channel: its curve in spend-per-period units, carry-over, quality, uncertainty.

    ``curve`` maps a steady spend per period to the outcome it adds per period (carry-over
    included). ``params`` holds the fitted non-linear parameters on the scaled axis (``alpha``,
    ``lam`` ... as in the model), ``intervals`` their 95% bootstrap percentile intervals and
    ``std_errors`` their bootstrap standard deviations.
    """

    channel: str
    family: Family
    curve: ResponseCurve
    adstock: Adstock | None
    scale: float = Field(description="The spend that maps to 1 on the scaled axis (max spend).")
    coefficient: float
    intercept: float
    control_coefficients: dict[str, float] = Field(default_factory=dict)
    params: dict[str, float]
    intervals: dict[str, tuple[float, float]] = Field(default_factory=dict)
    std_errors: dict[str, float] = Field(default_factory=dict)
    r2: float
    mape: float
    n_obs: int
    bootstrap: int


class ChannelFit(ValueModel):
    """A joint fit of several channels from one weekly (or daily) table."""

    fits: dict[str, ResponseFit]
    intercept: float
    control_coefficients: dict[str, float]
    r2: float
    mape: float
    n_obs: int
    fitted: tuple[float, ...]


# -- family definitions: parameter names, grids, transforms ------------------------------------


@dataclass(frozen=True)
class _Part:
    names: tuple[str, ...]
    grid: Callable[[], list[tuple[float, ...]]]
    to_u: Callable[[tuple[float, ...]], tuple[float, ...]]
    from_u: Callable[[Array], tuple[float, ...]]


def _sig(u: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(u, 700.0), -700.0)))


def _capped_exp(u: float, cap: float) -> float:
    return math.exp(min(u, math.log(cap)))


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


_SAT: dict[str, _Part] = {
    "logistic": _Part(
        ("lam",),
        lambda: [(v,) for v in np.geomspace(0.05, 30, 48)],
        lambda p: (math.log(p[0]),),
        lambda u: (_capped_exp(u[0], 100.0),),
    ),
    "exponential": _Part(
        ("rate",),
        lambda: [(v,) for v in np.geomspace(0.05, 30, 48)],
        lambda p: (math.log(p[0]),),
        lambda u: (_capped_exp(u[0], 100.0),),
    ),
    "hill": _Part(
        ("slope", "half"),
        lambda: [
            (s, h) for s in (0.5, 0.75, 1.0, 1.5, 2.0, 3.0) for h in np.geomspace(0.03, 3, 14)
        ],
        lambda p: (math.log(p[0]), math.log(p[1])),
        lambda u: (_capped_exp(u[0], 20.0), _capped_exp(u[1], 1e3)),
    ),
    "power": _Part(
        ("exponent",),
        lambda: [(v,) for v in np.linspace(0.05, 0.95, 19)],
        lambda p: (_logit(p[0]),),
        lambda u: (_sig(u[0]),),
    ),
}

_ADS: dict[str, _Part] = {
    "none": _Part((), lambda: [()], lambda p: (), lambda u: ()),
    "geometric": _Part(
        ("alpha",),
        lambda: [(v,) for v in np.linspace(0.0, 0.95, 20)],
        lambda p: (_logit(p[0] / 0.99),),
        lambda u: (0.99 * _sig(u[0]),),
    ),
    "weibull_cdf": _Part(
        ("shape", "scale"),
        lambda: [
            (k, s) for k in (0.3, 0.6, 1.0, 2.0, 4.0) for s in (0.05, 0.1, 0.2, 0.35, 0.5, 0.8)
        ],
        lambda p: (math.log(p[0]), _logit(p[1])),
        lambda u: (_capped_exp(u[0], 20.0), min(_sig(u[1]), 1.0)),
    ),
}
_ADS["weibull_pdf"] = _ADS["weibull_cdf"]


def _saturate(family: str, z: Array, p: tuple[float, ...]) -> Array:
    if family == "logistic":
        return np.asarray(np.tanh(0.5 * p[0] * z))
    if family == "exponential":
        return np.asarray(-np.expm1(-p[0] * z))
    if family == "hill":
        r = (np.maximum(z, 0.0) / p[1]) ** p[0]
        return np.asarray(r / (1 + r))
    return np.asarray(np.maximum(z, 0.0) ** p[0])


def _adstock_model(
    kind: str, p: tuple[float, ...], l_max: int, normalize: bool
) -> GeometricAdstock | WeibullAdstock | None:
    if kind == "none":
        return None
    if kind == "geometric":
        return GeometricAdstock(alpha=min(p[0], 0.999999), l_max=l_max, normalize=normalize)
    return WeibullAdstock(
        shape=p[0],
        scale=min(max(p[1], 1e-6), 1.0),
        l_max=l_max,
        normalize=normalize,
        variant="cdf" if kind == "weibull_cdf" else "pdf",
    )


@dataclass
class _Channel:
    name: str
    x: Array
    scale: float
    family: str
    ads: str
    l_max: int
    normalize: bool

    def feature(self, ap: tuple[float, ...], sp: tuple[float, ...]) -> Array:
        model = _adstock_model(self.ads, ap, self.l_max, self.normalize)
        z = self.x / self.scale
        if model is not None:
            z = model.apply(z)
        return _saturate(self.family, z, sp)

    def n_ads(self) -> int:
        return len(_ADS[self.ads].names)


def _ols(design: Array, y: Array) -> tuple[Array, float]:
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    r = y - design @ coef
    return np.asarray(coef, dtype=np.float64), float(r @ r)


class _Problem:
    def __init__(self, channels: list[_Channel], controls: Array, y: Array) -> None:
        self.ch = channels
        self.base = (
            np.column_stack([np.ones(len(y)), controls]) if controls.size else np.ones((len(y), 1))
        )
        self.y = y

    def split(self, theta: list[tuple[tuple[float, ...], tuple[float, ...]]]) -> Array:
        return np.column_stack(
            [self.base] + [c.feature(a, s) for c, (a, s) in zip(self.ch, theta, strict=True)]
        )

    def rss(self, theta: list[tuple[tuple[float, ...], tuple[float, ...]]], y: Array) -> float:
        return _ols(self.split(theta), y)[1]

    def best_for_channel(
        self, k: int, theta: list[tuple[tuple[float, ...], tuple[float, ...]]], y: Array
    ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Grid search over channel ``k``'s non-linear parameters, others fixed (vectorised)."""
        c = self.ch[k]
        others = [
            c2.feature(a, s)
            for j, (c2, (a, s)) in enumerate(zip(self.ch, theta, strict=True))
            if j != k
        ]
        fixed = np.column_stack([self.base, *others]) if others else self.base
        q, _ = np.linalg.qr(fixed)
        ry = y - q @ (q.T @ y)
        cands: list[tuple[tuple[float, ...], tuple[float, ...]]] = []
        cols: list[Array] = []
        z0 = c.x / c.scale
        for ap in _ADS[c.ads].grid():
            model = _adstock_model(c.ads, ap, c.l_max, c.normalize)
            z = model.apply(z0) if model is not None else z0
            for sp in _SAT[c.family].grid():
                cands.append((ap, sp))
                cols.append(_saturate(c.family, z, sp))
        zmat = np.column_stack(cols)
        zr = zmat - q @ (q.T @ zmat)
        num = (zr.T @ ry) ** 2
        den = np.einsum("ij,ij->j", zr, zr)
        gain = np.where(den > 1e-300, num / np.maximum(den, 1e-300), -np.inf)
        return cands[int(np.argmax(gain))]

    # packing for Nelder-Mead
    def pack(self, theta: list[tuple[tuple[float, ...], tuple[float, ...]]]) -> Array:
        u: list[float] = []
        for c, (a, s) in zip(self.ch, theta, strict=True):
            u.extend(_ADS[c.ads].to_u(a))
            u.extend(_SAT[c.family].to_u(s))
        return np.array(u)

    def unpack(self, u: Array) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        out = []
        i = 0
        for c in self.ch:
            na, ns = len(_ADS[c.ads].names), len(_SAT[c.family].names)
            a = _ADS[c.ads].from_u(u[i : i + na])
            s = _SAT[c.family].from_u(u[i + na : i + na + ns])
            out.append((a, s))
            i += na + ns
        return out

    def fit(
        self,
        y: Array,
        start: list[tuple[tuple[float, ...], tuple[float, ...]]] | None,
        sweeps: int = 4,
    ) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        if start is None:
            theta = [
                (_ADS[c.ads].grid()[0], _SAT[c.family].grid()[len(_SAT[c.family].grid()) // 2])
                for c in self.ch
            ]
            for _ in range(sweeps):
                prev = list(theta)
                for k in range(len(self.ch)):
                    theta[k] = self.best_for_channel(k, theta, y)
                if theta == prev:
                    break
        else:
            theta = list(start)
        u0 = self.pack(theta)
        u = _nelder_mead(lambda v: self.rss(self.unpack(v), y), u0)
        return self.unpack(u)


def _nelder_mead(
    fun: Callable[[Array], float], x0: Array, max_iter: int = 2000, tol: float = 1e-10
) -> Array:
    """A plain Nelder-Mead simplex minimiser (deterministic)."""
    n = len(x0)
    if n == 0:
        return x0
    pts = [x0.astype(np.float64)]
    for i in range(n):
        p = x0.astype(np.float64).copy()
        p[i] += 0.25 if abs(p[i]) < 1 else 0.25 * abs(p[i])
        pts.append(p)
    simplex = np.array(pts)
    vals = np.array([fun(p) for p in simplex])
    for _ in range(max_iter):
        order = np.argsort(vals, kind="stable")
        simplex, vals = simplex[order], vals[order]
        if (
            abs(vals[-1] - vals[0]) <= tol * (abs(vals[0]) + 1e-300)
            and np.max(np.abs(simplex[1:] - simplex[0])) < 1e-8
        ):
            break
        centroid = simplex[:-1].mean(axis=0)
        xr = centroid + (centroid - simplex[-1])
        fr = fun(xr)
        if fr < vals[0]:
            xe = centroid + 2.0 * (centroid - simplex[-1])
            fe = fun(xe)
            simplex[-1], vals[-1] = (xe, fe) if fe < fr else (xr, fr)
        elif fr < vals[-2]:
            simplex[-1], vals[-1] = xr, fr
        else:
            xc = centroid + 0.5 * (simplex[-1] - centroid)
            fc = fun(xc)
            if fc < vals[-1]:
                simplex[-1], vals[-1] = xc, fc
            else:
                simplex[1:] = simplex[0] + 0.5 * (simplex[1:] - simplex[0])
                vals[1:] = [fun(p) for p in simplex[1:]]
    return np.asarray(simplex[int(np.argmin(vals))])


# -- public API -----------------------------------------------------------------------------------


def _series(name: str, values: Any) -> Array:
    try:
        arr = np.asarray(list(values), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(name, values, "must be a sequence of numbers") from exc
    if arr.ndim != 1:
        raise ValidationError(name, values, "must be one-dimensional")
    if arr.size == 0:
        raise ValidationError(
            name,
            [],
            "is empty: a fit needs one value per period",
            hint="pass the spend and outcome of each period (at least about 10 periods)",
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValidationError(
            f"{name}[{bad}]", arr[bad], "missing or non-finite value; fill or drop the period first"
        )
    return arr


def _column(table: Any, name: str) -> Any:
    try:
        return table[name]
    except (KeyError, IndexError) as exc:
        raise ValidationError("table", name, "no such column") from exc


def fit_channels(
    table: Mapping[str, Sequence[float]] | Any,
    outcome: str,
    channels: Sequence[str],
    *,
    controls: Sequence[str] = (),
    family: Family = "logistic",
    adstock: AdstockKind = "geometric",
    l_max: int = 8,
    normalize: bool = True,
    bootstrap: int = 200,
    seed: int = 0,
) -> ChannelFit:
    """Fit every channel's carry-over and saturation jointly from a table of periods.

    ``table`` maps column names to equal-length series (a dict of lists, or a pandas DataFrame).
    Spend columns must be non-negative; no value may be missing. Cost: one vectorised least-squares
    scan of ~1,000 candidate curves per channel and sweep, a Nelder-Mead polish, then ``bootstrap``
    polished refits.
    """
    if not channels:
        raise ValidationError("channels", channels, "name at least one spend column")
    if family not in _SAT:
        raise ValidationError("family", family, f"must be one of {sorted(_SAT)}")
    ads_kind = "none" if adstock is None else adstock
    if ads_kind not in _ADS:
        raise ValidationError("adstock", adstock, f"must be None or one of {sorted(_ADS)[:-1]}")
    if bootstrap < 0:
        raise ValidationError("bootstrap", bootstrap, "must be >= 0")
    y = _series(outcome, _column(table, outcome))
    n = len(y)
    chans: list[_Channel] = []
    for name in channels:
        x = _series(name, _column(table, name))
        if len(x) != n:
            raise ValidationError(name, len(x), f"has a different length from {outcome!r} ({n})")
        if np.any(x < 0):
            bad = int(np.flatnonzero(x < 0)[0])
            raise ValidationError(f"{name}[{bad}]", x[bad], "spend cannot be negative")
        if float(x.max()) <= 0:
            raise ValidationError(name, "all zero", "a channel needs some spend to be fitted")
        chans.append(_Channel(name, x, float(x.max()), family, ads_kind, l_max, normalize))
    ctrl = []
    for name in controls:
        c = _series(name, _column(table, name))
        if len(c) != n:
            raise ValidationError(name, len(c), f"has a different length from {outcome!r} ({n})")
        ctrl.append(c)
    k_params = (
        1 + len(ctrl) + sum(1 + len(_ADS[ads_kind].names) + len(_SAT[family].names) for _ in chans)
    )
    if n < k_params + 3:
        raise ValidationError(
            outcome, n, f"needs at least {k_params + 3} periods for {k_params} parameters"
        )
    cmat = np.column_stack(ctrl) if ctrl else np.zeros((n, 0))
    prob = _Problem(chans, cmat, y)
    theta = prob.fit(y, None)
    design = prob.split(theta)
    coef, rss = _ols(design, y)
    fitted = design @ coef
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - rss / tss if tss > 0 else 0.0
    nz = y != 0
    mape = float(np.mean(np.abs((y[nz] - fitted[nz]) / y[nz]))) if nz.any() else 0.0

    # moving-block residual bootstrap
    boots: list[list[tuple[tuple[float, ...], tuple[float, ...]]]] = []
    if bootstrap:
        rng = np.random.default_rng(seed)
        resid = y - fitted
        block = max(1, min(l_max, n // 4))
        n_blocks = math.ceil(n / block)
        for _ in range(bootstrap):
            starts = rng.integers(0, n - block + 1, n_blocks)
            idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:n]
            yb = fitted + resid[idx]
            boots.append(prob.fit(yb, theta))

    nb = 1 + len(ctrl)
    fits: dict[str, ResponseFit] = {}
    for k, ch in enumerate(chans):
        ap, sp = theta[k]
        beta = float(coef[nb + k])
        model = _adstock_model(ads_kind, ap, l_max, normalize)
        total_w = model.total_weight if model is not None else 1.0
        curve = _curve_in_spend_units(family, sp, beta, ch.scale, total_w)
        names = [*_ADS[ads_kind].names, *_SAT[family].names]
        vals = [*ap, *sp]
        params = dict(zip(names, vals, strict=True))
        intervals: dict[str, tuple[float, float]] = {}
        ses: dict[str, float] = {}
        if boots:
            for j, nm in enumerate(names):
                draws = np.array([[*b[k][0], *b[k][1]][j] for b in boots])
                lo, hi = np.percentile(draws, [2.5, 97.5])
                intervals[nm] = (float(lo), float(hi))
                ses[nm] = float(draws.std(ddof=1)) if len(draws) > 1 else 0.0
        fits[ch.name] = ResponseFit(
            channel=ch.name,
            family=family,
            curve=curve,
            adstock=model,
            scale=ch.scale,
            coefficient=beta,
            intercept=float(coef[0]),
            control_coefficients={nm: float(coef[1 + i]) for i, nm in enumerate(controls)},
            params=params,
            intervals=intervals,
            std_errors=ses,
            r2=r2,
            mape=mape,
            n_obs=n,
            bootstrap=bootstrap,
        )
    log.debug("fitted %d channels on %d periods: R2 %.4f", len(chans), n, r2)
    return ChannelFit(
        fits=fits,
        intercept=float(coef[0]),
        control_coefficients={nm: float(coef[1 + i]) for i, nm in enumerate(controls)},
        r2=r2,
        mape=mape,
        n_obs=n,
        fitted=tuple(float(v) for v in fitted),
    )


def _curve_in_spend_units(
    family: str, sp: tuple[float, ...], beta: float, scale: float, total_w: float
) -> Any:
    """The steady-state curve: spend ``x`` per period adds ``beta * sat(x * total_w / scale)``."""
    top = abs(beta) if beta != 0 else 1e-300
    k = total_w / scale
    if family == "logistic":
        return LogisticSaturation(lam=sp[0] * k, top=top)
    if family == "exponential":
        return ExponentialSaturation(rate=sp[0] * k, top=top)
    if family == "hill":
        return Hill(slope=min(sp[0], 20.0), half_saturation=sp[1] / k, top=top)
    return Power(coefficient=top * k ** sp[0], exponent=min(max(sp[0], 1e-6), 1 - 1e-9))


def fit_response(
    spend: Sequence[float],
    outcome: Sequence[float],
    family: Family = "logistic",
    *,
    adstock: AdstockKind = "geometric",
    controls: Mapping[str, Sequence[float]] | None = None,
    l_max: int = 8,
    normalize: bool = True,
    bootstrap: int = 200,
    seed: int = 0,
    name: str = "channel",
) -> ResponseFit:
    """Fit one channel's response curve (with carry-over) from spend and outcome series.

    See :func:`fit_channels` for the model and the method; this is its one-channel form.
    """
    table: dict[str, Sequence[float]] = {"__outcome__": outcome, name: spend}
    for k, v in (controls or {}).items():
        table[k] = v
    spend_arr = _series("spend", spend)
    out_arr = _series("outcome", outcome)
    if len(spend_arr) != len(out_arr):
        raise ValidationError(
            "spend", len(spend_arr), f"has a different length from outcome ({len(out_arr)})"
        )
    fit = fit_channels(
        table,
        "__outcome__",
        [name],
        controls=tuple((controls or {}).keys()),
        family=family,
        adstock=adstock,
        l_max=l_max,
        normalize=normalize,
        bootstrap=bootstrap,
        seed=seed,
    )
    return fit.fits[name]
