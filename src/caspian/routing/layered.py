"""The layered state graph of required modes and via places: exact and polynomial.

For ``k`` constraints (required mode groups plus via places) the state graph has ``2**k``
copies of the expanded graph; an edge leads from copy ``m`` to copy ``m | bits(edge)``, so a
path from a source in copy 0 to a target in the full copy uses every required mode and
passes every via place. Dijkstra on it gives the cheapest *walk* that meets the
constraints (it may come back to a place it has left) in ``O(2**k · E log V)``; ``k`` is at
most :data:`~caspian.routing.options.MAX_CONSTRAINTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from caspian.routing.graph import ExpandedGraph, FloatArray
from caspian.routing.kernels import shortest_tree, tree_path
from caspian.routing.query import RouteQuery, required_bits

__all__ = [
    "StateGraph",
    "best_walk",
    "no_simple_route",
    "place_reach",
    "revisits",
    "state_graph",
]

IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class StateGraph:
    """CSR arrays of the state graph; state ``v * copies + mask``, state edge ``i``."""

    copies: int
    edge: IntArray
    """Expanded-graph edge of each state edge."""
    src: IntArray
    dst: IntArray
    weights: FloatArray
    fwd_indptr: IntArray
    fwd_edges: IntArray
    sources: IntArray
    targets: IntArray

    @property
    def full(self) -> int:
        """The mask of a state that has met every constraint."""
        return self.copies - 1


def state_graph(query: RouteQuery) -> StateGraph:
    """Build the layered state graph of ``query`` (its constraints and masks)."""
    g = query.graph
    copies = 1 << query.n_constraints
    n_e = g.n_edges
    bits = required_bits(query)
    mask = np.repeat(np.arange(copies, dtype=np.int64), n_e)
    edge = np.tile(np.arange(n_e, dtype=np.int64), copies)
    src = g.src[edge] * copies + mask
    dst = g.dst[edge] * copies + (mask | bits[edge])
    order = np.argsort(src, kind="stable").astype(np.int64)
    counts = np.bincount(src, minlength=g.n_vertices * copies)
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return StateGraph(
        copies=copies,
        edge=edge,
        src=src,
        dst=dst,
        weights=query.weights[edge],
        fwd_indptr=indptr,
        fwd_edges=order,
        sources=query.sources * copies,
        targets=query.targets * copies + (copies - 1),
    )


def best_walk(query: RouteQuery, sg: StateGraph) -> tuple[float, int, list[int]] | None:
    """Cheapest walk (weight, source vertex, edges) meeting every constraint; None if none."""
    g = query.graph
    dist, pred = shortest_tree(
        sg.fwd_indptr,
        sg.fwd_edges,
        sg.dst,
        sg.weights,
        sg.sources,
        query.source_cost,
        sg.targets,
    )
    totals = dist[sg.targets] + query.target_cost
    best = int(np.argmin(totals))
    if not np.isfinite(totals[best]):
        return None
    path = tree_path(pred, sg.src, int(sg.targets[best]))
    edges = [int(sg.edge[e]) for e in path]
    start = int(g.src[edges[0]]) if edges else int(query.targets[best])
    return float(totals[best]), start, edges


def cost_to_go(query: RouteQuery, sg: StateGraph) -> FloatArray:
    """Per state, the exact cost of the cheapest walk on to a target (unloading included).

    A lower bound for any path, simple or not: the heuristic of the elementary search.
    """
    order = np.argsort(sg.dst, kind="stable").astype(np.int64)
    counts = np.bincount(sg.dst, minlength=sg.fwd_indptr.shape[0] - 1)
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    dist, _ = shortest_tree(
        indptr,
        order,
        sg.src,
        sg.weights,
        sg.targets,
        np.asarray(query.target_cost, dtype=np.float64),
        np.empty(0, dtype=np.int64),
    )
    return np.asarray(dist, dtype=np.float64)


def revisits(g: ExpandedGraph, start: int, edges: Sequence[int]) -> list[str]:
    """The places a path comes back to after leaving them (empty for a simple path)."""
    seen = {g.vertex_node[start]}
    here = g.vertex_node[start]
    again: list[str] = []
    for e in edges:
        node = g.vertex_node[int(g.dst[e])]
        if node != here:
            if node in seen and node not in again:
                again.append(node)
            seen.add(node)
            here = node
    return again


def place_reach(query: RouteQuery) -> Callable[[str, str], set[str]]:
    """``reach(start, removed)``: the places reachable from ``start`` without passing
    ``removed``, on the undirected place graph of the query's allowed edges."""
    g = query.graph
    adjacency: dict[str, set[str]] = {}
    for e in np.flatnonzero(np.isfinite(query.weights)):
        a, z = g.vertex_node[int(g.src[e])], g.vertex_node[int(g.dst[e])]
        if a != z:
            adjacency.setdefault(a, set()).add(z)
            adjacency.setdefault(z, set()).add(a)

    def reach(start: str, removed: str) -> set[str]:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in adjacency.get(stack.pop(), ()):
                if nxt != removed and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    return reach


def no_simple_route(query: RouteQuery) -> bool:
    """Whether some via place can only be reached and left through one same place.

    True proves that every route through the via places comes back to a place it has left
    (for instance Bandar Abbas, reached only from Tehran): if removing place ``c`` cuts via
    place ``v`` off from both the origin and the destination (undirected, allowed links
    only), every path to ``v`` and every path on from it pass ``c``. False proves nothing.
    """
    reach = place_reach(query)
    o, d = query.origin.id, query.destination.id
    for v in query.options.via_nodes:
        for c in sorted(reach(v, "")):
            if c == v:
                continue  # c may be the origin or the destination: that end is passed twice
            cut_off = reach(v, c)
            if o not in cut_off and d not in cut_off:
                return True
    return False
