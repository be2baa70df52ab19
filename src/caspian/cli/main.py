"""The ``caspian`` command line (typer + rich). Thin: parse, call the library, render.

Exit codes: 0 success; 2 bad input (unknown place or cargo, invalid option, bad data or
scenario file); 3 no route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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
    CaspianGroup,
    DataOpt,
    ExportOpt,
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
    check_export,
    handles_errors,
    load,
    route_options,
    write_export,
)
from caspian.errors import NoRouteError, ValidationError

if TYPE_CHECKING:
    from pathlib import Path

    from caspian.model.network import Network
    from caspian.routing.itinerary import Itinerary
    from caspian.routing.search import RouteOptions
    from caspian.routing.uncertainty import Comparison

# ``simulate`` is added lazily by CaspianGroup (common.LAZY_GROUPS): it imports scipy.
app = typer.Typer(
    cls=CaspianGroup,
    help="Caspian Gateway: multimodal freight through Gilan's corridors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
register_analysis(app)
register_calibrate(app)


@app.callback()
def _root() -> None:
    """Caspian Gateway: plan, compare and simulate freight through Gilan's corridors."""


@app.command()
def version() -> None:
    """Print the version.

    Example: caspian version
    """
    from caspian import __version__

    typer.echo(__version__)


@app.command()
@handles_errors
def places(
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="Any spelling, English or Persian.")
    ] = "",
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help="Most matches shown (≥ 1).")
    ] = 15,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Find places by English or Persian name or alias (tolerant of spelling).

    Without QUERY, lists every place.

    Example: caspian places Anzali
    """
    from caspian.cli.i18n import t
    from caspian.cli.render import console, dump_json, places_table, plain
    from caspian.model.places import search_places

    network = load(data)
    hits = search_places(network, query, limit=limit if query else len(network.nodes))
    if as_json:
        typer.echo(dump_json([m.to_dict() for m in hits]))
        return
    if not hits:
        console(stderr=True).print(t("places.none", lang, query=plain(query)))
        raise typer.Exit(EXIT_INPUT)
    out = console()
    out.print(places_table(hits, query=query, lang=lang, width=out.width))


@app.command()
@handles_errors
def cargo(
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """List the cargo types (commodities): class, value, value of time and shelf life.

    Use the id (or a name) with --cargo on route, compare-modes, pareto and the others.

    Example: caspian cargo --lang fa
    """
    from dataclasses import asdict

    from caspian.cli.render import cargo_legend, cargo_table, console, dump_json

    network = load(data)
    commodities = sorted(network.commodities.values(), key=lambda c: (c.cargo_class, c.id))
    if as_json:
        typer.echo(dump_json([asdict(c) for c in commodities]))
        return
    out = console()
    out.print(cargo_table(commodities, lang=lang, width=out.width))
    out.print(cargo_legend(lang))


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
        typer.Option(
            "--alternatives",
            metavar="K",
            help="Show the K best routes that differ in substance.",
        ),
    ] = 0,
    uncertainty: UncertaintyOpt = 0,
    seed: SeedOpt = 0,
    output: ExportOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Plan the best route for a shipment: legs, hours, cost and CO2e.

    Example: caspian route --from Aktau --to Tehran --cargo wheat --tonnes 1000 -o route.geojson
    """
    from caspian.cli.i18n import t
    from caspian.cli.render import (
        console,
        dump_json,
        itinerary_table,
        plain,
        route_legend,
        summary_line,
    )
    from caspian.model.text import localize
    from caspian.routing.search import plan_route

    check_choice(optimize, OBJECTIVES, "--optimize")
    target = check_export(output)
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
    why = _scenario_note(data, network, found[0], options, lang) if scenario else ""
    if target is not None:
        from caspian.services.export import RouteEntry

        entries = [
            RouteEntry(f"alternative {i}" if alternatives else "route", it)
            for i, it in enumerate(found, 1)
        ]
        settings = {
            "modes": modes,
            "avoid_country": avoid_country or [],
            "avoid": avoid or [],
            "via": via or [],
            "include_planned": include_planned,
            "max_hours": max_hours,
            "carbon_price": carbon_price,
            "alternatives": alternatives,
        }
        written = write_export(
            target,
            entries,
            network,
            command="route",
            cargo=cargo,
            tonnes=tonnes,
            objective=optimize,
            options=settings,
            scenario=scenario,
            data=data,
            lang=lang,
        )
        console(stderr=as_json).print(plain(written))
    if as_json:
        from caspian.analysis.indicators import cpmm_indicators
        from caspian.cli.render import node_names
        from caspian.services.export import uncertainty_dict

        names = node_names(network, lang)
        docs = []
        for i, it in enumerate(found):
            doc = it.to_dict(names=names)
            doc["cpmm"] = cpmm_indicators(it, network).to_dict()
            if comparison is not None:
                doc["uncertainty"] = uncertainty_dict(comparison, i)
            if why:
                doc["scenario_note"] = why
            docs.append(doc)
        typer.echo(dump_json({"alternatives": docs} if alternatives else docs[0]))
        return
    out = console()
    for i, it in enumerate(found, 1):
        if alternatives:
            out.print(f"[bold]{t('title.alternative', lang, i=i, n=len(found))}[/bold]")
        out.print(itinerary_table(it, network, lang=lang, width=out.width))
        out.print(summary_line(it, lang=lang))
        for note in it.notes:
            out.print(t("note", lang, text=plain(localize(note, lang))))
    out.print(f"[dim]{route_legend(lang, width=out.width)}[/dim]")
    if why:
        from rich.markup import escape

        out.print(t("note.scenario", lang, text=escape(why)))
    if comparison is not None:
        from caspian.cli.render import uncertainty_table

        labels = [t("label.alternative", lang, i=i) for i in range(1, len(found) + 1)]
        title = t("title.uncertainty", lang, n=f"{comparison.n:,}", seed=seed)
        out.print(
            uncertainty_table(
                labels if alternatives else [t("label.route", lang)],
                comparison,
                title=title,
                lang=lang,
            )
        )


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
    output: ExportOpt = None,
    data: DataOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Best route per family (road, rail, rail + sea, road + sea, any), side by side.

    Example: caspian compare-modes --from Lahijan --to Almaty --cargo tea -o modes.csv
    """
    from caspian.cli.i18n import t
    from caspian.cli.render import (
        cargo_name,
        console,
        dump_json,
        families_table,
        family_label,
        node_names,
        objective_label,
        plain,
    )
    from caspian.model.places import resolve_place
    from caspian.model.text import localize
    from caspian.routing.families import compare_modes

    check_choice(optimize, OBJECTIVES, "--optimize")
    target = check_export(output)
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
    if target is not None and any(r.itinerary is not None for r in results):
        from caspian.services.export import RouteEntry

        written = write_export(
            target,
            [RouteEntry(r.family.name, r.itinerary, r.reason) for r in results],
            network,
            command="compare-modes",
            cargo=cargo,
            tonnes=tonnes,
            objective=optimize,
            options={
                "avoid_country": avoid_country or [],
                "include_planned": include_planned,
                "max_hours": max_hours,
                "carbon_price": carbon_price,
            },
            scenario=scenario,
            data=data,
            lang=lang,
        )
        console(stderr=as_json).print(plain(written))
    if as_json:
        from caspian.services.export import uncertainty_dict

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
    first = next(r.itinerary for r in results if r.itinerary is not None)
    title = t(
        "title.families",
        lang,
        origin=plain(place_name(network, o, lang)),
        destination=plain(place_name(network, d, lang)),
        tonnes=f"{tonnes:,g}",
        cargo=plain(cargo_name(network, first.cargo, lang)),
        objective=objective_label(optimize, lang),
    )
    out = console()
    out.print(families_table(results, network, title=title, lang=lang, width=out.width))
    for r in results:
        if r.itinerary is None:
            label = family_label(r.family.name, r.family.label, lang)
            out.print(f"[dim]{plain(label)}: {plain(localize(r.reason, lang))}[/dim]")
    if comparison is not None:
        from caspian.cli.render import uncertainty_table

        title = t("title.uncertainty", lang, n=f"{comparison.n:,}", seed=seed)
        labels = [family_label(r.family.name, r.family.label, lang) for r in results]
        out.print(uncertainty_table(labels, comparison, title=title, lang=lang))


def _scenario_note(
    data: Path | None, network: Network, itinerary: Itinerary, options: RouteOptions, lang: str
) -> str:
    """Whether the route uses the links the scenario opened, and if not why not."""
    from caspian.analysis.compare import explain_new_links, new_links

    opened = new_links(load(data), network, include_planned=options.include_planned)
    return explain_new_links(network, itinerary, opened, options=options, lang=lang)


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
    """The seed articles' headline comparisons on the bundled data, with a legend.

    Example: caspian demo
    """
    from caspian.cli.demo import demo_tables, render_demo
    from caspian.cli.render import console, dump_json

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


scenario_app = typer.Typer(
    help="What-if scenarios: list, show, validate.\n\nExample: caspian scenario list",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("list")
@handles_errors
def scenario_list(lang: LangOpt = "en") -> None:
    """List the built-in scenarios.

    Example: caspian scenario list --lang fa
    """
    from rich.table import Table

    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain
    from caspian.scenarios import builtin_names, load_scenario

    table = Table(title=t("scen.title", lang))
    table.add_column(t("scen.name", lang), no_wrap=True)
    table.add_column(t("scen.description", lang), overflow="fold")
    for name in builtin_names():
        table.add_row(plain(name), plain(load_scenario(name).describe(lang)))
    console().print(table)


@scenario_app.command("show")
@handles_errors
def scenario_show(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Built-in name or YAML file.")],
    lang: LangOpt = "en",
) -> None:
    """Print a scenario's description, assumptions and changes.

    Example: caspian scenario show astara-digital-border
    """
    from caspian.cli.i18n import t
    from caspian.cli.render import console, plain
    from caspian.scenarios import load_scenario

    scn = load_scenario(name)
    out = console()
    out.print(f"[bold]{plain(scn.name)}[/bold] — {plain(scn.describe(lang))}")
    if scn.source:
        out.print(plain(t("scen.source", lang, text=scn.source)))
    for line in scn.assumptions:
        out.print(plain(t("scen.assumption", lang, text=line)))
    for ch in scn.changes:
        values = ", ".join(f"{k}={v}" for k, v in ch.values.items())
        out.print(plain(f"  {ch.section}[{ch.index}]: {values}"))
    if scn.demand is not None:
        if scn.demand.growth_pct:
            out.print(plain(f"  demand: growth_pct={scn.demand.growth_pct:g}"))
        for dc in scn.demand.changes:
            shown = {**dc.selectors(), "factor": dc.factor, "growth_pct": dc.growth_pct}
            shown["tonnes_per_year"] = dc.tonnes_per_year
            values = ", ".join(
                f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                for k, v in shown.items()
                if v is not None
            )
            out.print(plain(f"  {dc.where}: {values}"))


@scenario_app.command("validate")
@handles_errors
def scenario_validate(
    path: Annotated[
        str, typer.Argument(metavar="FILE", help="Scenario YAML file (or built-in name).")
    ],
    data: DataOpt = None,
) -> None:
    """Check a scenario file against the schema and the network's ids.

    Example: caspian scenario validate rasht-astara-railway
    """
    from caspian.scenarios import apply_scenario, load_scenario

    scn = load_scenario(path)
    network = load(data)
    apply_scenario(network, scn)
    extra = ""
    if scn.demand is not None:
        from caspian.io.demand import load_demand
        from caspian.scenarios import apply_demand

        apply_demand(load_demand(network, data), scn)
        extra = f", demand: growth {scn.demand.growth_pct:g} %, {len(scn.demand.changes)} changes"
    typer.echo(f"{scn.origin}: valid ({len(scn.changes)} changes{extra})")


def main() -> None:
    """Entry point of the console script."""
    app()
