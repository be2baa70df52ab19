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

from caspian.routing.dijkstra_py import tree_path  # plain Python; shared by both tiers

__all__ = ["best_route", "shortest_tree", "tree_path"]

GATHER_MIN_EDGES = 65_536
"""From this many edges a full tree first copies weights and heads into CSR order."""


# The heap: a binary min-heap of (key, vertex) in two arrays, with lazy deletion (a vertex
# may sit in it several times; stale entries are skipped when popped). Push and pop are
# written out inside each kernel, with a "hole" moving instead of pairwise swaps: the same
# comparisons and the same final layout as swapping, so vertices settle in the same order
# (ties included) as before, in fewer memory writes. Helper calls cost 30-50 % on Chicago
# Sketch (commit 9eafb1e), so the kernels below do not call any.


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
    remaining = targets.shape[0]
    is_target = np.zeros(n if remaining > 0 else 0, dtype=np.bool_)
    for t in targets:
        is_target[t] = True
    cap = adj_edges.shape[0] + sources.shape[0] + 1
    heap = np.empty(2 * cap)  # (key, vertex) pairs side by side: one cache line per entry
    # A whole tree of a large graph reads every edge: copy weights and heads into CSR order
    # first (two streaming gathers), so relaxing a vertex reads contiguous memory instead of
    # jumping through adj_edges. Same numbers in the same order: results do not change.
    local = remaining == 0 and adj_edges.shape[0] >= GATHER_MIN_EDGES
    m = adj_edges.shape[0] if local else 0
    w_csr = np.empty(m)
    head_csr = np.empty(m, dtype=np.int64)
    for k in range(m):
        e = adj_edges[k]
        w_csr[k] = weight[e]
        head_csr[k] = edge_head[e]
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        c = source_cost[i]
        if c < dist[s]:
            dist[s] = c
            j = size
            size += 1
            while j > 0:
                parent = (j - 1) >> 1
                if heap[2 * parent] <= c:
                    break
                heap[2 * j] = heap[2 * parent]
                heap[2 * j + 1] = heap[2 * parent + 1]
                j = parent
            heap[2 * j] = c
            heap[2 * j + 1] = s
    while size > 0:
        d = heap[0]
        u = int(heap[1])
        size -= 1
        if size > 0:
            key = heap[2 * size]
            val = heap[2 * size + 1]
            j = 0
            while True:
                child = 2 * j + 1
                if child >= size:
                    break
                if child + 1 < size and heap[2 * child + 2] < heap[2 * child]:
                    child += 1
                if key <= heap[2 * child]:
                    break
                heap[2 * j] = heap[2 * child]
                heap[2 * j + 1] = heap[2 * child + 1]
                j = child
            heap[2 * j] = key
            heap[2 * j + 1] = val
        if d > dist[u]:  # stale entry (an entry at dist[u] is popped once: pushes are strict)
            continue
        if remaining > 0 and is_target[u]:
            is_target[u] = False
            remaining -= 1
            if remaining == 0:
                break
        for k in range(indptr[u], indptr[u + 1]):
            if local:
                w = w_csr[k]
                v = head_csr[k]
            else:
                w = weight[adj_edges[k]]
                v = edge_head[adj_edges[k]]
            if not np.isfinite(w):
                continue
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = adj_edges[k]
                j = size
                size += 1
                while j > 0:
                    parent = (j - 1) >> 1
                    if heap[2 * parent] <= nd:
                        break
                    heap[2 * j] = heap[2 * parent]
                    heap[2 * j + 1] = heap[2 * parent + 1]
                    j = parent
                heap[2 * j] = nd
                heap[2 * j + 1] = v
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
    end_cost = np.full(n, np.inf)
    for i in range(targets.shape[0]):
        end_cost[targets[i]] = min(end_cost[targets[i]], target_cost[i])
    cap = adj_edges.shape[0] + sources.shape[0] + 1
    keys = np.empty(cap)
    vals = np.empty(cap, dtype=np.int64)
    size = 0
    for i in range(sources.shape[0]):
        s = sources[i]
        c = source_cost[i]
        if c < dist[s]:
            dist[s] = c
            j = size
            size += 1
            while j > 0:
                parent = (j - 1) >> 1
                if keys[parent] <= c:
                    break
                keys[j] = keys[parent]
                vals[j] = vals[parent]
                j = parent
            keys[j] = c
            vals[j] = s
    best = np.inf
    best_v = -1
    while size > 0:
        d = keys[0]
        u = vals[0]
        size -= 1
        if size > 0:
            key = keys[size]
            val = vals[size]
            j = 0
            while True:
                child = 2 * j + 1
                if child >= size:
                    break
                if child + 1 < size and keys[child + 1] < keys[child]:
                    child += 1
                if key <= keys[child]:
                    break
                keys[j] = keys[child]
                vals[j] = vals[child]
                j = child
            keys[j] = key
            vals[j] = val
        if d > dist[u]:
            continue
        if d >= best:
            break
        if d + end_cost[u] < best:
            best = d + end_cost[u]
            best_v = u
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
                j = size
                size += 1
                while j > 0:
                    parent = (j - 1) >> 1
                    if keys[parent] <= nd:
                        break
                    keys[j] = keys[parent]
                    vals[j] = vals[parent]
                    j = parent
                keys[j] = nd
                vals[j] = v
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
