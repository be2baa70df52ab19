"""K best routes that differ in substance: another border, port, transfer point or mode mix.

Lawler-style branching: solve, then for each substantive element of the route (a border
crossing, a port or transfer point, a mode) solve again with that element banned on top of
the bans that led there; candidates are taken cheapest first, and a candidate is kept only
when its signature (borders/transfers and mode sequence) is new.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from caspian.errors import NoRouteError
from caspian.model.network import MODES, Network
from caspian.routing.costs import Objective
from caspian.routing.itinerary import Itinerary
from caspian.routing.search import RouteOptions, plan_route

__all__ = ["alternative_routes"]

Ban = tuple[frozenset[str], frozenset[str]]  # (nodes, modes)


def _elements(it: Itinerary, origin: str, destination: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for leg in it.legs:
        if leg.kind in ("border", "transfer") and leg.from_node not in (origin, destination):
            out.append(("node", leg.from_node))
        if leg.kind == "move":
            out.append(("mode", leg.mode))
            out.extend(("node", v) for v in leg.via)
    seen: set[tuple[str, str]] = set()
    return [e for e in out if not (e in seen or seen.add(e))]  # type: ignore[func-returns-value]


def alternative_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    k: int = 3,
    objective: str | Objective = "generalized",
    options: RouteOptions | None = None,
    max_solves: int = 150,
) -> list[Itinerary]:
    """Up to ``k`` routes, best first, each differing in substance from the ones before.

    Raises
    ------
    NoRouteError
        When not even one route exists.
    ValidationError
        For ``k < 1`` or a bad option.
    """
    from caspian.errors import ValidationError

    if k < 1:
        raise ValidationError(f"the number of alternatives must be ≥ 1; got {k}")
    base = options or RouteOptions()
    first = plan_route(
        network, origin, destination, cargo=cargo, tonnes=tonnes, objective=objective, options=base
    )
    o, d = first.origin, first.destination
    out: list[Itinerary] = []
    seen_sig: set[object] = set()
    tried: set[Ban] = set()
    counter = 0
    heap: list[tuple[float, int, Ban, Itinerary]] = [
        (first.totals.generalized_cost_usd, counter, (frozenset(), frozenset()), first)
    ]
    solves = 1
    all_modes = set(base.modes or MODES)
    while heap and len(out) < k:
        _, _, ban, it = heapq.heappop(heap)
        sig = it.signature()
        if sig not in seen_sig:
            seen_sig.add(sig)
            out.append(it)
        for kind, value in _elements(it, o, d):
            nodes, modes = ban
            child: Ban = (nodes | {value}, modes) if kind == "node" else (nodes, modes | {value})
            if child in tried or solves >= max_solves:
                continue
            tried.add(child)
            allowed = all_modes - child[1]
            if not allowed:
                continue
            opts = replace(base, avoid_nodes=base.avoid_nodes | child[0], modes=frozenset(allowed))
            solves += 1
            try:
                alt = plan_route(
                    network,
                    origin,
                    destination,
                    cargo=cargo,
                    tonnes=tonnes,
                    objective=objective,
                    options=opts,
                )
            except NoRouteError:
                continue
            counter += 1
            heapq.heappush(heap, (alt.totals.generalized_cost_usd, counter, child, alt))
    return out
