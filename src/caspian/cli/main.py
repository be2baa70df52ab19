"""The ``caspian`` command line (typer + rich). Thin: parse, call the library, render.

Exit codes: 0 success; 2 bad input (unknown place or cargo, invalid option, bad data or
scenario file); 3 no route.
"""

from __future__ import annotations

from typing import Annotated

import typer

from caspian.cli.analysis import register as register_analysis
from caspian.cli.calibrate import register as register_calibrate
from caspian.cli.common import (
    EXIT_INPUT,
    OBJECTIVES,
    AvoidCountryOpt,
    AvoidOpt,
    CarbonOpt,
    CargoOpt,
    DataOpt,
    FromOpt,
    JsonOpt,
    LangOpt,
    MaxHoursOpt,
    ModesOpt,
    OptimizeOpt,
    PlannedOpt,
    ScenarioOpt,
    SeedOpt,
    TonnesOpt,
    ToOpt,
    UncertaintyOpt,
    ViaOpt,
    check_choice,
    handles_errors,
    load,
    route_options,
)
from caspian.cli.simulate import app as simulate_app
from caspian.errors import NoRouteError, ValidationError
from caspian.model.network import Network
from caspian.routing.itinerary import Itinerary
from caspian.routing.uncertainty import Comparison

app = typer.Typer(
    help="Caspian Gateway: multimodal freight through Gilan's corridors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(simulate_app, name="simulate")
register_analysis(app)
register_calibrate(app)


@app.callback()
def _root() -> None:
    """Caspian Gateway: plan, compare and simulate freight through Gilan's corridors."""


@app.command()
def version() -> None:
    """Print the version."""
    from caspian import __version__

    typer.echo(__version__)


@app.command()
@handles_errors
def places(
    query: Annotated[str, typer.Argument(help="Any spelling, English or Persian.")] = "",
    limit: Annotated[int, typer.Option("--limit", help="Most matches shown.")] = 15,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Find places by English or Persian name or alias (tolerant of spelling)."""
    from rich.table import Table

    from caspian.cli.render import LANGS, console, dump_json
    from caspian.model.places import search_places

    check_choice(lang, LANGS, "--lang")
    network = load(data)
    hits = search_places(network, query, limit=limit if query else len(network.nodes))
    if as_json:
        typer.echo(
            dump_json(
                [
                    {
                        "id": m.node.id,
                        "name_en": m.node.name_en,
                        "name_fa": m.node.name_fa,
                        "country": m.node.country,
                        "kind": m.node.kind,
                        "lat": m.node.lat,
                        "lon": m.node.lon,
                        "matched": m.matched,
                        "score": round(m.score, 1),
                    }
                    for m in hits
                ]
            )
        )
        return
    if not hits:
        console().print(f"No place matches '{query}'.")
        raise typer.Exit(EXIT_INPUT)
    table = Table(title=f"Places matching '{query}'" if query else "All places")
    for col in ("id", "name", "Persian", "country", "kind", "matched", "score"):
        table.add_column(col)
    for m in hits:
        n = m.node
        table.add_row(
            n.id,
            n.name_en,
            n.name_fa,
            n.country,
            n.kind,
            m.matched,
            f"{m.score:.0f}",
        )
    console().print(table)


@app.command()
@handles_errors
def route(
    origin: FromOpt,
    destination: ToOpt,
    cargo: CargoOpt = "general_container",
    tonnes: TonnesOpt = 20.0,
    optimize: OptimizeOpt = "generalized",
    modes: ModesOpt = None,
    avoid_country: AvoidCountryOpt = None,
    avoid: AvoidOpt = None,
    via: ViaOpt = None,
    include_planned: PlannedOpt = False,
    max_hours: MaxHoursOpt = None,
    carbon_price: CarbonOpt = 0.0,
    scenario: ScenarioOpt = None,
    alternatives: Annotated[
        int,
        typer.Option("--alternatives", help="Show the K best routes that differ in substance."),
    ] = 0,
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Plan the best route for a shipment: legs, hours, cost and CO2e."""
    from caspian.cli.render import LANGS, console, dump_json, itinerary_table, summary_line
    from caspian.routing.search import plan_route

    check_choice(optimize, OBJECTIVES, "--optimize")
    check_choice(lang, LANGS, "--lang")
    network = load(data, scenario)
    options = route_options(
        modes=modes,
        avoid_country=avoid_country,
        avoid=avoid,
        via=via,
        include_planned=include_planned,
        max_hours=max_hours,
        carbon_price=carbon_price,
    )
    if alternatives < 0:
        raise ValidationError(f"--alternatives must be ≥ 1; got {alternatives}")
    if alternatives:
        from caspian.routing.alternatives import alternative_routes

        found = alternative_routes(
            network,
            origin,
            destination,
            cargo=cargo,
            tonnes=tonnes,
            k=alternatives,
            objective=optimize,
            options=options,
        )
    else:
        found = [
            plan_route(
                network,
                origin,
                destination,
                cargo=cargo,
                tonnes=tonnes,
                objective=optimize,
                options=options,
            )
        ]
    comparison = _uncertainty(network, list(found), uncertainty, seed)
    if as_json:
        from caspian.analysis.indicators import cpmm_indicators
        from caspian.cli.render import node_names, uncertainty_dict

        names = node_names(network, lang)
        docs = []
        for i, it in enumerate(found):
            doc = it.to_dict(names=names)
            doc["cpmm"] = cpmm_indicators(it, network).to_dict()
            if comparison is not None:
                doc["uncertainty"] = uncertainty_dict(comparison, i)
            docs.append(doc)
        typer.echo(dump_json({"alternatives": docs} if alternatives else docs[0]))
        return
    out = console()
    for i, it in enumerate(found, 1):
        if alternatives:
            out.print(f"[bold]Alternative {i} of {len(found)}[/bold]")
        out.print(itinerary_table(it, network, lang=lang))
        out.print(summary_line(it))
        for note in it.notes:
            out.print(f"note: {note}")
    if comparison is not None:
        from caspian.cli.render import uncertainty_table

        labels = [f"alternative {i}" for i in range(1, len(found) + 1)] or ["route"]
        title = f"Uncertainty: {comparison.n:,} draws over the data's evidence ranges (seed {seed})"
        out.print(uncertainty_table(labels if alternatives else ["route"], comparison, title=title))


@app.command("compare-modes")
@handles_errors
def compare_modes_cmd(
    origin: FromOpt,
    destination: ToOpt,
    cargo: CargoOpt = "general_container",
    tonnes: TonnesOpt = 20.0,
    optimize: OptimizeOpt = "generalized",
    avoid_country: AvoidCountryOpt = None,
    include_planned: PlannedOpt = False,
    max_hours: MaxHoursOpt = None,
    carbon_price: CarbonOpt = 0.0,
    scenario: ScenarioOpt = None,
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Best route per family (road, rail, rail + sea, road + sea, any), side by side."""
    from caspian.cli.render import LANGS, console, dump_json, families_table, node_names
    from caspian.model.places import resolve_place
    from caspian.routing.families import compare_modes

    check_choice(optimize, OBJECTIVES, "--optimize")
    check_choice(lang, LANGS, "--lang")
    network = load(data, scenario)
    options = route_options(
        modes=None,
        avoid_country=avoid_country,
        include_planned=include_planned,
        max_hours=max_hours,
        carbon_price=carbon_price,
    )
    results = compare_modes(
        network,
        origin,
        destination,
        cargo=cargo,
        tonnes=tonnes,
        objective=optimize,
        options=options,
    )
    comparison = _uncertainty(network, [r.itinerary for r in results], uncertainty, seed)
    if as_json:
        from caspian.cli.render import uncertainty_dict

        names = node_names(network, lang)
        typer.echo(
            dump_json(
                {
                    "families": [
                        {
                            "family": r.family.name,
                            "label": r.family.label,
                            "route": None
                            if r.itinerary is None
                            else r.itinerary.to_dict(names=names),
                            "reason": r.reason,
                            "uncertainty": None
                            if comparison is None
                            else uncertainty_dict(comparison, i),
                        }
                        for i, r in enumerate(results)
                    ]
                }
            )
        )
        return
    if all(r.itinerary is None for r in results):
        raise NoRouteError(results[-1].reason)
    from caspian.cli.render import place_name

    o, d = resolve_place(network, origin).id, resolve_place(network, destination).id
    title = (
        f"{place_name(network, o, lang)} → {place_name(network, d, lang)}"
        f" · {tonnes:g} t {cargo} · best route per mode family (optimize {optimize})"
    )
    out = console()
    out.print(families_table(results, network, title=title, lang=lang))
    for r in results:
        if r.itinerary is None:
            out.print(f"[dim]{r.family.label}: {r.reason}[/dim]")
    if comparison is not None:
        from caspian.cli.render import uncertainty_table

        title = f"Uncertainty: {comparison.n:,} draws over the data's evidence ranges (seed {seed})"
        labels = [r.family.label for r in results]
        out.print(uncertainty_table(labels, comparison, title=title))


def _uncertainty(
    network: Network, itineraries: list[Itinerary | None], draws: int, seed: int
) -> Comparison | None:
    """Monte Carlo comparison of ``itineraries``, or ``None`` when ``draws`` is 0."""
    if draws == 0:
        if seed < 0:
            raise ValidationError(f"--seed must be ≥ 0; got {seed}")
        return None
    from caspian.routing.uncertainty import compare_under_uncertainty

    return compare_under_uncertainty(network, itineraries, draws=draws, seed=seed)


@app.command()
@handles_errors
def demo(
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    scenario: ScenarioOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """The seed articles' headline comparisons on the bundled data."""
    from caspian.cli.demo import demo_tables, render_demo
    from caspian.cli.render import LANGS, console, dump_json

    check_choice(lang, LANGS, "--lang")
    network = load(data, scenario)
    tables = demo_tables(network)
    comparisons = [
        _uncertainty(network, [r.itinerary for r in t.rows], uncertainty, seed) for t in tables
    ]
    if as_json:
        from caspian.cli.demo import claim_sentence

        docs = []
        for t, c in zip(tables, comparisons, strict=True):
            doc = t.to_dict()
            if c is not None:
                doc["claim"] = claim_sentence(t, c)
            docs.append(doc)
        typer.echo(dump_json(docs))
        return
    render_demo(tables, network, console(), lang=lang, comparisons=comparisons)


scenario_app = typer.Typer(help="What-if scenarios: list, show, validate.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("list")
@handles_errors
def scenario_list() -> None:
    """List the built-in scenarios."""
    from rich.table import Table

    from caspian.cli.render import console
    from caspian.scenarios import builtin_names, load_scenario

    table = Table(title="Built-in scenarios (use with --scenario NAME)")
    table.add_column("name")
    table.add_column("description")
    for name in builtin_names():
        table.add_row(name, load_scenario(name).description)
    console().print(table)


@scenario_app.command("show")
@handles_errors
def scenario_show(
    name: Annotated[str, typer.Argument(help="Built-in name or YAML file.")],
) -> None:
    """Print a scenario's description, assumptions and changes."""
    from caspian.cli.render import console
    from caspian.scenarios import load_scenario

    scn = load_scenario(name)
    out = console()
    out.print(f"[bold]{scn.name}[/bold] — {scn.description}")
    if scn.source:
        out.print(f"source: {scn.source}")
    for line in scn.assumptions:
        out.print(f"assumption: {line}")
    for ch in scn.changes:
        values = ", ".join(f"{k}={v}" for k, v in ch.values.items())
        out.print(f"  {ch.section}[{ch.index}]: {values}")


@scenario_app.command("validate")
@handles_errors
def scenario_validate(
    path: Annotated[str, typer.Argument(help="Scenario YAML file (or built-in name).")],
    data: DataOpt = None,
) -> None:
    """Check a scenario file against the schema and the network's ids."""
    from caspian.scenarios import apply_scenario, load_scenario

    scn = load_scenario(path)
    apply_scenario(load(data), scn)
    typer.echo(f"{scn.origin}: valid ({len(scn.changes)} changes)")


def main() -> None:
    """Entry point of the console script."""
    app()
