"""Results export: planned routes as GeoJSON or CSV, with the query's settings inside.

Pure functions from itineraries to bytes, so the command line (``-o FILE``) and, later, a
web API produce the same files:

- :func:`to_geojson`: a ``FeatureCollection`` with one feature per leg (a ``LineString``
  through the leg's places for moves, a ``Point`` for loading, transfers and borders),
  a top-level ``query`` member (origin, destination, tonnes, cargo, objective, options,
  scenario, data version) and a ``routes`` member with each route's totals;
- :func:`to_csv`: one row per leg, the query's settings repeated as leading columns so
  each row stands alone in a spreadsheet or a database.

:func:`export_format` picks the format from the file suffix and refuses any other.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caspian.errors import ValidationError

if TYPE_CHECKING:
    from caspian.model.network import Network
    from caspian.routing.itinerary import Itinerary, Leg
    from caspian.routing.uncertainty import Comparison

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ExportQuery",
    "RouteEntry",
    "data_version",
    "export_bytes",
    "export_format",
    "to_csv",
    "to_geojson",
]

FORMATS = {".geojson": "geojson", ".csv": "csv"}
"""File suffix → export format."""


@dataclass(frozen=True, slots=True)
class ExportQuery:
    """The settings a result was planned with (all plain values, JSON-ready)."""

    command: str
    origin: str
    destination: str
    cargo: str
    tonnes: float
    objective: str
    options: Mapping[str, Any] = field(default_factory=dict)
    scenario: str | None = None
    data: str = "bundled"
    data_version: str = ""
    caspian_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``from`` / ``to`` as in the command line)."""
        return {
            "command": self.command,
            "from": self.origin,
            "to": self.destination,
            "cargo": self.cargo,
            "tonnes": self.tonnes,
            "objective": self.objective,
            "options": dict(self.options),
            "scenario": self.scenario,
            "data": self.data,
            "data_version": self.data_version,
            "caspian_version": self.caspian_version,
        }


@dataclass(frozen=True, slots=True)
class RouteEntry:
    """One route of a result: its label, the itinerary, or why there is none."""

    label: str
    itinerary: Itinerary | None
    reason: str = ""


def export_format(path: Path) -> str:
    """``geojson`` or ``csv`` from ``path``'s suffix; a :class:`ValidationError` otherwise."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            f"-o {path}: the format comes from the file suffix; use .geojson or .csv "
            f"(got '{path.suffix or 'no suffix'}')"
        )
    return fmt


def data_version(folder: Path | None) -> str:
    """A short fingerprint (SHA-256, 12 hex digits) of the network tables in ``folder``.

    ``None`` means the bundled data. Two results with the same fingerprint were planned
    on byte-identical tables.
    """
    from caspian.io.tables import BUNDLED_DATA_DIR

    base = BUNDLED_DATA_DIR if folder is None else Path(folder)
    digest = hashlib.sha256()
    for path in sorted(base.glob("*.csv")):
        if path.name == "observations.csv":
            continue
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _coords(network: Network, node_id: str) -> list[float] | None:
    node = network.nodes.get(node_id)
    if node is None:
        return None
    return [round(node.lon, 6), round(node.lat, 6)]


def _geometry(leg: Leg, network: Network) -> dict[str, Any] | None:
    if leg.kind != "move":
        point = _coords(network, leg.from_node)
        return None if point is None else {"type": "Point", "coordinates": point}
    line = [_coords(network, n) for n in (leg.from_node, *leg.via, leg.to_node)]
    found = [c for c in line if c is not None]
    if len(found) < 2:
        return None
    return {"type": "LineString", "coordinates": found}


def _name(network: Network, node_id: str, lang: str) -> str:
    node = network.nodes.get(node_id)
    if node is None:
        return node_id
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def _leg_record(leg: Leg, network: Network, lang: str) -> dict[str, Any]:
    return {
        "kind": leg.kind,
        "mode": leg.mode,
        "from": leg.from_node,
        "to": leg.to_node,
        "from_name": _name(network, leg.from_node, lang),
        "to_name": _name(network, leg.to_node, lang),
        "via": list(leg.via),
        "distance_km": round(leg.distance_km, 3),
        "hours": round(leg.hours, 4),
        "moving_hours": round(leg.moving_hours, 4),
        "rest_hours": round(leg.rest_hours, 4),
        "handling_hours": round(leg.handling_hours, 4),
        "border_hours": round(leg.border_hours, 4),
        "waiting_hours": round(leg.waiting_hours, 4),
        "cost_usd": round(leg.cost_usd, 2),
        "co2e_kg": round(leg.co2e_kg, 3),
        "links": list(leg.links),
    }


def _totals(it: Itinerary) -> dict[str, Any]:
    t = it.totals
    return {
        "distance_km": round(t.distance_km, 3),
        "hours": round(t.hours, 4),
        "days": round(t.days, 4),
        "cost_usd": round(t.cost_usd, 2),
        "cost_usd_per_t": round(t.cost_usd_per_t, 4),
        "co2e_kg": round(t.co2e_kg, 3),
        "generalized_cost_usd": round(t.generalized_cost_usd, 2),
        "modes": list(it.modes),
    }


def to_geojson(
    routes: Sequence[RouteEntry], network: Network, query: ExportQuery, *, lang: str = "en"
) -> bytes:
    """The routes as a GeoJSON ``FeatureCollection`` (RFC 7946, lon/lat WGS 84), UTF-8."""
    features: list[dict[str, Any]] = []
    summary: list[dict[str, Any]] = []
    for r_index, entry in enumerate(routes, 1):
        it = entry.itinerary
        summary.append(
            {
                "route": r_index,
                "label": entry.label,
                "totals": None if it is None else _totals(it),
                "reason": entry.reason,
            }
        )
        if it is None:
            continue
        for l_index, leg in enumerate(it.legs, 1):
            props = {"route": r_index, "label": entry.label, "leg": l_index}
            props.update(_leg_record(leg, network, lang))
            features.append(
                {"type": "Feature", "geometry": _geometry(leg, network), "properties": props}
            )
    doc = {
        "type": "FeatureCollection",
        "query": query.to_dict(),
        "routes": summary,
        "features": features,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


CSV_COLUMNS = (
    "command",
    "from",
    "to",
    "cargo",
    "tonnes",
    "objective",
    "options",
    "scenario",
    "data",
    "data_version",
    "caspian_version",
    "route",
    "label",
    "leg",
    "kind",
    "mode",
    "from_node",
    "to_node",
    "from_name",
    "to_name",
    "via",
    "distance_km",
    "hours",
    "moving_hours",
    "rest_hours",
    "handling_hours",
    "border_hours",
    "waiting_hours",
    "cost_usd",
    "co2e_kg",
    "links",
)
"""Columns of the CSV export: the query's settings, then the route and the leg."""


def to_csv(
    routes: Sequence[RouteEntry], network: Network, query: ExportQuery, *, lang: str = "en"
) -> bytes:
    """One row per leg with the query's settings as leading columns, UTF-8.

    ``options`` is a compact JSON object; ``via`` and ``links`` are ``;``-separated ids.
    A route without an itinerary gets one row with ``kind`` = ``no route`` and the reason
    in ``to_name``.
    """
    q = query.to_dict()
    head = [
        q["command"],
        q["from"],
        q["to"],
        q["cargo"],
        f"{query.tonnes:g}",
        q["objective"],
        json.dumps(q["options"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        q["scenario"] or "",
        q["data"],
        q["data_version"],
        q["caspian_version"],
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r_index, entry in enumerate(routes, 1):
        it = entry.itinerary
        if it is None:
            writer.writerow(
                [*head, r_index, entry.label, 0, "no route", "", "", "", "", entry.reason]
                + [""] * (len(CSV_COLUMNS) - len(head) - 9)
            )
            continue
        for l_index, leg in enumerate(it.legs, 1):
            rec = _leg_record(leg, network, lang)
            writer.writerow(
                [
                    *head,
                    r_index,
                    entry.label,
                    l_index,
                    rec["kind"],
                    rec["mode"],
                    rec["from"],
                    rec["to"],
                    rec["from_name"],
                    rec["to_name"],
                    ";".join(rec["via"]),
                    rec["distance_km"],
                    rec["hours"],
                    rec["moving_hours"],
                    rec["rest_hours"],
                    rec["handling_hours"],
                    rec["border_hours"],
                    rec["waiting_hours"],
                    rec["cost_usd"],
                    rec["co2e_kg"],
                    ";".join(rec["links"]),
                ]
            )
    return buf.getvalue().encode("utf-8")


def export_bytes(
    path: Path,
    routes: Sequence[RouteEntry],
    network: Network,
    query: ExportQuery,
    *,
    lang: str = "en",
) -> bytes:
    """The export of ``routes`` in the format ``path``'s suffix names."""
    if export_format(path) == "geojson":
        return to_geojson(routes, network, query, lang=lang)
    return to_csv(routes, network, query, lang=lang)


def uncertainty_dict(comparison: Comparison, index: int) -> dict[str, object] | None:
    """JSON form of one option's Monte Carlo outcome."""
    spread = comparison.spreads[index]
    if spread is None:
        return None
    return {
        "draws": comparison.n,
        "seed": comparison.seed,
        "cost_usd": {
            "p10": spread.cost_usd.p10,
            "p50": spread.cost_usd.p50,
            "p90": spread.cost_usd.p90,
        },
        "days": {"p10": spread.days.p10, "p50": spread.days.p50, "p90": spread.days.p90},
        "co2e_kg": {
            "p10": spread.co2e_kg.p10,
            "p50": spread.co2e_kg.p50,
            "p90": spread.co2e_kg.p90,
        },
        "p_cheapest": spread.p_cheapest,
        "p_fastest": spread.p_fastest,
    }
