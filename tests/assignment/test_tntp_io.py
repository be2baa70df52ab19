"""The TNTP reader and ``caspian assign`` on the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app
from caspian.errors import DataError
from caspian.io.tntp import find_tntp, load_tntp, read_net, read_trips

from .conftest import DATA

runner = CliRunner()


def test_sioux_falls_is_read_whole(tmp_path: Path) -> None:
    net = load_tntp(DATA / "SiouxFalls")
    assert (net.net.n_nodes, net.net.n_zones, net.net.first_thru_node) == (24, 24, 1)
    assert net.net.init_node.size == 76 and net.net.power.tolist() == [4.0] * 76
    assert net.trips.origins.size == 24 * 24
    assert net.trips.volumes.sum() == pytest.approx(360_600.0)
    assert net.flows is not None and net.flows.volume.size == 76


def _folder(
    tmp_path: Path, net: str, trips: str = "<NUMBER OF ZONES> 2\n<END OF METADATA>\n"
) -> Path:
    (tmp_path / "X_net.tntp").write_text(net)
    (tmp_path / "X_trips.tntp").write_text(trips)
    return tmp_path


HEAD = (
    "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n"
    "<END OF METADATA>\n~ comment\n"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "\t1\t2\t10\t1\t1\t0.15\t4\t0\t0\t1\t;\n\t2\t1\t10\t1\t1\t0.15\t4\t0\t0\t1\t;\n",
            "<NUMBER OF LINKS> says 1 but the file lists 2 links",
        ),
        (
            "\t1\t2\tten\t1\t1\t0.15\t4\t0\t0\t1\t;\n",
            "line 7, field 'capacity': 'ten' is not a number",
        ),
        (
            "\t1\t3\t10\t1\t1\t0.15\t4\t0\t0\t1\t;\n",
            "line 7, field 'term_node': node 3 is not a whole number in 1..2",
        ),
        ("\t1\t2\t10\t1\t;\n", "line 7: a link needs at least 7 fields"),
        (
            "\t1\t2\t0\t1\t1\t0.15\t4\t0\t0\t1\t;\n",
            "line 7, field 'capacity': 0 is invalid; it must be > 0",
        ),
        (
            "\t1\t2\t10\t1\t1\t0.15\t0.5\t0\t0\t1\t;\n",
            "field 'power': 0.5 is invalid; it must be 0 or >= 1",
        ),
    ],
)
def test_bad_net_files_name_line_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "X_net.tntp"
    path.write_text(HEAD + body)
    with pytest.raises(DataError, match=message) as info:
        read_net(path)
    assert str(path) in str(info.value)


def test_missing_metadata_is_named(tmp_path: Path) -> None:
    path = tmp_path / "X_net.tntp"
    path.write_text("<NUMBER OF ZONES> 2\n<END OF METADATA>\n")
    with pytest.raises(DataError, match=r"metadata <NUMBER OF NODES> is missing"):
        read_net(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1 : 5;\n", "line 3: a 'destination : volume' pair before any 'Origin k' line"),
        ("Origin 1\n  2 : x;\n", "line 4, field 'volume': 'x' is not a number"),
        (
            "Origin 1\n  3 : 5;\n",
            "line 4, field 'destination': zone 3 is not a whole number in 1..2",
        ),
        ("Origin 1\n  2 : -5;\n", "line 4, field 'volume': -5 is negative"),
        ("Origin 1\n  2 ? 5;\n", "line 4: unexpected '2'; expected 'Origin k'"),
    ],
)
def test_bad_trip_files_name_line_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "X_trips.tntp"
    path.write_text("<NUMBER OF ZONES> 2\n<END OF METADATA>\n" + body)
    with pytest.raises(DataError, match=message):
        read_trips(path)


def test_trips_with_comments_and_several_pairs_per_line(tmp_path: Path) -> None:
    path = tmp_path / "X_trips.tntp"
    path.write_text(
        "<NUMBER OF ZONES> 3\n<END OF METADATA>\n~ a comment : 9;\nOrigin \t1\n"
        "    1 :      0.0;     2 :     6.5;  3 : 1e2;\nOrigin 3\n 1:2;\n"
    )
    trips = read_trips(path)
    assert trips.origins.tolist() == [1, 1, 1, 3]
    assert trips.destinations.tolist() == [1, 2, 3, 1]
    assert trips.volumes.tolist() == [0.0, 6.5, 100.0, 2.0]


def test_folders_without_the_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        find_tntp(tmp_path / "nowhere")
    with pytest.raises(DataError, match=r"has no \*_net.tntp file"):
        find_tntp(tmp_path)
    for name in ("A_net.tntp", "B_net.tntp", "A_trips.tntp"):
        (tmp_path / name).write_text("")
    with pytest.raises(DataError, match=r"several \*_net.tntp files \(A_net.tntp, B_net.tntp\)"):
        find_tntp(tmp_path)


def test_cli_json_compares_with_best_known(tmp_path: Path) -> None:
    out = tmp_path / "flows.csv"
    result = runner.invoke(
        app,
        ["assign", "--tntp", str(DATA / "SiouxFalls"), "--gap", "1e-6", "--json", "-o", str(out)],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["converged"] and data["relative_gap"] <= 1e-6
    assert abs(data["objective_relative_difference"]) < 1e-6
    assert data["max_flow_deviation"] < 0.005
    lines = out.read_text().splitlines()
    assert lines[0].startswith("# caspian assign --tntp SiouxFalls --method gp")
    assert lines[1] == "from,to,volume,time,cost,volume_capacity_ratio"
    assert len(lines) == 2 + 76


def test_cli_table_names_the_figures() -> None:
    result = runner.invoke(
        app, ["assign", "--tntp", "Braess", "--method", "bfw"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.stderr
    for label in ("Beckmann objective", "relative gap", "iterations", "seconds"):
        assert label in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tntp", "/nonexistent/folder"], "TNTP folder /nonexistent/folder does not exist"),
        (["--tntp", "SiouxFalls", "--method", "msa"], "--method must be one of gp, bfw, cfw, fw"),
        (["--tntp", "SiouxFalls", "--gap", "2"], "gap must be a number between 0 and 1"),
        (["--tntp", "SiouxFalls", "-o", "flows.geojson"], "written as .csv"),
        (
            ["--tntp", "SiouxFalls", "--max-iterations", "0"],
            "max_iterations must be a whole number",
        ),
    ],
)
def test_cli_bad_input_exits_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["assign", *args], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert not list(tmp_path.iterdir())


def test_cli_bad_file_names_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(DATA / "Braess", tmp_path / "b")
    net = tmp_path / "b" / "Braess_net.tntp"
    net.write_text(net.read_text().replace("\t1\t4\t1\t100\t50", "\t1\t4\tone\t100\t50"))
    result = runner.invoke(app, ["assign", "--tntp", str(tmp_path / "b")], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    err = " ".join(result.stderr.split())
    assert "Braess_net.tntp" in err and "line 11, field 'capacity': 'one' is not a number" in err
