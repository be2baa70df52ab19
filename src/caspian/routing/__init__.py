"""The planner: mode-expanded graph, shortest and constrained paths, mode families.

Front door: :func:`plan_route` (one best route) and :func:`compare_modes` (best per family).
"""

from __future__ import annotations

from caspian.routing.families import FAMILIES, FamilyResult, ModeFamily, compare_modes
from caspian.routing.itinerary import Itinerary, Leg, Totals
from caspian.routing.search import RouteOptions, RouteQuery, plan_route, prepare_query

__all__ = [
    "FAMILIES",
    "FamilyResult",
    "Itinerary",
    "Leg",
    "ModeFamily",
    "RouteOptions",
    "RouteQuery",
    "Totals",
    "compare_modes",
    "plan_route",
    "prepare_query",
]
