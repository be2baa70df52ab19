"""Shared pieces of the command line: the root group, option types, error handling, loading.

Nothing here imports numpy, numba or the planner at module level: ``caspian --help``,
``version`` and ``places`` must start in a blink (see ``docs/benchmarks.md``).
"""

from __future__ import annotations

import functools
import importlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from caspian.errors import CaspianError, NoRouteError

if TYPE_CHECKING:
    from caspian.model.network import Network
    from caspian.routing.search import RouteOptions
    from caspian.services.export import RouteEntry

P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2
EXIT_NO_ROUTE = 3
OBJECTIVES = ("generalized", "cost", "time", "co2")
MODES_HELP = "road, rail, sea, rail_ferry, truck_ferry"

COMMAND_ORDER = (
    "demo",
    "route",
    "compare-modes",
    "compare",
    "places",
    "cargo",
    "pareto",
    "tcd",
    "criticality",
    "report",
    "scenario",
    "calibrate",
    "flows",
    "simulate",
    "assign",
    "serve",
    "token",
    "version",
)
"""Commands in ``caspian --help``, in order of use; any other follows alphabetically."""

LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "flows": (
        "caspian.cli.flows",
        "app",
        "Trade flows: assign the OD demand with capacity; queues, bottlenecks, scenarios.",
    ),
    "assign": (
        "caspian.cli.assign",
        "app",
        "User-equilibrium traffic assignment of a TNTP network.",
    ),
    "simulate": (
        "caspian.cli.simulate",
        "app",
        "Simulate operations at the Astara border and the Anzali / Caspian port.",
    ),
    "serve": ("caspian.cli.serve", "serve_app", "Start the web application (map and API)."),
    "token": ("caspian.cli.serve", "token_app", "Write tokens for the web API."),
}
"""Sub-apps imported only when used: name → (module, attribute, one-line help)."""

FALLBACK_EXAMPLES: dict[str, str] = {
    "compare": "caspian compare --scenario astara-digital-border",
    "pareto": "caspian pareto --from Aktau --to Tehran --cargo wheat",
    "tcd": "caspian tcd --from Istanbul --to Ashgabat -o tcd.svg",
    "criticality": "caspian criticality --top 5",
    "report": "caspian report --from Aktau --to Tehran --cargo wheat -o report.html",
    "scenario": "caspian scenario list",
    "simulate": "caspian simulate border --days 1 --replications 2",
    "flows": "caspian flows assign --top 5",
    "simulate config": "caspian simulate config dump border",
}
"""Worked examples for commands whose docstring has none yet (defined in other modules).

A command's own ``Example:`` paragraph always wins; ``tests/test_cli.py`` runs every
example and fails for a command that has none.
"""

_TYPE_LABELS: dict[object, str] = {str: "TEXT", int: "INTEGER", float: "NUMBER", bool: ""}


class CaspianGroup(TyperGroup):
    """The root ``caspian`` group.

    - lists commands in order of use (:data:`COMMAND_ORDER`);
    - imports heavy sub-apps (``simulate``) only when they run or show their own help;
    - shows plain metavars (``PLACE``, ``NUMBER``; nothing for flags) instead of
      ``<bool>`` / ``<list[str]>``;
    - refuses ``nan`` and ``inf`` on every number option of every command;
    - appends a worked example to commands that lack one (:data:`FALLBACK_EXAMPLES`).
    """

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """Command names in order of use."""
        names = set(super().list_commands(ctx)) | set(LAZY_GROUPS)
        ordered = [n for n in COMMAND_ORDER if n in names]
        return ordered + sorted(names - set(ordered))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``, tidied; lazy sub-apps are imported here."""
        if cmd_name in LAZY_GROUPS and cmd_name not in self.commands:
            module, attribute, short = LAZY_GROUPS[cmd_name]
            if self._listing:
                return TyperCommand(cmd_name, help=short)
            self.commands[cmd_name] = _load_group(cmd_name, module, attribute)
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            tidy_command(cmd, ctx)
        return cmd

    def get_params(self, ctx: Any) -> list[Any]:
        """The root options, tidied."""
        params: list[Any] = super().get_params(ctx)
        _tidy_params(params)
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The root help, without importing lazy sub-apps for their one-line summary."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _load_group(name: str, module: str, attribute: str) -> Any:
    """Build the click group of the typer app ``module.attribute`` as ``add_typer`` would."""
    sub_app = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer()
    holder.add_typer(sub_app, name=name)
    return typer.main.get_group(holder).commands[name]


def tidy_command(cmd: Any, ctx: Any, path: tuple[str, ...] = ()) -> None:
    """Plain metavars, finite numbers and a worked example on ``cmd`` and its subcommands.

    The example (the help text's last ``Example:`` paragraph, else
    :data:`FALLBACK_EXAMPLES`) moves to the epilog, so it is the last thing ``--help`` shows.
    """
    if getattr(cmd, "_caspian_tidy", False):
        return
    cmd._caspian_tidy = True
    params = list(cmd.params)
    help_option = cmd.get_help_option(ctx)
    if help_option is not None:
        params.append(help_option)
    _tidy_params(params)
    full = " ".join((*path, cmd.name or ""))
    head, marker, example = (cmd.help or "").rpartition("Example:")
    if marker:
        cmd.help = head.rstrip()
    example = " ".join(example.split()) if marker else FALLBACK_EXAMPLES.get(full, "")
    if example and not cmd.epilog:
        cmd.epilog = f"Example: {example}"
    for sub in getattr(cmd, "commands", {}).values():
        tidy_command(sub, ctx, (*path, cmd.name or ""))


def _base_annotation(param: Any) -> object:
    desc = param.type_descriptor
    ann = desc.annotation
    if desc.is_list or desc.is_tuple:
        args = get_args(ann)
        ann = args[0] if args else ann
    return ann


def _type_label(param: Any) -> str:
    if param.type_descriptor.is_path:
        return "PATH"
    return _TYPE_LABELS.get(_base_annotation(param), "VALUE")


def _tidy_params(params: Iterable[Any]) -> None:
    for param in params:
        if getattr(param, "_caspian_tidy", False):
            continue
        param._caspian_tidy = True
        if isinstance(param, TyperOption):
            if param.is_flag:
                param.metavar = ""
            elif param.metavar is None:
                param.metavar = _type_label(param)
        elif isinstance(param, TyperArgument):
            label = param.metavar or _type_label(param)
            # The help's type column of an argument: its metavar (typer shows "<str>").
            setattr(param, "display_type_rich", functools.partial(_label_for, label))  # noqa: B010
        if _base_annotation(param) is float:
            param.callback = _finite_callback(param.callback)


def _label_for(label: str, ctx: object) -> str:
    return label


def _finite_callback(inner: Callable[..., Any] | None) -> Callable[..., Any]:
    """A parameter callback that refuses ``nan`` and ``±inf``, then calls ``inner``."""

    def check(ctx: Any, param: Any, value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, float) and not math.isfinite(v):
                raise typer.BadParameter(f"must be a finite number; got {v}", ctx, param)
        return inner(ctx, param, value) if inner is not None else value

    return check


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn library and file-system errors into a message on stderr and the exit code.

    The message is printed as plain text (escaped), so a place name or file content with
    square brackets is shown as written.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from rich.markup import escape

        from caspian.cli.i18n import t
        from caspian.cli.render import console
        from caspian.model.text import localize

        lang = str(kwargs.get("lang", "en"))  # engines' sentences speak the command's --lang
        try:
            return fn(*args, **kwargs)
        except NoRouteError as exc:
            text = escape(localize(str(exc), lang))
            console(stderr=True).print(f"[bold red]{t('error.no_route', lang)}[/bold red] {text}")
            raise typer.Exit(EXIT_NO_ROUTE) from None
        except (CaspianError, OSError) as exc:
            text = escape(localize(str(exc), lang))
            console(stderr=True).print(f"[bold red]{t('error', lang)}[/bold red] {text}")
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper


def _check_lang(value: str) -> str:
    if value not in ("en", "fa"):
        raise typer.BadParameter(f"must be en (English) or fa (Persian); got '{value}'")
    return value


UncertaintyOpt = Annotated[
    int,
    typer.Option(
        "--uncertainty",
        metavar="DRAWS",
        help="Monte Carlo draws over the data's evidence ranges: p10/p50/p90 and the "
        "probability each option is cheapest / fastest (0 = off).",
    ),
]
SeedOpt = Annotated[
    int, typer.Option("--seed", metavar="INTEGER", help="Seed of the Monte Carlo draws.")
]

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        metavar="FOLDER",
        help="Folder of network tables (default: the bundled Caspian network).",
    ),
]
LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="en|fa",
        callback=_check_lang,
        help="Language of names and labels: en or fa (Persian).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
FromOpt = Annotated[
    str,
    typer.Option("--from", metavar="PLACE", help="Origin: id, English/Persian name or alias."),
]
ToOpt = Annotated[
    str, typer.Option("--to", metavar="PLACE", help="Destination: id, name or alias.")
]
CargoOpt = Annotated[
    str,
    typer.Option(
        "--cargo", metavar="CARGO", help="Commodity id or name, e.g. wheat, tea (caspian cargo)."
    ),
]
TonnesOpt = Annotated[
    float, typer.Option("--tonnes", metavar="TONNES", help="Shipment size in tonnes.")
]
OptimizeOpt = Annotated[
    str,
    typer.Option(
        "--optimize",
        metavar="OBJECTIVE",
        help="What to minimise: generalized (money + value of time), cost, time or co2.",
    ),
]
ModesOpt = Annotated[
    str | None,
    typer.Option(
        "--modes", metavar="MODE,…", help=f"Comma-separated modes allowed, of: {MODES_HELP}."
    ),
]
AvoidCountryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid-country", metavar="CC", help="ISO alpha-2 country to avoid (repeatable)."
    ),
]
AvoidOpt = Annotated[
    list[str] | None,
    typer.Option("--avoid", metavar="PLACE", help="Place to avoid (repeatable)."),
]
ViaOpt = Annotated[
    list[str] | None,
    typer.Option("--via", metavar="PLACE", help="Place to pass, in order (repeatable)."),
]
PlannedOpt = Annotated[
    bool, typer.Option("--include-planned", help="Use planned links (e.g. Rasht–Astara rail).")
]
MaxHoursOpt = Annotated[
    float | None,
    typer.Option(
        "--max-hours",
        metavar="HOURS",
        help="Door-to-door limit (default: shelf life of perishables).",
    ),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        metavar="NAME|FILE",
        help="Built-in scenario name or YAML file (caspian scenario list).",
    ),
]
CarbonOpt = Annotated[
    float,
    typer.Option(
        "--carbon-price", metavar="USD", help="USD per tonne CO2e added to generalized cost."
    ),
]
ExportOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="Also write the route(s) to FILE.geojson or FILE.csv (format from the suffix), "
        "with the query's settings inside.",
    ),
]


def check_choice(value: str, valid: tuple[str, ...], option: str) -> str:
    """``value`` if it is one of ``valid``, else a :class:`ValidationError` naming ``option``."""
    from caspian.errors import ValidationError

    if value not in valid:
        raise ValidationError(f"{option} must be one of {', '.join(valid)}; got '{value}'")
    return value


def load(data: Path | None, scenario: str | None = None) -> Network:
    """The network from ``data`` (default: bundled), with ``scenario`` applied if given."""
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
    """The planner's options from the command line's."""
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


def check_export(output: Path | None) -> Path | None:
    """Refuse a bad ``-o`` (format, folder, permissions) before any work is done."""
    if output is None:
        return None
    from caspian.io.files import check_output
    from caspian.services.export import export_format

    target = check_output(output, what="-o")
    export_format(target)
    return target


def write_export(
    output: Path,
    routes: Sequence[RouteEntry],
    network: Network,
    *,
    command: str,
    cargo: str,
    tonnes: float,
    objective: str,
    options: Mapping[str, object],
    scenario: str | None,
    data: Path | None,
    lang: str,
) -> str:
    """Write ``routes`` to ``output`` (GeoJSON or CSV) atomically; the message to show."""
    from caspian import __version__
    from caspian.io.files import write_atomic
    from caspian.services.export import ExportQuery, data_version, export_bytes

    first = next((r.itinerary for r in routes if r.itinerary is not None), None)
    query = ExportQuery(
        command=command,
        origin="" if first is None else first.origin,
        destination="" if first is None else first.destination,
        cargo=cargo if first is None else first.cargo,
        tonnes=tonnes,
        objective=objective,
        options=dict(options),
        scenario=scenario,
        data="bundled" if data is None else str(data),
        data_version=data_version(data),
        caspian_version=__version__,
    )
    write_atomic(output, export_bytes(output, routes, network, query, lang=lang), what="-o")
    return f"{len(routes)} route(s) written to {output}"
