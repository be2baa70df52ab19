"""Planning use cases of the API: route, compare-modes, Pareto, TCD, indicators, exports.

Each function takes a network and a request body, calls the library's front door and returns
JSON-ready data; unknown places are re-raised with the request field they came from.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from caspian.api.errors import ApiError
from caspian.api.schemas import RouteBody, TcdBody
from caspian.errors import CaspianError, UnknownPlaceError

if TYPE_CHECKING:
    from caspian.model.network import Network
    from caspian.routing.itinerary import Itinerary, Leg
    from caspian.routing.search import RouteOptions
    from caspian.routing.uncertainty import Comparison
    from caspian.services.export import RouteEntry

__all__ = [
    "compare_modes_doc",
    "export_file",
    "indicators_doc",
    "pareto_doc",
    "route_doc",
    "route_json",
    "tcd_doc",
]


@contextlib.contextmanager
def library_errors(body: RouteBody) -> Iterator[None]:
    """Library errors as API errors; an unknown place names the field it came from."""
    try:
        yield
    except UnknownPlaceError as exc:
        raise ApiError.from_library(exc, field=_place_field(body, exc.query)) from None
    except CaspianError as exc:
        raise ApiError.from_library(exc) from None


def _place_field(body: RouteBody, query: str) -> str | None:
    if query == body.origin:
        return "from"
    if query == body.destination:
        return "to"
    for name, values in (("via", body.via), ("avoid", body.avoid)):
        if query in values:
            return name
    return None


def options_of(body: RouteBody, *, modes: bool = True) -> RouteOptions:
    """The planner's options from a request body."""
    from caspian.routing.search import RouteOptions

    return RouteOptions(
        modes=frozenset(body.modes) if modes and body.modes else None,
        avoid_countries=frozenset(c.upper() for c in body.avoid_country),
        avoid_nodes=frozenset(body.avoid) if modes else frozenset(),
        via_nodes=tuple(body.via) if modes else (),
        include_planned=body.include_planned,
        max_transit_hours=body.max_hours,
        carbon_price_usd_per_t_co2e=body.carbon_price,
    )


def _coords(network: Network, node_id: str) -> list[float] | None:
    node = network.nodes.get(node_id)
    return None if node is None else [round(node.lon, 6), round(node.lat, 6)]


def _leg_geometry(leg: Leg, network: Network) -> list[list[float]]:
    nodes = (leg.from_node, *leg.via, leg.to_node) if leg.kind == "move" else (leg.from_node,)
    return [c for c in (_coords(network, n) for n in nodes) if c is not None]


def route_json(it: Itinerary, network: Network, lang: str) -> dict[str, Any]:
    """An itinerary as the API returns it: legs with names in both languages and geometry."""
    from caspian.analysis.indicators import cpmm_indicators

    names = {
        n.id: (n.name_fa or n.name_en) if lang == "fa" else n.name_en
        for n in network.nodes.values()
    }
    doc = it.to_dict(names=names)
    for leg, row in zip(it.legs, doc["legs"], strict=True):
        for end, node_id in (("from", leg.from_node), ("to", leg.to_node)):
            node = network.nodes.get(node_id)
            row[f"{end}_name_en"] = node.name_en if node else node_id
            row[f"{end}_name_fa"] = (node.name_fa or node.name_en) if node else node_id
        row["geometry"] = _leg_geometry(leg, network)
    doc["cpmm"] = cpmm_indicators(it, network).to_dict()
    return doc


def _uncertainty(
    network: Network, itineraries: Sequence[Itinerary | None], body: RouteBody
) -> Comparison | None:
    if not body.uncertainty:
        return None
    from caspian.routing.uncertainty import compare_under_uncertainty

    return compare_under_uncertainty(
        network, list(itineraries), draws=body.uncertainty, seed=body.seed
    )


def _spread(comparison: Comparison | None, index: int) -> dict[str, object] | None:
    if comparison is None:
        return None
    from caspian.services.export import uncertainty_dict

    out = uncertainty_dict(comparison, index)
    if out is not None:
        out.pop("draws", None)
        out.pop("seed", None)
    return out


def plan_routes(network: Network, body: RouteBody) -> list[Itinerary]:
    """The best route, or the ``alternatives`` best that differ in substance."""
    from caspian.routing.search import plan_route

    options = options_of(body)
    common: dict[str, Any] = {
        "cargo": body.cargo,
        "tonnes": body.tonnes,
        "objective": body.objective,
        "options": options,
    }
    with library_errors(body):
        if body.alternatives:
            from caspian.routing.alternatives import alternative_routes

            return list(
                alternative_routes(
                    network, body.origin, body.destination, k=body.alternatives, **common
                )
            )
        return [plan_route(network, body.origin, body.destination, **common)]


def route_doc(
    network: Network, base: Network, body: RouteBody, *, scenario: bool
) -> tuple[dict[str, Any], list[Itinerary]]:
    """The ``POST /route`` response and the itineraries behind it."""
    found = plan_routes(network, body)
    with library_errors(body):
        comparison = _uncertainty(network, found, body)
        note = ""
        if scenario:
            from caspian.analysis.compare import explain_new_links, new_links

            opened = new_links(base, network, include_planned=body.include_planned)
            note = explain_new_links(
                network, found[0], opened, options=options_of(body), lang=body.lang
            )
    docs = [route_json(it, network, body.lang) for it in found]
    uncertainty = None
    if comparison is not None:
        uncertainty = {
            "draws": comparison.n,
            "seed": comparison.seed,
            "options": [_spread(comparison, i) for i in range(len(found))],
        }
    doc = {
        "query": body.echo(),
        "route": docs[0],
        "alternatives": docs[1:],
        "uncertainty": uncertainty,
        "scenario_note": note,
    }
    return doc, found


def compare_modes_doc(network: Network, body: RouteBody) -> tuple[dict[str, Any], list[RouteEntry]]:
    """The ``POST /compare-modes`` response and the export entries behind it."""
    from caspian.routing.families import compare_modes
    from caspian.services.export import RouteEntry

    with library_errors(body):
        results = compare_modes(
            network,
            body.origin,
            body.destination,
            cargo=body.cargo,
            tonnes=body.tonnes,
            objective=body.objective,
            options=options_of(body, modes=False),
        )
        comparison = _uncertainty(network, [r.itinerary for r in results], body)
    families = [
        {
            "family": r.family.name,
            "label": r.family.label,
            "route": None if r.itinerary is None else route_json(r.itinerary, network, body.lang),
            "reason": r.reason,
            "uncertainty": _spread(comparison, i),
        }
        for i, r in enumerate(results)
    ]
    entries = [RouteEntry(r.family.name, r.itinerary, r.reason) for r in results]
    return {"query": body.echo(), "families": families}, entries


def pareto_doc(network: Network, body: RouteBody) -> dict[str, Any]:
    """The ``POST /pareto`` response: routes not beaten on cost, time and CO2e at once."""
    from caspian.routing.pareto import pareto_front
    from caspian.routing.search import RouteOptions

    with library_errors(body):
        front = pareto_front(
            network,
            body.origin,
            body.destination,
            cargo=body.cargo,
            tonnes=body.tonnes,
            options=RouteOptions(include_planned=body.include_planned),
        )
    if not front:
        raise ApiError(
            422,
            "no_route",
            f"No route from {body.origin} to {body.destination} with these options.",
        )
    points = [
        {
            "cost_usd": it.totals.cost_usd,
            "days": it.totals.days,
            "co2e_kg": it.totals.co2e_kg,
            "route": route_json(it, network, body.lang),
        }
        for it in front
    ]
    return {"query": body.echo(), "points": points}


def tcd_doc(network: Network, body: TcdBody) -> dict[str, Any]:
    """The ``POST /tcd`` response: time/cost-distance series and CPMM indicators per route."""
    from caspian.analysis.charts import tcd_points
    from caspian.analysis.routesets import route_set
    from caspian.routing.search import RouteOptions

    with library_errors(body):
        routes = route_set(
            network,
            body.origin,
            body.destination,
            cargo=body.cargo,
            tonnes=body.tonnes,
            options=RouteOptions(include_planned=body.include_planned),
            specs=body.compare,
            alternatives=body.alternatives,
        )
        out = []
        for label, it in routes:
            doc = route_json(it, network, body.lang)
            out.append(
                {
                    "label": label,
                    "route": doc,
                    "points": [
                        {"km": p[0], "usd_per_t": p[1], "hours": p[2], "label": p[3]}
                        for p in tcd_points(it, network)
                    ],
                    "cpmm": doc["cpmm"],
                }
            )
    return {"query": body.echo(), "routes": out}


def indicators_doc(network: Network, scenario: str | None) -> dict[str, Any]:
    """CPMM indicators of the best route of each default corridor."""
    from caspian.analysis import DEFAULT_CORRIDORS
    from caspian.analysis.compare import plan_corridor, route_outline
    from caspian.analysis.indicators import cpmm_indicators

    rows = []
    for c in DEFAULT_CORRIDORS:
        try:
            it, reason = plan_corridor(network, c)
        except CaspianError as exc:  # a scenario closed a corridor's place
            it, reason = None, str(exc)
        rows.append(
            {
                "label": c.label,
                "from": c.origin,
                "to": c.destination,
                "cargo": c.cargo,
                "tonnes": c.tonnes,
                "route_outline": "" if it is None else route_outline(network, it),
                "totals": None if it is None else it.to_dict()["totals"],
                "cpmm": None if it is None else cpmm_indicators(it, network).to_dict(),
                "reason": reason,
            }
        )
    return {"scenario": scenario, "corridors": rows}


def export_file(
    fmt: str,
    entries: Sequence[RouteEntry],
    network: Network,
    body: RouteBody,
    *,
    command: str,
    data_version: str,
) -> bytes:
    """The GeoJSON or CSV file of ``entries``, with the query's settings inside (as ``-o``)."""
    from caspian import __version__
    from caspian.services.export import ExportQuery, to_csv, to_geojson

    first = next((e.itinerary for e in entries if e.itinerary is not None), None)
    if first is None:
        reason = entries[-1].reason if entries else "no route"
        raise ApiError(422, "no_route", reason)
    settings = body.echo()
    for key in ("from", "to", "cargo", "tonnes", "objective", "scenario", "lang"):
        settings.pop(key, None)
    query = ExportQuery(
        command=command,
        origin=first.origin,
        destination=first.destination,
        cargo=first.cargo,
        tonnes=body.tonnes,
        objective=body.objective,
        options=settings,
        scenario=body.scenario,
        data="bundled",
        data_version=data_version,
        caspian_version=__version__,
    )
    writer = to_geojson if fmt == "geojson" else to_csv
    return writer(entries, network, query, lang=body.lang)
