"""Preparing a query: resolve places and cargo, check options, compute weights and masks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from caspian.errors import ValidationError
from caspian.model.network import CARGO_CLASSES, Commodity, Network, Node
from caspian.model.places import resolve_commodity, resolve_place
from caspian.routing.costs import EdgeCosts, Objective, edge_costs, objective_weights
from caspian.routing.graph import MOVE, ExpandedGraph, FloatArray, build_graph
from caspian.routing.itinerary import Itinerary
from caspian.routing.options import RouteOptions, check_options, check_places, check_tonnes

__all__ = [
    "LAYER_MODES",
    "RouteQuery",
    "allowed_edges",
    "prepare_query",
    "query_of",
    "required_bits",
]

LAYER_MODES = {
    "road": ("road", "truck_ferry"),
    "rail_1435": ("rail", "rail_ferry"),
    "rail_1520": ("rail", "rail_ferry"),
    "sea": ("sea",),
}
"""The moving modes that use each layer of the expanded graph."""


@dataclass(frozen=True, eq=False)
class RouteQuery:
    """A validated query, ready for the search engines (shortest, k-best, Pareto)."""

    graph: ExpandedGraph
    origin: Node
    destination: Node
    commodity: Commodity
    tonnes: float
    objective: str
    options: RouteOptions
    costs: EdgeCosts
    weights: FloatArray
    allowed: NDArray[np.bool_]
    sources: NDArray[np.int64]
    source_cost: FloatArray
    targets: NDArray[np.int64]
    target_cost: FloatArray

    @property
    def max_hours(self) -> float | None:
        """The effective transit-time limit."""
        if self.options.max_transit_hours is not None:
            return self.options.max_transit_hours
        if self.commodity.max_transit_days is not None:
            return self.commodity.max_transit_days * 24.0
        return None

    @property
    def n_constraints(self) -> int:
        """Required mode groups plus via places: the bits of a search state's mask."""
        return len(self.options.require_modes) + len(self.options.via_nodes)


def allowed_edges(
    graph: ExpandedGraph, options: RouteOptions, origin: str, destination: str
) -> NDArray[np.bool_]:
    """Which edges of ``graph`` the options allow (status, modes, feeder radius, avoidances)."""
    network = graph.network
    allowed = graph.status == 0
    if options.include_planned:
        allowed |= graph.status == 1
    if options.modes is not None:
        modes = options.modes
        layer_ok = {layer: any(m in modes for m in ms) for layer, ms in LAYER_MODES.items()}
        src_layer_ok = np.array([layer_ok[graph.vertex_layer[v]] for v in graph.src])
        dst_layer_ok = np.array([layer_ok[graph.vertex_layer[v]] for v in graph.dst])
        move_ok = np.array([m in modes for m in graph.mode])
        kind = graph.kind
        allowed &= np.where(kind == MOVE, move_ok, src_layer_ok & dst_layer_ok)
    if options.feeder_road_km is not None:
        near = _near_nodes(network, (origin, destination), options.feeder_road_km)
        src_near = np.array([graph.vertex_node[v] in near for v in graph.src])
        dst_near = np.array([graph.vertex_node[v] in near for v in graph.dst])
        is_road = np.array([m == "road" for m in graph.mode]) & (graph.kind == MOVE)
        allowed &= ~is_road | (src_near & dst_near)
    avoid = set(options.avoid_nodes)
    avoid_c = set(options.avoid_countries)
    if avoid or avoid_c:
        bad_vertex = np.zeros(graph.n_vertices, dtype=bool)
        for v, node_id in enumerate(graph.vertex_node):
            if node_id in (origin, destination):
                continue
            country = graph.vertex_side[v] or network.nodes[node_id].country
            bad_vertex[v] = node_id in avoid or country in avoid_c
        allowed &= ~bad_vertex[graph.src] & ~bad_vertex[graph.dst]
    return np.asarray(allowed, dtype=np.bool_)


def _near_nodes(network: Network, centres: Iterable[str], radius_km: float) -> set[str]:
    """Nodes within ``radius_km`` (great circle) of any of ``centres``."""
    ids = list(network.nodes)
    lat = np.radians([network.nodes[i].lat for i in ids])
    lon = np.radians([network.nodes[i].lon for i in ids])
    near: set[str] = set()
    for c in centres:
        node = network.nodes[c]
        la, lo = np.radians(node.lat), np.radians(node.lon)
        h = np.sin((lat - la) / 2) ** 2 + np.cos(la) * np.cos(lat) * np.sin((lon - lo) / 2) ** 2
        dist = 2 * 6371.0 * np.arcsin(np.sqrt(h))
        near.update(i for i, d in zip(ids, dist, strict=True) if d <= radius_km + 1e-9)
    return near


def required_bits(query: RouteQuery) -> NDArray[np.int64]:
    """Per edge, the bit set of required-mode groups and via places the edge satisfies.

    Bit ``j`` (``j`` < number of groups) is set on moving edges of a mode in group ``j``;
    the next bits, one per via place, on every edge that arrives at that place.
    """
    g = query.graph
    bits = np.zeros(g.n_edges, dtype=np.int64)
    is_move = g.kind == MOVE
    for j, group in enumerate(query.options.require_modes):
        hit = np.array([m in group for m in g.mode]) & is_move
        bits[hit] |= 1 << j
    offset = len(query.options.require_modes)
    for j, node in enumerate(query.options.via_nodes):
        at = np.array([g.vertex_node[v] == node for v in g.dst])
        bits[at] |= 1 << (offset + j)
    return bits


def prepare_query(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    objective: str | Objective = "generalized",
    options: RouteOptions | None = None,
    factors: FloatArray | None = None,
) -> RouteQuery:
    """Validate a query and compute its edge weights and masks.

    ``factors`` scales the graph's uncertain parameters (a Monte Carlo draw or a
    calibration step; see :func:`caspian.routing.costs.edge_costs`).

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a bad place, cargo, mode, country or number, or places that make no sense
        together (via or avoid the origin or destination, same origin and destination).
    """
    opts = options or RouteOptions()
    if not isinstance(opts, RouteOptions):
        raise ValidationError(f"options must be RouteOptions; got {type(opts).__name__}")
    o = resolve_place(network, origin)
    d = resolve_place(network, destination)
    if o.id == d.id:
        raise ValidationError(f"origin and destination are the same place ({o.id})")
    commodity = resolve_commodity(network.commodities, cargo)
    opts = replace(
        opts,
        avoid_nodes=frozenset(resolve_place(network, n).id for n in opts.avoid_nodes),
        via_nodes=tuple(resolve_place(network, n).id for n in opts.via_nodes),
    )
    check_places(network, opts, o, d)
    tonnes = check_tonnes(tonnes)
    check_options(network, opts)
    graph = build_graph(network)
    costs = edge_costs(
        graph,
        commodity,
        tonnes=tonnes,
        carbon_price_usd_per_t_co2e=opts.carbon_price_usd_per_t_co2e,
        factors=factors,
    )
    weights = objective_weights(objective, costs).copy()
    allowed = allowed_edges(graph, opts, o.id, d.id)
    weights[~allowed] = np.inf
    ci = CARGO_CLASSES.index(commodity.cargo_class)
    end_costs = EdgeCosts(
        money_usd_per_t=graph.load_usd_per_t[ci],
        hours=graph.load_hours[ci],
        co2e_kg_per_t=np.zeros(graph.n_vertices),
        value_of_time_usd_per_t_hour=costs.value_of_time_usd_per_t_hour,
        carbon_price_usd_per_t_co2e=costs.carbon_price_usd_per_t_co2e,
    )
    vertex_cost = objective_weights(objective, end_costs)
    sources = np.array(graph.vertices_of_node.get(o.id, ()), dtype=np.int64)
    targets = np.array(graph.vertices_of_node.get(d.id, ()), dtype=np.int64)
    label = objective if isinstance(objective, str) else getattr(objective, "__name__", "custom")
    return RouteQuery(
        graph=graph,
        origin=o,
        destination=d,
        commodity=commodity,
        tonnes=tonnes,
        objective=label,
        options=opts,
        costs=costs,
        weights=weights,
        allowed=allowed,
        sources=sources,
        source_cost=vertex_cost[sources],
        targets=targets,
        target_cost=vertex_cost[targets],
    )


def query_of(
    network: Network, itinerary: Itinerary, *, options: RouteOptions | None = None
) -> RouteQuery:
    """The query of a planned itinerary (its origin, destination, cargo and tonnes)."""
    return prepare_query(
        network,
        itinerary.origin,
        itinerary.destination,
        cargo=itinerary.cargo,
        tonnes=itinerary.tonnes,
        options=options,
    )
