"""What a flow assignment found: tonnes and vehicles on links, borders and ports, utilisation,
delay and queues, mode shares, and the busiest elements.

Everything here is computed from a :class:`FlowResult` (class flows in tonnes a day on the
problem's links) and the :class:`~caspian.flows.build.FlowModel`; nothing is printed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from caspian.flows.build import DAYS_PER_YEAR, FlowModel
from caspian.model.network import WATER_MODES
from caspian.routing.graph import BORDER, MOVE

__all__ = [
    "ElementLoad",
    "FlowResult",
    "PlaceThroughput",
    "element_loads",
    "link_tonnes",
    "mode_tonne_km",
    "place_throughput",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class FlowResult:
    """Flows of one assignment.

    Attributes
    ----------
    model
        The flow model assigned.
    method
        ``ue``, ``logit`` or ``lp``.
    class_flow
        ``(n_classes, n_links)`` tonnes a day of each class on each problem link.
    link_time
        Hours per tonne on each link at these flows (free-flow plus delay on capacity links).
    objective
        The method's objective (Beckmann for ``ue``; total cost in USD a day for ``lp``;
        the logit fixed point's cost for ``logit``).
    gap
        Convergence measure: relative gap (``ue``), largest relative flow change (``logit``),
        0 for an optimal ``lp``.
    iterations, seconds
        Work done.
    shadow_price
        ``lp`` only: per link, what one more tonne a day of capacity would save (USD a day);
        0 where capacity does not bind.
    unmet_tonnes_per_year
        ``lp`` only: per class, tonnes a year no capacity-feasible route could carry.
    unreachable
        (class, origin, destination, tonnes a year) pairs with no route at all.
    """

    model: FlowModel
    method: str
    class_flow: FloatArray
    link_time: FloatArray
    objective: float
    gap: float
    iterations: int
    seconds: float
    shadow_price: FloatArray | None = None
    unmet_tonnes_per_year: FloatArray | None = None
    unreachable: tuple[tuple[str, str, str, float], ...] = field(default=())

    @property
    def tonnes_per_day(self) -> FloatArray:
        """Tonnes a day on each problem link, all classes."""
        return np.asarray(self.class_flow.sum(axis=0), dtype=np.float64)


@dataclass(frozen=True)
class ElementLoad:
    """The load on one capacity element in one direction."""

    element_id: str
    kind: str
    place: str
    direction: str
    tonnes_per_year: float
    vehicles_per_day: float
    capacity_vehicles_per_day: float
    vehicle: str
    utilisation: float
    delay_hours: float
    queue_vehicles: float
    shadow_price_usd_per_t: float | None
    source: str


@dataclass(frozen=True)
class PlaceThroughput:
    """Tonnes a year handled at a port or crossed at a border, by mode or direction."""

    place: str
    kind: str
    tonnes_per_year: float
    by_part: dict[str, float]
    vehicles_per_day: float


def link_tonnes(result: FlowResult) -> dict[int, float]:
    """Tonnes a day per expanded-graph edge (connectors and berths left out)."""
    out: dict[int, float] = defaultdict(float)
    flow = result.tonnes_per_day
    for j, e in enumerate(result.model.link_edge):
        if e >= 0 and flow[j] > 0:
            out[int(e)] += float(flow[j])
    return dict(out)


def _direction(model: FlowModel, j: int) -> str:
    g = model.graph
    kind = model.link_kind[j]
    if kind.startswith("berth_"):
        return "loading" if kind == "berth_out" else "unloading"
    e = int(model.link_edge[j])
    a, b = int(g.src[e]), int(g.dst[e])
    if int(g.kind[e]) == BORDER:
        return f"{g.vertex_side[a]}>{g.vertex_side[b]}"
    return f"{g.vertex_node[a]}>{g.vertex_node[b]}"


def element_loads(result: FlowResult) -> list[ElementLoad]:
    """Every capacity element's load per direction, busiest (highest utilisation) first."""
    model = result.model
    p = model.problem
    flow = result.tonnes_per_day
    out: list[ElementLoad] = []
    for jj in np.flatnonzero(model.link_element >= 0):
        j = int(jj)
        el = model.elements[int(model.link_element[j])]
        vehicles = flow[j] / el.vehicle_t
        util = flow[j] / p.capacity[j]
        delay = float(result.link_time[j] - p.congested_time[j])
        # Little's law: vehicles waiting = arrivals per hour × hours waiting
        queue = 0.0 if el.kind == "rail_line" else vehicles / 24.0 * delay
        price = None if result.shadow_price is None else float(result.shadow_price[j])
        out.append(
            ElementLoad(
                element_id=el.id,
                kind=el.kind,
                place=el.element,
                direction=_direction(model, j),
                tonnes_per_year=float(flow[j] * DAYS_PER_YEAR),
                vehicles_per_day=float(vehicles),
                capacity_vehicles_per_day=el.vehicles_per_day,
                vehicle=el.vehicle,
                utilisation=float(util),
                delay_hours=max(delay, 0.0),
                queue_vehicles=float(queue),
                shadow_price_usd_per_t=price,
                source=el.source,
            )
        )
    out.sort(key=lambda x: (-x.utilisation, x.element_id, x.direction))
    return out


def place_throughput(result: FlowResult) -> list[PlaceThroughput]:
    """Tonnes a year at every port (loaded + unloaded, by mode) and border (by direction)."""
    model = result.model
    g = model.graph
    net = model.network
    payload = {key: m.vehicle_payload_t for key, m in net.mode_costs.items()}
    truck_t = payload.get(("road", "dry_bulk"), 20.0)
    ports: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    borders: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    road_t: dict[str, float] = defaultdict(float)
    for e, t_day in link_tonnes(result).items():
        t_year = t_day * DAYS_PER_YEAR
        a, b = int(g.src[e]), int(g.dst[e])
        if int(g.kind[e]) == MOVE and g.mode[e] in WATER_MODES:
            for v, part in ((a, "loaded"), (b, "unloaded")):
                node = g.vertex_node[v]
                if net.nodes[node].kind == "port":
                    ports[node][f"{g.mode[e]} {part}"] += t_year
        elif int(g.kind[e]) == BORDER:
            node = g.vertex_node[a]
            borders[node][f"{g.mode[e]} {g.vertex_side[a]}>{g.vertex_side[b]}"] += t_year
            if g.mode[e] == "road":
                road_t[node] += t_day
    out = [
        PlaceThroughput(node, "port", sum(parts.values()), dict(sorted(parts.items())), 0.0)
        for node, parts in ports.items()
    ]
    out += [
        PlaceThroughput(
            node, "border", sum(parts.values()), dict(sorted(parts.items())), road_t[node] / truck_t
        )
        for node, parts in borders.items()
    ]
    out.sort(key=lambda x: (-x.tonnes_per_year, x.place))
    return out


def mode_tonne_km(result: FlowResult) -> dict[str, float]:
    """Tonne-km a year by moving mode, all classes."""
    g = result.model.graph
    out: dict[str, float] = defaultdict(float)
    for e, t_day in link_tonnes(result).items():
        if int(g.kind[e]) == MOVE:
            out[g.mode[e]] += t_day * DAYS_PER_YEAR * float(g.distance_km[e])
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
