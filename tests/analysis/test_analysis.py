"""Corridor analytics on the mini corridor: scenarios, compare, criticality, CPMM, charts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from caspian.analysis import (
    Corridor,
    compare_scenario,
    cpmm_indicators,
    criticality,
    load_corridors,
)
from caspian.analysis.charts import save_figure, tcd_figure, tcd_points
from caspian.analysis.compare import new_links
from caspian.errors import DataError, ScenarioError
from caspian.model.network import Network
from caspian.routing import plan_route
from caspian.routing.search import prepare_query
from caspian.routing.through import best_through_links
from caspian.scenarios import apply_scenario, load_scenario, parse_scenario

OPEN_RAIL = {"name": "open", "links": [{"id": "rail_rasht_astara", "status": "open"}]}


def test_scenario_opens_planned_link(mini: Network) -> None:
    after = apply_scenario(mini, parse_scenario(OPEN_RAIL))
    assert after.links["rail_rasht_astara"].status == "open"
    assert mini.links["rail_rasht_astara"].status == "planned"  # input untouched
    assert after.scenarios == ("open",)


def test_scenario_naming_missing_link_lists_closest(mini: Network) -> None:
    bad = parse_scenario(
        {"name": "x", "links": [{"id": "rail_rasht_astra", "status": "open"}]}, origin="x.yaml"
    )
    with pytest.raises(ScenarioError, match=r"x\.yaml, links\[0\].*rail_rasht_astara"):
        apply_scenario(mini, bad)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"links": [{"id": "a", "status": "open"}]}, "name"),
        ({"name": "x", "lnks": []}, "unknown key"),
        ({"name": "x", "links": [{"id": "a", "status": "shut"}]}, "open"),
        ({"name": "x", "services": [{"id": "s", "sailings_per_week": -2}]}, "number > 0"),
        ({"name": "x"}, "changes nothing"),
        ({"name": "x", "borders": [{"node": "n", "colour": "red"}]}, "colour"),
    ],
)
def test_scenario_schema_errors(doc: dict[str, object], expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected):
        parse_scenario(doc)


def test_unknown_scenario_name_lists_builtins() -> None:
    with pytest.raises(ScenarioError, match="covid-2020"):
        load_scenario("covid-2021")


def test_border_and_service_changes(mini: Network) -> None:
    scn = parse_scenario(
        {
            "name": "faster",
            "borders": [{"node": "bc_astara_road", "clearance_factor": 0.5}],
            "services": [{"link": "sea_caspian_aktau", "sailings_per_week": 4}],
        }
    )
    after = apply_scenario(mini, scn)
    hours = {b.clearance_hours for b in after.borders if b.node == "bc_astara_road"}
    assert hours == {9.9 / 2}
    assert after.services["svc_caspian_aktau"].expected_wait_hours == pytest.approx(21)
    before = plan_route(mini, "Lahijan", "Baku", cargo="tea", tonnes=20)
    faster = plan_route(after, "Lahijan", "Baku", cargo="tea", tonnes=20)
    assert faster.totals.border_hours == pytest.approx(before.totals.border_hours - 9.9 / 2)


def test_compare_flags_unreachable(mini: Network) -> None:
    closed = parse_scenario(
        {"name": "shut", "borders": [{"node": "bc_astara_road", "status": "closed"}]}
    )
    after = apply_scenario(mini, closed)
    flows = [
        Corridor("tea", "Lahijan", "Baku", "tea", 20),
        Corridor("wheat", "Aktau", "Tehran", "wheat", 1000),
    ]
    out = {c.corridor.label: c for c in compare_scenario(mini, after, flows)}
    assert out["wheat"].status == "unchanged"
    tea = out["tea"]
    # Baku is still reachable by sea via Alat, so the route changes rather than breaks
    assert tea.status in ("changed", "now unreachable")
    if tea.after is not None:
        assert "border" not in [leg.kind for leg in tea.after.legs]


def test_criticality_ranks_cut_links_first(mini: Network) -> None:
    flows = [
        Corridor("tea", "Lahijan", "Baku", "tea", 20),
        Corridor("wheat", "Aktau", "Tehran", "wheat", 1000),
    ]
    ranked = criticality(mini, flows)
    assert ranked[0].id == "road_lahijan_rasht" and ranked[0].disconnected == ["tea"]
    for r in ranked[1:]:
        assert not r.disconnected and r.extra_cost_usd >= 0
    # removing the Caspian Port forces wheat through Anzali: the extra cost is the difference
    port = next(r for r in ranked if r.id == "ir_caspian_port")
    via_anzali = plan_route(
        mini,
        "Aktau",
        "Tehran",
        cargo="wheat",
        tonnes=1000,
        options=__import__("caspian").RouteOptions(avoid_nodes=frozenset({"ir_caspian_port"})),
    )
    base = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    assert port.extra_cost_usd == pytest.approx(
        via_anzali.totals.generalized_cost_usd - base.totals.generalized_cost_usd
    )


def test_cpmm_indicators(mini: Network) -> None:
    it = plan_route(mini, "Lahijan", "Baku", cargo="tea", tonnes=20)
    ind = cpmm_indicators(it, mini)
    assert [c.node for c in ind.crossings] == ["bc_astara_road"]
    assert ind.crossings[0].hours == pytest.approx(9.9)
    assert sum(s.distance_km for s in ind.sections) == pytest.approx(it.totals.distance_km)
    assert ind.swd_kmh < ind.swod_kmh


def test_tcd_points_reach_totals(mini: Network, tmp_path: Path) -> None:
    it = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    pts = tcd_points(it, mini)
    assert pts[-1][0] == pytest.approx(it.totals.distance_km)
    assert pts[-1][1] == pytest.approx(it.totals.cost_usd_per_t)
    assert pts[-1][2] == pytest.approx(it.totals.hours)
    assert all(b[0] >= a[0] and b[2] >= a[2] for a, b in itertools.pairwise(pts))
    png = tmp_path / "tcd.png"
    save_figure(tcd_figure([("best", it)], mini), png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_corridor_file_errors(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("label,origin,destination,cargo,tonnes\nx,A,B,tea,-3\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"c\.csv, row 2, column 'tonnes'"):
        load_corridors(f)
    f.write_text("label,origin,cargo\n", encoding="utf-8")
    with pytest.raises(DataError, match="destination"):
        load_corridors(f)


def test_route_specs_are_parsed_and_checked(mini: Network) -> None:
    from caspian.analysis.routesets import parse_route_specs, route_set
    from caspian.errors import ValidationError

    assert parse_route_specs("sea=sea,rail;any=road,rail,sea") == [
        ("sea", frozenset({"sea", "rail"})),
        ("any", frozenset({"road", "rail", "sea"})),
    ]
    for bad in ("road", "x="):
        with pytest.raises(ValidationError, match="--compare"):
            parse_route_specs(bad)
    routes = route_set(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000, alternatives=2)
    assert len(routes) == 2 and routes[0][0].startswith("1: ")


def test_compare_shows_deltas_when_only_times_change(mini: Network) -> None:
    faster = parse_scenario(
        {"name": "fast", "borders": [{"node": "bc_astara_road", "clearance_factor": 0.5}]}
    )
    after = apply_scenario(mini, faster)
    (c,) = compare_scenario(mini, after, [Corridor("tea", "Lahijan", "Baku", "tea", 20)])
    assert c.status == "same route"
    assert c.delta("hours") == pytest.approx(-9.9 / 2)
    assert "border -5.0 h" in c.why


def test_compare_explains_an_unused_new_link(mini: Network) -> None:
    opened = apply_scenario(mini, parse_scenario(OPEN_RAIL))
    assert new_links(mini, opened) == ["rail_rasht_astara"]
    flows = [Corridor("tea", "Lahijan", "Baku", "tea", 20)]
    (c,) = compare_scenario(mini, opened, flows)
    assert c.after is not None
    used = {link for leg in c.after.legs for link in leg.links}
    if "rail_rasht_astara" in used:
        assert "uses rail_rasht_astara" in c.why
    else:
        # the reason is priced: forced through the link, the route costs more
        forced = best_through_links(
            prepare_query(opened, "Lahijan", "Baku", cargo="tea", tonnes=20),
            ["rail_rasht_astara"],
        )
        assert forced is not None
        assert "rail_rasht_astara" in {link for leg in forced.legs for link in leg.links}
        assert forced.totals.generalized_cost_usd >= c.after.totals.generalized_cost_usd
        assert c.why.startswith("not via rail_rasht_astara")
        assert "dearer in generalized cost" in c.why


def test_forced_route_through_the_chosen_link_is_the_best_route(mini: Network) -> None:
    q = prepare_query(mini, "Lahijan", "Baku", cargo="tea", tonnes=20)
    best = plan_route(mini, "Lahijan", "Baku", cargo="tea", tonnes=20)
    some_link = next(link for leg in best.legs for link in leg.links)
    forced = best_through_links(q, [some_link])
    assert forced is not None
    assert forced.totals.generalized_cost_usd == pytest.approx(best.totals.generalized_cost_usd)
    assert best_through_links(q, ["no_such_link"]) is None
