"""Caspian Gateway: plan, compare and simulate freight through Gilan's Caspian corridors.

The front-door names below are imported on first use (PEP 562), so ``import caspian`` and
the command line's ``--help`` stay fast: numpy, numba and the planner load only when a
command needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from caspian.errors import (
    CaspianError,
    DataError,
    NoRouteError,
    ScenarioError,
    UnknownPlaceError,
    ValidationError,
)

if TYPE_CHECKING:
    from caspian.io.tables import load_network
    from caspian.model.places import search_places
    from caspian.routing import RouteOptions, compare_modes, plan_route

__version__ = "0.1.0"

_LAZY = {
    "load_network": "caspian.io.tables",
    "search_places": "caspian.model.places",
    "RouteOptions": "caspian.routing",
    "compare_modes": "caspian.routing",
    "plan_route": "caspian.routing",
}

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


def __getattr__(name: str) -> Any:
    """Import a front-door name on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'caspian' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
