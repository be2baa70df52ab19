"""Shortest-path kernels against ``scipy.sparse.csgraph.dijkstra``, same sources, same run.

Two kernels of ours: the assignment engine's (:func:`caspian.assignment.sp.tree`, a 4-ary
heap with decrease-key over links in CSR order — what ``caspian.assignment`` runs 387 times
per iteration on Chicago) and the route planner's
(:func:`caspian.routing.dijkstra.shortest_tree`, a binary heap whose tie order is part of
its contract). One-to-all Dijkstra (distances and predecessors) on TNTP Chicago Sketch (933
nodes, 2,950 links; weights free-flow time + 0.04 × length, from
``../shared/benchmarks/tntp``) and on a 1,000 × 1,000 grid (1 M vertices, 4 M directed
edges, weights uniform in [1, 10), seed 20261124). Times are medians over sources (Chicago:
100 sources, best of 5 each; grid: 5 sources, best of 3). All three return predecessors
(ours the predecessor *edge*); the assignment kernel is given heads and weights in CSR
order, as scipy is given its CSR matrix (both built outside the timing).

Run with ``make bench ONLY=bench_sp_kernel``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from caspian.assignment.sp import tree
from caspian.routing.dijkstra import shortest_tree

CHICAGO = Path(__file__).parents[1].parent / "shared" / "benchmarks" / "tntp"
SEED = 20261124

Graph = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, csr_matrix]  # type: ignore[type-arg]


def _graph(src: np.ndarray, dst: np.ndarray, w: np.ndarray, n: int) -> Graph:  # type: ignore[type-arg]
    order = np.argsort(src, kind="stable").astype(np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    # scipy drops explicit zeros and keeps the smallest of parallel edges: same graph here
    mat = csr_matrix((w, (src, dst)), shape=(n, n))
    return indptr, order, dst.astype(np.int64), w, src.astype(np.int64), mat


def chicago() -> Graph | None:
    """Chicago Sketch's links (None if the shared TNTP files are missing)."""
    path = CHICAGO / "ChicagoSketch_net.tntp"
    if not path.is_file():
        return None
    from caspian.io.tntp import read_net

    net = read_net(path)
    w = net.free_flow_time + 0.04 * net.length
    return _graph(net.init_node - 1, net.term_node - 1, w, net.n_nodes)


def grid(side: int = 1000) -> Graph:
    """A side × side 4-neighbour grid, both directions, random weights (seeded)."""
    ids = np.arange(side * side).reshape(side, side)
    pairs = [
        (ids[:, :-1].ravel(), ids[:, 1:].ravel()),
        (ids[:-1, :].ravel(), ids[1:, :].ravel()),
    ]
    src = np.concatenate([a for a, b in pairs] + [b for a, b in pairs])
    dst = np.concatenate([b for a, b in pairs] + [a for a, b in pairs])
    w = np.random.default_rng(SEED).uniform(1.0, 10.0, src.size)
    return _graph(src, dst, w, side * side)


def _time(fn, sources: np.ndarray, repeats: int) -> float:  # type: ignore[no-untyped-def,type-arg]
    """Median seconds per call over sources (each the best of ``repeats``)."""
    per = []
    for s in sources:
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            fn(int(s))
            best = min(best, time.perf_counter() - start)
        per.append(best)
    return float(np.median(per))


def measure(g: Graph, sources: np.ndarray, repeats: int) -> tuple[float, float, float, int]:  # type: ignore[type-arg]
    """(assignment kernel s, planner kernel s, scipy s, sources whose distances differ)."""
    indptr, adj, head, w, _tail, mat = g
    n = indptr.size - 1
    zero = np.zeros(1)
    none = np.zeros(0, dtype=np.int64)
    head_csr, w_csr = head[adj].copy(), w[adj].copy()
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    heap_key = np.empty(n)
    heap_node = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    is_target = np.zeros(n, dtype=bool)

    def engine(s: int) -> None:  # one-to-all: no targets
        tree(indptr, adj, head_csr, w_csr, s, 0, none, is_target, dist, pred, order,
             heap_key, heap_node, pos)  # fmt: skip

    def planner(s: int) -> None:
        shortest_tree(indptr, adj, head, w, np.array([s]), zero, none)

    def theirs(s: int) -> None:
        scipy_dijkstra(mat, indices=s, return_predecessors=True)

    engine(int(sources[0]))  # compile / load the caches outside the timing
    planner(int(sources[0]))
    mismatches = 0
    for s in sources[:5]:
        a, _ = shortest_tree(indptr, adj, head, w, np.array([int(s)]), zero, none)
        engine(int(s))
        b = scipy_dijkstra(mat, indices=int(s))
        if not (np.allclose(a, b, rtol=1e-12, atol=0) and np.allclose(dist, b, rtol=1e-12, atol=0)):
            mismatches += 1
    return (
        _time(engine, sources, repeats),
        _time(planner, sources, repeats),
        _time(theirs, sources, repeats),
        mismatches,
    )


def main() -> None:
    """Print a markdown table of one-to-all times and ratios."""
    rng = np.random.default_rng(SEED)
    print("## Shortest-path kernel: one-to-all, ours against scipy.sparse.csgraph (same run)")
    print()
    print(f"Load average at start: {os.getloadavg()[0]:.2f} (2 cores).")
    print()
    print(
        "| graph | vertices | edges | scipy ms | assignment kernel ms | ÷ scipy "
        "| planner kernel ms | ÷ scipy | distances differ |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cases: list[tuple[str, Graph | None, int, int]] = [
        ("TNTP Chicago Sketch", chicago(), 100, 5),
        ("grid 1,000 × 1,000", grid(), 5, 3),
    ]
    for name, g, n_sources, repeats in cases:
        if g is None:
            print(f"| {name} | WARNING: {CHICAGO} missing, not measured | | | | | | | |")
            continue
        n = g[0].size - 1
        sources = rng.choice(min(n, 387) if "Chicago" in name else n, n_sources, replace=False)
        engine, planner, theirs, bad = measure(g, sources, repeats)
        print(
            f"| {name} | {n:,} | {g[1].size:,} | {theirs * 1e3:.3f} | {engine * 1e3:.3f} | "
            f"{engine / theirs:.2f}× | {planner * 1e3:.3f} | {planner / theirs:.2f}× | "
            f"{bad} of 5 |"
        )


if __name__ == "__main__":
    main()
