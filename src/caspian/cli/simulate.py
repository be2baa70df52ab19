"""``caspian simulate ...`` commands (operations simulation). Thin: parse, call, render."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from caspian.errors import CaspianError
from caspian.simulation import (
    SimulationResult,
    load_config_file,
    read_arrivals_csv,
    simulate_border,
    simulate_port,
    simulate_rail,
    sweep_border,
)
from caspian.simulation.output import (
    atomic_output_dir,
    planner_scenario,
    plot_compare,
    to_json,
    write_planner_scenario,
    write_result,
)

app = typer.Typer(help="Simulate operations at the Astara border and the Anzali / Caspian port.")

_TRAFFIC_FIELD = {
    "border": "trucks_per_day",
    "rail": "wagons_per_day",
    "port": "export_wagons_per_day",
}
_RUNNERS: dict[str, Callable[..., SimulationResult]] = {
    "border": simulate_border,
    "rail": simulate_rail,
    "port": simulate_port,
}

ConfigOpt = typer.Option(None, "--config", help="YAML config (default: the shipped one).")
ScenarioOpt = typer.Option("baseline", "--scenario", help="Scenario name from the config.")
DaysOpt = typer.Option(7.0, "--days", help="Simulated days per replication.")
RepsOpt = typer.Option(5, "--replications", help="Independent replications.")
SeedOpt = typer.Option(0, "--seed", help="Root seed (same seed, same result).")
JsonOpt = typer.Option(False, "--json", help="Print the summary as JSON.")
OutOpt = typer.Option(None, "-o", "--out", help="Directory for CSV, JSON and PNG outputs.")
WorkersOpt = typer.Option(None, "--workers", help="Local worker processes (default: auto).")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _configure(model: str, config: Path | None, scenario: str, traffic: float | None) -> Any:
    cfg = load_config_file(model, config).scenario(scenario)
    if traffic is not None:
        cfg = dataclasses.replace(cfg, **{_TRAFFIC_FIELD[model]: traffic})
    return cfg


def _render(result: SimulationResult, console: Console) -> None:
    table = Table(title=f"{result.model} · {result.scenario} · {result.traffic_per_day:g}/day")
    table.add_column("group")
    for col in ("mean h", "95% CI", "p50 h", "p90 h", "p99 h", "per day"):
        table.add_column(col, justify="right")
    for group, m in result.groups.items():
        if "time_mean_hours" not in m:
            continue
        mean = m["time_mean_hours"]
        table.add_row(
            group,
            f"{mean.mean:.2f}",
            f"{mean.ci_low:.2f}–{mean.ci_high:.2f}",
            f"{m['time_p50_hours'].mean:.2f}",
            f"{m['time_p90_hours'].mean:.2f}",
            f"{m['time_p99_hours'].mean:.2f}",
            f"{m['throughput_per_day'].mean:.1f}",
        )
    console.print(table)
    util = ", ".join(f"{k} {v.mean:.0%}" for k, v in result.utilisation.items())
    console.print(f"utilisation: {util}")
    console.print(
        f"{result.replications} replications × {result.days:g} days, seed {result.seed}, "
        f"{result.events:,} events in {result.wall_seconds:.2f} s; flow {result.flow}"
    )


def _write_text_atomic(path: Path, writer: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        writer(Path(tmp))
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _run_one(
    model: str,
    *,
    config: Path | None,
    scenario: str,
    traffic: float | None,
    days: float,
    replications: int,
    seed: int,
    as_json: bool,
    out: Path | None,
    workers: int | None,
    arrivals_csv: Path | None = None,
    write_scenario: Path | None = None,
) -> None:
    console = Console()
    try:
        cfg = _configure(model, config, scenario, traffic)
        kwargs: dict[str, Any] = {}
        if arrivals_csv is not None:
            kwargs["arrivals"] = read_arrivals_csv(arrivals_csv)
        with _progress(not as_json, f"{model} {scenario}") as progress:
            result = _RUNNERS[model](
                cfg,
                seed=seed,
                replications=replications,
                days=days,
                scenario=scenario,
                workers=workers,
                progress=progress,
                **kwargs,
            )
    except CaspianError as exc:
        raise _fail(str(exc)) from None
    if out is not None:
        write_result(result, out)
    if write_scenario is not None:
        data = planner_scenario(result, scenario=scenario)
        _write_text_atomic(write_scenario, lambda p: write_planner_scenario(data, p))
    if as_json:
        typer.echo(to_json(result.as_dict()))
    else:
        _render(result, console)
        if out is not None:
            console.print(f"outputs written to {out}")
        if write_scenario is not None:
            console.print(f"planner scenario written to {write_scenario}")


@app.command()
def border(
    config: Path | None = ConfigOpt,
    scenario: str = ScenarioOpt,
    trucks_per_day: float | None = typer.Option(None, "--trucks-per-day", help="Trucks/day."),
    days: float = DaysOpt,
    replications: int = RepsOpt,
    seed: int = SeedOpt,
    as_json: bool = JsonOpt,
    out: Path | None = OutOpt,
    workers: int | None = WorkersOpt,
    arrivals: Path | None = typer.Option(
        None, "--arrivals", help="CSV of arrivals (columns arrival_hours, direction)."
    ),
    write_scenario: Path | None = typer.Option(
        None, "--write-scenario", help="Write the clearance hours as a planner scenario YAML."
    ),
) -> None:
    """Simulate the Astara road border crossing (both directions)."""
    _run_one(
        "border",
        config=config,
        scenario=scenario,
        traffic=trucks_per_day,
        days=days,
        replications=replications,
        seed=seed,
        as_json=as_json,
        out=out,
        workers=workers,
        arrivals_csv=arrivals,
        write_scenario=write_scenario,
    )


@app.command()
def port(
    config: Path | None = ConfigOpt,
    scenario: str = ScenarioOpt,
    wagons_per_day: float | None = typer.Option(
        None, "--wagons-per-day", help="Export wagons/day."
    ),
    days: float = typer.Option(30.0, "--days", help="Simulated days per replication."),
    replications: int = RepsOpt,
    seed: int = SeedOpt,
    as_json: bool = JsonOpt,
    out: Path | None = OutOpt,
    workers: int | None = WorkersOpt,
) -> None:
    """Simulate the Caspian Port rail ↔ ship terminal (wagons, ships, yard)."""
    _run_one(
        "port",
        config=config,
        scenario=scenario,
        traffic=wagons_per_day,
        days=days,
        replications=replications,
        seed=seed,
        as_json=as_json,
        out=out,
        workers=workers,
    )


@app.command()
def rail(
    config: Path | None = ConfigOpt,
    scenario: str = ScenarioOpt,
    wagons_per_day: float | None = typer.Option(None, "--wagons-per-day", help="Wagons/day."),
    days: float = typer.Option(30.0, "--days", help="Simulated days per replication."),
    replications: int = RepsOpt,
    seed: int = SeedOpt,
    as_json: bool = JsonOpt,
    out: Path | None = OutOpt,
    workers: int | None = WorkersOpt,
) -> None:
    """Simulate the Astara 1520/1435 mm rail transshipment terminal."""
    _run_one(
        "rail",
        config=config,
        scenario=scenario,
        traffic=wagons_per_day,
        days=days,
        replications=replications,
        seed=seed,
        as_json=as_json,
        out=out,
        workers=workers,
    )


@app.command()
def compare(
    model: str = typer.Option("border", "--model", help="border, rail or port."),
    config: Path | None = ConfigOpt,
    days: float = DaysOpt,
    replications: int = RepsOpt,
    seed: int = SeedOpt,
    as_json: bool = JsonOpt,
    out: Path | None = OutOpt,
    workers: int | None = WorkersOpt,
) -> None:
    """Run every shipped scenario at every traffic level and compare them side by side."""
    if model not in _RUNNERS:
        raise _fail(f"unknown model '{model}'; valid: {', '.join(_RUNNERS)}")
    try:
        cfg_file = load_config_file(model, config)
        levels = cfg_file.traffic_levels_per_day or (getattr(cfg_file.base, _TRAFFIC_FIELD[model]),)
        runs = [(s, lv) for s in cfg_file.scenarios for lv in levels]
        rows: list[dict[str, Any]] = []
        with _progress(not as_json, f"compare {model}") as progress:
            for i, (scen, level) in enumerate(runs):
                cfg = dataclasses.replace(cfg_file.scenario(scen), **{_TRAFFIC_FIELD[model]: level})
                res = _RUNNERS[model](
                    cfg, seed=seed, replications=replications, days=days, scenario=scen,
                    workers=workers,
                )  # fmt: skip
                rows.append(_compare_row(res))
                if progress is not None:
                    progress(i + 1, len(runs))
    except CaspianError as exc:
        raise _fail(str(exc)) from None
    if out is not None:
        with atomic_output_dir(out) as tmp:
            (tmp / "compare.json").write_text(to_json(rows), encoding="utf-8")
            plot_compare(rows, tmp / "compare.png", title=f"{model}: scenarios compared")
    if as_json:
        typer.echo(to_json(rows))
        return
    console = Console()
    table = Table(title=f"{model}: mean hours in system (95% CI), {replications} reps × {days:g} d")
    table.add_column("scenario")
    table.add_column("traffic/day", justify="right")
    groups = list(rows[0]["groups"]) if rows else []
    for g in groups:
        table.add_column(g, justify="right")
    table.add_column("extra", justify="right")
    for r in rows:
        cells = [
            f"{r['groups'][g]['mean']:.2f} ({r['groups'][g]['ci_low']:.2f}–"
            f"{r['groups'][g]['ci_high']:.2f})"
            for g in groups
        ]
        table.add_row(r["scenario"], f"{r['traffic_per_day']:g}", *cells, r["extra"])
    console.print(table)
    if out is not None:
        console.print(f"chart written to {out / 'compare.png'}")


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
        extra = (extra + "; " if extra else "") + f"road queue peak {max(peak):.0f}"
    return {
        "scenario": res.scenario,
        "traffic_per_day": res.traffic_per_day,
        "groups": groups,
        "utilisation": {k: v.mean for k, v in res.utilisation.items()},
        "extra": extra,
    }


def _floats(text: str, name: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise _fail(f"--{name} must be a comma-separated list of numbers, got {text!r}") from None


@app.command()
def sweep(
    config: Path | None = ConfigOpt,
    scenario: str = ScenarioOpt,
    booths: str = typer.Option("3,4,6", "--booths", help="Document booths per direction."),
    edeclaration: str = typer.Option("0.1,0.5,0.9", "--edeclaration", help="E-decl. shares."),
    traffic: str = typer.Option("500,800", "--trucks-per-day", help="Traffic levels."),
    days: float = DaysOpt,
    replications: int = typer.Option(3, "--replications", help="Replications per point."),
    seed: int = SeedOpt,
    backend: str = typer.Option("local", "--backend", help="local or dask (ray: unsupported)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler-address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
    workers: int | None = WorkersOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Sweep document booths × e-declaration share × traffic at the border."""
    booth_list = [int(b) for b in _floats(booths, "booths")]
    shares = _floats(edeclaration, "edeclaration")
    levels = _floats(traffic, "trucks-per-day")
    try:
        base = load_config_file("border", config).scenario(scenario)
        with _progress(not as_json, "sweep") as progress:
            points = sweep_border(
                base,
                booths=booth_list,
                edeclaration_shares=shares,
                trucks_per_day=levels,
                seed=seed,
                replications=replications,
                days=days,
                backend=backend,
                scheduler_address=scheduler,
                workers=workers,
                progress=progress,
            )
    except CaspianError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(to_json([dataclasses.asdict(p) for p in points]))
        return
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
