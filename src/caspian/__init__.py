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

__version__ = "0.1.0"

__all__ = [
    "CaspianError",
    "DataError",
    "NoRouteError",
    "ScenarioError",
    "UnknownPlaceError",
    "ValidationError",
    "__version__",
]
