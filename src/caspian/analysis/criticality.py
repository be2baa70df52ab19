"""Criticality: remove each link, border crossing and port in turn; rank by the relative
increase in each corridor's generalized cost and by corridors disconnected.

Only elements on a corridor's current best route can change it, so each corridor is
re-solved only for the elements its route uses, with the element's edges masked out of the
prepared query (no graph rebuild).

The ranking is relative so that a corridor's size does not decide it: a 20 t tea corridor
that loses 40 % to a detour counts for more than a 1,000 t wheat corridor that loses 2 %,
although the wheat's extra dollars are larger. The absolute extra cost is kept as a column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from caspian.analysis.corridors import Corridor
from caspian.errors import ValidationError
from caspian.model.network import Network
from caspian.model.text import Text, mode_name, node_name
from caspian.routing.graph import BORDER, MOVE
from caspian.routing.search import RouteOptions, RouteQuery, best_path, prepare_query

__all__ = ["RANKINGS", "CorridorImpact", "CriticalElement", "criticality"]


@dataclass(frozen=True, slots=True)
class CorridorImpact:
    """What losing one element does to one corridor whose best route uses it."""

    corridor: str
    base_generalized_cost_usd: float
    after_generalized_cost_usd: float | None  # None: the corridor is cut
    increase_pct: float | None  # None: the corridor is cut

    @property
    def cut(self) -> bool:
        """True when no route is left."""
        return self.after_generalized_cost_usd is None


@dataclass(slots=True)
class CriticalElement:
    """What removing one element costs the corridors.

    ``extra_cost_usd`` is the extra generalized cost in USD summed over the corridors that
    stay connected (large shipments weigh more); ``mean_increase_pct`` is the mean over all
    ``corridors_connected`` corridors analysed that keep a route (0 for those the element is
    not on) of the percentage increase in each corridor's generalized cost, and
    ``max_increase_pct`` the largest such increase.
    """

    kind: str  # link, border, port
    id: str
    name: str
    extra_cost_usd: float = 0.0
    disconnected: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    mean_increase_pct: float = 0.0
    max_increase_pct: float = 0.0
    corridors_affected: int = 0
    corridors_cut: int = 0
    corridors_connected: int = 0
    impacts: list[CorridorImpact] = field(default_factory=list)


def _by_mean(r: CriticalElement) -> tuple[float, ...]:
    return (-r.corridors_cut, -r.mean_increase_pct, -r.max_increase_pct, -r.extra_cost_usd)


def _by_max(r: CriticalElement) -> tuple[float, ...]:
    return (-r.corridors_cut, -r.max_increase_pct, -r.mean_increase_pct, -r.extra_cost_usd)


def _by_usd(r: CriticalElement) -> tuple[float, ...]:
    return (-r.corridors_cut, -r.extra_cost_usd, -r.mean_increase_pct)


RANKINGS: dict[str, Callable[[CriticalElement], tuple[float, ...]]] = {
    "mean": _by_mean,
    "max": _by_max,
    "usd": _by_usd,
}
"""Ranking rules: corridors cut first, then the mean (``mean``) or the largest (``max``)
percentage increase in generalized cost over the corridors, or the extra USD (``usd``, the
old absolute rule, dominated by the largest shipments)."""


def _elements_of_path(q: RouteQuery, edges: Sequence[int]) -> set[tuple[str, str]]:
    g = q.graph
    nodes = g.network.nodes
    out: set[tuple[str, str]] = set()
    for e in edges:
        if g.kind[e] == MOVE and g.link[e]:
            out.add(("link", g.link[e]))
        if g.kind[e] == BORDER:
            out.add(("border", g.vertex_node[int(g.src[e])]))
        for v in (int(g.src[e]), int(g.dst[e])):
            node = g.vertex_node[v]
            if nodes[node].kind == "port":
                out.add(("port", node))
    return out


def _banned_edges(q: RouteQuery, kind: str, element: str) -> np.ndarray:
    g = q.graph
    if kind == "link":
        return np.array([x == element for x in g.link])
    at = np.array([n == element for n in g.vertex_node])
    return np.asarray(at[g.src] | at[g.dst], dtype=np.bool_)


def _display_name(network: Network, kind: str, element: str) -> str:
    """The element's name: a :class:`~caspian.model.text.Text`, English that keeps Persian."""
    if kind != "link":
        return Text("{name}", "{name}", name=node_name(network.nodes[element]))
    link = network.links[element]
    nodes = network.nodes
    return Text(
        "{a}–{z} {mode}",
        "{mode} {a}–{z}",
        a=node_name(nodes[link.from_node]),
        z=node_name(nodes[link.to_node]),
        mode=mode_name(link.mode),
    )


def criticality(
    network: Network,
    corridors: Sequence[Corridor],
    *,
    options: RouteOptions | None = None,
    rank_by: str = "mean",
) -> list[CriticalElement]:
    """Rank links, border crossings and ports by what their loss costs the corridors.

    Parameters
    ----------
    network
        The network.
    corridors
        The flows to analyse; a corridor without a route at all is skipped.
    options
        Route options applied to every corridor.
    rank_by
        ``mean`` (default): corridors cut, then the mean percentage increase in generalized
        cost over the corridors that keep a route, then the largest increase; ``max``: the
        largest increase before the mean; ``usd``: the extra generalized cost in USD summed
        over the corridors (favours the largest shipments).

    Returns
    -------
    list of CriticalElement
        Largest impact first; ties are broken by kind and id. Elements that are a corridor's
        own origin or destination are not removed for that corridor.

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a corridor naming an unknown place or cargo, or an unknown ``rank_by``.
    """
    if rank_by not in RANKINGS:
        raise ValidationError(f"rank_by must be one of {', '.join(RANKINGS)}; got {rank_by!r}")
    results: dict[tuple[str, str], CriticalElement] = {}
    masks: dict[tuple[int, tuple[str, str]], np.ndarray] = {}
    routed = 0
    for c in corridors:
        q = prepare_query(
            network, c.origin, c.destination, cargo=c.cargo, tonnes=c.tonnes, options=options
        )
        base = best_path(q)
        if base is None:
            continue
        routed += 1
        base_cost = base[0] * c.tonnes
        for kind, element in sorted(_elements_of_path(q, base[2])):
            if element in (q.origin.id, q.destination.id):
                continue
            key = (kind, element)
            if key not in results:
                results[key] = CriticalElement(kind, element, _display_name(network, kind, element))
            mkey = (id(q.graph), key)
            if mkey not in masks:
                masks[mkey] = _banned_edges(q, kind, element)
            weights = q.weights.copy()
            weights[masks[mkey]] = np.inf
            found = best_path(replace(q, weights=weights))
            res = results[key]
            res.affected.append(c.label)
            if found is None:
                res.disconnected.append(c.label)
                res.impacts.append(CorridorImpact(c.label, base_cost, None, None))
                continue
            after = found[0] * c.tonnes
            res.extra_cost_usd += after - base_cost
            pct = 100.0 * (after - base_cost) / base_cost if base_cost > 0 else 0.0
            res.impacts.append(CorridorImpact(c.label, base_cost, after, pct))
    for res in results.values():
        res.corridors_affected = len(res.affected)
        res.corridors_cut = len(res.disconnected)
        res.corridors_connected = routed - res.corridors_cut
        pcts = [i.increase_pct for i in res.impacts if i.increase_pct is not None]
        res.max_increase_pct = max(pcts, default=0.0)
        res.mean_increase_pct = (
            sum(pcts) / res.corridors_connected if res.corridors_connected else 0.0
        )
    order = RANKINGS[rank_by]
    return sorted(results.values(), key=lambda r: (*order(r), r.kind, r.id))
