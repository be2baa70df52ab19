"""Solving a prepared query, and the planner's front door :func:`plan_route`."""

from __future__ import annotations

from caspian.errors import NoRouteError
from caspian.model.network import Network
from caspian.routing.assemble import build_itinerary
from caspian.routing.budget import Budget
from caspian.routing.costs import Objective
from caspian.routing.explain import explain_no_route
from caspian.routing.itinerary import Itinerary
from caspian.routing.labels import constrained_best
from caspian.routing.layered import revisits
from caspian.routing.options import RouteOptions
from caspian.routing.paths import best_path
from caspian.routing.query import RouteQuery, prepare_query

__all__ = ["plan_route", "solve"]


def plan_route(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    objective: str | Objective = "generalized",
    options: RouteOptions | None = None,
) -> Itinerary:
    """Plan the best multimodal route for a shipment.

    Parameters
    ----------
    network
        From :func:`caspian.load_network` (possibly with a scenario applied).
    origin, destination
        Node ids, or names in English or Persian, or aliases.
    cargo
        Commodity id or name (``wheat``, ``tea``, ``cut_flowers`` ...).
    tonnes
        Shipment size in tonnes (> 0).
    objective
        ``generalized`` (money + value of time [+ carbon price]), ``cost``, ``time``,
        ``co2``, or a callable over :class:`~caspian.routing.costs.EdgeCosts`.
    options
        Modes, avoidances, planned links, transit-time limit, carbon price.

    Returns
    -------
    Itinerary
        Legs and totals for the whole shipment.

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a bad place, cargo, mode, country or number.
    NoRouteError
        When nothing connects origin and destination under the options; the message says why.
        Its subclass :class:`~caspian.routing.budget.SearchBudgetError` when a search that
        can take exponential time spent its work budget.

    Examples
    --------
    >>> from caspian import load_network
    >>> net = load_network()
    >>> route = plan_route(net, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    >>> route.totals.cost_usd > 0 and route.legs[0].kind == "load"
    True
    """
    query = prepare_query(
        network,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        objective=objective,
        options=options,
    )
    return solve(query)


def solve(query: RouteQuery, *, budget: Budget | None = None) -> Itinerary:
    """Solve a prepared query, honouring its transit-time limit.

    ``budget`` caps the work of the searches that can take exponential time (default: a
    fresh :data:`~caspian.routing.budget.LABEL_WORK` for each).
    """
    found = best_path(query, budget=budget)
    if found is None:
        raise NoRouteError(explain_no_route(query))
    itinerary = build_itinerary(query, found[1], found[2])
    limit = query.max_hours
    if limit is not None and itinerary.totals.hours > limit:
        walk = bool(revisits(query.graph, found[1], found[2]))
        constrained = constrained_best(
            query,
            max_hours=limit,
            elementary=query.n_constraints > 0 and not walk,
            budget=budget,
        )
        if constrained is None:
            raise NoRouteError(explain_no_route(query, too_slow=itinerary))
        itinerary = build_itinerary(query, constrained[0], constrained[1])
    return itinerary
