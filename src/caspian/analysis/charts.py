"""Charts: ESCAP time/cost-distance (TCD) and the Pareto front (matplotlib, no display)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from caspian.model.network import Network
from caspian.routing.itinerary import Itinerary

__all__ = ["pareto_figure", "save_figure", "tcd_figure", "tcd_points"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def tcd_points(it: Itinerary, network: Network) -> list[tuple[float, float, float, str]]:
    """Cumulative (km, USD per tonne, hours, label) after each step of the route.

    Moves add distance, cost and time along a slope; loads, transfers, borders and the
    waiting/clearance inside sea legs add vertical steps at constant distance.
    """
    km = usd = hours = 0.0
    t = it.tonnes
    pts = [(0.0, 0.0, 0.0, network.nodes[it.origin].name_en)]
    for leg in it.legs:
        name = network.nodes[leg.to_node].name_en
        if leg.kind == "move":
            step_h = leg.waiting_hours + leg.border_hours
            if step_h:
                pts.append(
                    (
                        km,
                        usd,
                        hours + leg.waiting_hours + leg.border_hours,
                        f"{network.nodes[leg.from_node].name_en}: wait/clear",
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
            label = {
                "border": "border",
                "transfer": "transfer",
                "load": "load",
                "unload": "unload",
            }[leg.kind]
            pts.append((km, usd, hours, f"{network.nodes[leg.from_node].name_en}: {label}"))
    return pts


def tcd_figure(
    routes: Sequence[tuple[str, Itinerary]], network: Network, *, title: str = ""
) -> Figure:
    """Cost-distance (top) and time-distance (bottom) for several routes on one chart."""
    fig = Figure(figsize=(10, 8))
    ax_c, ax_t = fig.subplots(2, 1, sharex=True)
    for i, (label, it) in enumerate(routes):
        pts = tcd_points(it, network)
        colour = _COLOURS[i % len(_COLOURS)]
        xs = [p[0] for p in pts]
        ax_c.plot(xs, [p[1] for p in pts], color=colour, lw=2, label=label)
        ax_t.plot(xs, [p[2] / 24 for p in pts], color=colour, lw=2, label=label)
        for prev, p in itertools.pairwise(pts):
            vertical = abs(p[0] - prev[0]) < 1e-9 and (p[1] > prev[1] + 0.5 or p[2] > prev[2] + 2)
            if vertical:
                ax_t.annotate(
                    p[3],
                    (p[0], p[2] / 24),
                    fontsize=7,
                    color=colour,
                    xytext=(3, 0),
                    textcoords="offset points",
                )
    ax_c.set_ylabel("cumulative cost, USD per tonne")
    ax_t.set_ylabel("cumulative time, days")
    ax_t.set_xlabel("cumulative distance, km")
    ax_c.legend(loc="upper left", fontsize=8)
    ax_c.grid(alpha=0.3)
    ax_t.grid(alpha=0.3)
    fig.suptitle(title or "Time/cost-distance (UN ESCAP method)")
    fig.tight_layout()
    return fig


def pareto_figure(front: Sequence[Itinerary], *, title: str = "") -> Figure:
    """Cost against days for the non-dominated routes; colour shows CO2e per tonne."""
    fig = Figure(figsize=(8, 5))
    ax = fig.subplots()
    if front:
        xs = [it.totals.days for it in front]
        ys = [it.totals.cost_usd_per_t for it in front]
        cs = [it.totals.co2e_kg_per_t for it in front]
        sc = ax.scatter(xs, ys, c=cs, cmap="viridis_r", s=60, edgecolor="black")
        fig.colorbar(sc, ax=ax, label="kg CO2e per tonne")
        for i, it in enumerate(front):
            ax.annotate(
                f"{i + 1}: {'+'.join(it.modes)}",
                (xs[i], ys[i]),
                fontsize=7,
                xytext=(4, 4),
                textcoords="offset points",
            )
    ax.set_xlabel("door-to-door days")
    ax.set_ylabel("cost, USD per tonne")
    ax.grid(alpha=0.3)
    ax.set_title(title or "Pareto front: cost, time and CO2e")
    fig.tight_layout()
    return fig


def save_figure(fig: Figure, path: str | Path | None = None, *, fmt: str = "svg") -> bytes:
    """Write a figure to ``path`` (format from the suffix: png or svg) or return its bytes."""
    buf = io.BytesIO()
    if path is not None:
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("png", "svg") else fmt
    fig.savefig(buf, format=fmt, dpi=120)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
