"""One self-contained HTML report: map, itineraries, TCD and Pareto charts, CPMM indicators
and, with a scenario, the before/after diff. Opens offline: no CDN, no tiles, no scripts.

The page is byte-identical between identical runs (no timestamp; charts with fixed ids) and
with ``lang="fa"`` it is a right-to-left Persian page: every label from
:mod:`caspian.analysis.report_labels`, numbers isolated (``<bdi>``) so the bidi algorithm
cannot reorder them, and the map legend on the right.
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
from caspian.analysis.report_labels import REPORT_LANGS, label, leg_label, mode_label
from caspian.errors import NoRouteError, ValidationError
from caspian.model.network import Network, Node
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
    if lang not in REPORT_LANGS:
        raise ValidationError(f"--lang must be one of {', '.join(REPORT_LANGS)}; got {lang!r}")
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
    o, d = planned.nodes[found[0].origin], planned.nodes[found[0].destination]
    commodity = planned.commodities.get(found[0].cargo)
    cargo_name = cargo
    if commodity is not None:
        cargo_name = commodity.name_fa if lang == "fa" and commodity.name_fa else commodity.name_en
    arrow = label("arrow", lang)
    return ReportInput(
        title=f"{_name(o, lang)} {arrow} {_name(d, lang)}: {tonnes:g} "
        f"{label('tonnes_short', lang)} {cargo_name}",
        network=planned,
        routes=[(f"{i}: {_modes(it, lang)}", it) for i, it in enumerate(found, 1)],
        front=front,
        baseline=baseline,
        scenario_name=scenario.name if scenario else "",
        scenario_description=scenario.description if scenario else "",
        lang=lang,
    )


def _name(node: Node, lang: str) -> str:
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def _modes(it: Itinerary, lang: str) -> str:
    return " + ".join(mode_label(m, lang) for m in it.modes)


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


def outline_polygons(proj: _Projection, box: tuple[float, float, float, float]) -> list[str]:
    """SVG polygons of the bundled coast and border outline inside ``box`` (lon0, lon1,
    lat0, lat1, with a 10° margin): sea blue, land sand."""
    lon0, lon1, lat0, lat1 = box
    out = []
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
                out.append(
                    f'<polygon points="{pts}" fill="{fill}" stroke="#9a9a9a" stroke-width="0.6"/>'
                )
    return out


def map_svg(inp: ReportInput) -> str:
    """An SVG map of the routes over the bundled outline of coasts and borders.

    In Persian the labels run right to left and the legend sits at the top right, so no
    label runs off the left edge.
    """
    nodes = inp.network.nodes
    rtl = inp.lang == "fa"
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
    # text runs from its anchor point towards the reading direction's end
    text_dir = ' direction="rtl" unicode-bidi="embed"' if rtl else ' direction="ltr"'
    aria = _esc(label("map_aria", inp.lang))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width:.0f} '
        f'{proj.height:.0f}" class="map" role="img" aria-label="{aria}" direction="ltr">',
        f'<rect width="{proj.width:.0f}" height="{proj.height:.0f}" fill="#dbe9f6"/>',
    ]
    parts += outline_polygons(proj, (lon0, lon1, lat0, lat1))
    for i, (route_label, it) in enumerate(inp.routes):
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
                f"<title>{_esc(route_label)}: {_esc(mode_label(leg.mode, inp.lang))}</title>"
                "</polyline>"
            )
    shown: set[str] = set()
    for _, it in inp.routes:
        for n in it.nodes:
            if n in shown:
                continue
            shown.add(n)
            x, y = proj(nodes[n].lon, nodes[n].lat)
            tx = x - 5 if rtl else x + 5
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#222"/>')
            parts.append(
                f'<text x="{tx:.1f}" y="{y - 4:.1f}" font-size="11"{text_dir}>'
                f"{_esc(_name(nodes[n], inp.lang))}</text>"
            )
    legend_y = 20
    swatch_x, text_x = (proj.width - 24, proj.width - 30) if rtl else (10.0, 30.0)
    for i, (route_label, _) in enumerate(inp.routes):
        colour = _COLOURS[i % len(_COLOURS)]
        parts.append(
            f'<rect x="{swatch_x:.0f}" y="{legend_y - 10}" width="14" height="4" '
            f'fill="{colour}"/><text x="{text_x:.0f}" y="{legend_y - 5}" font-size="12"'
            f"{text_dir}>{_esc(route_label)}</text>"
        )
        legend_y += 16
    caption_x = proj.width - 10 if rtl else 10.0
    parts.append(
        f'<text x="{caption_x:.0f}" y="{proj.height - 8:.0f}" font-size="10" fill="#555"'
        f"{text_dir}>{_esc(label('map_caption', inp.lang))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _esc(x: object) -> str:
    return html.escape(str(x))


def _n(text: str) -> str:
    """A number, isolated from the text around it so right-to-left layout keeps it whole."""
    return f"<bdi>{html.escape(text)}</bdi>"


def _itinerary_html(route_label: str, it: Itinerary, network: Network, lang: str) -> str:
    def name(n: str) -> str:
        return _name(network.nodes[n], lang)

    arrow = label("arrow", lang)
    rows = []
    for i, leg in enumerate(it.legs, 1):
        step = (
            f"{name(leg.from_node)} {arrow} {name(leg.to_node)}"
            if leg.kind == "move"
            else label("at", lang, kind=leg_label(leg.kind, lang), place=name(leg.from_node))
        )
        rows.append(
            f"<tr><td>{_n(str(i))}</td><td>{_esc(step)}</td>"
            f"<td>{_esc(mode_label(leg.mode, lang))}</td>"
            f"<td>{_n(f'{leg.distance_km:,.0f}')}</td><td>{_n(f'{leg.moving_hours:.1f}')}</td>"
            f"<td>{_n(f'{leg.handling_hours:.1f}')}</td><td>{_n(f'{leg.border_hours:.1f}')}</td>"
            f"<td>{_n(f'{leg.waiting_hours:.1f}')}</td><td>{_n(f'{leg.cost_usd:,.0f}')}</td>"
            f"<td>{_n(f'{leg.co2e_kg:,.0f}')}</td></tr>"
        )
    t = it.totals
    rows.append(
        f"<tr class='total'><td></td><td>{label('total', lang, days=_n(f'{t.days:.1f}'))}</td>"
        f"<td>{_esc(_modes(it, lang))}</td><td>{_n(f'{t.distance_km:,.0f}')}</td>"
        f"<td>{_n(f'{t.moving_hours:.1f}')}</td><td>{_n(f'{t.handling_hours:.1f}')}</td>"
        f"<td>{_n(f'{t.border_hours:.1f}')}</td><td>{_n(f'{t.waiting_hours:.1f}')}</td>"
        f"<td>{_n(f'{t.cost_usd:,.0f}')}</td><td>{_n(f'{t.co2e_kg:,.0f}')}</td></tr>"
    )
    head = "<tr>" + "".join(
        f"<th>{_esc(h)}</th>"
        for h in (
            "#",
            label("step", lang),
            label("mode", lang),
            label("km", lang),
            label("move_h", lang),
            label("handle_h", lang),
            label("border_h", lang),
            label("wait_h", lang),
            label("cost_usd", lang),
            label("co2e_kg", lang),
        )
    )
    summary = label(
        "summary",
        lang,
        usd_t=_n(f"{t.cost_usd_per_t:,.1f}"),
        co2_t=_n(f"{t.co2e_kg_per_t:,.1f}"),
        gc=_n(f"{t.generalized_cost_usd:,.0f}"),
    )
    return (
        f"<h3>{_esc(route_label)}</h3><table class='legs'>{head}</tr>{''.join(rows)}</table>"
        f"<p>{summary}</p>"
    )


def _cpmm_html(it: Itinerary, network: Network, lang: str) -> str:
    ind = cpmm_indicators(it, network)
    nodes = network.nodes

    def crossing_name(node_id: str, fallback: str) -> str:
        return _name(nodes[node_id], lang) if node_id in nodes else fallback

    rows = (
        "".join(
            f"<tr><td>{_esc(crossing_name(c.node, c.name))}</td>"
            f"<td>{_esc(mode_label(c.mode, lang))}</td><td>{_n(f'{c.hours:.1f}')}</td>"
            f"<td>{_n(f'{c.cost_usd:,.0f}')}</td></tr>"
            for c in ind.crossings
        )
        or f"<tr><td colspan='4'>{_esc(label('no_crossing', lang))}</td></tr>"
    )
    arrow = label("arrow", lang)
    secs = "".join(
        f"<tr><td>{_esc(_name(nodes[s.start], lang))} {arrow} {_esc(_name(nodes[s.end], lang))}"
        f"</td><td>{_n(f'{s.distance_km:,.0f}')}</td><td>{_n(f'{s.cost_usd:,.0f}')}</td>"
        f"<td>{_n(f'{s.cost_usd_per_t:,.1f}')}</td></tr>"
        for s in ind.sections
    )
    tfi4 = label("tfi4", lang, swod=_n(f"{ind.swod_kmh:.1f}"), swd=_n(f"{ind.swd_kmh:.1f}"))
    return (
        f"<table><tr><th>{_esc(label('crossing', lang))}</th><th>{_esc(label('mode', lang))}"
        f"</th><th>{_esc(label('hours', lang))}</th><th>{_esc(label('cost_usd', lang))}</th>"
        f"</tr>{rows}</table><table><tr><th>{_esc(label('section', lang))}</th>"
        f"<th>{_esc(label('km', lang))}</th><th>{_esc(label('cost_usd', lang))}</th>"
        f"<th>{_esc(label('usd_per_t', lang))}</th></tr>{secs}</table>"
        f"<p>{tfi4}</p>"
    )


def _diff_html(before: Itinerary, after: Itinerary, lang: str) -> str:
    rows = []
    for field, key, fmt in (
        ("cost_usd", "cost_usd", "{:,.0f}"),
        ("days", "days", "{:.2f}"),
        ("co2e_kg", "co2e_kg", "{:,.0f}"),
    ):
        b, a = getattr(before.totals, field), getattr(after.totals, field)
        change = fmt.format(a - b)
        if a - b > 0:
            change = "+" + change
        rows.append(
            f"<tr><td>{_esc(label(key, lang))}</td><td>{_n(fmt.format(b))}</td>"
            f"<td>{_n(fmt.format(a))}</td><td>{_n(change)}</td></tr>"
        )
    same = before.signature() == after.signature()
    verdict = label("route_unchanged" if same else "route_changed", lang)
    return (
        f"<table><tr><th></th><th>{_esc(label('before', lang))}</th>"
        f"<th>{_esc(label('after', lang))}</th><th>{_esc(label('change', lang))}</th></tr>"
        + "".join(rows)
        + "</table>"
        + f"<p>{_esc(verdict)} {_esc(_modes(before, lang))} {label('arrow', lang)} "
        f"{_esc(_modes(after, lang))}.</p>"
    )


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Tahoma,'Noto Sans Arabic','Vazirmatn',
sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 7px;
font-size:.9em;text-align:end}td:nth-child(2),th:nth-child(2){text-align:start}
bdi:not([dir]){unicode-bidi:isolate;direction:ltr}
tr.total{font-weight:bold;background:#f6f6f6}.map{width:100%;max-width:900px;
border:1px solid #aaa}.chart svg{max-width:900px;height:auto}footer{color:#666;
font-size:.8em;margin-top:3em}
"""


def _inline_svg(data: bytes) -> str:
    text = data.decode("utf-8")
    return text[text.index("<svg") :]


def _chart(fig: Any, lang: str) -> str:
    """A matplotlib chart as inline SVG; in Persian the browser shapes the text."""
    svg = _inline_svg(save_figure(fig, svg_text=lang == "fa"))
    # the chart keeps matplotlib's left-to-right layout; its Persian labels still read RTL
    return f"<div class='chart' dir='ltr'>{svg}</div>"


def render_report(inp: ReportInput) -> str:
    """The report as one HTML string (inline SVG; no external resources, no timestamp)."""
    net = inp.network
    lang = inp.lang if inp.lang in REPORT_LANGS else "en"

    def h2(key: str) -> str:
        return f"<h2>{_esc(label(key, lang))}</h2>"

    body = [f"<h1>{_esc(inp.title)}</h1>"]
    if inp.scenario_name:
        body.append(
            f"<p><b>{_esc(label('scenario', lang))}</b> "
            f"<bdi dir='auto'>{_esc(inp.scenario_name)}</bdi> — "
            f"<bdi dir='auto'>{_esc(inp.scenario_description)}</bdi></p>"
        )
    body.append(h2("map") + map_svg(inp))
    body.append(h2("itineraries"))
    body += [_itinerary_html(route_label, it, net, lang) for route_label, it in inp.routes]
    body.append(h2("tcd") + _chart(tcd_figure(list(inp.routes), net, lang=lang), lang))
    if inp.front:
        body.append(h2("pareto") + _chart(pareto_figure(list(inp.front), lang=lang), lang))
        rows = "".join(
            f"<tr><td>{_n(str(i))}</td><td>{_esc(_modes(it, lang))}</td>"
            f"<td>{_n(f'{it.totals.cost_usd:,.0f}')}</td><td>{_n(f'{it.totals.days:.1f}')}</td>"
            f"<td>{_n(f'{it.totals.co2e_kg:,.0f}')}</td></tr>"
            for i, it in enumerate(inp.front, 1)
        )
        heads = ("#", label("modes", lang), label("cost_usd", lang), label("days", lang))
        body.append(
            "<table><tr>"
            + "".join(f"<th>{_esc(h)}</th>" for h in (*heads, label("co2e_kg", lang)))
            + f"</tr>{rows}</table>"
        )
    body.append(h2("cpmm"))
    for route_label, it in inp.routes:
        body.append(f"<h3>{_esc(route_label)}</h3>" + _cpmm_html(it, net, lang))
    if inp.baseline is not None and inp.routes:
        body.append(h2("before_after") + _diff_html(inp.baseline, inp.routes[0][1], lang))
    footer = label("footer", lang, version=_n(__version__), network=_esc(net.name))
    body.append(f"<footer>{footer}</footer>")
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f"<!DOCTYPE html><html lang='{lang}' dir='{direction}'><head>"
        "<meta charset='utf-8'><title>"
        + _esc(inp.title)
        + "</title><style>"
        + _CSS
        + "</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
