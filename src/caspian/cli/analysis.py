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
    from caspian.routing.uncertainty import ScenarioSpread

__all__ = ["register", "write_atomic"]  # write_atomic re-exported for cli.calibrate

MAX_ALTERNATIVES = 10
"""Most alternative routes a chart or report shows (each costs a route search)."""

OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")]
CorridorsOpt = Annotated[
    Path | None,
    typer.Option("--corridors", help="CSV of corridors: label,origin,destination,cargo,tonnes."),
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
    from caspian.cli.render import LANGS, console, dump_json, node_names, route_outline
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
        write_atomic(output, save_figure(pareto_figure(front), fmt=_fmt(output)))
    if as_json:
        names = node_names(network, lang)
        typer.echo(dump_json({"front": [it.to_dict(names=names) for it in front]}))
        return
    table = Table(title=escape(f"Pareto front {origin} → {destination} · {tonnes:g} t {cargo}"))
    for col in ("#", "route", "cost USD", "days", "t CO2e"):
        table.add_column(col)
    for i, it in enumerate(front, 1):
        t = it.totals
        table.add_row(
            str(i),
            route_outline(it, network, lang=lang),
            f"{t.cost_usd:,.0f}",
            f"{t.days:.1f}",
            f"{t.co2e_kg / 1000:,.2f}",
        )
    out = console()
    out.print(table)
    if output is not None:
        out.print(f"chart written to {escape(str(output))}")


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
    as_json: JsonOpt = False,
) -> None:
    """UN ESCAP time/cost-distance chart of one or several routes, and CPMM indicators."""
    from rich.markup import escape

    from caspian.analysis.charts import save_figure, tcd_figure, tcd_points
    from caspian.analysis.indicators import cpmm_indicators
    from caspian.analysis.routesets import route_set
    from caspian.cli.render import console, dump_json
    from caspian.routing.search import RouteOptions

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
    write_atomic(output, save_figure(tcd_figure(routes, network), fmt=_fmt(output)))
    if as_json:
        typer.echo(
            dump_json(
                {
                    "routes": [
                        {
                            "label": label,
                            "points": [
                                {"km": p[0], "usd_per_t": p[1], "hours": p[2], "label": p[3]}
                                for p in tcd_points(it, network)
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
    for label, it in routes:
        ind = cpmm_indicators(it, network)
        out.print(
            f"[bold]{escape(label)}[/bold]: {it.totals.distance_km:,.0f} km, "
            f"{it.totals.cost_usd_per_t:,.1f} USD/t, {it.totals.days:.1f} days; "
            f"SWOD {ind.swod_kmh:.1f} km/h, SWD {ind.swd_kmh:.1f} km/h"
        )
        for c in ind.crossings:
            out.print(
                f"  TFI1/TFI2 {escape(c.name)} ({c.mode}): {c.hours:.1f} h, {c.cost_usd:,.0f} USD"
            )
    out.print(f"chart written to {escape(str(output))}")


def _spread_dict(s: ScenarioSpread | None) -> dict[str, object] | None:
    if s is None:
        return None
    return {
        "cost_delta_usd": [s.cost_delta_usd.p10, s.cost_delta_usd.p50, s.cost_delta_usd.p90],
        "days_delta": [s.days_delta.p10, s.days_delta.p50, s.days_delta.p90],
        "p_cheaper": s.p_cheaper,
        "p_faster": s.p_faster,
    }


def _delta_cell(c: CorridorChange, field: str, scale: float, fmt: str) -> str:
    """``before → after (Δ)``, or one value when it did not change at this precision."""
    b = getattr(c.before.totals, field) * scale if c.before else None
    a = getattr(c.after.totals, field) * scale if c.after else None
    if a is None or b is None:
        return f"{'—' if b is None else format(b, fmt)} → {'—' if a is None else format(a, fmt)}"
    if format(a, fmt) == format(b, fmt):
        return format(a, fmt)
    return f"{format(b, fmt)} → {format(a, fmt)} ({a - b:+{fmt}})"


def compare(
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name or YAML file.")],
    corridors: CorridorsOpt = None,
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    data: DataOpt = None,
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
    from caspian.cli.render import console, dump_json
    from caspian.routing.uncertainty import check_draws, scenario_under_uncertainty
    from caspian.scenarios import apply_scenario, load_scenario

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
    table = Table(title=escape(f"Scenario {scn.name}: {scn.description}"))
    table.add_column("corridor (shipment)")
    table.add_column("status")
    table.add_column("cost USD", justify="right")
    table.add_column("days", justify="right")
    table.add_column("t CO2e", justify="right")
    if uncertainty:
        table.add_column(f"Δ p10…p90 ({uncertainty:,} draws)", justify="right")
    style = {"now unreachable": "bold red", "changed": "yellow", "now reachable": "green"}
    for c, s in zip(changes, spreads, strict=True):
        status = c.status
        row = [
            escape(f"{c.corridor.label}, {c.corridor.tonnes:,.0f} t"),
            f"[{style.get(status, 'default')}]{status}[/]",
            _delta_cell(c, "cost_usd", 1, ",.0f"),
            _delta_cell(c, "days", 1, ".1f"),
            _delta_cell(c, "co2e_kg", 0.001, ",.1f"),
        ]
        if uncertainty:
            if s is None:
                row.append("—")
            elif status == "unchanged":
                row.append("none")
            else:
                row.append(
                    f"{s.cost_delta_usd.p10:+,.0f}…{s.cost_delta_usd.p90:+,.0f} USD, "
                    f"{s.days_delta.p10:+.1f}…{s.days_delta.p90:+.1f} d; cheaper in "
                    f"{s.p_cheaper:.0%}, faster in {s.p_faster:.0%} of draws"
                )
        table.add_row(*row)
    out.print(table)
    explained = [c for c in changes if c.why]
    if explained:
        out.print("What changed, and why:")
        for c in explained:
            out.print(f"  • {escape(c.corridor.label)}: {escape(c.why)}")


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
    from caspian.cli.render import console, dump_json

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
                    "elements": [asdict(r) for r in ranked],
                }
            )
        )
        return
    table = Table(title=f"Most critical elements over {len(flows)} corridors (rank: {rank_by})")
    for col in ("#", "kind", "element", "cut", "rerouted", "mean +%", "max +%", "extra USD"):
        table.add_column(col, justify="left" if col in ("kind", "element") else "right")
    for i, r in enumerate(ranked, 1):
        table.add_row(
            str(i),
            r.kind,
            escape(r.name),
            str(r.corridors_cut),
            str(r.corridors_affected - r.corridors_cut),
            f"{r.mean_increase_pct:.1f}",
            f"{r.max_increase_pct:.1f}" if r.corridors_affected > r.corridors_cut else "—",
            f"{r.extra_cost_usd:,.0f}",
        )
    out = console()
    out.print(table)
    out.print(
        "cut = corridors left without a route; rerouted = corridors that find another route; "
        "mean/max +% = increase in generalized cost (money + value of time) over the corridors "
        "that keep a route; extra USD = summed over them."
    )


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
    console().print(f"report written to {escape(str(output))} ({len(page) / 1024:,.0f} KiB)")


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the main app."""
    app.command()(handles_errors(pareto))
    app.command()(handles_errors(tcd))
    app.command()(handles_errors(compare))
    app.command("criticality")(handles_errors(criticality_cmd))
    app.command()(handles_errors(report))
