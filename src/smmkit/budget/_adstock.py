"""Carry-over (adstock): spend today keeps working for a few periods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from smmkit.models import ValueModel

__all__ = ["Adstock", "GeometricAdstock", "WeibullAdstock"]


class _Adstock(ValueModel):
    l_max: int = Field(default=8, ge=1, le=520, description="Periods an effect lasts (lags).")
    normalize: bool = Field(default=True, description="Scale the weights to sum to 1.")

    def _raw(self) -> NDArray[np.float64]:  # pragma: no cover - overridden
        raise NotImplementedError

    def weights(self) -> NDArray[np.float64]:
        """Weight of lags ``0 .. l_max - 1``."""
        w = self._raw()
        if self.normalize:
            s = float(w.sum())
            w = w / s if s > 0 else np.eye(1, len(w)).ravel()
        return w

    def apply(self, series: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
        """Carried-over series ``y[t] = sum_l w[l] * x[t - l]`` (causal; zeros before the start)."""
        x = np.asarray(series, dtype=np.float64)
        w = self.weights()
        return np.asarray(np.convolve(x, w)[: len(x)])

    @property
    def total_weight(self) -> float:
        """Sum of the weights: steady spend ``x`` per period carries over to ``x * total``."""
        return float(self.weights().sum())


class GeometricAdstock(_Adstock):
    """Geometric decay: lag ``l`` keeps ``alpha**l`` of the effect."""

    kind: Literal["geometric"] = "geometric"
    alpha: float = Field(ge=0, lt=1, allow_inf_nan=False)

    def _raw(self) -> NDArray[np.float64]:
        return np.asarray(self.alpha ** np.arange(self.l_max, dtype=np.float64))


class WeibullAdstock(_Adstock):
    """Weibull decay (as in Robyn), shape ``shape`` and scale ``scale`` (a fraction of l_max).

    ``variant="cdf"``: lag ``l`` keeps the Weibull survival ``exp(-(l / (scale*l_max))**shape)``
    (monotone decay). ``variant="pdf"``: the weights follow the Weibull density at ``l + 1``
    (the effect may peak after a delay).
    """

    kind: Literal["weibull"] = "weibull"
    shape: float = Field(gt=0, le=20, allow_inf_nan=False)
    scale: float = Field(gt=0, le=1, allow_inf_nan=False)
    variant: Literal["cdf", "pdf"] = "cdf"

    def _raw(self) -> NDArray[np.float64]:
        lam = self.scale * self.l_max
        lags = np.arange(self.l_max, dtype=np.float64)
        if self.variant == "cdf":
            return np.asarray(np.exp(-((lags / lam) ** self.shape)))
        t = lags + 1.0
        k = self.shape
        dens = (k / lam) * (t / lam) ** (k - 1) * np.exp(-((t / lam) ** k))
        if not math.isfinite(float(dens.sum())) or float(dens.sum()) <= 0:
            dens = np.eye(1, self.l_max).ravel()
        return np.asarray(dens)


Adstock = Annotated[GeometricAdstock | WeibullAdstock, Field(discriminator="kind")]
"""Any carry-over model (tagged by ``kind``)."""
