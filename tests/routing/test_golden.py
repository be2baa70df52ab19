"""Golden itineraries on the mini reference corridor (tests/data/mini), checked by hand."""

from __future__ import annotations

import pytest

from caspian.errors import NoRouteError, UnknownPlaceError, ValidationError
from caspian.model.network import Network
from caspian.model.places import resolve_place, search_places
from caspian.routing import RouteOptions, compare_modes, plan_route


def test_wheat_aktau_tehran_goes_by_sea_then_rail(mini: Network) -> None:
    it = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    moves = [(leg.mode, leg.from_node, leg.to_node) for leg in it.legs if leg.kind == "move"]
    assert moves == [
        ("sea", "kz_aktau", "ir_caspian_port"),
        ("rail", "ir_caspian_port", "ir_tehran"),
    ]
    sea = next(leg for leg in it.legs if leg.mode == "sea" and leg.kind == "move")
    # 705 km x 0.025 USD/t-km x 1000 t + export and import fees (300 USD per 3000 t vessel each)
    assert sea.cost_usd == pytest.approx(705 * 0.025 * 1000 + 2 * 300 / 3000 * 1000)
    assert sea.moving_hours == pytest.approx(705 / 18)
    assert sea.waiting_hours == pytest.approx(84 / 1)  # one sailing a week: half the headway
    assert sea.border_hours == pytest.approx(12 + 24)  # export at Aktau + import at Caspian Port
    # CO2e: 20 g/t-km x 1.15 distance factor x 705 km x 1000 t
    assert sea.co2e_kg == pytest.approx(20 * 1.15 * 705 * 1000 / 1000)
    assert sea.co2e_g_per_tkm == 20 and sea.distance_factor == 1.15
    assert sea.emission_source.startswith("modes.csv sea/dry_bulk")
    hub = next(leg for leg in it.legs if leg.kind == "transfer")
    assert hub.co2e_kg == pytest.approx(1.5 * 1000)  # terminals.csv hub emission, kg/t
    assert hub.emission_source.startswith("terminals.csv ir_caspian_port")
    t = it.totals
    assert t.distance_km == pytest.approx(705 + 351)
    assert t.cost_usd == pytest.approx(sum(leg.cost_usd for leg in it.legs))
    assert t.hours == pytest.approx(sum(leg.hours for leg in it.legs))
    assert t.co2e_kg == pytest.approx(sum(leg.co2e_kg for leg in it.legs))
    # port handling at the origin quay (dry bulk rule at Aktau: 13.5 USD/t, 18 h)
    assert it.legs[0].kind == "load" and it.legs[0].cost_usd == pytest.approx(13.5 * 1000)
    vot = 250 * 0.006 / 24  # USD per t-hour at 0.6 %/day of 250 USD/t
    assert t.generalized_cost_usd == pytest.approx(t.cost_usd + vot * t.hours * 1000)


def test_objectives_trade_off(mini: Network) -> None:
    cheap = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000, objective="cost")
    fast = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000, objective="time")
    green = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000, objective="co2")
    assert cheap.totals.cost_usd <= fast.totals.cost_usd + 1e-6
    assert fast.totals.hours <= cheap.totals.hours + 1e-6
    assert green.totals.co2e_kg <= min(cheap.totals.co2e_kg, fast.totals.co2e_kg) + 1e-6


def test_planned_railway_needs_include_planned(mini: Network) -> None:
    opts = RouteOptions(modes=frozenset({"rail"}))
    with pytest.raises(NoRouteError, match="include-planned") as err:
        plan_route(mini, "Qazvin", "ir_astara", cargo="wheat", tonnes=100, options=opts)
    assert "Rasht–Astara (Iran) rail link is planned" in str(err.value)
    it = plan_route(
        mini,
        "Qazvin",
        "ir_astara",
        cargo="wheat",
        tonnes=100,
        options=RouteOptions(modes=frozenset({"rail"}), include_planned=True),
    )
    assert "rail_rasht_astara" in {x for leg in it.legs for x in leg.links}


def test_anzali_city_port_has_no_railway(mini: Network) -> None:
    with pytest.raises(NoRouteError):
        plan_route(
            mini,
            "Anzali",
            "Tehran",
            cargo="wheat",
            tonnes=100,
            options=RouteOptions(modes=frozenset({"rail"})),
        )


def test_avoid_country_reroutes_or_fails(mini: Network) -> None:
    with pytest.raises(NoRouteError):
        plan_route(
            mini,
            "Rasht",
            "Baku",
            cargo="wheat",
            tonnes=100,
            options=RouteOptions(avoid_countries=frozenset({"AZ"}), modes=frozenset({"road"})),
        )


def test_via_and_required_modes(mini: Network) -> None:
    it = plan_route(
        mini,
        "Aktau",
        "Tehran",
        cargo="wheat",
        tonnes=1000,
        options=RouteOptions(via_nodes=("Anzali",)),
    )
    assert "ir_anzali" in it.nodes
    it = plan_route(
        mini,
        "Lahijan",
        "Aktau",
        cargo="tea",
        tonnes=20,
        options=RouteOptions(require_modes=(frozenset({"rail"}), frozenset({"sea"}))),
    )
    assert {"rail", "sea"} <= set(it.modes)
    assert len(set(it.nodes)) == len(it.nodes)  # a simple path, no loop to touch rail


def test_perishable_shelf_life_limits_transit(mini: Network) -> None:
    with pytest.raises(NoRouteError, match="shelf life"):
        plan_route(mini, "Aktau", "Tehran", cargo="cut_flowers", tonnes=10)


def test_bad_inputs_raise_actionable_errors(mini: Network) -> None:
    with pytest.raises(UnknownPlaceError, match="ir_tehran"):
        plan_route(mini, "Aktau", "Tehrn", cargo="wheat", tonnes=1)
    with pytest.raises(ValidationError, match="tonnes"):
        plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=-5)
    with pytest.raises(ValidationError, match="wheat"):
        plan_route(mini, "Aktau", "Tehran", cargo="gold", tonnes=1)
    with pytest.raises(ValidationError, match="Valid modes"):
        plan_route(
            mini,
            "Aktau",
            "Tehran",
            cargo="wheat",
            tonnes=1,
            options=RouteOptions(modes=frozenset({"air"})),
        )
    with pytest.raises(ValidationError, match="AZ"):
        plan_route(
            mini,
            "Aktau",
            "Tehran",
            cargo="wheat",
            tonnes=1,
            options=RouteOptions(avoid_countries=frozenset({"XX"})),
        )


@pytest.mark.parametrize("name", ["Enzeli", "انزلی", "anzali", "Bandar-e Anzali", "ANZALI"])
def test_places_find_anzali_in_any_spelling(mini: Network, name: str) -> None:
    assert resolve_place(mini, name).id == "ir_anzali"
    assert search_places(mini, name)[0].node.id == "ir_anzali"


def test_fuzzy_search_tolerates_typos(mini: Network) -> None:
    assert search_places(mini, "Anzaly")[0].node.id == "ir_anzali"


def test_ambiguous_name_is_not_guessed(mini: Network) -> None:
    with pytest.raises(UnknownPlaceError, match="ambiguous") as err:
        resolve_place(mini, "Astara")
    assert "ir_astara" in str(err.value) and "az_astara" in str(err.value)


def test_compare_modes_reports_each_family(mini: Network) -> None:
    results = compare_modes(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20)
    by = {r.family.name: r for r in results}
    assert by["road"].itinerary is None and by["road"].reason
    best = by["any"].itinerary
    assert best is not None
    for r in results:
        if r.itinerary is not None:
            assert (
                r.itinerary.totals.generalized_cost_usd >= best.totals.generalized_cost_usd - 1e-6
            )
    assert by["rail+sea"].itinerary is not None
    assert {"rail", "sea"} <= set(by["rail+sea"].itinerary.modes)
