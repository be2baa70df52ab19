"""Benchmark of the operations simulation (opt-in; not a test).

Run from the repository root::

    python -m benchmarks.bench_simulation

1. A simulated year of Astara traffic at 500 trucks/day, 30 replications, on local processes
   (goal: under 10 s on 2 cores).
2. The same M/M/c model (M/M/4, λ=40/h, μ=12/h) in the numba kernel and in plain SimPy, in the
   same run: model events per second (one arrival and one departure per customer) for both, and
   the ratio (goal: at least 10×). Figures are medians of repeated runs.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from caspian.simulation import load_config_file, simulate_border
from caspian.simulation.kernel import simulate_tandem
from caspian.simulation.reference import simulate_mmc_simpy

MMC_LAMBDA_PER_HOUR = 40.0
MMC_MU_PER_HOUR = 12.0
MMC_SERVERS = 4


def _mmc_samples(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / MMC_LAMBDA_PER_HOUR, n))
    return arrivals, rng.exponential(1.0 / MMC_MU_PER_HOUR, n)


def _kernel_mmc(arrivals: np.ndarray, service: np.ndarray) -> float:
    n = arrivals.size
    t0 = time.perf_counter()
    simulate_tandem(
        arrivals,
        np.zeros(n, dtype=np.int64),
        service.reshape(n, 1),
        np.ones((n, 1), dtype=np.bool_),
        pool_of=np.array([[0, 1]]),
        pool_servers=np.array([MMC_SERVERS, 1]),
        pool_open_from=np.zeros(2),
        pool_open_to=np.full(2, 24.0),
        parking_capacity=np.array([n + 1, n + 1]),
    )
    return time.perf_counter() - t0


def _simpy_mmc(arrivals: np.ndarray, service: np.ndarray) -> float:
    t0 = time.perf_counter()
    simulate_mmc_simpy(arrivals, service, servers=MMC_SERVERS)
    return time.perf_counter() - t0


def _year_run(seed: int) -> tuple[float, int, int]:
    cfg = load_config_file("border").base  # 500 trucks/day, seasonal and hourly profiles
    t0 = time.perf_counter()
    res = simulate_border(cfg, seed=seed, replications=30, days=365)
    return time.perf_counter() - t0, res.events, res.flow["arrived"]


def main() -> None:
    """Run the benchmark and print a markdown table."""
    cores = os.cpu_count() or 1
    warm_a, warm_s = _mmc_samples(2_000, 0)
    _kernel_mmc(warm_a, warm_s)  # compile / load the numba cache outside the timing
    simulate_border(load_config_file("border").base, seed=0, replications=1, days=1, workers=1)

    n_kernel, n_simpy, repeats = 2_000_000, 200_000, 5
    a, s = _mmc_samples(n_kernel, 1)
    kernel_times = [_kernel_mmc(a, s) for _ in range(repeats)]
    a2, s2 = _mmc_samples(n_simpy, 2)
    simpy_times = [_simpy_mmc(a2, s2) for _ in range(repeats)]
    kernel_eps = 2 * n_kernel / statistics.median(kernel_times)
    simpy_eps = 2 * n_simpy / statistics.median(simpy_times)

    year_runs = [_year_run(seed) for seed in range(3)]
    year_wall = statistics.median(r[0] for r in year_runs)
    events, trucks = year_runs[0][1], year_runs[0][2]

    print(f"# Simulation benchmark ({cores} cores, medians of repeated runs)\n")
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| Astara year × 30 reps (500 trucks/day): wall time | {year_wall:.2f} s (goal < 10 s) |"
    )
    print(f"| … trucks simulated / kernel events | {trucks:,} / {events:,} |")
    print(f"| … kernel events per second (end to end) | {events / year_wall:,.0f} |")
    print(f"| M/M/4 numba kernel: model events/s ({n_kernel:,} customers) | {kernel_eps:,.0f} |")
    print(f"| M/M/4 plain SimPy: model events/s ({n_simpy:,} customers) | {simpy_eps:,.0f} |")
    print(f"| ratio kernel / SimPy | {kernel_eps / simpy_eps:.1f}× (goal ≥ 10×) |")


if __name__ == "__main__":
    main()
