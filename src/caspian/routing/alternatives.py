"""K best routes that differ in substance: another border, port, transfer point or mode mix.

Lawler-style branching: solve, then for each substantive element of the route (a border
crossing, a port or transfer point, a mode) solve again with that element banned on top of
the bans that led there; candidates are taken cheapest first, and a candidate is kept only
when its signature (borders/transfers and mode sequence) is new.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from caspian.errors import NoRouteError, ValidationError
from caspian.model.network import MODES, Network
from caspian.model.places import resolve_place
from caspian.model.text import Text
from caspian.routing.budget import (
    ALTERNATIVES_SOLVES,
    LABEL_WORK,
    MAX_ALTERNATIVES,
    Budget,
    SearchBudgetError,
)
from caspian.routing.costs import Objective
from caspian.routing.itinerary import Itinerary
from caspian.routing.options import RouteOptions
from caspian.routing.query import prepare_query
from caspian.routing.solve import solve

__all__ = ["alternative_routes"]

Ban = tuple[frozenset[str], frozenset[str]]  # (nodes, modes)


def _elements(
    it: Itinerary, origin: str, destination: str, keep: frozenset[str]
) -> list[tuple[str, str]]:
    """What a child search may ban: places on the way (not the ends or ``keep``) and modes."""
    out: list[tuple[str, str]] = []
    for leg in it.legs:
        if leg.kind in ("border", "transfer"):
            out.append(("node", leg.from_node))
        if leg.kind == "move":
            out.append(("mode", leg.mode))
            out.extend(("node", v) for v in leg.via)
    fixed = {origin, destination} | keep
    seen: set[tuple[str, str]] = set()
    return [
        e
        for e in out
        if not (e[0] == "node" and e[1] in fixed) and not (e in seen or seen.add(e))  # type: ignore[func-returns-value]
    ]


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
    max_solves: int = ALTERNATIVES_SOLVES,
) -> list[Itinerary]:
    """Up to ``k`` routes, best first, each differing in substance from the ones before.

    The branching runs at most ``max_solves`` route searches, and all of them share one
    work budget (:data:`~caspian.routing.budget.LABEL_WORK`) for the searches that can
    take exponential time. Fewer than ``k`` routes come back when no more differ in
    substance; when a limit stopped the search first, the last route's notes say so.

    Raises
    ------
    NoRouteError
        When not even one route exists.
    SearchBudgetError
        When the shared work budget is spent before even the first route is proved.
    ValidationError
        For ``k`` outside 1–:data:`~caspian.routing.budget.MAX_ALTERNATIVES`,
        ``max_solves < 1`` or a bad option.
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_ALTERNATIVES:
        raise ValidationError(
            f"the number of alternatives must be a whole number from 1 to {MAX_ALTERNATIVES}; "
            f"got {k!r:.40}"
        )
    if isinstance(max_solves, bool) or not isinstance(max_solves, int) or max_solves < 1:
        raise ValidationError(f"max_solves must be a whole number ≥ 1; got {max_solves!r:.40}")
    base = options or RouteOptions()
    budget = Budget(
        LABEL_WORK,
        Text("{k} alternative routes", "{k} مسیر جایگزین", k=k),
        Text(
            "ask for fewer alternatives, or drop required modes or --via places",
            "جایگزین‌های کمتری بخواهید، یا شیوه‌های لازم یا مکان‌های --via را بردارید",
        ),
    )

    def search(opts: RouteOptions) -> Itinerary:
        query = prepare_query(
            network,
            origin,
            destination,
            cargo=cargo,
            tonnes=tonnes,
            objective=objective,
            options=opts,
        )
        return solve(query, budget=budget)

    first = search(base)
    o, d = first.origin, first.destination
    keep = frozenset(resolve_place(network, v).id for v in base.via_nodes)
    out: list[Itinerary] = []
    seen_sig: set[object] = set()
    tried: set[Ban] = set()
    counter = 0
    heap: list[tuple[float, int, Ban, Itinerary]] = [
        (first.totals.generalized_cost_usd, counter, (frozenset(), frozenset()), first)
    ]
    solves = 1
    stopped: str = ""
    all_modes = set(base.modes or MODES)
    while heap and len(out) < k:
        _, _, ban, it = heapq.heappop(heap)
        sig = it.signature()
        if sig not in seen_sig:
            seen_sig.add(sig)
            out.append(it)
        for kind, value in _elements(it, o, d, keep):
            if stopped:
                break
            nodes, modes = ban
            child: Ban = (nodes | {value}, modes) if kind == "node" else (nodes, modes | {value})
            if child in tried:
                continue
            if solves >= max_solves:
                stopped = Text(
                    "its limit of {n} route searches", "سقف {n} جست‌وجوی مسیر", n=max_solves
                )
                break
            tried.add(child)
            allowed = all_modes - child[1]
            if not allowed:
                continue
            opts = replace(base, avoid_nodes=base.avoid_nodes | child[0], modes=frozenset(allowed))
            solves += 1
            try:
                alt = search(opts)
            except SearchBudgetError:
                stopped = Text(
                    "its work budget of {n:,} units", "بودجهٔ کار {n:,} واحدی", n=budget.limit
                )
                break
            except NoRouteError:
                continue
            counter += 1
            heapq.heappush(heap, (alt.totals.generalized_cost_usd, counter, child, alt))
    if stopped and len(out) < k:
        note = Text(
            "only {n} of the {k} alternatives asked for: the search for more stopped at "
            "{stopped}; ask for fewer, or drop required modes or --via places",
            "تنها {n} از {k} گزینهٔ خواسته‌شده: جست‌وجوی بیشتر در {stopped} متوقف شد؛ "
            "گزینهٔ کمتری بخواهید، یا شیوه‌های الزامی یا مکان‌های ‎--via را بردارید",
            n=len(out),
            k=k,
            stopped=stopped,
        )
        out[-1] = replace(out[-1], notes=(*out[-1].notes, note))
    return out
