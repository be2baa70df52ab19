"""Front door of the simulation engines: replications (in parallel) and parameter sweeps.

Each replication gets its own generator from ``numpy.random.SeedSequence(seed).spawn(R)``, so a
run is bit-for-bit reproducible whatever the number of worker processes.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from caspian.errors import ValidationError
from caspian.simulation.border import border_sample, border_spec
from caspian.simulation.config import BorderConfig, PortConfig, RailConfig
from caspian.simulation.port import simulate_port_replication
from caspian.simulation.rail import rail_sample, rail_spec
from caspian.simulation.results import RepOutcome, SimulationResult, aggregate
from caspian.simulation.tandem import run_tandem, summarise_tandem

__all__ = [
    "BACKENDS",
    "SweepPoint",
    "simulate_border",
    "simulate_port",
    "simulate_rail",
    "sweep_border",
]

ProgressCallback = Callable[[int, int], None]
BACKENDS = ("local", "dask")
_PARALLEL_MIN_ENTITIES = 200_000


MAX_DAYS = 3660.0
"""Longest horizon accepted (ten years)."""
MAX_ENTITIES = 200_000_000
"""Most trucks/wagons in one run (days × traffic × replications), about a minute of work."""


def _check_run(
    days: float, replications: int, workers: int | None, *, per_day: float = 0.0
) -> None:
    if not days > 0:
        raise ValidationError(f"days must be > 0, got {days!r}")
    if days > MAX_DAYS:
        raise ValidationError(f"days must be ≤ {MAX_DAYS:g} (ten years), got {days!r}")
    if replications < 1:
        raise ValidationError(f"replications must be >= 1, got {replications!r}")
    if workers is not None and workers < 1:
        raise ValidationError(f"workers must be >= 1, got {workers!r}")
    total = per_day * days * replications
    if total > MAX_ENTITIES:
        raise ValidationError(
            f"this run would simulate {total:,.0f} trucks or wagons (traffic {per_day:g}/day × "
            f"{days:g} days × {replications} replications); the limit is {MAX_ENTITIES:,}: "
            "reduce the traffic, the days or the replications"
        )


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
    return simulate_port_replication(config, np.random.default_rng(seed_seq), days=days)


def run_replications(
    replicate: Callable[[int, np.random.SeedSequence], RepOutcome],
    *,
    seed: int,
    replications: int,
    workers: int | None,
    expected_entities: float,
    progress: ProgressCallback | None = None,
) -> list[RepOutcome]:
    """Run ``replicate(rep, seed_seq)`` for every replication, in order of replication.

    ``workers=None`` picks local processes (one per core) when the run is large enough to pay
    for starting them, else runs in this process.
    """
    seqs = np.random.SeedSequence(seed).spawn(replications)
    if workers is None:
        big = expected_entities * replications >= _PARALLEL_MIN_ENTITIES
        workers = min(os.cpu_count() or 1, replications) if big and replications > 1 else 1
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
) -> SimulationResult:
    """Simulate the Astara road border crossing.

    Parameters
    ----------
    config
        Border parameters and levers (see :class:`~caspian.simulation.config.BorderConfig`).
    seed
        Root seed; same seed, same result bit for bit.
    replications
        Independent replications (confidence intervals are across them).
    days
        Horizon of each replication in days.
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

    Returns
    -------
    SimulationResult
        Groups ``IR->AZ`` and ``AZ->IR``; ``time_mean_hours`` is the CAREC TFI1.
    """
    _check_run(days, replications, workers, per_day=config.trucks_per_day)
    if engine not in ("numba", "simpy"):
        raise ValidationError(f"engine must be 'numba' or 'simpy', got {engine!r}")
    t0 = time.perf_counter()
    fn = partial(_border_rep, config, days, arrivals, engine)
    expected = config.trucks_per_day * days if arrivals is None else float(arrivals[0].size)
    outcomes = run_replications(
        fn,
        seed=seed,
        replications=replications,
        workers=workers,
        expected_entities=expected,
        progress=progress,
    )
    return aggregate(
        outcomes,
        model="border",
        scenario=scenario,
        seed=seed,
        days=days,
        traffic_per_day=config.trucks_per_day if arrivals is None else expected / days,
        wall_seconds=time.perf_counter() - t0,
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
) -> SimulationResult:
    """Simulate the Astara rail transshipment terminal (wagons, both directions)."""
    _check_run(days, replications, workers, per_day=config.wagons_per_day)
    t0 = time.perf_counter()
    outcomes = run_replications(
        partial(_rail_rep, config, days),
        seed=seed,
        replications=replications,
        workers=workers,
        expected_entities=config.wagons_per_day * days,
        progress=progress,
    )
    return aggregate(
        outcomes,
        model="rail",
        scenario=scenario,
        seed=seed,
        days=days,
        traffic_per_day=config.wagons_per_day,
        wall_seconds=time.perf_counter() - t0,
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
) -> SimulationResult:
    """Simulate the Caspian Port rail ↔ ship terminal (see :mod:`caspian.simulation.port`)."""
    _check_run(days, replications, workers, per_day=config.export_wagons_per_day)
    t0 = time.perf_counter()
    outcomes = run_replications(
        partial(_port_rep, config, days),
        seed=seed,
        replications=replications,
        workers=workers,
        expected_entities=20.0 * config.export_wagons_per_day * days,  # SimPy is ~20x slower
        progress=progress,
    )
    return aggregate(
        outcomes,
        model="port",
        scenario=scenario,
        seed=seed,
        days=days,
        traffic_per_day=config.export_wagons_per_day,
        wall_seconds=time.perf_counter() - t0,
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
        cluster, or the cluster at ``scheduler_address`` such as ``tcp://10.0.0.5:8786``).
    """
    if backend not in BACKENDS:
        raise ValidationError(f"unknown backend '{backend}'; valid: {', '.join(BACKENDS)}")
    _check_run(days, replications, workers, per_day=max(trucks_per_day, default=0.0))
    grid = list(itertools.product(booths, edeclaration_shares, trucks_per_day))
    for b, s, t in grid:  # validate every point before any work
        dataclasses.replace(
            config, document_booths_per_direction=b, edeclaration_share=s, trucks_per_day=t
        )
    fn = partial(_sweep_one, config, days, replications, seed)
    if backend == "dask":
        return _sweep_dask(fn, grid, scheduler_address, workers, progress)
    n_workers = workers or min(os.cpu_count() or 1, len(grid))
    out: list[SweepPoint] = []
    if n_workers == 1:
        for i, p in enumerate(grid):
            out.append(fn(p))
            if progress is not None:
                progress(i + 1, len(grid))
        return out
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        for i, res in enumerate(pool.map(fn, grid)):
            out.append(res)
            if progress is not None:
                progress(i + 1, len(grid))
    return out


def _sweep_dask(
    fn: Callable[[tuple[int, float, float]], SweepPoint],
    grid: list[tuple[int, float, float]],
    scheduler_address: str | None,
    workers: int | None,
    progress: ProgressCallback | None,
) -> list[SweepPoint]:
    from distributed import Client, LocalCluster

    cluster: Any = None
    if scheduler_address is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or min(os.cpu_count() or 1, len(grid)),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = Client(scheduler_address)  # type: ignore[no-untyped-call]
    try:
        futures = client.map(fn, grid, pure=False)
        out: list[SweepPoint] = []
        for i, fut in enumerate(futures):
            out.append(fut.result())
            if progress is not None:
                progress(i + 1, len(grid))
        return out
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
