"""One self-contained HTML report: map, itineraries, TCD and Pareto charts, CPMM indicators
and, with a scenario, the before/after diff. Opens offline: no CDN, no tiles, no scripts.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from caspian import __version__
from caspian.analysis.charts import pareto_figure, save_figure, tcd_figure
from caspian.analysis.indicators import cpmm_indicators
from caspian.errors import NoRouteError
from caspian.model.network import Network
from caspian.routing.alternatives import alternative_routes
from caspian.routing.itinerary import Itinerary
from caspian.routing.pareto import pareto_front
from caspian.routing.search import RouteOptions, plan_route
from caspian.scenarios import Scenario, apply_scenario

__all__ = ["ReportInput", "render_report", "report_input"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
_MODE_DASH = {"road": "", "rail": "6,3", "sea": "2,4", "rail_ferry": "2,4", "truck_ferry": "2,4"}


@dataclass(frozen=True, slots=True)
class ReportInput:
    """What goes into a report."""

    title: str
    network: Network
    routes: Sequence[tuple[str, Itinerary]]
    front: Sequence[Itinerary] = ()
    baseline: Itinerary | None = None
    scenario_name: str = ""
    scenario_description: str = ""
    lang: str = "en"


def report_input(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    alternatives: int = 3,
    options: RouteOptions | None = None,
    scenario: Scenario | None = None,
    lang: str = "en",
) -> ReportInput:
    """Plan what a report shows: the K best substantive routes, the Pareto front and, with a
    scenario, the best route on the unchanged network as the baseline."""
    opts = options or RouteOptions()
    planned, baseline = network, None
    if scenario is not None:
        planned = apply_scenario(network, scenario)
        try:
            baseline = plan_route(
                network, origin, destination, cargo=cargo, tonnes=tonnes, options=opts
            )
        except NoRouteError:
            baseline = None
    found = alternative_routes(
        planned,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        k=max(1, alternatives),
        options=opts,
    )
    front = pareto_front(planned, origin, destination, cargo=cargo, tonnes=tonnes, options=opts)
    o, d = found[0].origin, found[0].destination
    return ReportInput(
        title=f"{planned.nodes[o].name_en} → {planned.nodes[d].name_en}: {tonnes:g} t {cargo}",
        network=planned,
        routes=[(f"{i}: {' + '.join(it.modes)}", it) for i, it in enumerate(found, 1)],
        front=front,
        baseline=baseline,
        scenario_name=scenario.name if scenario else "",
        scenario_description=scenario.description if scenario else "",
        lang=lang,
    )


def _outline() -> dict[str, Any]:
    text = (resources.files("caspian.data") / "geo" / "region.geojson").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class _Projection:
    """Equirectangular projection scaled by cos(mid-latitude) into an SVG box."""

    def __init__(self, lon0: float, lon1: float, lat0: float, lat1: float, width: float) -> None:
        self.lon0, self.lat1 = lon0, lat1
        self.kx = math.cos(math.radians((lat0 + lat1) / 2))
        self.scale = width / ((lon1 - lon0) * self.kx)
        self.width = width
        self.height = (lat1 - lat0) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx * self.scale, (self.lat1 - lat) * self.scale


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def map_svg(inp: ReportInput) -> str:
    """An SVG map of the routes over the bundled outline of coasts and borders."""
    nodes = inp.network.nodes
    used = [n for _, it in inp.routes for n in it.nodes]
    lons = [nodes[n].lon for n in used] or [49.0]
    lats = [nodes[n].lat for n in used] or [40.0]
    pad = 2.0
    lon0, lon1 = min(lons) - pad, max(lons) + pad
    lat0, lat1 = min(lats) - pad, max(lats) + pad
    if (lon1 - lon0) < 12:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - 6, mid + 6
    if (lat1 - lat0) < 8:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - 4, mid + 4
    proj = _Projection(lon0, lon1, lat0, lat1, 900.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width:.0f} '
        f'{proj.height:.0f}" class="map" role="img" aria-label="map of the routes">',
        f'<rect width="{proj.width:.0f}" height="{proj.height:.0f}" fill="#dbe9f6"/>',
    ]
    for feat in _outline()["features"]:
        kind = feat["properties"].get("kind", "country")
        fill = "#b9d7ee" if kind == "sea" else "#f4f1e8"
        for ring in _rings(feat["geometry"]):
            pts = " ".join(
                "{:.1f},{:.1f}".format(*proj(x, y))
                for x, y in ring
                if lon0 - 10 <= x <= lon1 + 10 and lat0 - 10 <= y <= lat1 + 10
            )
            if pts:
                parts.append(
                    f'<polygon points="{pts}" fill="{fill}" stroke="#9a9a9a" stroke-width="0.6"/>'
                )
    for i, (label, it) in enumerate(inp.routes):
        colour = _COLOURS[i % len(_COLOURS)]
        for leg in it.legs:
            if leg.kind != "move":
                continue
            seq = [leg.from_node, *leg.via, leg.to_node]
            pts = " ".join("{:.1f},{:.1f}".format(*proj(nodes[n].lon, nodes[n].lat)) for n in seq)
            dash = _MODE_DASH.get(leg.mode, "")
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3" '
                f'stroke-opacity="0.85" stroke-dasharray="{dash}">'
                f"<title>{html.escape(label)}: {leg.mode}</title></polyline>"
            )
    shown: set[str] = set()
    for _, it in inp.routes:
        for n in it.nodes:
            if n in shown:
                continue
            shown.add(n)
            x, y = proj(nodes[n].lon, nodes[n].lat)
            name = nodes[n].name_fa if inp.lang == "fa" else nodes[n].name_en
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#222"/>')
            parts.append(
                f'<text x="{x + 5:.1f}" y="{y - 4:.1f}" font-size="11">{html.escape(name)}</text>'
            )
    legend_y = 20
    for i, (label, _) in enumerate(inp.routes):
        colour = _COLOURS[i % len(_COLOURS)]
        parts.append(
            f'<rect x="10" y="{legend_y - 10}" width="14" height="4" fill="{colour}"/>'
            f'<text x="30" y="{legend_y - 5}" font-size="12">{html.escape(label)}</text>'
        )
        legend_y += 16
    parts.append(
        f'<text x="10" y="{proj.height - 8:.0f}" font-size="10" fill="#555">'
        "solid: road · long dash: rail · dotted: sea/ferry · outline: Natural Earth "
        "1:50m (public domain)</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _esc(x: object) -> str:
    return html.escape(str(x))


def _itinerary_html(label: str, it: Itinerary, network: Network, lang: str) -> str:
    def name(n: str) -> str:
        node = network.nodes[n]
        return node.name_fa if lang == "fa" else node.name_en

    rows = []
    for i, leg in enumerate(it.legs, 1):
        step = (
            f"{name(leg.from_node)} → {name(leg.to_node)}"
            if leg.kind == "move"
            else (f"{leg.kind} at {name(leg.from_node)}")
        )
        rows.append(
            f"<tr><td>{i}</td><td>{_esc(step)}</td><td>{_esc(leg.mode)}</td>"
            f"<td>{leg.distance_km:,.0f}</td><td>{leg.moving_hours:.1f}</td>"
            f"<td>{leg.handling_hours:.1f}</td><td>{leg.border_hours:.1f}</td>"
            f"<td>{leg.waiting_hours:.1f}</td><td>{leg.cost_usd:,.0f}</td>"
            f"<td>{leg.co2e_kg:,.0f}</td></tr>"
        )
    t = it.totals
    rows.append(
        f"<tr class='total'><td></td><td>total ({t.days:.1f} days)</td>"
        f"<td>{_esc(' + '.join(it.modes))}</td><td>{t.distance_km:,.0f}</td>"
        f"<td>{t.moving_hours:.1f}</td><td>{t.handling_hours:.1f}</td>"
        f"<td>{t.border_hours:.1f}</td><td>{t.waiting_hours:.1f}</td>"
        f"<td>{t.cost_usd:,.0f}</td><td>{t.co2e_kg:,.0f}</td></tr>"
    )
    head = (
        "<tr><th>#</th><th>step</th><th>mode</th><th>km</th><th>move h</th>"
        "<th>handle h</th><th>border h</th><th>wait h</th><th>cost USD</th>"
        "<th>CO2e kg</th></tr>"
    )
    return (
        f"<h3>{_esc(label)}</h3><table class='legs'>{head}{''.join(rows)}</table>"
        f"<p>{t.cost_usd_per_t:,.1f} USD/t · {t.co2e_kg_per_t:,.1f} kg CO2e/t · "
        f"generalized cost {t.generalized_cost_usd:,.0f} USD</p>"
    )


def _cpmm_html(it: Itinerary, network: Network) -> str:
    ind = cpmm_indicators(it, network)
    rows = (
        "".join(
            f"<tr><td>{_esc(c.name)}</td><td>{_esc(c.mode)}</td><td>{c.hours:.1f}</td>"
            f"<td>{c.cost_usd:,.0f}</td></tr>"
            for c in ind.crossings
        )
        or "<tr><td colspan='4'>no border crossing</td></tr>"
    )
    secs = "".join(
        f"<tr><td>{_esc(network.nodes[s.start].name_en)} → {_esc(network.nodes[s.end].name_en)}"
        f"</td><td>{s.distance_km:,.0f}</td><td>{s.cost_usd:,.0f}</td>"
        f"<td>{s.cost_usd_per_t:,.1f}</td></tr>"
        for s in ind.sections
    )
    return (
        "<table><tr><th>crossing (TFI1/TFI2)</th><th>mode</th><th>hours</th><th>cost USD</th>"
        f"</tr>{rows}</table><table><tr><th>section (TFI3)</th><th>km</th><th>cost USD</th>"
        f"<th>USD/t</th></tr>{secs}</table>"
        f"<p>TFI4: speed without delay {ind.swod_kmh:.1f} km/h; with delay "
        f"{ind.swd_kmh:.1f} km/h.</p>"
    )


def _diff_html(before: Itinerary, after: Itinerary) -> str:
    rows = []
    for field, label, fmt in (
        ("cost_usd", "cost USD", "{:,.0f}"),
        ("days", "days", "{:.2f}"),
        ("co2e_kg", "CO2e kg", "{:,.0f}"),
    ):
        b, a = getattr(before.totals, field), getattr(after.totals, field)
        rows.append(
            f"<tr><td>{label}</td><td>{fmt.format(b)}</td><td>{fmt.format(a)}</td>"
            f"<td>{fmt.format(a - b)}</td></tr>"
        )
    same = before.signature() == after.signature()
    return (
        "<table><tr><th></th><th>before</th><th>after</th><th>change</th></tr>"
        + "".join(rows)
        + "</table>"
        + f"<p>Route {'unchanged' if same else 'changed'}: "
        f"{_esc(' + '.join(before.modes))} → {_esc(' + '.join(after.modes))}.</p>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Tahoma,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 7px;
font-size:.9em;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}
tr.total{font-weight:bold;background:#f6f6f6}.map{width:100%;max-width:900px;
border:1px solid #aaa}.chart svg{max-width:900px;height:auto}footer{color:#666;
font-size:.8em;margin-top:3em}
"""


def _inline_svg(data: bytes) -> str:
    text = data.decode("utf-8")
    return text[text.index("<svg") :]


def render_report(inp: ReportInput) -> str:
    """The report as one HTML string (inline SVG; no external resources)."""
    net = inp.network
    body = [f"<h1>{_esc(inp.title)}</h1>"]
    if inp.scenario_name:
        body.append(
            f"<p><b>Scenario:</b> {_esc(inp.scenario_name)} — {_esc(inp.scenario_description)}</p>"
        )
    body.append("<h2>Map</h2>" + map_svg(inp))
    body.append("<h2>Itineraries</h2>")
    body += [_itinerary_html(label, it, net, inp.lang) for label, it in inp.routes]
    body.append(
        "<h2>Time/cost-distance</h2><div class='chart'>"
        + _inline_svg(save_figure(tcd_figure(list(inp.routes), net)))
        + "</div>"
    )
    if inp.front:
        body.append(
            "<h2>Pareto front (cost, time, CO2e)</h2><div class='chart'>"
            + _inline_svg(save_figure(pareto_figure(list(inp.front))))
            + "</div>"
        )
        rows = "".join(
            f"<tr><td>{i}</td><td>{_esc(' + '.join(it.modes))}</td>"
            f"<td>{it.totals.cost_usd:,.0f}</td><td>{it.totals.days:.1f}</td>"
            f"<td>{it.totals.co2e_kg:,.0f}</td></tr>"
            for i, it in enumerate(inp.front, 1)
        )
        body.append(
            "<table><tr><th>#</th><th>modes</th><th>cost USD</th><th>days</th>"
            f"<th>CO2e kg</th></tr>{rows}</table>"
        )
    body.append("<h2>CAREC CPMM indicators</h2>")
    for label, it in inp.routes:
        body.append(f"<h3>{_esc(label)}</h3>" + _cpmm_html(it, net))
    if inp.baseline is not None and inp.routes:
        body.append(
            "<h2>Scenario: before / after</h2>" + _diff_html(inp.baseline, inp.routes[0][1])
        )
    body.append(
        f"<footer>Caspian Gateway {__version__} · network '{_esc(net.name)}' · "
        f"data sources: src/caspian/data/caspian/SOURCES.md"
        "</footer>"
    )
    direction = " dir='rtl'" if inp.lang == "fa" else ""
    return (
        "<!DOCTYPE html><html lang='" + inp.lang + "'" + direction + "><head>"
        "<meta charset='utf-8'><title>"
        + _esc(inp.title)
        + "</title><style>"
        + _CSS
        + "</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
