"""Shared pieces of the command line: option types, error handling, loading."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from caspian.errors import CaspianError, NoRouteError
from caspian.model.network import MODES, Network

if TYPE_CHECKING:
    from caspian.routing.search import RouteOptions

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2
EXIT_NO_ROUTE = 3
OBJECTIVES = ("generalized", "cost", "time", "co2")


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from caspian.cli.render import console

        try:
            return fn(*args, **kwargs)
        except NoRouteError as exc:
            console(stderr=True).print(f"[bold red]No route:[/bold red] {exc}", markup=True)
            raise typer.Exit(EXIT_NO_ROUTE) from None
        except (CaspianError, FileNotFoundError) as exc:
            console(stderr=True).print(f"[bold red]Error:[/bold red] {exc}", markup=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper


UncertaintyOpt = Annotated[
    int,
    typer.Option(
        "--uncertainty",
        help="Monte Carlo draws over the data's evidence ranges: p10/p50/p90 and the "
        "probability each option is cheapest / fastest (0 = off).",
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")]

DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Folder of network tables (default: the bundled Caspian network)."),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Place names: en or fa (Persian).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
FromOpt = Annotated[str, typer.Option("--from", help="Origin: id, English/Persian name or alias.")]
ToOpt = Annotated[str, typer.Option("--to", help="Destination: id, name or alias.")]
CargoOpt = Annotated[str, typer.Option("--cargo", help="Commodity id or name, e.g. wheat, tea.")]
TonnesOpt = Annotated[float, typer.Option("--tonnes", help="Shipment size in tonnes.")]
OptimizeOpt = Annotated[
    str, typer.Option("--optimize", help="generalized (default), cost, time or co2.")
]
ModesOpt = Annotated[
    str | None,
    typer.Option("--modes", help=f"Comma-separated modes allowed, of: {', '.join(MODES)}."),
]
AvoidCountryOpt = Annotated[
    list[str] | None,
    typer.Option("--avoid-country", help="ISO alpha-2 country to avoid (repeatable)."),
]
AvoidOpt = Annotated[list[str] | None, typer.Option("--avoid", help="Place to avoid (repeatable).")]
ViaOpt = Annotated[list[str] | None, typer.Option("--via", help="Place to pass (repeatable).")]
PlannedOpt = Annotated[
    bool, typer.Option("--include-planned", help="Use planned links (e.g. Rasht–Astara rail).")
]
MaxHoursOpt = Annotated[
    float | None,
    typer.Option("--max-hours", help="Door-to-door limit (default: shelf life of perishables)."),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option("--scenario", help="Built-in scenario name or YAML file (caspian scenario list)."),
]
CarbonOpt = Annotated[
    float, typer.Option("--carbon-price", help="USD per tonne CO2e added to generalized cost.")
]


def check_choice(value: str, valid: tuple[str, ...], option: str) -> str:
    from caspian.errors import ValidationError

    if value not in valid:
        raise ValidationError(f"{option} must be one of {', '.join(valid)}; got '{value}'")
    return value


def load(data: Path | None, scenario: str | None = None) -> Network:
    from caspian.io.tables import load_network

    network = load_network(data)
    if scenario:
        from caspian.scenarios import apply_scenario, load_scenario

        network = apply_scenario(network, load_scenario(scenario))
    return network


def route_options(
    *,
    modes: str | None,
    avoid_country: list[str] | None,
    avoid: list[str] | None = None,
    via: list[str] | None = None,
    include_planned: bool,
    max_hours: float | None,
    carbon_price: float,
) -> RouteOptions:
    from caspian.routing.search import RouteOptions

    mode_set = None
    if modes is not None:
        mode_set = frozenset(m.strip() for m in modes.split(",") if m.strip())
    return RouteOptions(
        modes=mode_set,
        avoid_countries=frozenset(c.strip().upper() for c in avoid_country or ()),
        avoid_nodes=frozenset(avoid or ()),
        via_nodes=tuple(via or ()),
        include_planned=include_planned,
        max_transit_hours=max_hours,
        carbon_price_usd_per_t_co2e=carbon_price,
    )
