"""Shortest-path kernel benchmark: our ``shortest_tree`` against ``scipy.sparse.csgraph``.

One-to-all Dijkstra (distances and predecessors) on TNTP Chicago Sketch (933 nodes, 2,950
links; weights free-flow time + 0.04 × length, from ``../shared/benchmarks/tntp``) and on a
1,000 × 1,000 grid (1 M vertices, 4 M directed edges, weights uniform in [1, 10), seed
20261124), same sources for both engines in the same run. Times are medians over sources
(Chicago: 100 sources × 5 repeats each; grid: 5 sources × 3 repeats). Our kernel also
returns the predecessor *edge*; scipy is asked for predecessors too.

Run with ``make bench ONLY=bench_sp_kernel``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

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


def measure(g: Graph, sources: np.ndarray, repeats: int) -> tuple[float, float, int]:  # type: ignore[type-arg]
    """(ours s, scipy s, sources whose distances differ) for one-to-all from each source."""
    indptr, adj, head, w, _tail, mat = g
    zero = np.zeros(1)
    none = np.zeros(0, dtype=np.int64)

    def ours(s: int) -> None:
        shortest_tree(indptr, adj, head, w, np.array([s]), zero, none)

    def theirs(s: int) -> None:
        scipy_dijkstra(mat, indices=s, return_predecessors=True)

    ours(int(sources[0]))  # compile / load the cache outside the timing
    mismatches = 0
    for s in sources[:5]:
        a, _ = shortest_tree(indptr, adj, head, w, np.array([int(s)]), zero, none)
        b = scipy_dijkstra(mat, indices=int(s))
        if not np.allclose(a, b, rtol=1e-12, atol=0):
            mismatches += 1
    return _time(ours, sources, repeats), _time(theirs, sources, repeats), mismatches


def main() -> None:
    """Print a markdown table of one-to-all times and ratios."""
    rng = np.random.default_rng(SEED)
    print("## Shortest-path kernel: one-to-all, ours against scipy.sparse.csgraph (same run)")
    print()
    print(f"Load average at start: {os.getloadavg()[0]:.2f} (2 cores).")
    print()
    print("| graph | vertices | edges | ours ms | scipy ms | ours ÷ scipy | distances differ |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    cases: list[tuple[str, Graph | None, int, int]] = [
        ("TNTP Chicago Sketch", chicago(), 100, 5),
        ("grid 1,000 × 1,000", grid(), 5, 3),
    ]
    for name, g, n_sources, repeats in cases:
        if g is None:
            print(f"| {name} | WARNING: {CHICAGO} missing, not measured | | | | | |")
            continue
        n = g[0].size - 1
        sources = rng.choice(min(n, 387) if "Chicago" in name else n, n_sources, replace=False)
        ours, theirs, bad = measure(g, sources, repeats)
        print(
            f"| {name} | {n:,} | {g[1].size:,} | {ours * 1e3:.3f} | {theirs * 1e3:.3f} | "
            f"{ours / theirs:.2f}× | {bad} of 5 |"
        )


if __name__ == "__main__":
    main()
