"""The planner's front door, kept for compatibility: re-exports from the modules that do it.

The work is split by responsibility:

- :mod:`caspian.routing.options`: :class:`RouteOptions` and its validation;
- :mod:`caspian.routing.query`: :func:`prepare_query` (places, cargo, weights, masks);
- :mod:`caspian.routing.layered`, :mod:`caspian.routing.elementary` and
  :mod:`caspian.routing.paths`: the best path under required modes and via places;
- :mod:`caspian.routing.assemble`: :func:`build_itinerary`;
- :mod:`caspian.routing.explain`: :func:`explain_no_route`;
- :mod:`caspian.routing.solve`: :func:`solve` and :func:`plan_route`;
- :mod:`caspian.routing.budget`: work budgets of the searches that can take exponential time.
"""

from __future__ import annotations

from caspian.routing.assemble import build_itinerary
from caspian.routing.budget import SearchBudgetError
from caspian.routing.explain import explain_no_route
from caspian.routing.options import MAX_SHIPMENT_T, RouteOptions
from caspian.routing.paths import best_path
from caspian.routing.query import LAYER_MODES, RouteQuery, prepare_query, required_bits
from caspian.routing.solve import plan_route, solve

__all__ = [
    "LAYER_MODES",
    "MAX_SHIPMENT_T",
    "RouteOptions",
    "RouteQuery",
    "SearchBudgetError",
    "best_path",
    "build_itinerary",
    "explain_no_route",
    "plan_route",
    "prepare_query",
    "required_bits",
    "solve",
]
