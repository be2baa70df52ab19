"""``caspian flows``: output, JSON, exports and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_assign_json_reports_elements_places_and_modes(tmp_path: Path) -> None:
    out = tmp_path / "flows.geojson"
    code, stdout, _ = run("flows", "assign", "--json", "-o", str(out))
    assert code == 0
    data = json.loads(stdout)
    assert data["method"] == "ue" and data["gap"] <= 1e-5
    assert data["elements"] and data["places"] and data["tonne_km"]
    gj = json.loads(out.read_text())
    assert gj["type"] == "FeatureCollection" and gj["properties"]["method"] == "ue"


def test_geopackage_reads_back_through_gdal(tmp_path: Path) -> None:
    import pyogrio

    out = tmp_path / "flows.gpkg"
    code, _, _ = run("flows", "assign", "-o", str(out))
    assert code == 0
    info = pyogrio.read_info(out)
    assert info["geometry_type"] == "LineString" and info["crs"] == "EPSG:4326"
    assert info["features"] > 0 and "tonnes_per_year" in list(info["fields"])
    assert not list(tmp_path.glob(".caspian-*"))  # no temporary file left behind


def test_report_has_the_flow_map(tmp_path: Path) -> None:
    page = tmp_path / "flows.html"
    code, _, _ = run("flows", "assign", "--report", str(page), "--lang", "fa")
    assert code == 0
    text = page.read_text()
    assert "dir='rtl'" in text and "<svg" in text and "stroke-width" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    code, _, err = run("flows", "assign", "--report", str(tmp_path / "x.pdf"))
    assert code == 2 and ".html" in err


def test_bottlenecks_rank_by_dual_price() -> None:
    code, stdout, _ = run("flows", "bottlenecks", "--json")
    assert code == 0
    prices = [r["shadow_price_usd_per_t"] or 0.0 for r in json.loads(stdout)["elements"]]
    assert prices == sorted(prices, reverse=True)


def test_compare_with_growth_moves_more_tonnes(tmp_path: Path) -> None:
    chart = tmp_path / "change.svg"
    code, stdout, _ = run(
        "flows", "compare", "--scenario", "trade-growth-20", "--json", "--chart", str(chart)
    )
    assert code == 0
    data = json.loads(stdout)
    assert data["scenario_cost_usd_per_year"] > data["base_cost_usd_per_year"]
    assert all(p["after"] >= p["before"] - 1e-6 for p in data["places"])
    assert chart.read_bytes().startswith(b"<?xml")


def test_check_compares_with_published_throughput() -> None:
    code, stdout, _ = run("flows", "check", "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["compared"] >= 20
    assert 0 <= data["within_goal"] <= data["compared"]


def test_bad_inputs_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = run("flows", "assign", "--method", "magic")
    assert code == 2 and "ue, logit, lp" in err
    code, _, err = run("flows", "assign", "-o", str(tmp_path / "x.shp"))
    assert code == 2 and "unknown format" in err
    assert not (tmp_path / "x.shp").exists()
    code, _, err = run("flows", "assign", "--year", "1850")
    assert code == 2
    code, _, err = run("flows", "compare", "--scenario", "no-such-scenario")
    assert code == 2 and "no-such-scenario" in err
    code, _, err = run("flows", "assign", "--demand", str(tmp_path / "missing.csv"))
    assert code == 2


def test_sweep_runs_every_point_in_order() -> None:
    code, stdout, _ = run(
        "flows", "sweep", "--scenario", "base", "--scenario", "rasht-astara-railway",
        "--growth", "0", "--growth", "20", "--workers", "1", "--json",
    )  # fmt: skip
    assert code == 0
    points = json.loads(stdout)
    assert [(p["label"], p["growth_pct"]) for p in points] == [
        ("base", 0.0), ("base", 20.0), ("rasht-astara-railway", 0.0),
        ("rasht-astara-railway", 20.0),
    ]  # fmt: skip
    assert points[1]["demand_tonnes_per_year"] == pytest.approx(
        1.2 * points[0]["demand_tonnes_per_year"]
    )
    # the railway takes load off the Astara road border
    assert points[2]["busiest_utilisation"] < points[0]["busiest_utilisation"]


def test_sweep_refuses_bad_axes() -> None:
    code, _, err = run("flows", "sweep", "--growth", "-150")
    assert code == 2 and "above -100" in err
    code, _, err = run("flows", "sweep", "--backend", "ray")
    assert code == 2 and "local, dask" in err
    code, _, err = run("flows", "sweep", "--scheduler-address", "tcp://x:1")
    assert code == 2 and "needs --backend dask" in err


def test_persian_tables_have_no_english_labels() -> None:
    for args in (
        ("flows", "assign", "--top", "3"),
        ("flows", "compare", "--scenario", "trade-growth-20", "--top", "3"),
        ("flows", "bottlenecks", "--top", "3"),
        ("flows", "check"),
    ):
        code, stdout, _ = run(*args, "--lang", "fa")
        assert code == 0, args
        for english in ("Busiest", "Ports and borders", "tonne-km", "before", "Bottlenecks",
                        "Throughput", "compared figures", "delay h"):  # fmt: skip
            assert english not in stdout, (args, english)
