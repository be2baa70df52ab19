"""Scenario × growth sweeps of the flow assignment, on a process pool or on Dask."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from caspian.errors import ValidationError
from caspian.flows.assign import METHODS, assign_flows
from caspian.flows.capacity import CapacityElement
from caspian.flows.compare import total_cost_usd_per_year
from caspian.flows.result import element_loads, mode_tonne_km
from caspian.model.demand import Demand, DemandOverlay, apply_overlay
from caspian.model.network import Network
from caspian.parallel import BACKENDS, check_backend, map_local, map_on_dask

__all__ = ["BACKENDS", "MAX_POINTS", "SweepCase", "SweepPoint", "sweep_flows"]

MAX_POINTS = 200
"""Most scenario × growth points one sweep may run."""


@dataclass(frozen=True)
class SweepCase:
    """One scenario's network, demand and capacity elements (``label`` names it)."""

    label: str
    network: Network
    demand: Demand
    elements: tuple[CapacityElement, ...]


@dataclass(frozen=True)
class SweepPoint:
    """The headline figures of one assignment of a sweep."""

    label: str
    growth_pct: float
    demand_tonnes_per_year: float
    cost_usd_per_year: float
    busiest_element: str
    busiest_utilisation: float
    over_capacity: int
    tonne_km_share: dict[str, float]


def _one(task: tuple[SweepCase, float, str]) -> SweepPoint:
    case, growth, method = task
    demand = apply_overlay(case.demand, DemandOverlay(growth_pct=growth), name="sweep")
    r = assign_flows(case.network, demand, case.elements, method=method)
    loads = element_loads(r)
    tkm = mode_tonne_km(r)
    total = sum(tkm.values()) or 1.0
    top = loads[0] if loads else None
    return SweepPoint(
        label=case.label,
        growth_pct=growth,
        demand_tonnes_per_year=demand.total_tonnes(),
        cost_usd_per_year=total_cost_usd_per_year(r),
        busiest_element=f"{top.element_id} {top.direction}" if top else "",
        busiest_utilisation=top.utilisation if top else 0.0,
        over_capacity=sum(1 for x in loads if x.utilisation > 1.0),
        tonne_km_share={m: v / total for m, v in tkm.items()},
    )


def sweep_flows(
    cases: Sequence[SweepCase],
    growth_pct: Sequence[float],
    *,
    method: str = "ue",
    backend: str = "local",
    scheduler_address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SweepPoint]:
    """Assign every case at every growth; points in (case, growth) order, reproducible.

    Raises
    ------
    ValidationError
        An unknown method or backend, a growth below −100 % or not finite, no cases, too many
        points, or a scheduler address that is malformed or cannot be reached.
    """
    if method not in METHODS:
        raise ValidationError(f"unknown flow method '{method}'; valid: {', '.join(METHODS)}")
    check_backend(backend, scheduler_address)
    if not cases or not growth_pct:
        raise ValidationError("a sweep needs at least one scenario and one growth value")
    for g in growth_pct:
        if not (g == g and abs(g) != float("inf")) or g <= -100:
            raise ValidationError(f"growth must be a finite percentage above -100; got {g}")
    if workers is not None and workers < 1:
        raise ValidationError(f"--workers must be at least 1; got {workers}")
    tasks = [(c, float(g), method) for c in cases for g in growth_pct]
    if len(tasks) > MAX_POINTS:
        raise ValidationError(f"{len(tasks)} points; a sweep runs at most {MAX_POINTS}")
    if backend == "dask":
        return map_on_dask(
            _one, tasks, scheduler_address=scheduler_address, workers=workers, progress=progress
        )
    # forkserver: the LP solver and numba start OpenMP threads, and forking a process that
    # runs them is unsafe (GNU OpenMP terminates the child)
    return map_local(_one, tasks, workers=workers, progress=progress, start_method="forkserver")
