"""Criticality: remove each link, border crossing and port in turn; rank by the increase in
generalized cost over the corridors and by corridors disconnected.

Only elements on a corridor's current best route can change it, so each corridor is
re-solved only for the elements its route uses, with the element's edges masked out of the
prepared query (no graph rebuild).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from caspian.analysis.corridors import Corridor
from caspian.model.network import Network
from caspian.routing.graph import BORDER, MOVE
from caspian.routing.search import RouteOptions, RouteQuery, best_path, prepare_query

__all__ = ["CriticalElement", "criticality"]


@dataclass(slots=True)
class CriticalElement:
    """What removing one element costs the corridors."""

    kind: str  # link, border, port
    id: str
    name: str
    extra_cost_usd: float = 0.0
    disconnected: list[str] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)


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


def criticality(
    network: Network,
    corridors: Sequence[Corridor],
    *,
    options: RouteOptions | None = None,
) -> list[CriticalElement]:
    """Rank links, border crossings and ports by what their loss costs the corridors.

    Returns
    -------
    list of CriticalElement
        Sorted by corridors disconnected, then extra generalized cost (USD, summed over the
        corridors that stay connected), largest first. Elements that are a corridor's own
        origin or destination are not removed for that corridor.

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a corridor naming an unknown place or cargo.
    """
    results: dict[tuple[str, str], CriticalElement] = {}
    masks: dict[tuple[int, tuple[str, str]], np.ndarray] = {}
    for c in corridors:
        q = prepare_query(
            network, c.origin, c.destination, cargo=c.cargo, tonnes=c.tonnes, options=options
        )
        base = best_path(q)
        if base is None:
            continue
        base_cost = base[0] * c.tonnes
        for kind, element in sorted(_elements_of_path(q, base[2])):
            if element in (q.origin.id, q.destination.id):
                continue
            key = (kind, element)
            if key not in results:
                name = (
                    network.links[element].id if kind == "link" else network.nodes[element].name_en
                )
                if kind == "link":
                    link = network.links[element]
                    name = (
                        f"{network.nodes[link.from_node].name_en}–"
                        f"{network.nodes[link.to_node].name_en} {link.mode}"
                    )
                results[key] = CriticalElement(kind, element, name)
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
            else:
                res.extra_cost_usd += found[0] * c.tonnes - base_cost
    return sorted(
        results.values(),
        key=lambda r: (-len(r.disconnected), -r.extra_cost_usd, r.kind, r.id),
    )
