"""``caspian simulate ...`` commands (operations simulation). Thin: parse, check, call, render.

Every lever of a model's config is a command-line option generated from the config dataclass
(``--weighbridges-per-direction``, ``--start-month``, ``--equeue/--no-equeue``, …), so the
options never fall behind the model. Inputs and every output location are checked before
any work; the engines refuse runs larger than their limits before starting. The engines are
imported inside the commands, so ``caspian --help`` does not load numba.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from caspian.errors import CaspianError, ValidationError
from caspian.simulation.config import BorderConfig, PortConfig, RailConfig, config_kinds
from caspian.simulation.levers import LEVERS as _LEVERS

if TYPE_CHECKING:
    from caspian.simulation.results import SimulationResult

app = typer.Typer(
    help="Simulate operations at the Astara border and rail terminal and the Caspian Port.",
    no_args_is_help=True,
)
config_app = typer.Typer(help="Show simulation configs.", no_args_is_help=True)
app.add_typer(config_app, name="config")

_CLASSES: dict[str, type[Any]] = {"border": BorderConfig, "rail": RailConfig, "port": PortConfig}
_TRAFFIC_FIELD = {
    "border": "trucks_per_day",
    "rail": "wagons_per_day",
    "port": "export_wagons_per_day",
}
_UNIT = {"border": "trucks", "rail": "wagons", "port": "export wagons"}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


ConfigOpt = typer.Option(None, "--config", help="YAML config (default: the shipped one).")
ScenarioOpt = typer.Option("baseline", "--scenario", help="Scenario name from the config.")
RepsOpt = typer.Option(5, "--replications", help="Independent replications (1-1000).")
SeedOpt = typer.Option(0, "--seed", help="Root seed, an integer >= 0 (same seed, same result).")
JsonOpt = typer.Option(False, "--json", help="Print the summary as JSON.")
OutOpt = typer.Option(None, "-o", "--out", help="Folder for CSV, JSON and PNG outputs.")
WorkersOpt = typer.Option(None, "--workers", help="Local worker processes, 1-64 (default: auto).")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into ``error: …`` on stderr and exit code 2."""
    try:
        yield
    except CaspianError as exc:
        raise _fail(str(exc)) from None


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(escape(label)), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# ---------------------------------------------------------------------------- checks


def _finite(value: float | None, option: str) -> None:
    if value is not None and not math.isfinite(value):
        raise ValidationError(f"{option} must be a finite number, got {value!r}")


def _numbers(text: str, option: str) -> list[float]:
    values: list[float] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValidationError(
                f"{option} must be a comma-separated list of numbers, got {part.strip()[:40]!r}"
            ) from None
        _finite(value, option)
        values.append(value)
    if not values:
        raise ValidationError(f"{option} needs at least one number, got {text[:40]!r}")
    return values


def _whole_numbers(text: str, option: str) -> list[int]:
    out: list[int] = []
    for value in _numbers(text, option):
        if value != int(value):
            raise ValidationError(f"{option} must be whole numbers, got {value:g}")
        out.append(int(value))
    return out


def _check_outputs(
    out: Path | None, names: tuple[str, ...], *files: tuple[Path | None, str]
) -> None:
    from caspian.io.files import check_output
    from caspian.simulation.output import check_output_dir

    if out is not None:
        check_output_dir(out, names)
    for path, what in files:
        if path is not None:
            check_output(path, what=what)


# ---------------------------------------------------------------------------- levers


def _option_name(field: str) -> str:
    name = _LEVERS.get(field, ("", ""))[0]
    return name or "--" + field.replace("_", "-")


def _lever_params(cls: type[Any], *, skip: tuple[str, ...] = ()) -> list[inspect.Parameter]:
    """One ``--option`` per config field (default ``None``: keep the config's value)."""
    params = []
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        kind = str(f.type)
        names = [_option_name(f.name)]
        text = _LEVERS.get(f.name, ("", f.name.replace("_", " ").capitalize() + "."))[1]
        annotation: Any
        if kind == "bool":
            annotation = bool | None
            names = [f"{names[0]}/--no-{names[0][2:]}"]
        elif kind == "int":
            annotation = int | None
        elif kind == "float":
            annotation = float | None
        else:
            annotation = str | None
        option = typer.Option(None, *names, help=text, rich_help_panel="Model levers")
        params.append(
            inspect.Parameter(
                f.name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=annotation
            )
        )
    return params


def _lever_values(cls: type[Any], given: dict[str, Any]) -> dict[str, Any]:
    """The lever options a user gave, converted and checked (profiles parsed)."""
    kinds = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name not in kinds or value is None:
            continue
        if kinds[name] == "float":
            _finite(value, _option_name(name))
        if kinds[name].startswith("tuple"):
            value = tuple(_numbers(value, _option_name(name)))
        out[name] = value
    return out


def _parse_sets(items: list[str] | None, cls: type[Any]) -> dict[str, Any]:
    """``--set FIELD=VALUE`` overrides, read as the YAML config reads values."""
    from caspian.io.yamlsafe import load_yaml_text
    from caspian.simulation.config import _coerce

    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--set must look like FIELD=VALUE, got {item[:60]!r}")
        value = load_yaml_text(raw, origin=f"--set {key.strip()}")
        out[key.strip()] = _coerce(cls, key.strip(), value, "--set")
    return out


def _effective(
    model: str, config: Path | None, scenario: str, levers: dict[str, Any], *, via: str = ""
) -> tuple[Any, Any]:
    """The config file and the scenario with the lever options applied (all validated)."""
    from caspian.simulation.config import load_config_file

    cfg_file = load_config_file(model, config)
    cfg = cfg_file.scenario(scenario)
    if levers:
        try:
            cfg = dataclasses.replace(cfg, **levers)
        except ValidationError as exc:
            names = via or ", ".join(sorted(_option_name(k) for k in levers))
            raise ValidationError(f"{exc} (from {names})") from None
    return cfg_file, cfg


def _dump_text(model: str, cfg: Any, cfg_file: Any, scenario: str, levers: dict[str, Any]) -> str:
    from caspian.simulation.config import dump_config_yaml

    origin = (
        "the shipped config" if cfg_file.path.endswith(f"configs/{model}.yaml") else (cfg_file.path)
    )
    changed = ", ".join(f"{k}={v}" for k, v in levers.items()) or "none"
    header = (
        f"Effective {model} config: {origin}, scenario '{scenario}', overrides: {changed}.\n"
        f"Run it with: caspian simulate {model} --config THIS_FILE"
    )
    return dump_config_yaml(
        cfg, header=header, traffic_levels_per_day=cfg_file.traffic_levels_per_day
    )


# ---------------------------------------------------------------------------- rendering


def _ci(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "n/a"
    return f"{low:.2f}–{high:.2f}"


def _mean_ci(est: dict[str, float]) -> str:
    return f"{est['mean']:.2f} ({_ci(est['ci_low'], est['ci_high'])})"


def _print_warnings(warnings: list[str]) -> None:
    err = Console(stderr=True)
    for w in warnings:
        style = "bold red" if w.startswith("OVERLOADED") else "bold yellow"
        err.print(f"[{style}]warning:[/{style}] {escape(w)}")


def _traffic_line(result: SimulationResult) -> str:
    t = result.extra.get("traffic", {})
    unit = _UNIT[result.model]
    text = f"traffic: {t.get('configured_per_day', result.traffic_per_day):,.4g} {unit}/day"
    if result.model == "border":
        month = _MONTHS[int(t.get("start_month", 1)) - 1]
        text += (
            f" configured (yearly average); starting 1 {month} the month profile gives "
            f"×{t.get('seasonal_factor', 1.0):.2f} → {t.get('offered_per_day', 0.0):,.0f}/day "
            "offered in this run"
        )
    if "arrived_per_day_per_replication" in t:
        text += (
            f"\nper replication: {t['arrived_per_day_per_replication']:,.1f} arrived/day, "
            f"{t['exited_per_day_per_replication']:,.1f} left/day"
        )
    return text


def _render(result: SimulationResult, console: Console) -> None:
    from rich.table import Table

    title = f"{result.model} · {result.scenario}: hours in system (mean of replications)"
    table = Table(title=escape(title))
    table.add_column("group")
    for col in ("mean h", "95% CI", "p50 h", "p90 h", "p99 h", "left/day per rep"):
        table.add_column(col, justify="right")
    for group, m in result.groups.items():
        if "time_mean_hours" not in m:
            continue
        mean = m["time_mean_hours"]
        table.add_row(
            escape(group),
            f"{mean.mean:.2f}",
            _ci(mean.ci_low, mean.ci_high),
            f"{m['time_p50_hours'].mean:.2f}",
            f"{m['time_p90_hours'].mean:.2f}",
            f"{m['time_p99_hours'].mean:.2f}",
            f"{m['throughput_per_day'].mean:.1f}",
        )
    console.print(table)
    console.print(escape(_traffic_line(result)))
    util = ", ".join(f"{escape(k)} {v.mean:.0%}" for k, v in result.utilisation.items())
    console.print(f"utilisation (busy share of open hours): {util}")
    load = result.extra.get("offered_load", {})
    if load:
        console.print(
            "offered load (demand ÷ capacity): "
            + ", ".join(f"{escape(k)} {v:.0%}" for k, v in load.items())
        )
    per_rep = {k: v / result.replications for k, v in result.flow.items() if v}
    flow = ", ".join(f"{k.replace('_', ' ')} {v:,.1f}" for k, v in per_rep.items())
    console.print(f"flow per replication: {flow}")
    console.print(
        f"{result.replications} replications × {result.days:g} days, seed {result.seed}, "
        f"{result.events:,} events in {result.wall_seconds:.2f} s; 95% CI: t-interval of "
        "log(mean), never below 0"
    )


# ---------------------------------------------------------------------------- run commands


def _run_one(
    model: str,
    *,
    config: Path | None,
    scenario: str,
    days: float,
    replications: int,
    seed: int,
    as_json: bool,
    out: Path | None,
    workers: int | None,
    dump_config: bool,
    levers: dict[str, Any],
    arrivals_csv: Path | None = None,
    write_scenario: Path | None = None,
) -> None:
    from caspian.simulation.output import RESULT_FILES

    console = Console()
    with _errors():
        _finite(days, "--days")
        lever_values = _lever_values(_CLASSES[model], levers)
        cfg_file, cfg = _effective(model, config, scenario, lever_values)
        if dump_config:
            typer.echo(_dump_text(model, cfg, cfg_file, scenario, lever_values), nl=False)
            return
        _check_outputs(out, RESULT_FILES, (write_scenario, "--write-scenario"))
        from caspian.simulation import (
            read_arrivals_csv,
            simulate_border,
            simulate_port,
            simulate_rail,
        )
        from caspian.simulation.output import (
            planner_scenario,
            to_json,
            write_planner_scenario,
            write_result,
        )

        runners: dict[str, Callable[..., SimulationResult]] = {
            "border": simulate_border,
            "rail": simulate_rail,
            "port": simulate_port,
        }
        from caspian.simulation.capacity import run_size
        from caspian.simulation.limits import check_run_size
        from caspian.simulation.runner import check_run

        check_run(days, replications, workers, seed=seed)
        kwargs: dict[str, Any] = {}
        if arrivals_csv is not None:
            kwargs["arrivals"] = read_arrivals_csv(arrivals_csv)
        size = run_size(model, cfg, days=days, replications=replications, **kwargs)
        check_run_size([size], events_csv=out is not None)  # before the progress bar shows
        with _progress(not as_json, f"{model} {scenario}") as progress:
            result = runners[model](
                cfg,
                seed=seed,
                replications=replications,
                days=days,
                scenario=scenario,
                workers=workers,
                progress=progress,
                events_csv=out is not None,
                **kwargs,
            )
        if out is not None:
            write_result(result, out)
        if write_scenario is not None:
            write_planner_scenario(planner_scenario(result, scenario=scenario), write_scenario)
    _print_warnings(result.warnings)
    if as_json:
        typer.echo(to_json(result.as_dict()))
        return
    _render(result, console)
    if out is not None:
        console.print(f"outputs written to {escape(str(out))}")
    if write_scenario is not None:
        console.print(f"planner scenario written to {escape(str(write_scenario))}")


def _common_params(days_default: float) -> list[inspect.Parameter]:
    def kw(name: str, default: Any, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
        )

    days = typer.Option(days_default, "--days", help="Simulated days per replication (≤ 3660).")
    dump = typer.Option(
        False,
        "--dump-config",
        help="Print the effective config (after --config, --scenario and levers) as YAML "
        "and exit; load it again with --config.",
    )
    return [
        kw("config", ConfigOpt, Path | None),
        kw("scenario", ScenarioOpt, str),
        kw("days", days, float),
        kw("replications", RepsOpt, int),
        kw("seed", SeedOpt, int),
        kw("as_json", JsonOpt, bool),
        kw("out", OutOpt, Path | None),
        kw("workers", WorkersOpt, int | None),
        kw("dump_config", dump, bool),
    ]


_COMMON = ("config", "scenario", "days", "replications", "seed", "as_json", "out", "workers")
_COMMON_ALL = (*_COMMON, "dump_config")


def _register(
    model: str,
    doc: str,
    *,
    days_default: float,
    extra: list[inspect.Parameter] = (),  # type: ignore[assignment]
) -> None:
    cls = _CLASSES[model]
    params = [*_common_params(days_default), *extra, *_lever_params(cls)]
    lever_names = {p.name for p in _lever_params(cls)}
    extra_names = {p.name for p in extra}

    def command(**kwargs: Any) -> None:
        _run_one(
            model,
            **{k: kwargs[k] for k in _COMMON_ALL},
            **{k: kwargs[k] for k in extra_names},
            levers={k: kwargs[k] for k in lever_names},
        )

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = doc
    command.__name__ = model
    app.command(name=model)(command)


_register(
    "border",
    """Simulate the Astara road border crossing (both directions).

    Every lever of the model is an option below; levers apply on top of --scenario.

    Example: caspian simulate border --scenario software --trucks-per-day 800 --days 14
    """,
    days_default=7.0,
    extra=[
        inspect.Parameter(
            "arrivals_csv",
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(
                None, "--arrivals", help="CSV of arrivals (columns arrival_hours, direction)."
            ),
            annotation=Path | None,
        ),
        inspect.Parameter(
            "write_scenario",
            inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(
                None,
                "--write-scenario",
                help="Write the clearance hours as a planner scenario YAML.",
            ),
            annotation=Path | None,
        ),
    ],
)
_register(
    "port",
    """Simulate the Caspian Port rail ↔ ship terminal (wagons, ships, yard).

    Example: caspian simulate port --days 60 --berths 3 -o out/port
    """,
    days_default=30.0,
)
_register(
    "rail",
    """Simulate the Astara 1520/1435 mm rail transshipment terminal.

    Example: caspian simulate rail --scenario hardware --wagons-per-day 80 --days 60
    """,
    days_default=30.0,
)


# ---------------------------------------------------------------------------- config dump


@config_app.command("dump")
def config_dump(
    model: str = typer.Argument(..., help="border, rail or port."),
    config: Path | None = ConfigOpt,
    scenario: str = ScenarioOpt,
    overrides: list[str] | None = typer.Option(
        None, "--set", help="FIELD=VALUE override, e.g. --set berths=3 (repeatable)."
    ),
    output: Path | None = typer.Option(None, "-o", "--out", help="Write to this file."),
) -> None:
    """Print the effective config of a model as YAML (loadable with --config).

    Example: caspian simulate config dump border --scenario software --set start_month=7
    """
    with _errors():
        if model not in _CLASSES:
            raise ValidationError(
                f"unknown model {model[:40]!r}; valid: {', '.join(config_kinds())}"
            )
        if output is not None:
            _check_outputs(None, (), (output, "-o"))
        levers = _parse_sets(overrides, _CLASSES[model])
        cfg_file, cfg = _effective(model, config, scenario, levers, via="--set")
        text = _dump_text(model, cfg, cfg_file, scenario, levers)
        if output is None:
            typer.echo(text, nl=False)
            return
        from caspian.io.files import write_atomic

        write_atomic(output, text.encode("utf-8"), what="-o")
    typer.echo(f"config written to {output}", err=True)


# ---------------------------------------------------------------------------- compare


@app.command()
def compare(
    model: str = typer.Option("border", "--model", help="border, rail or port."),
    config: Path | None = ConfigOpt,
    days: float = typer.Option(7.0, "--days", help="Simulated days per replication."),
    replications: int = RepsOpt,
    seed: int = SeedOpt,
    start_month: int | None = typer.Option(
        None, "--start-month", help="Month the border runs start in, 1-12 (border only)."
    ),
    as_json: bool = JsonOpt,
    out: Path | None = OutOpt,
    workers: int | None = WorkersOpt,
) -> None:
    """Run every shipped scenario at every traffic level and compare them side by side.

    Example: caspian simulate compare --model rail --days 14 --replications 5
    """
    with _errors():
        if model not in _CLASSES:
            raise ValidationError(f"unknown model {model[:40]!r}; valid: border, rail, port")
        _finite(days, "--days")
        if start_month is not None and model != "border":
            raise ValidationError("--start-month applies to the border model only")
        from caspian.simulation.capacity import run_size
        from caspian.simulation.config import load_config_file
        from caspian.simulation.limits import check_run_size
        from caspian.simulation.runner import check_run

        check_run(days, replications, workers, seed=seed)
        _check_outputs(out, ("compare.json", "compare.png"))
        cfg_file = load_config_file(model, config)
        field = _TRAFFIC_FIELD[model]
        levels = cfg_file.traffic_levels_per_day or (getattr(cfg_file.base, field),)
        configs = []
        for scen in cfg_file.scenarios:
            for level in levels:
                change: dict[str, Any] = {field: level}
                if start_month is not None:
                    change["start_month"] = start_month
                configs.append((scen, dataclasses.replace(cfg_file.scenario(scen), **change)))
        check_run_size(
            [run_size(model, c, days=days, replications=replications) for _, c in configs]
        )
        rows = _compare_runs(model, configs, days, replications, seed, workers, as_json)
        if out is not None:
            from caspian.simulation.output import atomic_output_dir, plot_compare, to_json

            with atomic_output_dir(out) as tmp:
                (tmp / "compare.json").write_text(to_json(rows), encoding="utf-8")
                plot_compare(rows, tmp / "compare.png", title=f"{model}: scenarios compared")
    from caspian.simulation.output import to_json

    if replications < 5:
        _print_warnings([f"only {replications} replication(s): rough or no 95% intervals"])
    if as_json:
        typer.echo(to_json(rows))
        return
    _render_compare(model, rows, replications, days, out)


def _compare_runs(
    model: str,
    configs: list[tuple[str, Any]],
    days: float,
    replications: int,
    seed: int,
    workers: int | None,
    as_json: bool,
) -> list[dict[str, Any]]:
    from caspian.simulation import simulate_border, simulate_port, simulate_rail

    runners: dict[str, Callable[..., SimulationResult]] = {
        "border": simulate_border,
        "rail": simulate_rail,
        "port": simulate_port,
    }
    runner = runners[model]
    rows: list[dict[str, Any]] = []
    with _progress(not as_json, f"compare {model}") as progress:
        for i, (scen, cfg) in enumerate(configs):
            res = runner(
                cfg, seed=seed, replications=replications, days=days, scenario=scen,
                workers=workers,
            )  # fmt: skip
            rows.append(_compare_row(res))
            if progress is not None:
                progress(i + 1, len(configs))
    return rows


def _render_compare(
    model: str, rows: list[dict[str, Any]], replications: int, days: float, out: Path | None
) -> None:
    from rich.table import Table

    console = Console()
    table = Table(title=f"{model}: mean hours in system (95% CI), {replications} reps × {days:g} d")
    table.add_column("scenario")
    table.add_column("traffic/day", justify="right")
    groups = list(rows[0]["groups"]) if rows else []
    for g in groups:
        table.add_column(escape(g), justify="right")
    table.add_column("notes")
    for r in rows:
        cells = [_mean_ci(r["groups"][g]) for g in groups]
        note = ("OVERLOADED; " if r["overloaded"] else "") + r["extra"]
        table.add_row(escape(r["scenario"]), f"{r['traffic_per_day']:g}", *cells, escape(note))
    console.print(table)
    console.print(
        "traffic/day is the configured yearly average; OVERLOADED: a stage's offered load is "
        "≥ 100 % and its queue grows without bound (times depend on the run length)"
    )
    if out is not None:
        console.print(f"chart written to {escape(str(out / 'compare.png'))}")


def _compare_row(res: SimulationResult) -> dict[str, Any]:
    groups = {
        g: m["time_mean_hours"].as_dict() for g, m in res.groups.items() if "time_mean_hours" in m
    }
    extra = ""
    delays = [m["appointment_delay_mean_hours"].mean for m in res.groups.values() if
              "appointment_delay_mean_hours" in m]  # fmt: skip
    if delays and max(delays) > 0:
        extra = f"e-queue wait {max(delays):.1f} h"
    peak = [m["road_queue_peak"].mean for m in res.groups.values() if "road_queue_peak" in m]
    if peak:
        extra = (extra + "; " if extra else "") + f"road queue peak {max(peak):,.0f}"
    load = res.extra.get("offered_load", {})
    return {
        "scenario": res.scenario,
        "traffic_per_day": res.traffic_per_day,
        "offered_per_day": res.extra.get("traffic", {}).get("offered_per_day"),
        "groups": groups,
        "utilisation": {k: v.mean for k, v in res.utilisation.items()},
        "offered_load": load,
        "overloaded": any(v >= 1.0 for v in load.values()),
        "warnings": res.warnings,
        "extra": extra,
    }


# ---------------------------------------------------------------------------- sweep


def _sweep(
    *,
    config: Path | None,
    scenario: str,
    booths: str,
    edeclaration: str,
    traffic: str,
    days: float,
    replications: int,
    seed: int,
    backend: str,
    scheduler: str | None,
    workers: int | None,
    as_json: bool,
    levers: dict[str, Any],
) -> None:
    with _errors():
        _finite(days, "--days")
        booth_list = _whole_numbers(booths, "--booths")
        shares = _numbers(edeclaration, "--edeclaration")
        levels = _numbers(traffic, "--trucks-per-day")
        _, base = _effective("border", config, scenario, _lever_values(BorderConfig, levers))
        from caspian.simulation.runner import check_sweep, sweep_border

        settings: dict[str, Any] = {
            "booths": booth_list,
            "edeclaration_shares": shares,
            "trucks_per_day": levels,
            "seed": seed,
            "replications": replications,
            "days": days,
            "backend": backend,
            "scheduler_address": scheduler,
            "workers": workers,
        }
        check_sweep(base, **settings)  # before the progress bar shows
        with _progress(not as_json, "sweep") as progress:
            points = sweep_border(base, **settings, progress=progress)
    from caspian.simulation.output import to_json

    if as_json:
        typer.echo(to_json([dataclasses.asdict(p) for p in points]))
        return
    from rich.table import Table

    table = Table(title="border sweep: mean hours to clear (TFI1)")
    for col in ("booths", "e-decl share", "trucks/day", "IR->AZ", "AZ->IR"):
        table.add_column(col, justify="right")
    for p in points:
        table.add_row(
            str(p.document_booths_per_direction),
            f"{p.edeclaration_share:g}",
            f"{p.trucks_per_day:g}",
            f"{p.tfi1_hours['IR->AZ']:.2f}",
            f"{p.tfi1_hours['AZ->IR']:.2f}",
        )
    Console().print(table)


_SWEPT = ("trucks_per_day", "document_booths_per_direction", "edeclaration_share")


def _register_sweep() -> None:
    def kw(name: str, default: Any, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
        )

    params = [
        kw("config", ConfigOpt, Path | None),
        kw("scenario", ScenarioOpt, str),
        kw("booths", typer.Option("3,4,6", "--booths", help="Document booths per direction."), str),
        kw(
            "edeclaration",
            typer.Option("0.1,0.5,0.9", "--edeclaration", help="E-decl. shares."),
            str,
        ),
        kw("traffic", typer.Option("500,800", "--trucks-per-day", help="Traffic levels."), str),
        kw("days", typer.Option(7.0, "--days", help="Simulated days per replication."), float),
        kw("replications", typer.Option(3, "--replications", help="Replications per point."), int),
        kw("seed", SeedOpt, int),
        kw(
            "backend",
            typer.Option("local", "--backend", help="local or dask (ray: unsupported)."),
            str,
        ),
        kw(
            "scheduler",
            typer.Option(
                None,
                "--scheduler-address",
                help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --backend dask; "
                "5 s connect timeout).",
            ),
            str | None,
        ),
        kw("workers", WorkersOpt, int | None),
        kw("as_json", JsonOpt, bool),
        *_lever_params(BorderConfig, skip=_SWEPT),
    ]
    lever_names = {p.name for p in _lever_params(BorderConfig, skip=_SWEPT)}

    def sweep(**kwargs: Any) -> None:
        levers = {k: kwargs.pop(k) for k in lever_names}
        _sweep(**kwargs, levers=levers)

    sweep.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    sweep.__annotations__ = {p.name: p.annotation for p in params}
    sweep.__doc__ = """Sweep document booths × e-declaration share × traffic at the border.

    The other border levers (options below) apply to every point.

    Example: caspian simulate sweep --booths 3,4,6 --edeclaration 0.5 --trucks-per-day 500 --days 3
    """
    app.command(name="sweep")(sweep)


_register_sweep()
