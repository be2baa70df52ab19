"""CLI of ``caspian simulate`` and input validation (exit code 2, nothing half-written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from caspian.cli import app
from caspian.errors import DataError, ScenarioError
from caspian.simulation import load_config_file, read_arrivals_csv

runner = CliRunner()


def test_border_json_output_files_and_planner_scenario(tmp_path: Path) -> None:
    out = tmp_path / "out"
    scen = tmp_path / "astara.yaml"
    args = ["simulate", "border", "--scenario", "software", "--trucks-per-day", "500"]
    args += ["--days", "2", "--replications", "2", "--seed", "3", "--json", "-o", str(out)]
    result = runner.invoke(app, [*args, "--write-scenario", str(scen)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary["groups"]) == {"IR->AZ", "AZ->IR"}
    assert {"events.csv", "summary.json", "queue.png", "waiting.png"} <= {
        p.name for p in out.iterdir()
    }
    data = yaml.safe_load(scen.read_text())
    assert data["name"] == "astara-simulated-software"
    assert "seed 3" in data["description"] and "500 trucks/day" in data["description"]
    assert [(b["from_country"], b["to_country"]) for b in data["borders"]] == [
        ("IR", "AZ"),
        ("AZ", "IR"),
    ]
    for b, direction in zip(data["borders"], ("IR->AZ", "AZ->IR"), strict=True):
        assert b["node"] == "bc_astara_road" and b["mode"] == "road"
        expected = summary["groups"][direction]["time_mean_hours"]["mean"]
        assert b["clearance_hours"] == pytest.approx(expected, abs=1e-3)


def test_rail_port_and_compare_commands_run(tmp_path: Path) -> None:
    for cmd in (["rail", "--days", "5"], ["port", "--days", "5"]):
        res = runner.invoke(app, ["simulate", *cmd, "--replications", "2"])
        assert res.exit_code == 0, res.output
    res = runner.invoke(
        app, ["simulate", "compare", "--days", "1", "--replications", "2", "-o", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    assert "hardware" in res.stdout and "baseline" in res.stdout
    assert (tmp_path / "compare.png").stat().st_size > 0


def test_sweep_local_backend_json() -> None:
    args = ["simulate", "sweep", "--booths", "3,5", "--edeclaration", "0.5"]
    args += ["--trucks-per-day", "500", "--days", "1", "--replications", "1", "--json"]
    res = runner.invoke(app, [*args, "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)) == 2


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["border", "--scenario", "nope"], "valid: baseline, hardware, software"),
        (["border", "--trucks-per-day", "-5"], "trucks_per_day"),
        (["border", "--replications", "0"], "replications must be >= 1"),
        (["border", "--trucks-per-day", "1e9"], "reduce the traffic"),
        (["sweep", "--backend", "ray"], "valid: local, dask"),
        (["compare", "--model", "airport"], "valid: border, rail, port"),
    ],
)
def test_bad_inputs_exit_2_with_clear_message(args: list[str], needle: str, tmp_path: Path) -> None:
    out = tmp_path / "never"
    extra = [] if args[0] == "sweep" else ["-o", str(out)]
    res = runner.invoke(app, ["simulate", *args, "--days", "1", *extra])
    assert res.exit_code == 2
    assert needle in res.output
    assert not out.exists()


def test_malformed_config_key_names_file_and_valid_fields(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("parameters:\n  truck_per_day: 500\n")
    res = runner.invoke(
        app, ["simulate", "border", "--config", str(bad), "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "truck_per_day" in res.output
    assert "trucks_per_day" in res.output  # the valid field is listed
    assert not (tmp_path / "o").exists()
    with pytest.raises(ScenarioError, match="must be int"):
        bad.write_text("parameters:\n  document_booths_per_direction: 2.5\n")
        load_config_file("border", bad)
    with pytest.raises(ScenarioError, match=r"scenario .fast.: field .inspection_share."):
        bad.write_text("scenarios:\n  fast: {inspection_share: 1.5}\n")
        load_config_file("border", bad)


def test_arrivals_csv_validation_names_file_row_column_value(tmp_path: Path) -> None:
    good = tmp_path / "arr.csv"
    good.write_text("arrival_hours,direction\n2.5,AZ->IR\n1.0,IR->AZ\n")
    t, d = read_arrivals_csv(good)
    assert t.tolist() == [1.0, 2.5] and d.tolist() == [0, 1]
    bad = tmp_path / "bad.csv"
    bad.write_text("arrival_hours,direction\n1.0,IR->AZ\n-3,IR->AZ\n")
    with pytest.raises(DataError) as err:
        read_arrivals_csv(bad)
    assert err.value.row == 3 and err.value.column == "arrival_hours"
    assert "bad.csv" in str(err.value) and "'-3'" in str(err.value) and ">= 0" in str(err.value)
    bad.write_text("arrival_hours,direction\n1.0,north\n")
    res = runner.invoke(app, ["simulate", "border", "--arrivals", str(bad), "--days", "1"])
    assert res.exit_code == 2
    assert "row 2" in res.output and "direction" in res.output and "IR->AZ" in res.output
    res = runner.invoke(app, ["simulate", "border", "--arrivals", str(good), "--days", "1"])
    assert res.exit_code == 0, res.output


def test_absurd_horizon_is_refused() -> None:
    res = runner.invoke(app, ["simulate", "border", "--days", "100000"])
    assert res.exit_code == 2
    assert "ten years" in res.output
