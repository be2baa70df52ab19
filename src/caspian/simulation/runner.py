"""Front door of the simulation engines: replications (in parallel) and parameter sweeps.

Each replication gets its own generator from ``numpy.random.SeedSequence(seed).spawn(R)``, so a
run is bit-for-bit reproducible whatever the number of worker processes.

Every entry point checks its inputs and estimates the size of the run
(:mod:`caspian.simulation.limits`) before any work, and attaches to the result the traffic
actually offered, the offered load of each stage and warnings (overload, too few
replications) from :mod:`caspian.simulation.capacity`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np

from caspian.errors import ValidationError
from caspian.parallel import BACKENDS, check_backend, map_local, map_on_dask
from caspian.simulation.border import border_sample, border_spec
from caspian.simulation.capacity import offered, run_size, run_warnings
from caspian.simulation.config import BorderConfig, PortConfig, RailConfig
from caspian.simulation.limits import (
    MAX_DAYS,
    MAX_REPLICATIONS,
    MAX_SWEEP_POINTS,
    MAX_WORKERS,
    RunSize,
    check_run_size,
    workers_within_memory,
)
from caspian.simulation.port import simulate_port_replication
from caspian.simulation.rail import rail_sample, rail_spec
from caspian.simulation.results import RepOutcome, SimulationResult, aggregate
from caspian.simulation.tandem import run_tandem, summarise_tandem

__all__ = [
    "BACKENDS",
    "SweepPoint",
    "check_run",
    "check_seed",
    "check_sweep",
    "simulate_border",
    "simulate_port",
    "simulate_rail",
    "sweep_border",
    "sweep_grid",
]

ProgressCallback = Callable[[int, int], None]
_PARALLEL_MIN_ENTITIES = 200_000


MAX_SEED = 2**63 - 1


def check_seed(seed: int) -> None:
    """Refuse a seed that :class:`numpy.random.SeedSequence` cannot take."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")


def check_run(days: float, replications: int, workers: int | None, *, seed: int = 0) -> None:
    """Refuse a horizon, replication count, worker count or seed out of range."""
    if not isinstance(days, int | float) or not math.isfinite(days):
        raise ValidationError(f"days must be a finite number > 0, got {days!r}")
    if not days > 0:
        raise ValidationError(f"days must be > 0, got {days!r}")
    if days > MAX_DAYS:
        raise ValidationError(f"days must be ≤ {MAX_DAYS:g} (ten years), got {days!r}")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValidationError(
            f"replications must be >= 1 and ≤ {MAX_REPLICATIONS:,}, got {replications!r}"
        )
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ValidationError(f"workers must be from 1 to {MAX_WORKERS}, got {workers!r}")
    check_seed(seed)


def _border_rep(
    config: BorderConfig,
    days: float,
    arrivals: tuple[np.ndarray, np.ndarray] | None,
    engine: str,
    rep: int,
    seed_seq: np.random.SeedSequence,
) -> RepOutcome:
    rng = np.random.default_rng(seed_seq)
    spec = border_spec(config)
    sample = border_sample(config, rng, days=days, arrivals=arrivals)
    return summarise_tandem(spec, sample, run_tandem(spec, sample, engine=engine), detail=rep == 0)


def _rail_rep(
    config: RailConfig, days: float, rep: int, seed_seq: np.random.SeedSequence
) -> RepOutcome:
    rng = np.random.default_rng(seed_seq)
    spec = rail_spec(config)
    sample = rail_sample(config, rng, days=days)
    return summarise_tandem(spec, sample, run_tandem(spec, sample), detail=rep == 0)


def _port_rep(
    config: PortConfig, days: float, rep: int, seed_seq: np.random.SeedSequence
) -> RepOutcome:
    rng = np.random.default_rng(seed_seq)
    return simulate_port_replication(config, rng, days=days, detail=rep == 0)


def run_replications(
    replicate: Callable[[int, np.random.SeedSequence], RepOutcome],
    *,
    seed: int,
    replications: int,
    workers: int | None,
    expected_entities: float,
    progress: ProgressCallback | None = None,
    size: RunSize | None = None,
) -> list[RepOutcome]:
    """Run ``replicate(rep, seed_seq)`` for every replication, in order of replication.

    ``workers=None`` picks local processes (one per core) when the run is large enough to pay
    for starting them, else runs in this process. With ``size``, no more processes run at
    once than fit in the memory limit.
    """
    seqs = np.random.SeedSequence(seed).spawn(replications)
    if workers is None:
        big = expected_entities * replications >= _PARALLEL_MIN_ENTITIES
        workers = min(os.cpu_count() or 1, replications) if big and replications > 1 else 1
    workers = min(workers, replications)
    if size is not None:
        workers = workers_within_memory(size, workers)
    outcomes: list[RepOutcome] = []
    if workers == 1:
        for rep, seq in enumerate(seqs):
            outcomes.append(replicate(rep, seq))
            if progress is not None:
                progress(rep + 1, replications)
        return outcomes
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(replicate, rep, seq) for rep, seq in enumerate(seqs)]
        for rep, fut in enumerate(futures):
            outcomes.append(fut.result())
            if progress is not None:
                progress(rep + 1, replications)
    return outcomes


_UNIT = {"border": "trucks", "rail": "wagons", "port": "export wagons"}


def _simulate(
    model: str,
    config: BorderConfig | RailConfig | PortConfig,
    replicate: Callable[[int, np.random.SeedSequence], RepOutcome],
    *,
    seed: int,
    replications: int,
    days: float,
    scenario: str,
    workers: int | None,
    progress: ProgressCallback | None,
    events_csv: bool,
    arrivals: tuple[np.ndarray, np.ndarray] | None = None,
) -> SimulationResult:
    check_run(days, replications, workers, seed=seed)
    size = run_size(model, config, days=days, replications=replications, arrivals=arrivals)
    check_run_size([size], events_csv=events_csv)
    info = offered(model, config, days=days, arrivals=arrivals)
    t0 = time.perf_counter()
    weight = 20.0 if model == "port" else 1.0  # SimPy is about 20 times slower per entity
    outcomes = run_replications(
        replicate,
        seed=seed,
        replications=replications,
        workers=workers,
        expected_entities=weight * size.entities_per_replication,
        progress=progress,
        size=size,
    )
    result = aggregate(
        outcomes,
        model=model,
        scenario=scenario,
        seed=seed,
        days=days,
        traffic_per_day=info["configured_per_day"],
        wall_seconds=time.perf_counter() - t0,
    )
    arrived = result.flow["arrived"] / (replications * days)
    traffic = {
        "configured_per_day": info["configured_per_day"],
        "seasonal_factor": info["seasonal_factor"],
        "offered_per_day": info["offered_per_day"],
        "arrived_per_day_per_replication": arrived,
        "exited_per_day_per_replication": result.flow["exited"] / (replications * days),
    }
    if model == "port":  # ships and import wagon-loads count as arrivals too
        del traffic["arrived_per_day_per_replication"]
        traffic["exited_per_day_per_replication"] = result.groups["wagons rail->ship"][
            "throughput_per_day"
        ].mean
    if isinstance(config, BorderConfig):
        traffic["start_month"] = config.start_month
    warnings = run_warnings(result, info, unit=_UNIT[model])
    if arrivals is not None:
        late = int((arrivals[0] >= 24.0 * days).sum())
        if late:
            warnings.append(
                f"{late:,} arrivals in the CSV are at or after the end of the run "
                f"({24.0 * days:g} h) and were not simulated"
            )
    extra = {
        "config": dataclasses.asdict(config),
        "traffic": traffic,
        "offered_load": info["offered_load"],
        "warnings": warnings,
    }
    if "equeue_load" in info:
        extra["equeue_load"] = info["equeue_load"]
    return dataclasses.replace(result, extra=extra)


def simulate_border(
    config: BorderConfig,
    *,
    seed: int = 0,
    replications: int = 1,
    days: float = 7.0,
    scenario: str = "custom",
    arrivals: tuple[np.ndarray, np.ndarray] | None = None,
    workers: int | None = None,
    engine: str = "numba",
    progress: ProgressCallback | None = None,
    events_csv: bool = False,
) -> SimulationResult:
    """Simulate the Astara road border crossing.

    Parameters
    ----------
    config
        Border parameters and levers (see :class:`~caspian.simulation.config.BorderConfig`).
    seed
        Root seed (0 to 2**63 - 1); same seed, same result bit for bit.
    replications
        Independent replications (confidence intervals are across them).
    days
        Horizon of each replication in days (starting on the 1st of ``config.start_month``).
    scenario
        Label stored in the result.
    arrivals
        Arrival hours and directions (e.g. from :func:`read_arrivals_csv`) instead of Poisson.
    workers
        Local worker processes (``None``: automatic, ``1``: in this process).
    engine
        ``"numba"`` (fast kernel) or ``"simpy"`` (reference, slow).
    progress
        Called with ``(done, total)`` after each replication.
    events_csv
        The caller will write ``events.csv``; its size is checked too.

    Returns
    -------
    SimulationResult
        Groups ``IR->AZ`` and ``AZ->IR``; ``time_mean_hours`` is the CAREC TFI1. ``extra``
        holds the traffic offered, the offered load per stage and warnings.

    Raises
    ------
    ValidationError
        A bad horizon, seed, replication or worker count, or a run over a size limit
        (:mod:`caspian.simulation.limits`), before any work.
    """
    if engine not in ("numba", "simpy"):
        raise ValidationError(f"engine must be 'numba' or 'simpy', got {engine!r}")
    return _simulate(
        "border",
        config,
        partial(_border_rep, config, days, arrivals, engine),
        seed=seed,
        replications=replications,
        days=days,
        scenario=scenario,
        workers=workers,
        progress=progress,
        events_csv=events_csv,
        arrivals=arrivals,
    )


def simulate_rail(
    config: RailConfig,
    *,
    seed: int = 0,
    replications: int = 1,
    days: float = 30.0,
    scenario: str = "custom",
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    events_csv: bool = False,
) -> SimulationResult:
    """Simulate the Astara rail transshipment terminal (wagons, both directions).

    Parameters and checks as :func:`simulate_border`.
    """
    return _simulate(
        "rail",
        config,
        partial(_rail_rep, config, days),
        seed=seed,
        replications=replications,
        days=days,
        scenario=scenario,
        workers=workers,
        progress=progress,
        events_csv=events_csv,
    )


def simulate_port(
    config: PortConfig,
    *,
    seed: int = 0,
    replications: int = 1,
    days: float = 30.0,
    scenario: str = "custom",
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    events_csv: bool = False,
) -> SimulationResult:
    """Simulate the Caspian Port rail ↔ ship terminal (see :mod:`caspian.simulation.port`).

    Parameters and checks as :func:`simulate_border`; ``detail`` of the result is a
    :class:`~caspian.simulation.results.PortDetail` (event log of replication 0).
    """
    return _simulate(
        "port",
        config,
        partial(_port_rep, config, days),
        seed=seed,
        replications=replications,
        days=days,
        scenario=scenario,
        workers=workers,
        progress=progress,
        events_csv=events_csv,
    )


@dataclass(frozen=True)
class SweepPoint:
    """One point of a parameter sweep and its headline results."""

    document_booths_per_direction: int
    edeclaration_share: float
    trucks_per_day: float
    tfi1_hours: dict[str, float]
    time_p90_hours: dict[str, float]


def _sweep_one(
    config: BorderConfig, days: float, replications: int, seed: int, point: tuple[int, float, float]
) -> SweepPoint:
    booths, share, traffic = point
    cfg = dataclasses.replace(
        config,
        document_booths_per_direction=booths,
        edeclaration_share=share,
        trucks_per_day=traffic,
    )
    res = simulate_border(cfg, seed=seed, replications=replications, days=days, workers=1)
    return SweepPoint(
        document_booths_per_direction=booths,
        edeclaration_share=share,
        trucks_per_day=traffic,
        tfi1_hours=res.tfi1_hours(),
        time_p90_hours={g: m["time_p90_hours"].mean for g, m in res.groups.items()},
    )


def sweep_grid(
    config: BorderConfig,
    *,
    booths: Sequence[int],
    edeclaration_shares: Sequence[float],
    trucks_per_day: Sequence[float],
    days: float,
    replications: int,
) -> list[tuple[int, float, float]]:
    """Check a sweep's axes and size before any work; return its points.

    Raises
    ------
    ValidationError
        An empty axis, a non-integer booth count, a value a border config refuses, more than
        :data:`~caspian.simulation.limits.MAX_SWEEP_POINTS` points or too much work.
    """
    axes = {"--booths": booths, "--edeclaration": edeclaration_shares}
    axes["--trucks-per-day"] = trucks_per_day
    for name, values in axes.items():
        if len(values) == 0:
            raise ValidationError(f"{name} needs at least one value")
    for b in booths:
        if isinstance(b, bool) or not isinstance(b, int):
            raise ValidationError(f"--booths must be whole numbers, got {b!r}")
    n_points = len(booths) * len(edeclaration_shares) * len(trucks_per_day)
    if n_points > MAX_SWEEP_POINTS:
        raise ValidationError(
            f"the sweep has {n_points:,} points; the limit is {MAX_SWEEP_POINTS}: use fewer values"
        )
    grid = list(itertools.product(booths, edeclaration_shares, trucks_per_day))
    sizes: list[RunSize] = []
    for b, sh, t in grid:  # validate every point before any work
        cfg = dataclasses.replace(
            config, document_booths_per_direction=b, edeclaration_share=sh, trucks_per_day=t
        )
        sizes.append(run_size("border", cfg, days=days, replications=replications))
    check_run_size(sizes)
    return grid


def sweep_border(
    config: BorderConfig,
    *,
    booths: Sequence[int],
    edeclaration_shares: Sequence[float],
    trucks_per_day: Sequence[float],
    seed: int = 0,
    replications: int = 3,
    days: float = 7.0,
    backend: str = "local",
    scheduler_address: str | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[SweepPoint]:
    """Run a grid of booths × e-declaration share × traffic; every point uses the same seed.

    Parameters
    ----------
    backend
        ``"local"`` (a process pool on this machine) or ``"dask"`` (``dask.distributed``: a local
        cluster, or the cluster at ``scheduler_address`` such as ``tcp://10.0.0.5:8786``,
        reached within :data:`DASK_CONNECT_SECONDS`).

    Raises
    ------
    ValidationError
        Bad axes or options, a run too large, or a scheduler that cannot be reached.
    """
    grid = check_sweep(
        config,
        booths=booths,
        edeclaration_shares=edeclaration_shares,
        trucks_per_day=trucks_per_day,
        seed=seed,
        replications=replications,
        days=days,
        backend=backend,
        scheduler_address=scheduler_address,
        workers=workers,
    )
    fn = partial(_sweep_one, config, days, replications, seed)
    if backend == "dask":
        return map_on_dask(
            fn, grid, scheduler_address=scheduler_address, workers=workers, progress=progress
        )
    return map_local(fn, grid, workers=workers, progress=progress)


def check_sweep(
    config: BorderConfig,
    *,
    booths: Sequence[int],
    edeclaration_shares: Sequence[float],
    trucks_per_day: Sequence[float],
    seed: int,
    replications: int,
    days: float,
    backend: str,
    scheduler_address: str | None,
    workers: int | None,
) -> list[tuple[int, float, float]]:
    """Every check of :func:`sweep_border`, without running it; returns the grid."""
    check_backend(backend, scheduler_address)
    check_run(days, replications, workers, seed=seed)
    return sweep_grid(
        config,
        booths=booths,
        edeclaration_shares=edeclaration_shares,
        trucks_per_day=trucks_per_day,
        days=days,
        replications=replications,
    )
