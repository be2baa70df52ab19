"""Issue #8: intervals that respect the quantity, traffic labels, overload warnings, levers,
config dump, port outputs, bounded e-queue and run size."""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from caspian.cli import app
from caspian.simulation import load_config_file, simulate_border, simulate_rail
from caspian.simulation.arrivals import apply_equeue, seasonal_factor
from caspian.simulation.config import load_config_text
from caspian.simulation.limits import MAX_MEMORY_BYTES, RunSize, workers_within_memory
from caspian.simulation.results import Estimate, t_quantile_975

runner = CliRunner()


def test_t_quantile_matches_scipy() -> None:
    for df in (1, 2, 4, 9, 29, 30, 31, 50, 200, 10_000):
        assert t_quantile_975(df) == pytest.approx(stats.t.ppf(0.975, df), abs=1e-6)


def test_interval_of_a_skewed_positive_quantity_stays_positive() -> None:
    values = [0.4, 0.6, 9.5]  # the plain t-interval would be about -9.3 to 16.3
    est = Estimate.from_samples(values)
    assert est.mean == pytest.approx(3.5)
    assert 0 < est.ci_low < est.mean < est.ci_high
    # the delta-method interval on log(mean): mean ÷ f to mean × f
    sem = float(np.std(values, ddof=1)) / math.sqrt(3)
    f = math.exp(stats.t.ppf(0.975, 2) * sem / 3.5)
    assert est.ci_low == pytest.approx(3.5 / f) and est.ci_high == pytest.approx(3.5 * f)
    assert Estimate.from_samples([0.0, 0.0]).as_dict() == {"mean": 0, "ci_low": 0, "ci_high": 0}
    assert math.isnan(Estimate.from_samples([2.0]).ci_low)


def test_short_run_prints_no_negative_interval_and_warns_about_replications() -> None:
    res = runner.invoke(app, ["simulate", "border", "--days", "0.5", "--replications", "2"])
    assert res.exit_code == 0, res.output
    assert "only 2 replications" in res.output
    import re

    table = res.stdout.split("traffic:")[0]
    assert "95% CI" in table
    assert not re.search(r"(?<![\w>])-\d", table), table  # no negative number anywhere


def test_traffic_is_reported_per_day_per_replication_with_the_seasonal_factor() -> None:
    args = ["simulate", "border", "--days", "7", "--replications", "2", "--json"]
    jan = json.loads(runner.invoke(app, args).stdout)
    t = jan["traffic"]
    assert t["configured_per_day"] == 500 and t["start_month"] == 1
    assert t["seasonal_factor"] == pytest.approx(1.25 / (12.15 / 12))
    assert t["offered_per_day"] == pytest.approx(500 * t["seasonal_factor"])
    per_rep = t["arrived_per_day_per_replication"]
    assert per_rep == pytest.approx(jan["flow"]["arrived"] / (2 * 7))
    assert abs(per_rep - t["offered_per_day"]) < 0.1 * t["offered_per_day"]
    assert jan["flow_per_replication"]["arrived"] == jan["flow"]["arrived"] / 2
    apr = json.loads(runner.invoke(app, [*args, "--start-month", "4"]).stdout)
    assert apr["traffic"]["seasonal_factor"] == pytest.approx(0.85 / (12.15 / 12))
    assert apr["traffic"]["arrived_per_day_per_replication"] < per_rep
    text = runner.invoke(app, args[:-1]).stdout
    assert "500 trucks/day configured (yearly average)" in text and "starting 1 Jan" in text
    assert "left/day per rep" in text


def test_overload_is_reported_loudly() -> None:
    res = runner.invoke(app, ["simulate", "border", "--trucks-per-day", "800", "--days", "3"])
    assert res.exit_code == 0
    assert "OVERLOADED" in res.output and "document_check" in res.output
    assert "grows without bound" in res.output
    fine = runner.invoke(app, ["simulate", "border", "--scenario", "software+hardware",
                               "--days", "2"])  # fmt: skip
    assert "OVERLOADED" not in fine.output


def test_default_rail_config_settles_at_the_documented_traffic() -> None:
    cfg = load_config_file("rail").base
    assert cfg.wagons_per_day == 40
    res = simulate_rail(cfg, seed=1, replications=3, days=30, workers=1)
    assert max(res.extra["offered_load"].values()) < 0.9
    assert res.groups["AZ->IR"]["time_mean_hours"].mean < 24  # was 448 h
    assert not [w for w in res.warnings if "OVERLOADED" in w]
    # the busier side saturates near the stated 2 Mt/yr (at 60 t per wagon)
    busy_capacity = 3 * 12 / 0.6
    assert busy_capacity / 0.7 * 60 * 365 == pytest.approx(2e6, rel=0.1)


def test_every_border_lever_is_an_option_and_applies(tmp_path: Path) -> None:
    args = ["simulate", "border", "--days", "1", "--replications", "1", "--json"]
    levers = ["--booths", "6", "--weighbridges", "2", "--scanners", "2", "--parking", "300",
              "--entry-lanes", "2", "--exit-lanes", "2", "--inspection-bays", "5",
              "--equeue", "--equeue-slots", "30", "--start-month", "7"]  # fmt: skip
    res = runner.invoke(app, [*args, *levers])
    assert res.exit_code == 0, res.output
    cfg = json.loads(res.stdout)["config"]
    assert cfg["document_booths_per_direction"] == 6 and cfg["weighbridges_per_direction"] == 2
    assert cfg["xray_scanners_per_direction"] == 2 and cfg["parking_places_per_direction"] == 300
    assert cfg["equeue"] is True and cfg["equeue_slots_per_hour_per_direction"] == 30
    assert cfg["start_month"] == 7
    import inspect

    from caspian.cli.simulate import _option_name
    from caspian.cli.simulate import app as simulate_app

    border = next(c for c in simulate_app.registered_commands if c.name == "border")
    assert border.callback is not None
    params = set(inspect.signature(border.callback).parameters)
    for field in dataclasses.fields(load_config_file("border").base):
        assert field.name in params, f"no option for {field.name} ({_option_name(field.name)})"


def test_config_dump_round_trips(tmp_path: Path) -> None:
    args = ["simulate", "config", "dump", "border", "--scenario", "software"]
    sets = ["--set", "start_month=7", "--set", "weighbridges_per_direction=3"]
    res = runner.invoke(app, [*args, *sets])
    assert res.exit_code == 0, res.output
    loaded = load_config_text(res.stdout, "border")
    expected = dataclasses.replace(
        load_config_file("border").scenario("software"),
        start_month=7,
        weighbridges_per_direction=3,
    )
    assert loaded.base == expected
    assert loaded.traffic_levels_per_day == (500.0, 800.0)
    # --dump-config of a run command gives the same file, and --config reads it back
    dumped = tmp_path / "effective.yaml"
    run = ["simulate", "border", "--scenario", "software", "--start-month", "7",
           "--weighbridges", "3"]  # fmt: skip
    text = runner.invoke(app, [*run, "--dump-config"]).stdout
    assert load_config_text(text, "border").base == expected
    out = runner.invoke(app, [*args, *sets, "-o", str(dumped)])
    assert out.exit_code == 0 and dumped.exists()
    again = runner.invoke(app, ["simulate", "config", "dump", "border", "--config", str(dumped)])
    assert load_config_text(again.stdout, "border").base == expected
    for model in ("rail", "port"):
        text = runner.invoke(app, ["simulate", "config", "dump", model]).stdout
        assert load_config_text(text, model).base == load_config_file(model).base


def test_port_writes_events_and_charts(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "port"
    res = runner.invoke(app, ["simulate", "port", "--days", "5", "--replications", "2",
                              "-o", str(out)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == {
        "summary.json",
        "events.csv",
        "queue.png",
        "waiting.png",
    }
    lines = (out / "events.csv").read_text().splitlines()
    assert lines[0] == "entity,group,event,resource,time_hours"
    groups = {line.split(",")[1] for line in lines[1:]}
    assert {"wagons rail->ship", "ships import", "wagons ship->rail"} <= groups
    summary = json.loads((out / "summary.json").read_text())
    arrivals = sum(1 for line in lines[1:] if ",wagons rail->ship,arrival," in line)
    assert arrivals > 0 and summary["flow"]["arrived"] > 0


def _equeue_reference(wish: np.ndarray, direction: np.ndarray, open_hour: np.ndarray,
                      cap: int) -> np.ndarray:  # fmt: skip
    booked: dict[tuple[int, int], int] = {}
    out = np.empty(wish.size)
    for i, (t, d) in enumerate(zip(wish, direction, strict=True)):
        h = int(np.floor(t))
        while not open_hour[h % 24] or booked.get((d, h), 0) >= cap:
            h += 1
        booked[(d, h)] = booked.get((d, h), 0) + 1
        out[i] = h
    return out


def test_equeue_is_exact_and_linear_when_overloaded() -> None:
    rng = np.random.default_rng(5)
    wish = np.sort(rng.random(3000) * 24 * 5)
    direction = rng.integers(0, 2, wish.size)
    new, _, delay = apply_equeue(
        np.random.default_rng(1), wish, direction, slots_per_hour=3, open_from_hour=7,
        open_to_hour=23,
    )  # fmt: skip
    hours = np.arange(24) + 0.5
    ref = _equeue_reference(wish, direction, (hours >= 7) & (hours < 23), 3)
    offsets = np.random.default_rng(1).random(wish.size)
    expected = np.sort(ref + offsets, kind="stable")
    np.testing.assert_allclose(new, expected)
    assert (delay >= 0).all()
    big = np.sort(rng.random(400_000) * 24 * 365)
    started = time.perf_counter()
    out, _, _ = apply_equeue(
        rng, big, rng.integers(0, 2, big.size), slots_per_hour=1, open_from_hour=7,
        open_to_hour=23, horizon_hours=24 * 365,
    )  # fmt: skip
    assert time.perf_counter() - started < 1.0  # was quadratic: minutes
    assert out.max() >= 24 * 365  # bookings with no slot in the run fall after its end


def test_memory_limit_lowers_the_number_of_workers() -> None:
    half = RunSize("border", 1e6, 7e6, MAX_MEMORY_BYTES / 2.5, 8)
    assert workers_within_memory(half, 8) == 2
    assert workers_within_memory(half, 1) == 1


def test_many_servers_cost_no_memory_and_csv_rows_after_the_horizon_are_dropped() -> None:
    cfg = dataclasses.replace(
        load_config_file("border").base, document_booths_per_direction=100_000
    )
    res = simulate_border(cfg, seed=1, replications=1, days=0.5, workers=1)
    assert res.flow["exited"] > 0
    arrivals = (np.array([1.0, 2.0, 1e12]), np.array([0, 1, 0]))
    res = simulate_border(load_config_file("border").base, arrivals=arrivals, days=1, workers=1)
    assert res.flow["arrived"] == 2
    assert any("after the end of the run" in w for w in res.warnings)


def test_seasonal_factor_of_a_whole_year_is_one() -> None:
    profile = load_config_file("border").base.month_profile
    assert seasonal_factor(365, profile, 1) == pytest.approx(1.0, abs=0.01)
    assert seasonal_factor(31, profile, 1) == pytest.approx(1.25 / (sum(profile) / 12))
