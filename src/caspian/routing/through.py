"""The best route forced through given links: why a new link is (not) used.

Two shortest-path trees answer it exactly for every candidate edge at once: one forward
from the origin, one backward from the destination (on the reversed graph). The best
route through edge ``e = (u, v)`` costs ``forward[u] + w[e] + backward[v]``; the cheapest
such edge over all edges of the links gives the forced route, which is then priced like
any itinerary so it can be set beside the planner's choice.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from caspian.routing.itinerary import Itinerary
from caspian.routing.kernels import shortest_tree, tree_path
from caspian.routing.search import RouteQuery, build_itinerary

__all__ = ["best_through_links"]

_EMPTY = np.empty(0, dtype=np.int64)


def _root(pred: NDArray[np.int64], tail: NDArray[np.int64], v: int) -> int:
    while pred[v] >= 0:
        v = int(tail[int(pred[v])])
    return v


def best_through_links(query: RouteQuery, link_ids: Iterable[str]) -> Itinerary | None:
    """Cheapest route of ``query`` (its objective) that uses at least one of ``link_ids``.

    Parameters
    ----------
    query
        A prepared query (:func:`caspian.routing.search.prepare_query`).
    link_ids
        Ids of links of the network; edges of other links are ignored.

    Returns
    -------
    Itinerary or None
        ``None`` when no allowed route can use any of the links.

    Examples
    --------
    >>> from caspian import load_network
    >>> from caspian.routing.search import prepare_query
    >>> net = load_network()
    >>> q = prepare_query(net, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    >>> r = best_through_links(q, ["sea_aktau_anzali"])
    >>> r is None or "sea_aktau_anzali" in {link for leg in r.legs for link in leg.links}
    True
    """
    wanted = set(link_ids)
    g = query.graph
    candidates = np.array(
        [e for e, link in enumerate(g.link) if link in wanted and np.isfinite(query.weights[e])],
        dtype=np.int64,
    )
    if candidates.size == 0 or query.sources.size == 0 or query.targets.size == 0:
        return None
    fwd, fwd_pred = shortest_tree(
        g.fwd_indptr, g.fwd_edges, g.dst, query.weights, query.sources, query.source_cost, _EMPTY
    )
    bwd, bwd_pred = shortest_tree(
        g.rev_indptr, g.rev_edges, g.src, query.weights, query.targets, query.target_cost, _EMPTY
    )
    through = fwd[g.src[candidates]] + query.weights[candidates] + bwd[g.dst[candidates]]
    best = int(np.argmin(through))
    if not np.isfinite(through[best]):
        return None
    e = int(candidates[best])
    u, v = int(g.src[e]), int(g.dst[e])
    head = tree_path(fwd_pred, g.src, u)
    tail = list(reversed(tree_path(bwd_pred, g.dst, v)))
    start = _root(fwd_pred, g.src, u)
    return build_itinerary(query, start, [*head, e, *tail])
