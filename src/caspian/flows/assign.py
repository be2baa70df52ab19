"""Assign an origin–destination demand to the network: the front door of the flow engine."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from caspian.assignment import assign
from caspian.assignment.logit import solve_logit
from caspian.assignment.lp import solve_lp
from caspian.errors import ValidationError
from caspian.flows.build import DAYS_PER_YEAR, FlowModel, build_flow_model
from caspian.flows.capacity import CapacityElement
from caspian.flows.result import FlowResult
from caspian.model.demand import Bound, Demand, ODFlow
from caspian.model.network import Network

__all__ = ["METHODS", "assign_flows", "solve_model"]

METHODS: dict[str, str] = {
    "ue": "deterministic user equilibrium (path-based gradient projection), with queue delays",
    "logit": "stochastic user equilibrium: path-size logit over generated paths (MSA)",
    "lp": "system optimum under hard capacities: min-cost multicommodity flow LP (HiGHS)",
}
"""Assignment methods: name → what it does."""

Progress = Callable[[int, float], None]


def assign_flows(
    network: Network,
    demand: Demand | Sequence[ODFlow],
    elements: Sequence[CapacityElement],
    *,
    method: str = "ue",
    bound: Bound = "central",
    include_planned: bool = False,
    gap: float = 1e-5,
    progress: Progress | None = None,
) -> FlowResult:
    """Assign ``demand`` to ``network`` under the capacity ``elements``.

    Parameters
    ----------
    network
        The network (a scenario already applied, if any).
    demand
        A :class:`~caspian.model.demand.Demand` (its node-to-node flows at ``bound`` are
        assigned) or node-to-node flows directly.
    elements
        Capacity elements (:func:`caspian.flows.capacity.capacity_elements`).
    method
        One of :data:`METHODS`.
    bound
        Which demand figure: ``central``, ``low`` or ``high``.
    include_planned
        Let planned links carry freight.
    gap
        Convergence: relative gap for ``ue``, fixed-point residual for ``logit``.
    progress
        Called as ``progress(iteration, gap)`` (``ue`` only).

    Raises
    ------
    ValidationError
        An unknown method or bound, or an empty demand.
    """
    if method not in METHODS:
        raise ValidationError(f"unknown flow method '{method}'; valid: {', '.join(METHODS)}")
    flows = _flows_at(demand, bound)
    model = build_flow_model(network, flows, elements, include_planned=include_planned)
    return solve_model(model, method=method, gap=gap, progress=progress)


def _flows_at(demand: Demand | Sequence[ODFlow], bound: Bound) -> list[ODFlow]:
    if bound not in ("central", "low", "high"):
        raise ValidationError(f"bound must be central, low or high; got {bound!r}")
    flows = demand.flows() if isinstance(demand, Demand) else list(demand)
    if bound == "central":
        return list(flows)
    return [
        ODFlow(
            f.origin,
            f.destination,
            f.commodity,
            f.group,
            f.tonnes(bound),
            f.tonnes_low,
            f.tonnes_high,
            f.rows,
        )
        for f in flows
    ]


def solve_model(
    model: FlowModel, *, method: str = "ue", gap: float = 1e-5, progress: Progress | None = None
) -> FlowResult:
    """Solve a built flow model with ``method`` (see :func:`assign_flows`)."""
    if method not in METHODS:
        raise ValidationError(f"unknown flow method '{method}'; valid: {', '.join(METHODS)}")
    p = model.problem
    if method == "ue":
        r = assign(p, method="gp", gap=gap, unreachable="report", progress=progress)
        unreachable = tuple(
            (
                u.class_name,
                model.zones[u.origin],
                model.zones[u.destination],
                u.volume * DAYS_PER_YEAR,
            )
            for u in r.unreachable
        )
        return FlowResult(
            model=model,
            method=method,
            class_flow=r.class_flow,
            link_time=r.link_time,
            objective=r.objective,
            gap=r.relative_gap,
            iterations=r.iterations,
            seconds=r.seconds,
            unreachable=unreachable,
        )
    if method == "logit":
        lr = solve_logit(p, tol=max(gap, 1e-4))
        return FlowResult(
            model=model,
            method=method,
            class_flow=lr.class_flow,
            link_time=lr.link_time,
            objective=float((p.class_cost(lr.vehicle_flow) * lr.class_flow).sum()),
            gap=lr.change,
            iterations=lr.iterations,
            seconds=lr.seconds,
            unreachable=tuple(
                (p.class_names[k], model.zones[o], model.zones[d], v * DAYS_PER_YEAR)
                for k, o, d, v in lr.unreachable
            ),
        )
    start = time.perf_counter()
    groups, caps = _capacity_groups(model)
    res = solve_lp(p, groups=groups, group_capacity=caps)
    unmet = np.array([float(u.sum()) * DAYS_PER_YEAR for u in res.unmet])
    return FlowResult(
        model=model,
        method=method,
        class_flow=res.class_flow,
        link_time=p.congested_time.copy(),
        objective=res.objective,
        gap=0.0,
        iterations=1,
        seconds=time.perf_counter() - start,
        shadow_price=res.shadow_price,
        unmet_tonnes_per_year=unmet,
    )


def _capacity_groups(model: FlowModel) -> tuple[list[list[int]], list[float]]:
    """Capacity rows of the LP: a port's two berth links share its capacity; others alone."""
    groups: list[list[int]] = []
    caps: list[float] = []
    by_port: dict[int, list[int]] = {}
    for j in np.flatnonzero(model.link_element >= 0):
        i = int(model.link_element[j])
        if model.elements[i].kind == "port":
            by_port.setdefault(i, []).append(int(j))
        else:
            groups.append([int(j)])
            caps.append(float(model.problem.capacity[j]))
    for i, links in sorted(by_port.items()):
        groups.append(links)
        caps.append(model.elements[i].tonnes_per_day)
    return groups, caps
