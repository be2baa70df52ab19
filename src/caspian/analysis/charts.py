"""Charts: ESCAP time/cost-distance (TCD) and the Pareto front (matplotlib, no display).

Charts are byte-identical between identical runs (:func:`save_figure` fixes the SVG id
salt and leaves out the date) and speak English or Persian (``lang``).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from caspian.analysis.report_labels import label, leg_label, mode_label
from caspian.model.network import Network, Node
from caspian.routing.itinerary import Itinerary

__all__ = ["flow_change_figure", "pareto_figure", "save_figure", "tcd_figure", "tcd_points"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
SVG_HASH_SALT = "caspian-gateway"
"""Fixed salt of matplotlib's SVG ids (clip paths), so the same chart gives the same bytes."""


def _name(node: Node, lang: str) -> str:
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def _text(text: str, lang: str) -> str:
    """Chart text; Persian goes in a right-to-left isolate (U+2067 … U+2069) so it reads in
    order ("… و CO2e" keeps CO2e at its end) while the chart keeps its left-to-right layout."""
    return f"\u2067{text}\u2069" if lang == "fa" else text


def tcd_points(
    it: Itinerary, network: Network, *, lang: str = "en"
) -> list[tuple[float, float, float, str]]:
    """Cumulative (km, USD per tonne, hours, label) after each step of the route.

    Moves add distance, cost and time along a slope; loads, transfers, borders and the
    waiting/clearance inside sea legs add vertical steps at constant distance.
    """
    km = usd = hours = 0.0
    t = it.tonnes
    nodes = network.nodes
    pts = [(0.0, 0.0, 0.0, _name(nodes[it.origin], lang))]
    for leg in it.legs:
        name = _name(nodes[leg.to_node], lang)
        if leg.kind == "move":
            step_h = leg.waiting_hours + leg.border_hours
            if step_h:
                pts.append(
                    (
                        km,
                        usd,
                        hours + leg.waiting_hours + leg.border_hours,
                        f"{_name(nodes[leg.from_node], lang)}: {label('wait_clear', lang)}",
                    )
                )
                hours += step_h
            km += leg.distance_km
            usd += leg.cost_usd / t
            hours += leg.moving_hours + leg.handling_hours
            pts.append((km, usd, hours, name))
        else:
            usd += leg.cost_usd / t
            hours += leg.hours
            kind = leg_label(leg.kind, lang)
            pts.append((km, usd, hours, f"{_name(nodes[leg.from_node], lang)}: {kind}"))
    return pts


def tcd_figure(
    routes: Sequence[tuple[str, Itinerary]],
    network: Network,
    *,
    title: str = "",
    lang: str = "en",
) -> Figure:
    """Cost-distance (top) and time-distance (bottom) for several routes on one chart."""
    fig = Figure(figsize=(10, 8))
    ax_c, ax_t = fig.subplots(2, 1, sharex=True)
    for i, (route_label, it) in enumerate(routes):
        pts = tcd_points(it, network, lang=lang)
        colour = _COLOURS[i % len(_COLOURS)]
        xs = [p[0] for p in pts]
        shown = _text(route_label, lang)
        ax_c.plot(xs, [p[1] for p in pts], color=colour, lw=2, label=shown)
        ax_t.plot(xs, [p[2] / 24 for p in pts], color=colour, lw=2, label=shown)
        for prev, p in itertools.pairwise(pts):
            vertical = abs(p[0] - prev[0]) < 1e-9 and (p[1] > prev[1] + 0.5 or p[2] > prev[2] + 2)
            if vertical:
                ax_t.annotate(
                    _text(p[3], lang),
                    (p[0], p[2] / 24),
                    fontsize=7,
                    color=colour,
                    xytext=(3, 0),
                    textcoords="offset points",
                )
    ax_c.set_ylabel(_text(label("tcd_cost_axis", lang), lang))
    ax_t.set_ylabel(_text(label("tcd_time_axis", lang), lang))
    ax_t.set_xlabel(_text(label("tcd_distance_axis", lang), lang))
    ax_c.legend(loc="upper left", fontsize=8)
    ax_c.grid(alpha=0.3)
    ax_t.grid(alpha=0.3)
    fig.suptitle(_text(title or label("tcd_title", lang), lang))
    fig.tight_layout()
    return fig


def pareto_figure(front: Sequence[Itinerary], *, title: str = "", lang: str = "en") -> Figure:
    """Cost against days for the non-dominated routes; colour shows CO2e per tonne."""
    fig = Figure(figsize=(8, 5))
    ax = fig.subplots()
    if front:
        xs = [it.totals.days for it in front]
        ys = [it.totals.cost_usd_per_t for it in front]
        cs = [it.totals.co2e_kg_per_t for it in front]
        sc = ax.scatter(xs, ys, c=cs, cmap="viridis_r", s=60, edgecolor="black")
        fig.colorbar(sc, ax=ax, label=_text(label("pareto_colour", lang), lang))
        for i, it in enumerate(front):
            ax.annotate(
                _text(f"{i + 1}: {' + '.join(mode_label(m, lang) for m in it.modes)}", lang),
                (xs[i], ys[i]),
                fontsize=7,
                xytext=(4, 4),
                textcoords="offset points",
            )
    ax.set_xlabel(_text(label("pareto_days", lang), lang))
    ax.set_ylabel(_text(label("pareto_cost", lang), lang))
    ax.grid(alpha=0.3)
    ax.set_title(_text(title or label("pareto_title", lang), lang))
    fig.tight_layout()
    return fig


def flow_change_figure(
    changes: Sequence[tuple[str, float]],
    network: Network,
    *,
    title: str = "",
    lang: str = "en",
) -> Figure:
    """Horizontal bars of the change in tonnes a year per place (``(node id, delta)`` pairs).

    Gains are green, losses red; the largest changes come first.
    """
    rows = list(changes)[:15][::-1]
    fig = Figure(figsize=(7.5, 0.35 * max(len(rows), 3) + 1.2))
    ax = fig.add_subplot(1, 1, 1)
    names = [
        _text(_name(network.nodes[k], lang), lang) if k in network.nodes else k for k, _ in rows
    ]
    values = [v / 1000.0 for _, v in rows]
    ax.barh(names, values, color=["#2ca02c" if v >= 0 else "#d62728" for v in values])
    ax.axvline(0, color="#444", linewidth=0.8)
    ax.set_xlabel(_text(label("kt_per_year_change", lang), lang))
    if title:
        ax.set_title(_text(title, lang))
    fig.tight_layout()
    return fig


def save_figure(
    fig: Figure, path: str | Path | None = None, *, fmt: str = "svg", svg_text: bool = False
) -> bytes:
    """Write a figure to ``path`` (format from the suffix: png or svg) or return its bytes.

    The bytes depend only on the figure: SVG ids come from a fixed salt and no date is
    written, so identical runs give identical files.

    Parameters
    ----------
    fig
        The figure.
    path
        Where to write it (optional; the bytes are returned either way).
    fmt
        ``svg`` or ``png`` when ``path`` has no such suffix.
    svg_text
        Keep text as SVG ``<text>`` (the browser shapes it, as Persian needs) instead of
        drawing glyph outlines.
    """
    buf = io.BytesIO()
    if path is not None:
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("png", "svg") else fmt
    fonttype = "none" if svg_text else "path"
    metadata: dict[str, str | None] = {"Date": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": fonttype}):
        fig.savefig(buf, format=fmt, dpi=120, metadata=metadata)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
