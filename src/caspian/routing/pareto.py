"""Exact Pareto front of routes over (money, time, CO2e)."""

from __future__ import annotations

import numpy as np

from caspian.model.network import CARGO_CLASSES, Network
from caspian.model.text import Text
from caspian.routing.assemble import build_itinerary
from caspian.routing.budget import LABEL_WORK, Budget
from caspian.routing.itinerary import Itinerary
from caspian.routing.labels import pareto_labels
from caspian.routing.options import RouteOptions
from caspian.routing.paths import needs_walk
from caspian.routing.query import RouteQuery, prepare_query

__all__ = ["pareto_front", "pareto_front_of_query"]


def pareto_front_of_query(
    query: RouteQuery, *, max_labels: int = 200_000, work: int = LABEL_WORK
) -> list[Itinerary]:
    """The non-dominated routes of a prepared query (its masks apply; objective ignored).

    With required modes or via places only routes that never come back to a place count,
    unless a via place can only be reached and left the same way (then walks do).

    Raises
    ------
    SearchBudgetError
        When the front is not complete after ``max_labels`` labels or ``work`` units.
    """
    g = query.graph
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    costs = query.costs
    banned = ~query.allowed
    criteria = [
        np.where(banned, np.inf, costs.money_usd_per_t),
        np.where(banned, np.inf, costs.hours),
        np.where(banned, np.inf, costs.co2e_kg_per_t),
    ]
    src_cost = [
        g.load_usd_per_t[ci][query.sources],
        g.load_hours[ci][query.sources],
        np.zeros(query.sources.size),
    ]
    tgt_cost = [
        g.load_usd_per_t[ci][query.targets],
        g.load_hours[ci][query.targets],
        np.zeros(query.targets.size),
    ]
    limit = query.max_hours
    found = pareto_labels(
        query,
        criteria,
        src_cost,
        tgt_cost,
        max_hours=limit,
        hours_index=1 if limit is not None else None,
        max_labels=max_labels,
        elementary=query.n_constraints > 0 and not needs_walk(query),
        budget=Budget(
            work,
            Text("the Pareto front (cost, time, CO2e)", "جبههٔ پارتو (هزینه، زمان، CO2e)"),
            Text(
                "narrow it with --modes, --avoid or --max-hours, or fewer required modes and "
                "--via places",
                "آن را با --modes، --avoid یا --max-hours یا شیوه‌های لازم و مکان‌های --via "
                "کمتر تنگ‌تر کنید",
            ),
        ),
    )
    return [build_itinerary(query, start, edges) for _, start, edges in found]


def pareto_front(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    options: RouteOptions | None = None,
) -> list[Itinerary]:
    """Every route not beaten on all of cost, time and CO2e at once.

    Parameters
    ----------
    network, origin, destination, cargo, tonnes, options
        As for :func:`~caspian.routing.solve.plan_route`.

    Returns
    -------
    list of Itinerary
        Sorted by money cost (cheapest first); the fastest is last among equals in cost.
        The search is exact (Martins' multi-criteria label setting); routes with identical
        (cost, time, CO2e) are reported once.
    """
    query = prepare_query(network, origin, destination, cargo=cargo, tonnes=tonnes, options=options)
    return pareto_front_of_query(query)
