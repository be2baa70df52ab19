"""Link flows as GeoJSON and CSV (data only; the caller writes the file)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from caspian.flows.build import DAYS_PER_YEAR
from caspian.flows.result import FlowResult, element_loads, link_tonnes
from caspian.routing.graph import MOVE

__all__ = ["FLOW_CSV_COLUMNS", "flow_rows", "flows_csv", "flows_geojson"]

FLOW_CSV_COLUMNS = (
    "link",
    "mode",
    "from",
    "to",
    "distance_km",
    "tonnes_per_year",
    "vehicles_per_day",
    "capacity_element",
    "utilisation",
    "delay_hours",
)


def flow_rows(result: FlowResult) -> list[dict[str, Any]]:
    """One row per network link and direction that carries freight, busiest first."""
    g = result.model.graph
    net = result.model.network
    payload = {key: m.vehicle_payload_t for key, m in net.mode_costs.items()}
    per: dict[tuple[str, str, str, str], float] = defaultdict(float)
    dist: dict[tuple[str, str, str, str], float] = {}
    for e, t_day in link_tonnes(result).items():
        if int(g.kind[e]) != MOVE:
            continue
        key = (g.link[e], g.mode[e], g.vertex_node[int(g.src[e])], g.vertex_node[int(g.dst[e])])
        per[key] += t_day
        dist[key] = float(g.distance_km[e])
    loads = {(e.place, e.direction): e for e in element_loads(result) if e.kind == "rail_line"}
    rows: list[dict[str, Any]] = []
    for (link, mode, a, b), t_day in per.items():
        load = loads.get((link, f"{a}>{b}"))
        vehicle_t = payload.get((mode, "dry_bulk"), 1.0)
        rows.append(
            {
                "link": link,
                "mode": mode,
                "from": a,
                "to": b,
                "distance_km": dist[(link, mode, a, b)],
                "tonnes_per_year": round(t_day * DAYS_PER_YEAR, 1),
                "vehicles_per_day": round(t_day / vehicle_t, 2),
                "capacity_element": load.element_id if load else "",
                "utilisation": round(load.utilisation, 4) if load else None,
                "delay_hours": round(load.delay_hours, 3) if load else None,
            }
        )
    rows.sort(key=lambda r: (-float(r["tonnes_per_year"]), str(r["link"]), str(r["from"])))
    return rows


def flows_geojson(result: FlowResult, *, settings: dict[str, Any]) -> dict[str, Any]:
    """A FeatureCollection of link flows (LineStrings) with the run's ``settings`` inside."""
    net = result.model.network
    features = []
    for row in flow_rows(result):
        a, b = net.nodes[row["from"]], net.nodes[row["to"]]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(a.lon, 6), round(a.lat, 6)],
                        [round(b.lon, 6), round(b.lat, 6)],
                    ],
                },
                "properties": row,
            }
        )
    return {"type": "FeatureCollection", "properties": settings, "features": features}


def flows_csv(result: FlowResult) -> str:
    """The link flows as CSV text (header first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FLOW_CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in flow_rows(result):
        writer.writerow({k: "" if row[k] is None else row[k] for k in FLOW_CSV_COLUMNS})
    return out.getvalue()
