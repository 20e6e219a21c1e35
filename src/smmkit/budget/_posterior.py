"""Posterior response curves: many draws of one family's parameters for a line."""

from __future__ import annotations

import weakref
from typing import Any, Literal, Self

import numpy as np
from pydantic import model_validator

from smmkit.models import ValueModel

from ._curves import CurveShape, _kernel, quiet

__all__ = ["PosteriorCurve"]

# id(curve) -> (weak reference, arrays): curves are immutable, so their arrays are built once.
_ARRAYS: dict[int, tuple[weakref.ref[PosteriorCurve], dict[str, np.ndarray]]] = {}


class PosteriorCurve(ValueModel):
    """A response curve known through posterior draws of its parameters.

    ``draws`` maps each parameter of ``base`` (a smooth family: ``hill``, ``logistic``,
    ``exponential`` or ``power``) to its draws, all of the same length. The allocator maximises the
    mean response over draws (or a risk-averse certainty equivalent). Every draw must be concave
    (a Hill draw needs ``slope <= 1``), so the mean is concave and the optimum exact.
    """

    family: Literal["posterior"] = "posterior"
    base: Literal["hill", "logistic", "exponential", "power"]
    draws: dict[str, tuple[float, ...]]

    @model_validator(mode="after")
    def _check(self) -> Self:
        names = set(_kernel(self.base).names)
        if set(self.draws) != names:
            raise ValueError(
                f"draws for a {self.base} curve need exactly the parameters {sorted(names)} "
                f"(got {sorted(self.draws)})"
            )
        lengths = {len(v) for v in self.draws.values()}
        if len(lengths) != 1 or 0 in lengths:
            raise ValueError("every parameter needs the same, non-zero number of draws")
        for name, vals in self.draws.items():
            arr = np.asarray(vals, dtype=np.float64)
            if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
                raise ValueError(f"draws of {name!r} must be finite and positive")
        if self.base == "hill" and max(self.draws["slope"]) > 1:
            raise ValueError(
                "every Hill draw must have slope <= 1 (concave) for the posterior allocator"
            )
        if self.base == "power" and max(self.draws["exponent"]) >= 1:
            raise ValueError("every power draw must have exponent < 1")
        return self

    @property
    def n_draws(self) -> int:
        return len(next(iter(self.draws.values())))

    @property
    def shape(self) -> CurveShape:
        return CurveShape.CONCAVE

    def arrays(self) -> dict[str, np.ndarray]:
        """The draws as read-only numpy arrays (converted once per curve object)."""
        hit = _ARRAYS.get(id(self))
        if hit is not None and hit[0]() is self:
            return hit[1]
        arrs = {k: np.asarray(v, dtype=np.float64) for k, v in self.draws.items()}
        for arr in arrs.values():
            arr.flags.writeable = False
        key = id(self)
        _ARRAYS[key] = (weakref.ref(self), arrs)
        weakref.finalize(self, _ARRAYS.pop, key, None)
        return arrs

    @quiet
    def value(self, spend: float) -> float:
        """Mean response over the draws at ``spend``."""
        return float(_kernel(self.base).f(self.arrays(), np.asarray(spend, dtype=float)).mean())

    @quiet
    def marginal(self, spend: float) -> float:
        """Mean marginal return over the draws at ``spend``."""
        return float(_kernel(self.base).d1(self.arrays(), np.asarray(spend, dtype=float)).mean())

    @quiet
    def draw_values(self, spend: float) -> Any:
        """The response at ``spend`` under every draw (a numpy array)."""
        return _kernel(self.base).f(self.arrays(), np.asarray(spend, dtype=float))
