"""Exact multi-criteria label-setting search over the expanded graph.

Serves two engines: the transit-time-constrained shortest path (criteria: objective weight
and hours, with an upper bound on hours) and the Pareto front of routes (money, hours, CO2e).
Labels are popped in lexicographic order; with non-negative criteria a popped, undominated
label is final (Martins' algorithm). A lower bound on hours to the destination prunes labels
that cannot meet a time limit.

Label searches can take exponential time; every one runs under a work
:class:`~caspian.routing.budget.Budget` and stops with a clear error when it is spent.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caspian.model.network import CARGO_CLASSES
from caspian.model.text import Text
from caspian.routing.budget import LABEL_WORK, Budget
from caspian.routing.graph import FloatArray
from caspian.routing.kernels import shortest_tree
from caspian.routing.query import RouteQuery, required_bits

__all__ = ["Label", "constrained_best", "pareto_labels"]


@dataclass(slots=True)
class Label:
    """A partial path: cost vector, vertex, parent label and the edge that led here."""

    cost: tuple[float, ...]
    vertex: int
    parent: int
    edge: int
    mask: int = 0
    visited: int = 0
    alive: bool = True


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """``a`` is at least as good as ``b`` in every criterion."""
    return all(x <= y + 1e-9 for x, y in zip(a, b, strict=True))


def pareto_labels(
    query: RouteQuery,
    criteria: Sequence[FloatArray],
    source_costs: Sequence[FloatArray],
    target_costs: Sequence[FloatArray],
    *,
    max_hours: float | None = None,
    hours_index: int | None = None,
    max_labels: int = 200_000,
    elementary: bool = False,
    budget: Budget | None = None,
) -> list[tuple[tuple[float, ...], int, list[int]]]:
    """Every non-dominated path from the query's sources to its targets.

    Parameters
    ----------
    query
        A prepared query; its ``allowed`` mask bans edges.
    criteria
        One array of edge costs per criterion.
    source_costs, target_costs
        Per criterion, the cost at each source / target vertex (loading, unloading).
    max_hours, hours_index
        Optional limit on the criterion ``hours_index`` (hours), pruned with a lower bound.
    elementary
        Only paths that never come back to a place they left (labels carry the set of
        places visited; a label dominates another only with a subset of its places). Needed
        when ``require_modes`` is set, where the cheapest *walk* may loop to touch a mode.
    max_labels, budget
        Limits on the labels created and on the work (labels plus dominance comparisons;
        default :data:`~caspian.routing.budget.LABEL_WORK`).

    Raises
    ------
    SearchBudgetError
        When either limit is reached before the front is complete (never a partial front).

    Returns
    -------
    list of (cost vector, start vertex, edges)
        Non-dominated at the destination, sorted by the first criterion.
    """
    g = query.graph
    k = len(criteria)
    crit = [np.where(query.allowed, c, np.inf) for c in criteria]
    lb_hours = np.zeros(g.n_vertices)
    if max_hours is not None and hours_index is not None:
        lb_hours, _ = shortest_tree(
            g.rev_indptr,
            g.rev_edges,
            g.src,
            crit[hours_index],
            query.targets,
            np.asarray(target_costs[hours_index], dtype=np.float64),
            np.empty(0, dtype=np.int64),
        )
    work = budget or Budget(
        LABEL_WORK,
        Text("the non-dominated routes", "مسیرهای نامغلوب"),
        Text(
            "drop required modes or --via places, or narrow --modes",
            "شیوه‌های لازم یا مکان‌های --via را بردارید، یا --modes را تنگ‌تر کنید",
        ),
    )
    bits = required_bits(query)
    full = (1 << query.n_constraints) - 1
    target_pos = {int(t): i for i, t in enumerate(query.targets)}
    labels: list[Label] = []
    at_vertex: dict[tuple[int, int], list[int]] = {}
    heap: list[tuple[tuple[float, ...], int]] = []
    finals: list[tuple[tuple[float, ...], int]] = []

    def feasible(cost: tuple[float, ...], v: int) -> bool:
        if max_hours is None or hours_index is None:
            return True
        return bool(cost[hours_index] + lb_hours[v] <= max_hours + 1e-9)

    place_bit = {node: 1 << i for i, node in enumerate(g.network.nodes)}

    def covers(a: Label, visited: int) -> bool:
        return not elementary or (a.visited & visited) == a.visited

    def push(
        cost: tuple[float, ...], v: int, mask: int, visited: int, parent: int, edge: int
    ) -> None:
        if not feasible(cost, v):
            return
        state = (v, mask)
        work.spend(1 + 2 * len(at_vertex.get(state, ())) + len(finals))
        for other in at_vertex.get(state, ()):
            lab = labels[other]
            if lab.alive and _dominates(lab.cost, cost) and covers(lab, visited):
                return
        if any(_dominates(f, cost) for f, _ in finals):
            return  # cannot lead to a new non-dominated route (target costs are ≥ 0)
        new = Label(cost, v, parent, edge, mask, visited)
        for other in at_vertex.get(state, ()):
            lab = labels[other]
            if lab.alive and _dominates(cost, lab.cost) and covers(new, lab.visited):
                lab.alive = False
        if len(labels) >= max_labels:
            raise work.exhausted(max_labels, ("limit", " labels"), "برچسب")
        labels.append(new)
        at_vertex.setdefault(state, []).append(len(labels) - 1)
        heapq.heappush(heap, (cost, len(labels) - 1))

    for i, s in enumerate(query.sources):
        bit = place_bit[g.vertex_node[int(s)]]
        push(tuple(float(source_costs[c][i]) for c in range(k)), int(s), 0, bit, -1, -1)
    while heap:
        cost, idx = heapq.heappop(heap)
        lab = labels[idx]
        if not lab.alive:
            continue
        u = lab.vertex
        if u in target_pos and lab.mask == full:
            end = tuple(cost[c] + float(target_costs[c][target_pos[u]]) for c in range(k))
            within = max_hours is None or hours_index is None or end[hours_index] <= max_hours
            if within and not any(_dominates(f, end) for f, _ in finals):
                finals = [(f, i) for f, i in finals if not _dominates(end, f)]
                finals.append((end, idx))
        for j in range(g.fwd_indptr[u], g.fwd_indptr[u + 1]):
            e = int(g.fwd_edges[j])
            step = [crit[c][e] for c in range(k)]
            if not all(np.isfinite(step)):
                continue
            w = int(g.dst[e])
            bit = place_bit[g.vertex_node[w]]
            if elementary and g.vertex_node[w] != g.vertex_node[u] and lab.visited & bit:
                continue
            nxt = tuple(cost[c] + step[c] for c in range(k))
            push(nxt, w, lab.mask | int(bits[e]), lab.visited | bit, idx, e)
    out = []
    for end, idx in sorted(finals):
        edges: list[int] = []
        cur = idx
        while labels[cur].parent >= 0:
            edges.append(labels[cur].edge)
            cur = labels[cur].parent
        edges.reverse()
        out.append((end, labels[cur].vertex, edges))
    return out


def constrained_best(
    query: RouteQuery,
    *,
    max_hours: float,
    elementary: bool | None = None,
    budget: Budget | None = None,
) -> tuple[int, list[int]] | None:
    """The cheapest path (in the query's objective) whose door-to-door hours fit the limit.

    ``elementary`` (default: when modes are required or places to pass) keeps to paths that
    never come back to a place; ``False`` allows the walks a dead-end via place needs.

    Raises
    ------
    SearchBudgetError
        When the search spends its work budget before proving the best route.
    """
    g = query.graph
    if elementary is None:
        elementary = query.n_constraints > 0
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    hours = query.costs.hours
    src_h = g.load_hours[ci][query.sources]
    tgt_h = g.load_hours[ci][query.targets]
    found = pareto_labels(
        query,
        [query.weights, hours],
        [query.source_cost, src_h],
        [query.target_cost, tgt_h],
        max_hours=max_hours,
        hours_index=1,
        elementary=elementary,
        budget=budget
        or Budget(
            LABEL_WORK,
            Text("the best route within {h:.0f} h", "بهترین مسیر در {h:.0f} ساعت", h=max_hours),
            Text(
                "raise --max-hours, or drop required modes or --via places",
                "--max-hours را بالا ببرید، یا شیوه‌های لازم یا مکان‌های --via را بردارید",
            ),
        ),
    )
    if not found:
        return None
    _, start, edges = min(found, key=lambda f: f[0][0])
    return start, edges
