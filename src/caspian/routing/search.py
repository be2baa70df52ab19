"""The planner's front door: :func:`plan_route`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from caspian.errors import NoRouteError, ValidationError
from caspian.model.network import CARGO_CLASSES, MODES, Commodity, Network, Node
from caspian.model.places import resolve_commodity, resolve_place
from caspian.routing.costs import EdgeCosts, Objective, edge_costs, objective_weights
from caspian.routing.dijkstra import best_route, shortest_tree
from caspian.routing.graph import BORDER, MOVE, TRANSFER, ExpandedGraph, FloatArray, build_graph
from caspian.routing.itinerary import Itinerary, Leg, Totals

__all__ = ["RouteOptions", "RouteQuery", "best_path", "plan_route", "prepare_query", "solve"]

MAX_SHIPMENT_T = 10_000_000.0
"""Largest shipment accepted (t); larger figures are almost surely a unit mistake."""

LAYER_MODES = {
    "road": ("road", "truck_ferry"),
    "rail_1435": ("rail", "rail_ferry"),
    "rail_1520": ("rail", "rail_ferry"),
    "sea": ("sea",),
}


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """Options of a route query (all optional).

    Attributes
    ----------
    modes
        Moving modes allowed (``None``: all of road, rail, sea, rail_ferry, truck_ferry).
    require_modes
        Groups of modes the route must use: each group by at least one link. For example
        ``(frozenset({"sea", "rail_ferry"}),)`` means "crosses the Caspian by ship" and
        ``(frozenset({"rail"}), frozenset({"sea"}))`` means "uses rail and a ship".
    via_nodes
        Places the route must pass (any order), e.g. ``("ir_caspian_port",)``.
    feeder_road_km
        When set, road links are usable only within this great-circle distance (km) of the
        origin or of the destination: pre- and on-carriage by truck around a rail or sea
        main haul.
    avoid_nodes, avoid_countries
        Places or ISO alpha-2 countries the route may not pass.
    include_planned
        Use planned links (e.g. the Rasht–Astara railway).
    max_transit_hours
        Door-to-door limit; ``None`` takes the commodity's shelf life, if any.
    carbon_price_usd_per_t_co2e
        Adds CO2e to the generalized cost.
    """

    modes: frozenset[str] | None = None
    require_modes: tuple[frozenset[str], ...] = ()
    via_nodes: tuple[str, ...] = ()
    feeder_road_km: float | None = None
    avoid_nodes: frozenset[str] = field(default_factory=frozenset)
    avoid_countries: frozenset[str] = field(default_factory=frozenset)
    include_planned: bool = False
    max_transit_hours: float | None = None
    carbon_price_usd_per_t_co2e: float = 0.0


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


def _check_options(network: Network, tonnes: float, options: RouteOptions) -> None:
    if not np.isfinite(tonnes) or tonnes <= 0:
        raise ValidationError(f"tonnes must be a positive number; got {tonnes}")
    if tonnes > MAX_SHIPMENT_T:
        raise ValidationError(
            f"tonnes {tonnes:g} is more than one shipment can be ({MAX_SHIPMENT_T:g} t, about "
            "a year of a large Caspian port's throughput); plan a shipment, not a yearly flow"
        )
    required = [m for group in options.require_modes for m in group]
    for name, values in (("modes", options.modes or ()), ("require_modes", required)):
        bad = sorted(set(values) - set(MODES))
        if bad:
            raise ValidationError(
                f"Unknown mode(s) in {name}: {', '.join(bad)}. Valid modes: {', '.join(MODES)}."
            )
    for node in options.avoid_nodes:
        resolve_place(network, node)
    countries = {n.country for n in network.nodes.values()}
    bad = sorted(set(options.avoid_countries) - countries)
    if bad:
        raise ValidationError(
            f"Unknown country code(s) to avoid: {', '.join(bad)}. "
            f"Countries in the network: {', '.join(sorted(countries))}."
        )
    if options.max_transit_hours is not None and options.max_transit_hours <= 0:
        raise ValidationError("max transit hours must be positive")
    if options.feeder_road_km is not None and options.feeder_road_km < 0:
        raise ValidationError("feeder road distance must be ≥ 0 km")
    if len(options.require_modes) + len(options.via_nodes) > 5:
        raise ValidationError("at most 5 required mode groups and via places together")
    if options.carbon_price_usd_per_t_co2e < 0:
        raise ValidationError("carbon price must be ≥ 0 USD per tonne CO2e")


def _allowed_edges(
    graph: ExpandedGraph, options: RouteOptions, origin: str, destination: str
) -> NDArray[np.bool_]:
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
    """Per edge, the bit set of required-mode groups the edge satisfies."""
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
    """
    opts = options or RouteOptions()
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
    clash = sorted(set(opts.via_nodes) & opts.avoid_nodes)
    if clash:
        raise ValidationError(f"cannot both pass and avoid: {', '.join(clash)}")
    _check_options(network, tonnes, opts)
    graph = build_graph(network)
    costs = edge_costs(
        graph,
        commodity,
        tonnes=tonnes,
        carbon_price_usd_per_t_co2e=opts.carbon_price_usd_per_t_co2e,
        factors=factors,
    )
    weights = objective_weights(objective, costs).copy()
    allowed = _allowed_edges(graph, opts, o.id, d.id)
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
        tonnes=float(tonnes),
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


def _walk(pred: NDArray[np.int64], tail: NDArray[np.int64], v: int) -> list[int]:
    """Edges from the root of a shortest-path tree to ``v`` (``tail``: each edge's start)."""
    path: list[int] = []
    while pred[v] >= 0:
        e = int(pred[v])
        path.append(e)
        v = int(tail[e])
    path.reverse()
    return path


def best_path(query: RouteQuery) -> tuple[float, int, Sequence[int]] | None:
    """Cheapest path (weight, source vertex, edges) honouring ``require_modes``; None if none."""
    g = query.graph
    if query.sources.size == 0 or query.targets.size == 0:
        return None
    if query.options.require_modes or query.options.via_nodes:
        return _best_with_required(query)
    cost, start, edges = best_route(
        g.fwd_indptr,
        g.fwd_edges,
        g.dst,
        g.src,
        query.weights,
        query.sources,
        query.source_cost,
        query.targets,
        query.target_cost,
    )
    if cost == np.inf:
        return None
    return cost, start, edges  # type: ignore[return-value]  # int64 array acts as Sequence[int]


def _best_with_required(query: RouteQuery) -> tuple[float, int, Sequence[int]] | None:
    """Exact cheapest path using every required group, by Dijkstra on (vertex, groups-used).

    The state graph has ``2**k`` copies of the expanded graph for ``k`` groups; an edge moves
    from copy ``m`` to copy ``m | bits(edge)``. Targets are the full-mask copies.
    """
    g = query.graph
    k = len(query.options.require_modes) + len(query.options.via_nodes)
    copies = 1 << k
    full = copies - 1
    n_v, n_e = g.n_vertices, g.n_edges
    bits = required_bits(query)
    mask = np.repeat(np.arange(copies, dtype=np.int64), n_e)
    edge = np.tile(np.arange(n_e, dtype=np.int64), copies)
    src = g.src[edge] * copies + mask
    dst = g.dst[edge] * copies + (mask | bits[edge])
    weights = query.weights[edge]
    order = np.argsort(src, kind="stable").astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n_v * copies))))
    targets = query.targets * copies + full
    dist, pred = shortest_tree(
        indptr.astype(np.int64),
        order,
        dst,
        weights,
        query.sources * copies,
        query.source_cost,
        targets,
    )
    totals = dist[targets] + query.target_cost
    best = int(np.argmin(totals))
    if not np.isfinite(totals[best]):
        return None
    path = [int(e) for e in _walk(pred, src, int(targets[best]))]
    edges = [int(edge[e]) for e in path]
    start = int(g.src[edges[0]]) if edges else int(query.targets[best])
    if _revisits(g, start, edges):
        # The cheapest walk loops back to touch a required mode: search simple paths.
        from caspian.routing.labels import pareto_labels

        found = pareto_labels(
            query, [query.weights], [query.source_cost], [query.target_cost], elementary=True
        )
        if not found:
            return None
        cost, start, edges = found[0]
        return cost[0], start, edges
    return float(totals[best]), start, edges


def _revisits(g: ExpandedGraph, start: int, edges: Sequence[int]) -> bool:
    """Whether a path comes back to a place it has left."""
    seen = {g.vertex_node[start]}
    here = g.vertex_node[start]
    for e in edges:
        node = g.vertex_node[int(g.dst[e])]
        if node != here:
            if node in seen:
                return True
            seen.add(node)
            here = node
    return False


def plan_route(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    objective: str | Objective = "generalized",
    options: RouteOptions | None = None,
) -> Itinerary:
    """Plan the best multimodal route for a shipment.

    Parameters
    ----------
    network
        From :func:`caspian.load_network` (possibly with a scenario applied).
    origin, destination
        Node ids, or names in English or Persian, or aliases.
    cargo
        Commodity id or name (``wheat``, ``tea``, ``cut_flowers`` ...).
    tonnes
        Shipment size in tonnes (> 0).
    objective
        ``generalized`` (money + value of time [+ carbon price]), ``cost``, ``time``,
        ``co2``, or a callable over :class:`~caspian.routing.costs.EdgeCosts`.
    options
        Modes, avoidances, planned links, transit-time limit, carbon price.

    Returns
    -------
    Itinerary
        Legs and totals for the whole shipment.

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a bad place, cargo, mode, country or number.
    NoRouteError
        When nothing connects origin and destination under the options; the message says why.

    Examples
    --------
    >>> from caspian import load_network
    >>> net = load_network()
    >>> route = plan_route(net, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    >>> route.totals.cost_usd > 0 and route.legs[0].kind == "load"
    True
    """
    query = prepare_query(
        network,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        objective=objective,
        options=options,
    )
    return solve(query)


def solve(query: RouteQuery) -> Itinerary:
    """Solve a prepared query, honouring its transit-time limit."""
    found = best_path(query)
    if found is None:
        raise NoRouteError(explain_no_route(query))
    itinerary = build_itinerary(query, found[1], found[2])
    limit = query.max_hours
    if limit is not None and itinerary.totals.hours > limit:
        from caspian.routing.labels import constrained_best

        constrained = constrained_best(query, max_hours=limit)
        if constrained is None:
            raise NoRouteError(explain_no_route(query, too_slow=itinerary))
        itinerary = build_itinerary(query, constrained[0], constrained[1])
    return itinerary


def explain_no_route(query: RouteQuery, *, too_slow: Itinerary | None = None) -> str:
    """Say why no route exists, and what option would help."""
    o, d = query.origin, query.destination
    head = f"No route from {o.name_en} ({o.id}) to {d.name_en} ({d.id})"
    opts = query.options
    if too_slow is not None:
        fastest = _try(query, "time", opts)
        quickest = f"{fastest.totals.hours:.0f} h" if fastest else "unknown"
        why = (
            f" within {query.max_hours:.0f} h"
            + (
                f" (shelf life of {query.commodity.name_en}:"
                f" {query.commodity.max_transit_days:g} days)"
                if opts.max_transit_hours is None
                else ""
            )
            + f"; the fastest route takes {quickest}."
        )
        return head + why + " Raise --max-hours or choose a faster cargo class."
    relaxations: list[tuple[str, RouteOptions]] = []
    if not opts.include_planned:
        relaxations.append(("add --include-planned", replace(opts, include_planned=True)))
    if opts.modes is not None:
        relaxations.append(("allow more modes (--modes)", replace(opts, modes=None)))
    if opts.require_modes:
        relaxations.append(("drop the required modes", replace(opts, require_modes=())))
    if opts.via_nodes:
        relaxations.append(("drop the --via places", replace(opts, via_nodes=())))
    if opts.feeder_road_km is not None:
        relaxations.append(("allow longer road legs", replace(opts, feeder_road_km=None)))
    if opts.avoid_nodes or opts.avoid_countries:
        relaxations.append(
            (
                "avoid fewer places/countries",
                replace(opts, avoid_nodes=frozenset(), avoid_countries=frozenset()),
            )
        )
    for hint, relaxed in relaxations:
        found = _try(query, "generalized", relaxed)
        if found is not None:
            detail = ""
            if hint.startswith("add --include-planned"):
                planned = [
                    leg for leg in found.legs if leg.kind == "move" and _uses_planned(query, leg)
                ]
                names = ", ".join(
                    f"the {_link_label(query, link)} {leg.mode} link"
                    for leg in planned
                    for link in leg.links
                    if query.graph.network.links[link].status == "planned"
                )
                detail = f": {names} is planned, not open" if names else ""
            mode_txt = ", ".join(found.modes)
            return f"{head} with these options{detail}; {hint} (a route exists via {mode_txt})."
    return f"{head}: the network does not connect them with the modes and links open today."


def _link_label(query: RouteQuery, link_id: str) -> str:
    link = query.graph.network.links[link_id]
    nodes = query.graph.network.nodes
    return f"{nodes[link.from_node].name_en}–{nodes[link.to_node].name_en}"


def _uses_planned(query: RouteQuery, leg: Leg) -> bool:
    return any(query.graph.network.links[x].status == "planned" for x in leg.links)


def _try(query: RouteQuery, objective: str, options: RouteOptions) -> Itinerary | None:
    relaxed = prepare_query(
        query.graph.network,
        query.origin.id,
        query.destination.id,
        cargo=query.commodity.id,
        tonnes=query.tonnes,
        objective=objective,
        options=options,
    )
    found = best_path(relaxed)
    return None if found is None else build_itinerary(relaxed, found[1], found[2])


def build_itinerary(query: RouteQuery, start: int, edges: Iterable[int]) -> Itinerary:
    """Turn a path in the expanded graph into an itinerary with legs and totals."""
    g = query.graph
    t = query.tonnes
    edges = list(edges)
    end = int(g.dst[edges[-1]]) if edges else start
    raw: list[Leg] = [_end_leg(query, start, "load")]
    for e in edges:
        raw.append(_edge_leg(query, e))
    raw.append(_end_leg(query, end, "unload"))
    legs = tuple(_merge(raw))
    return Itinerary(
        origin=query.origin.id,
        destination=query.destination.id,
        cargo=query.commodity.id,
        tonnes=t,
        objective=query.objective,
        legs=legs,
        totals=_totals(query, legs),
        scenario=", ".join(g.network.scenarios),
    )


def _end_leg(query: RouteQuery, vertex: int, kind: str) -> Leg:
    g = query.graph
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    node = g.vertex_node[vertex]
    layer = g.vertex_layer[vertex]
    verb = "loading onto" if kind == "load" else "unloading from"
    return Leg(
        kind=kind,
        mode=layer,
        from_node=node,
        to_node=node,
        distance_km=0.0,
        moving_hours=0.0,
        handling_hours=float(g.load_hours[ci, vertex]),
        border_hours=0.0,
        waiting_hours=0.0,
        cost_usd=float(g.load_usd_per_t[ci, vertex]) * query.tonnes,
        co2e_kg=0.0,
        description=f"{verb} {layer.replace('_', ' ')}",
    )


def _edge_leg(query: RouteQuery, e: int) -> Leg:
    g = query.graph
    c = query.costs
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    tonnes = query.tonnes
    kind = int(g.kind[e])
    u, v = int(g.src[e]), int(g.dst[e])
    a, z = g.vertex_node[u], g.vertex_node[v]
    vehicle, vehicles = "", 0.0
    if kind == MOVE:
        desc = g.mode[e].replace("_", " ")
        mc = g.network.mode_costs[(g.mode[e], query.commodity.cargo_class)]
        vehicle = mc.vehicle
        vehicles = mc.vehicles_per_t(tonnes) * tonnes
    elif kind == TRANSFER:
        x, y = g.mode[e].split(">")
        desc = f"transfer {x.replace('_', ' ')} → {y.replace('_', ' ')}"
    else:
        desc = f"{g.mode[e]} border clearance {g.vertex_side[u]} → {g.vertex_side[v]}"

    def part(arr: FloatArray | None) -> float:
        return 0.0 if arr is None else float(arr[e])

    return Leg(
        kind={MOVE: "move", TRANSFER: "transfer", BORDER: "border"}[kind],
        mode=g.mode[e] if kind != TRANSFER else g.mode[e].replace(">", "→"),
        from_node=a,
        to_node=z,
        distance_km=float(g.distance_km[e]),
        moving_hours=part(c.moving_hours),
        handling_hours=part(c.handling_hours),
        border_hours=part(c.border_hours),
        waiting_hours=part(c.waiting_hours),
        rest_hours=part(c.rest_hours),
        cost_usd=float(c.money_usd_per_t[e]) * tonnes,
        co2e_kg=float(g.co2e_kg_per_t[ci, e]) * tonnes,
        links=(g.link[e],) if g.link[e] else (),
        description=desc,
        vehicle=vehicle,
        vehicles=vehicles,
        edges=(e,),
        **_emission_basis(g, e, ci),
    )


def _emission_basis(g: ExpandedGraph, e: int, ci: int) -> dict[str, Any]:
    """The intensity, distance factor and source row behind an edge's CO2e (ISO 14083)."""
    net = g.network
    cls = CARGO_CLASSES[ci]
    if int(g.kind[e]) == MOVE:
        mc = net.mode_costs[(g.mode[e], cls)]
        return {
            "co2e_g_per_tkm": mc.co2e_g_per_tkm,
            "distance_factor": mc.distance_factor,
            "emission_source": f"modes.csv {mc.mode}/{cls}: {mc.source}",
        }
    if int(g.kind[e]) == TRANSFER:
        node = g.vertex_node[int(g.src[e])]
        pair = set(g.mode[e].split(">"))
        rules = [t for t in net.transfers if t.node == node and {t.from_layer, t.to_layer} == pair]
        rule = next((t for t in rules if t.cargo_class == cls), None) or next(
            (t for t in rules if t.cargo_class == "*"), None
        )
        if rule is not None:
            return {"emission_source": f"terminals.csv {node} hub: {rule.source}"}
    return {}


def _merge(legs: list[Leg]) -> list[Leg]:
    """Join consecutive moves in the same mode with no wait or clearance between them."""
    out: list[Leg] = []
    for leg in legs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == leg.kind == "move"
            and prev.mode == leg.mode
            and leg.waiting_hours == 0
            and leg.border_hours == 0
            and prev.waiting_hours == 0
            and prev.border_hours == 0
        ):
            out[-1] = replace(
                prev,
                to_node=leg.to_node,
                via=(*prev.via, prev.to_node),
                links=(*prev.links, *leg.links),
                distance_km=prev.distance_km + leg.distance_km,
                moving_hours=prev.moving_hours + leg.moving_hours,
                rest_hours=prev.rest_hours + leg.rest_hours,
                edges=(*prev.edges, *leg.edges),
                cost_usd=prev.cost_usd + leg.cost_usd,
                co2e_kg=prev.co2e_kg + leg.co2e_kg,
            )
        else:
            out.append(leg)
    return out


def _totals(query: RouteQuery, legs: tuple[Leg, ...]) -> Totals:
    hours = sum(leg.hours for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    co2 = sum(leg.co2e_kg for leg in legs)
    time_value = query.commodity.value_of_time_usd_per_t_hour * hours * query.tonnes
    carbon = query.options.carbon_price_usd_per_t_co2e * co2 / 1000.0
    return Totals(
        distance_km=sum(leg.distance_km for leg in legs),
        hours=hours,
        moving_hours=sum(leg.moving_hours for leg in legs),
        rest_hours=sum(leg.rest_hours for leg in legs),
        handling_hours=sum(leg.handling_hours for leg in legs),
        border_hours=sum(leg.border_hours for leg in legs),
        waiting_hours=sum(leg.waiting_hours for leg in legs),
        cost_usd=cost,
        co2e_kg=co2,
        time_value_usd=time_value,
        carbon_cost_usd=carbon,
        generalized_cost_usd=cost + time_value + carbon,
        tonnes=query.tonnes,
    )
