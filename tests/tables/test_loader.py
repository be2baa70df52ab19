"""The table loader rejects bad rows with file, row, column and what is valid."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from caspian.errors import DataError
from caspian.io.tables import load_network
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
