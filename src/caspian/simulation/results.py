"""Plain result objects of the simulation engines and their aggregation across replications.

Confidence intervals
--------------------
Every metric the engines report (times, counts per day, utilisation, queue lengths) is
non-negative, and short runs have skewed replication means, so a Student-t interval
``mean ± t·s/√n`` can reach below zero (``95% CI -1.92–7.78`` hours). The interval used here
is the Student-t interval of ``log(mean)`` by the delta method::

    mean ÷ f  …  mean × f,   f = exp(t(0.975, n-1) · s / (√n · mean))

It is centred (geometrically) on the arithmetic mean, never goes below zero, widens upward
for skewed samples, and agrees with the t-interval when ``s/(√n·mean)`` is small. When every
replication gives 0 the interval is ``0–0``; with a single replication it is NaN. Metrics
that could be negative would fall back to the plain t-interval (none does today).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "CI_METHOD",
    "MIN_REPLICATIONS_FOR_CI",
    "EntityDetail",
    "Estimate",
    "PortDetail",
    "RepOutcome",
    "SimulationResult",
    "aggregate",
    "t_quantile_975",
]

CI_METHOD = "95% Student-t interval of log(mean) (delta method): mean ÷ f to mean × f"
MIN_REPLICATIONS_FOR_CI = 5
"""Fewer replications than this give rough intervals; the CLI warns."""

# two-sided 95% Student-t quantiles t(0.975, df) for df = 1..30
_T975 = (
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252, 2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
)  # fmt: skip
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom (no SciPy needed).

    Exact to 9 digits for ``df <= 30`` (table) and to better than 1e-6 beyond (Cornish–Fisher
    expansion around the normal quantile).

    Examples
    --------
    >>> round(t_quantile_975(4), 4)
    2.7764
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    g1 = (z**3 + z) / 4.0
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96.0
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384.0
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160.0
    return float(z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4)


@dataclass(frozen=True)
class EntityDetail:
    """Per-entity event times of one replication (for the events CSV and plots)."""

    entity: str
    station_names: tuple[str, ...]
    direction_names: tuple[str, ...]
    arrival_hours: np.ndarray
    direction: np.ndarray
    entry_hours: np.ndarray
    queued_hours: np.ndarray
    start_hours: np.ndarray
    end_hours: np.ndarray
    exit_hours: np.ndarray
    queue_grid_hours: np.ndarray
    queue_series: dict[str, np.ndarray]


@dataclass(frozen=True)
class RepOutcome:
    """Metrics of one replication: per group (direction / entity class) and per resource."""

    groups: dict[str, dict[str, float]]
    utilisation: dict[str, float]
    events: int
    flow: dict[str, int]
    detail: EntityDetail | PortDetail | None = None


@dataclass(frozen=True)
class PortDetail:
    """Event log and queue series of one port replication (for the events CSV and plots).

    ``events`` holds one ``(entity id, group, event, resource, time_hours)`` row per event;
    ``time_in_system`` the hours of every entity that finished, per group.
    """

    events: list[tuple[int, str, str, str, float]]
    time_in_system: dict[str, np.ndarray]
    queue_grid_hours: np.ndarray
    queue_series: dict[str, np.ndarray]
    stock_series: dict[str, np.ndarray]


@dataclass(frozen=True)
class Estimate:
    """Mean across replications with a 95% confidence interval that stays non-negative.

    See the module docstring for the method (:data:`CI_METHOD`); NaN with one replication.
    """

    mean: float
    ci_low: float
    ci_high: float

    @classmethod
    def from_samples(cls, values: list[float]) -> Estimate:
        """Estimate from one value per replication (NaN values are ignored)."""
        arr = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
        if arr.size == 0:
            return cls(math.nan, math.nan, math.nan)
        mean = float(arr.mean())
        if arr.size < 2:
            return cls(mean, math.nan, math.nan)
        sem = float(arr.std(ddof=1)) / math.sqrt(arr.size)
        t = t_quantile_975(int(arr.size) - 1)
        if (arr < 0).any():  # not a non-negative quantity: plain t-interval
            return cls(mean, mean - t * sem, mean + t * sem)
        if mean == 0.0:
            return cls(0.0, 0.0, 0.0)
        factor = math.exp(min(t * sem / mean, 700.0))
        return cls(mean, mean / factor, mean * factor)

    def as_dict(self) -> dict[str, float]:
        """Plain dict for JSON output."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class SimulationResult:
    """Result of a replicated simulation run.

    Attributes
    ----------
    groups
        Metric estimates per group, e.g. ``groups["IR->AZ"]["time_mean_hours"]``. For the border
        ``time_mean_hours`` is the CAREC TFI1 (hours to clear the border) of that direction.
    utilisation
        Busy share of each resource during its opening hours.
    flow
        Entity counts summed over replications: arrived, exited, inside_at_end, on_road_at_end.
    detail
        Per-entity times of replication 0: :class:`EntityDetail` (border, rail) or
        :class:`PortDetail` (port).
    extra
        More JSON fields: traffic actually offered, warnings, the CI method.
    """

    model: str
    scenario: str
    seed: int
    replications: int
    days: float
    traffic_per_day: float
    groups: dict[str, dict[str, Estimate]]
    utilisation: dict[str, Estimate]
    events: int
    flow: dict[str, int]
    wall_seconds: float
    detail: EntityDetail | PortDetail | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        """Warnings about this run (overload, too few replications, …)."""
        out: list[str] = self.extra.get("warnings", [])
        return out

    def tfi1_hours(self) -> dict[str, float]:
        """Mean hours to clear the border (CAREC TFI1) per direction."""
        return {name: m["time_mean_hours"].mean for name, m in self.groups.items()}

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable summary (no per-entity arrays)."""
        return {
            "model": self.model,
            "scenario": self.scenario,
            "seed": self.seed,
            "replications": self.replications,
            "days": self.days,
            "traffic_per_day": self.traffic_per_day,
            "groups": {
                g: {k: e.as_dict() for k, e in metrics.items()}
                for g, metrics in self.groups.items()
            },
            "utilisation": {k: e.as_dict() for k, e in self.utilisation.items()},
            "events": self.events,
            "flow": self.flow,
            "flow_per_replication": {k: v / self.replications for k, v in self.flow.items()},
            "ci_method": CI_METHOD,
            "wall_seconds": self.wall_seconds,
            **self.extra,
        }


def aggregate(
    outcomes: list[RepOutcome],
    *,
    model: str,
    scenario: str,
    seed: int,
    days: float,
    traffic_per_day: float,
    wall_seconds: float,
    extra: dict[str, Any] | None = None,
) -> SimulationResult:
    """Combine replication outcomes (in replication order) into a :class:`SimulationResult`."""
    groups: dict[str, dict[str, Estimate]] = {}
    for g, metrics in outcomes[0].groups.items():
        groups[g] = {k: Estimate.from_samples([o.groups[g][k] for o in outcomes]) for k in metrics}
    utilisation = {
        k: Estimate.from_samples([o.utilisation[k] for o in outcomes])
        for k in outcomes[0].utilisation
    }
    flow = {k: sum(o.flow[k] for o in outcomes) for k in outcomes[0].flow}
    return SimulationResult(
        model=model,
        scenario=scenario,
        seed=seed,
        replications=len(outcomes),
        days=days,
        traffic_per_day=traffic_per_day,
        groups=groups,
        utilisation=utilisation,
        events=sum(o.events for o in outcomes),
        flow=flow,
        wall_seconds=wall_seconds,
        detail=outcomes[0].detail,
        extra=dict(extra or {}),
    )
