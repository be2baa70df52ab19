"""The best path of a prepared query: plain Dijkstra, or the constrained search.

With required modes or via places the cheapest walk on the layered state graph
(:mod:`caspian.routing.layered`) comes first; it is the answer when it never comes back to
a place it has left. Otherwise the cheapest simple route is sought
(:mod:`caspian.routing.elementary`, under a work budget). Where no simple route exists
because a via place can only be reached and left the same way (proved cheaply, or by the
search running dry), the walk itself is the honest answer: the route goes there and comes
back, and the itinerary says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from caspian.routing.budget import Budget
from caspian.routing.elementary import best_simple_route
from caspian.routing.kernels import best_route
from caspian.routing.layered import best_walk, no_simple_route, revisits, state_graph
from caspian.routing.query import RouteQuery

__all__ = ["best_path", "needs_walk"]


def best_path(
    query: RouteQuery, *, budget: Budget | None = None
) -> tuple[float, int, Sequence[int]] | None:
    """Cheapest path (weight, source vertex, edges) honouring the constraints; None if none.

    Raises
    ------
    SearchBudgetError
        When the constrained search spends ``budget`` (default: its own
        :data:`~caspian.routing.budget.LABEL_WORK`) before proving its answer.
    """
    g = query.graph
    if query.sources.size == 0 or query.targets.size == 0:
        return None
    if query.n_constraints:
        return _best_constrained(query, budget)
    cost, start, edges = best_route(
        g.fwd_indptr,
        g.fwd_edges,
        g.dst,
        g.src,
        query.weights,
        query.sources,
        query.source_cost,
        query.targets,
        query.target_cost,
    )
    if cost == np.inf:
        return None
    return cost, start, edges  # type: ignore[return-value]  # int64 array acts as Sequence[int]


def needs_walk(query: RouteQuery) -> bool:
    """Whether the query's via places prove that no route avoids doubling back."""
    return bool(query.options.via_nodes) and no_simple_route(query)


def _best_constrained(
    query: RouteQuery, budget: Budget | None
) -> tuple[float, int, Sequence[int]] | None:
    sg = state_graph(query)
    walk = best_walk(query, sg)
    if walk is None:
        return None
    if not revisits(query.graph, walk[1], walk[2]) or needs_walk(query):
        return walk
    simple = best_simple_route(query, sg, budget=budget)
    if simple is None and query.options.via_nodes:
        return walk  # no simple route through the via places exists: go there and back
    return simple
