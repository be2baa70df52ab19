"""Tiered shortest-path kernels: plain Python for a process's first few small searches,
the numba kernels of :mod:`caspian.routing.dijkstra` after that.

Why: loading numba and its cached machine code costs a process about 0.35 s, which is half
the start-up of a one-shot command such as ``caspian route`` (goal ≤ 0.8 s, issue #8). On
the bundled network one search takes about a millisecond in plain Python, so a command that
searches a handful of times is faster without numba, while a benchmark, a sweep or the web
server (thousands of searches) switches to the compiled kernel after
:data:`INTERPRETED_CALLS` searches.

Both tiers run the same algorithm on the same binary heap (same sift rules, same
comparisons, same float64 arithmetic), so they settle vertices in the same order and return
identical distances, predecessors and paths, ties included; ``tests/routing/test_kernels.py``
checks this on random graphs and on every golden query. The tier switch changes speed only,
never a result, so the per-process call count below is not state that a caller can observe.
"""

from __future__ import annotations

from itertools import count
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

from caspian.routing.dijkstra_py import best_route_py, shortest_tree_py, tree_path

__all__ = ["INTERPRETED_CALLS", "INTERPRETED_MAX_EDGES", "best_route", "shortest_tree", "tree_path"]

INTERPRETED_CALLS = 24
"""Searches per process answered in plain Python before the compiled kernel takes over."""

INTERPRETED_MAX_EDGES = 40_000
"""Larger graphs always use the compiled kernel (plain Python would be slower than loading it)."""

_searches = count()

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _interpreted(n_edges: int) -> bool:
    return n_edges <= INTERPRETED_MAX_EDGES and next(_searches) < INTERPRETED_CALLS


def _compiled() -> ModuleType:
    """The numba kernels, imported only when first needed (loading numba costs ~0.35 s)."""
    from caspian.routing import dijkstra

    return dijkstra


def shortest_tree(
    indptr: IntArray,
    adj_edges: IntArray,
    edge_head: IntArray,
    weight: FloatArray,
    sources: IntArray,
    source_cost: FloatArray,
    targets: IntArray,
) -> tuple[FloatArray, IntArray]:
    """Distances and predecessor edges from several sources.

    The same contract as :func:`caspian.routing.dijkstra.shortest_tree`, whichever tier runs.
    """
    kernel = shortest_tree_py if _interpreted(adj_edges.shape[0]) else _compiled().shortest_tree
    dist, pred = kernel(indptr, adj_edges, edge_head, weight, sources, source_cost, targets)
    return dist, pred


def best_route(
    indptr: IntArray,
    adj_edges: IntArray,
    edge_head: IntArray,
    edge_tail: IntArray,
    weight: FloatArray,
    sources: IntArray,
    source_cost: FloatArray,
    targets: IntArray,
    target_cost: FloatArray,
) -> tuple[float, int, IntArray]:
    """Cheapest path from any source to any target, ending costs included.

    The same contract as :func:`caspian.routing.dijkstra.best_route`, whichever tier runs.
    """
    kernel = best_route_py if _interpreted(adj_edges.shape[0]) else _compiled().best_route
    cost, start, edges = kernel(
        indptr, adj_edges, edge_head, edge_tail, weight, sources, source_cost, targets, target_cost
    )
    return float(cost), int(start), edges
