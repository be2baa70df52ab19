"""Rendering of planner results for the terminal (rich tables) and as JSON."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from caspian.model.network import Network
from caspian.routing.families import FamilyResult
from caspian.routing.itinerary import Itinerary, Leg
from caspian.routing.uncertainty import Comparison

__all__ = [
    "console",
    "dump_json",
    "itinerary_table",
    "node_names",
    "place_name",
    "summary_line",
]

LANGS = ("en", "fa")


def console(*, stderr: bool = False) -> Console:
    """A console that keeps tables readable when output is piped (120 columns)."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or "COLUMNS" in os.environ else 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def place_name(network: Network, node_id: str, lang: str) -> str:
    """The display name of a node in ``lang`` (``en`` or ``fa``)."""
    node = network.nodes.get(node_id)
    if node is None:
        return node_id
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def node_names(network: Network, lang: str) -> dict[str, str]:
    """Display names of every node in ``lang``."""
    return {i: place_name(network, i, lang) for i in network.nodes}


_MODE_FA = {
    "road": "جاده",
    "rail": "راه‌آهن",
    "sea": "دریا",
    "rail_ferry": "فری ریلی",
    "truck_ferry": "فری کامیون",
}


def _mode_label(leg: Leg, lang: str) -> str:
    if leg.kind == "move":
        return _MODE_FA.get(leg.mode, leg.mode) if lang == "fa" else leg.mode
    return leg.mode.replace(">", "→")


def _step(leg: Leg, network: Network, lang: str) -> str:
    frm = place_name(network, leg.from_node, lang)
    to = place_name(network, leg.to_node, lang)
    if leg.kind == "move":
        via = ""
        if leg.via:
            shown = [place_name(network, v, lang) for v in leg.via]
            via = " via " + ", ".join(shown[:4]) + (" …" if len(shown) > 4 else "")
        return f"{frm} → {to}{via}"
    if leg.kind == "border":
        return f"border at {frm}"
    if leg.kind == "transfer":
        return f"transfer at {frm}"
    return f"{leg.kind} at {frm}"


def itinerary_table(it: Itinerary, network: Network, *, lang: str = "en") -> Table:
    """A table of legs with hours split and a totals row."""
    title = (
        f"{place_name(network, it.origin, lang)} → {place_name(network, it.destination, lang)}"
        f" · {it.tonnes:g} t {it.cargo} · optimize {it.objective}"
        + (f" · scenario {it.scenario}" if it.scenario else "")
    )
    table = Table(title=title, show_footer=True)
    t = it.totals
    table.add_column("#", justify="right", footer="")
    table.add_column("step", footer="total")
    table.add_column("mode", footer=" + ".join(it.modes))
    table.add_column("km", justify="right", footer=f"{t.distance_km:,.0f}")
    table.add_column("move h", justify="right", footer=f"{t.moving_hours:,.1f}")
    table.add_column("handle h", justify="right", footer=f"{t.handling_hours:,.1f}")
    table.add_column("border h", justify="right", footer=f"{t.border_hours:,.1f}")
    table.add_column("wait h", justify="right", footer=f"{t.waiting_hours:,.1f}")
    table.add_column("cost USD", justify="right", footer=f"{t.cost_usd:,.0f}")
    table.add_column("CO2e kg", justify="right", footer=f"{t.co2e_kg:,.0f}")
    for i, leg in enumerate(it.legs, 1):
        table.add_row(
            str(i),
            _step(leg, network, lang),
            _mode_label(leg, lang),
            f"{leg.distance_km:,.0f}" if leg.distance_km else "",
            _h(leg.moving_hours),
            _h(leg.handling_hours),
            _h(leg.border_hours),
            _h(leg.waiting_hours),
            f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_kg:,.0f}" if leg.co2e_kg else "",
        )
    return table


def _h(hours: float) -> str:
    return f"{hours:,.1f}" if hours else ""


def summary_line(it: Itinerary) -> str:
    """One line: days, money, per tonne, CO2e and generalized cost."""
    t = it.totals
    text = (
        f"{t.days:.1f} days door to door · {t.cost_usd:,.0f} USD ({t.cost_usd_per_t:,.1f} USD/t)"
        f" · {t.co2e_kg / 1000:,.1f} t CO2e ({t.co2e_kg_per_t:,.1f} kg/t)"
        f" · generalized cost {t.generalized_cost_usd:,.0f} USD"
        f" (time value {t.time_value_usd:,.0f}"
    )
    if t.carbon_cost_usd:
        text += f", carbon {t.carbon_cost_usd:,.0f}"
    return text + ")"


def families_table(
    results: Sequence[FamilyResult], network: Network, *, title: str, lang: str = "en"
) -> Table:
    """Side-by-side best route per mode family."""
    table = Table(title=title)
    for name, justify in (
        ("family", "left"),
        ("route", "left"),
        ("cost USD", "right"),
        ("USD/t", "right"),
        ("days", "right"),
        ("t CO2e", "right"),
        ("kg CO2e/t", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in results:
        if r.itinerary is None:
            table.add_row(r.family.label, "[dim]no route[/dim]", "", "", "", "", "")
            continue
        it, t = r.itinerary, r.itinerary.totals
        table.add_row(
            r.family.label,
            route_outline(it, network, lang=lang),
            f"{t.cost_usd:,.0f}",
            f"{t.cost_usd_per_t:,.1f}",
            f"{t.days:.1f}",
            f"{t.co2e_kg / 1000:,.1f}",
            f"{t.co2e_kg_per_t:,.1f}",
        )
    return table


def route_outline(it: Itinerary, network: Network, *, lang: str = "en", limit: int = 7) -> str:
    """Short description: the modes with the places where they change."""
    parts: list[str] = []
    for leg in it.legs:
        if leg.kind != "move":
            continue
        to = place_name(network, leg.to_node, lang)
        label = _mode_label(leg, lang)
        if not parts:
            parts.append(place_name(network, leg.from_node, lang))
        parts.append(f"-{label}→ {to}")
    if len(parts) > limit:
        parts = [*parts[: limit - 2], "…", parts[-1]]
    return " ".join(parts)


def dump_json(data: Any) -> str:
    """Pretty JSON with Persian kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def uncertainty_table(labels: list[str], comparison: Comparison, *, title: str) -> Table:
    """p10–p90 of cost and days per option and how often each is cheapest and fastest."""
    table = Table(title=title, title_justify="left")
    for col in (
        "option",
        "USD p10 / p50 / p90",
        "days p10 / p50 / p90",
        "P(cheapest)",
        "P(fastest)",
    ):
        table.add_column(col, justify="left" if col == "option" else "right")
    for label, spread in zip(labels, comparison.spreads, strict=True):
        if spread is None:
            table.add_row(escape(label), "no route", "", "", "")
            continue
        c, d = spread.cost_usd, spread.days
        table.add_row(
            escape(label),
            f"{c.p10:,.0f} / {c.p50:,.0f} / {c.p90:,.0f}",
            f"{d.p10:.1f} / {d.p50:.1f} / {d.p90:.1f}",
            f"{spread.p_cheapest:.0%}",
            f"{spread.p_fastest:.0%}",
        )
    return table


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
