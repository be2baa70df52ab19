"""A multi-source Dijkstra kernel over CSR adjacency, compiled with numba.

Why our own kernel rather than ``scipy.sparse.csgraph``: the planner needs the predecessor
*edge* (parallel edges of different modes join the same vertices), per-query edge masks
(infinite weights are skipped), several sources with initial costs (loading at the origin)
and an early stop once every target is settled. ``benchmarks/bench_routing.py`` measures it
against NetworkX and scipy on the same graph.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["best_route", "shortest_tree", "tree_path"]


@njit(cache=True, nogil=True)
def _heap_push(
    keys: NDArray[np.float64], vals: NDArray[np.int64], size: int, key: float, val: int
) -> int:
    i = size
    keys[i] = key
    vals[i] = val
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        vals[parent], vals[i] = vals[i], vals[parent]
        i = parent
    return size + 1


@njit(cache=True, nogil=True)
def _heap_pop(keys: NDArray[np.float64], vals: NDArray[np.int64], size: int) -> int:
    size -= 1
    keys[0] = keys[size]
    vals[0] = vals[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and keys[left + 1] < keys[left]:
            child = left + 1
        if keys[i] <= keys[child]:
            break
        keys[child], keys[i] = keys[i], keys[child]
        vals[child], vals[i] = vals[i], vals[child]
        i = child
    return size


@njit(cache=True, nogil=True)
def _seed(
    sources: NDArray[np.int64],
    source_cost: NDArray[np.float64],
    dist: NDArray[np.float64],
    keys: NDArray[np.float64],
    vals: NDArray[np.int64],
) -> int:
    """Put the sources on the heap at their initial costs; return the heap size."""
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        if source_cost[i] < dist[s]:
            dist[s] = source_cost[i]
            size = _heap_push(keys, vals, size, source_cost[i], s)
    return size


@njit(cache=True, nogil=True)
def _relax(
    u: int,
    d: float,
    indptr: NDArray[np.int64],
    adj_edges: NDArray[np.int64],
    edge_head: NDArray[np.int64],
    weight: NDArray[np.float64],
    dist: NDArray[np.float64],
    pred: NDArray[np.int64],
    keys: NDArray[np.float64],
    vals: NDArray[np.int64],
    size: int,
) -> int:
    """Relax the edges leaving ``u`` (settled at ``d``); return the new heap size."""
    for k in range(indptr[u], indptr[u + 1]):
        e = adj_edges[k]
        w = weight[e]
        if not np.isfinite(w):
            continue
        v = edge_head[e]
        nd = d + w
        if nd < dist[v]:
            dist[v] = nd
            pred[v] = e
            size = _heap_push(keys, vals, size, nd, v)
    return size


@njit(cache=True, nogil=True)
def shortest_tree(
    indptr: NDArray[np.int64],
    adj_edges: NDArray[np.int64],
    edge_head: NDArray[np.int64],
    weight: NDArray[np.float64],
    sources: NDArray[np.int64],
    source_cost: NDArray[np.float64],
    targets: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Distances and predecessor edges from several sources.

    Parameters
    ----------
    indptr, adj_edges
        CSR adjacency: the edges leaving vertex ``v`` are ``adj_edges[indptr[v]:indptr[v+1]]``.
    edge_head
        The vertex each edge leads to (``dst`` forward, ``src`` on the reversed graph).
    weight
        Edge weights; ``inf`` marks an edge that may not be used.
    sources, source_cost
        Start vertices and their initial costs.
    targets
        Stop once all of these are settled (empty: settle everything).

    Returns
    -------
    dist, pred_edge
        ``dist[v]`` (``inf`` when unreachable) and the edge that reached ``v`` (-1 at a source
        or when unreachable).
    """
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    is_target = np.zeros(n, dtype=np.bool_)
    for t in targets:
        is_target[t] = True
    remaining = targets.shape[0]
    cap = adj_edges.shape[0] + sources.shape[0] + 1
    keys = np.empty(cap)
    vals = np.empty(cap, dtype=np.int64)
    size = _seed(sources, source_cost, dist, keys, vals)
    while size > 0:
        d = keys[0]
        u = vals[0]
        size = _heap_pop(keys, vals, size)
        if done[u] or d > dist[u]:
            continue
        done[u] = True
        if is_target[u]:
            remaining -= 1
            if remaining == 0:
                break
        size = _relax(u, d, indptr, adj_edges, edge_head, weight, dist, pred, keys, vals, size)
    return dist, pred


@njit(cache=True, nogil=True)
def best_route(
    indptr: NDArray[np.int64],
    adj_edges: NDArray[np.int64],
    edge_head: NDArray[np.int64],
    edge_tail: NDArray[np.int64],
    weight: NDArray[np.float64],
    sources: NDArray[np.int64],
    source_cost: NDArray[np.float64],
    targets: NDArray[np.int64],
    target_cost: NDArray[np.float64],
) -> tuple[float, int, NDArray[np.int64]]:
    """Cheapest path from any source to any target, ending costs included, in one call.

    Stops as soon as the next vertex to settle cannot beat the best target found (the
    targets' end costs are non-negative). Returns ``(cost, start vertex, edges)``;
    ``cost`` is ``inf`` and ``edges`` empty when no target is reachable.
    """
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    end_cost = np.full(n, np.inf)
    for i in range(targets.shape[0]):
        end_cost[targets[i]] = min(end_cost[targets[i]], target_cost[i])
    cap = adj_edges.shape[0] + sources.shape[0] + 1
    keys = np.empty(cap)
    vals = np.empty(cap, dtype=np.int64)
    size = _seed(sources, source_cost, dist, keys, vals)
    best = np.inf
    best_v = -1
    while size > 0:
        d = keys[0]
        u = vals[0]
        size = _heap_pop(keys, vals, size)
        if done[u] or d > dist[u]:
            continue
        if d >= best:
            break
        done[u] = True
        if d + end_cost[u] < best:
            best = d + end_cost[u]
            best_v = u
        size = _relax(u, d, indptr, adj_edges, edge_head, weight, dist, pred, keys, vals, size)
    if best_v < 0:
        return np.inf, -1, np.empty(0, dtype=np.int64)
    count = 0
    v = best_v
    while pred[v] >= 0:
        count += 1
        v = edge_tail[pred[v]]
    edges = np.empty(count, dtype=np.int64)
    v = best_v
    for i in range(count - 1, -1, -1):
        edges[i] = pred[v]
        v = edge_tail[pred[v]]
    return best, v, edges


def tree_path(pred: NDArray[np.int64], tail: NDArray[np.int64], v: int) -> list[int]:
    """Edges from the root of a shortest-path tree to ``v``, root first.

    ``pred`` is :func:`shortest_tree`'s predecessor edges and ``tail`` each edge's start on
    the graph searched (``src`` forward, ``dst`` on the reversed graph).
    """
    path: list[int] = []
    while pred[v] >= 0:
        e = int(pred[v])
        path.append(e)
        v = int(tail[e])
    path.reverse()
    return path
