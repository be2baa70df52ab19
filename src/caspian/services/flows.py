"""Flow assignment as a use case: load tables and scenario, assign, shape the results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caspian.errors import ValidationError
from caspian.flows import (
    METHODS,
    FlowResult,
    assign_flows,
    capacity_elements,
    element_loads,
    place_throughput,
)
from caspian.io.capacity import load_capacity
from caspian.io.demand import load_demand
from caspian.io.tables import load_network
from caspian.model.network import Network
from caspian.scenarios import apply_demand, apply_scenario, load_scenario

__all__ = ["element_dicts", "flow_summary", "place_dicts", "place_name", "run_flows"]


def place_name(network: Network, node_id: str, lang: str) -> str:
    """A node's name in ``lang`` (``en`` or ``fa``); the id itself for a non-node."""
    node = network.nodes.get(node_id)
    if node is None:
        return node_id
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def run_flows(
    *,
    data: Path | None,
    scenario: str | None,
    year: int | None,
    method: str,
    bound: str = "central",
    demand_path: Path | None = None,
    capacity_path: Path | None = None,
) -> FlowResult:
    """Load network, demand and capacity (a scenario applied to network and demand), assign.

    ``data`` is a folder of tables (default: the bundled ones); ``demand_path`` and
    ``capacity_path`` override its ``demand.csv`` and ``capacity.csv``.

    Raises
    ------
    ValidationError, DataError, ScenarioError
        A bad method or bound, bad tables, or a bad scenario — with what would be valid.
    """
    if method not in METHODS:
        raise ValidationError(f"--method must be one of {', '.join(METHODS)}; got '{method}'")
    if bound not in ("central", "low", "high"):
        raise ValidationError(f"--bound must be central, low or high; got '{bound}'")
    network = load_network(data)
    if scenario:
        network = apply_scenario(network, load_scenario(scenario))
    demand = load_demand(network, demand_path or data, year=year)
    if scenario:
        demand = apply_demand(demand, load_scenario(scenario))
    cap_file = capacity_path or (data / "capacity.csv" if data is not None else None)
    elements = capacity_elements(network, load_capacity(network, cap_file))
    return assign_flows(network, demand, elements, method=method, bound=bound)  # type: ignore[arg-type]


def flow_summary(result: FlowResult) -> dict[str, Any]:
    total = sum(f.tonnes_per_year for fs in result.model.od for f in fs)
    out: dict[str, Any] = {
        "method": result.method,
        "gap": result.gap,
        "iterations": result.iterations,
        "seconds": round(result.seconds, 3),
        "demand_tonnes_per_year": round(total, 1),
        "classes": list(result.model.classes),
        "unreachable": [
            {"class": c, "from": o, "to": d, "tonnes_per_year": round(t, 1)}
            for c, o, d, t in result.unreachable
        ],
    }
    if result.unmet_tonnes_per_year is not None:
        out["unmet_tonnes_per_year"] = {
            c: round(float(u), 1)
            for c, u in zip(result.model.classes, result.unmet_tonnes_per_year, strict=True)
        }
    return out


def element_dicts(result: FlowResult, network: Network, lang: str) -> list[dict[str, Any]]:
    rows = []
    for e in element_loads(result):
        name = place_name(network, e.place, lang) if e.place in network.nodes else e.place
        rows.append(
            {
                "element": e.element_id,
                "kind": e.kind,
                "place": e.place,
                "name": name,
                "direction": e.direction,
                "tonnes_per_year": round(e.tonnes_per_year, 1),
                "vehicles_per_day": round(e.vehicles_per_day, 2),
                "capacity_vehicles_per_day": round(e.capacity_vehicles_per_day, 2),
                "vehicle": e.vehicle,
                "utilisation": round(e.utilisation, 4),
                "delay_hours": round(e.delay_hours, 3),
                "queue_vehicles": round(e.queue_vehicles, 2),
                "shadow_price_usd_per_t": (
                    None if e.shadow_price_usd_per_t is None else round(e.shadow_price_usd_per_t, 4)
                ),
            }
        )
    return rows


def place_dicts(result: FlowResult, network: Network, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "place": p.place,
            "name": place_name(network, p.place, lang),
            "kind": p.kind,
            "tonnes_per_year": round(p.tonnes_per_year, 1),
            "trucks_per_day": round(p.vehicles_per_day, 1),
            "by": {k: round(v, 1) for k, v in p.by_part.items()},
        }
        for p in place_throughput(result)
    ]
