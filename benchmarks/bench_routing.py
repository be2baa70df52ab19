"""Route-query benchmark: Caspian Gateway's planner against NetworkX (and scipy) on the same
mode-expanded graph of the bundled network, in the same run.

Run with ``make bench`` or ``python -m benchmarks.bench_routing``. Not a test: figures go to
docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import time
from collections.abc import Callable

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from caspian.errors import NoRouteError
from caspian.io.tables import load_network
from caspian.routing import plan_route, prepare_query
from caspian.routing.search import best_path

N_QUERIES = 300
SEED = 20261123


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def _pairs(ids: list[str], n: int) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    out = []
    while len(out) < n:
        a, b = rng.sample(ids, 2)
        out.append((a, b))
    return out


def main() -> None:
    """Print a markdown table of per-query timings (ms) and ratios."""
    net = load_network()
    ids = sorted(net.nodes)
    pairs = _pairs(ids, N_QUERIES)
    # warm up: numba compile (cached on disk) and the graph cache
    plan_route(net, pairs[0][0], pairs[0][1], cargo="wheat", tonnes=1000)
    full_ms, ours_ms, nx_ms, sp_ms = [], [], [], []
    mismatches = 0
    graph = None
    for o, d in pairs:
        with contextlib.suppress(NoRouteError):
            full_ms.append(
                _timed(lambda o=o, d=d: plan_route(net, o, d, cargo="wheat", tonnes=1000))
            )
        q = prepare_query(net, o, d, cargo="wheat", tonnes=1000)
        g = q.graph
        graph = g
        start = time.perf_counter()
        found = best_path(q)
        ours_ms.append((time.perf_counter() - start) * 1000.0)
        # NetworkX on the same expanded graph: super-source/sink carry the end costs
        G = nx.DiGraph()
        w = q.weights
        for e in np.flatnonzero(np.isfinite(w)):
            u, v = int(g.src[e]), int(g.dst[e])
            if not G.has_edge(u, v) or G[u][v]["weight"] > w[e]:
                G.add_edge(u, v, weight=float(w[e]))
        for s, c in zip(q.sources, q.source_cost, strict=True):
            G.add_edge("S", int(s), weight=float(c))
        for t, c in zip(q.targets, q.target_cost, strict=True):
            G.add_edge(int(t), "T", weight=float(c))
        start = time.perf_counter()
        try:
            ref = nx.dijkstra_path_length(G, "S", "T")
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            ref = np.inf
        nx_ms.append((time.perf_counter() - start) * 1000.0)
        ours = found[0] if found else np.inf
        if not (ours == ref or abs(ours - ref) <= 1e-6 * max(1.0, abs(ref))):
            mismatches += 1
        # scipy csgraph (one source at a time, all targets; no edge identity)
        n = g.n_vertices + 2
        fin = np.isfinite(w)
        rows = np.concatenate([g.src[fin], np.full(len(q.sources), n - 2), q.targets])
        cols = np.concatenate([g.dst[fin], q.sources, np.full(len(q.targets), n - 1)])
        vals = np.concatenate([w[fin], q.source_cost, q.target_cost]) + 1e-12
        m = csr_matrix((vals, (rows, cols)), shape=(n, n))
        start = time.perf_counter()
        scipy_dijkstra(m, indices=n - 2, min_only=True)
        sp_ms.append((time.perf_counter() - start) * 1000.0)
    assert graph is not None

    def p(xs: list[float], q: float) -> float:
        return float(np.percentile(xs, q))

    med_ours, med_nx, med_sp = map(statistics.median, (ours_ms, nx_ms, sp_ms))
    print("## Route queries on the bundled network")
    print()
    print(
        f"{len(ids)} places, {len(net.links)} links → expanded graph of {graph.n_vertices} "
        f"vertices, {graph.n_edges} edges; {N_QUERIES} random origin–destination pairs "
        f"(seed {SEED}), warm."
    )
    print()
    print("| engine | p50 ms | p90 ms | ratio to ours (p50) |")
    print("|---|---:|---:|---:|")
    print(
        f"| caspian plan_route (prepare + search + itinerary) | {p(full_ms, 50):.3f} "
        f"| {p(full_ms, 90):.3f} | |"
    )
    print(f"| caspian search (numba Dijkstra) | {med_ours:.3f} | {p(ours_ms, 90):.3f} | 1.0 |")
    print(
        f"| NetworkX dijkstra_path_length, same graph | {med_nx:.3f} | {p(nx_ms, 90):.3f} "
        f"| {med_nx / med_ours:.1f}× slower |"
    )
    print(
        f"| scipy.sparse.csgraph.dijkstra, same graph | {med_sp:.3f} | {p(sp_ms, 90):.3f} "
        f"| {med_sp / med_ours:.1f}× slower |"
    )
    print()
    print(f"Optimal values differing from NetworkX: {mismatches} of {len(pairs)}.")


if __name__ == "__main__":
    main()
