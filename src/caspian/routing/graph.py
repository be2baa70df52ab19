"""The mode-expanded graph: one vertex per (node, layer[, border side]).

Edges are of three kinds: MOVE (a link traversal, including the wait for a sailing and the
clearance of international sea cargo), TRANSFER (handling between layers at a terminal) and
BORDER (clearance at a land crossing, between the crossing's two country sides). Every cost
component is stored per cargo class in numpy arrays so a query only combines them.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from caspian.model.network import (
    CARGO_CLASSES,
    LAYERS,
    MODES,
    WATER_MODES,
    BorderRule,
    Link,
    Network,
    Region,
    Service,
    Transfer,
    layer_of,
)
from caspian.routing.params import Param, ParamTable, factor_range, inverse_range

__all__ = ["BORDER", "MOVE", "TRANSFER", "ExpandedGraph", "build_graph"]

MOVE, TRANSFER, BORDER = 0, 1, 2
STATUS_CODES = {"open": 0, "planned": 1, "closed": 2}
LAYER_MODE = {"road": "road", "rail_1435": "rail", "rail_1520": "rail", "sea": "sea"}
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass
class _Builder:
    """Accumulates vertices and edges while the graph is built."""

    n_classes: int
    vertex_key: dict[tuple[str, str, str], int] = field(default_factory=dict)
    vertex_rows: list[tuple[str, str, str]] = field(default_factory=list)
    edges: list[dict[str, object]] = field(default_factory=list)
    params: ParamTable = field(default_factory=ParamTable)

    def vertex(self, node: str, layer: str, side: str = "") -> int:
        key = (node, layer, side)
        if key not in self.vertex_key:
            self.vertex_key[key] = len(self.vertex_rows)
            self.vertex_rows.append(key)
        return self.vertex_key[key]

    def edge(self, src: int, dst: int, **attrs: object) -> None:
        self.edges.append({"src": src, "dst": dst, **attrs})


@dataclass(frozen=True, eq=False)
class ExpandedGraph:
    """Arrays of the mode-expanded graph (built by :func:`build_graph`, then read-only).

    Per-class arrays have shape ``(n_classes, n_edges)``; class order is ``CARGO_CLASSES``.
    Money is split by what it is charged on, because what a tonne pays depends on the
    shipment: ``money_usd_per_t`` (handling, part cargo), ``money_usd_per_vehicle`` (a
    truck's or wagon's haul and fees; ``vehicle_mode`` says whose vehicle, as an index into
    ``MODES``, −1 for none) and ``money_usd_per_consignment`` (declarations). Sailing waits
    of when-loaded ships also depend on the shipment: ``waiting_hours`` is the fixed part
    and ``fill_payload_t`` / ``fill_t_per_hour`` give the fill time (see
    :meth:`caspian.model.Service.wait_hours`).

    Every edge names the uncertain parameters behind its components (``param_*``: indices
    into ``params``; 0 = none), so Monte Carlo and calibration scale them without a rebuild.
    """

    network: Network
    vertex_node: tuple[str, ...]
    vertex_layer: tuple[str, ...]
    vertex_side: tuple[str, ...]
    vertices_of_node: dict[str, tuple[int, ...]]
    src: IntArray
    dst: IntArray
    kind: NDArray[np.int8]
    link: tuple[str, ...]
    mode: tuple[str, ...]
    status: NDArray[np.int8]
    distance_km: FloatArray
    money_usd_per_t: FloatArray
    money_usd_per_vehicle: FloatArray
    money_usd_per_consignment: FloatArray
    fee_usd_per_vehicle: FloatArray
    """The part of ``money_usd_per_vehicle`` that is clearance fees (ports on sea links,
    the crossing on border edges), not the carrier's freight."""
    vehicle_mode: IntArray
    moving_hours: FloatArray
    rest_hours: FloatArray
    handling_hours: FloatArray
    border_hours: FloatArray
    border2_hours: FloatArray
    waiting_hours: FloatArray
    fill_payload_t: FloatArray
    fill_t_per_hour: FloatArray
    co2e_kg_per_t: FloatArray
    fwd_indptr: IntArray
    fwd_edges: IntArray
    rev_indptr: IntArray
    rev_edges: IntArray
    load_usd_per_t: FloatArray
    load_hours: FloatArray
    params: tuple[Param, ...]
    param_speed: IntArray
    param_cost: IntArray
    param_border: IntArray
    param_border2: IntArray
    param_wait: IntArray
    param_handling: IntArray

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return int(self.src.shape[0])

    def total_hours(self, tonnes: float = 0.0) -> FloatArray:
        """Hours per class and edge, all components, for a consignment of ``tonnes``."""
        return (
            self.moving_hours
            + self.rest_hours
            + self.handling_hours
            + self.border_hours
            + self.border2_hours
            + self.wait_hours(tonnes)
        )

    def wait_hours(self, tonnes: float) -> FloatArray:
        """Waiting for a departure per class and edge, for a consignment of ``tonnes``."""
        rest_t = np.maximum(self.fill_payload_t - tonnes, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            fill = np.where(self.fill_t_per_hour > 0, 0.5 * rest_t / self.fill_t_per_hour, 0.0)
        return np.asarray(self.waiting_hours + fill, dtype=np.float64)

    def vehicles_per_t(self, tonnes: float) -> FloatArray:
        """Billed vehicles per tonne, per class and mode (``MODES`` order)."""
        net = self.network
        return np.array(
            [[net.mode_costs[(m, c)].vehicles_per_t(tonnes) for m in MODES] for c in CARGO_CLASSES]
        )

    def money_per_t(self, tonnes: float) -> FloatArray:
        """Money per tonne per class and edge, for a consignment of ``tonnes``."""
        vpt = self.vehicles_per_t(tonnes)
        has_vehicle = self.vehicle_mode >= 0
        per_vehicle = np.where(has_vehicle, vpt[:, np.maximum(self.vehicle_mode, 0)], 0.0)
        return np.asarray(
            self.money_usd_per_t
            + self.money_usd_per_vehicle * per_vehicle
            + self.money_usd_per_consignment / tonnes,
            dtype=np.float64,
        )


_CACHE: weakref.WeakKeyDictionary[Network, ExpandedGraph] = weakref.WeakKeyDictionary()


def build_graph(network: Network) -> ExpandedGraph:
    """Return the mode-expanded graph of ``network`` (built once, then cached per network)."""
    cached = _CACHE.get(network)
    if cached is None:
        cached = _build(network)
        _CACHE[network] = cached
    return cached


def _sides(network: Network) -> dict[str, tuple[str, ...]]:
    """Country sides of each land border crossing."""
    sides: dict[str, set[str]] = {}
    for rule in network.borders:
        if network.nodes[rule.node].kind == "border_crossing":
            sides.setdefault(rule.node, set()).update({rule.from_country, rule.to_country} - {"*"})
    return {k: tuple(sorted(v)) for k, v in sides.items()}


def _side_of(
    network: Network, node_id: str, other_id: str, sides: dict[str, tuple[str, ...]]
) -> str:
    if node_id not in sides:
        return ""
    return network.nodes[other_id].country


def _build(network: Network) -> ExpandedGraph:
    b = _Builder(n_classes=len(CARGO_CLASSES))
    sides = _sides(network)
    _add_moves(network, b, sides)
    _add_transfers(network, b, sides)
    _add_borders(network, b, sides)
    return _freeze(network, b)


def _zeros(n: int) -> FloatArray:
    return np.zeros(n, dtype=np.float64)


def _port_rule(network: Network, port: str, frm: str, to: str) -> BorderRule | None:
    """The sea clearance rule at ``port`` for ``frm`` → ``to`` (wildcard ``*``), if any."""
    for rule in network.borders:
        if (rule.node, rule.mode, rule.from_country, rule.to_country) == (port, "sea", frm, to):
            return rule
    return None


def _param(
    b: _Builder,
    key: str,
    component: str,
    factors: tuple[float, float],
    label: str,
    source: str,
    table: str,
    row: tuple[str, ...],
) -> int:
    """Register one uncertain parameter (once per key) and return its index."""
    return b.params.add(Param(key, component, factors[0], factors[1], label, source, table, row))


def _rule_param(
    b: _Builder, rule: BorderRule, kind: str, component: str, factors: tuple[float, float]
) -> int:
    """A parameter of one border rule (its row of borders.csv)."""
    row = (rule.node, rule.mode, rule.from_country, rule.to_country)
    name = f"{rule.node} {rule.mode} {rule.from_country}→{rule.to_country}"
    label = f"clearance {name}" if kind == "border" else f"border fee {name}"
    key = f"{kind}:{rule.node}:{rule.mode}:{rule.from_country}>{rule.to_country}"
    return _param(b, key, component, factors, label, rule.source, "borders.csv", row)


def _border_param(b: _Builder, rule: BorderRule) -> int:
    low, high = rule.clearance_range_hours
    return _rule_param(b, rule, "border", "border", factor_range(rule.clearance_hours, low, high))


def _fee_param(b: _Builder, rule: BorderRule) -> int:
    return _rule_param(b, rule, "fee", "cost", (0.1, 2.0) if rule.estimate else (1.0, 1.0))


def _link_region(network: Network, link: Link, a: str, z: str) -> Region | None:
    """The region of a road or rail link: the country of its end that is not a crossing."""
    if link.mode not in ("road", "rail"):
        return None
    na, nz = network.nodes[a], network.nodes[z]
    country = nz.country if na.kind == "border_crossing" else na.country
    return network.region_of(link.mode, country)


def _mode_cost_param(b: _Builder, network: Network, mode: str, region: Region | None) -> int:
    if region is not None:
        lo_f, hi_f = factor_range(region.cost_factor, *region.cost_factor_range)
        return _param(
            b,
            f"cost:{mode}:{region.region}",
            "cost",
            (lo_f, hi_f),
            f"{mode} cost per t-km, {region.region}",
            region.source,
            "regions.csv",
            (mode, region.region),
        )
    rows = [network.mode_costs[(mode, c)] for c in CARGO_CLASSES]
    ratios = [factor_range(r.cost_usd_per_tkm, *r.cost_range_usd_per_tkm) for r in rows]
    return _param(
        b,
        f"cost:{mode}",
        "cost",
        (min(r[0] for r in ratios), max(r[1] for r in ratios)),
        f"{mode.replace('_', ' ')} cost per t-km",
        rows[0].source,
        "modes.csv",
        (mode,),
    )


WATER_SPEED_RANGE = (0.7, 1.5)
"""Prior range of the speed factor of ships and ferries (estimate: Caspian ships sail at
8–14 knots, ≈15–26 km/h, against the 15–18 km/h in modes.csv)."""


def _speed_param(b: _Builder, mode: str, region: Region | None) -> int:
    if region is None and mode in WATER_MODES:
        lo, hi = inverse_range(1.0, *WATER_SPEED_RANGE)
        return _param(
            b,
            f"speed:{mode}",
            "speed",
            (lo, hi),
            f"{mode.replace('_', ' ')} speed",
            "estimate: ships and ferries 8–14 knots (graph.WATER_SPEED_RANGE)",
            "modes.csv",
            (mode,),
        )
    if region is None:
        return 0
    lo_f, hi_f = inverse_range(region.speed_factor, *region.speed_factor_range)
    return _param(
        b,
        f"speed:{mode}:{region.region}",
        "speed",
        (lo_f, hi_f),
        f"{mode} speed, {region.region}",
        region.source,
        "regions.csv",
        (mode, region.region),
    )


def _service(network: Network, link_id: str) -> Service | None:
    """The service a consignment takes on ``link_id``: the one with the shortest wait."""
    services = network.services_on(link_id)
    if not services:
        return None
    return min(services, key=lambda s: s.expected_wait_hours)


def _wait_param(b: _Builder, service: Service) -> int:
    mean = service.expected_wait_hours
    low = service.wait_hours_low if service.wait_hours_low is not None else mean
    high = service.wait_hours_high if service.wait_hours_high is not None else mean
    lo_f, hi_f = factor_range(mean, min(low, mean), max(high, mean))
    return _param(
        b,
        f"wait:{service.id}",
        "wait",
        (lo_f, hi_f),
        f"sailing wait, {service.id.removeprefix('svc_')}",
        service.source,
        "services.csv",
        (service.id,),
    )


def _add_moves(network: Network, b: _Builder, sides: dict[str, tuple[str, ...]]) -> None:
    n_c = len(CARGO_CLASSES)
    for link in network.links.values():
        gauges: tuple[int | None, ...] = link.gauges_mm or (None,)
        service = _service(network, link.id) if link.mode in WATER_MODES else None
        for gauge in gauges:
            layer = layer_of(link.mode, gauge)
            for a, z in ((link.from_node, link.to_node), (link.to_node, link.from_node)):
                u = b.vertex(a, layer, _side_of(network, a, z, sides))
                v = b.vertex(z, layer, _side_of(network, z, a, sides))
                region = _link_region(network, link, a, z)
                money_veh, money_cons, moving, rest, co2 = (_zeros(n_c) for _ in range(5))
                border_a, border_b, waiting, fill_p, fill_r = (_zeros(n_c) for _ in range(5))
                fee_veh = _zeros(n_c)
                na, nz = network.nodes[a], network.nodes[z]
                international = link.mode in WATER_MODES and na.country != nz.country
                out_rule = _port_rule(network, a, na.country, "*") if international else None
                in_rule = _port_rule(network, z, "*", nz.country) if international else None
                closed = any(r is not None and r.status == "closed" for r in (out_rule, in_rule))
                for ci, cls in enumerate(CARGO_CLASSES):
                    mc = network.mode_costs[(link.mode, cls)]
                    speed = link.speed_kmh or mc.speed_kmh * (
                        region.speed_factor if region else 1.0
                    )
                    moving[ci] = link.distance_km / speed
                    if link.mode == "road" and region is not None:
                        rest[ci] = moving[ci] * (region.elapsed_per_driving_hour - 1.0)
                    factor = region.cost_factor if region is not None else 1.0
                    crossing = service.crossing_usd_per_vehicle if service is not None else 0.0
                    fare_factor = 1.0
                    if service is not None and a == link.to_node:
                        fare_factor = service.return_fare_factor
                    money_veh[ci] = (
                        (mc.cost_usd_per_vehicle_km * link.distance_km + crossing)
                        * factor
                        * fare_factor
                    )
                    co2[ci] = mc.co2e_g_per_tkm * link.distance_km * mc.distance_factor / 1000.0
                    if link.mode in WATER_MODES:
                        if service is None:
                            waiting[ci] = mc.default_wait_hours
                        elif service.sails_when_loaded and service.cargo_offered_t_per_week:
                            waiting[ci] = service.base_wait_hours
                            fill_p[ci] = service.payload_t
                            fill_r[ci] = service.cargo_offered_t_per_week / 168.0
                        else:
                            waiting[ci] = service.wait_hours(0.0)
                    for rule, arr in ((out_rule, border_a), (in_rule, border_b)):
                        if rule is not None:
                            arr[ci] = rule.clearance_hours
                            money_veh[ci] += rule.fee_usd_per_vehicle
                            fee_veh[ci] += rule.fee_usd_per_vehicle
                            money_cons[ci] += rule.fee_usd_per_consignment
                    if closed:
                        border_a[ci] = np.inf
                b.edge(
                    u,
                    v,
                    kind=MOVE,
                    link=link.id,
                    mode=link.mode,
                    status=link.status,
                    distance_km=link.distance_km,
                    money=_zeros(n_c),
                    money_veh=money_veh,
                    money_cons=money_cons,
                    fee_veh=fee_veh,
                    vehicle_mode=MODES.index(link.mode),
                    moving=moving,
                    rest=rest,
                    handling=_zeros(n_c),
                    border=border_a,
                    border2=border_b,
                    waiting=waiting,
                    fill_payload=fill_p,
                    fill_rate=fill_r,
                    co2=co2,
                    p_speed=_speed_param(b, link.mode, region),
                    p_cost=_mode_cost_param(b, network, link.mode, region),
                    p_border=_border_param(b, out_rule) if out_rule is not None else 0,
                    p_border2=_border_param(b, in_rule) if in_rule is not None else 0,
                    p_wait=_wait_param(b, service) if service is not None else 0,
                )


def _add_transfers(network: Network, b: _Builder, sides: dict[str, tuple[str, ...]]) -> None:
    n_c = len(CARGO_CLASSES)
    rules: dict[tuple[str, frozenset[str]], dict[str, Transfer]] = {}
    for t in network.transfers:
        rules.setdefault((t.node, frozenset((t.from_layer, t.to_layer))), {})[t.cargo_class] = t
    for (node, pair), by_class in rules.items():
        la, lz = sorted(pair)
        first = by_class.get("*") or next(iter(by_class.values()))
        lo_f, hi_f = factor_range(first.handling_hours, *first.handling_range_hours)
        p_handling = _param(
            b,
            f"handling:{node}:{la}<>{lz}",
            "handling",
            (lo_f, hi_f),
            f"transfer {la}↔{lz} at {node}",
            first.source,
            "terminals.csv",
            (node, la, lz),
        )
        for side in sides.get(node, ("",)):
            for x, y in ((la, lz), (lz, la)):
                key_x, key_y = (node, x, side), (node, y, side)
                if key_x not in b.vertex_key or key_y not in b.vertex_key:
                    continue  # the node has no link in one of the layers: nothing to transfer
                money, handling, co2 = (np.full(n_c, np.inf) for _ in range(3))
                for ci, cls in enumerate(CARGO_CLASSES):
                    rule = by_class.get(cls) or by_class.get("*")
                    if rule is not None:
                        money[ci] = rule.handling_usd_per_t
                        handling[ci] = rule.handling_hours
                        co2[ci] = rule.co2e_kg_per_t
                b.edge(
                    b.vertex_key[key_x],
                    b.vertex_key[key_y],
                    kind=TRANSFER,
                    link="",
                    mode=f"{x}>{y}",
                    status="open",
                    distance_km=0.0,
                    money=money,
                    handling=handling,
                    co2=co2,
                    p_handling=p_handling,
                )


def _add_borders(network: Network, b: _Builder, sides: dict[str, tuple[str, ...]]) -> None:
    n_c = len(CARGO_CLASSES)
    for rule in network.borders:
        if rule.node not in sides or rule.status == "closed":
            continue
        for layer in LAYERS:
            if LAYER_MODE[layer] != rule.mode:
                continue
            key_u = (rule.node, layer, rule.from_country)
            key_v = (rule.node, layer, rule.to_country)
            if key_u not in b.vertex_key or key_v not in b.vertex_key:
                continue
            b.edge(
                b.vertex_key[key_u],
                b.vertex_key[key_v],
                kind=BORDER,
                link="",
                mode=rule.mode,
                status="open",
                distance_km=0.0,
                money_veh=np.full(n_c, rule.fee_usd_per_vehicle),
                money_cons=np.full(n_c, rule.fee_usd_per_consignment),
                fee_veh=np.full(n_c, rule.fee_usd_per_vehicle),
                vehicle_mode=MODES.index(rule.mode),
                border=np.full(n_c, rule.clearance_hours),
                p_border=_border_param(b, rule),
                p_cost=_fee_param(b, rule),
            )


def _port_handling(network: Network) -> dict[tuple[str, str], tuple[float, float]]:
    """Cheapest land↔ship handling per port and cargo class.

    A shipment that starts or ends at a port still crosses the quay: loading onto (or
    unloading from) a ship at the origin or destination costs the port's handling.
    """
    best: dict[tuple[str, str], tuple[float, float]] = {}
    by_node: dict[str, list[Transfer]] = {}
    for t in network.transfers:
        if "sea" in (t.from_layer, t.to_layer):
            by_node.setdefault(t.node, []).append(t)
    for node, rules in by_node.items():
        pairs = {frozenset((r.from_layer, r.to_layer)) for r in rules}
        for cls in CARGO_CLASSES:
            usable: list[Transfer] = []
            for pair in pairs:
                of_pair = [r for r in rules if frozenset((r.from_layer, r.to_layer)) == pair]
                specific = [r for r in of_pair if r.cargo_class == cls]
                usable += specific or [r for r in of_pair if r.cargo_class == "*"]
            if usable:
                cheapest = min(usable, key=lambda r: r.handling_usd_per_t)
                best[(node, cls)] = (cheapest.handling_usd_per_t, cheapest.handling_hours)
    return best


def _csr(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
    order = np.argsort(keys, kind="stable").astype(np.int64)
    counts = np.bincount(keys, minlength=n)
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return indptr, order


def _freeze(network: Network, b: _Builder) -> ExpandedGraph:
    edges = b.edges
    n_v = len(b.vertex_rows)

    zero = np.zeros(b.n_classes)

    def stack(name: str) -> FloatArray:
        return np.ascontiguousarray(
            np.stack([np.asarray(e.get(name, zero), dtype=np.float64) for e in edges], axis=1),
            dtype=np.float64,
        )

    src = np.array([e["src"] for e in edges], dtype=np.int64)
    dst = np.array([e["dst"] for e in edges], dtype=np.int64)
    fwd_indptr, fwd_edges = _csr(src, n_v)
    rev_indptr, rev_edges = _csr(dst, n_v)
    vertices_of_node: dict[str, list[int]] = {}
    for i, (node, _, _) in enumerate(b.vertex_rows):
        vertices_of_node.setdefault(node, []).append(i)
    n_c = len(CARGO_CLASSES)
    load_usd = np.zeros((n_c, n_v))
    load_h = np.zeros((n_c, n_v))
    port_handling = _port_handling(network)
    for i, (node, layer, _) in enumerate(b.vertex_rows):
        for ci, cls in enumerate(CARGO_CLASSES):
            mc = network.mode_costs[(LAYER_MODE[layer], cls)]
            load_usd[ci, i] = mc.load_unload_usd_per_t
            load_h[ci, i] = mc.load_unload_hours
            if layer == "sea" and (node, cls) in port_handling:
                usd, hours = port_handling[(node, cls)]
                load_usd[ci, i] += usd
                load_h[ci, i] += hours

    def ints(name: str) -> IntArray:
        return np.array([e.get(name, 0) for e in edges], dtype=np.int64)

    return ExpandedGraph(
        network=network,
        vertex_node=tuple(r[0] for r in b.vertex_rows),
        vertex_layer=tuple(r[1] for r in b.vertex_rows),
        vertex_side=tuple(r[2] for r in b.vertex_rows),
        vertices_of_node={k: tuple(v) for k, v in vertices_of_node.items()},
        src=src,
        dst=dst,
        kind=np.array([e["kind"] for e in edges], dtype=np.int8),
        link=tuple(str(e["link"]) for e in edges),
        mode=tuple(str(e["mode"]) for e in edges),
        status=np.array([STATUS_CODES[str(e["status"])] for e in edges], dtype=np.int8),
        distance_km=np.array([e["distance_km"] for e in edges], dtype=np.float64),
        money_usd_per_t=stack("money"),
        money_usd_per_vehicle=stack("money_veh"),
        money_usd_per_consignment=stack("money_cons"),
        fee_usd_per_vehicle=stack("fee_veh"),
        vehicle_mode=np.array([e.get("vehicle_mode", -1) for e in edges], dtype=np.int64),
        moving_hours=stack("moving"),
        rest_hours=stack("rest"),
        handling_hours=stack("handling"),
        border_hours=stack("border"),
        border2_hours=stack("border2"),
        waiting_hours=stack("waiting"),
        fill_payload_t=stack("fill_payload"),
        fill_t_per_hour=stack("fill_rate"),
        co2e_kg_per_t=stack("co2"),
        fwd_indptr=fwd_indptr,
        fwd_edges=fwd_edges,
        rev_indptr=rev_indptr,
        rev_edges=rev_edges,
        load_usd_per_t=load_usd,
        load_hours=load_h,
        params=tuple(b.params.params),
        param_speed=ints("p_speed"),
        param_cost=ints("p_cost"),
        param_border=ints("p_border"),
        param_border2=ints("p_border2"),
        param_wait=ints("p_wait"),
        param_handling=ints("p_handling"),
    )
