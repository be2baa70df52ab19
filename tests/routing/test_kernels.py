"""The plain-Python and the numba Dijkstra tiers return identical results, ties included."""

from __future__ import annotations

import random

import numpy as np
import pytest

from caspian.model.network import Network
from caspian.routing import plan_route, prepare_query
from caspian.routing.dijkstra import best_route, shortest_tree
from caspian.routing.dijkstra_py import best_route_py, shortest_tree_py


def _csr(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(src, kind="stable").astype(np.int64)
    counts = np.bincount(src, minlength=n)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64), order


@pytest.mark.parametrize("seed", range(40))
def test_tiers_agree_on_random_graphs_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    m = int(rng.integers(1, 6 * n))
    src = rng.integers(0, n, m).astype(np.int64)
    dst = rng.integers(0, n, m).astype(np.int64)
    # small integer weights make many equal-cost paths; some edges are banned (inf)
    w = rng.integers(0, 4, m).astype(np.float64)
    w[rng.random(m) < 0.1] = np.inf
    indptr, adj = _csr(n, src, dst)
    k = int(rng.integers(1, 4))
    sources = rng.integers(0, n, k).astype(np.int64)
    source_cost = rng.integers(0, 3, k).astype(np.float64)
    targets = rng.integers(0, n, int(rng.integers(0, 4))).astype(np.int64)
    target_cost = rng.integers(0, 3, targets.size).astype(np.float64)

    d1, p1 = shortest_tree(indptr, adj, dst, w, sources, source_cost, targets)
    d2, p2 = shortest_tree_py(indptr, adj, dst, w, sources, source_cost, targets)
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(p1, p2)

    c1, s1, e1 = best_route(indptr, adj, dst, src, w, sources, source_cost, targets, target_cost)
    c2, s2, e2 = best_route_py(indptr, adj, dst, src, w, sources, source_cost, targets, target_cost)
    assert (c1, s1) == (c2, s2)
    np.testing.assert_array_equal(e1, e2)


def test_tiers_agree_on_bundled_queries(bundled: Network) -> None:
    ids = sorted(bundled.nodes)
    rng = random.Random(7)
    for _ in range(60):
        a, b = rng.sample(ids, 2)
        q = prepare_query(bundled, a, b, cargo="wheat", tonnes=500)
        g = q.graph
        args = (g.fwd_indptr, g.fwd_edges, g.dst, g.src, q.weights, q.sources, q.source_cost)
        c1, s1, e1 = best_route(*args, q.targets, q.target_cost)
        c2, s2, e2 = best_route_py(*args, q.targets, q.target_cost)
        assert (c1, s1) == (c2, s2)
        np.testing.assert_array_equal(e1, e2)


def test_planner_gives_the_same_route_in_both_tiers(
    bundled: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caspian.routing import kernels

    def legs(tier_calls: int) -> list[tuple[str, str, str, str]]:
        monkeypatch.setattr(kernels, "INTERPRETED_CALLS", tier_calls)
        it = plan_route(bundled, "Lahijan", "Almaty", cargo="tea", tonnes=20)
        return [(leg.kind, leg.from_node, leg.to_node, leg.mode) for leg in it.legs]

    monkeypatch.setattr(kernels, "_searches", iter(range(0, 10**9)))
    assert legs(10**9) == legs(0)


def test_one_shot_route_does_not_load_numba() -> None:
    """A single query stays in the plain-Python tier, so it never pays numba's load time."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from caspian.io.tables import load_network\n"
        "from caspian.routing import plan_route\n"
        "plan_route(load_network(), 'Aktau', 'Tehran', cargo='wheat', tonnes=20)\n"
        "print('numba' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"
