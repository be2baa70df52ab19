"""Route-query benchmark: Caspian Gateway's planner against NetworkX (and scipy) on the same
mode-expanded graph of the bundled network, in the same run.

Run with ``make bench`` or ``python -m benchmarks.bench_routing``. Not a test: figures go to
docs/benchmarks.md. Each engine answers the same queries in its own warm loop; NetworkX and
scipy get their graphs (with the query's super-source/sink) built outside the timing, so the
ratios are conservative.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from caspian.errors import NoRouteError
from caspian.io.tables import load_network
from caspian.routing import plan_route, prepare_query
from caspian.routing.dijkstra import best_route
from caspian.routing.search import RouteQuery, best_path

_TNTP = Path(__file__).parents[1].parent / "shared" / "benchmarks" / "tntp"
CHICAGO = Path(os.environ.get("CASPIAN_CHICAGO_TNTP", _TNTP / "ChicagoSketch_net.tntp"))
"""TNTP Chicago Sketch network file (not shipped; set CASPIAN_CHICAGO_TNTP to point at it)."""

N_QUERIES = 400
REPEATS = 5
SEED = 20261123


def _pairs(ids: list[str], n: int) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    return [tuple(rng.sample(ids, 2)) for _ in range(n)]  # type: ignore[misc]


def _nx_graph(q: RouteQuery) -> nx.DiGraph:
    g, w = q.graph, q.weights
    G = nx.DiGraph()
    for e in np.flatnonzero(np.isfinite(w)):
        u, v = int(g.src[e]), int(g.dst[e])
        if not G.has_edge(u, v) or G[u][v]["weight"] > w[e]:
            G.add_edge(u, v, weight=float(w[e]))
    for s, c in zip(q.sources, q.source_cost, strict=True):
        G.add_edge("S", int(s), weight=float(c))
    for t, c in zip(q.targets, q.target_cost, strict=True):
        G.add_edge(int(t), "T", weight=float(c))
    return G


def _csr(q: RouteQuery) -> csr_matrix:
    g, w = q.graph, q.weights
    n = g.n_vertices + 2
    fin = np.isfinite(w)
    rows = np.concatenate([g.src[fin], np.full(len(q.sources), n - 2), q.targets])
    cols = np.concatenate([g.dst[fin], q.sources, np.full(len(q.targets), n - 1)])
    vals = np.concatenate([w[fin], q.source_cost, q.target_cost]) + 1e-12
    return csr_matrix((vals, (rows, cols)), shape=(n, n))


def _per_query_ms(fn, items: list[object]) -> list[float]:  # type: ignore[no-untyped-def]
    """Median over REPEATS of each item's time, in ms."""
    times = np.empty((REPEATS, len(items)))
    for r in range(REPEATS):
        for i, item in enumerate(items):
            start = time.perf_counter()
            fn(item)
            times[r, i] = time.perf_counter() - start
    return list(np.median(times, axis=0) * 1000.0)


def main() -> None:
    """Print a markdown table of per-query timings (ms) and ratios."""
    net = load_network()
    ids = sorted(net.nodes)
    pairs = _pairs(ids, N_QUERIES)
    plan_route(net, pairs[0][0], pairs[0][1], cargo="wheat", tonnes=1000)  # compile + cache
    queries = [prepare_query(net, o, d, cargo="wheat", tonnes=1000) for o, d in pairs]
    graphs = [_nx_graph(q) for q in queries]
    mats = [_csr(q) for q in queries]
    g = queries[0].graph

    def full(pair: object) -> None:
        o, d = pair  # type: ignore[misc]
        with contextlib.suppress(NoRouteError):
            plan_route(net, o, d, cargo="wheat", tonnes=1000)

    def nx_query(G: object) -> None:
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.dijkstra_path(G, "S", "T")  # type: ignore[arg-type]

    full_ms = _per_query_ms(full, list(pairs))
    ours_ms = _per_query_ms(best_path, list(queries))
    nx_ms = _per_query_ms(nx_query, list(graphs))
    sp_ms = _per_query_ms(
        lambda m: scipy_dijkstra(m, indices=m.shape[0] - 2, min_only=True), list(mats)
    )
    mismatches = 0
    for q, G in zip(queries, graphs, strict=True):
        found = best_path(q)
        try:
            ref = nx.dijkstra_path_length(G, "S", "T")
        except nx.NetworkXNoPath:
            ref = np.inf
        ours = found[0] if found else np.inf
        if not (ours == ref or abs(ours - ref) <= 1e-6 * max(1.0, abs(ref))):
            mismatches += 1
    p50 = {
        k: float(np.median(v))
        for k, v in {"full": full_ms, "ours": ours_ms, "nx": nx_ms, "sp": sp_ms}.items()
    }
    p90 = {
        k: float(np.percentile(v, 90))
        for k, v in {"full": full_ms, "ours": ours_ms, "nx": nx_ms, "sp": sp_ms}.items()
    }
    print("## Route queries on the bundled network")
    print()
    print(
        f"{len(ids)} places, {len(net.links)} links → mode-expanded graph of {g.n_vertices} "
        f"vertices and {g.n_edges} edges; {N_QUERIES} random origin–destination pairs "
        f"(seed {SEED}), wheat, generalized cost; each time the median of {REPEATS} warm runs."
    )
    print()
    print("| engine | p50 ms | p90 ms | NetworkX p50 ÷ this p50 |")
    print("|---|---:|---:|---:|")
    rows = (
        ("caspian `best_path` (numba Dijkstra + path)", "ours"),
        ("caspian `plan_route` (validate, weights, search, itinerary)", "full"),
        ("NetworkX `dijkstra_path`, same graph", "nx"),
        ("scipy `csgraph.dijkstra`, same graph (distances only)", "sp"),
    )
    for label, key in rows:
        print(f"| {label} | {p50[key]:.4f} | {p90[key]:.4f} | {p50['nx'] / p50[key]:.1f}× |")
    print()
    print(f"Optimal values differing from NetworkX: {mismatches} of {len(queries)}.")
    _chicago()


def _chicago() -> None:
    """The same kernel on a larger graph (TNTP Chicago Sketch), where per-call overheads
    matter less: shows how the ratio to NetworkX grows with graph size."""
    if not CHICAGO.exists():
        message = (
            f"WARNING: the Chicago Sketch scaling check did NOT run: benchmark data not found "
            f"at {CHICAGO}. Download ChicagoSketch_net.tntp from the TNTP transportation "
            "networks collection and set CASPIAN_CHICAGO_TNTP to its path."
        )
        print(f"\n**{message}**")
        print(message, file=sys.stderr)
        return
    src, dst, w = [], [], []
    for line in CHICAGO.read_text().splitlines():
        parts = line.strip().rstrip(";").split()
        if len(parts) >= 5 and parts[0].isdigit():
            src.append(int(parts[0]) - 1)
            dst.append(int(parts[1]) - 1)
            w.append(float(parts[4]) + 0.04 * float(parts[3]))  # fft + 0.04 min/mile
    s_arr, d_arr, w_arr = np.array(src), np.array(dst), np.array(w) + 1e-9
    n = int(max(s_arr.max(), d_arr.max())) + 1
    order = np.argsort(s_arr, kind="stable").astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(s_arr, minlength=n)))).astype(np.int64)
    G = nx.DiGraph()
    for a, b, c in zip(src, dst, w_arr, strict=True):
        G.add_edge(a, b, weight=float(c))
    rng = random.Random(SEED)
    pairs = [tuple(rng.sample(range(387), 2)) for _ in range(200)]
    zero = np.zeros(1)

    def ours(p: tuple[int, int]) -> None:
        best_route(
            indptr, order, d_arr, s_arr, w_arr, np.array([p[0]]), zero, np.array([p[1]]), zero
        )

    def theirs(p: tuple[int, int]) -> None:
        nx.dijkstra_path(G, p[0], p[1])

    ours(pairs[0])
    a = float(np.median(_per_query_ms(ours, list(pairs))))  # type: ignore[arg-type]
    b = float(np.median(_per_query_ms(theirs, list(pairs))))  # type: ignore[arg-type]
    print()
    print(f"Scaling check, TNTP Chicago Sketch ({n} nodes, {len(src)} links, 200 zone pairs):")
    print()
    print("| engine | p50 ms | NetworkX p50 ÷ this p50 |")
    print("|---|---:|---:|")
    print(f"| caspian numba kernel (`best_route`) | {a:.4f} | {b / a:.1f}× |")
    print(f"| NetworkX `dijkstra_path` | {b:.4f} | 1.0× |")


if __name__ == "__main__":
    main()
