"""Result objects of the planner: legs, totals and the itinerary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Itinerary", "Leg", "Totals"]


@dataclass(frozen=True, slots=True)
class Leg:
    """One step of an itinerary, for the whole shipment.

    ``kind`` is ``load`` (at the origin), ``move`` (along links in one mode), ``transfer``
    (handling between modes or gauges), ``border`` (clearance at a land crossing) or
    ``unload`` (at the destination). Hours are split into moving, rest (drivers' daily
    rest on road legs), handling, border and waiting (for a sailing); ``cost_usd`` and
    ``co2e_kg`` are for all the tonnes shipped. A move is carried in ``vehicles`` billed
    units of ``vehicle`` (truck, wagon, teu, or parcel = tonnes on a ship); ``edges`` are
    the expanded-graph edges behind the leg.

    Emissions follow ISO 14083: a move's ``co2e_kg`` = ``co2e_g_per_tkm`` (well-to-wheel
    intensity of ``modes.csv``, cited in ``emission_source``) × ``distance_km`` ×
    ``distance_factor`` (road 1.05, sea 1.15 where the defaults exclude detours) × tonnes /
    1000; a transfer's is the hub emission of ``terminals.csv`` per tonne × tonnes.
    """

    kind: str
    mode: str
    from_node: str
    to_node: str
    distance_km: float
    moving_hours: float
    handling_hours: float
    border_hours: float
    waiting_hours: float
    cost_usd: float
    co2e_kg: float
    via: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    description: str = ""
    co2e_g_per_tkm: float = 0.0
    distance_factor: float = 1.0
    emission_source: str = ""
    rest_hours: float = 0.0
    vehicle: str = ""
    vehicles: float = 0.0
    edges: tuple[int, ...] = ()

    @property
    def hours(self) -> float:
        """All hours of the leg."""
        return (
            self.moving_hours
            + self.rest_hours
            + self.handling_hours
            + self.border_hours
            + self.waiting_hours
        )


@dataclass(frozen=True, slots=True)
class Totals:
    """Totals of an itinerary for the shipment, with per-tonne figures."""

    distance_km: float
    hours: float
    moving_hours: float
    handling_hours: float
    border_hours: float
    waiting_hours: float
    cost_usd: float
    co2e_kg: float
    time_value_usd: float
    carbon_cost_usd: float
    generalized_cost_usd: float
    tonnes: float
    rest_hours: float = 0.0

    @property
    def days(self) -> float:
        """Door-to-door days."""
        return self.hours / 24.0

    @property
    def cost_usd_per_t(self) -> float:
        """Money cost per tonne."""
        return self.cost_usd / self.tonnes

    @property
    def co2e_kg_per_t(self) -> float:
        """Emissions per tonne."""
        return self.co2e_kg / self.tonnes


@dataclass(frozen=True, slots=True)
class Itinerary:
    """A planned route: the legs and their totals."""

    origin: str
    destination: str
    cargo: str
    tonnes: float
    objective: str
    legs: tuple[Leg, ...]
    totals: Totals
    scenario: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def modes(self) -> tuple[str, ...]:
        """Distinct moving modes in order of first use."""
        seen: list[str] = []
        for leg in self.legs:
            if leg.kind == "move" and leg.mode not in seen:
                seen.append(leg.mode)
        return tuple(seen)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every node passed, in order, without repeats in a row."""
        out: list[str] = [self.origin]
        for leg in self.legs:
            for node in (*leg.via, leg.to_node):
                if node != out[-1]:
                    out.append(node)
        return tuple(out)

    def signature(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What makes two routes differ in substance: borders/ports/transfers and modes."""
        stops = tuple(
            f"{leg.kind}:{leg.from_node}:{leg.mode}"
            for leg in self.legs
            if leg.kind in ("transfer", "border")
        )
        return stops, self.modes

    def to_dict(self, *, names: dict[str, str] | None = None) -> dict[str, Any]:
        """A JSON-ready dictionary: ``legs`` and ``totals`` (schema in docs/cli.md)."""
        label = names or {}
        legs = []
        for leg in self.legs:
            row = asdict(leg)
            row["from"] = row.pop("from_node")
            row["to"] = row.pop("to_node")
            row["from_name"] = label.get(leg.from_node, leg.from_node)
            row["to_name"] = label.get(leg.to_node, leg.to_node)
            row["via"] = list(leg.via)
            row["links"] = list(leg.links)
            row["hours"] = leg.hours
            row.pop("edges")
            legs.append(row)
        t = self.totals
        totals = asdict(t)
        totals.update(days=t.days, cost_usd_per_t=t.cost_usd_per_t, co2e_kg_per_t=t.co2e_kg_per_t)
        return {
            "origin": self.origin,
            "destination": self.destination,
            "cargo": self.cargo,
            "tonnes": self.tonnes,
            "objective": self.objective,
            "scenario": self.scenario,
            "modes": list(self.modes),
            "notes": list(self.notes),
            "legs": legs,
            "totals": totals,
        }
