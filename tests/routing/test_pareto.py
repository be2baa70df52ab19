"""The Pareto front is exact: equal to brute-force enumeration of all simple paths."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
from hypothesis import given

from caspian.model.network import CARGO_CLASSES
from caspian.routing import prepare_query
from caspian.routing.alternatives import alternative_routes
from caspian.routing.pareto import pareto_front, pareto_front_of_query

from .test_properties import SETTINGS, _build, networks


def _brute_front(q: object) -> set[tuple[float, float, float]]:
    g = q.graph  # type: ignore[attr-defined]
    ci = CARGO_CLASSES.index(q.commodity.cargo_class)  # type: ignore[attr-defined]
    c = q.costs  # type: ignore[attr-defined]
    G = nx.MultiDiGraph()
    for e in range(g.n_edges):
        if q.allowed[e] and np.isfinite(c.money_usd_per_t[e]):  # type: ignore[attr-defined]
            G.add_edge(int(g.src[e]), int(g.dst[e]), key=e)
    vectors = []
    for s in q.sources:  # type: ignore[attr-defined]
        for t in q.targets:  # type: ignore[attr-defined]
            if s not in G or t not in G:
                continue
            for path in nx.all_simple_edge_paths(G, int(s), int(t)):
                edges = [k for _, _, k in path]
                vectors.append(
                    (
                        g.load_usd_per_t[ci][s]
                        + g.load_usd_per_t[ci][t]
                        + sum(c.money_usd_per_t[e] for e in edges),
                        g.load_hours[ci][s] + g.load_hours[ci][t] + sum(c.hours[e] for e in edges),
                        sum(c.co2e_kg_per_t[e] for e in edges),
                    )
                )
    front = set()
    for v in vectors:
        if not any(all(w[i] <= v[i] + 1e-9 for i in range(3)) and w != v for w in vectors):
            front.add(tuple(round(x, 6) for x in v))
    return front


@SETTINGS
@given(spec=networks())
def test_front_equals_brute_force(spec: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        net = _build(spec, Path(tmp))
    q = prepare_query(net, "n0", f"n{int(spec['n']) - 1}", cargo="tea", tonnes=1)  # type: ignore[call-overload]
    front = pareto_front_of_query(q)
    ours = {
        (round(it.totals.cost_usd, 6), round(it.totals.hours, 6), round(it.totals.co2e_kg, 6))
        for it in front
    }
    assert ours == _brute_front(q)
    assert len(ours) == len(front)  # no duplicates


def test_front_on_mini_has_the_trade_off(mini) -> None:  # type: ignore[no-untyped-def]
    front = pareto_front(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20)
    assert len(front) >= 2
    for a, b in itertools.combinations(front, 2):
        ta, tb = a.totals, b.totals
        assert not (
            ta.cost_usd <= tb.cost_usd and ta.hours <= tb.hours and ta.co2e_kg <= tb.co2e_kg
        )


def test_alternatives_differ_in_substance(mini) -> None:  # type: ignore[no-untyped-def]
    alts = alternative_routes(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20, k=3)
    assert len(alts) == 3
    assert len({a.signature() for a in alts}) == 3
    costs = [a.totals.generalized_cost_usd for a in alts]
    assert costs == sorted(costs)
