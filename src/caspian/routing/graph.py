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

from caspian.model.network import CARGO_CLASSES, LAYERS, WATER_MODES, Network, Transfer, layer_of

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
    moving_hours: FloatArray
    handling_hours: FloatArray
    border_hours: FloatArray
    waiting_hours: FloatArray
    co2e_kg_per_t: FloatArray
    fwd_indptr: IntArray
    fwd_edges: IntArray
    rev_indptr: IntArray
    rev_edges: IntArray
    load_usd_per_t: FloatArray
    load_hours: FloatArray

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertex_node)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return int(self.src.shape[0])

    def total_hours(self) -> FloatArray:
        """Hours per class and edge, all components."""
        return self.moving_hours + self.handling_hours + self.border_hours + self.waiting_hours


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


def _port_clearance(network: Network, port: str, frm: str, to: str) -> tuple[float, float]:
    """Clearance hours and fee per vehicle for sea cargo at ``port`` (wildcard ``*``)."""
    for rule in network.borders:
        if (rule.node, rule.mode, rule.from_country, rule.to_country) == (port, "sea", frm, to):
            if rule.status == "closed":
                return float("inf"), float("inf")
            return rule.clearance_hours, rule.fee_usd_per_vehicle
    return 0.0, 0.0


def _wait_hours(network: Network, link_id: str, default: float) -> float:
    services = network.services_on(link_id)
    if not services:
        return default
    return 84.0 / sum(s.sailings_per_week for s in services)


def _add_moves(network: Network, b: _Builder, sides: dict[str, tuple[str, ...]]) -> None:
    n_c = len(CARGO_CLASSES)
    for link in network.links.values():
        gauges: tuple[int | None, ...] = link.gauges_mm or (None,)
        for gauge in gauges:
            layer = layer_of(link.mode, gauge)
            for a, z in ((link.from_node, link.to_node), (link.to_node, link.from_node)):
                u = b.vertex(a, layer, _side_of(network, a, z, sides))
                v = b.vertex(z, layer, _side_of(network, z, a, sides))
                money, moving, co2, border_h, waiting = (np.zeros(n_c) for _ in range(5))
                na, nz = network.nodes[a], network.nodes[z]
                international = link.mode in WATER_MODES and na.country != nz.country
                for ci, cls in enumerate(CARGO_CLASSES):
                    mc = network.mode_costs[(link.mode, cls)]
                    speed = link.speed_kmh or mc.speed_kmh
                    moving[ci] = link.distance_km / speed
                    money[ci] = mc.cost_usd_per_tkm * link.distance_km
                    co2[ci] = mc.co2e_g_per_tkm * link.distance_km * mc.distance_factor / 1000.0
                    if link.mode in WATER_MODES:
                        waiting[ci] = _wait_hours(network, link.id, mc.default_wait_hours)
                    if international:
                        h_out, fee_out = _port_clearance(network, a, na.country, "*")
                        h_in, fee_in = _port_clearance(network, z, "*", nz.country)
                        border_h[ci] = h_out + h_in
                        money[ci] += (fee_out + fee_in) / mc.vehicle_payload_t
                b.edge(
                    u,
                    v,
                    kind=MOVE,
                    link=link.id,
                    mode=link.mode,
                    status=link.status,
                    distance_km=link.distance_km,
                    money=money,
                    moving=moving,
                    handling=np.zeros(n_c),
                    border=border_h,
                    waiting=waiting,
                    co2=co2,
                )


def _add_transfers(network: Network, b: _Builder, sides: dict[str, tuple[str, ...]]) -> None:
    n_c = len(CARGO_CLASSES)
    rules: dict[tuple[str, frozenset[str]], dict[str, object]] = {}
    for t in network.transfers:
        rules.setdefault((t.node, frozenset((t.from_layer, t.to_layer))), {})[t.cargo_class] = t
    for (node, pair), by_class in rules.items():
        la, lz = sorted(pair)
        for side in sides.get(node, ("",)):
            for x, y in ((la, lz), (lz, la)):
                key_x, key_y = (node, x, side), (node, y, side)
                if key_x not in b.vertex_key or key_y not in b.vertex_key:
                    continue  # the node has no link in one of the layers: nothing to transfer
                money, handling, co2 = (np.full(n_c, np.inf) for _ in range(3))
                for ci, cls in enumerate(CARGO_CLASSES):
                    rule = by_class.get(cls) or by_class.get("*")
                    if rule is not None:
                        money[ci] = rule.handling_usd_per_t  # type: ignore[attr-defined]
                        handling[ci] = rule.handling_hours  # type: ignore[attr-defined]
                        co2[ci] = rule.co2e_kg_per_t  # type: ignore[attr-defined]
                b.edge(
                    b.vertex_key[key_x],
                    b.vertex_key[key_y],
                    kind=TRANSFER,
                    link="",
                    mode=f"{x}>{y}",
                    status="open",
                    distance_km=0.0,
                    money=money,
                    moving=np.zeros(n_c),
                    handling=handling,
                    border=np.zeros(n_c),
                    waiting=np.zeros(n_c),
                    co2=co2,
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
            money = np.array(
                [
                    rule.fee_usd_per_vehicle / network.mode_costs[(rule.mode, c)].vehicle_payload_t
                    for c in CARGO_CLASSES
                ]
            )
            b.edge(
                b.vertex_key[key_u],
                b.vertex_key[key_v],
                kind=BORDER,
                link="",
                mode=rule.mode,
                status="open",
                distance_km=0.0,
                money=money,
                moving=np.zeros(n_c),
                handling=np.zeros(n_c),
                border=np.full(n_c, rule.clearance_hours),
                waiting=np.zeros(n_c),
                co2=np.zeros(n_c),
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

    def stack(name: str) -> FloatArray:
        return np.ascontiguousarray(
            np.stack([np.asarray(e[name], dtype=np.float64) for e in edges], axis=1),
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
        moving_hours=stack("moving"),
        handling_hours=stack("handling"),
        border_hours=stack("border"),
        waiting_hours=stack("waiting"),
        co2e_kg_per_t=stack("co2"),
        fwd_indptr=fwd_indptr,
        fwd_edges=fwd_edges,
        rev_indptr=rev_indptr,
        rev_edges=rev_edges,
        load_usd_per_t=load_usd,
        load_hours=load_h,
    )
