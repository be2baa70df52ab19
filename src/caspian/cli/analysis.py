"""Analysis commands: pareto, tcd, compare, criticality, report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from caspian.cli.common import (
    CargoOpt,
    DataOpt,
    FromOpt,
    JsonOpt,
    LangOpt,
    PlannedOpt,
    ScenarioOpt,
    SeedOpt,
    TonnesOpt,
    ToOpt,
    UncertaintyOpt,
    check_choice,
    handles_errors,
    load,
)
from caspian.errors import NoRouteError, ValidationError
from caspian.io.files import check_output, write_atomic

if TYPE_CHECKING:
    from caspian.analysis.compare import CorridorChange
    from caspian.routing.itinerary import Itinerary
    from caspian.routing.uncertainty import ScenarioSpread

__all__ = ["register", "write_atomic"]  # write_atomic re-exported for cli.calibrate

MAX_ALTERNATIVES = 10
"""Most alternative routes a chart or report shows (each costs a route search)."""

OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")]
CorridorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--corridors",
        help="CSV of corridors: label,origin,destination,cargo,tonnes (optional label_fa).",
    ),
]


def _chart_path(output: Path | None, allowed: tuple[str, ...]) -> Path | None:
    """Check an output before any work: its suffix names a format, and it can be written."""
    if output is None:
        return None
    if output.suffix.lower().lstrip(".") not in allowed:
        raise ValidationError(
            f"-o {output}: the chart format comes from the suffix; use one of "
            + ", ".join(f".{a}" for a in allowed)
        )
    return check_output(output, what="-o")


def _check_count(value: int, option: str, *, minimum: int) -> int:
    if not minimum <= value <= MAX_ALTERNATIVES:
        zero = " (0 = off)" if minimum == 0 else ""
        raise ValidationError(
            f"{option} must be a whole number from {minimum}{zero} to {MAX_ALTERNATIVES}; "
            f"got {value}"
        )
    return value


def _fmt(output: Path) -> str:
    return output.suffix.lower().lstrip(".")


def pareto(
    origin: FromOpt,
    destination: ToOpt,
    cargo: CargoOpt = "general_container",
    tonnes: TonnesOpt = 20.0,
    include_planned: PlannedOpt = False,
    scenario: ScenarioOpt = None,
    output: OutOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """The exact set of routes not beaten on cost, time and CO2e at once (with a chart)."""
    from rich.markup import escape
    from rich.table import Table

    from caspian.analysis.charts import pareto_figure, save_figure
    from caspian.cli.i18n import t
    from caspian.cli.render import (
        LANGS,
        cargo_name,
        console,
        dump_json,
        node_names,
        place_name,
        route_outline,
    )
    from caspian.routing.pareto import pareto_front
    from caspian.routing.search import RouteOptions

    check_choice(lang, LANGS, "--lang")
    _chart_path(output, ("png", "svg"))
    network = load(data, scenario)
    front = pareto_front(
        network,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        options=RouteOptions(include_planned=include_planned),
    )
    if not front:
        raise NoRouteError(f"No route from {origin} to {destination} with these options.")
    if output is not None:
        write_atomic(output, save_figure(pareto_figure(front, lang=lang), fmt=_fmt(output)))
    if as_json:
        names = node_names(network, lang)
        typer.echo(dump_json({"front": [it.to_dict(names=names) for it in front]}))
        return
    first = front[0]
    title = t(
        "title.pareto",
        lang,
        origin=origin if lang == "en" else place_name(network, first.origin, lang),
        destination=destination if lang == "en" else place_name(network, first.destination, lang),
        tonnes=f"{tonnes:g}",
        cargo=cargo if lang == "en" else cargo_name(network, first.cargo, lang),
    )
    table = Table(title=escape(title))
    for col in ("col.num", "col.route", "col.cost_usd", "col.days", "col.t_co2e"):
        table.add_column(t(col, lang))
    for i, it in enumerate(front, 1):
        tot = it.totals
        table.add_row(
            str(i),
            route_outline(it, network, lang=lang),
            f"{tot.cost_usd:,.0f}",
            f"{tot.days:.1f}",
            f"{tot.co2e_kg / 1000:,.2f}",
        )
    out = console()
    out.print(table)
    if output is not None:
        out.print(t("chart.written", lang, path=escape(str(output))))


def tcd(
    origin: FromOpt,
    destination: ToOpt,
    output: Annotated[Path, typer.Option("-o", "--output", help="Chart file: .png or .svg.")],
    cargo: CargoOpt = "general_container",
    tonnes: TonnesOpt = 20.0,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Route specs 'label=modes' separated by ';', e.g. "
            "'road=road;rail+sea=rail,sea,road'.",
        ),
    ] = None,
    alternatives: Annotated[
        int, typer.Option("--alternatives", help="Chart the K best substantive routes.")
    ] = 0,
    include_planned: PlannedOpt = False,
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """UN ESCAP time/cost-distance chart of one or several routes, and CPMM indicators."""
    from rich.markup import escape

    from caspian.analysis.charts import save_figure, tcd_figure, tcd_points
    from caspian.analysis.indicators import cpmm_indicators
    from caspian.analysis.routesets import route_set
    from caspian.cli.i18n import t
    from caspian.cli.render import LANGS, console, dump_json, mode_label, place_name
    from caspian.routing.search import RouteOptions

    check_choice(lang, LANGS, "--lang")
    _check_count(alternatives, "--alternatives", minimum=0)
    _chart_path(output, ("png", "svg"))
    network = load(data, scenario)
    routes = route_set(
        network,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        options=RouteOptions(include_planned=include_planned),
        specs=compare,
        alternatives=alternatives,
    )
    shown = _route_labels(routes, generated=compare is None, alternatives=alternatives, lang=lang)
    write_atomic(output, save_figure(tcd_figure(shown, network, lang=lang), fmt=_fmt(output)))
    if as_json:
        typer.echo(
            dump_json(
                {
                    "routes": [
                        {
                            "label": label,
                            "points": [
                                {"km": p[0], "usd_per_t": p[1], "hours": p[2], "label": p[3]}
                                for p in tcd_points(it, network, lang=lang)
                            ],
                            "cpmm": cpmm_indicators(it, network).to_dict(),
                        }
                        for label, it in routes
                    ]
                }
            )
        )
        return
    out = console()
    for label, it in shown:
        ind = cpmm_indicators(it, network)
        tot = it.totals
        line = t(
            "tcd.route",
            lang,
            label=f"[bold]{escape(label)}[/bold]",
            km=f"{tot.distance_km:,.0f}",
            usd_per_t=f"{tot.cost_usd_per_t:,.1f}",
            days=f"{tot.days:.1f}",
            swod=f"{ind.swod_kmh:.1f}",
            swd=f"{ind.swd_kmh:.1f}",
        )
        out.print(line)
        for c in ind.crossings:
            name = c.name if lang == "en" else place_name(network, c.node, lang)
            crossing = t(
                "tcd.crossing",
                lang,
                name=escape(name),
                mode=c.mode if lang == "en" else mode_label(c.mode, lang),
                hours=f"{c.hours:.1f}",
                usd=f"{c.cost_usd:,.0f}",
            )
            out.print(f"  {crossing}")
    out.print(t("chart.written", lang, path=escape(str(output))))


def _route_labels(
    routes: list[tuple[str, Itinerary]], *, generated: bool, alternatives: int, lang: str
) -> list[tuple[str, Itinerary]]:
    """Route-set labels for display: the generated ``best: road + sea`` / ``2: rail``
    translated (a --compare label is the user's own text and stays as written)."""
    from caspian.cli.i18n import t
    from caspian.cli.render import mode_label

    if lang == "en" or not generated:
        return routes
    out = []
    for i, (_label, it) in enumerate(routes, 1):
        modes = " + ".join(mode_label(m, lang) for m in it.modes)
        key = "tcd.alternative" if alternatives else "tcd.best"
        out.append((t(key, lang, i=i, modes=modes), it))
    return out


def _spread_dict(s: ScenarioSpread | None) -> dict[str, object] | None:
    if s is None:
        return None
    return {
        "cost_delta_usd": [s.cost_delta_usd.p10, s.cost_delta_usd.p50, s.cost_delta_usd.p90],
        "days_delta": [s.days_delta.p10, s.days_delta.p50, s.days_delta.p90],
        "p_cheaper": s.p_cheaper,
        "p_faster": s.p_faster,
    }


def _delta_cell(c: CorridorChange, field: str, scale: float, fmt: str, lang: str = "en") -> str:
    """``before → after (Δ)``, or one value when it did not change at this precision.

    In Persian the arrow points left (``←``), the way a right-to-left line reads, as the
    catalog's ``step.move`` does.
    """
    arrow = "←" if lang == "fa" else "→"
    b = getattr(c.before.totals, field) * scale if c.before else None
    a = getattr(c.after.totals, field) * scale if c.after else None
    if a is None or b is None:
        old, new = ("—" if v is None else format(v, fmt) for v in (b, a))
        return f"{old} {arrow} {new}"
    if format(a, fmt) == format(b, fmt):
        return format(a, fmt)
    return f"{format(b, fmt)} {arrow} {format(a, fmt)} ({a - b:+{fmt}})"


def compare(
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name or YAML file.")],
    corridors: CorridorsOpt = None,
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Before/after cost, time and CO2e of the corridors under a scenario, with what changed.

    Each row shows the shipment, the totals before → after and their change, and one line
    on what moved (border, waiting, moving hours; cost) and, where the scenario opens a
    link the route does not use, why not (the best route through it, priced the same way).
    With --uncertainty N: p10–p90 of the change and how often the scenario is cheaper and
    faster over N seeded draws of the uncertain parameters.
    """
    from rich.markup import escape
    from rich.table import Table

    from caspian.analysis import DEFAULT_CORRIDORS, compare_scenario, load_corridors
    from caspian.analysis.corridors import corridor_label
    from caspian.cli.i18n import t
    from caspian.cli.render import LANGS, console, dump_json
    from caspian.model.text import localize
    from caspian.routing.uncertainty import check_draws, scenario_under_uncertainty
    from caspian.scenarios import apply_scenario, load_scenario

    check_choice(lang, LANGS, "--lang")
    if uncertainty:
        check_draws(uncertainty, seed)
    before = load(data)
    scn = load_scenario(scenario)
    after = apply_scenario(before, scn)
    flows = load_corridors(corridors) if corridors else list(DEFAULT_CORRIDORS)
    changes = compare_scenario(before, after, flows)
    spreads = (
        scenario_under_uncertainty(
            before, after, [(c.before, c.after) for c in changes], draws=uncertainty, seed=seed
        )
        if uncertainty
        else [None] * len(changes)
    )
    if as_json:
        typer.echo(
            dump_json(
                {
                    "scenario": scn.name,
                    "draws": uncertainty,
                    "seed": seed,
                    "corridors": [
                        {
                            "label": c.corridor.label,
                            "cargo": c.corridor.cargo,
                            "tonnes": c.corridor.tonnes,
                            "status": c.status,
                            "before": None if c.before is None else c.before.to_dict()["totals"],
                            "after": None if c.after is None else c.after.to_dict()["totals"],
                            "delta": {f: c.delta(f) for f in ("cost_usd", "hours", "co2e_kg")},
                            "before_modes": [] if c.before is None else list(c.before.modes),
                            "after_modes": [] if c.after is None else list(c.after.modes),
                            "why": c.why,
                            "reason": c.after_reason or c.before_reason,
                            "uncertainty": _spread_dict(s),
                        }
                        for c, s in zip(changes, spreads, strict=True)
                    ],
                }
            )
        )
        return
    out = console()
    table = Table(
        title=escape(t("title.compare", lang, name=scn.name, description=scn.describe(lang)))
    )
    table.add_column(t("col.corridor_shipment", lang))
    table.add_column(t("col.status", lang))
    table.add_column(t("col.cost_usd", lang), justify="right")
    table.add_column(t("col.days", lang), justify="right")
    table.add_column(t("col.t_co2e", lang), justify="right")
    if uncertainty:
        table.add_column(t("col.delta_p", lang, n=f"{uncertainty:,}"), justify="right")
    style = {"now unreachable": "bold red", "changed": "yellow", "now reachable": "green"}
    labels = [corridor_label(c.corridor, before, lang) for c in changes]
    for c, s, label in zip(changes, spreads, labels, strict=True):
        status = c.status
        shipment = t("compare.shipment", lang, label=label, tonnes=f"{c.corridor.tonnes:,.0f}")
        row = [
            escape(shipment),
            f"[{style.get(status, 'default')}]{t(f'status.{status}', lang)}[/]",
            _delta_cell(c, "cost_usd", 1, ",.0f", lang),
            _delta_cell(c, "days", 1, ".1f", lang),
            _delta_cell(c, "co2e_kg", 0.001, ",.1f", lang),
        ]
        if uncertainty:
            if s is None:
                row.append("—")
            elif status == "unchanged":
                row.append(t("compare.none", lang))
            else:
                row.append(
                    t(
                        "compare.spread",
                        lang,
                        usd_lo=f"{s.cost_delta_usd.p10:+,.0f}",
                        usd_hi=f"{s.cost_delta_usd.p90:+,.0f}",
                        d_lo=f"{s.days_delta.p10:+.1f}",
                        d_hi=f"{s.days_delta.p90:+.1f}",
                        cheaper=f"{s.p_cheaper:.0%}",
                        faster=f"{s.p_faster:.0%}",
                    )
                )
        table.add_row(*row)
    out.print(table)
    explained = [(c, label) for c, label in zip(changes, labels, strict=True) if c.why]
    if explained:
        out.print(t("compare.why", lang))
        for c, label in explained:
            out.print(f"  • {escape(label)}: {escape(localize(c.why, lang))}")


def criticality_cmd(
    corridors: CorridorsOpt = None,
    top: Annotated[int, typer.Option("--top", help="How many elements to list.")] = 15,
    rank_by: Annotated[
        str,
        typer.Option(
            "--rank-by",
            help="mean: mean % increase over the corridors; max: largest % increase; "
            "usd: extra USD summed (favours the biggest shipments). Cut corridors rank first.",
        ),
    ] = "mean",
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Rank links, border crossings and ports by what losing them costs the corridors.

    Removes each element on a corridor's best route in turn and re-plans it.
    Ranking, relative so that big shipments do not dominate:
    1. corridors left without any route (cut);
    2. mean % increase in generalized cost over the corridors that keep a route
       (0 % for those that do not use the element);
    3. the largest single % increase.
    The extra USD (summed over corridors) is shown too; --rank-by usd ranks by it.

    Example: caspian criticality --top 10
    """
    from dataclasses import asdict

    from rich.markup import escape
    from rich.table import Table

    from caspian.analysis import DEFAULT_CORRIDORS, criticality, load_corridors
    from caspian.analysis.criticality import RANKINGS
    from caspian.cli.i18n import t, t_or
    from caspian.cli.render import LANGS, console, dump_json
    from caspian.model.text import localize

    check_choice(lang, LANGS, "--lang")
    if top < 1:
        raise ValidationError(f"--top must be ≥ 1; got {top}")
    check_choice(rank_by, tuple(RANKINGS), "--rank-by")
    network = load(data, scenario)
    flows = load_corridors(corridors) if corridors else list(DEFAULT_CORRIDORS)
    ranked = criticality(network, flows, rank_by=rank_by)[:top]
    if as_json:
        typer.echo(
            dump_json(
                {
                    "rank_by": rank_by,
                    "corridors": len(flows),
                    "elements": [{**asdict(r), "name": localize(r.name, lang)} for r in ranked],
                }
            )
        )
        return
    title = t("title.criticality", lang, n=len(flows), rank=t(f"rank.{rank_by}", lang))
    table = Table(title=title)
    for col in (
        "col.num",
        "col.kind",
        "col.element",
        "col.cut",
        "col.rerouted",
        "col.mean_pct",
        "col.max_pct",
        "col.extra_usd",
    ):
        left = col in ("col.kind", "col.element")
        table.add_column(t(col, lang), justify="left" if left else "right")
    for i, r in enumerate(ranked, 1):
        table.add_row(
            str(i),
            t_or(f"element.{r.kind}", lang, r.kind),
            escape(localize(r.name, lang)),
            str(r.corridors_cut),
            str(r.corridors_affected - r.corridors_cut),
            f"{r.mean_increase_pct:.1f}",
            f"{r.max_increase_pct:.1f}" if r.corridors_affected > r.corridors_cut else "—",
            f"{r.extra_cost_usd:,.0f}",
        )
    out = console()
    out.print(table)
    out.print(escape(t("legend.criticality", lang)))


def report(
    origin: FromOpt,
    destination: ToOpt,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
    cargo: CargoOpt = "general_container",
    tonnes: TonnesOpt = 20.0,
    alternatives: Annotated[int, typer.Option("--alternatives", help="Routes shown.")] = 3,
    include_planned: PlannedOpt = False,
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
) -> None:
    """One self-contained HTML report (map, itineraries, TCD, Pareto, CPMM, scenario diff)."""
    from rich.markup import escape

    from caspian.analysis.report import render_report, report_input
    from caspian.cli.i18n import t
    from caspian.cli.render import LANGS, console
    from caspian.routing.search import RouteOptions
    from caspian.scenarios import load_scenario

    check_choice(lang, LANGS, "--lang")
    _check_count(alternatives, "--alternatives", minimum=1)
    if output.suffix.lower() not in (".html", ".htm"):
        raise ValidationError(f"-o {output}: the report is HTML; use a .html file name")
    check_output(output, what="-o")
    scn = load_scenario(scenario) if scenario else None
    page = render_report(
        report_input(
            load(data),
            origin,
            destination,
            cargo=cargo,
            tonnes=tonnes,
            alternatives=alternatives,
            options=RouteOptions(include_planned=include_planned),
            scenario=scn,
            lang=lang,
        )
    )
    write_atomic(output, page.encode("utf-8"))
    kib = f"{len(page) / 1024:,.0f}"
    console().print(t("report.written", lang, path=escape(str(output)), kib=kib))


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the main app."""
    app.command()(handles_errors(pareto))
    app.command()(handles_errors(tcd))
    app.command()(handles_errors(compare))
    app.command("criticality")(handles_errors(criticality_cmd))
    app.command()(handles_errors(report))
