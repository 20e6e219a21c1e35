"""Online splitting among ad variants: Thompson sampling with a minimum share per arm."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, Self

import numpy as np
from pydantic import Field, model_validator

from smmkit.errors import ValidationError
from smmkit.models import ValueModel

__all__ = ["Arm", "Split", "thompson_split"]

Model = Literal["beta_binomial", "gamma_poisson", "normal"]


class Arm(ValueModel):
    """What is known about one variant.

    ``beta_binomial`` (rates such as CTR): ``successes`` out of ``trials``. ``gamma_poisson``
    (counts per exposure, e.g. conversions per 1,000 impressions): ``events`` over ``exposure``.
    ``normal`` (values such as revenue per click): ``mean``, ``sd`` and ``n`` observations.
    """

    name: str = Field(min_length=1)
    successes: int | None = Field(default=None, ge=0)
    trials: int | None = Field(default=None, ge=0)
    events: int | None = Field(default=None, ge=0)
    exposure: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    mean: float | None = Field(default=None, allow_inf_nan=False)
    sd: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    n: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.successes is not None and self.trials is not None and self.successes > self.trials:
            raise ValueError(
                f"arm {self.name!r}: successes ({self.successes}) exceed trials ({self.trials})"
            )
        return self


class Split(ValueModel):
    """Traffic shares per arm, each arm's probability of being best and posterior mean."""

    model: Model
    shares: dict[str, float]
    prob_best: dict[str, float]
    expected: dict[str, float]
    min_share: float
    draws: int
    seed: int

    def counts(self, total: int) -> dict[str, int]:
        """Split ``total`` impressions (or sends) by the shares, adding up exactly."""
        if total < 0:
            raise ValidationError("total", total, "must be >= 0")
        names = list(self.shares)
        exact = np.array([self.shares[k] for k in names]) * total
        base = np.floor(exact).astype(np.int64)
        order = np.lexsort((np.arange(len(names)), -(exact - base)))
        for i in order[: total - int(base.sum())]:
            base[i] += 1
        return {k: int(v) for k, v in zip(names, base, strict=True)}


def thompson_split(
    arms: Sequence[Arm],
    *,
    model: Model = "beta_binomial",
    draws: int = 10_000,
    min_share: float = 0.0,
    seed: int = 0,
    prior: tuple[float, float] = (1.0, 1.0),
) -> Split:
    """Thompson sampling: each arm's share is its posterior probability of being best.

    Beta(prior + successes, prior + failures) for rates; Gamma(prior_a + events, prior_b +
    exposure) for counts per exposure; a normal posterior of the mean (sd / sqrt(n)) for values.
    ``min_share`` keeps every arm exploring: each gets at least that share, the rest follows the
    probabilities. Seeded: the same inputs give the same split on every run.
    """
    if not arms:
        raise ValidationError("arms", [], "give at least one arm")
    names = [a.name for a in arms]
    if len(set(names)) != len(names):
        raise ValidationError("arms.name", names, "arm names must be unique")
    if draws < 1:
        raise ValidationError("draws", draws, "must be >= 1")
    if not 0 <= min_share <= 1 / len(arms) or math.isnan(min_share):
        raise ValidationError(
            "min_share", min_share, f"must be between 0 and 1/len(arms) = {1 / len(arms):.4g}"
        )
    a0, b0 = prior
    if not (a0 > 0 and b0 > 0):
        raise ValidationError("prior", prior, "both prior parameters must be > 0")
    rng = np.random.default_rng(seed)
    samples = np.empty((draws, len(arms)))
    expected: dict[str, float] = {}
    for j, arm in enumerate(arms):
        if model == "beta_binomial":
            if arm.successes is None or arm.trials is None:
                raise ValidationError(
                    f"arms[{arm.name}]", arm.name, "beta_binomial needs successes and trials"
                )
            a, b = a0 + arm.successes, b0 + arm.trials - arm.successes
            samples[:, j] = rng.beta(a, b, draws)
            expected[arm.name] = a / (a + b)
        elif model == "gamma_poisson":
            if arm.events is None or arm.exposure is None:
                raise ValidationError(
                    f"arms[{arm.name}]", arm.name, "gamma_poisson needs events and exposure"
                )
            shape, rate = a0 + arm.events, b0 + arm.exposure
            samples[:, j] = rng.gamma(shape, 1.0 / rate, draws)
            expected[arm.name] = shape / rate
        else:
            if arm.mean is None or arm.sd is None or not arm.n:
                raise ValidationError(
                    f"arms[{arm.name}]", arm.name, "normal needs mean, sd and n >= 1"
                )
            samples[:, j] = rng.normal(arm.mean, arm.sd / math.sqrt(arm.n), draws)
            expected[arm.name] = arm.mean
    best = np.argmax(samples, axis=1)
    prob = np.bincount(best, minlength=len(arms)) / draws
    shares = min_share + (1 - min_share * len(arms)) * prob
    return Split(
        model=model,
        shares=dict(zip(names, map(float, shares), strict=True)),
        prob_best=dict(zip(names, map(float, prob), strict=True)),
        expected=expected,
        min_share=min_share,
        draws=draws,
        seed=seed,
    )
