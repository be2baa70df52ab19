"""The cheapest *simple* route meeting required modes and via places (A* over labels).

A route that uses rail "by looping back" to touch a railway is not a rail route, so the
planner wants the cheapest path that never comes back to a place it has left. That problem
is NP-hard in general, so this search runs under a work
:class:`~caspian.routing.budget.Budget`. It is an A* label search over states
(vertex, constraints met) whose labels carry the set of places visited; the heuristic is
the exact cost of the cheapest *walk* on to the destination
(:func:`caspian.routing.layered.cost_to_go`), a consistent lower bound, so the first
complete route taken from the queue is the cheapest simple route, and the search looks only
at partial routes that could still beat it.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import numpy as np

from caspian.model.text import Text
from caspian.routing.budget import LABEL_WORK, Budget
from caspian.routing.layered import StateGraph, cost_to_go, place_reach
from caspian.routing.query import RouteQuery

__all__ = ["best_simple_route"]


@dataclass(slots=True)
class _Label:
    cost: float
    state: int
    visited: int
    parent: int
    edge: int
    alive: bool = True


def best_simple_route(
    query: RouteQuery, sg: StateGraph, *, budget: Budget | None = None
) -> tuple[float, int, list[int]] | None:
    """Cheapest simple path (weight, source vertex, edges) meeting the constraints.

    Parameters
    ----------
    query
        A prepared query with required modes or via places.
    sg
        Its state graph (:func:`caspian.routing.layered.state_graph`).
    budget
        Work budget (default :data:`~caspian.routing.budget.LABEL_WORK` units).

    Returns
    -------
    tuple or None
        ``None`` when no simple path meets the constraints (proved by exhausting them).

    Raises
    ------
    SearchBudgetError
        When the budget is spent before the answer is proved.
    """
    g = query.graph
    work = budget or Budget(
        LABEL_WORK,
        Text(
            "a route that meets the required modes and via places without doubling back",
            "مسیری که شیوه‌های لازم و مکان‌های --via را بی‌بازگشت بپیماید",
        ),
        Text(
            "drop a required mode or a --via place, or narrow the search with --modes",
            "یک شیوهٔ لازم یا یک مکان --via را بردارید، یا جست‌وجو را با --modes تنگ‌تر کنید",
        ),
    )
    copies = sg.copies
    h = cost_to_go(query, sg)
    place_bit = {node: 1 << i for i, node in enumerate(g.network.nodes)}
    node_bit = [place_bit[n] for n in g.vertex_node]
    blocked = _separators(query, place_bit)
    n_groups = len(query.options.require_modes)
    target_cost = {int(t): float(c) for t, c in zip(sg.targets, query.target_cost, strict=True)}
    labels: list[_Label] = []
    at_state: dict[int, list[int]] = {}
    # Entries: (estimate, cost, sequence, label index, is_final); sequence breaks ties stably.
    heap: list[tuple[float, float, int, int, bool]] = []
    sequence = itertools.count()

    def push(cost: float, state: int, visited: int, parent: int, edge: int) -> None:
        estimate = cost + h[state]
        if not np.isfinite(estimate):
            return
        place = g.vertex_node[state // copies]
        mask = state % copies
        need = blocked[-1][place]
        for j, table in enumerate(blocked[:-1]):
            if not mask >> (n_groups + j) & 1:
                need |= table[place]
        if visited & need:
            return  # the rest of the route would have to pass a place already visited
        others = at_state.setdefault(state, [])
        work.spend(1 + 2 * len(others))
        for i in others:
            lab = labels[i]
            if lab.alive and lab.cost <= cost + 1e-9 and lab.visited & visited == lab.visited:
                return
        for i in others:
            lab = labels[i]
            if lab.alive and cost <= lab.cost + 1e-9 and visited & lab.visited == visited:
                lab.alive = False
        labels.append(_Label(cost, state, visited, parent, edge))
        others.append(len(labels) - 1)
        heapq.heappush(heap, (float(estimate), cost, next(sequence), len(labels) - 1, False))

    for s, c in zip(sg.sources, query.source_cost, strict=True):
        push(float(c), int(s), node_bit[int(s) // copies], -1, -1)
    while heap:
        _, cost, _, idx, final = heapq.heappop(heap)
        lab = labels[idx]
        if final:
            return cost, *_path(labels, idx, sg, copies)
        if not lab.alive:
            continue
        state = lab.state
        if state in target_cost:
            end = cost + target_cost[state]
            heapq.heappush(heap, (end, end, next(sequence), idx, True))
        u = state // copies
        here = g.vertex_node[u]
        for j in range(int(sg.fwd_indptr[state]), int(sg.fwd_indptr[state + 1])):
            se = int(sg.fwd_edges[j])
            w = float(sg.weights[se])
            if not np.isfinite(w):
                continue
            nxt = int(sg.dst[se])
            v = nxt // copies
            bit = node_bit[v]
            if g.vertex_node[v] != here and lab.visited & bit:
                continue
            push(cost + w, nxt, lab.visited | bit, idx, se)
    return None


def _separators(query: RouteQuery, place_bit: dict[str, int]) -> list[dict[str, int]]:
    """Per goal (each via place, then the destination) and place ``p``: the places every
    route from ``p`` to the goal must pass, as a bit set, the goal itself included.

    Computed on the undirected place graph of the allowed edges, so a route from ``p`` that
    has already visited one of them must come back to it: a label there can be dropped.
    """
    reach = place_reach(query)
    out: list[dict[str, int]] = []
    for goal in (*query.options.via_nodes, query.destination.id):
        connected = reach(goal, "")
        table = {p: 0 if p == goal else place_bit[goal] for p in place_bit}
        for c in sorted(connected - {goal}):
            cut = connected - reach(goal, c) - {c}
            for p in cut:
                table[p] |= place_bit[c]
        out.append(table)
    return out


def _path(labels: list[_Label], idx: int, sg: StateGraph, copies: int) -> tuple[int, list[int]]:
    """Start vertex and expanded-graph edges of the path ending at label ``idx``."""
    edges: list[int] = []
    cur = idx
    while labels[cur].parent >= 0:
        edges.append(int(sg.edge[labels[cur].edge]))
        cur = labels[cur].parent
    edges.reverse()
    return labels[cur].state // copies, edges
