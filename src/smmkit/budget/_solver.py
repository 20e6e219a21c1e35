"""The numeric core of the allocator: exact concave solves and a global branch-and-bound.

Notation: line ``i`` spends ``x_i`` in ``[a_i, b_i]`` and returns ``f_i(x_i)``; the budget is
``B = sum x_i``. For a price ``lam`` (the common marginal return) each line's best reply is
``argmax f_i(x) - lam * x``; the total best reply ``S(lam)`` never increases with ``lam``, so the
optimum is the ``lam`` where ``S(lam) = B`` (equal marginal returns, with bounds).

Non-concave lines (S-shaped or non-concave piecewise-linear) are replaced by their concave
envelope on their current domain: a chord from ``(a, f(a))`` to the tangent point ``t`` followed
by the curve itself. The envelope problem is concave and solved exactly; its dual value bounds the
true optimum from above. A best-first branch-and-bound splits the domain of the line whose envelope
overstates it most, which tightens the envelopes, until the certified gap is below tolerance.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from smmkit.errors import AllocationError

from ._curves import (
    Array,
    Params,
    _clip,
    _Kernel,
    _kernel,
    _log_inverse,
    _root_dec,
    _upper_bracket,
    fgh,
)

__all__ = ["Core", "Env", "GroupSpec", "Solution"]

# The price search: at most this many steps (each one best reply of every line). Growing or
# shrinking the price by squaring factors reaches any float in ~10 steps, bisection in the log
# then halves the exponent's bracket (~11 steps) and Newton finishes: far fewer are ever used.
_MAX_PRICE_STEPS = 300
_HUGE_PRICE = 1e300
_TINY_PRICE = 1e-290


@dataclass
class _Smooth:
    """Lines of one smooth family (optionally a mean over posterior draws), vectorised."""

    kernel: _Kernel
    params: Params  # arrays of shape (m,) or (m, D)
    idx: np.ndarray
    closed: bool
    weights: Array | None = None  # draw weights (sum 1) when params are 2-D

    @property
    def draws(self) -> bool:
        return next(iter(self.params.values())).ndim == 2

    def _ev(self, fn: str, x: Array, p: Params | None = None) -> Array:
        pp = self.params if p is None else p
        func = getattr(self.kernel, fn)
        if next(iter(pp.values())).ndim == 2:
            v = func(pp, x[:, None])
            if self.weights is None:
                return np.asarray(v.mean(axis=1))
            return np.asarray(v @ self.weights)
        return np.asarray(func(pp, x))

    def f(self, x: Array) -> Array:
        return self._ev("f", x)

    def d1(self, x: Array) -> Array:
        return self._ev("d1", x)

    def d2(self, x: Array) -> Array:
        return self._ev("d2", x)

    def sub(self, sel: np.ndarray) -> Params:
        return {k: v[sel] for k, v in self.params.items()}

    def infl(self) -> Array:
        if self.draws:
            return np.zeros(len(self.idx))
        return np.asarray(self.kernel.inflection(self.params), dtype=np.float64)


@dataclass
class _PL:
    """One piecewise-linear line (its original points)."""

    i: int
    xs: Array
    ys: Array


@dataclass
class Env:
    """Concave envelope of every line on its domain ``[a, b]``."""

    a: Array
    b: Array
    t: Array  # end of the chord (== a when there is none)
    c: Array  # chord slope, NaN when there is none
    fa: Array  # f(a)
    # piecewise-linear lines: padded segments of the hull on [a, b]
    pl_len: Array = field(default_factory=lambda: np.zeros((0, 0)))
    pl_slope: Array = field(default_factory=lambda: np.zeros((0, 0)))
    breakpoints: Array = field(default_factory=lambda: np.zeros(0))

    def copy(self) -> Env:
        return replace(
            self,
            a=self.a.copy(),
            b=self.b.copy(),
            t=self.t.copy(),
            c=self.c.copy(),
            fa=self.fa.copy(),
            pl_len=self.pl_len.copy(),
            pl_slope=self.pl_slope.copy(),
        )


@dataclass(frozen=True)
class GroupSpec:
    """A cap on the total spend of some lines (indices into the problem)."""

    name: str
    idx: np.ndarray
    cap: float


@dataclass
class Solution:
    x: Array
    lam: float
    group_lam: dict[str, float]
    upper_bound: float  # dual bound of the envelope problem
    envelope_value: float
    iterations: int = 0


class Core:
    """Vectorised evaluation and solves over a fixed set of lines."""

    def __init__(self, n: int, smooth: Sequence[_Smooth], pls: Sequence[_PL]) -> None:
        self.n = n
        self.smooth = list(smooth)
        self.pls = list(pls)
        self.pl_idx = np.array([p.i for p in self.pls], dtype=np.intp)
        infl = np.zeros(n)
        for g in self.smooth:
            infl[g.idx] = g.infl()
        if self.pls:
            self._pl_tables()
            infl[self.pl_idx] = self._pl_infl
        self.inflection = infl
        self.concave = bool(np.all(infl <= 0))

    # -- evaluation of the true curves ---------------------------------------------------------
    def f(self, x: Array) -> Array:
        out = np.zeros(self.n)
        for g in self.smooth:
            out[g.idx] = g.f(x[g.idx])
        if self.pls:
            out[self.pl_idx] = self._pl_value(x[self.pl_idx])
        return out

    def _pl_value(self, x: Array) -> Array:
        if not hasattr(self, "_pl_xs"):
            self._pl_tables()
        xs = self._pl_xs
        seg = _clip(x[:, None], xs[:, :-1], xs[:, 1:]) - xs[:, :-1]
        seg = np.where(np.isfinite(xs[:, :-1]) & (seg > 0), seg, 0.0)
        return np.asarray(self._pl_y0 + (seg * self._pl_sl).sum(axis=1))

    def d1(self, x: Array) -> Array:
        out = np.zeros(self.n)
        for g in self.smooth:
            out[g.idx] = g.d1(x[g.idx])
        if self.pls:
            if not hasattr(self, "_pl_xs"):
                self._pl_tables()
            xi = x[self.pl_idx][:, None]
            inside = (xi >= self._pl_xs[:, :-1]) & (xi < self._pl_xs[:, 1:])
            out[self.pl_idx] = np.where(inside, self._pl_sl, 0.0).sum(axis=1)
        return out

    # -- envelopes -----------------------------------------------------------------------------
    def envelope(self, a: Array, b: Array) -> Env:
        env = Env(
            a=a.astype(np.float64),
            b=b.astype(np.float64),
            t=a.astype(np.float64),
            c=np.full(self.n, np.nan),
            fa=np.zeros(self.n),
        )
        env.fa = self.f(env.a)
        for g in self.smooth:
            self._smooth_env(env, g, np.arange(len(g.idx)))
        self._pl_env(env, range(len(self.pls)))
        self._breakpoints(env)
        return env

    def restrict(self, env: Env, i: int, a_i: float, b_i: float) -> Env:
        """A copy of ``env`` with line ``i``'s domain replaced (envelope recomputed for it)."""
        new = env.copy()
        new.a[i], new.b[i] = a_i, b_i
        new.t[i], new.c[i] = a_i, np.nan
        one = np.zeros(self.n)
        one[i] = a_i
        new.fa[i] = self.f(one)[i]
        for g in self.smooth:
            pos = np.flatnonzero(g.idx == i)
            if pos.size:
                self._smooth_env(new, g, pos)
        for k, p in enumerate(self.pls):
            if p.i == i:
                self._pl_env(new, [k])
        self._breakpoints(new)
        return new

    def _smooth_env(self, env: Env, g: _Smooth, pos: np.ndarray) -> None:
        if g.draws:
            return
        ii = g.idx[pos]
        a, b = env.a[ii], env.b[ii]
        z = g.infl()[pos]
        s_mask = (z > a) & (b > a)
        if not s_mask.any():
            return
        sel = pos[s_mask]
        i_s = g.idx[sel]
        p = g.sub(sel)
        a_s, b_s, z_s = env.a[i_s], env.b[i_s], z[s_mask]
        k = g.kernel
        fa = k.f(p, a_s)

        def phi(tt: Array) -> Array:
            return np.asarray(k.d1(p, tt) * (tt - a_s) - (k.f(p, tt) - fa))

        hi = _upper_bracket(phi, z_s, np.full(len(i_s), np.inf))
        tt = _root_dec(lambda u: (phi(u), k.d2(p, u) * (u - a_s)), z_s, hi)
        chord_all = (tt >= b_s) | (b_s <= z_s)
        t_final = np.where(chord_all, b_s, tt)
        slope_chord = (k.f(p, b_s) - fa) / (b_s - a_s)
        c = np.where(chord_all, slope_chord, k.d1(p, tt))
        env.t[i_s] = t_final
        env.c[i_s] = c

    def _pl_tables(self) -> None:
        width = max(len(p.xs) for p in self.pls) + 1
        m = len(self.pls)
        xs = np.empty((m, width))
        slopes = np.full((m, width - 1), 0.0)
        for k, p in enumerate(self.pls):
            xs[k, : len(p.xs)] = p.xs
            xs[k, len(p.xs) :] = np.inf  # flat tail after the last point
            xs[k, len(p.xs) - 1 + 1 :] = np.inf
            slopes[k, : len(p.xs) - 1] = np.diff(p.ys) / np.diff(p.xs)
        self._pl_xs = xs
        self._pl_sl = slopes
        self._pl_y0 = np.array([float(p.ys[0]) for p in self.pls])
        valid = np.isfinite(xs[:, 1:])
        rises = (np.diff(slopes, axis=1) > 0) & valid[:, 1:]
        self._pl_concave = ~rises.any(axis=1)
        peak = np.argmax(np.where(valid, slopes, -np.inf), axis=1)
        self._pl_infl = np.where(self._pl_concave, 0.0, xs[np.arange(m), peak])

    def _pl_env(self, env: Env, which: Sequence[int] | range) -> None:
        if not self.pls:
            return
        if not hasattr(self, "_pl_xs"):
            self._pl_tables()
        rows = np.asarray(list(which), dtype=np.intp)
        xs, sl = self._pl_xs[rows], self._pl_sl[rows]
        ii = self.pl_idx[rows]
        a, b = env.a[ii][:, None], env.b[ii][:, None]
        lo = _clip(xs[:, :-1], a, b)
        hi = _clip(xs[:, 1:], a, b)
        lens = np.where(hi > lo, hi - lo, 0.0)
        width = lens.shape[1]
        if env.pl_len.shape != (len(self.pls), width):
            env.pl_len = np.zeros((len(self.pls), width))
            env.pl_slope = np.full((len(self.pls), width), -1.0)
        env.pl_len[rows] = lens
        env.pl_slope[rows] = np.where(lens > 0, sl, -1.0)
        for r in rows[~np.asarray(self._pl_concave)[rows]]:
            p = self.pls[r]
            a_r, b_r = float(env.a[p.i]), float(env.b[p.i])
            px, py = _restrict_points(p.xs, p.ys, a_r, b_r)
            hx, _, hs = _hull_points(px, py)
            ln = np.diff(hx)
            if b_r > p.xs[-1]:
                ln = np.append(ln, b_r - max(a_r, float(p.xs[-1])))
                hs = np.append(hs, 0.0)
            if len(ln) > width:  # pragma: no cover - the hull never has more pieces
                raise RuntimeError("piecewise-linear hull wider than its curve")
            env.pl_len[r, :] = 0.0
            env.pl_slope[r, :] = -1.0
            env.pl_len[r, : len(ln)] = ln
            env.pl_slope[r, : len(hs)] = hs

    def _breakpoints(self, env: Env) -> None:
        parts = [env.c[~np.isnan(env.c)]]
        if self.pls:
            parts.append(env.pl_slope[env.pl_len > 0])
        bp = np.unique(np.concatenate(parts)) if parts else np.zeros(0)
        env.breakpoints = bp[bp >= 0]

    def fhat(self, env: Env, x: Array) -> Array:
        """Envelope value of every line at ``x``."""
        out = self.f(x)
        chord = ~np.isnan(env.c) & (x < env.t)
        out[chord] = env.fa[chord] + env.c[chord] * (x[chord] - env.a[chord])
        if self.pls:
            ii = self.pl_idx
            starts = np.concatenate(
                [np.zeros((len(ii), 1)), np.cumsum(env.pl_len, axis=1)[:, :-1]], axis=1
            )
            dx = _clip((x[ii] - env.a[ii])[:, None] - starts, 0.0, env.pl_len)
            dx = np.where(env.pl_len > 0, dx, 0.0)
            out[ii] = env.fa[ii] + (dx * np.where(env.pl_len > 0, env.pl_slope, 0.0)).sum(axis=1)
        return out

    # -- best replies ----------------------------------------------------------------------------
    def reply(self, env: Env, lam: float, warm: Array | None = None) -> tuple[Array, Array, float]:
        """Best replies at price ``lam``: the smallest and largest maximisers and dS/dlam."""
        xmin = env.a.copy()
        xmax = env.a.copy()
        dS = 0.0
        self._curv_w = np.zeros(self.n)  # -dx/dlam = 1/|f''| of the free smooth lines
        for g in self.smooth:
            ii = g.idx
            a, b, c = env.a[ii], env.b[ii], env.c[ii]
            has_chord = ~np.isnan(c)
            if not has_chord.any():  # concave on the whole domain: the fast path
                m = np.full(len(ii), lam)
                if g.closed:
                    inv = g.kernel.inv
                    assert inv is not None
                    x = _clip(inv(g.params, m), a, b)
                else:
                    x = self._numeric(g, m, a, b, None if warm is None else warm[ii])
                xmin[ii] = x
                xmax[ii] = x
                free = (x > a) & (x < b)
                if free.any():
                    h = g.d2(x)
                    inv_h = np.where(free & (h < 0), 1.0 / h, 0.0)
                    self._curv_w[ii] = -inv_h
                    dS += float(np.sum(inv_h))
                continue
            t = env.t[ii]
            lo = np.where(has_chord, t, a)
            tail = ~has_chord | (lam < c)
            m = np.full(len(ii), lam)
            if g.closed:
                inv = g.kernel.inv
                assert inv is not None
                x = inv(g.params, m)
                x = _clip(x, lo, b)
            else:
                x = self._numeric(g, m, lo, b, None if warm is None else warm[ii])
            x = np.where(tail, x, a)
            xl = x.copy()
            xh = x.copy()
            tie = has_chord & (lam == c)
            xl = np.where(tie, a, xl)
            xh = np.where(tie, t, xh)
            xmin[ii] = _clip(xl, a, b)
            xmax[ii] = _clip(xh, a, b)
            free = tail & (x > lo) & (x < b)
            if free.any():
                h = g.d2(x)
                inv_h = np.where(free & (h < 0), 1.0 / h, 0.0)
                self._curv_w[ii] = -inv_h
                dS += float(np.sum(inv_h))
        if self.pls:
            ii = self.pl_idx
            ln, sl = env.pl_len, env.pl_slope
            lo_take = np.where(sl > lam, ln, 0.0).sum(axis=1)
            hi_take = np.where(sl >= lam, ln, 0.0).sum(axis=1)
            xmin[ii] = np.minimum(env.a[ii] + lo_take, env.b[ii])
            xmax[ii] = np.minimum(env.a[ii] + hi_take, env.b[ii])
        return xmin, xmax, dS

    def _numeric(self, g: _Smooth, m: Array, lo: Array, hi: Array, warm: Array | None) -> Array:
        if not g.draws:
            from ._curves import _numeric_inverse

            return _numeric_inverse(g.kernel, g.params, m, lo, hi, warm)
        out = np.empty(len(m))
        d_lo = g.d1(lo)
        at_lo = d_lo <= m
        fin = np.isfinite(hi)
        d_hi = np.where(fin, g.d1(np.where(fin, hi, lo)), -np.inf)
        at_hi = (~at_lo) & (d_hi >= m)
        out[at_lo] = lo[at_lo]
        out[at_hi] = hi[at_hi]
        todo = np.flatnonzero(~(at_lo | at_hi))
        if todo.size:
            sub = _Smooth(g.kernel, g.sub(todo), g.idx[todo], g.closed, g.weights)
            mm = m[todo]
            hb = _upper_bracket(
                lambda x: sub.d1(x) - mm, lo[todo], hi[todo], None if warm is None else warm[todo]
            )
            out[todo] = _log_inverse(
                sub.d1, sub.d2, mm, lo[todo], hb, None if warm is None else warm[todo]
            )
        return out

    # -- the concave solve -------------------------------------------------------------------------
    def solve_budget(
        self, env: Env, B: float, lam0: float | None = None
    ) -> tuple[Array, float, int]:
        """Exact maximiser of the envelope problem with ``sum x = B`` (``sum a <= B <= sum b``).

        Safeguarded Newton on ``lam`` using ``S'(lam) = sum 1/f''`` over free smooth lines; jumps
        of ``S`` (chords, piecewise-linear segments) are located among the known breakpoints by
        binary search. Returns the spends, the price and the number of iterations.
        """
        a, b = env.a, env.b
        self.last_reply: tuple[float, Array] | None = None
        Sa = float(a.sum())
        scale = max(abs(B), 1e-300)
        # Stop once the total is within 1e-7; the last step of the fill is then an exact-to-
        # second-order Newton correction (error ~1e-14 of the budget), saving an iteration.
        tol = 1e-7 * scale
        if Sa + tol >= B:
            x = a.copy()
            lam = float(np.max(self._marginal_at(env, a), initial=0.0))
            return x, lam, 0
        Sb = float(b.sum())
        if Sb * (1.0 - 1e-15) <= B:
            # The budget takes every line to its upper bound: that is the split, at any price up
            # to the smallest marginal return (of the envelope) at the upper bounds. No search:
            # where a curve is flat in floating point (a marginal that underflows to 0 long
            # before the bound) no positive price would ever bracket the budget.
            return self._at_upper_bounds(env)
        lo, hi = 0.0, np.inf  # S_min(lo) >= B (or lo == 0); S_max(hi) < B
        x_lo: Array | None = None  # largest replies at lo, smallest at hi
        x_hi: Array | None = None
        warm: Array | None = None
        it = 0
        bp = env.breakpoints
        # Phase 1: binary search over the breakpoints (where S jumps) for the smooth interval.
        k_lo, k_hi = -1, bp.size
        if bp.size and lam0 is not None and lam0 > 0:
            k = int(np.searchsorted(bp, lam0))
            k_lo, k_hi = max(k - 2, -1), min(k + 1, bp.size)
            # widen if the warm interval does not bracket
        while k_hi - k_lo > 1:
            mid = (k_lo + k_hi) // 2
            lam = float(bp[mid])
            it += 1
            xmin, xmax, _ = self.reply(env, lam, warm)
            warm = xmin
            smin, smax = float(xmin.sum()), float(xmax.sum())
            if smin > B + tol:
                k_lo, lo, x_lo = mid, lam, xmax
                if k_hi - k_lo <= 1 and k_hi < bp.size and x_hi is None:
                    k_hi = bp.size  # the warm guess was too narrow
            elif smax < B - tol:
                k_hi, hi, x_hi = mid, lam, xmin
                if k_hi - k_lo <= 1 and k_lo > -1 and x_lo is None:
                    k_lo = -1
            else:
                self.last_reply = (lam, xmin)
                return self._fill(env, xmin, xmax, B, lam), lam, it
        # Phase 2: no breakpoint strictly inside (lo, hi): S is smooth there. Safeguarded Newton;
        # while one end of the bracket is still open (lo == 0 or hi == inf) the price moves by
        # factors that square at each step (4, 16, 256, ...), so any price a float can hold is
        # reached in about ten steps.
        if lam0 is not None and lo < lam0 < hi:
            lam = lam0
        elif np.isfinite(hi) and lo > 0:
            lam = math.sqrt(lo) * math.sqrt(hi)
        elif np.isfinite(hi):
            lam = hi * 0.5
        else:
            lam = max(self._lam_guess(env, B), lo * 2.0)
        grow = shrink = 4.0
        far_steps = 0
        for _ in range(_MAX_PRICE_STEPS):
            it += 1
            xmin, xmax, dS = self.reply(env, lam, warm)
            warm = xmin
            smin, smax = float(xmin.sum()), float(xmax.sum())
            if smin > B + tol:
                lo, x_lo = lam, xmax
            elif smax < B - tol:
                hi, x_hi = lam, xmin
            else:
                self.last_reply = (lam, xmin)
                return self._fill(env, xmin, xmax, B, lam), lam, it
            if np.isfinite(hi) and hi - lo <= 4e-16 * hi:
                assert x_lo is not None and x_hi is not None
                self.last_reply = None
                return self._fill(env, x_hi, x_lo, B, lam), lam, it
            s_now = smin if smin > B else smax
            nxt = lam + (B - s_now) / dS if dS < 0 else np.nan
            # Far from the total (a factor of 2 or more) for a third step in a row, the linear
            # model of S is crawling (a power-law S moves the price by a constant factor per
            # Newton step): the price then moves at least as far as a galloping or bisecting
            # step would.
            far_steps = far_steps + 1 if (s_now > 2.0 * B or s_now < 0.5 * B) else 0
            far = far_steps >= 3
            if not np.isfinite(hi):
                jump = min(max(lam, lo, 1e-300) * grow, _HUGE_PRICE)
                if not (lo < nxt < hi) or far:
                    nxt = jump if not (lo < nxt < hi) else max(nxt, jump)
                    grow = min(grow * grow, 1e300)
            elif lo <= 0 and (not (lo < nxt < hi) or far):
                assert x_hi is not None
                # Every price tried leaves money over: the lines absorb the rest only at
                # marginal returns below ``hi``. By weak duality the optimum is at most
                # ``F(x_hi) + hi * (B - S(hi))``, and any split between the replies at ``hi``
                # and the upper bounds is worth at least ``F(x_hi)`` (the curves never fall):
                # once ``hi`` makes that difference negligible, such a split is the optimum.
                s_hi = float(x_hi.sum())
                f_hi = abs(float(self.fhat(env, x_hi).sum()))
                if hi * (B - s_hi) <= 1e-15 * f_hi or hi <= _TINY_PRICE:
                    self.last_reply = (hi, x_hi)
                    return self._fill(env, x_hi, b.copy(), B, hi), hi, it
                # no lower than where that difference would be negligible (if S stayed put)
                jump = max(hi / shrink, 0.5e-15 * f_hi / (B - s_hi))
                nxt = jump if not (lo < nxt < hi) else min(nxt, jump)
                shrink = min(shrink * shrink, 1e300)
            elif not (lo < nxt < hi) or far:
                nxt = math.sqrt(lo) * math.sqrt(hi) if hi > 4 * lo else 0.5 * (lo + hi)
            if not (lo < nxt < hi) and np.isfinite(hi):
                nxt = 0.5 * (lo + hi)
            if not (lo < nxt < hi):  # the bracket cannot be narrowed in floating point
                # (subnormal prices, ~1e-310, are that coarse): fill between its two ends
                if x_lo is None or x_hi is None:  # pragma: no cover - an end is finite by now
                    break
                self.last_reply = None
                return self._fill(env, x_hi, x_lo, B, lam), lam, it
            lam = float(nxt)
        raise AllocationError(
            f"the allocation did not converge after {it} steps: the common marginal return "
            f"stayed between {lo:.6g} and {hi:.6g} without the spends adding up to the total "
            f"{B:.17g}",
            constraint="convergence",
            hint="this is a bug in smmkit's solver: please report it with the lines and the "
            "total; expressing the curves' spend in larger units (thousands) may avoid it.",
        )

    def _at_upper_bounds(self, env: Env) -> tuple[Array, float, int]:
        """Every line at its upper bound, priced at the smallest marginal return of the
        envelopes there (the left derivative: a chord's slope where the chord reaches it)."""
        b = env.b
        m = self.d1(b)
        chord_to_b = ~np.isnan(env.c) & (env.t >= b)
        m[chord_to_b] = env.c[chord_to_b]
        wide = b > env.a
        lam = float(np.min(m[wide], initial=np.inf)) if wide.any() else 0.0
        lam = max(lam, 0.0) if np.isfinite(lam) else 0.0
        x = b.copy()
        self.last_reply = (lam, x)
        return x, lam, 0

    def _fill(self, env: Env, xmin: Array, xmax: Array, B: float, lam: float) -> Array:
        smin, smax = float(xmin.sum()), float(xmax.sum())
        gap = np.where(np.isfinite(xmax), xmax - xmin, np.inf)
        if smin <= B <= smax and smax > smin:
            inf = ~np.isfinite(gap)
            if inf.any():
                fin_sum = float(gap[~inf].sum())
                need = B - smin
                if need <= fin_sum:
                    gap = np.where(inf, 0.0, gap)
                else:
                    x = xmin + np.where(inf, 0.0, gap)
                    x[inf] += (need - fin_sum) / int(inf.sum())
                    return x
            total_gap = float(gap.sum())
            if not total_gap > 0:  # (B == smin: nothing to hand out)
                return xmin.copy()
            theta = (B - smin) / total_gap
            return np.asarray(xmin + theta * gap)
        x = xmin if abs(smin - B) <= abs(smax - B) else xmax
        x = x.copy()
        # tiny residual: spread on the lines strictly inside their bounds, weighted by 1/|f''|;
        # what a bound clips off is spread again over the lines left with room (a few passes)
        curv_w = self._curv_w
        for _ in range(4):
            resid = B - float(x.sum())
            if resid == 0.0:
                break
            inside = (x > env.a) & (x < env.b)
            if not inside.any():
                inside = (x < env.b) if resid > 0 else (x > env.a)
            w = np.where(inside, curv_w, 0.0)
            if not np.any(w > 0):
                w = np.where(inside, np.maximum(np.abs(x), 1e-300), 0.0)
            if not np.any(w > 0):  # no line has room: a residual of rounding size stays
                break
            nxt = _clip(x + resid * w / w.sum(), env.a, env.b)
            if np.array_equal(nxt, x):
                break
            x = nxt
        return x

    def _marginal_at(self, env: Env, x: Array) -> Array:
        m = self.d1(x)
        chord = ~np.isnan(env.c) & (x < env.t)
        m[chord] = env.c[chord]
        return m

    def _lam_guess(self, env: Env, B: float) -> float:
        span = np.where(np.isfinite(env.b), env.b - env.a, np.nan)
        fin = np.isfinite(span)
        share = (B - env.a.sum()) / max(self.n, 1)
        x = env.a + np.where(fin, np.minimum(span, share), share)
        m = self._marginal_at(env, x)
        m = m[np.isfinite(m) & (m > 0)]
        return float(np.exp(np.log(m).mean())) if m.size else 1.0

    # -- with group caps --------------------------------------------------------------------------
    def solve(
        self, env: Env, B: float, groups: Sequence[GroupSpec] = (), lam0: float | None = None
    ) -> Solution:
        """Solve the envelope problem with disjoint group caps (active-set over groups)."""
        fixed: dict[str, tuple[Array, float]] = {}
        its = 0
        while True:
            work = env
            if fixed:
                work = env.copy()
                for gname, (xs, _) in fixed.items():
                    idx = next(g.idx for g in groups if g.name == gname)
                    _collapse(work, idx, xs)
                self._breakpoints(work)
            x, lam, k = self.solve_budget(work, B, lam0)
            its += k
            over = [
                g
                for g in groups
                if g.name not in fixed and float(x[g.idx].sum()) > g.cap * (1 + 1e-12) + 1e-300
            ]
            if not over:
                break
            for g in over:
                sub = env.copy()
                others = np.setdiff1d(np.arange(self.n), g.idx)
                _collapse(sub, others, np.zeros(len(others)))
                self._breakpoints(sub)
                xg, lg, k = self.solve_budget(sub, g.cap, lam)
                its += k
                fixed[g.name] = (xg[g.idx], lg)
        group_lam = {name: lg for name, (_, lg) in fixed.items()}
        fh = self.fhat(env, x)
        last = self.last_reply
        if not group_lam and last is not None and last[0] == lam:
            # the dual value at lam from the exact best replies of the last iteration
            xr = last[1]
            ub = lam * B + float((self.fhat(env, xr) - lam * xr).sum())
        else:
            ub = self.dual_bound(env, B, lam, groups, group_lam)
        return Solution(
            x=x,
            lam=lam,
            group_lam=group_lam,
            upper_bound=max(ub, float(fh.sum())),
            envelope_value=float(fh.sum()),
            iterations=its,
        )

    def dual_bound(
        self,
        env: Env,
        B: float,
        lam: float,
        groups: Sequence[GroupSpec],
        group_lam: dict[str, float],
    ) -> float:
        """Lagrangian dual value: an upper bound on the envelope (hence true) optimum.

        An infinite price (a marginal return without bound at a lower bound, as a power curve's
        at zero spend) means the lines it prices are held at their lower bounds, where the budget
        or their group's cap is reached (to the solve's tolerance): their term is its limit,
        ``f(a)`` less the finite price of ``a``, instead of ``inf * 0``.
        """
        if not math.isfinite(lam):
            return float(self.fhat(env, env.a).sum())
        price = np.full(self.n, lam)
        extra = 0.0
        for g in groups:
            if g.name in group_lam:
                mu = max(group_lam[g.name] - lam, 0.0)
                price[g.idx] = lam + mu
                if math.isfinite(mu):
                    extra += mu * g.cap
        total = lam * B + extra
        for p_val in np.unique(price):
            mask = price == p_val
            if not math.isfinite(p_val):
                held = self.fhat(env, env.a) - lam * env.a
                total += float(held[mask].sum())
                continue
            xmin, _, _ = self.reply(env, float(p_val))
            val = self.fhat(env, xmin) - p_val * xmin
            total += float(val[mask].sum())
        return total


def _collapse(env: Env, idx: np.ndarray, xs: Array) -> None:
    env.a[idx] = xs
    env.b[idx] = xs
    env.t[idx] = xs
    env.c[idx] = np.nan


def _restrict_points(xs: Array, ys: Array, a: float, b: float) -> tuple[Array, Array]:
    end = min(b, float(xs[-1]))
    if end <= a:
        v = float(np.interp(a, xs, ys))
        return np.array([a, a + 1e-300]), np.array([v, v])
    inner = (xs > a) & (xs < end)
    px = np.concatenate([[a], xs[inner], [end]])
    py = np.interp(px, xs, ys)
    return px, py


def _hull_points(xs: Array, ys: Array) -> tuple[Array, Array, Array]:
    from ._curves import _hull

    return _hull(xs, ys)


def _pl_inflection(xs: Array, ys: Array) -> float:
    s = np.diff(ys) / np.diff(xs)
    if np.all(np.diff(s) <= 0):
        return 0.0
    return float(xs[int(np.argmax(s))])


# -- global branch-and-bound for non-concave lines -----------------------------------------


@dataclass
class BnBResult:
    x: Array
    value: float
    upper_bound: float
    nodes: int
    lam: float
    group_lam: dict[str, float]
    complete: bool
    seconds: float


def branch_and_bound(
    core: Core,
    a: Array,
    b: Array,
    B: float,
    groups: Sequence[GroupSpec] = (),
    rel_gap: float = 1e-9,
    max_nodes: int = 20000,
    time_limit: float = 30.0,
) -> BnBResult:
    """Global maximum of ``sum f_i`` over the box, the budget and the group caps.

    Best-first branch-and-bound on concave envelopes (sigmoidal programming): every node's
    envelope problem is solved exactly, its dual value bounds the node, its solution evaluated on
    the true curves is feasible. The node whose bound is highest is split at its solution on the
    line with the largest envelope excess. Stops when the best bound is within ``rel_gap`` of the
    incumbent (a certified global optimum) or at the node/time limit (the gap is then reported).
    """
    start = time.perf_counter()
    root = core.envelope(a, b)
    sol = core.solve(root, B, groups)
    best_x = sol.x
    best_val = float(core.f(sol.x).sum())
    best_lam, best_glam = sol.lam, sol.group_lam
    heap: list[tuple[float, int, Env, Solution]] = [(-sol.upper_bound, 0, root, sol)]
    counter = 1
    nodes = 1
    global_ub = sol.upper_bound
    complete = True
    while heap:
        neg_ub, _, env, s = heapq.heappop(heap)
        ub = -neg_ub
        global_ub = max(ub, max((-h[0] for h in heap), default=-np.inf))
        if ub - best_val <= rel_gap * max(abs(best_val), 1e-300):
            global_ub = max(best_val, max((-h[0] for h in heap), default=best_val))
            global_ub = max(global_ub, best_val)
            heap.clear()
            break
        if nodes >= max_nodes or time.perf_counter() - start > time_limit:
            complete = False
            global_ub = max(ub, max((-h[0] for h in heap), default=-np.inf))
            break
        excess = core.fhat(env, s.x) - core.f(s.x)
        j = int(np.argmax(excess))
        if excess[j] <= 0:
            continue
        split = float(s.x[j])
        for lo_j, hi_j in ((float(env.a[j]), split), (split, float(env.b[j]))):
            if hi_j < lo_j:
                continue
            child = core.restrict(env, j, lo_j, hi_j)
            if child.a.sum() > B * (1 + 1e-12) or child.b.sum() < B * (1 - 1e-12):
                continue
            if any(float(child.a[g.idx].sum()) > g.cap * (1 + 1e-12) for g in groups):
                continue
            cs = core.solve(child, B, groups, lam0=s.lam)
            nodes += 1
            val = float(core.f(cs.x).sum())
            if val > best_val:
                best_val, best_x, best_lam, best_glam = val, cs.x, cs.lam, cs.group_lam
            if cs.upper_bound - best_val > rel_gap * max(abs(best_val), 1e-300):
                heapq.heappush(heap, (-cs.upper_bound, counter, child, cs))
                counter += 1
    if complete:
        global_ub = max(best_val, global_ub if heap else best_val)
    return BnBResult(
        x=best_x,
        value=best_val,
        upper_bound=max(global_ub, best_val),
        nodes=nodes,
        lam=best_lam,
        group_lam=best_glam,
        complete=complete,
        seconds=time.perf_counter() - start,
    )


def build_core(
    families: Sequence[str],
    params: Sequence[dict[str, float]],
    points: Sequence[tuple[Array, Array] | None],
) -> Core:
    """Group lines by family into vectorised blocks."""
    n = len(families)
    blocks: dict[tuple[str, bool], list[int]] = {}
    pls: list[_PL] = []
    for i, fam in enumerate(families):
        pts = points[i]
        if pts is not None:
            pls.append(_PL(i=i, xs=pts[0], ys=pts[1]))
            continue
        closed = _kernel(fam).inv is not None
        if fam == "hill":
            closed = params[i]["slope"] == 1.0
        blocks.setdefault((fam, closed), []).append(i)
    smooth: list[_Smooth] = []
    for (fam, closed), idx in blocks.items():
        k = _kernel(fam)
        arr = {name: np.array([params[i][name] for i in idx]) for name in k.names}
        inv_k = k
        if fam == "hill" and closed:
            from ._curves import _hill_inv

            inv_k = replace(k, inv=_hill_inv)
        smooth.append(
            _Smooth(kernel=inv_k, params=arr, idx=np.array(idx, dtype=np.intp), closed=closed)
        )
    return Core(n, smooth, pls)


def build_posterior_core(
    families: Sequence[str], draws: Sequence[dict[str, Array]], weights: Array | None = None
) -> Core:
    """Lines whose curve is the (weighted) mean over posterior draws of one family each."""
    n = len(families)
    blocks: dict[tuple[str, int], list[int]] = {}
    for i, fam in enumerate(families):
        d = len(next(iter(draws[i].values())))
        blocks.setdefault((fam, d), []).append(i)
    smooth: list[_Smooth] = []
    for (fam, _), idx in blocks.items():
        k = _kernel(fam)
        arr = {
            name: np.stack([np.asarray(draws[i][name], dtype=np.float64) for i in idx])
            for name in k.names
        }
        smooth.append(
            _Smooth(
                kernel=k,
                params=arr,
                idx=np.array(idx, dtype=np.intp),
                closed=False,
                weights=weights,
            )
        )
    return Core(n, smooth, [])


# -- Newton on the primal for smooth concave lines (posterior means) ------------------------------


def _family_of(k: _Kernel) -> str:
    return {
        ("slope", "half_saturation", "top"): "hill",
        ("lam", "top"): "logistic",
        ("rate", "top"): "exponential",
        ("coefficient", "exponent"): "power",
    }[k.names]


def _fgh_all(core: Core, x: Array) -> tuple[Array, Array, Array]:
    f = np.zeros(core.n)
    g = np.zeros(core.n)
    h = np.zeros(core.n)
    for grp in core.smooth:
        xi = x[grp.idx]
        arg = xi[:, None] if grp.draws else xi
        fv, gv, hv = fgh(_family_of(grp.kernel), grp.params, arg)
        if grp.draws:
            if grp.weights is None:
                fv, gv, hv = fv.mean(axis=1), gv.mean(axis=1), hv.mean(axis=1)
            else:
                fv, gv, hv = fv @ grp.weights, gv @ grp.weights, hv @ grp.weights
        f[grp.idx], g[grp.idx], h[grp.idx] = fv, gv, hv
    return f, g, h


def _qp_step(g: Array, h: Array, lo: Array, hi: Array) -> tuple[Array, float]:
    """argmax g.d + 1/2 sum h d^2 s.t. sum d = 0, lo <= d <= hi (h < 0): d_i = clip((g_i - nu) /
    -h_i); the monotone piecewise-linear equation in ``nu`` is solved by safeguarded Newton."""
    w = 1.0 / np.maximum(-h, 1e-300)
    nu = float((g * w).sum() / w.sum())
    span = np.where(np.isfinite(hi), hi, 0.0) - np.where(np.isfinite(lo), lo, 0.0)
    big = float(np.max(np.abs(g))) + float(np.max(np.abs(h) * np.abs(span), initial=0.0)) + 1.0
    a, b = float(np.min(g)) - big, float(np.max(g)) + big
    d = _clip((g - nu) * w, lo, hi)
    for _ in range(100):
        d = _clip((g - nu) * w, lo, hi)
        phi = float(d.sum())
        if abs(phi) <= 1e-15 * (float(np.abs(d).sum()) + 1e-300):
            break
        if phi > 0:
            a = nu
        else:
            b = nu
        free = (d > lo) & (d < hi)
        slope = float(w[free].sum())
        nxt = nu + phi / slope if slope > 0 else 0.5 * (a + b)
        nu = nxt if a < nxt < b else 0.5 * (a + b)
        if b - a <= 1e-16 * max(abs(a), abs(b)):
            break
    return d, nu


def newton_smooth(
    core: Core, a: Array, b: Array, B: float, x0: Array, max_iter: int = 60
) -> tuple[Array, float, float]:
    """Maximise ``sum F_i(x_i)`` (smooth, concave) over the box and ``sum x = B`` by Newton steps
    on the primal: each step solves the separable quadratic model exactly (``_qp_step``) and
    backtracks if the objective does not rise. One combined evaluation of ``F, F', F''`` per
    step; from a good start (the plug-in curve's exact optimum) 3 to 6 steps. Returns the spends,
    the common marginal return and a Frank-Wolfe upper bound ``F(x) + max_y F'(x).(y - x)``
    (valid for concave ``F``)."""
    x = _clip(x0, a, b)
    # make the start feasible: spread the residual over the lines with room
    resid = B - float(x.sum())
    if resid != 0:
        room = (b - x) if resid > 0 else (x - a)
        room = np.where(np.isfinite(room), room, abs(resid))
        x = _clip(x + resid * room / max(float(room.sum()), 1e-300), a, b)
    f, g, h = _fgh_all(core, x)
    val = float(f.sum())
    nu = float(np.median(g))
    for _ in range(max_iter):
        d, nu = _qp_step(g, np.minimum(h, -1e-300), a - x, b - x)
        if float(np.abs(d).max()) <= 1e-14 * max(abs(B), 1e-300):
            break
        t = 1.0
        while True:
            xn = _clip(x + t * d, a, b)
            fn, gn, hn = _fgh_all(core, xn)
            vn = float(fn.sum())
            if vn >= val - 1e-15 * abs(val) or t < 1e-6:
                break
            t *= 0.5
        x, f, g, h = xn, fn, gn, hn
        improved = vn - val
        val = vn
        if (
            t == 1.0
            and abs(improved) <= 1e-15 * abs(val)
            and float(np.abs(d).max()) <= 1e-9 * max(abs(B), 1e-300)
        ):
            break
    # exact total
    resid = B - float(x.sum())
    if resid != 0:
        inside = (x > a) & (x < b)
        w = np.where(inside, 1.0 / np.maximum(-h, 1e-300), 0.0)
        if w.sum() > 0:
            x = _clip(x + resid * w / w.sum(), a, b)
    y = _greedy_linear(g, a, b, B)
    ub = val + float(g @ (y - x))
    return x, nu, max(ub, val)


def _greedy_linear(g: Array, a: Array, b: Array, B: float) -> Array:
    y = a.copy()
    left = B - float(a.sum())
    for i in np.argsort(-g, kind="stable"):
        if left <= 0:
            break
        take = min(float(b[i] - a[i]), left)
        y[i] += take
        left -= take
    return y
