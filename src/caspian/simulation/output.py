"""Writers for simulation outputs: events CSV, JSON summary, PNG plots, planner scenario YAML.

Everything is first written to a temporary directory next to the target and moved into place
only when complete, so a failing run leaves nothing half-written.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from caspian.simulation.results import EntityDetail, SimulationResult

__all__ = [
    "atomic_output_dir",
    "planner_scenario",
    "plot_compare",
    "plot_queue",
    "plot_waiting",
    "write_events_csv",
    "write_result",
]


@contextmanager
def atomic_output_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary directory; on success move its files into ``target``."""
    target = Path(target)
    parent = target.parent if target.parent != Path("") else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        yield tmp
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(tmp.iterdir()):
            item.replace(target / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
        if result.detail is not None:
            title = f"{result.model} · {result.scenario} · {result.traffic_per_day:g}/day"
            write_events_csv(result.detail, tmp / "events.csv")
            plot_queue(result.detail, tmp / "queue.png", title=f"Queues — {title}")
            plot_waiting(result.detail, tmp / "waiting.png", title=f"Time in system — {title}")
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


def write_planner_scenario(data: dict[str, Any], path: Path) -> None:
    """Write a planner scenario YAML, flow-style border entries as the planner documents them."""
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
    path.write_text(text, encoding="utf-8")
