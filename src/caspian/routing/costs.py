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
    """Per-tonne cost components of every edge for one shipment (cargo class and size).

    ``hours`` is the sum of ``moving_hours`` (driving or sailing), ``rest_hours`` (drivers'
    daily rest), ``handling_hours``, ``border_hours`` and ``waiting_hours`` (for a sailing).
    """

    money_usd_per_t: FloatArray
    hours: FloatArray
    co2e_kg_per_t: FloatArray
    value_of_time_usd_per_t_hour: float
    carbon_price_usd_per_t_co2e: float
    moving_hours: FloatArray | None = None
    rest_hours: FloatArray | None = None
    handling_hours: FloatArray | None = None
    border_hours: FloatArray | None = None
    waiting_hours: FloatArray | None = None

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
    graph: ExpandedGraph,
    commodity: Commodity,
    *,
    tonnes: float = 1.0,
    carbon_price_usd_per_t_co2e: float = 0.0,
    factors: FloatArray | None = None,
) -> EdgeCosts:
    """Cost components of every edge for a shipment of ``tonnes`` of ``commodity``.

    Parameters
    ----------
    graph
        The expanded graph.
    commodity
        What is shipped (its cargo class picks the rates, its value the value of time).
    tonnes
        Shipment size: vehicles are billed whole (or as groupage), when-loaded ships wait
        for the rest of their payload, consignment fees are shared by the tonnes.
    carbon_price_usd_per_t_co2e
        Adds CO2e to the generalized cost.
    factors
        Multipliers of the graph's parameters (index 0 is 1.0; ``len(graph.params) + 1``
        values), e.g. one Monte Carlo draw or calibrated values; ``None``: the tables'.
    """
    ci = CARGO_CLASSES.index(commodity.cargo_class)
    f = np.ones(len(graph.params) + 1) if factors is None else factors
    vpt = graph.vehicles_per_t(tonnes)[ci]
    vehicle = graph.vehicle_mode
    per_vehicle = np.where(vehicle >= 0, vpt[np.maximum(vehicle, 0)], 0.0)
    money = (
        graph.money_usd_per_t[ci]
        + graph.money_usd_per_vehicle[ci] * per_vehicle * f[graph.param_cost]
        + graph.money_usd_per_consignment[ci] / tonnes
    )
    speed = f[graph.param_speed]
    moving = graph.moving_hours[ci] * speed
    rest = graph.rest_hours[ci] * speed
    handling = graph.handling_hours[ci] * f[graph.param_handling]
    border = (
        graph.border_hours[ci] * f[graph.param_border]
        + graph.border2_hours[ci] * f[graph.param_border2]
    )
    waiting = graph.wait_hours(tonnes)[ci] * f[graph.param_wait]
    return EdgeCosts(
        money_usd_per_t=money,
        hours=moving + rest + handling + border + waiting,
        co2e_kg_per_t=graph.co2e_kg_per_t[ci],
        value_of_time_usd_per_t_hour=commodity.value_of_time_usd_per_t_hour,
        carbon_price_usd_per_t_co2e=carbon_price_usd_per_t_co2e,
        moving_hours=moving,
        rest_hours=rest,
        handling_hours=handling,
        border_hours=border,
        waiting_hours=waiting,
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
