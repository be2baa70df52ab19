"""The flow engine on the bundled network and on small networks with known answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from caspian.assignment import AssignmentProblem, Demand
from caspian.assignment.logit import path_size, solve_logit
from caspian.assignment.lp import solve_lp
from caspian.errors import DataError, ValidationError
from caspian.flows import (
    assign_flows,
    capacity_elements,
    element_loads,
    mode_tonne_km,
    place_throughput,
)
from caspian.flows.capacity import erlang_c, fit_delay_curve, mmc_wait_hours
from caspian.flows.compare import compare_flows
from caspian.flows.export import flows_csv, flows_geojson
from caspian.io.capacity import load_capacity
from caspian.io.demand import load_demand
from caspian.model.demand import ODFlow
from caspian.model.network import Network

QUEUEING = Path(__file__).parents[2].parent / "shared" / "benchmarks" / "queueing"


def _two_roads(cap0: float, cap1: float, demand: float = 200.0) -> AssignmentProblem:
    return AssignmentProblem(
        n_nodes=2,
        tail=np.array([0, 0]),
        head=np.array([1, 1]),
        congested_time=np.array([10.0, 15.0]),
        capacity=np.array([cap0, cap1]),
        alpha=np.zeros(2),
        beta=np.ones(2),
        demand=Demand(np.array([0]), np.array([1]), np.array([demand])),
    )


# --- queueing: the delay curves rest on Erlang C -------------------------------------------


@pytest.mark.parametrize(
    ("servers", "lam", "mu", "p_wait", "wq_min"),
    [
        (4, 40.0, 12.0, 0.6577217, 4.9329),
        (12, 100.0, 9.0, 0.7248930, 5.4367),
        (1, 5, 6, 0.8333333, 50),
    ],
)
def test_erlang_c_matches_the_reference_cases(
    servers: int, lam: float, mu: float, p_wait: float, wq_min: float
) -> None:
    # values from ../shared/benchmarks/queueing/reference.md (M/M/c table)
    assert erlang_c(servers, lam / mu) == pytest.approx(p_wait, abs=1e-7)
    service_h = 1.0 / mu
    load = lam / (servers * mu)
    assert mmc_wait_hours(servers, service_h, load) * 60 == pytest.approx(wq_min, rel=1e-4)


def test_delay_curve_is_convex_and_close_to_mmc_where_it_matters() -> None:
    a, beta = fit_delay_curve(4, 0.2)
    assert beta >= 1
    for x in (0.7, 0.8, 0.9):
        assert a * x**beta == pytest.approx(mmc_wait_hours(4, 0.2, x), rel=0.35)


# --- the LP: hard capacities, unmet demand and dual prices ---------------------------------


def test_lp_fills_the_cheap_link_to_capacity_and_prices_it() -> None:
    r = solve_lp(_two_roads(100.0, np.inf))
    np.testing.assert_allclose(r.class_flow[0], [100.0, 100.0])
    # one more unit of capacity on link 0 saves 15 − 10
    assert r.shadow_price[0] == pytest.approx(5.0)
    assert r.shadow_price[1] == 0.0
    assert r.objective == pytest.approx(100 * 10 + 100 * 15)


def test_lp_leaves_what_does_not_fit_unmet() -> None:
    r = solve_lp(_two_roads(100.0, 50.0))
    assert r.unmet[0][0] == pytest.approx(50.0)
    np.testing.assert_allclose(r.class_flow[0], [100.0, 50.0])


def test_lp_conserves_flow_per_node() -> None:
    r = solve_lp(_two_roads(120.0, 30.0, demand=100.0))
    assert r.class_flow[0].sum() + r.unmet[0].sum() == pytest.approx(100.0)


# --- logit ------------------------------------------------------------------------------------


def test_path_size_discounts_overlapping_paths() -> None:
    ps = path_size(((0, 1), (0, 2), (3,)), np.array([1.0, 1.0, 1.0, 2.0]))
    np.testing.assert_allclose(ps, [0.75, 0.75, 1.0])


def test_logit_splits_by_relative_cost_and_conserves_demand() -> None:
    p = AssignmentProblem(
        n_nodes=2,
        tail=np.array([0, 0]),
        head=np.array([1, 1]),
        congested_time=np.array([10.0, 11.0]),
        capacity=np.array([np.inf, np.inf]),
        alpha=np.zeros(2),
        beta=np.ones(2),
        demand=Demand(np.array([0]), np.array([1]), np.array([100.0])),
    )
    r = solve_logit(p, theta=20.0)
    share_cheap = 1.0 / (1.0 + np.exp(-20.0 * 0.1))
    assert r.class_flow[0, 0] == pytest.approx(100 * share_cheap, rel=1e-6)
    assert r.class_flow.sum() == pytest.approx(100.0)


def test_logit_refuses_bad_parameters() -> None:
    with pytest.raises(ValidationError, match="theta"):
        solve_logit(_two_roads(1.0, 1.0), theta=-1)


# --- the bundled network ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def elements(bundled: Network) -> tuple:  # type: ignore[type-arg]
    return capacity_elements(bundled, load_capacity(bundled))


@pytest.fixture(scope="module")
def demand(bundled: Network):  # type: ignore[no-untyped-def]
    return load_demand(bundled)


@pytest.mark.parametrize("method", ["ue", "logit", "lp"])
def test_every_tonne_of_demand_arrives(bundled: Network, elements, demand, method: str) -> None:  # type: ignore[no-untyped-def]
    r = assign_flows(bundled, demand, elements, method=method)
    p = r.model.problem
    # what leaves the zones (load connectors) and what reaches them (unload connectors)
    kinds = np.array(r.model.link_kind)
    loaded = r.class_flow[:, kinds == "load"].sum(axis=1)
    unloaded = r.class_flow[:, kinds == "unload"].sum(axis=1)
    offered = np.array([d.total for d in p.demand])
    unmet = (
        np.zeros(p.n_classes)
        if r.unmet_tonnes_per_year is None
        else r.unmet_tonnes_per_year / 365.0
    )
    unreachable = sum(t for *_, t in r.unreachable) / 365.0
    np.testing.assert_allclose(loaded, unloaded, rtol=1e-6, atol=1e-6)
    assert loaded.sum() + unmet.sum() + unreachable == pytest.approx(offered.sum(), rel=1e-6)


def test_ue_reaches_its_gap_and_reports_loads(bundled: Network, elements, demand) -> None:  # type: ignore[no-untyped-def]
    r = assign_flows(bundled, demand, elements, method="ue", gap=1e-5)
    assert r.gap <= 1e-5
    loads = element_loads(r)
    assert loads and all(x.utilisation >= 0 for x in loads)
    assert loads == sorted(loads, key=lambda x: (-x.utilisation, x.element_id, x.direction))
    astara = [x for x in loads if x.place == "bc_astara_road"]
    assert {x.direction for x in astara} == {"IR>AZ", "AZ>IR"}
    assert sum(mode_tonne_km(r).values()) > 0
    assert any(p.kind == "border" for p in place_throughput(r))


def test_lp_shadow_prices_are_on_binding_capacities_only(
    bundled: Network, elements, demand
) -> None:  # type: ignore[no-untyped-def]
    r = assign_flows(bundled, demand, elements, method="lp")
    assert r.shadow_price is not None
    for x in element_loads(r):
        if x.shadow_price_usd_per_t and x.shadow_price_usd_per_t > 1e-6:
            assert x.utilisation >= 0.999  # a priced capacity is full


def test_same_inputs_same_flows(bundled: Network, elements, demand) -> None:  # type: ignore[no-untyped-def]
    a = assign_flows(bundled, demand, elements, method="logit")
    b = assign_flows(bundled, demand, elements, method="logit")
    np.testing.assert_array_equal(a.class_flow, b.class_flow)


def test_comparing_a_result_with_itself_changes_nothing(bundled: Network, elements, demand) -> None:  # type: ignore[no-untyped-def]
    r = assign_flows(bundled, demand, elements, method="ue")
    cmp = compare_flows(r, r)
    assert all(c.delta == 0 for c in cmp.places)
    assert cmp.base_cost_usd_per_year == cmp.scenario_cost_usd_per_year


def test_exports_carry_flows_and_settings(bundled: Network, elements, demand) -> None:  # type: ignore[no-untyped-def]
    r = assign_flows(bundled, demand, elements, method="ue")
    gj = flows_geojson(r, settings={"method": "ue"})
    assert gj["properties"] == {"method": "ue"}
    assert gj["features"] and gj["features"][0]["geometry"]["type"] == "LineString"
    text = flows_csv(r)
    assert text.splitlines()[0].startswith("link,mode,from,to")
    assert len(text.splitlines()) == len(gj["features"]) + 1


def test_a_flow_naming_an_unknown_place_is_refused(bundled: Network, elements) -> None:  # type: ignore[no-untyped-def]
    bad = [ODFlow("ir_tehran", "atlantis", "wheat", "grain", 10.0, 10.0, 10.0, ("r1",))]
    with pytest.raises(ValidationError, match="atlantis"):
        assign_flows(bundled, bad, elements)


def test_empty_demand_and_unknown_method_are_refused(bundled: Network, elements) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="no positive flow"):
        assign_flows(bundled, [], elements)
    with pytest.raises(ValidationError, match="valid: ue, logit, lp"):
        assign_flows(bundled, [], elements, method="magic")


def test_disconnected_pairs_are_reported_not_dropped(bundled: Network, elements) -> None:  # type: ignore[no-untyped-def]
    # Tehran → an island: give the destination a place the network cannot reach by closing
    # every link at it
    island = next(iter(bundled.nodes))
    links = {k: v for k, v in bundled.links.items() if island not in (v.from_node, v.to_node)}
    cut = bundled.with_changes(links=links)
    other = next(n for n in bundled.nodes if n != island)
    flows = [
        ODFlow(other, island, "wheat", "grain", 365.0, 365.0, 365.0, ("r1",)),
        ODFlow(
            other,
            "ir_tehran" if other != "ir_tehran" else "kz_aktau",
            "wheat",
            "grain",
            365.0,
            365.0,
            365.0,
            ("r2",),
        ),
    ]
    r = assign_flows(cut, flows, capacity_elements(cut, []), method="ue")
    assert [(o, d) for _, o, d, _ in r.unreachable] == [(other, island)]


def test_capacity_table_errors_name_file_row_and_column(bundled: Network, tmp_path: Path) -> None:
    bad = tmp_path / "capacity.csv"
    header = "id,element,kind,capacity,unit,servers,open_hours_per_day,source\n"
    bad.write_text(header + "c2,bc_astara_road,road_border,-5,trucks_per_day,4,16,x\n")
    with pytest.raises(DataError, match=r"capacity.csv, row 2, column 'capacity'.*> 0"):
        load_capacity(bundled, bad)
    bad.write_text(
        header
        + "c1,atlantis,road_border,100,trucks_per_day,4,16,x\n"
        + "c3,ir_anzali,port,100,trucks_per_day,4,24,x\n"
        + "c3,bc_astara_rail,rail_border,100,t_per_year,,24,x\n"
    )
    with pytest.raises(DataError) as err:
        load_capacity(bundled, bad)
    text = str(err.value)
    assert "capacity.csv, row 2, column 'element': 'atlantis' is not a border crossing" in text
    assert "row 3, column 'unit'" in text
    assert "row 3, column 'call_size_t'" in text
    assert "row 4, column 'id': duplicate id 'c3'" in text
    assert "row 4, column 'servers'" in text
