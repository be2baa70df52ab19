"""What a scenario moves: two flow assignments side by side."""

from __future__ import annotations

from dataclasses import dataclass

from caspian.flows.result import FlowResult, element_loads, mode_tonne_km, place_throughput

__all__ = ["FlowChange", "FlowComparison", "compare_flows", "total_cost_usd_per_year"]


@dataclass(frozen=True)
class FlowChange:
    """Tonnes a year at one place (port or border) or of one mode, before and after."""

    key: str
    kind: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        """After − before."""
        return self.after - self.before


@dataclass(frozen=True)
class FlowComparison:
    """Changes between a base and a scenario assignment, largest first."""

    places: tuple[FlowChange, ...]
    modes_tonne_km: tuple[FlowChange, ...]
    elements: tuple[FlowChange, ...]
    base_cost_usd_per_year: float
    scenario_cost_usd_per_year: float


def _changes(
    before: dict[str, float], after: dict[str, float], kind: str
) -> tuple[FlowChange, ...]:
    keys = sorted(set(before) | set(after))
    out = [FlowChange(k, kind, before.get(k, 0.0), after.get(k, 0.0)) for k in keys]
    out = [c for c in out if abs(c.delta) > 1e-6 or c.before > 0]
    out.sort(key=lambda c: (-abs(c.delta), c.key))
    return tuple(out)


def total_cost_usd_per_year(result: FlowResult) -> float:
    """Generalized cost of all flows a year at the result's link times (USD)."""
    p = result.model.problem
    vehicles = (p.pce[:, None] * result.class_flow).sum(axis=0)
    return float((p.class_cost(vehicles) * result.class_flow).sum() * 365.0)


def compare_flows(base: FlowResult, scenario: FlowResult) -> FlowComparison:
    """Per place, per mode (tonne-km) and per capacity element: before, after, change."""

    def places(r: FlowResult) -> dict[str, float]:
        return {f"{p.place}": p.tonnes_per_year for p in place_throughput(r)}

    def elements(r: FlowResult) -> dict[str, float]:
        return {f"{e.element_id} {e.direction}": e.tonnes_per_year for e in element_loads(r)}

    return FlowComparison(
        places=_changes(places(base), places(scenario), "place"),
        modes_tonne_km=_changes(mode_tonne_km(base), mode_tonne_km(scenario), "mode"),
        elements=_changes(elements(base), elements(scenario), "element"),
        base_cost_usd_per_year=total_cost_usd_per_year(base),
        scenario_cost_usd_per_year=total_cost_usd_per_year(scenario),
    )
