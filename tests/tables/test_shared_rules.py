"""One validation path: scenario values and CSV cells meet the same rules."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from caspian.errors import DataError, ScenarioError, ValidationError
from caspian.io.tables import load_network, network_problems, parse_cells
from caspian.io.yamlsafe import load_yaml_text, shorten
from caspian.model.network import Network
from caspian.scenarios import apply_scenario, parse_scenario

SAME = "bad value '999': expected a number ≤ 90"


def test_csv_and_scenario_refuse_lat_999_with_the_same_words(
    mini_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    nodes = data / "nodes.csv"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("37.2808", "999"), encoding="utf-8")
    with pytest.raises(DataError, match="nodes.csv, row 4, column 'lat': " + SAME):
        load_network(data)
    node = {"id": "ir_x", "name_en": "X", "country": "IR", "kind": "city", "lat": 999, "lon": 1}
    with pytest.raises(ScenarioError, match=r"x\.yaml, nodes\[0\]\.lat: " + SAME):
        parse_scenario({"name": "x", "nodes": [node]}, origin="x.yaml")
    assert parse_cells("nodes.csv", {"lat": "999"})[1] == [("lat", SAME)]


def test_scenario_values_are_parsed_as_the_tables_parse_them() -> None:
    scn = parse_scenario(
        {
            "name": "x",
            "links": [
                {
                    "id": "new",
                    "from": "a",
                    "to": "b",
                    "mode": "rail",
                    "distance_km": "12.5",
                    "gauge_mm": "1520/1435",
                }
            ],
            "services": [{"id": "s", "link": "new", "sails_when_loaded": True}],
        }
    )
    link, service = scn.changes
    assert link.values["distance_km"] == 12.5 and link.values["gauge_mm"] == (1435, 1520)
    assert service.values["sails_when_loaded"] is True
    with pytest.raises(ScenarioError, match="number"):
        parse_scenario({"name": "x", "links": [{"id": "a", "distance_km": True}]})


def test_data_refuses_a_road_link_across_a_border_without_a_crossing(
    mini_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(mini_dir, data)
    with (data / "links.csv").open("a", encoding="utf-8") as handle:
        handle.write("road_rasht_baku,ir_rasht,az_baku,road,600,,open,,,test,yes\n")
    with pytest.raises(DataError) as err:
        load_network(data)
    message = str(err.value)
    assert "links.csv, row" in message and "'ir_rasht' in IR and 'az_baku' in AZ" in message
    assert "border_crossing" in message


def test_bundled_and_mini_networks_pass_the_cross_row_checks(
    bundled: Network, mini: Network
) -> None:
    assert network_problems(bundled) == []
    assert network_problems(mini) == []


def test_scenario_moving_a_node_is_checked_against_its_links(mini: Network) -> None:
    moved = parse_scenario({"name": "m", "nodes": [{"id": "ir_qazvin", "lat": 30.0}]})
    with pytest.raises(ScenarioError, match="shorter than the straight line"):
        apply_scenario(mini, moved)


def test_scenario_link_across_a_border_names_the_entry(mini: Network) -> None:
    jump = parse_scenario(
        {
            "name": "j",
            "links": [
                {"id": "x", "from": "ir_rasht", "to": "az_baku", "mode": "road", "distance_km": 600}
            ],
        },
        origin="j.yaml",
    )
    with pytest.raises(ScenarioError, match=r"j\.yaml, links\[0\]\.to: road link 'x' joins"):
        apply_scenario(mini, jump)


def test_alias_bomb_is_refused_at_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    start = time.monotonic()
    with pytest.raises(ValidationError, match="anchors and aliases"):
        load_yaml_text(bomb, origin="bomb.yaml")
    assert time.monotonic() - start < 0.5


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    with pytest.raises(ValidationError, match="nested more than 64"):
        load_yaml_text("[" * 50_000 + "]" * 50_000, origin="deep.yaml")
    assert load_yaml_text("[" * 10 + "]" * 10, origin="ok.yaml") is not None


def test_shorten_bounds_every_value() -> None:
    for value in ("x" * 100_000, list(range(100_000)), {str(i): i for i in range(1000)}, 10**500):
        assert len(shorten(value)) <= 80
