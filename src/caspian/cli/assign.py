"""``caspian assign``: user-equilibrium traffic assignment of a TNTP network.

Thin: find and read the files, call :func:`caspian.assignment.assign`, render. Imported
lazily (``common.LAZY_GROUPS``) because the engine loads numba.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from caspian.cli.common import JsonOpt, check_choice, handles_errors

if TYPE_CHECKING:
    from caspian.assignment import AssignmentProblem, AssignmentResult
    from caspian.io.tntp import TntpNetwork

BUNDLED_TNTP = Path(__file__).parents[1] / "data" / "tntp"
"""Example networks shipped with the package, usable by name (``--tntp SiouxFalls``)."""

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


def _folder(tntp: str) -> Path:
    given = Path(tntp)
    if given.exists() or not (BUNDLED_TNTP / tntp).is_dir():
        return given
    return BUNDLED_TNTP / tntp


def _comparison(
    network: TntpNetwork, problem: AssignmentProblem, result: AssignmentResult
) -> dict[str, float]:
    """The result against the folder's best-known flows (``*_flow.tntp``)."""
    import numpy as np

    from caspian.assignment.tntp import best_known_flows, objective_of

    assert network.flows is not None
    best = best_known_flows(problem, network.flows)
    best_objective = objective_of(problem, best)
    deviation = np.abs(result.vehicle_flow - best) / np.maximum(np.abs(best), 1.0)
    return {
        "best_known_objective": best_objective,
        "objective_relative_difference": (result.objective - best_objective) / best_objective,
        "max_flow_deviation": float(deviation.max()),
        "median_flow_deviation": float(np.median(deviation)),
    }


def _flows_csv(problem: AssignmentProblem, result: AssignmentResult, settings: str) -> bytes:
    import csv

    out = io.StringIO()
    out.write(f"# caspian assign {settings}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["from", "to", "volume", "time", "cost", "volume_capacity_ratio"])
    cost = result.class_cost[0]
    for a in range(problem.n_links):
        ratio = result.vehicle_flow[a] / problem.capacity[a]
        writer.writerow(
            [
                int(problem.tail[a]) + 1,
                int(problem.head[a]) + 1,
                repr(float(result.vehicle_flow[a])),
                repr(float(result.link_time[a])),
                repr(float(cost[a])),
                f"{ratio:.6g}",
            ]
        )
    return out.getvalue().encode()


@app.callback()
@handles_errors
def assign(
    tntp: Annotated[
        str,
        typer.Option(
            "--tntp",
            metavar="FOLDER|NAME",
            help="Folder with *_net.tntp and *_trips.tntp (and optionally *_flow.tntp), or a "
            "bundled example: SiouxFalls, Braess.",
        ),
    ],
    gap: Annotated[
        float, typer.Option("--gap", metavar="GAP", help="Target relative gap, e.g. 1e-6.")
    ] = 1e-4,
    method: Annotated[
        str,
        typer.Option(
            "--method", metavar="METHOD", help="gp (path-based, default), bfw, cfw or fw."
        ),
    ] = "gp",
    max_iterations: Annotated[
        int | None,
        typer.Option("--max-iterations", metavar="N", help="Stop after N iterations."),
    ] = None,
    toll_factor: Annotated[
        float | None,
        typer.Option(
            "--toll-factor",
            metavar="NUMBER",
            help="Time units per toll unit in the link cost (default: the file's, else the "
            "network's known value, else 0).",
        ),
    ] = None,
    distance_factor: Annotated[
        float | None,
        typer.Option(
            "--distance-factor", metavar="NUMBER", help="Time units per length unit, likewise."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", metavar="FILE", help="Write link flows to FILE.csv."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Solve the user equilibrium of a TNTP network; print objective, gap, iterations, time.

    With a *_flow.tntp file in the folder, also compares with the best-known flows.

    Example: caspian assign --tntp SiouxFalls --gap 1e-6
    """
    from caspian.assignment import METHODS
    from caspian.assignment import assign as solve
    from caspian.assignment.tntp import problem_from_tntp
    from caspian.cli.render import console, dump_json
    from caspian.errors import ValidationError
    from caspian.io.files import check_output, write_atomic
    from caspian.io.tntp import load_tntp

    check_choice(method, tuple(METHODS), "--method")
    if output is not None:
        output = check_output(output, what="-o")
        if output.suffix.lower() != ".csv":
            raise ValidationError(f"-o {output}: link flows are written as .csv; name it *.csv")
    network = load_tntp(_folder(tntp), toll_factor=toll_factor, distance_factor=distance_factor)
    problem = problem_from_tntp(network)
    result = solve(problem, method=method, gap=gap, max_iterations=max_iterations)
    summary = result.summary()
    summary.update(network=network.name, gap_target=gap)
    summary.update(toll_factor=network.toll_factor, distance_factor=network.distance_factor)
    if network.flows is not None:
        summary.update(_comparison(network, problem, result))
    if output is not None:
        settings = f"--tntp {network.name} --method {method} --gap {gap:g}"
        write_atomic(output, _flows_csv(problem, result, settings), what="-o")
    out = console()
    if as_json:
        typer.echo(dump_json(summary))
        return
    _print(summary, out)
    if output is not None:
        out.print(f"Link flows written to {output}")
    if not result.converged:
        console(stderr=True).print(
            f"[yellow]Warning:[/yellow] gap {result.relative_gap:.3g} did not reach {gap:g} in "
            f"{result.iterations} iterations; raise --max-iterations."
        )


def _print(summary: dict[str, object], out: object) -> None:
    from rich.table import Table

    table = Table(title=f"Assignment of {summary['network']}", title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [
        ("method", str(summary["method"])),
        ("Beckmann objective", f"{summary['objective']:,.6f}"),
        ("relative gap", f"{summary['relative_gap']:.3e} (target {summary['gap_target']:g})"),
        ("iterations", str(summary["iterations"])),
        ("seconds", f"{summary['seconds']:.3f}"),
        ("total system travel time", f"{summary['tstt']:,.3f}"),
    ]
    if "best_known_objective" in summary:
        rows += [
            ("best-known objective", f"{summary['best_known_objective']:,.6f}"),
            ("objective vs best known", f"{summary['objective_relative_difference']:+.2e}"),
            ("max link flow deviation", f"{summary['max_flow_deviation']:.3%}"),
            ("median link flow deviation", f"{summary['median_flow_deviation']:.3%}"),
        ]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)  # type: ignore[attr-defined]
