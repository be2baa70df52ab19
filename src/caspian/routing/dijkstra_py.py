"""The Dijkstra kernels of :mod:`caspian.routing.dijkstra` in plain Python.

A line-for-line twin of the numba kernels: the same binary heap (push sifts up while the
parent's key is greater; pop moves the last item to the root and sifts down to the smaller
child, the left one on ties), the same skip of infinite weights and the same stopping rules.
So both settle vertices in the same order and return the same arrays, ties included.
Used by :mod:`caspian.routing.kernels` for a process's first few searches, when loading
numba would cost more than the searches themselves.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["best_route_py", "shortest_tree_py", "tree_path"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class _Heap:
    """The kernels' binary min-heap of (key, vertex) in two parallel lists."""

    __slots__ = ("keys", "vals")

    def __init__(self) -> None:
        self.keys: list[float] = []
        self.vals: list[int] = []

    def push(self, key: float, val: int) -> None:
        keys, vals = self.keys, self.vals
        keys.append(key)
        vals.append(val)
        i = len(keys) - 1
        while i > 0:
            parent = (i - 1) >> 1
            if keys[parent] <= keys[i]:
                break
            keys[parent], keys[i] = keys[i], keys[parent]
            vals[parent], vals[i] = vals[i], vals[parent]
            i = parent

    def pop(self) -> tuple[float, int]:
        keys, vals = self.keys, self.vals
        top = keys[0], vals[0]
        last_key, last_val = keys.pop(), vals.pop()
        size = len(keys)
        if size == 0:
            return top
        keys[0], vals[0] = last_key, last_val
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
        return top


class _Search:
    """Adjacency as Python lists (much faster to index than numpy scalars) and the labels."""

    def __init__(
        self,
        indptr: IntArray,
        adj_edges: IntArray,
        edge_head: IntArray,
        weight: FloatArray,
        sources: IntArray,
        source_cost: FloatArray,
    ) -> None:
        n = indptr.shape[0] - 1
        self.indptr: list[int] = indptr.tolist()
        self.adj: list[int] = adj_edges.tolist()
        self.head: list[int] = edge_head.tolist()
        self.weight: list[float] = weight.tolist()
        self.dist = [math.inf] * n
        self.pred = [-1] * n
        self.done = [False] * n
        self.heap = _Heap()
        for s, c in zip(sources.tolist(), source_cost.tolist(), strict=True):
            if c < self.dist[s]:
                self.dist[s] = c
                self.heap.push(c, s)

    def relax(self, u: int, d: float) -> None:
        dist, pred, head, weight, push = (
            self.dist,
            self.pred,
            self.head,
            self.weight,
            self.heap.push,
        )
        isfinite = math.isfinite
        for k in range(self.indptr[u], self.indptr[u + 1]):
            e = self.adj[k]
            w = weight[e]
            if not isfinite(w):
                continue
            v = head[e]
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                pred[v] = e
                push(nd, v)


def shortest_tree_py(
    indptr: IntArray,
    adj_edges: IntArray,
    edge_head: IntArray,
    weight: FloatArray,
    sources: IntArray,
    source_cost: FloatArray,
    targets: IntArray,
) -> tuple[FloatArray, IntArray]:
    """:func:`caspian.routing.dijkstra.shortest_tree` in plain Python (same results)."""
    s = _Search(indptr, adj_edges, edge_head, weight, sources, source_cost)
    is_target = [False] * len(s.dist)
    for t in targets.tolist():
        is_target[t] = True
    remaining = targets.shape[0]
    heap, done, dist = s.heap, s.done, s.dist
    while heap.keys:
        d, u = heap.pop()
        if done[u] or d > dist[u]:
            continue
        done[u] = True
        if is_target[u]:
            remaining -= 1
            if remaining == 0:
                break
        s.relax(u, d)
    return np.array(dist, dtype=np.float64), np.array(s.pred, dtype=np.int64)


def best_route_py(
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
    """:func:`caspian.routing.dijkstra.best_route` in plain Python (same results)."""
    s = _Search(indptr, adj_edges, edge_head, weight, sources, source_cost)
    end_cost = [math.inf] * len(s.dist)
    for t, c in zip(targets.tolist(), target_cost.tolist(), strict=True):
        end_cost[t] = min(end_cost[t], c)
    heap, done, dist, pred = s.heap, s.done, s.dist, s.pred
    best = math.inf
    best_v = -1
    while heap.keys:
        d, u = heap.pop()
        if done[u] or d > dist[u]:
            continue
        if d >= best:
            break
        done[u] = True
        if d + end_cost[u] < best:
            best = d + end_cost[u]
            best_v = u
        s.relax(u, d)
    if best_v < 0:
        return math.inf, -1, np.empty(0, dtype=np.int64)
    tail = edge_tail.tolist()
    edges: list[int] = []
    v = best_v
    while pred[v] >= 0:
        edges.append(pred[v])
        v = tail[pred[v]]
    edges.reverse()
    return best, v, np.array(edges, dtype=np.int64)


def tree_path(pred: IntArray, tail: IntArray, v: int) -> list[int]:
    """Edges from the root of a shortest-path tree to ``v``, root first.

    ``pred`` is a shortest-tree's predecessor edges and ``tail`` each edge's start on the
    graph searched (``src`` forward, ``dst`` on the reversed graph).
    """
    path: list[int] = []
    while pred[v] >= 0:
        e = int(pred[v])
        path.append(e)
        v = int(tail[e])
    path.reverse()
    return path
