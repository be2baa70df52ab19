"""Via places, the layered state graph, work budgets and the split of the search modules."""

from __future__ import annotations

import ast
import contextlib
import itertools
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import caspian.routing
from caspian.errors import NoRouteError, ValidationError
from caspian.model.network import Network
from caspian.model.places import _name_index, resolve_place
from caspian.routing import RouteOptions, plan_route, prepare_query
from caspian.routing.alternatives import alternative_routes
from caspian.routing.budget import MAX_ALTERNATIVES, Budget, SearchBudgetError
from caspian.routing.elementary import best_simple_route
from caspian.routing.labels import constrained_best, pareto_labels
from caspian.routing.layered import state_graph
from caspian.routing.pareto import pareto_front_of_query
from caspian.routing.search import best_path, build_itinerary

from .test_properties import SETTINGS, _build, _endpoints, _nx_graph, _physically_simple, networks


@SETTINGS
@given(spec=networks(), data=st.data())
def test_via_is_cheapest_simple_route_else_cheapest_walk(
    spec: dict[str, object], data: st.DataObject
) -> None:
    n = int(spec["n"])  # type: ignore[call-overload]
    destination = f"n{n - 1}"
    if data.draw(st.booleans(), label="connected"):
        chain = [(i, i + 1, "road", data.draw(st.integers(5, 400))) for i in range(n - 1)]
        spec = {**spec, "links": [*spec["links"], *chain]}  # type: ignore[misc]
    if data.draw(st.booleans(), label="dead end"):
        # a leaf hung off one place: reaching it and leaving must pass that place twice
        hub = data.draw(st.integers(0, n - 1), label="hub")
        km = data.draw(st.integers(5, 400), label="km")
        spec = {**spec, "n": n + 1, "links": [*spec["links"], (hub, n, "road", km)]}  # type: ignore[misc]
        via = n
    else:
        via = data.draw(st.integers(1, n - 2), label="via") if n > 2 else 1
    with tempfile.TemporaryDirectory() as tmp:
        net = _build(spec, Path(tmp))
    q = prepare_query(
        net,
        "n0",
        destination,
        cargo="wheat",
        tonnes=10,
        options=RouteOptions(via_nodes=(f"n{via}",)),
    )
    found = best_path(q)
    G = _nx_graph(q)
    _endpoints(q, G)
    g = q.graph
    at_via = [v for v in g.vertices_of_node.get(f"n{via}", ()) if v in G]
    simple = np.inf
    if "S" in G and "T" in G:
        for path in nx.all_simple_edge_paths(G, "S", "T"):
            vertices = ["S", *(v for _, v, _ in path)]
            names = {g.vertex_node[v] for v in vertices[1:-1]}
            if f"n{via}" in names and _physically_simple(q, vertices):
                simple = min(simple, sum(G[u][v][k]["weight"] for u, v, k in path))
    walk = np.inf
    if "S" in G and "T" in G:
        to = nx.single_source_dijkstra_path_length(G, "S")
        for x in at_via:
            if x in to:
                with contextlib.suppress(nx.NetworkXNoPath):
                    walk = min(walk, to[x] + nx.dijkstra_path_length(G, x, "T"))
    if not np.isfinite(walk):
        event("no route")
        assert found is None
        return
    assert found is not None
    it = build_itinerary(q, found[1], found[2])
    assert f"n{via}" in it.nodes
    event("simple route" if np.isfinite(simple) else "walk only")
    if np.isfinite(simple):
        assert found[0] == pytest.approx(simple, rel=1e-9, abs=1e-9)
        assert not any("twice" in note for note in it.notes)
    else:
        assert found[0] == pytest.approx(walk, rel=1e-9, abs=1e-9)
        assert any("twice" in note and "doubling back" in note for note in it.notes)


def _doubles_back(nodes: tuple[str, ...]) -> bool:
    collapsed = [k for k, _ in itertools.groupby(nodes)]
    return len(collapsed) != len(set(collapsed))


@pytest.mark.parametrize(
    ("origin", "destination", "via"),
    [("Aktau", "Baku", "Bandar Abbas"), ("Tehran", "Tbilisi", "Moscow")],
)
def test_far_via_places_answer_quickly_and_say_when_they_double_back(
    bundled: Network, origin: str, destination: str, via: str
) -> None:
    start = time.perf_counter()
    it = plan_route(
        bundled,
        origin,
        destination,
        cargo="general_container",
        tonnes=20,
        options=RouteOptions(via_nodes=(via,)),
    )
    assert time.perf_counter() - start < 5
    via_id = resolve_place(bundled, via).id
    assert via_id in it.nodes
    noted = any("twice" in note and via in note for note in it.notes)
    assert noted == _doubles_back(it.nodes)
    plain = plan_route(bundled, origin, destination, cargo="general_container", tonnes=20)
    assert plain.totals.generalized_cost_usd <= it.totals.generalized_cost_usd + 1e-6


def test_dead_end_via_goes_there_and_back(mini: Network) -> None:
    # Lahijan hangs off Rasht in the mini network: through it, Aktau → Tehran comes back
    hub = {
        (link.to_node if link.from_node == "ir_lahijan" else link.from_node)
        for link in mini.links.values()
        if "ir_lahijan" in (link.from_node, link.to_node)
    }
    assert len(hub) == 1, hub  # the premise of the test
    it = plan_route(
        mini,
        "Aktau",
        "Tehran",
        cargo="wheat",
        tonnes=100,
        options=RouteOptions(via_nodes=("Lahijan",)),
    )
    assert "ir_lahijan" in it.nodes and _doubles_back(it.nodes)
    (node,) = hub
    assert any(f"({node}) twice" in note and "doubling back" in note for note in it.notes)


@pytest.mark.parametrize("place", ["Aktau", "kz_aktau", "Tehran"])
def test_via_an_end_is_refused(mini: Network, place: str) -> None:
    with pytest.raises(ValidationError, match=r"(origin|destination): every route passes it"):
        plan_route(
            mini,
            "Aktau",
            "Tehran",
            cargo="wheat",
            tonnes=1,
            options=RouteOptions(via_nodes=(place,)),
        )


def test_simple_route_search_stops_at_its_budget(mini: Network) -> None:
    q = prepare_query(
        mini,
        "Lahijan",
        "Aktau",
        cargo="tea",
        tonnes=20,
        options=RouteOptions(require_modes=(frozenset({"rail"}), frozenset({"sea"}))),
    )
    sg = state_graph(q)
    assert best_simple_route(q, sg) is not None
    with pytest.raises(SearchBudgetError, match="work budget of 10 units") as err:
        best_simple_route(q, sg, budget=Budget(10, "a test route", "relax it"))
    assert isinstance(err.value, NoRouteError)  # exit code 3 on the command line
    assert "relax it" in str(err.value)


def test_label_searches_raise_instead_of_returning_a_partial_front(mini: Network) -> None:
    q = prepare_query(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    full = pareto_front_of_query(q)
    assert len(full) >= 2
    with pytest.raises(SearchBudgetError, match="limit of 3 labels"):
        pareto_front_of_query(q, max_labels=3)
    with pytest.raises(SearchBudgetError, match="Pareto front"):
        pareto_front_of_query(q, work=20)
    with pytest.raises(SearchBudgetError, match="budget of 5 units"):
        pareto_labels(q, [q.weights], [q.source_cost], [q.target_cost], budget=Budget(5, "x", "y"))
    with pytest.raises(SearchBudgetError):
        constrained_best(q, max_hours=1e6, budget=Budget(5, "x", "y"))


def test_alternatives_are_bounded(mini: Network) -> None:
    for k in (0, -3, MAX_ALTERNATIVES + 1, True, 2.5):
        with pytest.raises(ValidationError, match="number of alternatives"):
            alternative_routes(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1, k=k)  # type: ignore[arg-type]
    found = alternative_routes(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1, k=3, max_solves=1)
    assert len(found) == 1
    assert "only 1 of the 3 alternatives" in found[-1].notes[-1]
    assert "limit of 1 route searches" in found[-1].notes[-1]
    full = alternative_routes(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1, k=2)
    assert len(full) == 2 and not any("alternatives" in n for it in full for n in it.notes)


def test_alternatives_never_ban_the_via_place(mini: Network) -> None:
    found = alternative_routes(
        mini,
        "Aktau",
        "Tehran",
        cargo="wheat",
        tonnes=1000,
        k=3,
        options=RouteOptions(via_nodes=("Anzali",)),
    )
    assert found and all("ir_anzali" in it.nodes for it in found)


def test_name_index_is_cached_per_network(mini: Network, bundled: Network) -> None:
    assert _name_index(mini) is _name_index(mini)
    assert _name_index(mini) is not _name_index(bundled)
    assert resolve_place(bundled, "Moscow").id == "ru_moscow"
    with pytest.raises(LookupError):
        resolve_place(mini, "Moscow")  # the bundled network's names do not leak into mini
    index = _name_index(bundled)
    for _ in range(3):
        resolve_place(bundled, "Bandar Abbas")
    assert _name_index(bundled) is index  # resolving reuses the index, never rebuilds it


def _routing_imports() -> dict[str, set[str]]:
    folder = Path(caspian.routing.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        name = path.stem
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] == ["caspian", "routing"] and len(parts) == 3:
                    deps.add(parts[2])
        graph[name] = deps
    return graph


def test_routing_modules_import_without_cycles() -> None:
    graph = _routing_imports()
    assert "search" not in graph["labels"]
    order = nx.DiGraph([(a, b) for a, deps in graph.items() for b in deps])
    assert nx.is_directed_acyclic_graph(order), list(nx.simple_cycles(order))
    assert sum(1 for _ in Path(caspian.routing.__file__).with_name("search.py").open()) < 60


def test_search_keeps_its_public_names() -> None:
    import caspian.routing.search as search

    for name in (
        "RouteOptions",
        "RouteQuery",
        "best_path",
        "build_itinerary",
        "explain_no_route",
        "plan_route",
        "prepare_query",
        "required_bits",
        "solve",
    ):
        assert hasattr(search, name)
    assert list(itertools.islice(iter(search.__all__), 1))
