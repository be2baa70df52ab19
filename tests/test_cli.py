"""The command line: output shapes, JSON schema and exit codes (tests/data/mini)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

MINI = str(Path(__file__).parent / "data" / "mini")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", MINI])
    return result.exit_code, result.stdout, result.stderr


def test_route_table_has_legs_and_totals() -> None:
    code, out, _ = run(
        "route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "--tonnes", "1000"
    )
    assert code == 0
    assert "Caspian Port" in out and "total" in out and "days door to door" in out


def test_route_json_schema() -> None:
    code, out, _ = run(
        "route",
        "--from",
        "Aktau",
        "--to",
        "Tehran",
        "--cargo",
        "wheat",
        "--tonnes",
        "1000",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"legs", "totals"} <= set(data)
    for leg in data["legs"]:
        assert {"mode", "from", "to", "distance_km", "hours", "cost_usd", "co2e_kg"} <= set(leg)
        assert leg["hours"] == pytest.approx(
            leg["moving_hours"] + leg["handling_hours"] + leg["border_hours"] + leg["waiting_hours"]
        )
    assert {"distance_km", "hours", "cost_usd", "co2e_kg", "days", "cost_usd_per_t"} <= set(
        data["totals"]
    )
    assert data["totals"]["cost_usd"] == pytest.approx(sum(x["cost_usd"] for x in data["legs"]))
    assert {"tfi1_border_hours", "tfi2_border_cost", "tfi3_section_cost", "tfi4_swd_kmh"} <= set(
        data["cpmm"]
    )


def test_route_in_persian() -> None:
    code, out, _ = run(
        "route", "--from", "انزلی", "--to", "تهران", "--cargo", "tea", "--lang", "fa"
    )
    assert code == 0
    assert "تهران" in out and "بندر انزلی" in out


def test_unknown_place_exits_2_with_suggestions() -> None:
    code, _, err = run("route", "--from", "Aktau", "--to", "Tehrn", "--cargo", "wheat")
    assert code == 2
    assert "Tehrn" in err and "ir_tehran" in err


def test_unreachable_exits_3_and_says_why() -> None:
    code, _, err = run(
        "route", "--from", "Qazvin", "--to", "ir_astara", "--cargo", "wheat", "--modes", "rail"
    )
    assert code == 3
    assert "planned" in err and "--include-planned" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--optimize", "fastest"], "generalized"),
        (["--modes", "rail,air"], "Valid modes"),
        (["--tonnes", "-3"], "tonnes"),
        (["--tonnes", "1e12"], "one shipment"),
        (["--cargo", "gold"], "wheat"),
        (["--avoid-country", "XX"], "Countries in the network"),
        (["--lang", "de"], "fa"),
    ],
)
def test_invalid_options_exit_2(args: list[str], expected: str) -> None:
    code, _, err = run("route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", *args)
    assert code == 2
    assert expected in err


def test_places_search() -> None:
    for query in ("Enzeli", "انزلی", "anzali"):
        code, out, _ = run("places", query, "--json")
        assert code == 0
        assert json.loads(out)[0]["id"] == "ir_anzali"


def test_compare_modes_json() -> None:
    code, out, _ = run(
        "compare-modes", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea", "--json"
    )
    assert code == 0
    fams = {f["family"]: f for f in json.loads(out)["families"]}
    assert set(fams) == {"road", "rail", "rail+sea", "road+sea", "any"}
    assert fams["road"]["route"] is None and fams["road"]["reason"]
    assert fams["any"]["route"]["totals"]["cost_usd"] > 0


def test_bad_data_dir_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["places", "x", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_chart_to_missing_folder_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "tcd.png"
    code, _, err = run(
        "tcd", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "-o", str(target)
    )
    assert code == 2 and "does not exist" in err
    assert not target.parent.exists()
