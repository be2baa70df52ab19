"""Traffic-assignment benchmark: Caspian Gateway's engine against AequilibraE, same run.

TNTP Sioux Falls and Chicago Sketch (``../shared/benchmarks/tntp``; Sioux Falls also from
``tests/data/tntp``) to relative gaps 1e-4 and 1e-6. Ours: ``gp`` (path-based gradient
projection) and ``bfw``; AequilibraE: its bi-conjugate Frank–Wolfe (``bfw``), 2 cores.
Every final flow vector is checked with the *same* gap function
(:func:`caspian.assignment.analysis.relative_gap`) and Beckmann objective, so the engines'
own gap conventions do not matter. Our times are the median of 3 warm runs (numba compiled
before timing) and include building the problem's arrays; AequilibraE's are one run of
``TrafficAssignment.execute()`` (graph and matrix built outside the timing). Both use the
machine's 2 cores: AequilibraE ``set_cores(2)``, ours numba's default thread count (on
Chicago ``gp`` computes its trees in blocks on all threads; Sioux Falls is small enough to
run on one).

Run with ``make bench ONLY=bench_assignment`` (needs ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from pathlib import Path

import numpy as np

from caspian.assignment import AssignmentProblem, assign
from caspian.assignment.analysis import relative_gap
from caspian.assignment.tntp import objective_of, problem_from_tntp
from caspian.io.tntp import TntpNetwork, load_tntp

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks" / "tntp"
GAPS = (1e-4, 1e-6)
AE_MAX_ITERATIONS = {"SiouxFalls": 3000, "ChicagoSketch": 400}
"""AequilibraE's iteration cap per network (Chicago 1e-6 would take many minutes)."""


def _folder(name: str, tmp: Path) -> Path | None:
    files = [SHARED / f"{name}_{kind}.tntp" for kind in ("net", "trips", "flow")]
    if not all(f.is_file() for f in files):
        local = ROOT / "tests" / "data" / "tntp" / name
        return local if local.is_dir() else None
    folder = tmp / name
    folder.mkdir(exist_ok=True)
    for f in files:
        if not (folder / f.name).exists():
            (folder / f.name).symlink_to(f)
    return folder


def _ours(problem: AssignmentProblem, method: str, gap: float) -> tuple[float, int, np.ndarray]:  # type: ignore[type-arg]
    runs = []
    for _ in range(3):
        r = assign(problem, method=method, gap=gap, max_iterations=100_000)
        runs.append(r)
    seconds = float(np.median([r.seconds for r in runs]))
    return seconds, runs[-1].iterations, runs[-1].vehicle_flow


def _aequilibrae(network: TntpNetwork, gap: float) -> tuple[float, int, np.ndarray] | str:  # type: ignore[type-arg]
    try:
        import pandas as pd
        from aequilibrae.matrix import AequilibraeMatrix
        from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass
    except ImportError:
        return "not installed (pip install -e '.[bench]')"
    n = network.net
    df = pd.DataFrame(
        {
            "link_id": np.arange(1, n.init_node.size + 1),
            "a_node": n.init_node,
            "b_node": n.term_node,
            "direction": 1,
            "capacity": n.capacity,
            # AequilibraE refuses zero times (Chicago has 774): 1e-8 min changes nothing visible
            "free_flow_time": np.maximum(n.free_flow_time, 1e-8),
            "b": n.b,
            "power": n.power,
            "fixed": n.toll * network.toll_factor + n.length * network.distance_factor,
        }
    )
    df["id"] = df.link_id
    zones = np.arange(1, n.n_zones + 1, dtype=np.int64)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        graph = Graph()
        graph.network = df
        graph.prepare_graph(zones, remove_dead_ends=False)
        graph.set_graph("free_flow_time")
        graph.set_skimming([])
        graph.set_blocked_centroid_flows(n.first_thru_node > 1)
        matrix = AequilibraeMatrix()
        matrix.create_empty(zones=n.n_zones, matrix_names=["m"], memory_only=True)
        matrix.index[:] = zones
        dense = np.zeros((n.n_zones, n.n_zones))
        t = network.trips
        np.add.at(dense, (t.origins - 1, t.destinations - 1), t.volumes)
        matrix.matrices[:, :, 0] = dense
        matrix.computational_view(["m"])
        cls = TrafficClass("car", graph, matrix)
        cls.set_pce(1)
        cls.set_vot(1.0)
        cls.set_fixed_cost("fixed", 1.0)
        ta = TrafficAssignment()
        ta.set_classes([cls])
        ta.set_vdf("BPR")
        ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
        ta.set_capacity_field("capacity")
        ta.set_time_field("free_flow_time")
        ta.set_algorithm("bfw")
        ta.max_iter = AE_MAX_ITERATIONS.get(network.name, 1000)
        ta.rgap_target = gap
        ta.set_cores(2)
        start = time.perf_counter()
        ta.execute(log_specification=False)
        seconds = time.perf_counter() - start
        flows = ta.results()["m_tot"].sort_index().to_numpy()
    iterations = len(ta.assignment.convergence_report["iteration"])
    return seconds, iterations, flows


def main() -> None:
    """Print a markdown table: time and iterations to each gap, checked gap, ratios."""
    import tempfile

    print("## Traffic assignment: ours against AequilibraE (same run)")
    print()
    import numba

    print(
        f"Load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores; numba "
        f"threads: {numba.get_num_threads()})."
    )
    print()
    print(
        "| network | gap | engine | iterations | seconds | checked gap | objective − best "
        "| AequilibraE s ÷ ours |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("SiouxFalls", "ChicagoSketch"):
            folder = _folder(name, Path(tmp))
            if folder is None:
                print(f"| {name} | — | WARNING: TNTP files not found in {SHARED} | | | | | |")
                continue
            network = load_tntp(folder)
            problem = problem_from_tntp(network)
            best = None
            if network.flows is not None:
                from caspian.assignment.tntp import best_known_flows

                best = objective_of(problem, best_known_flows(problem, network.flows))
            assign(problem, method="gp", gap=1e-2)  # compile outside the timing
            assign(problem, method="bfw", gap=1e-2)
            for gap in GAPS:
                rows = []
                for method in ("gp", "bfw"):
                    if method == "bfw" and name == "ChicagoSketch" and gap < 1e-5:
                        continue  # BFW needs thousands of iterations there; gp is our answer
                    rows.append((f"caspian `{method}`", *_ours(problem, method, gap)))
                ae = _aequilibrae(network, gap)
                if isinstance(ae, str):
                    print(f"| {name} | {gap:g} | AequilibraE: {ae} | | | | | |")
                else:
                    rows.append(("AequilibraE 1.7 `bfw`", *ae))
                ae_seconds = ae[0] if not isinstance(ae, str) else None
                print(f"<!-- load average {os.getloadavg()[0]:.2f} -->")
                for label, seconds, iterations, flows in rows:
                    checked = relative_gap(problem, flows)
                    delta = (
                        ""
                        if best is None
                        else f"{(objective_of(problem, flows) - best) / best:+.1e}"
                    )
                    ratio = "" if ae_seconds is None else f"{ae_seconds / seconds:.1f}×"
                    print(
                        f"| {name} | {gap:g} | {label} | {iterations} | {seconds:.3f} | "
                        f"{checked:.2e} | {delta} | {ratio} |"
                    )
    print()
    print(
        "Checked gap: (TSTT − SPTT)/TSTT of each engine's final flows, computed by one and the "
        "same function. Objective − best: relative difference of the Beckmann objective from "
        "the best-known solution's."
    )


if __name__ == "__main__":
    main()
