"""Tandem-network model description shared by the border and rail models, and its summary.

A :class:`TandemSpec` describes the stations and resource pools; a :class:`TandemSample` holds
one replication's pre-sampled inputs. :func:`run_tandem` runs the numba kernel (or the SimPy
reference) and :func:`summarise_tandem` turns the per-entity times into plain metrics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caspian.simulation.kernel import simulate_tandem
from caspian.simulation.reference import simulate_tandem_simpy
from caspian.simulation.results import EntityDetail, RepOutcome

__all__ = ["TandemSample", "TandemSpec", "lognormal_hours", "run_tandem", "summarise_tandem"]


@dataclass(frozen=True)
class TandemSpec:
    """Stations (in visiting order), two directions, one pool per station and direction."""

    station_names: tuple[str, ...]
    direction_names: tuple[str, str]
    servers: np.ndarray  # (k, 2) servers per station and direction
    open_from_hour: np.ndarray  # (k,)
    open_to_hour: np.ndarray  # (k,)
    parking_capacity: tuple[int, int]
    entity: str = "truck"

    @property
    def pool_of(self) -> np.ndarray:
        """Pool index ``2 * station + direction``."""
        k = len(self.station_names)
        return np.arange(2 * k, dtype=np.int64).reshape(k, 2)

    def pool_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Servers, opening and closing hour of each pool."""
        servers = self.servers.reshape(-1).astype(np.int64)
        return (
            servers,
            np.repeat(self.open_from_hour, 2).astype(np.float64),
            np.repeat(self.open_to_hour, 2).astype(np.float64),
        )


@dataclass(frozen=True)
class TandemSample:
    """Pre-sampled inputs of one replication (see :func:`caspian.simulation.kernel`)."""

    arrival_hours: np.ndarray
    direction: np.ndarray
    service_hours: np.ndarray
    visits: np.ndarray
    until_hours: float
    appointment_delay_hours: np.ndarray | None = None
    booked_beyond_horizon: int = 0


def lognormal_hours(
    rng: np.random.Generator, mean_hours: np.ndarray | float, cv: float, size: int
) -> np.ndarray:
    """Lognormal service times with the given mean and coefficient of variation (0: fixed)."""
    mean = np.broadcast_to(np.asarray(mean_hours, dtype=np.float64), (size,))
    if cv <= 0:
        return mean.copy()
    sigma2 = np.log1p(cv * cv)
    z = rng.standard_normal(size)
    with np.errstate(divide="ignore"):
        mu = np.log(mean) - 0.5 * sigma2
    out: np.ndarray = np.where(mean > 0, np.exp(mu + np.sqrt(sigma2) * z), 0.0)
    return out


def run_tandem(
    spec: TandemSpec, sample: TandemSample, *, engine: str = "numba"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Run one replication with the numba kernel (``engine="numba"``) or SimPy (``"simpy"``)."""
    servers, open_from, open_to = spec.pool_arrays()
    fn = simulate_tandem if engine == "numba" else simulate_tandem_simpy
    return fn(
        sample.arrival_hours,
        sample.direction,
        sample.service_hours,
        sample.visits,
        pool_of=spec.pool_of,
        pool_servers=servers,
        pool_open_from=open_from,
        pool_open_to=open_to,
        parking_capacity=np.asarray(spec.parking_capacity, dtype=np.int64),
        until_hours=sample.until_hours,
    )


def _open_hours(open_from: float, open_to: float, horizon_hours: float) -> float:
    """Hours a pool is open within ``[0, horizon_hours)``."""
    if open_to - open_from >= 24.0:
        return horizon_hours
    grid = np.arange(0.0, horizon_hours, 0.25) + 0.125
    hour = grid % 24.0
    if open_from <= open_to:
        mask = (hour >= open_from) & (hour < open_to)
    else:
        mask = (hour >= open_from) | (hour < open_to)
    return float(mask.sum() * 0.25)


def _quantiles(values: np.ndarray) -> tuple[float, float, float, float]:
    if values.size == 0:
        return (float("nan"),) * 4
    p50, p90, p99 = np.percentile(values, [50.0, 90.0, 99.0])
    return float(values.mean()), float(p50), float(p90), float(p99)


def _count_at(times: np.ndarray, grid: np.ndarray) -> np.ndarray:
    finite = np.sort(times[np.isfinite(times)])
    counts: np.ndarray = np.searchsorted(finite, grid, side="right")
    return counts


def queue_series(
    spec: TandemSpec,
    sample: TandemSample,
    entry: np.ndarray,
    queued: np.ndarray,
    start: np.ndarray,
    *,
    step_hours: float = 1.0,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Number waiting on the road and at each station, sampled every ``step_hours``."""
    grid = np.arange(0.0, sample.until_hours + 1e-9, step_hours)
    series: dict[str, np.ndarray] = {
        "road": _count_at(sample.arrival_hours, grid) - _count_at(entry, grid)
    }
    for k, name in enumerate(spec.station_names):
        series[name] = _count_at(queued[:, k], grid) - _count_at(start[:, k], grid)
    return grid, series


def summarise_tandem(
    spec: TandemSpec,
    sample: TandemSample,
    outputs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int],
    *,
    detail: bool,
) -> RepOutcome:
    """Per-direction time in system, waiting, throughput, utilisation and flow counts."""
    entry, queued, start, end, exit_, events = outputs
    days = sample.until_hours / 24.0
    arr = sample.arrival_hours
    done = np.isfinite(exit_)
    time_in_system = exit_ - arr
    service_total = np.nansum(end - start, axis=1)
    groups: dict[str, dict[str, float]] = {}
    for d, name in enumerate(spec.direction_names):
        mask = done & (sample.direction == d)
        mean, p50, p90, p99 = _quantiles(time_in_system[mask])
        waits = time_in_system[mask] - service_total[mask]
        road = entry[mask] - arr[mask]
        groups[name] = {
            "time_mean_hours": mean,
            "time_p50_hours": p50,
            "time_p90_hours": p90,
            "time_p99_hours": p99,
            "wait_mean_hours": float(waits.mean()) if waits.size else float("nan"),
            "road_wait_mean_hours": float(road.mean()) if road.size else float("nan"),
            "appointment_delay_mean_hours": (
                float(sample.appointment_delay_hours[mask].mean())
                if sample.appointment_delay_hours is not None and mask.any()
                else 0.0
            ),
            "throughput_per_day": float(mask.sum() / days) if days > 0 else float("nan"),
            "arrivals_per_day": float((sample.direction == d).sum() / days) if days else 0.0,
        }
    utilisation: dict[str, float] = {}
    busy = np.minimum(end, sample.until_hours) - start
    busy = np.where(np.isfinite(start) & ~np.isfinite(end), sample.until_hours - start, busy)
    for k, name in enumerate(spec.station_names):
        capacity_hours = float(spec.servers[k].sum()) * _open_hours(
            float(spec.open_from_hour[k]), float(spec.open_to_hour[k]), sample.until_hours
        )
        used = float(np.nansum(busy[:, k]))
        utilisation[name] = used / capacity_hours if capacity_hours > 0 else float("nan")
    entered = np.isfinite(entry)
    flow = {
        "arrived": int(arr.size),
        "exited": int(done.sum()),
        "inside_at_end": int((entered & ~done).sum()),
        "on_road_at_end": int((~entered).sum()),
        "booked_beyond_horizon": int(sample.booked_beyond_horizon),
    }
    grid, series = queue_series(spec, sample, entry, queued, start)
    for d, name in enumerate(spec.direction_names):
        mine = sample.direction == d
        road_d = _count_at(arr[mine], grid) - _count_at(entry[mine], grid)
        groups[name]["road_queue_peak"] = float(road_d.max()) if road_d.size else 0.0
    extra = None
    if detail:
        extra = EntityDetail(
            entity=spec.entity,
            station_names=spec.station_names,
            direction_names=spec.direction_names,
            arrival_hours=arr,
            direction=sample.direction,
            entry_hours=entry,
            queued_hours=queued,
            start_hours=start,
            end_hours=end,
            exit_hours=exit_,
            queue_grid_hours=grid,
            queue_series=series,
        )
    return RepOutcome(
        groups=groups, utilisation=utilisation, events=int(events), flow=flow, detail=extra
    )
