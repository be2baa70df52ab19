"""The flow model against reality: modelled throughput beside published figures.

Each ``throughput`` observation of ``observations.csv`` (a series, when the same quantity was
published for several years) names a place, a direction (``both`` or ``IR>AZ``…), a family
(road, rail, sea) and a unit. The modelled value is read off the assignment in that unit:
trucks a day at road borders (tonnes ÷ a truck's payload ÷ 365; loaded trucks only), wagons
a day at rail borders (÷ a wagon's payload), tonnes a year at rail borders and ports (ship,
ferry and truck-ferry tonnes loaded plus unloaded). TEU figures are not compared (the model
carries tonnes of containers, not boxes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from caspian.calibration.observations import Observation
from caspian.flows.build import DAYS_PER_YEAR
from caspian.flows.result import FlowResult, link_tonnes
from caspian.model.network import WATER_MODES
from caspian.routing.graph import BORDER, MOVE

__all__ = ["FACTOR_GOAL", "ThroughputCheck", "throughput_check"]

FACTOR_GOAL = 1.5
"""Issue #9's goal: most modelled throughputs within a factor of 1.5 of the published ones."""


@dataclass(frozen=True)
class ThroughputCheck:
    """One published throughput beside the model."""

    observation: Observation
    model: float | None
    reason: str

    @property
    def factor(self) -> float | None:
        """How many times off the model is from the nearest end of the published range."""
        if self.model is None:
            return None
        low, high = self.observation.band
        if low <= self.model <= high:
            return 1.0
        if self.model <= 0:
            return math.inf
        return max(low / self.model, self.model / high)

    @property
    def within_goal(self) -> bool | None:
        """Whether the model is within :data:`FACTOR_GOAL` of the published range."""
        f = self.factor
        return None if f is None else f <= FACTOR_GOAL


def _payloads(result: FlowResult) -> tuple[float, float]:
    costs = result.model.network.mode_costs
    truck = costs[("road", "dry_bulk")].vehicle_payload_t if ("road", "dry_bulk") in costs else 20
    wagon = costs[("rail", "dry_bulk")].vehicle_payload_t if ("rail", "dry_bulk") in costs else 60
    return float(truck), float(wagon)


def _modelled(result: FlowResult, o: Observation) -> tuple[float | None, str]:
    g = result.model.graph
    truck_t, wagon_t = _payloads(result)
    if o.unit == "teu_per_year":
        return None, "TEU not compared (the model carries tonnes)"
    total = 0.0
    for e, t_day in link_tonnes(result).items():
        a, b = int(g.src[e]), int(g.dst[e])
        kind = int(g.kind[e])
        if kind == BORDER and g.vertex_node[a] == o.place:
            if o.family not in ("", "any") and g.mode[e] != o.family:
                continue
            direction = f"{g.vertex_side[a]}>{g.vertex_side[b]}"
            if o.direction not in ("", "both") and direction != o.direction:
                continue
            total += t_day
        elif (
            kind == MOVE
            and g.mode[e] in WATER_MODES
            and o.place
            in (
                g.vertex_node[a],
                g.vertex_node[b],
            )
        ):
            total += t_day
    if o.unit == "t_per_year":
        return total * DAYS_PER_YEAR, ""
    if o.unit == "trucks_per_day":
        return total / truck_t, "loaded trucks only"
    if o.unit == "wagons_per_day":
        return total / wagon_t, "loaded wagons only"
    return None, f"unit {o.unit} not compared"


def throughput_check(
    result: FlowResult, observations: Sequence[Observation]
) -> list[ThroughputCheck]:
    """Every throughput observation at a place of the network, with the model's value."""
    out = []
    for o in observations:
        if o.kind != "throughput" or o.place not in result.model.network.nodes:
            continue
        value, reason = _modelled(result, o)
        out.append(ThroughputCheck(o, value, reason))
    return out
