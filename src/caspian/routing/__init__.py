"""The planner: mode-expanded graph, shortest and constrained paths, mode families.

Front door: :func:`plan_route` (one best route) and :func:`compare_modes` (best per family).
Searches that can take exponential time run under work budgets
(:mod:`caspian.routing.budget`) and stop with :class:`SearchBudgetError`, never hang.
"""

from __future__ import annotations

from caspian.routing.budget import SearchBudgetError
from caspian.routing.families import FAMILIES, FamilyResult, ModeFamily, compare_modes
from caspian.routing.itinerary import Itinerary, Leg, Totals
from caspian.routing.options import RouteOptions
from caspian.routing.query import RouteQuery, prepare_query
from caspian.routing.solve import plan_route

__all__ = [
    "FAMILIES",
    "FamilyResult",
    "Itinerary",
    "Leg",
    "ModeFamily",
    "RouteOptions",
    "RouteQuery",
    "SearchBudgetError",
    "Totals",
    "compare_modes",
    "plan_route",
    "prepare_query",
]
