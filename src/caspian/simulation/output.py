"""Writers for simulation outputs: events CSV, JSON summary, PNG plots, planner scenario YAML.

Everything is first written to a temporary directory next to the target and moved into place
only when complete, so a failing run leaves nothing half-written. :func:`check_output_dir`
checks an output folder before any work starts.
"""

from __future__ import annotations

import csv
import errno
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from caspian.errors import ValidationError
from caspian.io.files import write_atomic
from caspian.simulation.results import EntityDetail, PortDetail, SimulationResult

__all__ = [
    "RESULT_FILES",
    "atomic_output_dir",
    "check_output_dir",
    "planner_scenario",
    "planner_scenario_text",
    "plot_compare",
    "plot_queue",
    "plot_waiting",
    "write_events_csv",
    "write_port_events_csv",
    "write_result",
]


RESULT_FILES = ("summary.json", "events.csv", "queue.png", "waiting.png")
"""Files ``write_result`` puts in ``-o DIR``."""


def _missing_ancestors(target: Path) -> tuple[list[Path], Path]:
    """Folders from ``target`` up that do not exist (deepest first) and the first that does."""
    missing: list[Path] = []
    p = target
    while not p.exists() and not p.is_symlink():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    return missing, p


def check_output_dir(
    path: str | os.PathLike[str], names: tuple[str, ...] = RESULT_FILES, *, what: str = "-o"
) -> Path:
    """Check before any work that the folder ``path`` can receive the files ``names``.

    The folder may exist (files of the same names are replaced) or be created, with any
    missing parents, when the outputs are written.

    Raises
    ------
    ValidationError
        ``path`` (or a parent) is a file, a folder is not writable, or one of the files
        exists as a folder.
    """
    target = Path(path)
    missing, existing = _missing_ancestors(target)
    if not existing.is_dir():
        if existing == target:
            raise ValidationError(f"{what} {target} is a file; give a folder for the outputs")
        raise ValidationError(f"{what} {target}: {existing} is a file, not a folder")
    try:  # a real probe: permissions, read-only file systems, /proc, running as root
        Path(tempfile.mkdtemp(prefix=".caspian-check.", dir=existing)).rmdir()
    except OSError as exc:
        raise ValidationError(
            f"{what} {target}: cannot create files in {existing} ({exc.strerror or exc})"
        ) from None
    if not missing:
        for name in names:
            item = target / name
            if item.exists() and not item.is_file():
                raise ValidationError(
                    f"{what} {target}: {item} exists and is not a file; move it away"
                )
    return target


@contextmanager
def atomic_output_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary directory; on success move its files into ``target``.

    Missing folders are created; on failure the ones created are removed again and the
    error becomes a :class:`~caspian.errors.ValidationError` saying what failed.
    """
    target = Path(target)
    missing, _ = _missing_ancestors(target)
    created: list[Path] = []
    tmp: Path | None = None
    try:
        for folder in reversed(missing[1:]):
            folder.mkdir()
            created.append(folder)
        parent = target.parent if str(target.parent) else Path(".")
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
        yield tmp
        if not target.exists():
            target.mkdir()
            created.append(target)
        for item in sorted(tmp.iterdir()):
            item.replace(target / item.name)
        created = []
    except OSError as exc:
        hint = " (the disk is full)" if exc.errno == errno.ENOSPC else ""
        raise ValidationError(
            f"-o {target}: could not write the outputs: {exc.strerror or exc}{hint}"
        ) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for folder in reversed(created):
            with suppress(OSError):
                folder.rmdir()


def write_events_csv(detail: EntityDetail, path: Path) -> None:
    """One row per entity and event: arrival, entry, queue/start/end per station, exit."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([detail.entity, "direction", "event", "station", "time_hours"])
        for i in range(detail.arrival_hours.size):
            direction = detail.direction_names[int(detail.direction[i])]
            rows: list[tuple[str, str, float]] = [("arrival", "", detail.arrival_hours[i])]
            rows.append(("entry", "parking", detail.entry_hours[i]))
            for k, station in enumerate(detail.station_names):
                rows.append(("queue", station, detail.queued_hours[i, k]))
                rows.append(("start", station, detail.start_hours[i, k]))
                rows.append(("end", station, detail.end_hours[i, k]))
            rows.append(("exit", "", detail.exit_hours[i]))
            for event, station, t in rows:
                if math.isfinite(t):
                    w.writerow([i, direction, event, station, f"{t:.6f}"])


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_queue(detail: EntityDetail, path: Path, *, title: str) -> None:
    """Queue length over time: road and each station."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4))
    days = detail.queue_grid_hours / 24.0
    for name, values in detail.queue_series.items():
        if np.any(values):
            ax.step(days, values, where="post", label=name, lw=1)
    ax.set_xlabel("day")
    ax.set_ylabel(f"{detail.entity}s waiting")
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_waiting(detail: EntityDetail, path: Path, *, title: str) -> None:
    """Distribution of time in system per direction."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    time_in = detail.exit_hours - detail.arrival_hours
    for d, name in enumerate(detail.direction_names):
        values = time_in[(detail.direction == d) & np.isfinite(time_in)]
        if values.size:
            ax.hist(values, bins=60, histtype="step", label=name)
    ax.set_xlabel("time in system (hours)")
    ax.set_ylabel(f"{detail.entity}s")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_compare(rows: Sequence[dict[str, Any]], path: Path, *, title: str) -> None:
    """Bars of mean time in system per scenario, traffic level and direction (with 95% CI)."""
    plt = _pyplot()
    labels = [f"{r['scenario']}\n{r['traffic_per_day']:g}/day" for r in rows]
    groups = list(rows[0]["groups"]) if rows else []
    fig, ax = plt.subplots(figsize=(max(7, 1.2 * len(rows)), 4.5))
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(rows))
    for j, g in enumerate(groups):
        means = np.array([r["groups"][g]["mean"] for r in rows])
        lo = np.array([r["groups"][g]["ci_low"] for r in rows])
        hi = np.array([r["groups"][g]["ci_high"] for r in rows])
        err = np.vstack([np.nan_to_num(means - lo), np.nan_to_num(hi - means)])
        ax.bar(x + j * width - 0.4 + width / 2, means, width, yerr=err, label=g, capsize=2)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("mean hours to clear (TFI1)")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_port_events_csv(detail: PortDetail, path: Path) -> None:
    """One row per port event: entity id within its group, group, event, resource, time."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["entity", "group", "event", "resource", "time_hours"])
        for entity, group, event, resource, t in detail.events:
            w.writerow([entity, group, event, resource, f"{t:.6f}"])


def plot_port_queue(detail: PortDetail, path: Path, *, title: str) -> None:
    """Queues (wagons, ships) and yard stocks over time, in two panels."""
    plt = _pyplot()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True)
    days = detail.queue_grid_hours / 24.0
    for name, values in detail.queue_series.items():
        top.step(days, values, where="post", label=name, lw=1)
    top.set_ylabel("waiting")
    top.set_ylim(bottom=0)
    top.legend(fontsize=8)
    top.set_title(title)
    for name, values in detail.stock_series.items():
        bottom.plot(days, values, label=name, lw=1)
    bottom.set_ylabel("yard stock (t)")
    bottom.set_ylim(bottom=0)
    bottom.set_xlabel("day")
    bottom.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_port_waiting(detail: PortDetail, path: Path, *, title: str) -> None:
    """Distribution of time in the port per group (wagons and ships)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, values in detail.time_in_system.items():
        if values.size:
            ax.hist(values, bins=60, histtype="step", label=name)
    ax.set_xlabel("time in the port (hours)")
    ax.set_ylabel("wagons or ships")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


def to_json(obj: Any) -> str:
    """JSON text with NaN written as ``null``."""
    return json.dumps(_jsonable(obj), indent=2, ensure_ascii=False)


def write_result(
    result: SimulationResult,
    out_dir: Path,
    *,
    extra_files: dict[str, Callable[[Path], None]] | None = None,
) -> list[str]:
    """Write ``summary.json``, ``events.csv`` and plots of one result atomically.

    Returns
    -------
    list of str
        Names of the files written.
    """
    with atomic_output_dir(out_dir) as tmp:
        (tmp / "summary.json").write_text(to_json(result.as_dict()), encoding="utf-8")
        title = f"{result.model} · {result.scenario} · {result.traffic_per_day:g}/day"
        detail = result.detail
        if isinstance(detail, EntityDetail):
            write_events_csv(detail, tmp / "events.csv")
            plot_queue(detail, tmp / "queue.png", title=f"Queues — {title}")
            plot_waiting(detail, tmp / "waiting.png", title=f"Time in system — {title}")
        elif isinstance(detail, PortDetail):
            write_port_events_csv(detail, tmp / "events.csv")
            plot_port_queue(detail, tmp / "queue.png", title=f"Queues and yards — {title}")
            plot_port_waiting(detail, tmp / "waiting.png", title=f"Time in port — {title}")
        for name, writer in (extra_files or {}).items():
            writer(tmp / name)
        return sorted(p.name for p in tmp.iterdir())


def planner_scenario(result: SimulationResult, *, scenario: str) -> dict[str, Any]:
    """Planner scenario with the simulated mean clearance hours per direction at Astara road."""
    tfi = result.tfi1_hours()
    borders = []
    for direction in ("IR->AZ", "AZ->IR"):
        src, dst = direction.split("->")
        borders.append(
            {
                "node": "bc_astara_road",
                "mode": "road",
                "from_country": src,
                "to_country": dst,
                "clearance_hours": round(float(tfi[direction]), 3),
            }
        )
    description = (
        f"Astara road border clearance hours from the caspian operations simulation "
        f"(border model, scenario {scenario}, seed {result.seed}, {result.replications} "
        f"replications x {result.days:g} days, {result.traffic_per_day:g} trucks/day)"
    )
    return {"name": f"astara-simulated-{scenario}", "description": description, "borders": borders}


def planner_scenario_text(data: dict[str, Any]) -> str:
    """Planner scenario YAML, flow-style border entries as the planner documents them."""
    lines = [
        f"name: {data['name']}",
        f"description: {json.dumps(data['description'])}",
        "borders:",
    ]
    for b in data["borders"]:
        inner = ", ".join(f"{k}: {v}" for k, v in b.items())
        lines.append(f"  - {{{inner}}}")
    text = "\n".join(lines) + "\n"
    yaml.safe_load(text)  # must round-trip
    return text


def write_planner_scenario(data: dict[str, Any], path: Path) -> None:
    """Write :func:`planner_scenario_text` to ``path`` (atomically)."""
    write_atomic(path, planner_scenario_text(data).encode("utf-8"), what="--write-scenario")
