"""Compare the model with the observations, and fit its uncertain parameters to them.

The fit is bounded least squares (``scipy.optimize.least_squares``) on log residuals. An
observation inside its published range has no residual; outside, the residual is the log
distance to the nearer bound, weighted by the source's trust (H 1, M 0.7, L 0.4). A weak
prior keeps every factor near 1 relative to its evidence range, so a parameter no
observation informs stays at its table value. Routes are re-planned under the fitted
factors and the fit repeated (routes can change when costs do). Held-out error comes from
k-fold cross-validation.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from caspian.calibration.observations import Observation
from caspian.calibration.predict import Prediction, predict
from caspian.model.network import Network
from caspian.routing.graph import FloatArray, build_graph
from caspian.routing.params import Param
from caspian.routing.uncertainty import draw_factors

__all__ = [
    "CalibrationRow",
    "FitResult",
    "compare",
    "evidence_ranges",
    "fit",
    "log_error",
    "misfit",
    "summary",
    "verdict",
]

TRUST_WEIGHT = {"H": 1.0, "M": 0.7, "L": 0.4}
PRIOR_WEIGHT = 0.3
CENTRE_WEIGHT = 0.05
BOUND_WIDENING = 3.0
"""The fit may move a factor up to 3× beyond its evidence range (then it says so)."""


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """One observation against the model.

    ``verdict`` compares the model's central value with the published band; ``covered``
    says whether the band overlaps the model's p10–p90 over its parameter uncertainty.
    """

    observation: Observation
    model: float | None
    verdict: str
    log_error: float | None
    route: str
    reason: str
    p10: float | None = None
    p90: float | None = None
    top: float | None = None
    """Top of the model's evidence range (every factor at its high end), for peaks."""

    @property
    def covered(self) -> bool:
        """Published band overlaps the model's p10–p90 (or the central value is inside)."""
        if self.verdict == "inside":
            return True
        if self.p10 is None or self.p90 is None:
            return False
        low, high = self.observation.band
        return self.p10 <= high and self.p90 >= low


def verdict(obs: Observation, value: float | None) -> str:
    """``inside``, ``above`` or ``below`` the published band, or ``not modelled``."""
    if value is None:
        return "not modelled"
    low, high = obs.band
    if value > high:
        return "above"
    if value < low:
        return "below"
    return "inside"


def log_error(obs: Observation, value: float | None) -> float | None:
    """``log(model / centre of the published range)``."""
    if value is None or value <= 0:
        return None
    return math.log(value / obs.central)


def upper_factors(params: tuple[Param, ...], factors: FloatArray | None) -> FloatArray:
    """Factors at the top of every parameter's evidence range (times ``factors``)."""
    hi = np.array([1.0, *(max(p.high_factor, 1.0) for p in params)])
    return hi if factors is None else hi * factors


def peak_verdict(obs: Observation, value: float | None, top: float | None) -> str:
    """A reported peak is matched when the top of the model's range reaches it and the
    central value is not above it."""
    if value is None or top is None:
        return "not modelled"
    low, high = obs.band
    if top < low:
        return "below"
    if value > high:
        return "above"
    return "inside"


def minimum_verdict(obs: Observation, value: float | None) -> str:
    """A figure for one part of what the model measures is matched when the model's
    central value is not below it."""
    if value is None:
        return "not modelled"
    return "below" if value < obs.band[0] else "inside"


def _minimum_error(obs: Observation, value: float | None) -> float | None:
    """0 when the model is at or above the floor, else ``log(value/low)``."""
    if value is None or value <= 0:
        return None
    return min(0.0, math.log(value / obs.band[0]))


def _peak_error(obs: Observation, value: float | None, top: float | None) -> float | None:
    """Log distance from the band: 0 inside, ``log(top/low)`` below, ``log(value/high)`` above."""
    v = peak_verdict(obs, value, top)
    if value is None or top is None or v == "not modelled" or value <= 0 or top <= 0:
        return None
    low, high = obs.band
    return {"inside": 0.0, "below": math.log(top / low), "above": math.log(value / high)}[v]


def _rows(
    preds: list[Prediction], draws: FloatArray | None, upper: FloatArray
) -> list[CalibrationRow]:
    out = []
    for p in preds:
        p10 = p90 = None
        if draws is not None and p.form is not None:
            values = p.form.value(draws)
            p10, p90 = (float(x) for x in np.percentile(values, [10, 90]))
        top = None if p.form is None else float(p.form.value(upper))
        o = p.observation
        if o.statistic == "peak":
            v, err = peak_verdict(o, p.value, top), _peak_error(o, p.value, top)
        elif o.statistic == "minimum":
            v, err = minimum_verdict(o, p.value), _minimum_error(o, p.value)
        else:
            v, err = verdict(o, p.value), log_error(o, p.value)
        out.append(CalibrationRow(o, p.value, v, err, p.route, p.reason, p10, p90, top))
    return out


def compare(
    network: Network,
    observations: tuple[Observation, ...],
    factors: FloatArray | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
) -> list[CalibrationRow]:
    """Model value, verdict, log error and (with ``draws``) p10–p90 of every observation."""
    params = build_graph(network).params
    sample = None
    if draws > 0:
        sample = draw_factors(params, draws, seed=seed)
        if factors is not None:
            sample = sample * factors
    return _rows(predict(network, observations, factors), sample, upper_factors(params, factors))


@dataclass(frozen=True)
class FitResult:
    """Fitted factors and how well they do."""

    factors: FloatArray
    params: tuple[Param, ...]
    before: list[CalibrationRow]
    after: list[CalibrationRow]
    heldout: list[CalibrationRow]
    informed_by: dict[int, tuple[str, ...]] = field(default_factory=dict)
    folds: int = 5
    ranges: dict[int, tuple[float, float]] = field(default_factory=dict)

    def changed(self, tolerance: float = 0.01) -> list[tuple[int, Param, float]]:
        """Parameters moved by more than ``tolerance`` (relative), with their factor."""
        return [
            (i, p, float(self.factors[i]))
            for i, p in enumerate(self.params, start=1)
            if abs(self.factors[i] - 1.0) > tolerance
        ]


def _residuals(
    theta: FloatArray,
    free: FloatArray,
    base: FloatArray,
    preds: list[Prediction],
    sigma: FloatArray,
) -> FloatArray:
    f = base.copy()
    f[free] = np.exp(theta)
    out: list[float] = []
    for p in preds:
        assert p.form is not None
        m = float(p.form.value(f))
        lm = math.log(max(m, 1e-9))
        low, high = p.observation.band
        w = TRUST_WEIGHT[p.observation.trust]
        dead = max(0.0, lm - math.log(high)) + min(0.0, lm - math.log(low))
        out.append(w * dead)
        out.append(w * CENTRE_WEIGHT * (lm - math.log(p.observation.central)))
    out.extend(PRIOR_WEIGHT * theta / sigma)
    return np.asarray(out)


def misfit(rows: list[CalibrationRow]) -> float:
    """What the fit minimises, without its prior: the sum of squared trust-weighted log
    distances from the published bands over the typical one-way figures (0 when every
    one is inside)."""
    total = 0.0
    for r in rows:
        o = r.observation
        if r.model is None or r.model <= 0 or o.statistic != "typical" or o.trip != "one_way":
            continue
        low, high = o.band
        lm = math.log(r.model)
        dead = max(0.0, lm - math.log(high)) + min(0.0, lm - math.log(low))
        total += (TRUST_WEIGHT[o.trust] * dead) ** 2
    return total


def _fit_once(params: tuple[Param, ...], preds: list[Prediction], start: FloatArray) -> FloatArray:
    """One bounded least-squares fit on the typical one-way figures (peaks, floors and
    round-trip fares are scored, not fitted: a return ticket's discount, the services'
    ``return_ticket_factor``, was read from the same tariffs, so fitting the fares again
    would count that evidence twice)."""
    usable = [
        p
        for p in preds
        if p.form is not None
        and p.value is not None
        and p.observation.statistic == "typical"
        and p.observation.trip == "one_way"
    ]
    informed = sorted(
        {i for p in usable for i in p.form.params() if params[i - 1].uncertain}  # type: ignore[union-attr]
    )
    f = start.copy()
    if not informed:
        return f
    free = np.array(informed, dtype=np.int64)
    lo = np.array([params[i - 1].low_factor for i in informed])
    hi = np.array([params[i - 1].high_factor for i in informed])
    sigma = np.maximum(np.log(hi / lo) / 4.0, 0.05)
    lower = np.log(lo / BOUND_WIDENING)
    upper = np.log(hi * BOUND_WIDENING)
    theta0 = np.clip(np.log(f[free]), lower + 1e-9, upper - 1e-9)
    base = np.ones_like(f)
    result = least_squares(
        _residuals,
        theta0,
        bounds=(lower, upper),
        args=(free, base, usable, sigma),
        method="trf",
        x_scale=1.0,
    )
    f = base.copy()
    f[free] = np.exp(result.x)
    return f


def _fit(network: Network, observations: tuple[Observation, ...], *, iterations: int) -> FloatArray:
    params = build_graph(network).params
    f = np.ones(len(params) + 1)
    for _ in range(iterations):
        preds = predict(network, observations, f)
        f = _fit_once(params, preds, f)
    return f


def fit(
    network: Network,
    observations: tuple[Observation, ...],
    *,
    folds: int = 5,
    iterations: int = 3,
    seed: int = 0,
) -> FitResult:
    """Fit the uncertain parameters to ``observations`` and cross-validate.

    Parameters
    ----------
    network
        The network whose parameters are fitted.
    observations
        Published observations (throughput rows are reported but not fitted).
    folds
        k of the k-fold cross-validation (held-out errors); 0 or 1 skips it.
    iterations
        Re-plan-and-refit rounds.
    seed
        Seeds the fold assignment.
    """
    params = build_graph(network).params
    before = compare(network, observations)
    factors = _fit(network, observations, iterations=iterations)
    after = compare(network, observations, factors)
    heldout: list[CalibrationRow] = []
    if folds > 1:
        rng = np.random.default_rng(seed)
        fold_of = rng.permutation(len(observations)) % folds
        for k in range(folds):
            train = tuple(o for o, g in zip(observations, fold_of, strict=True) if g != k)
            test = tuple(o for o, g in zip(observations, fold_of, strict=True) if g == k)
            fk = _fit(network, train, iterations=iterations)
            heldout.extend(compare(network, test, fk, draws=300, seed=seed))
        order = {o.id: i for i, o in enumerate(observations)}
        heldout.sort(key=lambda r: order[r.observation.id])
    informed: dict[int, list[str]] = {}
    final = predict(network, observations, factors)
    for p in final:
        if p.form is not None:
            for i in p.form.params():
                o = p.observation
                informed.setdefault(i, []).extend(o.members or (o.id,))
    return FitResult(
        factors=factors,
        params=params,
        before=before,
        after=after,
        heldout=heldout,
        informed_by={k: tuple(v) for k, v in informed.items()},
        folds=folds,
        ranges=evidence_ranges(params, final, factors),
    )


def evidence_ranges(
    params: tuple[Param, ...], preds: list[Prediction], factors: FloatArray
) -> dict[int, tuple[float, float]]:
    """Factor ranges after the fit, relative to the tables' values.

    Where observations measure one parameter alone (a crossing's clearance hours, a
    service's wait, a fee), its range spans what they imply (every year's figure is
    evidence); otherwise the prior range moves with the fitted factor.
    """
    implied: dict[int, list[float]] = {}
    for p in preds:
        form = p.form
        if p.observation.statistic == "minimum":
            continue  # a floor says nothing about the top of the range
        if form is None or form.const != 0 or len(form.params()) != 1:
            continue
        (i,) = form.params()
        coef = float(form.coef[form.index == i].sum())
        if coef <= 0:
            continue
        low, high = p.observation.band
        implied.setdefault(i, []).extend([low / coef, high / coef])
    out: dict[int, tuple[float, float]] = {}
    for i, param in enumerate(params, start=1):
        f = float(factors[i])
        if i in implied:
            lo = min(min(implied[i]), f)
            hi = max(max(implied[i]), f)
        else:
            lo, hi = param.low_factor * f, param.high_factor * f
        out[i] = (lo, hi)
    return out


def summary(rows: list[CalibrationRow]) -> dict[str, object]:
    """Share inside, share covered and median absolute log error, overall and by
    ``kind / family`` (rows not modelled are counted but not scored)."""

    def stats(group: list[CalibrationRow]) -> dict[str, object]:
        modelled = [r for r in group if r.verdict != "not modelled"]
        errors = [abs(r.log_error) for r in modelled if r.log_error is not None]
        inside = sum(r.verdict == "inside" for r in modelled)
        return {
            "observations": len(group),
            "modelled": len(modelled),
            "inside": inside,
            "share_inside": inside / len(modelled) if modelled else None,
            "share_covered": sum(r.covered for r in modelled) / len(modelled) if modelled else None,
            "median_abs_log_error": statistics.median(errors) if errors else None,
        }

    groups: dict[str, list[CalibrationRow]] = {}
    for r in rows:
        groups.setdefault(f"{r.observation.kind} / {r.observation.family}", []).append(r)
    return {"all": stats(rows), "groups": {k: stats(v) for k, v in sorted(groups.items())}}
