"""The flow map: assigned tonnes on the network over the bundled outline, as SVG and HTML.

Line width grows with the square root of tonnes a year (so a 10 Mt link is not drawn 100
times as wide as a 100 kt one); colour shows the load of the busiest capacity element on the
link (green below 50 %, amber to 90 %, red above), grey where no capacity figure exists.
"""

from __future__ import annotations

import math
from collections import defaultdict

from caspian import __version__
from caspian.analysis.report import _CSS, _esc, _n, _Projection, outline_polygons
from caspian.analysis.report_labels import label, mode_label
from caspian.flows.export import flow_rows
from caspian.flows.result import FlowResult, element_loads, place_throughput

__all__ = ["flow_map_svg", "render_flow_report"]

_MODE_DASH = {"rail": "7,3", "sea": "2,3", "rail_ferry": "2,3", "truck_ferry": "2,3"}


def _colour(utilisation: float | None) -> str:
    if utilisation is None:
        return "#7f7f7f"
    if utilisation < 0.5:
        return "#2ca02c"
    if utilisation < 0.9:
        return "#ff9f1c"
    return "#d62728"


def flow_map_svg(result: FlowResult, *, lang: str = "en") -> str:
    """SVG of link flows (both directions of a link drawn as one line, their sum)."""
    net = result.model.network
    nodes = net.nodes
    per: dict[tuple[str, str], float] = defaultdict(float)
    util: dict[tuple[str, str], float] = {}
    ends: dict[tuple[str, str], tuple[str, str]] = {}
    for row in flow_rows(result):
        key = (row["link"], row["mode"])
        per[key] += float(row["tonnes_per_year"])
        ends[key] = (row["from"], row["to"])
        if row["utilisation"] is not None:
            util[key] = max(util.get(key, 0.0), float(row["utilisation"]))
    for e in element_loads(result):  # borders: colour the links either side by their load
        if e.kind in ("road_border", "rail_border"):
            for key, (a, b) in ends.items():
                if e.place in (a, b) and key[1] == ("road" if e.kind == "road_border" else "rail"):
                    util[key] = max(util.get(key, 0.0), e.utilisation)
    used = {n for a, b in ends.values() for n in (a, b)} or set(nodes)
    lons = [nodes[n].lon for n in used]
    lats = [nodes[n].lat for n in used]
    lon0, lon1, lat0, lat1 = min(lons) - 1.5, max(lons) + 1.5, min(lats) - 1.5, max(lats) + 1.5
    proj = _Projection(lon0, lon1, lat0, lat1, 1000.0)
    aria = _esc(label("flow_map", lang))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width:.0f} '
        f'{proj.height:.0f}" class="map" role="img" aria-label="{aria}" direction="ltr">',
        f'<rect width="{proj.width:.0f}" height="{proj.height:.0f}" fill="#dbe9f6"/>',
    ]
    parts += outline_polygons(proj, (lon0, lon1, lat0, lat1))
    top = max(per.values(), default=1.0) or 1.0
    for key, tonnes in sorted(per.items(), key=lambda kv: kv[1]):
        a, b = ends[key]
        (x1, y1), (x2, y2) = proj(nodes[a].lon, nodes[a].lat), proj(nodes[b].lon, nodes[b].lat)
        width = 1.0 + 11.0 * math.sqrt(tonnes / top)
        title = f"{key[0]} ({mode_label(key[1], lang)}): {tonnes / 1000:,.0f} kt/yr"
        if key in util:
            title += f", {util[key]:.0%}"
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{_colour(util.get(key))}" stroke-width="{width:.1f}" '
            f'stroke-opacity="0.8" stroke-linecap="round" '
            f'stroke-dasharray="{_MODE_DASH.get(key[1], "")}"><title>{_esc(title)}</title></line>'
        )
    rtl = lang == "fa"
    text_dir = ' direction="rtl" unicode-bidi="embed"' if rtl else ' direction="ltr"'
    for p in place_throughput(result)[:12]:
        node = nodes[p.place]
        x, y = proj(node.lon, node.lat)
        name = node.name_fa if rtl and node.name_fa else node.name_en
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#222"/>')
        parts.append(
            f'<text x="{x + (-5 if rtl else 5):.1f}" y="{y - 4:.1f}" font-size="11"{text_dir}>'
            f"{_esc(name)}</text>"
        )
    cx = proj.width - 10 if rtl else 10.0
    parts.append(
        f'<text x="{cx:.0f}" y="{proj.height - 8:.0f}" font-size="10" fill="#555"{text_dir}>'
        f"{_esc(label('flow_map_caption', lang))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def render_flow_report(result: FlowResult, *, title: str, lang: str = "en") -> str:
    """A standalone HTML page: the flow map, the busiest capacity elements, ports and borders."""
    net = result.model.network
    rows = []
    for e in element_loads(result)[:15]:
        name = net.nodes[e.place].name_fa if lang == "fa" and e.place in net.nodes else e.place
        if lang != "fa" and e.place in net.nodes:
            name = net.nodes[e.place].name_en
        rows.append(
            f"<tr><td><bdi dir='auto'>{_esc(name)}</bdi></td><td>{_esc(e.direction)}</td>"
            f"<td>{_n(f'{e.tonnes_per_year:,.0f}')}</td>"
            f"<td>{_n(f'{e.vehicles_per_day:,.1f}')} {_esc(e.vehicle)}</td>"
            f"<td>{_n(f'{e.utilisation:.0%}')}</td><td>{_n(f'{e.delay_hours:.2f}')}</td></tr>"
        )
    places = []
    for p in place_throughput(result)[:15]:
        node = net.nodes[p.place]
        name = node.name_fa if lang == "fa" and node.name_fa else node.name_en
        places.append(
            f"<tr><td><bdi dir='auto'>{_esc(name)}</bdi></td><td>{_esc(p.kind)}</td>"
            f"<td>{_n(f'{p.tonnes_per_year:,.0f}')}</td></tr>"
        )
    direction = "rtl" if lang == "fa" else "ltr"
    body = [
        f"<h1>{_esc(title)}</h1>",
        f"<p>{_esc(result.method)} · gap {_n(f'{result.gap:.1e}')} · "
        f"{_n(str(result.iterations))} it.</p>",
        f"<h2>{_esc(label('flow_map', lang))}</h2>",
        flow_map_svg(result, lang=lang),
        "<table><tr><th></th><th>→</th><th>t/yr</th><th>/day</th><th>%</th><th>h</th></tr>"
        + "".join(rows)
        + "</table>",
        "<table><tr><th></th><th></th><th>t/yr</th></tr>" + "".join(places) + "</table>",
        f"<footer>Caspian Gateway {_n(__version__)}</footer>",
    ]
    return (
        f"<!DOCTYPE html><html lang='{lang}' dir='{direction}'><head><meta charset='utf-8'>"
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
