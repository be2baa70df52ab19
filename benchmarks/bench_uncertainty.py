"""Monte Carlo benchmark: 1,000 draws over the evidence ranges for one demo corridor.

Ours: each option's route is a linear form in the parameter factors
(:mod:`caspian.routing.linear`), so N draws are one matrix product per option. Peer: the
straightforward Monte Carlo a spreadsheet or a script would do, re-costing the network for
every draw (``prepare_query(factors=draw)``) and re-pricing each route along its edges. Both
run in the same process on the same draws; the peer's results check ours (largest relative
difference). Run with ``make bench``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from caspian.io.tables import load_network
from caspian.routing.families import compare_modes
from caspian.routing.graph import build_graph
from caspian.routing.search import build_itinerary, prepare_query
from caspian.routing.uncertainty import compare_under_uncertainty, draw_factors

CORRIDOR = ("Aktau", "Tehran", "wheat", 1000.0)
DRAWS = 1000
PEER_DRAWS = 100
REPEATS = 5


def main() -> None:
    """Print a markdown table: median seconds of ours and the peer, their ratio and agreement."""
    net = load_network()
    o, d, cargo, t = CORRIDOR
    options = [r.itinerary for r in compare_modes(net, o, d, cargo=cargo, tonnes=t)]
    routes = [it for it in options if it is not None]
    compare_under_uncertainty(net, routes, draws=10, seed=0)  # warm (numba, caches)
    ours = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = compare_under_uncertainty(net, routes, draws=DRAWS, seed=1)
        ours.append(time.perf_counter() - start)

    sample = draw_factors(build_graph(net).params, PEER_DRAWS, seed=1)
    peer = []
    worst = 0.0
    for _ in range(max(1, REPEATS // 2)):
        start = time.perf_counter()
        for k in range(PEER_DRAWS):
            q = prepare_query(net, o, d, cargo=cargo, tonnes=t, factors=sample[k])
            for i, it in enumerate(routes):
                edges = [e for leg in it.legs for e in leg.edges]
                first = int(q.graph.src[edges[0]])
                cost = build_itinerary(q, first, edges).totals.cost_usd
                form = result.forms[i]
                assert form is not None
                ours_cost = float(form.cost_usd.value(sample[k : k + 1])[0])
                worst = max(worst, abs(cost - ours_cost) / cost)
        peer.append(time.perf_counter() - start)
    ours_s = statistics.median(ours)
    peer_s = statistics.median(peer) * DRAWS / PEER_DRAWS
    print(f"## Monte Carlo over the evidence ranges: {o} → {d}, {t:,.0f} t {cargo}")
    print()
    print(
        f"{len(routes)} options (one per mode family), {len(build_graph(net).params)} uncertain "
        f"parameters, {DRAWS:,} draws, warm; peer timed on {PEER_DRAWS} draws and scaled."
    )
    print()
    print("| method | median s for 1,000 draws | ratio |")
    print("|---|---:|---:|")
    print(f"| linear forms (ours, `compare_under_uncertainty`) | {ours_s:.4f} | 1 |")
    print(f"| re-cost the network per draw (peer) | {peer_s:.2f} | {peer_s / ours_s:,.0f}× |")
    print()
    print(
        f"Agreement: largest relative difference in route cost between the two methods "
        f"{worst:.1e} over {PEER_DRAWS} draws × {len(routes)} routes. Goal: 1,000 draws "
        f"< 1 s warm — {'met' if ours_s < 1.0 else 'NOT met'}."
    )
    spreads = [s for s in result.spreads if s is not None]
    always = np.isclose(max(s.p_cheapest for s in spreads), 1.0)
    print(
        f"p_cheapest of the options: {', '.join(f'{s.p_cheapest:.2f}' for s in spreads)} "
        f"(seed 1; {'one option always wins' if always else 'the draws change the verdict'})"
    )


if __name__ == "__main__":
    main()
