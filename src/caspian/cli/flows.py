"""``caspian flows``: trade flows on the network — assign, compare a scenario, bottlenecks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from caspian.cli.common import DataOpt, JsonOpt, LangOpt, ScenarioOpt, handles_errors, load
from caspian.errors import ValidationError
from caspian.services.flows import element_dicts, flow_summary, place_dicts, run_flows

if TYPE_CHECKING:
    from caspian.flows import FlowResult
    from caspian.model.network import Network

app = typer.Typer(
    help="Trade flows: assign the OD demand (tonnes a year) with capacity; queues, bottlenecks.",
    no_args_is_help=True,
)

MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        metavar="ue|logit|lp",
        help="ue: user equilibrium with queue delays; logit: path-size logit; "
        "lp: hard capacities, system optimum (dual prices).",
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", metavar="YEAR", help="Demand year (default: the table's main year)."),
]
BoundOpt = Annotated[
    str,
    typer.Option(
        "--bound", metavar="central|low|high", help="Which demand figure of each row to use."
    ),
]
DemandOpt = Annotated[
    Path | None,
    typer.Option("--demand", metavar="FILE", help="Demand CSV (default: the bundled matrix)."),
]
CapacityOpt = Annotated[
    Path | None,
    typer.Option("--capacity", metavar="FILE", help="Capacity CSV (default: the data folder's)."),
]
TopOpt = Annotated[int, typer.Option("--top", min=1, metavar="N", help="Rows per table.")]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="FILE", help="Write link flows: .geojson, .gpkg or .csv."
    ),
]


def _write(result: FlowResult, output: Path, settings: dict[str, Any]) -> None:
    import json

    from caspian.flows.export import flows_csv, flows_geojson
    from caspian.io.files import write_atomic

    suffix = output.suffix.lower()
    if suffix == ".gpkg":
        from caspian.io.gpkg import write_lines_gpkg

        doc = flows_geojson(result, settings=settings)
        write_lines_gpkg(output, doc["features"], layer="flows")
        return
    if suffix in (".geojson", ".json"):
        body = json.dumps(flows_geojson(result, settings=settings), ensure_ascii=False, indent=1)
    else:
        body = flows_csv(result)
    write_atomic(output, body.encode("utf-8"))


def _check_out(output: Path | None) -> None:
    if output is None:
        return
    from caspian.io.files import check_output

    if output.suffix.lower() not in (".geojson", ".json", ".csv", ".gpkg"):
        raise ValidationError(
            f"-o {output}: unknown format '{output.suffix or '(none)'}'; "
            "use .geojson, .gpkg or .csv"
        )
    check_output(output)


def _tonnes(x: float) -> str:
    return f"{x / 1000:,.0f} kt" if abs(x) >= 1000 else f"{x:,.0f} t"


@app.command("assign")
@handles_errors
def flows_assign(
    year: YearOpt = None,
    scenario: ScenarioOpt = None,
    method: MethodOpt = "ue",
    bound: BoundOpt = "central",
    demand: DemandOpt = None,
    capacity: CapacityOpt = None,
    top: TopOpt = 12,
    output: OutOpt = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write an HTML page with the flow map."),
    ] = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Assign the year's OD demand to the network: tonnes and vehicles on every border, port
    and link, utilisation, delay and queues, tonne-km by mode.

    Example: caspian flows assign --method ue --top 5
    """
    _check_out(output)
    if report is not None:
        from caspian.io.files import check_output

        if report.suffix.lower() not in (".html", ".htm"):
            raise ValidationError(f"--report {report}: use an .html file name")
        check_output(report, what="--report")
    result = run_flows(
        data=data,
        scenario=scenario,
        year=year,
        method=method,
        bound=bound,
        demand_path=demand,
        capacity_path=capacity,
    )
    network = result.model.network
    summary = flow_summary(result)
    settings = {"scenario": scenario, "year": year, "bound": bound, **summary}
    if output is not None:
        _write(result, output, settings)
    if report is not None:
        from caspian.analysis.flowmap import render_flow_report
        from caspian.io.files import write_atomic

        title = f"Caspian Gateway — flows ({method}{', ' + scenario if scenario else ''})"
        page = render_flow_report(result, title=title, lang=lang)
        write_atomic(report, page.encode("utf-8"), what="--report")
    elements = element_dicts(result, network, lang)
    places = place_dicts(result, network, lang)
    from caspian.flows import mode_tonne_km

    modes = {k: round(v, 0) for k, v in mode_tonne_km(result).items()}
    if as_json:
        from caspian.cli.render import dump_json

        typer.echo(
            dump_json({**settings, "elements": elements, "places": places, "tonne_km": modes})
        )
        return
    _print_assign(summary, elements, places, modes, top=top, output=output, lang=lang)


def _print_assign(
    summary: dict[str, Any],
    elements: list[dict[str, Any]],
    places: list[dict[str, Any]],
    modes: dict[str, float],
    *,
    top: int,
    output: Path | None,
    lang: str,
) -> None:
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain

    out = console()
    out.print(
        plain(
            t(
                "fl.summary",
                lang,
                method=summary["method"],
                tonnes=_tonnes(summary["demand_tonnes_per_year"]),
                n=len(summary["classes"]),
                gap=f"{summary['gap']:.1e}",
                it=summary["iterations"],
                sec=f"{summary['seconds']:.2f}",
            )
        )
    )
    for u in summary["unreachable"]:
        out.print(plain(t("fl.unassigned", lang, cls=u["class"], frm=u["from"], to=u["to"])))
    for c, tonnes in summary.get("unmet_tonnes_per_year", {}).items():
        if tonnes > 0:
            out.print(plain(t("fl.unmet", lang, cls=c, tonnes=_tonnes(tonnes))))
    table = Table(title=t("fl.elements", lang))
    cols = ("element", "direction", "t_yr", "vehicles_day", "capacity_day", "load", "delay_h")
    for col in cols:
        table.add_column(
            t(f"fl.col.{col}", lang),
            justify="right" if col not in ("element", "direction") else "left",
        )
    for e in elements[:top]:
        table.add_row(
            plain(e["name"]),
            plain(e["direction"]),
            f"{e['tonnes_per_year']:,.0f}",
            f"{e['vehicles_per_day']:,.1f} {e['vehicle']}",
            f"{e['capacity_vehicles_per_day']:,.1f}",
            f"{e['utilisation']:.0%}",
            f"{e['delay_hours']:.2f}",
        )
    out.print(table)
    table = Table(title=t("fl.places", lang))
    for col in ("place", "kind", "t_yr", "trucks_day", "by"):
        table.add_column(t(f"fl.col.{col}", lang))
    for p in places[:top]:
        by = "; ".join(f"{k} {_tonnes(v)}" for k, v in p["by"].items())
        trucks = f"{p['trucks_per_day']:,.0f}" if p["kind"] == "border" else ""
        table.add_row(
            plain(p["name"]), p["kind"], f"{p['tonnes_per_year']:,.0f}", trucks, plain(by)
        )
    out.print(table)
    total = sum(modes.values()) or 1.0
    bn = t("fl.bn", lang)
    parts = ", ".join(f"{m} {v / 1e9:,.2f} {bn} ({v / total:.0%})" for m, v in modes.items())
    out.print(plain(t("fl.tkm", lang, parts=parts)))
    if output is not None:
        out.print(plain(t("fl.written", lang, path=output)))


@app.command("compare")
@handles_errors
def flows_compare(
    scenario: Annotated[
        str, typer.Option("--scenario", metavar="NAME|FILE", help="Scenario to compare.")
    ],
    year: YearOpt = None,
    method: MethodOpt = "ue",
    top: TopOpt = 12,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", metavar="FILE", help="Bar chart of the changes (.png or .svg)."),
    ] = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """What a scenario moves: tonnes at every port and border and tonne-km by mode, before
    and after (e.g. the Rasht–Astara railway opening, or trade growing 20 %).

    Example: caspian flows compare --scenario rasht-astara-railway --top 6
    """
    from caspian.flows.compare import compare_flows

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise ValidationError(f"--chart {chart}: use a .png or .svg file name")
    if chart is not None:
        from caspian.io.files import check_output

        check_output(chart, what="--chart")
    base = run_flows(data=data, scenario=None, year=year, method=method)
    after = run_flows(data=data, scenario=scenario, year=year, method=method)
    cmp = compare_flows(base, after)
    network = after.model.network
    if chart is not None:
        from caspian.analysis.charts import flow_change_figure, save_figure
        from caspian.io.files import write_atomic

        fig = flow_change_figure(
            [(c.key, c.delta) for c in cmp.places], network, lang=lang, title=scenario
        )
        write_atomic(chart, save_figure(fig, fmt=chart.suffix.lower().lstrip(".")), what="--chart")
    if as_json:
        from caspian.cli.render import dump_json

        typer.echo(
            dump_json(
                {
                    "scenario": scenario,
                    "method": method,
                    "base_cost_usd_per_year": round(cmp.base_cost_usd_per_year, 0),
                    "scenario_cost_usd_per_year": round(cmp.scenario_cost_usd_per_year, 0),
                    "places": [c.__dict__ for c in cmp.places],
                    "tonne_km": [c.__dict__ for c in cmp.modes_tonne_km],
                    "elements": [c.__dict__ for c in cmp.elements],
                }
            )
        )
        return
    _print_compare(cmp, network, scenario, top=top, lang=lang, chart=chart)


def _print_compare(cmp: Any, network: Network, scenario: str, **kw: Any) -> None:
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, place_name, plain

    lang = kw["lang"]
    out = console()
    saved = cmp.base_cost_usd_per_year - cmp.scenario_cost_usd_per_year
    out.print(
        plain(
            t(
                "fl.cost",
                lang,
                scenario=scenario,
                before=f"{cmp.base_cost_usd_per_year / 1e6:,.1f}",
                after=f"{cmp.scenario_cost_usd_per_year / 1e6:,.1f}",
                delta=f"{-saved / 1e6:+,.1f}",
            )
        )
    )
    table = Table(title=t("fl.compare", lang))
    for col in ("place", "before", "after", "change"):
        table.add_column(t(f"fl.col.{col}", lang), justify="left" if col == "place" else "right")
    for c in cmp.places[: kw["top"]]:
        table.add_row(
            plain(place_name(network, c.key, kw["lang"])),
            f"{c.before:,.0f}",
            f"{c.after:,.0f}",
            f"{c.delta:+,.0f}",
        )
    out.print(table)
    bn = t("fl.bn", lang)
    arrow = "←" if lang == "fa" else "→"
    parts = ", ".join(
        f"{c.key} {c.before / 1e9:,.2f} {arrow} {c.after / 1e9:,.2f} {bn}"
        for c in cmp.modes_tonne_km
    )
    out.print(plain(t("fl.tkm", lang, parts=parts)))
    if kw["chart"] is not None:
        out.print(plain(t("fl.chart", lang, path=kw["chart"])))


@app.command("bottlenecks")
@handles_errors
def flows_bottlenecks(
    method: MethodOpt = "lp",
    year: YearOpt = None,
    scenario: ScenarioOpt = None,
    top: TopOpt = 10,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Capacity elements ranked: by dual price under hard capacities (lp: what one more tonne
    a day of capacity saves), or by delay × flow (ue, logit: tonne-hours lost a day).

    Example: caspian flows bottlenecks --top 5
    """
    result = run_flows(
        data=data,
        scenario=scenario,
        year=year,
        method=method,
    )
    rows = element_dicts(result, result.model.network, lang)
    for r in rows:
        r["tonne_hours_per_day"] = round(r["tonnes_per_year"] / 365.0 * r["delay_hours"], 2)
    if method == "lp":
        rows.sort(key=lambda r: (-(r["shadow_price_usd_per_t"] or 0.0), -r["utilisation"]))
    else:
        rows.sort(key=lambda r: (-r["tonne_hours_per_day"], -r["utilisation"]))
    if as_json:
        from caspian.cli.render import dump_json

        typer.echo(dump_json({"method": method, "scenario": scenario, "elements": rows}))
        return
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain

    title = (
        t("fl.bottlenecks.lp", lang)
        if method == "lp"
        else t("fl.bottlenecks.delay", lang, method=method)
    )
    table = Table(title=title)
    for col in ("element", "direction", "load", "t_yr", "delay_h", "tonne_h_day", "dual"):
        table.add_column(
            t(f"fl.col.{col}", lang),
            justify="left" if col in ("element", "direction") else "right",
        )
    for r in rows[:top]:
        price = r["shadow_price_usd_per_t"]
        table.add_row(
            plain(r["name"]),
            plain(r["direction"]),
            f"{r['utilisation']:.0%}",
            f"{r['tonnes_per_year']:,.0f}",
            f"{r['delay_hours']:.2f}",
            f"{r['tonne_hours_per_day']:,.1f}",
            "" if price is None else f"{price:,.2f}",
        )
    console().print(table)


@app.command("check")
@handles_errors
def flows_check(
    method: MethodOpt = "ue",
    year: YearOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Modelled throughput at ports and borders beside the published figures
    (observations.csv), and how many are within a factor of 1.5.

    Example: caspian flows check
    """
    from caspian.calibration.observations import load_observations, merge_series
    from caspian.cli.render import place_name
    from caspian.flows.check import FACTOR_GOAL, throughput_check
    from caspian.io.tables import BUNDLED_DATA_DIR

    result = run_flows(
        data=data,
        scenario=None,
        year=year,
        method=method,
    )
    network = result.model.network
    folder = data if data is not None else BUNDLED_DATA_DIR
    observations = merge_series(load_observations(folder / "observations.csv", network))
    checks = throughput_check(result, observations)
    rows = [
        {
            "id": c.observation.id,
            "place": c.observation.place,
            "name": place_name(network, c.observation.place, lang),
            "direction": c.observation.direction,
            "family": c.observation.family,
            "unit": c.observation.unit,
            "published_low": c.observation.value_low,
            "published_high": c.observation.value_high,
            "year": c.observation.year,
            "model": None if c.model is None else round(c.model, 1),
            "factor": None if c.factor is None else round(c.factor, 2),
            "within_goal": c.within_goal,
            "note": c.reason,
        }
        for c in checks
    ]
    compared = [r for r in rows if r["within_goal"] is not None]
    met = sum(1 for r in compared if r["within_goal"])
    if as_json:
        from caspian.cli.render import dump_json

        typer.echo(
            dump_json(
                {"method": method, "compared": len(compared), "within_goal": met, "rows": rows}
            )
        )
        return
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain

    table = Table(title=t("fl.check", lang, method=method))
    for col in ("place", "dir", "family", "published", "model", "off", "year"):
        table.add_column(
            t(f"fl.col.{col}", lang), justify="right" if col in ("model", "off") else "left"
        )
    for r in rows:
        lo, hi = r["published_low"], r["published_high"]
        pub = f"{lo:,.0f}" if lo == hi else f"{lo:,.0f}–{hi:,.0f}"
        table.add_row(
            plain(r["name"]),
            plain(r["direction"]),
            str(r["family"]),
            f"{pub} {r['unit']}",
            "—" if r["model"] is None else f"{r['model']:,.0f}",
            "—" if r["factor"] is None else f"{r['factor']:.2f}",
            str(r["year"] or ""),
        )
    out = console()
    out.print(table)
    out.print(
        t(
            "fl.check.summary",
            lang,
            met=met,
            n=len(compared),
            goal=FACTOR_GOAL,
            share=f"{met / max(len(compared), 1):.0%}",
        )
    )


@app.command("sweep")
@handles_errors
def flows_sweep(
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            metavar="NAME|FILE",
            help="Scenario to sweep (repeat; 'base' = no scenario). Default: base.",
        ),
    ] = None,
    growth: Annotated[
        list[float] | None,
        typer.Option("--growth", metavar="PCT", help="Demand growth in % (repeat). Default 0."),
    ] = None,
    method: MethodOpt = "ue",
    year: YearOpt = None,
    backend: Annotated[
        str, typer.Option("--backend", metavar="local|dask", help="Process pool or Dask.")
    ] = "local",
    scheduler_address: Annotated[
        str | None,
        typer.Option(
            "--scheduler-address",
            metavar="tcp://HOST:PORT",
            help="A running Dask scheduler (with --backend dask; default: a local cluster).",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", metavar="N", help="Worker processes.")
    ] = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Assign every scenario at every demand growth (in parallel, on Dask with --backend
    dask): system cost, the busiest capacity element and tonne-km shares per point.

    Example: caspian flows sweep --scenario rasht-astara-railway --growth 20 --workers 1
    """
    from caspian.flows import capacity_elements
    from caspian.flows.sweep import SweepCase, sweep_flows
    from caspian.io.capacity import load_capacity
    from caspian.io.demand import load_demand

    cases = []
    for name in scenario or ["base"]:
        label = None if name == "base" else name
        network = load(data, label)
        demand = load_demand(network, data, year=year)
        if label is not None:
            from caspian.scenarios import apply_demand, load_scenario

            demand = apply_demand(demand, load_scenario(label))
        cap_file = data / "capacity.csv" if data is not None else None
        elements = capacity_elements(network, load_capacity(network, cap_file))
        cases.append(SweepCase(name, network, demand, elements))
    points = sweep_flows(
        cases,
        growth or [0.0],
        method=method,
        backend=backend,
        scheduler_address=scheduler_address,
        workers=workers,
    )
    if as_json:
        from caspian.cli.render import dump_json

        typer.echo(dump_json([p.__dict__ for p in points]))
        return
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain

    table = Table(title=t("title.sweep", lang, method=method))
    for col in ("scenario", "growth", "mt_yr", "cost_musd_yr", "busiest", "load", "over_capacity"):
        left = col in ("scenario", "busiest")
        table.add_column(t(f"col.{col}", lang), justify="left" if left else "right")
    where = {e.id: e.element for case in cases for e in case.elements}
    for p in points:
        busiest = p.busiest_element
        if lang != "en":
            busiest = _element_name(busiest, where, cases[0].network, lang)
        table.add_row(
            plain(t("sweep.base", lang) if p.label == "base" else p.label),
            f"{p.growth_pct:+g} %",
            f"{p.demand_tonnes_per_year / 1e6:,.2f}",
            f"{p.cost_usd_per_year / 1e6:,.1f}",
            plain(busiest),
            f"{p.busiest_utilisation:.0%}",
            str(p.over_capacity),
        )
    console().print(table)


def _element_name(busiest: str, where: dict[str, str], network: Network, lang: str) -> str:
    """``element_id direction`` of a sweep point with places named in ``lang``."""
    from caspian.cli.render import place_name
    from caspian.model.text import Text, localize

    element_id, _, direction = busiest.partition(" ")
    target = where.get(element_id, element_id)
    link = network.links.get(target)
    if link is not None:
        name = (
            f"{place_name(network, link.from_node, lang)}–{place_name(network, link.to_node, lang)}"
        )
    else:
        name = place_name(network, target, lang)
    words = {"loading": Text("loading", "بارگیری"), "unloading": Text("unloading", "تخلیه")}
    if direction in words:
        shown = localize(words[direction], lang)
    else:
        shown = " ← ".join(place_name(network, x, lang) for x in direction.split(">"))
    return f"{name} {shown}".strip()
