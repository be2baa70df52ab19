"""Rendering of planner results for the terminal (rich tables) and as JSON.

Two rules hold for everything printed here:

- Text that comes from the user or a data file (place and cargo names, scenario names,
  notes, reasons) is escaped with :func:`plain` before it meets Rich, so ``[tea hub]`` in a
  node name is shown as written and ``[/bold]`` typed as a place cannot break the output.
- Every label goes through the message catalog (:mod:`caspian.cli.i18n`), and tables
  adapt to the terminal: below :data:`NARROW_COLUMNS` columns they drop or merge
  low-value columns, numbers never wrap and long names fold at word boundaries.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from caspian.cli.i18n import LANGS, t, t_or

if TYPE_CHECKING:
    from caspian.model.network import Commodity, Network
    from caspian.model.places import PlaceMatch
    from caspian.routing.families import FamilyResult
    from caspian.routing.itinerary import Itinerary, Leg
    from caspian.routing.uncertainty import Comparison

__all__ = [
    "LANGS",
    "NARROW_COLUMNS",
    "cargo_legend",
    "cargo_table",
    "console",
    "cpmm_legend",
    "dump_json",
    "families_table",
    "itinerary_table",
    "node_names",
    "place_name",
    "places_table",
    "plain",
    "route_outline",
    "summary_line",
    "uncertainty_table",
]

NARROW_COLUMNS = 110
"""Below this many terminal columns, tables use their compact layout."""


def plain(text: object) -> str:
    """``text`` made safe to print through Rich: square brackets are shown, never parsed."""
    return escape(str(text))


def console(*, stderr: bool = False) -> Console:
    """A console that keeps tables readable when output is piped (120 columns)."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or "COLUMNS" in os.environ else 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def is_narrow(width: int | None) -> bool:
    """Whether a table ``width`` columns wide needs the compact layout."""
    return width is not None and width < NARROW_COLUMNS


def place_name(network: Network, node_id: str, lang: str) -> str:
    """The display name of a node in ``lang`` (``en`` or ``fa``), not escaped."""
    node = network.nodes.get(node_id)
    if node is None:
        return node_id
    return node.name_fa if lang == "fa" and node.name_fa else node.name_en


def cargo_name(network: Network, cargo: str, lang: str) -> str:
    """The display name of a commodity id in ``lang``, not escaped."""
    c = network.commodities.get(cargo)
    if c is None:
        return cargo
    return c.name_fa if lang == "fa" and c.name_fa else c.name_en


def node_names(network: Network, lang: str) -> dict[str, str]:
    """Display names of every node in ``lang``."""
    return {i: place_name(network, i, lang) for i in network.nodes}


def mode_label(mode: str, lang: str) -> str:
    """A link mode (or ``a>b`` transfer) in words."""
    if ">" in mode:
        return "→".join(mode_label(m, lang) for m in mode.split(">"))
    return t_or(f"mode.{mode}", lang, mode)


def objective_label(objective: str, lang: str) -> str:
    """``generalized``, ``cost``, ``time`` or ``co2`` in words."""
    return t_or(f"objective.{objective}", lang, objective)


def _mode_label(leg: Leg, lang: str) -> str:
    return mode_label(leg.mode, lang)


def _step(leg: Leg, network: Network, lang: str) -> str:
    frm = plain(place_name(network, leg.from_node, lang))
    to = plain(place_name(network, leg.to_node, lang))
    if leg.kind == "move":
        via = ""
        if leg.via:
            shown = [plain(place_name(network, v, lang)) for v in leg.via]
            places = ", ".join(shown[:4]) + (" …" if len(shown) > 4 else "")
            via = t("step.via", lang, places=places)
        return t("step.move", lang, frm=frm, to=to) + via
    if leg.kind in ("load", "unload", "transfer", "border"):
        return t(f"step.{leg.kind}", lang, place=frm)
    return t("step.other", lang, kind=plain(leg.kind), place=frm)


def route_title(it: Itinerary, network: Network, lang: str) -> str:
    """``origin → destination · tonnes cargo · optimize …`` (escaped, translated)."""
    title = t(
        "title.route",
        lang,
        origin=plain(place_name(network, it.origin, lang)),
        destination=plain(place_name(network, it.destination, lang)),
        tonnes=f"{it.tonnes:,g}",
        cargo=plain(cargo_name(network, it.cargo, lang)),
        objective=objective_label(it.objective, lang),
    )
    if it.scenario:
        title += t("title.scenario", lang, name=plain(it.scenario))
    return title


def _num_column(table: Table, header: str, footer: str = "") -> None:
    table.add_column(header, justify="right", footer=footer, no_wrap=True)


def itinerary_table(
    it: Itinerary, network: Network, *, lang: str = "en", width: int | None = None
) -> Table:
    """A table of legs with a totals row.

    Wide (``width`` unknown or ≥ :data:`NARROW_COLUMNS`): hours split into moving, rest,
    handling, border and waiting. Narrow: one hours column, so the table fits 80 columns.
    """
    table = Table(title=route_title(it, network, lang), show_footer=True)
    tot = it.totals
    narrow = is_narrow(width)
    table.add_column(t("col.num", lang), justify="right", no_wrap=True)
    table.add_column(
        t("col.step", lang), footer=t("col.total", lang), overflow="fold", ratio=3, min_width=16
    )
    table.add_column(
        t("col.mode", lang),
        footer=" + ".join(mode_label(m, lang) for m in it.modes),
        overflow="fold",
        ratio=1,
        min_width=5,
    )
    _num_column(table, t("col.km", lang), f"{tot.distance_km:,.0f}")
    if narrow:
        _num_column(table, t("col.hours", lang), f"{tot.hours:,.1f}")
        _num_column(table, t("col.usd", lang), f"{tot.cost_usd:,.0f}")
    else:
        _num_column(table, t("col.move_h", lang), f"{tot.moving_hours:,.1f}")
        _num_column(table, t("col.rest_h", lang), f"{tot.rest_hours:,.1f}")
        _num_column(table, t("col.handle_h", lang), f"{tot.handling_hours:,.1f}")
        _num_column(table, t("col.border_h", lang), f"{tot.border_hours:,.1f}")
        _num_column(table, t("col.wait_h", lang), f"{tot.waiting_hours:,.1f}")
        _num_column(table, t("col.cost_usd", lang), f"{tot.cost_usd:,.0f}")
    _num_column(table, t("col.co2e_kg", lang), f"{tot.co2e_kg:,.0f}")
    for i, leg in enumerate(it.legs, 1):
        hours = (
            [_h(leg.hours)]
            if narrow
            else [
                _h(leg.moving_hours),
                _h(leg.rest_hours),
                _h(leg.handling_hours),
                _h(leg.border_hours),
                _h(leg.waiting_hours),
            ]
        )
        table.add_row(
            str(i),
            _step(leg, network, lang),
            _mode_label(leg, lang),
            f"{leg.distance_km:,.0f}" if leg.distance_km else "",
            *hours,
            f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_kg:,.0f}" if leg.co2e_kg else "",
        )
    return table


def route_legend(lang: str = "en", *, width: int | None = None) -> str:
    """What the itinerary table's hour columns and the generalized cost mean (escaped)."""
    return plain(t("legend.route_narrow" if is_narrow(width) else "legend.route", lang))


def cpmm_legend(lang: str = "en") -> str:
    """What TFI1–4, SWD and SWOD (CAREC CPMM indicators) mean (escaped)."""
    return plain(t("legend.cpmm", lang))


def _h(hours: float) -> str:
    return f"{hours:,.1f}" if hours else ""


def summary_line(it: Itinerary, *, lang: str = "en") -> str:
    """One line: days, money, per tonne, CO2e and generalized cost."""
    tot = it.totals
    carbon = (
        t("summary.carbon", lang, value=f"{tot.carbon_cost_usd:,.0f}")
        if tot.carbon_cost_usd
        else ""
    )
    return t(
        "summary",
        lang,
        days=f"{tot.days:.1f}",
        cost=f"{tot.cost_usd:,.0f}",
        per_t=f"{tot.cost_usd_per_t:,.1f}",
        co2=f"{tot.co2e_kg / 1000:,.1f}",
        co2_per_t=f"{tot.co2e_kg_per_t:,.1f}",
        gc=f"{tot.generalized_cost_usd:,.0f}",
        tv=f"{tot.time_value_usd:,.0f}",
        carbon=carbon,
    )


def family_label(name: str, fallback: str, lang: str) -> str:
    """A mode family's label in ``lang``."""
    return t_or(f"family.{name}", lang, fallback)


def families_table(
    results: Sequence[FamilyResult],
    network: Network,
    *,
    title: str,
    lang: str = "en",
    width: int | None = None,
) -> Table:
    """Side-by-side best route per mode family (``title`` must already be escaped)."""
    table = Table(title=title)
    narrow = is_narrow(width)
    table.add_column(
        t("col.family", lang), overflow="fold", min_width=8, max_width=14 if narrow else None
    )
    table.add_column(t("col.route", lang), overflow="fold", ratio=3, min_width=16)
    _num_column(table, t("col.cost_usd", lang))
    if not narrow:
        _num_column(table, t("col.usd_per_t", lang))
    _num_column(table, t("col.days", lang))
    _num_column(table, t("col.t_co2e", lang))
    if not narrow:
        _num_column(table, t("col.kg_co2e_per_t", lang))
    for r in results:
        label = plain(family_label(r.family.name, r.family.label, lang))
        if r.itinerary is None:
            blanks = [""] * (3 if narrow else 5)
            table.add_row(label, f"[dim]{t('no_route', lang)}[/dim]", *blanks)
            continue
        it, tot = r.itinerary, r.itinerary.totals
        cells = [f"{tot.cost_usd:,.0f}"]
        if not narrow:
            cells.append(f"{tot.cost_usd_per_t:,.1f}")
        cells += [f"{tot.days:.1f}", f"{tot.co2e_kg / 1000:,.1f}"]
        if not narrow:
            cells.append(f"{tot.co2e_kg_per_t:,.1f}")
        table.add_row(label, route_outline(it, network, lang=lang), *cells)
    return table


def route_outline(it: Itinerary, network: Network, *, lang: str = "en", limit: int = 7) -> str:
    """Short description: the modes with the places where they change (escaped)."""
    parts: list[str] = []
    for leg in it.legs:
        if leg.kind != "move":
            continue
        to = plain(place_name(network, leg.to_node, lang))
        label = _mode_label(leg, lang)
        if not parts:
            parts.append(plain(place_name(network, leg.from_node, lang)))
        parts.append(f"-{label}→ {to}")
    if len(parts) > limit:
        parts = [*parts[: limit - 2], "…", parts[-1]]
    return " ".join(parts)


def places_table(
    hits: Sequence[PlaceMatch], *, query: str, lang: str = "en", width: int | None = None
) -> Table:
    """Places found by :func:`~caspian.model.places.search_places` (all text escaped).

    Narrow: the name in the other language, what matched and the score are dropped.
    """
    title = (
        t("title.places_matching", lang, query=plain(query))
        if query
        else t("title.places_all", lang)
    )
    narrow = is_narrow(width)
    table = Table(title=title)
    table.add_column(t("col.id", lang), no_wrap=True)
    table.add_column(t("col.name", lang), overflow="fold", ratio=3)
    if not narrow:
        other = "col.english" if lang == "fa" else "col.persian"
        table.add_column(t(other, lang), overflow="fold", ratio=3)
    table.add_column(t("col.country", lang), no_wrap=True)
    table.add_column(t("col.kind", lang), overflow="fold", ratio=1)
    if query and not narrow:
        table.add_column(t("col.matched", lang), overflow="fold", ratio=2)
        table.add_column(t("col.score", lang), justify="right", no_wrap=True)
    for m in hits:
        n = m.node
        name, other_name = _pair(n.name_en, n.name_fa, lang)
        row = [plain(n.id), plain(name)]
        if not narrow:
            row.append(plain(other_name))
        row += [plain(n.country), t_or(f"kind.{n.kind}", lang, plain(n.kind))]
        if query and not narrow:
            row += [plain(m.matched), f"{m.score:.0f}"]
        table.add_row(*row)
    return table


def _pair(name_en: str, name_fa: str, lang: str) -> tuple[str, str]:
    """(name in ``lang``, name in the other language)."""
    if lang == "fa":
        return name_fa or name_en, name_en
    return name_en, name_fa


def cargo_table(
    commodities: Sequence[Commodity], *, lang: str = "en", width: int | None = None
) -> Table:
    """Commodities with their class, value, value of time and shelf life (escaped).

    Narrow: the HS code and the name in the other language are dropped.
    """
    narrow = is_narrow(width)
    table = Table(title=t("title.cargo", lang))
    table.add_column(t("col.id", lang), no_wrap=True)
    table.add_column(t("col.name", lang), overflow="fold", ratio=2)
    if not narrow:
        other = "col.english" if lang == "fa" else "col.persian"
        table.add_column(t(other, lang), overflow="fold", ratio=2)
        table.add_column(t("col.hs", lang), overflow="fold", ratio=1)
    table.add_column(t("col.class", lang), overflow="fold", ratio=1)
    _num_column(table, t("col.usd_per_t" if narrow else "col.value", lang))
    _num_column(table, t("col.pct_day" if narrow else "col.time_value", lang))
    _num_column(table, t("col.shelf", lang))
    for c in commodities:
        name, other_name = _pair(c.name_en, c.name_fa, lang)
        row = [plain(c.id), plain(name)]
        if not narrow:
            row += [plain(other_name), plain(c.hs_code)]
        shelf = (
            t("cargo.not_perishable", lang)
            if c.max_transit_days is None
            else f"{c.max_transit_days:g}"
        )
        value = f"{c.value_usd_per_t:,.0f}"
        if c.estimate:
            value = t("cargo.estimate", lang) + value
        row += [
            t_or(f"class.{c.cargo_class}", lang, plain(c.cargo_class)),
            value,
            f"{c.value_of_time_pct_per_day:g}",
            shelf,
        ]
        table.add_row(*row)
    return table


def cargo_legend(lang: str = "en") -> str:
    """What the cargo table's columns mean."""
    return plain(t("legend.cargo", lang))


def dump_json(data: Any) -> str:
    """Pretty JSON with Persian kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def uncertainty_table(
    labels: list[str], comparison: Comparison, *, title: str, lang: str = "en"
) -> Table:
    """p10–p90 of cost and days per option and how often each is cheapest and fastest.

    ``labels`` are plain text (escaped here); ``title`` must already be escaped.
    """
    table = Table(title=title, title_justify="left")
    table.add_column(t("col.option", lang), overflow="fold", ratio=1, min_width=10)
    for key in ("col.usd_p", "col.days_p", "col.p_cheapest", "col.p_fastest"):
        table.add_column(t(key, lang), justify="right", overflow="fold")
    for label, spread in zip(labels, comparison.spreads, strict=True):
        if spread is None:
            table.add_row(plain(label), t("no_route", lang), "", "", "")
            continue
        c, d = spread.cost_usd, spread.days
        table.add_row(
            plain(label),
            f"{c.p10:,.0f} / {c.p50:,.0f} / {c.p90:,.0f}",
            f"{d.p10:.1f} / {d.p50:.1f} / {d.p90:.1f}",
            f"{spread.p_cheapest:.0%}",
            f"{spread.p_fastest:.0%}",
        )
    return table
