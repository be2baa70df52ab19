"""Caspian Gateway: plan, compare and simulate freight through Gilan's Caspian corridors."""

from __future__ import annotations

from caspian.errors import (
    CaspianError,
    DataError,
    NoRouteError,
    ScenarioError,
    UnknownPlaceError,
    ValidationError,
)
from caspian.io.tables import load_network
from caspian.model.places import search_places
from caspian.routing import RouteOptions, compare_modes, plan_route

__version__ = "0.1.0"

__all__ = [
    "CaspianError",
    "DataError",
    "NoRouteError",
    "RouteOptions",
    "ScenarioError",
    "UnknownPlaceError",
    "ValidationError",
    "__version__",
    "compare_modes",
    "load_network",
    "plan_route",
    "search_places",
]
