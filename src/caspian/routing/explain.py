"""Why no route exists, and which option would help."""

from __future__ import annotations

from dataclasses import replace

from caspian.routing.assemble import build_itinerary
from caspian.routing.budget import LABEL_WORK, Budget, SearchBudgetError
from caspian.routing.itinerary import Itinerary, Leg
from caspian.routing.options import RouteOptions
from caspian.routing.paths import best_path
from caspian.routing.query import RouteQuery, prepare_query

__all__ = ["explain_no_route"]


def explain_no_route(query: RouteQuery, *, too_slow: Itinerary | None = None) -> str:
    """Say why no route exists, and what option would help.

    Each relaxation (planned links, more modes, no required modes, no via places, longer
    road legs, fewer avoidances) is tried in turn; all of them share one work budget
    (:data:`~caspian.routing.budget.LABEL_WORK`), and the explanation stops trying once it
    is spent.
    """
    o, d = query.origin, query.destination
    head = f"No route from {o.name_en} ({o.id}) to {d.name_en} ({d.id})"
    opts = query.options
    budget = Budget(LABEL_WORK, "a route to explain the failure", "relax the options")
    if too_slow is not None:
        fastest = _try(query, "time", opts, budget)
        quickest = f"{fastest.totals.hours:.0f} h" if fastest else "unknown"
        why = (
            f" within {query.max_hours:.0f} h"
            + (
                f" (shelf life of {query.commodity.name_en}:"
                f" {query.commodity.max_transit_days:g} days)"
                if opts.max_transit_hours is None
                else ""
            )
            + f"; the fastest route takes {quickest}."
        )
        return head + why + " Raise --max-hours or choose a faster cargo class."
    relaxations: list[tuple[str, RouteOptions]] = []
    if not opts.include_planned:
        relaxations.append(("add --include-planned", replace(opts, include_planned=True)))
    if opts.modes is not None:
        relaxations.append(("allow more modes (--modes)", replace(opts, modes=None)))
    if opts.require_modes:
        relaxations.append(("drop the required modes", replace(opts, require_modes=())))
    if opts.via_nodes:
        relaxations.append(("drop the --via places", replace(opts, via_nodes=())))
    if opts.feeder_road_km is not None:
        relaxations.append(("allow longer road legs", replace(opts, feeder_road_km=None)))
    if opts.avoid_nodes or opts.avoid_countries:
        relaxations.append(
            (
                "avoid fewer places/countries",
                replace(opts, avoid_nodes=frozenset(), avoid_countries=frozenset()),
            )
        )
    for hint, relaxed in relaxations:
        found = _try(query, "generalized", relaxed, budget)
        if found is not None:
            detail = ""
            if hint.startswith("add --include-planned"):
                planned = [
                    leg for leg in found.legs if leg.kind == "move" and _uses_planned(query, leg)
                ]
                names = ", ".join(
                    f"the {_link_label(query, link)} {leg.mode} link"
                    for leg in planned
                    for link in leg.links
                    if query.graph.network.links[link].status == "planned"
                )
                detail = f": {names} is planned, not open" if names else ""
            mode_txt = ", ".join(found.modes)
            return f"{head} with these options{detail}; {hint} (a route exists via {mode_txt})."
    return f"{head}: the network does not connect them with the modes and links open today."


def _link_label(query: RouteQuery, link_id: str) -> str:
    link = query.graph.network.links[link_id]
    nodes = query.graph.network.nodes
    return f"{nodes[link.from_node].name_en}–{nodes[link.to_node].name_en}"


def _uses_planned(query: RouteQuery, leg: Leg) -> bool:
    return any(query.graph.network.links[x].status == "planned" for x in leg.links)


def _try(
    query: RouteQuery, objective: str, options: RouteOptions, budget: Budget
) -> Itinerary | None:
    """The route under relaxed options, or None (also when the shared budget is spent)."""
    relaxed = prepare_query(
        query.graph.network,
        query.origin.id,
        query.destination.id,
        cargo=query.commodity.id,
        tonnes=query.tonnes,
        objective=objective,
        options=options,
    )
    try:
        found = best_path(relaxed, budget=budget)
    except SearchBudgetError:
        return None
    return None if found is None else build_itinerary(relaxed, found[1], found[2])
