"""Calibration, observations, vehicles and Monte Carlo: behaviour a forwarder relies on."""

from __future__ import annotations

import numpy as np
import pytest

from caspian import load_network, plan_route
from caspian.calibration.fit import compare, fit, misfit
from caspian.calibration.observations import load_observations
from caspian.errors import DataError, ValidationError
from caspian.io.tables import BUNDLED_DATA_DIR
from caspian.model.network import Network
from caspian.routing.families import compare_modes
from caspian.routing.search import RouteOptions
from caspian.routing.uncertainty import compare_under_uncertainty


@pytest.fixture(scope="module")
def net() -> Network:
    return load_network()


def test_observations_table_meets_the_evidence_bar(net: Network) -> None:
    obs = load_observations(BUNDLED_DATA_DIR / "observations.csv", net)
    assert len(obs) >= 40
    assert len({o.publisher for o in obs}) >= 15
    assert all(o.value_low <= o.value_high for o in obs)


def test_bad_observation_row_names_file_row_and_column(net: Network, tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = (BUNDLED_DATA_DIR / "observations.csv").read_text(encoding="utf-8").splitlines()
    bad = src[1].split(",")
    bad[1] = "speed_of_light"
    (tmp_path / "o.csv").write_text("\n".join([src[0], ",".join(bad)]), encoding="utf-8")
    with pytest.raises(DataError, match=r"o.csv, row 2, column 'kind'"):
        load_observations(tmp_path / "o.csv", net)


def test_small_lot_pays_a_whole_truck_or_groupage(net: Network) -> None:
    small = plan_route(net, "Lahijan", "Tehran", cargo="tea", tonnes=5)
    full = plan_route(net, "Lahijan", "Tehran", cargo="tea", tonnes=20)
    # groupage: a 5 t lot pays more per tonne than a full truck, less than a whole truck
    assert full.totals.cost_usd_per_t < small.totals.cost_usd_per_t
    assert small.totals.cost_usd < full.totals.cost_usd


def test_road_time_includes_drivers_rest(net: Network) -> None:
    it = plan_route(net, "Istanbul", "Tehran", cargo="tea", tonnes=20, objective="time")
    assert it.totals.rest_hours > it.totals.moving_hours  # 9 h driving a day
    assert 4.0 < it.totals.days < 10.0


def test_calibration_fit_improves_and_is_reproducible(net: Network) -> None:
    obs = load_observations(BUNDLED_DATA_DIR / "observations.csv", net)[:40]
    a = fit(net, obs, folds=0, iterations=1)
    b = fit(net, obs, folds=0, iterations=1)
    assert np.array_equal(a.factors, b.factors)

    # the fit lowers what it minimises: the trust-weighted distance to the published bands
    assert misfit(a.after) < misfit(a.before)
    assert compare(net, obs)[0].verdict in ("inside", "above", "below", "not modelled")


def test_monte_carlo_is_seeded_and_fast_enough(net: Network) -> None:
    results = compare_modes(net, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    its = [r.itinerary for r in results]
    one = compare_under_uncertainty(net, its, draws=500, seed=7)
    two = compare_under_uncertainty(net, its, draws=500, seed=7)
    assert np.array_equal(one.draws, two.draws)
    s = [x for x in one.spreads if x is not None]
    assert all(x.cost_usd.p10 <= x.cost_usd.p50 <= x.cost_usd.p90 for x in s)
    assert abs(sum(x.p_cheapest for x in s) - 1.0) < 1e-9
    with pytest.raises(ValidationError):
        compare_under_uncertainty(net, its, draws=0)


def test_series_merge_spans_every_year_and_keeps_members() -> None:
    from caspian.calibration.observations import Observation, merge_series

    def fig(oid: str, v: float, year: int, stat: str = "typical") -> Observation:
        return Observation(
            oid, "border_hours", "", "", "bc_x", "A>B", "road", "general", "hours",
            v, v, year, "P", "", "T", "", "H", "", statistic=stat,
        )  # fmt: skip

    merged = merge_series(
        (fig("a", 3.0, 2020), fig("b", 12.0, 2022), fig("c", 100.0, 2024, "peak"))
    )
    series, peak = merged
    assert series.members == ("a", "b") and peak.id == "c"
    assert series.band == pytest.approx((3.0 / 1.15, 12.0 * 1.15))
    assert series.title == "series of 2 figures, 2020–2022"


def test_peak_is_matched_by_the_top_of_the_range_not_the_mean() -> None:
    from caspian.calibration.fit import peak_verdict
    from caspian.calibration.observations import Observation

    queue = Observation(
        "q", "border_hours", "", "", "bc_x", "A>B", "road", "general", "hours",
        72.0, 120.0, 2024, "P", "", "T", "", "M", "", statistic="peak",
    )  # fmt: skip
    assert peak_verdict(queue, 28.0, 90.0) == "inside"
    assert peak_verdict(queue, 28.0, 40.0) == "below"
    assert peak_verdict(queue, 200.0, 400.0) == "above"


def test_drivers_explain_the_whole_difference_between_two_options(net: Network) -> None:
    results = compare_modes(net, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    routes = [r.itinerary for r in results if r.itinerary is not None][:2]
    comp = compare_under_uncertainty(net, routes, draws=10, seed=0)
    parts = comp.drivers(0, 1, quantity="cost_usd", top=10_000)
    gap = routes[0].totals.cost_usd - routes[1].totals.cost_usd
    assert sum(d for _, d, _ in parts) == pytest.approx(gap, rel=1e-6, abs=1e-3)
    labels = [label for label, _, _ in parts]
    assert abs(parts[0][1]) >= abs(parts[-1][1])
    assert all(src.split(" ")[0].endswith(".csv") for label, _, src in parts if label != "fixed")
    assert labels


def test_round_trip_fares_and_floors_are_their_own_quantities() -> None:
    from caspian.calibration.fit import minimum_verdict
    from caspian.calibration.observations import Observation, merge_series

    def fare(oid: str, v: float, trip: str) -> Observation:
        return Observation(
            oid, "rate", "a", "b", "", "", "sea", "general", "usd_per_truck",
            v, v, 2023, "P", "", "T", "", "H", "", mode="truck_ferry", trip=trip,
        )  # fmt: skip

    one, back = merge_series((fare("o", 1000.0, "one_way"), fare("r", 1600.0, "round_trip")))
    assert (one.id, back.id) == ("o", "r")  # a return fare never widens a one-way series
    docs = Observation(
        "d", "border_hours", "", "", "bc_x", "A>B", "rail", "general", "hours",
        2.0, 2.0, 2020, "P", "", "T", "", "M", "", statistic="minimum",
    )  # fmt: skip
    assert minimum_verdict(docs, 15.0) == "inside"
    assert minimum_verdict(docs, 1.0) == "below"


def test_ro_ro_fare_is_a_truck_on_the_ferry_without_port_fees(net: Network) -> None:
    from caspian.calibration.predict import predict

    obs = {
        o.id: o
        for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net)
        if o.id in ("obs_road_asco_tmb_baku_truck_oneway_2023", "obs_kur_bak_ferry_sailing_2022")
    }
    preds = {p.observation.id: p for p in predict(net, tuple(obs.values()))}
    fare = preds["obs_road_asco_tmb_baku_truck_oneway_2023"]
    sailing = preds["obs_kur_bak_ferry_sailing_2022"]
    assert "truck_ferry" in fare.route and "sea;" not in fare.route
    svc = net.services["svc_tferry_alat_turkmenbashi"]
    mc = net.mode_costs[("truck_ferry", "bagged")]
    link = net.links["tferry_alat_turkmenbashi"]
    expected = mc.cost_usd_per_vehicle_km * link.distance_km + svc.crossing_usd_per_vehicle
    assert fare.value == pytest.approx(expected)  # Baku's $24 port fee is not in the fare
    assert sailing.route.startswith("tferry_alat_kuryk")


def test_ferry_fare_differs_by_direction_where_the_tariff_does(net: Network) -> None:
    """ASCO charges a truck less from Kuryk to Alat than from Alat to Kuryk."""
    from caspian.calibration.predict import predict

    wanted = ("obs_asco_alat_kuryk_truck_tariff", "obs_asco_kuryk_alat_truck_tariff")
    obs = [
        o for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net) if o.id in wanted
    ]
    preds = {p.observation.id: p.value for p in predict(net, tuple(obs))}
    out, back = preds[wanted[0]], preds[wanted[1]]
    assert out is not None and back is not None
    svc = net.services["svc_tferry_alat_kuryk"]
    assert svc.return_fare_factor < 1.0
    assert back == pytest.approx(out * svc.return_fare_factor)
    # the routes the planner prices carry the same asymmetry
    ro_ro = RouteOptions(modes=frozenset({"road", "truck_ferry"}))
    there = plan_route(net, "az_baku_alat", "kz_kuryk", cargo="peanuts", tonnes=20, options=ro_ro)
    home = plan_route(net, "kz_kuryk", "az_baku_alat", cargo="peanuts", tonnes=20, options=ro_ro)
    assert home.totals.cost_usd < there.totals.cost_usd


def test_round_trip_fares_are_two_crossings_at_the_return_ticket_discount(net: Network) -> None:
    """A published return ticket is priced as both one-way fares × the service's
    ``return_ticket_factor``, read from ASCO's tariffs (0.77–0.875 of two singles)."""
    from caspian.calibration.predict import predict

    wanted = (
        "obs_asco_alat_kuryk_truck_tariff",
        "obs_asco_kuryk_alat_truck_tariff",
        "obs_asco_alat_kuryk_truck_roundtrip",
    )
    obs = [
        o for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net) if o.id in wanted
    ]
    preds = {p.observation.id: p.value for p in predict(net, tuple(obs))}
    out, back, both = (preds[w] for w in wanted)
    assert out is not None and back is not None and both is not None
    svc = net.services["svc_tferry_alat_kuryk"]
    low, high = svc.return_ticket_range
    assert 0.7 < low <= svc.return_ticket_factor <= high < 1.0
    assert both == pytest.approx(svc.return_ticket_factor * (out + back))
    # the published return fare (109 USD/m × 16.5 m) is inside the band the range gives
    assert low * (out + back) <= 1798.5 <= high * (out + back)


def test_route_on_a_ferry_with_return_tickets_quotes_one(net: Network) -> None:
    """The planner tells a haulier what a return ticket would cost on the ferry it takes,
    the same price `caspian calibrate` compares with ASCO's published return fare; lines
    without a return ticket say nothing."""
    from caspian.calibration.predict import predict

    (obs,) = [
        o
        for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net)
        if o.id == "obs_asco_alat_kuryk_truck_roundtrip"
    ]
    (pred,) = predict(net, (obs,))
    assert pred.value is not None
    ticket = pred.value
    ro_ro = RouteOptions(modes=frozenset({"road", "truck_ferry"}))
    it = plan_route(net, "kz_kuryk", "az_baku_alat", cargo="peanuts", tonnes=40, options=ro_ro)
    (note,) = [n for n in it.notes if "return ticket" in n]
    (ferry,) = [leg for leg in it.legs if leg.mode == "truck_ferry"]
    assert ferry.vehicles == 2
    assert f"{ticket:,.0f} USD per truck" in note
    assert f"{2 * ticket:,.0f} USD for this shipment" in note
    assert "80%" in note and "77%–88%" in note
    assert "بلیت رفت‌وبرگشت" in note.in_lang("fa")  # type: ignore[attr-defined]
    ferry_only = RouteOptions(modes=frozenset({"truck_ferry"}))
    iran = plan_route(
        net, "kz_kuryk", "ir_amirabad", cargo="peanuts", tonnes=20, options=ferry_only
    )
    assert iran.modes == ("truck_ferry",)
    assert not [n for n in iran.notes if "return ticket" in n]


def test_port_crossing_time_of_a_truck_includes_the_wait_for_the_ferry(net: Network) -> None:
    """CPMM times a truck at a port from arrival to departure: clearance + the ferry wait."""
    from caspian.calibration.predict import predict

    (obs,) = [
        o
        for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net)
        if o.id == "obs_kuryk_out_hours_2020"
    ]
    (pred,) = predict(net, (obs,))
    rule = next(
        r
        for r in net.borders
        if r.node == "kz_kuryk" and r.mode == "sea" and r.from_country == "KZ"
    )
    wait = net.services["svc_tferry_alat_kuryk"].wait_hours(20.0)
    assert pred.value == pytest.approx(rule.clearance_hours + wait)
    assert "svc_tferry_alat_kuryk" in pred.route and "anzali" not in pred.route


def test_a_railway_tariff_is_compared_with_the_carriage_alone(net: Network) -> None:
    from caspian.calibration.predict import predict

    (obs,) = [
        o
        for o in load_observations(BUNDLED_DATA_DIR / "observations.csv", net)
        if o.id == "obs_ktz_grain_saryagash"
    ]
    (pred,) = predict(net, (obs,))
    rail = RouteOptions(modes=frozenset({"rail"}))
    whole = plan_route(
        net, "kz_kostanay", "bc_zhibek_zholy", cargo="wheat", tonnes=1000, options=rail
    )
    assert pred.value is not None
    assert pred.value < whole.totals.cost_usd / 1000  # loading and unloading are not in a tariff


def test_kazakh_rail_uses_its_junctions_not_a_detour_through_almaty(net: Network) -> None:
    """Kostanay→Saryagash runs Karaganda–Moyynty–Shu (KTZ quotes ~2,100 km), not via Almaty
    (2,801 km before the Shu junction), and Dostyk is a China crossing of its own."""
    rail = RouteOptions(modes=frozenset({"rail"}))
    grain = plan_route(
        net, "kz_kostanay", "bc_zhibek_zholy", cargo="wheat", tonnes=1000, options=rail
    )
    assert 2000 < grain.totals.distance_km < 2400
    assert "kz_shu" in grain.nodes and "kz_almaty" not in grain.nodes
    dostyk = plan_route(net, "kz_kostanay", "kz_dostyk", cargo="wheat", tonnes=1000, options=rail)
    assert {"kz_moyynty", "kz_aktogay"} <= set(dostyk.nodes)
    assert {("KZ", "CN"), ("CN", "KZ")} <= {
        (b.from_country, b.to_country) for b in net.borders if b.node == "bc_dostyk"
    }


def test_kazakh_rail_is_priced_below_uzbek_rail_as_published(net: Network) -> None:
    """KTZ: grain ~$12 for 2,100 km in Kazakhstan, $26 for 882 km in Uzbekistan."""
    kz = net.region_of("rail", "KZ")
    uz = net.region_of("rail", "UZ")
    assert kz is not None and uz is not None and kz is not uz
    assert 0.16 <= kz.cost_factor <= 0.5 < uz.cost_factor
    assert uz.cost_factor / kz.cost_factor == pytest.approx(0.84 / 0.25)
