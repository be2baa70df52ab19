"""Shortest-path trees and all-or-nothing loading for assignment (numba kernels).

Unlike the planner's kernel (:mod:`caspian.routing.dijkstra`) these respect TNTP's
centroid rule — nodes below ``first_thru`` may start or end a trip but are not passed
through — and record the order in which nodes are settled, so that loading a tree is one
backward sweep instead of one walk per destination.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from caspian.assignment.problem import FloatArray, IntArray

__all__ = ["ARITY", "aon_class", "csr", "reach", "reachable_pairs", "tree"]


def csr(n_nodes: int, tail: IntArray) -> tuple[IntArray, IntArray]:
    """Forward star: the links leaving node ``v`` are ``adj[indptr[v]:indptr[v + 1]]``."""
    adj = np.argsort(tail, kind="stable").astype(np.int64)
    counts = np.bincount(tail, minlength=n_nodes)
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, adj


ARITY = 4
"""Children per heap node: a 4-ary heap is shallower than a binary one (fewer levels per
sift) and its children share a cache line."""


@njit(cache=True, nogil=True)
def tree(
    indptr: IntArray,
    adj: IntArray,
    head_csr: IntArray,
    cost_csr: FloatArray,
    source: int,
    first_thru: int,
    targets: IntArray,
    is_target: NDArray[np.bool_],
    dist: FloatArray,
    pred: IntArray,
    order: IntArray,
    heap_key: FloatArray,
    heap_node: IntArray,
    pos: IntArray,
) -> int:
    """One-to-all Dijkstra from ``source`` into the given buffers; returns nodes settled.

    ``head_csr`` and ``cost_csr`` are the links' heads and costs in CSR order
    (``head[adj]``, ``cost[adj]``), so relaxing a node reads contiguous memory. The heap
    is a 4-ary heap with decrease-key: each node enters once and leaves once; it holds
    (key, node) side by side in ``heap_key``/``heap_node`` so sifting never reads ``dist``
    at random places, and ``pos[v]`` is the node's place in it (-1 before it enters).
    ``dist`` and ``pred`` (predecessor link, -1 at the source and unreached nodes) are
    overwritten; ``order[:count]`` lists the settled nodes in settling order. The heap
    and ``pos`` need one entry per node.

    With ``targets``, the search stops once all of them are settled: their ``dist`` and
    ``pred`` (and those of every node on their paths) are final, other nodes' may not be.
    ``is_target`` is scratch space, all False before and after the call.
    """
    n = dist.shape[0]
    for v in range(n):
        dist[v] = np.inf
        pred[v] = -1
        pos[v] = -1
    remaining = 0
    for v in targets:
        if not is_target[v]:
            is_target[v] = True
            remaining += 1
    early = remaining > 0
    dist[source] = 0.0
    heap_key[0] = 0.0
    heap_node[0] = source
    size = 1
    count = 0
    while size > 0:
        u = heap_node[0]
        d = heap_key[0]
        size -= 1
        if size > 0:  # pop: move the last entry down from the root
            last = heap_node[size]
            key = heap_key[size]
            i = 0
            while True:
                c = ARITY * i + 1
                if c >= size:
                    break
                best = c
                best_key = heap_key[c]
                stop = min(c + ARITY, size)
                for cc in range(c + 1, stop):
                    if heap_key[cc] < best_key:
                        best_key = heap_key[cc]
                        best = cc
                if key <= best_key:
                    break
                w = heap_node[best]
                heap_key[i] = best_key
                heap_node[i] = w
                pos[w] = i
                i = best
            heap_key[i] = key
            heap_node[i] = last
            pos[last] = i
        order[count] = u
        count += 1
        if early and is_target[u]:
            is_target[u] = False
            remaining -= 1
            if remaining == 0:
                break
        if u < first_thru and u != source:
            continue
        for k in range(indptr[u], indptr[u + 1]):
            v = head_csr[k]
            nd = d + cost_csr[k]
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = adj[k]
                i = pos[v]
                if i < 0:  # push (a settled node cannot improve: costs are >= 0)
                    i = size
                    size += 1
                while i > 0:  # sift the hole up
                    parent = (i - 1) // ARITY
                    if heap_key[parent] <= nd:
                        break
                    w = heap_node[parent]
                    heap_key[i] = heap_key[parent]
                    heap_node[i] = w
                    pos[w] = i
                    i = parent
                heap_key[i] = nd
                heap_node[i] = v
                pos[v] = i
    if remaining > 0:  # some targets unreachable
        for v in targets:
            is_target[v] = False
    return count


@njit(cache=True, nogil=True)
def reach(
    indptr: IntArray, adj: IntArray, head: IntArray, source: int, first_thru: int,
    seen: IntArray, stack: IntArray, stamp: int,
) -> None:  # fmt: skip
    """Mark every node reachable from ``source`` with ``seen[v] = stamp`` (depth-first).

    Nodes below ``first_thru`` (other than the source) are reached but not passed through.
    """
    seen[source] = stamp
    stack[0] = source
    top = 1
    while top > 0:
        top -= 1
        u = stack[top]
        if u < first_thru and u != source:
            continue
        for k in range(indptr[u], indptr[u + 1]):
            v = head[adj[k]]
            if seen[v] != stamp:
                seen[v] = stamp
                stack[top] = v
                top += 1


@njit(cache=True, nogil=True)
def reachable_pairs(
    indptr: IntArray,
    adj: IntArray,
    head: IntArray,
    first_thru: int,
    origins: IntArray,
    od_ptr: IntArray,
    dests: IntArray,
) -> NDArray[np.bool_]:
    """Whether each pair (``origins[i]`` → ``dests[od_ptr[i]:od_ptr[i + 1]]``) has a path."""
    n = indptr.shape[0] - 1
    seen = np.full(n, -1, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    ok = np.empty(dests.shape[0], dtype=np.bool_)
    for i in range(origins.shape[0]):
        reach(indptr, adj, head, origins[i], first_thru, seen, stack, i)
        for j in range(od_ptr[i], od_ptr[i + 1]):
            ok[j] = seen[dests[j]] == i
    return ok


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
    heap_key = np.empty(n)
    heap = np.empty(n, dtype=np.int64)
    pos = np.empty(n, dtype=np.int64)
    head_csr = np.empty(adj.shape[0], dtype=np.int64)
    cost_csr = np.empty(adj.shape[0])
    for k in range(adj.shape[0]):
        head_csr[k] = head[adj[k]]
        cost_csr[k] = cost[adj[k]]
    acc = np.zeros(n)
    is_target = np.zeros(n, dtype=np.bool_)
    sptt = 0.0
    for i in range(origins.shape[0]):
        count = tree(
            indptr,
            adj,
            head_csr,
            cost_csr,
            origins[i],
            first_thru,
            dests[od_ptr[i] : od_ptr[i + 1]],
            is_target,
            dist,
            pred,
            order,
            heap_key,
            heap,
            pos,
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
