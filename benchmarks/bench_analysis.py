"""Analysis benchmarks: exact Pareto fronts for the demo corridors and criticality over the
default corridors, on the bundled network. Run with ``make bench``."""

from __future__ import annotations

import statistics
import time

from caspian.analysis import DEFAULT_CORRIDORS, criticality
from caspian.io.tables import load_network
from caspian.routing.pareto import pareto_front

DEMO = (
    ("Istanbul", "Turkmenbashi", "general_container", 20.0),
    ("Istanbul", "Ashgabat", "general_container", 20.0),
    ("Aktau", "Tehran", "wheat", 1000.0),
    ("Lahijan", "Almaty", "tea", 20.0),
    ("Lahijan", "Aktau", "tea", 20.0),
)
REPEATS = 5


def main() -> None:
    """Print markdown tables of the medians."""
    net = load_network()
    pareto_front(net, "Aktau", "Tehran", cargo="wheat", tonnes=1)  # warm caches
    print("## Pareto fronts (exact, cost × time × CO2e) on the demo corridors")
    print()
    print(f"| corridor | routes on the front | median s ({REPEATS} runs) |")
    print("|---|---:|---:|")
    for o, d, cargo, t in DEMO:
        times, size = [], 0
        for _ in range(REPEATS):
            start = time.perf_counter()
            size = len(pareto_front(net, o, d, cargo=cargo, tonnes=t))
            times.append(time.perf_counter() - start)
        print(f"| {o} → {d} ({cargo}) | {size} | {statistics.median(times):.3f} |")
    times = []
    ranked = []
    for _ in range(3):
        start = time.perf_counter()
        ranked = criticality(net, DEFAULT_CORRIDORS)
        times.append(time.perf_counter() - start)
    print()
    print("## Criticality")
    print()
    print(
        f"{len(DEFAULT_CORRIDORS)} default corridors, {len(ranked)} elements on their routes "
        f"removed one at a time: median {statistics.median(times):.2f} s (3 runs)."
    )


if __name__ == "__main__":
    main()
