"""The flow model: the mode-expanded graph turned into a multi-class assignment problem.

Vertices of the problem are, in order: one **zone** per place that sends or receives freight
(zones may start or end a trip but not be passed through), the vertices of the expanded graph
(:mod:`caspian.routing.graph`), and two **berth** vertices per capacitated port (one for
ships leaving, one for ships arriving). Links are:

- every open edge of the expanded graph (moves, transfers at terminals, border clearance),
  each class paying its generalized cost per tonne (money + value of time × hours, the same
  costs the route planner uses, for a shipment of the class's lot size);
- **connectors**: zone → each of its place's layers (loading cost) and back (unloading);
- **berth links** at capacitated ports: the port's sea layer → its departure berth, and
  arrival berth → sea layer; every ship move leaving (arriving at) the port starts (ends) at
  the berth vertex, so all ship tonnes of the port pass the berth link of their direction.

Congestion sits on capacity elements only (:mod:`caspian.flows.capacity`): border clearance
edges, berth links and rail line sections. Flows are in tonnes a day; capacities are
converted from vehicle units to tonnes with each element's vehicle load, so every class has a
PCE of 1 and the problem keeps an exact convex potential (the payloads in ``modes.csv`` are
the same for every cargo class on the constrained modes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from caspian.assignment import AssignmentProblem, Demand
from caspian.errors import ValidationError
from caspian.flows.capacity import (
    BPR_ALPHA,
    BPR_BETA,
    CapacityElement,
    fit_delay_curve,
)
from caspian.model.demand import ODFlow
from caspian.model.network import CARGO_CLASSES, WATER_MODES, Network
from caspian.routing.costs import edge_costs, objective_weights
from caspian.routing.graph import BORDER, MOVE, ExpandedGraph, build_graph

__all__ = ["DAYS_PER_YEAR", "LOT_T", "FlowModel", "build_flow_model"]

DAYS_PER_YEAR = 365.0
LOT_T: dict[str, float] = {
    "dry_bulk": 3000.0,
    "steel_general": 3000.0,
    "bagged": 60.0,
    "container": 20.0,
    "reefer": 20.0,
}
"""Shipment size (t) each cargo class is costed at. Grain, oilseeds and steel move in lots
that fill a river-sea ship (~3,000 t, ``services.csv``) — and so whole wagons and trucks;
bagged cargo in wagon lots (60 t = three full trucks); containers and reefers one 20 t box or
trailer at a time. An assumption, stated in ``docs/flows.md``: with 60 t lots a bulk shipment
would wait for a when-loaded ship to fill and sea would never be chosen, unlike the real
grain trade through Astrakhan, Makhachkala, Olya and the Iranian ports."""

T_REF_HOURS = 0.01
"""``t0`` of a queue's delay curve: the curve is ``t0 + a·x^β``, so a tiny ``t0`` (36 s,
taken off the fixed cost) makes the whole delay the queue's."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

LINK_KINDS = ("edge", "load", "unload", "berth_out", "berth_in")


@dataclass(frozen=True, eq=False)
class FlowModel:
    """The assignment problem of a network and a demand, and what each of its links is.

    Attributes
    ----------
    network, graph
        The network and its expanded graph.
    problem
        The multi-class assignment problem (flows in tonnes a day, time in hours, cost in
        USD per tonne).
    classes
        Commodity id of each class.
    od
        Per class, the node-to-node flows it carries (tonnes a year).
    zones
        Place id of each zone (problem vertices ``0 .. len(zones) - 1``).
    link_kind
        Per problem link: one of ``edge``, ``load``, ``unload``, ``berth_out``, ``berth_in``.
    link_edge
        Per problem link: the expanded graph's edge (−1 for connectors and berths).
    link_node
        Per problem link: the place of a connector or berth ('' for graph edges).
    elements
        The capacity elements; ``link_element`` gives each link's element (−1 for none).
    class_hours
        ``(n_classes, n_links)``: free-flow hours per tonne (reporting).
    """

    network: Network
    graph: ExpandedGraph
    problem: AssignmentProblem
    classes: tuple[str, ...]
    od: tuple[tuple[ODFlow, ...], ...]
    zones: tuple[str, ...]
    link_kind: tuple[str, ...]
    link_edge: IntArray
    link_node: tuple[str, ...]
    elements: tuple[CapacityElement, ...]
    link_element: IntArray
    class_hours: FloatArray

    @property
    def n_links(self) -> int:
        """Number of links of the problem."""
        return self.problem.n_links


@dataclass
class _Links:
    """Problem links as they are added."""

    tail: list[int]
    head: list[int]
    kind: list[str]
    edge: list[int]
    node: list[str]
    element: list[int]

    def add(self, tail: int, head: int, kind: str, edge: int, node: str, element: int) -> None:
        self.tail.append(tail)
        self.head.append(head)
        self.kind.append(kind)
        self.edge.append(edge)
        self.node.append(node)
        self.element.append(element)


def build_flow_model(
    network: Network,
    flows: Sequence[ODFlow],
    elements: Sequence[CapacityElement],
    *,
    include_planned: bool = False,
) -> FlowModel:
    """The assignment problem for node-to-node ``flows`` on ``network``.

    Parameters
    ----------
    network
        The network (a scenario already applied, if any).
    flows
        Node-to-node tonnes a year by commodity (e.g. ``Demand.flows()``); zero flows are
        ignored.
    elements
        Capacity elements (:func:`caspian.flows.capacity.capacity_elements`).
    include_planned
        Let planned links carry freight too.

    Raises
    ------
    ValidationError
        No positive flow, or a flow naming a place or commodity the network lacks.
    """
    graph = build_graph(network)
    live = [f for f in flows if f.tonnes_per_year > 0]
    if not live:
        raise ValidationError("the demand has no positive flow to assign")
    for f in live:
        for place in (f.origin, f.destination):
            if place not in network.nodes:
                raise ValidationError(f"demand flow {f.rows}: unknown place '{place}'")
        if f.commodity not in network.commodities:
            raise ValidationError(f"demand flow {f.rows}: unknown commodity '{f.commodity}'")
    classes = tuple(sorted({f.commodity for f in live}))
    zones = tuple(sorted({f.origin for f in live} | {f.destination for f in live}))
    zone_index = {z: i for i, z in enumerate(zones)}
    n_zones = len(zones)
    ports = {e.element: i for i, e in enumerate(elements) if e.kind == "port"}
    berth_vertex: dict[tuple[str, str], int] = {}
    n_nodes = n_zones + graph.n_vertices
    for node in sorted(ports):
        for side in ("out", "in"):
            berth_vertex[(node, side)] = n_nodes
            n_nodes += 1

    links = _Links([], [], [], [], [], [])
    _add_graph_edges(graph, links, elements, berth_vertex, n_zones, include_planned)
    _add_connectors(graph, links, zones, n_zones)
    for (node, side), v in berth_vertex.items():
        sea = graph.vertices_of_node[node]
        sea_v = next(u for u in sea if graph.vertex_layer[u] == "sea") + n_zones
        tail, head = (sea_v, v) if side == "out" else (v, sea_v)
        links.add(tail, head, f"berth_{side}", -1, node, ports[node])

    fixed, hours, vot = _class_costs(network, graph, classes, links, n_zones)
    t0, cap, alpha, beta = _delay_curves(graph, links, elements)
    fixed = np.maximum(fixed - vot[:, None] * t0[None, :], 0.0)
    od = tuple(tuple(f for f in live if f.commodity == c) for c in classes)
    demand = tuple(
        Demand(
            np.array([zone_index[f.origin] for f in fs], dtype=np.int64),
            np.array([zone_index[f.destination] for f in fs], dtype=np.int64),
            np.array([f.tonnes_per_year / DAYS_PER_YEAR for f in fs]),
        )
        for fs in od
    )
    problem = AssignmentProblem(
        n_nodes=n_nodes,
        tail=np.array(links.tail, dtype=np.int64),
        head=np.array(links.head, dtype=np.int64),
        congested_time=t0,
        capacity=cap,
        alpha=alpha,
        beta=beta,
        demand=demand,
        fixed_cost=fixed,
        value_of_time=vot,
        first_through_node=n_zones,
        class_names=classes,
    )
    return FlowModel(
        network=network,
        graph=graph,
        problem=problem,
        classes=classes,
        od=od,
        zones=zones,
        link_kind=tuple(links.kind),
        link_edge=np.array(links.edge, dtype=np.int64),
        link_node=tuple(links.node),
        elements=tuple(elements),
        link_element=np.array(links.element, dtype=np.int64),
        class_hours=hours,
    )


def _add_graph_edges(
    graph: ExpandedGraph,
    links: _Links,
    elements: Sequence[CapacityElement],
    berth_vertex: dict[tuple[str, str], int],
    n_zones: int,
    include_planned: bool,
) -> None:
    border_el = {
        (e.element, "road" if e.kind == "road_border" else "rail"): i
        for i, e in enumerate(elements)
        if e.kind in ("road_border", "rail_border")
    }
    line_el = {e.element: i for i, e in enumerate(elements) if e.kind == "rail_line"}
    usable = (graph.status == 0) | (include_planned & (graph.status == 1))
    for ee in np.flatnonzero(usable):
        e = int(ee)
        tail = int(graph.src[e]) + n_zones
        head = int(graph.dst[e]) + n_zones
        kind = int(graph.kind[e])
        element = -1
        if kind == BORDER:
            node = graph.vertex_node[int(graph.src[e])]
            element = border_el.get((node, graph.mode[e]), -1)
        elif kind == MOVE:
            element = line_el.get(graph.link[e], -1) if graph.mode[e] == "rail" else -1
            if graph.mode[e] == "sea":  # ships use the berths of capacitated ports
                a = graph.vertex_node[int(graph.src[e])]
                b = graph.vertex_node[int(graph.dst[e])]
                tail = berth_vertex.get((a, "out"), tail)
                head = berth_vertex.get((b, "in"), head)
        links.add(tail, head, "edge", e, "", element)


def _add_connectors(
    graph: ExpandedGraph, links: _Links, zones: Sequence[str], n_zones: int
) -> None:
    for z, place in enumerate(zones):
        for v in graph.vertices_of_node.get(place, ()):
            links.add(z, v + n_zones, "load", -1, place, -1)
            links.add(v + n_zones, z, "unload", -1, place, -1)


def _class_costs(
    network: Network,
    graph: ExpandedGraph,
    classes: Sequence[str],
    links: _Links,
    n_zones: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per class and link: generalized cost (USD/t), free-flow hours; per class: value of time."""
    n_links = len(links.tail)
    fixed = np.zeros((len(classes), n_links))
    hours = np.zeros((len(classes), n_links))
    vot = np.zeros(len(classes))
    edge = np.array(links.edge, dtype=np.int64)
    is_edge = edge >= 0
    conn = np.array([k in ("load", "unload") for k in links.kind])
    conn_vertex = np.where(
        np.array([k == "load" for k in links.kind]),
        np.array(links.head) - n_zones,
        np.array(links.tail) - n_zones,
    )
    for k, cid in enumerate(classes):
        commodity = network.commodities[cid]
        ci = CARGO_CLASSES.index(commodity.cargo_class)
        costs = edge_costs(graph, commodity, tonnes=LOT_T[commodity.cargo_class])
        weights = objective_weights("generalized", costs)
        vot[k] = costs.value_of_time_usd_per_t_hour
        fixed[k, is_edge] = weights[edge[is_edge]]
        hours[k, is_edge] = costs.hours[edge[is_edge]]
        load_h = graph.load_hours[ci][conn_vertex[conn]]
        fixed[k, conn] = graph.load_usd_per_t[ci][conn_vertex[conn]] + vot[k] * load_h
        hours[k, conn] = load_h
    if not np.isfinite(fixed).all():
        bad = np.argwhere(~np.isfinite(fixed))[0]
        raise ValidationError(
            f"class {classes[bad[0]]}: link {bad[1]} has no finite cost; check the network tables"
        )
    return fixed, hours, np.maximum(vot, 1e-9)


def _delay_curves(
    graph: ExpandedGraph,
    links: _Links,
    elements: Sequence[CapacityElement],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """``t0``, capacity (t/day), alpha and beta of every link."""
    n = len(links.tail)
    t0 = np.zeros(n)
    cap = np.full(n, np.inf)
    alpha = np.zeros(n)
    beta = np.ones(n)
    curves = {}
    for i, el in enumerate(elements):
        if el.servers is not None:
            a, b = fit_delay_curve(el.servers, el.service_hours())
            curves[i] = (a, b)
    for j, i in enumerate(links.element):
        if i < 0:
            continue
        el = elements[i]
        cap[j] = el.tonnes_per_day
        if i in curves:
            a, b = curves[i]
            t0[j], alpha[j], beta[j] = T_REF_HOURS, a / T_REF_HOURS, b
        else:  # rail line: conventional BPR on the section's moving time
            moving = graph.moving_hours[:, links.edge[j]].max() if links.edge[j] >= 0 else 0.0
            t0[j] = T_REF_HOURS
            alpha[j] = BPR_ALPHA * max(float(moving), T_REF_HOURS) / T_REF_HOURS
            beta[j] = BPR_BETA
    return t0, cap, alpha, beta


def link_is_water(graph: ExpandedGraph, edge: int) -> bool:
    """Whether a graph edge is a ship, ferry or truck-ferry move."""
    return int(graph.kind[edge]) == MOVE and graph.mode[edge] in WATER_MODES
