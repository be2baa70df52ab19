"""Reading endpoints (no token): health, places, cargo, network, planning, report."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from caspian.api.deps import DbSession, State, scenario_network
from caspian.api.schemas import RouteBody, TcdBody

__all__ = ["router"]

router = APIRouter()

Format = Literal["json", "geojson", "csv"]
_MEDIA = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8"}
ScenarioQuery = Annotated[
    str | None,
    Query(max_length=200, description="Built-in scenario name or saved scenario id."),
]


class FastJSON(JSONResponse):
    """JSON written straight with :func:`json.dumps` (the documents here are plain dicts and
    lists), skipping FastAPI's per-value encoder, which costs as much as planning a route."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def _format(request: Request, fmt: Format | None) -> str:
    if fmt is not None:
        return fmt
    accept = request.headers.get("accept", "")
    if "application/geo+json" in accept:
        return "geojson"
    if "text/csv" in accept:
        return "csv"
    return "json"


def _download(data: bytes, fmt: str, stem: str) -> Response:
    return Response(
        content=data,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


@router.get("/health")
def health(state: State) -> dict[str, Any]:
    """Server status, version, database backend and the data's fingerprint."""
    from caspian import __version__

    return {
        "status": "ok",
        "version": __version__,
        "database": state.database,
        "data_version": state.networks.data_version,
    }


@router.get("/places")
def places(
    state: State,
    q: Annotated[str, Query(max_length=200, description="Any spelling, English or Persian.")] = "",
    limit: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> list[dict[str, Any]]:
    """Find places by English or Persian name or alias (tolerant of spelling)."""
    from caspian.model.places import search_places

    network = state.networks.base
    n = limit or (10 if q.strip() else len(network.nodes))
    return [m.to_dict() for m in search_places(network, q, limit=n)]


@router.get("/cargo")
def cargo(state: State) -> list[dict[str, Any]]:
    """The cargo types (commodities) with their class, value and shelf life."""
    commodities = sorted(
        state.networks.base.commodities.values(), key=lambda c: (c.cargo_class, c.id)
    )
    return [
        {
            "id": c.id,
            "name_en": c.name_en,
            "name_fa": c.name_fa,
            "cargo_class": c.cargo_class,
            "hs_code": c.hs_code,
            "value_usd_per_t": c.value_usd_per_t,
            "value_of_time_pct_per_day": c.value_of_time_pct_per_day,
            "max_transit_days": c.max_transit_days,
            "estimate": c.estimate,
            "source": c.source,
        }
        for c in commodities
    ]


@router.get("/network")
def network_geojson(state: State, session: DbSession, scenario: ScenarioQuery = None) -> Any:
    """The network as GeoJSON: nodes (points) and links (lines), with borders and services."""
    from caspian.api.geo import network_features

    network, _ = scenario_network(state, session, scenario)
    return FastJSON(network_features(network))


@router.post(
    "/route",
    responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}},
)
def route(
    body: RouteBody,
    request: Request,
    state: State,
    session: DbSession,
    format: Annotated[Format | None, Query(description="json, geojson or csv.")] = None,
) -> Any:
    """Plan the best route (and alternatives) for a shipment, with every option of the CLI."""
    from caspian.api.planning import export_file, route_doc

    fmt = _format(request, format)
    network, resolved = scenario_network(state, session, body.scenario)
    doc, found = route_doc(network, state.networks.base, body, scenario=resolved is not None)
    if fmt == "json":
        return FastJSON(doc)
    from caspian.services.export import RouteEntry

    entries = [
        RouteEntry(f"alternative {i}" if body.alternatives else "route", it)
        for i, it in enumerate(found, 1)
    ]
    data = export_file(
        fmt,
        entries,
        network,
        body,
        command="route",
        data_version=state.networks.data_version,
    )
    return _download(data, fmt, "route")


@router.post(
    "/compare-modes",
    responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}},
)
def compare_modes(
    body: RouteBody,
    request: Request,
    state: State,
    session: DbSession,
    format: Annotated[Format | None, Query(description="json, geojson or csv.")] = None,
) -> Any:
    """Best route per mode family (road, rail, rail + sea, road + sea, any), side by side."""
    from caspian.api.planning import compare_modes_doc, export_file

    fmt = _format(request, format)
    network, _ = scenario_network(state, session, body.scenario)
    doc, entries = compare_modes_doc(network, body)
    if fmt == "json":
        return FastJSON(doc)
    data = export_file(
        fmt,
        entries,
        network,
        body,
        command="compare-modes",
        data_version=state.networks.data_version,
    )
    return _download(data, fmt, "compare-modes")


@router.post("/pareto")
def pareto(body: RouteBody, state: State, session: DbSession) -> Any:
    """The exact set of routes not beaten on cost, time and CO2e at once."""
    from caspian.api.planning import pareto_doc

    network, _ = scenario_network(state, session, body.scenario)
    return FastJSON(pareto_doc(network, body))


@router.post("/tcd")
def tcd(body: TcdBody, state: State, session: DbSession) -> Any:
    """UN ESCAP time/cost-distance series of one or several routes, with CPMM indicators."""
    from caspian.api.planning import tcd_doc

    network, _ = scenario_network(state, session, body.scenario)
    return FastJSON(tcd_doc(network, body))


@router.get("/indicators")
def indicators(state: State, session: DbSession, scenario: ScenarioQuery = None) -> Any:
    """CAREC CPMM indicators (TFI1–TFI4) of the best route of each default corridor."""
    from caspian.api.planning import indicators_doc

    network, _ = scenario_network(state, session, scenario)
    return FastJSON(indicators_doc(network, scenario))


@router.get("/report", response_class=HTMLResponse)
def report(
    state: State,
    session: DbSession,
    origin: Annotated[str, Query(alias="from", min_length=1, max_length=200)],
    destination: Annotated[str, Query(alias="to", min_length=1, max_length=200)],
    cargo: Annotated[str, Query(min_length=1, max_length=100)] = "general_container",
    tonnes: Annotated[float, Query(gt=0, le=10_000_000, allow_inf_nan=False)] = 20.0,
    alternatives: Annotated[int, Query(ge=1, le=5)] = 3,
    include_planned: bool = False,
    scenario: ScenarioQuery = None,
    lang: Literal["en", "fa"] = "en",
) -> HTMLResponse:
    """The self-contained HTML report (map, itineraries, TCD, Pareto, CPMM, scenario diff)."""
    from caspian.analysis.report import render_report, report_input
    from caspian.api.deps import saved_lookup
    from caspian.api.planning import library_errors
    from caspian.routing.search import RouteOptions

    resolved = state.networks.resolve(scenario, saved_lookup(session))
    body = RouteBody.model_validate({"from": origin, "to": destination, "cargo": cargo})
    with library_errors(body):
        page = render_report(
            report_input(
                state.networks.base,
                origin,
                destination,
                cargo=cargo,
                tonnes=tonnes,
                alternatives=alternatives,
                options=RouteOptions(include_planned=include_planned),
                scenario=None if resolved is None else resolved.scenario,
                lang=lang,
            )
        )
    return HTMLResponse(page)


@router.get("/flows")
def flows(
    state: State,
    method: Literal["ue", "logit", "lp"] = "ue",
    bound: Literal["central", "low", "high"] = "central",
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    scenario: Annotated[
        str | None, Query(max_length=200, description="A built-in scenario's name.")
    ] = None,
    lang: Literal["en", "fa"] = "en",
) -> Any:
    """Trade flows: the year's OD demand assigned to the network (as ``caspian flows assign``),
    with the bottleneck list and the link flows as GeoJSON. Results are cached per query."""
    from caspian.api.jobs import flows_doc

    params = {"method": method, "bound": bound, "year": year, "scenario": scenario, "lang": lang}
    return FastJSON(state.flows.get(params, flows_doc))
