"""Property tests: on random small multimodal networks the planner's optimum equals
brute-force enumeration of simple paths and NetworkX Dijkstra on the same expanded graph."""

from __future__ import annotations

import csv
import itertools
import shutil
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caspian.errors import NoRouteError
from caspian.io.tables import load_network
from caspian.model.network import Network
from caspian.routing import RouteOptions, prepare_query
from caspian.routing.search import best_path, build_itinerary

MINI = Path(__file__).parents[1] / "data" / "mini"
SRC = "source"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@st.composite
def networks(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(3, 6))
    ports = draw(st.sets(st.integers(0, n - 1), max_size=n))
    pairs = list(itertools.combinations(range(n), 2))
    links = []
    for a, b in draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=9)):
        modes = ["road", "rail"] + (["sea"] if a in ports and b in ports else [])
        mode = draw(st.sampled_from(modes))
        km = draw(st.integers(5, 400))
        links.append((a, b, mode, km))
    transfers = draw(st.sets(st.integers(0, n - 1)))
    return {"n": n, "ports": ports, "links": links, "transfers": transfers}


def _build(spec: dict[str, object], folder: Path) -> Network:
    n = int(spec["n"])  # type: ignore[call-overload]
    ports: set[int] = spec["ports"]  # type: ignore[assignment]
    for name in ("modes.csv", "commodities.csv"):
        shutil.copy(MINI / name, folder / name)
    _write(
        folder / "nodes.csv",
        ["id", "name_en", "name_fa", "aliases", "country", "kind", "lat", "lon", SRC],
        [
            [
                f"n{i}",
                f"Node {i}",
                f"گره {i}",
                "",
                "IR",
                "port" if i in ports else "city",
                # nodes ~140 m apart: every drawn length (5–400 km) stays above the straight
                # line between its ends, which the loader requires
                37 + i * 0.001,
                49 + i * 0.001,
                "test",
            ]
            for i in range(n)
        ],
    )
    link_rows = []
    for j, (a, b, mode, km) in enumerate(spec["links"]):  # type: ignore[attr-defined]
        gauge = "1435" if mode == "rail" else ""
        link_rows.append([f"l{j}", f"n{a}", f"n{b}", mode, km, gauge, "open", SRC])
    _write(
        folder / "links.csv",
        ["id", "from", "to", "mode", "distance_km", "gauge_mm", "status", SRC],
        link_rows,
    )
    term = []
    for i in spec["transfers"]:  # type: ignore[attr-defined]
        term.append([f"n{i}", "road", "rail_1435", "intermodal", "*", 5 + i, 6, 1, SRC])
        if i in ports:
            term.append([f"n{i}", "road", "sea", "port_handling", "*", 9, 20, 1.5, SRC])
            term.append([f"n{i}", "rail_1435", "sea", "port_handling", "*", 8, 22, 1.5, SRC])
    _write(
        folder / "terminals.csv",
        [
            "node",
            "from_layer",
            "to_layer",
            "method",
            "cargo_class",
            "handling_usd_per_t",
            "handling_hours",
            "co2e_kg_per_t",
            SRC,
        ],
        term,
    )
    _write(
        folder / "borders.csv",
        [
            "node",
            "mode",
            "from_country",
            "to_country",
            "clearance_hours",
            "fee_usd_per_vehicle",
            "status",
            SRC,
        ],
        [],
    )
    _write(
        folder / "services.csv",
        ["id", "link", "sailings_per_week", "payload_t", "sails_when_loaded", "operator", SRC],
        [],
    )
    return load_network(folder)


def _nx_graph(query: object) -> nx.MultiDiGraph:
    g = query.graph  # type: ignore[attr-defined]
    out = nx.MultiDiGraph()
    for e in range(g.n_edges):
        w = float(query.weights[e])  # type: ignore[attr-defined]
        if np.isfinite(w):
            out.add_edge(int(g.src[e]), int(g.dst[e]), key=e, weight=w)
    return out


def _endpoints(query: object, G: nx.MultiDiGraph) -> None:
    for s, c in zip(query.sources, query.source_cost, strict=True):  # type: ignore[attr-defined]
        G.add_edge("S", int(s), key=-1, weight=float(c))
    for t, c in zip(query.targets, query.target_cost, strict=True):  # type: ignore[attr-defined]
        G.add_edge(int(t), "T", key=-2, weight=float(c))


def _path_cost(G: nx.MultiDiGraph, path: list[object]) -> float:
    return sum(min(d["weight"] for d in G[u][v].values()) for u, v in itertools.pairwise(path))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(spec=networks(), objective=st.sampled_from(["generalized", "cost", "time", "co2"]))
def test_optimum_matches_networkx_and_brute_force(spec: dict[str, object], objective: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        net = _build(spec, Path(tmp))
    q = prepare_query(
        net,
        "n0",
        f"n{int(spec['n']) - 1}",
        cargo="tea",
        tonnes=10,  # type: ignore[call-overload]
        objective=objective,
    )
    found = best_path(q)
    G = _nx_graph(q)
    _endpoints(q, G)
    try:
        ref = nx.dijkstra_path_length(G, "S", "T")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        assert found is None
        return
    assert found is not None
    assert found[0] == pytest.approx(ref, rel=1e-9, abs=1e-9)
    brute = min(_path_cost(G, p) for p in nx.all_simple_paths(G, "S", "T"))
    assert found[0] == pytest.approx(brute, rel=1e-9, abs=1e-9)
    it = build_itinerary(q, found[1], found[2])
    t = it.totals
    assert t.cost_usd == pytest.approx(sum(leg.cost_usd for leg in it.legs))
    assert t.hours >= 0 and t.co2e_kg >= 0


def _physically_simple(q: object, path: list[object]) -> bool:
    names = [q.graph.vertex_node[v] for v in path[1:-1]]  # type: ignore[attr-defined]
    collapsed = [k for k, _ in itertools.groupby(names)]
    return len(collapsed) == len(set(collapsed))


@SETTINGS
@given(
    spec=networks(), need=st.sampled_from([("rail",), ("sea",), ("rail", "sea"), ("road", "rail")])
)
def test_required_modes_match_brute_force(spec: dict[str, object], need: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        net = _build(spec, Path(tmp))
    opts = RouteOptions(require_modes=tuple(frozenset({m}) for m in need))
    q = prepare_query(
        net,
        "n0",
        f"n{int(spec['n']) - 1}",
        cargo="wheat",
        tonnes=10,  # type: ignore[call-overload]
        options=opts,
    )
    found = best_path(q)
    G = _nx_graph(q)
    _endpoints(q, G)
    g = q.graph
    best = np.inf
    if "S" in G and "T" in G:
        for path in nx.all_simple_edge_paths(G, "S", "T"):
            vertices = ["S", *(v for _, v, _ in path)]
            if not _physically_simple(q, vertices):
                continue
            inner = [k for _, _, k in path[1:-1]]
            used = {g.mode[e] for e in inner if g.kind[e] == 0}
            if set(need) <= used:
                best = min(best, sum(G[u][v][k]["weight"] for u, v, k in path))
    if not np.isfinite(best):
        assert found is None
        return
    assert found is not None
    assert found[0] == pytest.approx(best, rel=1e-9, abs=1e-9)
    it = build_itinerary(q, found[1], found[2])
    assert set(need) <= set(it.modes)


def test_no_route_between_disconnected_places(tmp_path: Path) -> None:
    spec = {
        "n": 4,
        "ports": set(),
        "links": [(0, 1, "road", 10), (2, 3, "road", 10)],
        "transfers": set(),
    }
    net = _build(spec, tmp_path)
    from caspian.routing import plan_route

    with pytest.raises(NoRouteError, match="does not connect"):
        plan_route(net, "n0", "n3", cargo="tea", tonnes=1)
