"""Analysis commands: pareto, tcd, compare, criticality, report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from caspian.cli.common import (
    CargoOpt,
    DataOpt,
    FromOpt,
    JsonOpt,
    LangOpt,
    PlannedOpt,
    ScenarioOpt,
    TonnesOpt,
    ToOpt,
    check_choice,
    handles_errors,
    load,
)
from caspian.errors import NoRouteError, ValidationError

__all__ = ["register"]

OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")]
CorridorsOpt = Annotated[
    Path | None,
    typer.Option("--corridors", help="CSV of corridors: label,origin,destination,cargo,tonnes."),
]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, so nothing is left half-written."""
    path = Path(path)
    if not path.parent.exists():
        raise ValidationError(f"output folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _chart_path(output: Path | None, allowed: tuple[str, ...]) -> Path | None:
    if output is not None and output.suffix.lower().lstrip(".") not in allowed:
        raise ValidationError(
            f"-o {output}: the chart format comes from the suffix; use one of "
            + ", ".join(f".{a}" for a in allowed)
        )
    if output is not None and not output.parent.is_dir():
        raise ValidationError(f"-o {output}: the folder {output.parent} does not exist")
    return output


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
    table = Table(title=f"Pareto front {origin} → {destination} · {tonnes:g} t {cargo}")
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
        out.print(f"chart written to {output}")


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
    from caspian.analysis.charts import save_figure, tcd_figure, tcd_points
    from caspian.analysis.indicators import cpmm_indicators
    from caspian.analysis.routesets import route_set
    from caspian.cli.render import console, dump_json
    from caspian.routing.search import RouteOptions

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
            f"[bold]{label}[/bold]: {it.totals.distance_km:,.0f} km, "
            f"{it.totals.cost_usd_per_t:,.1f} USD/t, {it.totals.days:.1f} days; "
            f"SWOD {ind.swod_kmh:.1f} km/h, SWD {ind.swd_kmh:.1f} km/h"
        )
        for c in ind.crossings:
            out.print(f"  TFI1/TFI2 {c.name} ({c.mode}): {c.hours:.1f} h, {c.cost_usd:,.0f} USD")
    out.print(f"chart written to {output}")


def compare(
    scenario: Annotated[str, typer.Option("--scenario", help="Scenario name or YAML file.")],
    corridors: CorridorsOpt = None,
    data: DataOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Before/after cost, time and CO2e of the corridors under a scenario."""
    from rich.table import Table

    from caspian.analysis import DEFAULT_CORRIDORS, compare_scenario, load_corridors
    from caspian.cli.render import console, dump_json
    from caspian.scenarios import apply_scenario, load_scenario

    before = load(data)
    scn = load_scenario(scenario)
    after = apply_scenario(before, scn)
    flows = load_corridors(corridors) if corridors else list(DEFAULT_CORRIDORS)
    changes = compare_scenario(before, after, flows)
    if as_json:
        typer.echo(
            dump_json(
                {
                    "scenario": scn.name,
                    "corridors": [
                        {
                            "label": c.corridor.label,
                            "status": c.status,
                            "before": None if c.before is None else c.before.to_dict()["totals"],
                            "after": None if c.after is None else c.after.to_dict()["totals"],
                            "before_modes": [] if c.before is None else list(c.before.modes),
                            "after_modes": [] if c.after is None else list(c.after.modes),
                            "reason": c.after_reason or c.before_reason,
                        }
                        for c in changes
                    ],
                }
            )
        )
        return
    table = Table(title=f"Scenario {scn.name}: {scn.description}")
    for col in (
        "corridor",
        "status",
        "cost USD before → after",
        "days before → after",
        "t CO2e before → after",
        "modes after",
    ):
        table.add_column(col)
    for c in changes:

        def pair(field: str, scale: float, fmt: str, c: object = c) -> str:
            b = getattr(c.before.totals, field) * scale if c.before else None  # type: ignore[attr-defined]
            a = getattr(c.after.totals, field) * scale if c.after else None  # type: ignore[attr-defined]
            return (
                f"{'—' if b is None else format(b, fmt)} → {'—' if a is None else format(a, fmt)}"
            )

        style = {"now unreachable": "bold red", "changed": "yellow", "now reachable": "green"}
        status = c.status
        table.add_row(
            c.corridor.label,
            f"[{style.get(status, 'default')}]{status}[/]",
            pair("cost_usd", 1, ",.0f"),
            pair("days", 1, ".1f"),
            pair("co2e_kg", 0.001, ",.1f"),
            " + ".join(c.after.modes) if c.after else "",
        )
    console().print(table)


def criticality_cmd(
    corridors: CorridorsOpt = None,
    top: Annotated[int, typer.Option("--top", help="How many elements to list.")] = 15,
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank links, border crossings and ports by what losing them costs the corridors."""
    from dataclasses import asdict

    from rich.table import Table

    from caspian.analysis import DEFAULT_CORRIDORS, criticality, load_corridors
    from caspian.cli.render import console, dump_json

    if top < 1:
        raise ValidationError(f"--top must be ≥ 1; got {top}")
    network = load(data, scenario)
    flows = load_corridors(corridors) if corridors else list(DEFAULT_CORRIDORS)
    ranked = criticality(network, flows)[:top]
    if as_json:
        typer.echo(dump_json({"elements": [asdict(r) for r in ranked]}))
        return
    table = Table(title=f"Most critical elements over {len(flows)} corridors")
    for col in (
        "#",
        "kind",
        "element",
        "corridors cut",
        "extra generalized cost USD",
        "corridors rerouted",
    ):
        table.add_column(col)
    for i, r in enumerate(ranked, 1):
        table.add_row(
            str(i),
            r.kind,
            r.name,
            str(len(r.disconnected)),
            f"{r.extra_cost_usd:,.0f}",
            str(len(r.affected) - len(r.disconnected)),
        )
    console().print(table)


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
    from caspian.analysis.report import render_report, report_input
    from caspian.cli.render import LANGS, console
    from caspian.routing.search import RouteOptions
    from caspian.scenarios import load_scenario

    check_choice(lang, LANGS, "--lang")
    if output.suffix.lower() not in (".html", ".htm"):
        raise ValidationError(f"-o {output}: the report is HTML; use a .html file name")
    if not output.parent.is_dir():
        raise ValidationError(f"-o {output}: the folder {output.parent} does not exist")
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
    console().print(f"report written to {output} ({len(page) / 1024:,.0f} KiB)")


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the main app."""
    app.command()(handles_errors(pareto))
    app.command()(handles_errors(tcd))
    app.command()(handles_errors(compare))
    app.command("criticality")(handles_errors(criticality_cmd))
    app.command()(handles_errors(report))
