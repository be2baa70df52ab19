"""Objectives and per-query edge weights over the expanded graph.

An objective is a registered name (``generalized``, ``cost``, ``time``, ``co2``) or a
callable taking :class:`EdgeCosts` and returning one weight per edge (NetworkX ``weight=``
style); one mechanism serves money, time, CO2 and bans (an ``inf`` weight bans an edge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from caspian.errors import ValidationError
from caspian.model.network import CARGO_CLASSES, Commodity
from caspian.routing.graph import ExpandedGraph, FloatArray

__all__ = ["OBJECTIVES", "EdgeCosts", "Objective", "edge_costs", "objective_weights"]

# Ties between equal-money routes are broken by time (and vice versa) with a tiny weight.
_TIE = 1e-6


@dataclass(frozen=True, slots=True)
class EdgeCosts:
    """Per-tonne cost components of every edge for one cargo class and commodity."""

    money_usd_per_t: FloatArray
    hours: FloatArray
    co2e_kg_per_t: FloatArray
    value_of_time_usd_per_t_hour: float
    carbon_price_usd_per_t_co2e: float

    def generalized(self) -> FloatArray:
        """Money + value of time × hours + carbon price × CO2e, per tonne."""
        return (
            self.money_usd_per_t
            + self.value_of_time_usd_per_t_hour * self.hours
            + self.carbon_price_usd_per_t_co2e * self.co2e_kg_per_t / 1000.0
        )


Objective = Callable[[EdgeCosts], FloatArray]

OBJECTIVES: dict[str, Objective] = {
    "generalized": EdgeCosts.generalized,
    "cost": lambda c: c.money_usd_per_t + _TIE * c.hours,
    "time": lambda c: c.hours + _TIE * c.money_usd_per_t,
    "co2": lambda c: c.co2e_kg_per_t + _TIE * c.money_usd_per_t,
}


def edge_costs(
    graph: ExpandedGraph, commodity: Commodity, *, carbon_price_usd_per_t_co2e: float = 0.0
) -> EdgeCosts:
    """Cost components of every edge for ``commodity``."""
    ci = CARGO_CLASSES.index(commodity.cargo_class)
    return EdgeCosts(
        money_usd_per_t=graph.money_usd_per_t[ci],
        hours=graph.total_hours()[ci],
        co2e_kg_per_t=graph.co2e_kg_per_t[ci],
        value_of_time_usd_per_t_hour=commodity.value_of_time_usd_per_t_hour,
        carbon_price_usd_per_t_co2e=carbon_price_usd_per_t_co2e,
    )


def objective_weights(objective: str | Objective, costs: EdgeCosts) -> FloatArray:
    """Edge weights for ``objective`` (a registered name or a callable).

    Raises
    ------
    ValidationError
        For an unknown name (the message lists the valid ones) or a callable whose result
        has the wrong shape or negative/NaN weights.
    """
    if isinstance(objective, str):
        if objective not in OBJECTIVES:
            raise ValidationError(
                f"Unknown objective '{objective}'. Valid objectives: {', '.join(OBJECTIVES)}."
            )
        func = OBJECTIVES[objective]
    else:
        func = objective
    weights = np.asarray(func(costs), dtype=np.float64)
    if weights.shape != costs.hours.shape:
        raise ValidationError(
            f"objective returned shape {weights.shape}; expected {costs.hours.shape}"
        )
    if np.isnan(weights).any() or (weights < 0).any():
        raise ValidationError("objective weights must be ≥ 0 (use inf to ban an edge)")
    return weights
