"""Shortest-path trees and all-or-nothing loading for assignment (numba kernels).

Unlike the planner's kernel (:mod:`caspian.routing.dijkstra`) these respect TNTP's
centroid rule — nodes below ``first_thru`` may start or end a trip but are not passed
through — and record the order in which nodes are settled, so that loading a tree is one
backward sweep instead of one walk per destination.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from caspian.assignment.problem import FloatArray, IntArray

__all__ = ["aon_class", "csr", "tree"]


def csr(n_nodes: int, tail: IntArray) -> tuple[IntArray, IntArray]:
    """Forward star: the links leaving node ``v`` are ``adj[indptr[v]:indptr[v + 1]]``."""
    adj = np.argsort(tail, kind="stable").astype(np.int64)
    counts = np.bincount(tail, minlength=n_nodes)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, adj


@njit(cache=True, nogil=True)
def tree(
    indptr: IntArray,
    adj: IntArray,
    head: IntArray,
    cost: FloatArray,
    source: int,
    first_thru: int,
    dist: FloatArray,
    pred: IntArray,
    order: IntArray,
    heap_key: FloatArray,
    heap_val: IntArray,
) -> int:
    """One-to-all Dijkstra from ``source`` into the given buffers; returns nodes settled.

    ``dist`` and ``pred`` (predecessor link, -1 at the source and unreached nodes) are
    overwritten; ``order[:count]`` lists the settled nodes in settling order.
    """
    n = dist.shape[0]
    for v in range(n):
        dist[v] = np.inf
        pred[v] = -1
    dist[source] = 0.0
    heap_key[0] = 0.0
    heap_val[0] = source
    size = 1
    count = 0
    while size > 0:
        d = heap_key[0]
        u = heap_val[0]
        size -= 1
        if size > 0:  # pop: move the last entry down from the root
            key = heap_key[size]
            val = heap_val[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                if c + 1 < size and heap_key[c + 1] < heap_key[c]:
                    c += 1
                if key <= heap_key[c]:
                    break
                heap_key[i] = heap_key[c]
                heap_val[i] = heap_val[c]
                i = c
            heap_key[i] = key
            heap_val[i] = val
        if d > dist[u]:
            continue
        order[count] = u
        count += 1
        if u < first_thru and u != source:
            continue
        for k in range(indptr[u], indptr[u + 1]):
            e = adj[k]
            v = head[e]
            nd = d + cost[e]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                i = size  # push: sift the hole up
                size += 1
                while i > 0:
                    p = (i - 1) >> 1
                    if heap_key[p] <= nd:
                        break
                    heap_key[i] = heap_key[p]
                    heap_val[i] = heap_val[p]
                    i = p
                heap_key[i] = nd
                heap_val[i] = v
    return count


@njit(cache=True, nogil=True)
def aon_class(
    indptr: IntArray,
    adj: IntArray,
    head: IntArray,
    tail: IntArray,
    cost: FloatArray,
    first_thru: int,
    origins: IntArray,
    od_ptr: IntArray,
    dests: IntArray,
    demand: FloatArray,
    out: FloatArray,
) -> float:
    """All-or-nothing loading of one class, origin by origin, into ``out[i, link]``.

    Returns the class's shortest-path total cost ``Σ demand · shortest cost`` (SPTT).
    Every destination must be reachable (checked when the problem is prepared).
    """
    n = indptr.shape[0] - 1
    dist = np.empty(n)
    pred = np.empty(n, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    heap_key = np.empty(adj.shape[0] + 1)
    heap_val = np.empty(adj.shape[0] + 1, dtype=np.int64)
    acc = np.zeros(n)
    sptt = 0.0
    for i in range(origins.shape[0]):
        count = tree(
            indptr, adj, head, cost, origins[i], first_thru, dist, pred, order, heap_key, heap_val
        )
        row = out[i]
        row[:] = 0.0
        for j in range(od_ptr[i], od_ptr[i + 1]):
            acc[dests[j]] += demand[j]
            sptt += demand[j] * dist[dests[j]]
        for m in range(count - 1, 0, -1):
            v = order[m]
            f = acc[v]
            if f != 0.0:
                e = pred[v]
                row[e] += f
                acc[tail[e]] += f
                acc[v] = 0.0
        acc[origins[i]] = 0.0
    return sptt
