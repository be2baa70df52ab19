"""The table loader rejects bad rows with file, row, column and what is valid."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from caspian.errors import DataError
from caspian.io.tables import (
    BUNDLED_DATA_DIR,
    GREAT_CIRCLE_TOLERANCE_KM,
    GREAT_CIRCLE_TOLERANCE_SHARE,
    great_circle_km,
    load_network,
)
from caspian.model.network import Network


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (spreadsheet numbering: first data row is 2)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    rows[row - 2][column] = value
    if column not in fields:
        fields.append(column)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def test_mini_corridor_loads(mini: Network) -> None:
    assert len(mini.nodes) == 12
    assert mini.links["rail_rasht_astara"].status == "planned"
    assert all(link.source for link in mini.links.values())


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "expected"),
    [
        ("links.csv", 2, "distance_km", "-5", "distance_km"),
        ("links.csv", 2, "to", "ir_nowhere", "ir_nowhere"),
        ("links.csv", 3, "mode", "camel", "camel"),
        ("links.csv", 2, "status", "maybe", "open"),
        ("nodes.csv", 3, "id", "ir_tehran", "duplicate"),
        ("nodes.csv", 2, "lat", "north", "lat"),
        ("nodes.csv", 2, "source", "", "source"),
        ("nodes.csv", 2, "kind", "castle", "port"),
        ("borders.csv", 2, "clearance_hours", "-1", "clearance_hours"),
        ("modes.csv", 2, "co2e_g_per_tkm", "x", "co2e_g_per_tkm"),
        ("commodities.csv", 2, "cargo_class", "liquid", "dry_bulk"),
        ("services.csv", 2, "return_ticket_factor", "1.2", "return_ticket_factor"),
    ],
)
def test_bad_cell_names_file_row_column(
    tmp_path: Path, mini_dir: Path, table: str, row: int, column: str, value: str, expected: str
) -> None:
    data = _copy(mini_dir, tmp_path / "net")
    _edit(data / table, row, column, value)
    with pytest.raises(DataError) as err:
        load_network(data)
    text = str(err.value)
    assert table in text
    assert expected in text


def test_every_problem_is_reported_at_once(tmp_path: Path, mini_dir: Path) -> None:
    data = _copy(mini_dir, tmp_path / "net")
    _edit(data / "links.csv", 2, "distance_km", "-5")
    _edit(data / "nodes.csv", 3, "lat", "north")
    with pytest.raises(DataError) as err:
        load_network(data)
    assert "links.csv" in str(err.value) and "nodes.csv" in str(err.value)


def test_missing_table_is_named(tmp_path: Path, mini_dir: Path) -> None:
    data = _copy(mini_dir, tmp_path / "net")
    (data / "services.csv").unlink()
    with pytest.raises(DataError, match=r"services\.csv"):
        load_network(data)


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        load_network(tmp_path / "absent")


def test_crossing_needs_both_directions(tmp_path: Path, mini_dir: Path) -> None:
    data = _copy(mini_dir, tmp_path / "net")
    path = data / "borders.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if ",AZ,IR," not in line) + "\n", "utf-8")
    with pytest.raises(DataError, match="bc_astara_road"):
        load_network(data)


def _gc(net: Network, link_id: str) -> float:
    link = net.links[link_id]
    return great_circle_km(net.nodes[link.from_node], net.nodes[link.to_node])


def test_link_shorter_than_straight_line_names_the_minimum(tmp_path: Path) -> None:
    data = _copy(BUNDLED_DATA_DIR, tmp_path / "net")
    with (data / "links.csv").open(newline="", encoding="utf-8") as f:
        ids = [r["id"] for r in csv.DictReader(f)]
    row = 2 + ids.index("sea_anzali_aktau")
    _edit(data / "links.csv", row, "distance_km", "300")
    with pytest.raises(DataError) as err:
        load_network(data)
    text = str(err.value)
    assert f"links.csv, row {row}, column 'distance_km': bad value '300'" in text
    assert "the great-circle distance between 'ir_anzali'" in text and "'kz_aktau'" in text
    minimum = re.search(r"at least ([\d.]+) km", text)
    assert minimum is not None
    gc = _gc(load_network(), "sea_anzali_aktau")
    expected = gc * (1 - GREAT_CIRCLE_TOLERANCE_SHARE)
    assert float(minimum.group(1)) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(
    ("link_id", "share_of_straight_line", "loads"),
    [
        ("road_tehran_qazvin", 0.985, True),  # 140 km line: tolerance is 2 % (2.8 km)
        ("road_tehran_qazvin", 0.975, False),
        ("road_bc_astara_az", 0.30, True),  # 2.7 km stub: tolerance is 2 km
        ("road_bc_astara_az", 0.20, False),
    ],
)
def test_straight_line_tolerance_is_2_percent_or_2_km(
    tmp_path: Path,
    mini_dir: Path,
    mini: Network,
    link_id: str,
    share_of_straight_line: float,
    loads: bool,
) -> None:
    assert GREAT_CIRCLE_TOLERANCE_SHARE == 0.02 and GREAT_CIRCLE_TOLERANCE_KM == 2.0
    data = _copy(mini_dir, tmp_path / "net")
    row = 2 + list(mini.links).index(link_id)
    km = round(_gc(mini, link_id) * share_of_straight_line, 3)
    _edit(data / "links.csv", row, "distance_km", str(km))
    if loads:
        assert load_network(data).links[link_id].distance_km == pytest.approx(km)
    else:
        with pytest.raises(DataError, match=rf"row {row}, column 'distance_km'.*at least"):
            load_network(data)


def test_misplaced_node_is_caught_by_its_links(tmp_path: Path, mini_dir: Path) -> None:
    data = _copy(mini_dir, tmp_path / "net")
    _edit(data / "nodes.csv", 3, "lat", "30.0")  # Qazvin moved 700 km south
    with pytest.raises(DataError) as err:
        load_network(data)
    text = str(err.value)
    assert "links.csv" in text and "'ir_qazvin' (Qazvin)" in text and "lat/lon" in text


def test_bundled_links_are_not_shorter_than_the_straight_line(bundled: Network) -> None:
    short = [link.id for link in bundled.links.values() if link.distance_km < _gc(bundled, link.id)]
    assert short == []
