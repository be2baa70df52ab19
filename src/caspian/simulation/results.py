"""Plain result objects of the simulation engines and their aggregation across replications."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["EntityDetail", "Estimate", "RepOutcome", "SimulationResult", "aggregate"]


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
    detail: EntityDetail | None = None


@dataclass(frozen=True)
class Estimate:
    """Mean across replications with a 95% Student-t confidence interval (NaN if one run)."""

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
        half = float(stats.t.ppf(0.975, arr.size - 1) * arr.std(ddof=1) / math.sqrt(arr.size))
        return cls(mean, mean - half, mean + half)

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
        Per-entity times of replication 0 (``None`` for the port model's ships and wagons mix).
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
    detail: EntityDetail | None = None
    extra: dict[str, Any] = field(default_factory=dict)

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
    )
