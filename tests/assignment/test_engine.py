"""The engine's contract: multi-class, conservation, select-link, zero and unreachable demand,
and the three failures users report of other engines (FW variants stuck at a zero step,
poor multi-class convergence with PCE ≠ 1, select-link flows that do not add up)."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from caspian.assignment import METHODS, AssignmentProblem, Demand, assign, gp
from caspian.assignment.analysis import conservation_error, relative_gap, select_link
from caspian.errors import NoRouteError, ValidationError

ALL = list(METHODS)


def _with_classes(
    base: AssignmentProblem, demands: list[Demand], **kw: object
) -> AssignmentProblem:
    return AssignmentProblem(
        n_nodes=base.n_nodes,
        tail=base.tail,
        head=base.head,
        congested_time=base.congested_time,
        capacity=base.capacity,
        alpha=base.alpha,
        beta=base.beta,
        demand=tuple(demands),
        first_through_node=base.first_through_node,
        **kw,  # type: ignore[arg-type]
    )


def _split(d: Demand, share: float) -> tuple[Demand, Demand]:
    return (
        Demand(d.origins, d.destinations, d.volumes * share),
        Demand(d.origins, d.destinations, d.volumes * (1 - share)),
    )


def test_two_parallel_roads_by_hand() -> None:
    # t1 = 10 + 0.1·x1, t2 = 15 + 0.15·x2, x1 + x2 = 200: equal times (24) at 140 and 60.
    problem = AssignmentProblem(
        n_nodes=2,
        tail=np.array([0, 0]),
        head=np.array([1, 1]),
        congested_time=np.array([10.0, 15.0]),
        capacity=np.array([100.0, 100.0]),
        alpha=np.array([1.0, 1.0]),
        beta=np.array([1.0, 1.0]),
        demand=Demand(np.array([0]), np.array([1]), np.array([200.0])),
    )
    for method in ALL:
        r = assign(problem, method=method, gap=1e-10, max_iterations=100_000)
        assert r.vehicle_flow == pytest.approx([140.0, 60.0], abs=1e-3), method
        assert r.link_time == pytest.approx([24.0, 24.0], abs=1e-4)


@pytest.mark.parametrize("method", ["gp", "bfw"])
def test_multiclass_with_pce_matches_the_vehicle_equivalent(
    sioux_problem: AssignmentProblem, method: str
) -> None:
    # Trucks (PCE 2.5, demand in trucks) + cars: same vehicles as one class of PCE 1.
    base = sioux_problem.demand[0]
    cars, trucks = _split(base, 0.7)
    trucks = Demand(trucks.origins, trucks.destinations, trucks.volumes / 2.5)
    mixed = _with_classes(sioux_problem, [cars, trucks], pce=np.array([1.0, 2.5]))
    single = assign(sioux_problem, method="gp", gap=1e-9)
    r = assign(mixed, method=method, gap=1e-6)
    assert r.converged and r.relative_gap <= 1e-6
    assert r.objective == pytest.approx(single.objective, rel=1e-6)
    assert r.class_flow[1] * 2.5 + r.class_flow[0] == pytest.approx(r.vehicle_flow)
    dev = np.abs(r.vehicle_flow - single.vehicle_flow) / np.maximum(single.vehicle_flow, 1)
    assert dev.max() < 0.01
    assert conservation_error(r) < 1e-6 * base.total


def test_multiclass_value_of_time_and_tolls_reach_a_common_equilibrium(
    sioux_problem: AssignmentProblem,
) -> None:
    # Both classes pay a toll on a third of the links; class 0 values time 4 times more.
    rng = np.random.default_rng(7)
    toll = np.where(rng.random(sioux_problem.n_links) < 0.33, 3.0, 0.0)
    fixed = np.vstack([toll, toll])
    a, b = _split(sioux_problem.demand[0], 0.5)
    problem = _with_classes(
        sioux_problem, [a, b], fixed_cost=fixed, value_of_time=np.array([2.0, 0.5])
    )
    gp = assign(problem, method="gp", gap=1e-7)
    bfw = assign(problem, method="bfw", gap=1e-5)
    assert gp.converged and bfw.converged
    assert bfw.objective == pytest.approx(gp.objective, rel=1e-5)
    assert bfw.vehicle_flow == pytest.approx(gp.vehicle_flow, rel=0.02, abs=1.0)
    # The high-value-of-time class avoids tolls less: its tolled share is larger.
    tolled = toll > 0
    share = gp.class_flow[:, tolled].sum(axis=1) / gp.class_flow.sum(axis=1)
    assert share[0] > share[1]


def test_bfw_does_not_stall_at_a_zero_step(sioux_problem: AssignmentProblem) -> None:
    r = assign(sioux_problem, method="bfw", gap=1e-6)
    assert r.converged
    # Every iteration improves the objective (a zero step would repeat it).
    assert np.all(np.diff(r.objective_history) < 0)


@pytest.mark.parametrize("method", ALL)
def test_flow_conservation_per_origin_and_class(
    sioux_problem: AssignmentProblem, method: str
) -> None:
    r = assign(sioux_problem, method=method, gap=1e-3)
    assert conservation_error(r) < 1e-6
    assert sum(f.flow.sum(axis=0) for f in r.origin_flows) == pytest.approx(r.vehicle_flow)


@pytest.mark.parametrize("method", ["gp", "bfw", "cfw"])
def test_select_link_flows_add_up(sioux_problem: AssignmentProblem, method: str) -> None:
    a, b = _split(sioux_problem.demand[0], 0.4)
    problem = _with_classes(sioux_problem, [a, b], pce=np.array([1.0, 2.0]))
    r = assign(problem, method=method, gap=1e-5)
    for link in (0, 17, 40, 75):
        s = select_link(r, link)
        assert s.totals() == pytest.approx(r.class_flow[:, link], rel=1e-9)
        for k in range(2):
            dem = problem.demand[k]
            volume = {(int(o), int(d)): v for o, d, v in zip(*_od(dem), strict=True)}
            for o, d, f in zip(s.origins[k], s.destinations[k], s.flows[k], strict=True):
                assert 0 < f <= volume[(int(o), int(d))] * (1 + 1e-9)


def _od(d: Demand) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # type: ignore[type-arg]
    return d.origins, d.destinations, d.volumes


def test_select_link_on_a_hand_network() -> None:
    # 0 -> 1 -> 2 and 0 -> 1 -> 3; link 0 (0->1) carries both pairs.
    problem = AssignmentProblem(
        n_nodes=4,
        tail=np.array([0, 1, 1]),
        head=np.array([1, 2, 3]),
        congested_time=np.ones(3),
        capacity=np.full(3, np.inf),
        alpha=np.zeros(3),
        beta=np.zeros(3),
        demand=Demand(np.array([0, 0, 1]), np.array([2, 3, 3]), np.array([5.0, 7.0, 11.0])),
    )
    r = assign(problem)
    s = select_link(r, 0)
    assert sorted(zip(s.destinations[0].tolist(), s.flows[0].tolist(), strict=True)) == [
        (2, 5.0),
        (3, 7.0),
    ]
    s = select_link(r, 2)
    assert sorted(zip(s.origins[0].tolist(), s.flows[0].tolist(), strict=True)) == [
        (0, 7.0),
        (1, 11.0),
    ]
    with pytest.raises(ValidationError, match=r"link must be a link index in 0\.\.2"):
        select_link(r, 3)


def _line(demand: Demand) -> AssignmentProblem:
    # 0 -> 1 -> 2, and node 3 with no links.
    return AssignmentProblem(
        n_nodes=4,
        tail=np.array([0, 1]),
        head=np.array([1, 2]),
        congested_time=np.array([1.0, 2.0]),
        capacity=np.array([10.0, 10.0]),
        alpha=np.array([0.15, 0.15]),
        beta=np.array([4.0, 4.0]),
        demand=demand,
    )


def test_zero_and_intrazonal_demand_load_nothing() -> None:
    problem = _line(Demand(np.array([0, 0, 1]), np.array([2, 1, 1]), np.array([0.0, 0.0, 9.0])))
    for method in ALL:
        r = assign(problem, method=method)
        assert r.vehicle_flow.tolist() == [0.0, 0.0]
        assert r.relative_gap == 0.0 and r.converged


def test_disconnected_pairs_are_refused_by_name_or_reported() -> None:
    problem = _line(Demand(np.array([0, 0, 2]), np.array([2, 3, 0]), np.array([4.0, 1.0, 2.0])))
    with pytest.raises(NoRouteError, match=r"2 origin-destination pair\(s\).*0->3 \(1\).*2->0"):
        assign(problem)
    r = assign(problem, unreachable="report")
    assert [(u.origin, u.destination, u.volume) for u in r.unreachable] == [
        (0, 3, 1.0),
        (2, 0, 2.0),
    ]
    assert r.vehicle_flow.tolist() == [4.0, 4.0]
    assert conservation_error(r) == 0.0


def test_centroids_are_not_passed_through() -> None:
    # 0 -> 1 -> 2 is short but node 1 is a zone (below first_through_node=2): use 0 -> 3 -> 2.
    problem = AssignmentProblem(
        n_nodes=4,
        tail=np.array([0, 1, 0, 3]),
        head=np.array([1, 2, 3, 2]),
        congested_time=np.array([1.0, 1.0, 5.0, 5.0]),
        capacity=np.full(4, np.inf),
        alpha=np.zeros(4),
        beta=np.zeros(4),
        demand=Demand(np.array([0]), np.array([2]), np.array([3.0])),
        first_through_node=2,
    )
    for method in ALL:
        assert assign(problem, method=method).vehicle_flow.tolist() == [0.0, 0.0, 3.0, 3.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "tapas"}, "unknown assignment method 'tapas'; valid: gp, bfw, cfw, fw"),
        ({"gap": 0.0}, "gap must be a number between 0 and 1"),
        ({"gap": 1.5}, "gap must be a number between 0 and 1"),
        ({"max_iterations": 0}, "max_iterations must be a whole number >= 1"),
        ({"unreachable": "ignore"}, "unreachable must be one of error, report"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, object], message: str) -> None:
    problem = _line(Demand(np.array([0]), np.array([2]), np.array([1.0])))
    with pytest.raises(ValidationError, match=message):
        assign(problem, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity": np.array([10.0, -1.0])}, r"link 1 \(1->2\): capacity -1.0 is invalid"),
        ({"beta": np.array([0.5, 4.0])}, r"beta 0.5 is invalid; it must be 0 or >= 1"),
        ({"head": np.array([1, 7])}, r"link 1: head node 7 is outside 0\.\.3"),
        ({"alpha": np.array([0.15])}, r"alpha must have one entry per link \(2\)"),
        ({"pce": np.array([0.0])}, r"pce of class 0 is 0.0; it must be finite and > 0"),
        ({"value_of_time": np.array([1.0, 2.0])}, r"value_of_time must have one entry per class"),
        (
            {"demand": Demand(np.array([0]), np.array([2]), np.array([-1.0]))},
            r"class class0, pair 0->2: demand -1.0 is invalid",
        ),
        (
            {"fixed_cost": np.array([[1.0, np.nan]])},
            r"class class0, link 1: fixed cost nan is invalid",
        ),
    ],
)
def test_bad_problems_are_refused(change: dict[str, object], message: str) -> None:
    fields = {
        "n_nodes": 4,
        "tail": np.array([0, 1]),
        "head": np.array([1, 2]),
        "congested_time": np.array([1.0, 2.0]),
        "capacity": np.array([10.0, 10.0]),
        "alpha": np.array([0.15, 0.15]),
        "beta": np.array([4.0, 4.0]),
        "demand": Demand(np.array([0]), np.array([2]), np.array([1.0])),
    }
    fields.update(change)
    with pytest.raises(ValidationError, match=message):
        AssignmentProblem(**fields)  # type: ignore[arg-type]


def test_progress_is_reported_each_iteration(sioux_problem: AssignmentProblem) -> None:
    seen: list[tuple[int, float]] = []
    r = assign(sioux_problem, gap=1e-5, progress=lambda i, g: seen.append((i, g)))
    assert [i for i, _ in seen] == list(range(1, r.iterations + 1))
    assert seen[-1][1] == r.relative_gap == r.gap_history[-1]


def test_gp_exact_gap_only_near_the_target(sioux_problem: AssignmentProblem) -> None:
    # Early iterations (estimate far above the target) record NaN; the last one is exact,
    # and the reported gap agrees with an independent computation from the flows.
    r = assign(sioux_problem, gap=1e-6)
    assert np.isnan(r.gap_history[0])
    assert np.isfinite(r.gap_history[-1]) and r.gap_history[-1] == r.relative_gap <= 1e-6
    assert relative_gap(sioux_problem, r.vehicle_flow) == pytest.approx(r.relative_gap, abs=1e-9)


def test_gp_trees_in_blocks_give_the_same_flows_on_any_thread_count(
    sioux_problem: AssignmentProblem, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sioux Falls is small: force the large-problem path (trees of 8 origins at a time, on
    # all numba threads). Fixed iterations so that both runs stop at the same point.
    monkeypatch.setattr(gp, "PARALLEL_MIN_WORK", 0)
    threads = numba.get_num_threads()
    many = assign(sioux_problem, gap=1e-12, max_iterations=12)
    numba.set_num_threads(1)
    try:
        one = assign(sioux_problem, gap=1e-12, max_iterations=12)
    finally:
        numba.set_num_threads(threads)
    np.testing.assert_array_equal(many.vehicle_flow, one.vehicle_flow)
    assert many.relative_gap == pytest.approx(one.relative_gap, rel=1e-9)
    assert one.relative_gap < 1e-5
    assert conservation_error(one) < 1e-6 * sioux_problem.demand[0].total
