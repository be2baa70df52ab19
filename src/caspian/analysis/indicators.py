"""CAREC Corridor Performance Measurement and Monitoring (CPMM) indicators of a route.

TFI1 hours to clear each border crossing; TFI2 cost at each crossing; TFI3 cost per
corridor section (between crossings); TFI4 speed without delay (SWOD: distance over moving
hours) and with delay (SWD: distance over all hours). Sea legs between countries count
their export and import clearance as a crossing at the arrival port.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from caspian.model.network import Network
from caspian.routing.itinerary import Itinerary

__all__ = ["CorridorIndicators", "Crossing", "Section", "cpmm_indicators"]


@dataclass(frozen=True, slots=True)
class Crossing:
    """TFI1 and TFI2 at one crossing (land border or international port call)."""

    node: str
    name: str
    mode: str
    hours: float
    cost_usd: float
    cost_usd_per_t: float


@dataclass(frozen=True, slots=True)
class Section:
    """TFI3: one stretch between crossings."""

    start: str
    end: str
    distance_km: float
    cost_usd: float
    cost_usd_per_t: float
    hours: float


@dataclass(frozen=True, slots=True)
class CorridorIndicators:
    """All CPMM indicators of a route."""

    crossings: tuple[Crossing, ...]
    sections: tuple[Section, ...]
    swod_kmh: float
    swd_kmh: float
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the CPMM names."""
        return {
            "tfi1_border_hours": [
                {"node": c.node, "name": c.name, "mode": c.mode, "hours": c.hours}
                for c in self.crossings
            ],
            "tfi2_border_cost": [
                {
                    "node": c.node,
                    "name": c.name,
                    "cost_usd": c.cost_usd,
                    "cost_usd_per_t": c.cost_usd_per_t,
                }
                for c in self.crossings
            ],
            "tfi3_section_cost": [asdict(s) for s in self.sections],
            "tfi4_swod_kmh": self.swod_kmh,
            "tfi4_swd_kmh": self.swd_kmh,
            "notes": list(self.notes),
        }


def cpmm_indicators(it: Itinerary, network: Network) -> CorridorIndicators:
    """Compute TFI1–TFI4 for an itinerary."""
    crossings: list[Crossing] = []
    sections: list[Section] = []
    t = it.tonnes
    start = it.origin
    sec_km = sec_cost = sec_h = 0.0
    for leg in it.legs:
        if leg.kind == "border" or (leg.kind == "move" and leg.border_hours > 0):
            node = leg.from_node if leg.kind == "border" else leg.to_node
            fee = leg.cost_usd if leg.kind == "border" else 0.0
            if leg.kind == "move":
                sec_km += leg.distance_km
                sec_cost += leg.cost_usd
                sec_h += leg.hours - leg.border_hours
            sections.append(Section(start, node, sec_km, sec_cost, sec_cost / t, sec_h))
            crossings.append(
                Crossing(
                    node, network.nodes[node].name_en, leg.mode, leg.border_hours, fee, fee / t
                )
            )
            start, sec_km, sec_cost, sec_h = node, 0.0, 0.0, 0.0
            continue
        sec_km += leg.distance_km
        sec_cost += leg.cost_usd
        sec_h += leg.hours
    sections.append(Section(start, it.destination, sec_km, sec_cost, sec_cost / t, sec_h))
    tot = it.totals
    notes = []
    if any(leg.kind == "move" and leg.border_hours > 0 for leg in it.legs):
        notes.append("sea crossings: port fees are inside the sea leg's cost (TFI2 shows 0)")
    return CorridorIndicators(
        crossings=tuple(crossings),
        sections=tuple(s for s in sections if s.distance_km > 0 or s.cost_usd > 0),
        swod_kmh=tot.distance_km / tot.moving_hours if tot.moving_hours else 0.0,
        swd_kmh=tot.distance_km / tot.hours if tot.hours else 0.0,
        notes=tuple(notes),
    )
