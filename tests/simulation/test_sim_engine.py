"""Kernel against the SimPy reference, reproducibility and flow conservation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from caspian.simulation import BorderConfig, load_config_file, simulate_border, simulate_rail
from caspian.simulation.border import border_sample, border_spec
from caspian.simulation.tandem import run_tandem

SMALL = dataclasses.replace(
    load_config_file("border").base,
    parking_places_per_direction=25,
    trucks_per_day=600,
)


def _outputs_equal(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> None:
    for x, y in zip(a[:5], b[:5], strict=True):
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-7, equal_nan=True)


@pytest.mark.parametrize(
    "config",
    [
        SMALL,
        dataclasses.replace(SMALL, equeue=True, open_from_hour=22.0, open_to_hour=14.0),
        dataclasses.replace(SMALL, document_booths_per_direction=2, service_cv=1.2),
    ],
    ids=["baseline-small-parking", "equeue-night-shift", "overloaded"],
)
def test_kernel_equals_simpy_reference_on_identical_samples(config: BorderConfig) -> None:
    spec = border_spec(config)
    sample = border_sample(config, np.random.default_rng(7), days=4)
    fast = run_tandem(spec, sample, engine="numba")
    ref = run_tandem(spec, sample, engine="simpy")
    _outputs_equal(fast, ref)
    # the road queue was exercised: some trucks waited outside the parking
    assert np.nanmax(fast[0] - sample.arrival_hours) > 0


def test_pool_shared_by_two_stations_serves_the_right_station() -> None:
    # one pool serves stations 0 and 1 (e.g. the same officers at two desks)
    from caspian.simulation.kernel import simulate_tandem
    from caspian.simulation.reference import simulate_tandem_simpy

    rng = np.random.default_rng(3)
    n = 400
    kwargs = {
        "pool_of": np.array([[0, 0], [0, 0]]),
        "pool_servers": np.array([2]),
        "pool_open_from": np.array([6.0]),
        "pool_open_to": np.array([20.0]),
        "parking_capacity": np.array([30, 30]),
    }
    args = (
        np.sort(rng.random(n) * 72.0),
        rng.integers(0, 2, n),
        rng.exponential(0.1, (n, 2)) + np.array([0.0, 1.0]),
        np.ones((n, 2), dtype=np.bool_),
    )
    fast = simulate_tandem(*args, **kwargs)
    ref = simulate_tandem_simpy(*args, **kwargs)
    _outputs_equal(fast, ref)
    served = fast[3] - fast[2]
    assert np.nanmin(served[:, 1]) >= 1.0  # station 1 durations were used for station 1


def test_same_seed_same_result_bit_for_bit() -> None:
    cfg = dataclasses.replace(SMALL, equeue=True)
    a = simulate_border(cfg, seed=42, replications=3, days=3, workers=1)
    b = simulate_border(cfg, seed=42, replications=3, days=3, workers=2)
    c = simulate_border(cfg, seed=43, replications=3, days=3, workers=1)
    assert a.as_dict() | {"wall_seconds": 0} == b.as_dict() | {"wall_seconds": 0}
    assert a.detail is not None and b.detail is not None
    np.testing.assert_array_equal(a.detail.exit_hours, b.detail.exit_hours)
    assert a.tfi1_hours() != c.tfi1_hours()


@pytest.mark.parametrize("days", [0.5, 3.0])
def test_flow_is_conserved(days: float) -> None:
    res = simulate_border(SMALL, seed=1, replications=2, days=days, workers=1)
    f = res.flow
    assert f["arrived"] == f["exited"] + f["inside_at_end"] + f["on_road_at_end"]
    assert f["arrived"] > 0
    d = res.detail
    assert d is not None
    entered = np.isfinite(d.entry_hours)
    left = np.isfinite(d.exit_hours)
    assert not (left & ~entered).any()  # nobody leaves without entering
    assert (d.exit_hours[left] >= d.arrival_hours[left]).all()


def test_more_capacity_never_hurts_and_software_cuts_clearance() -> None:
    f = load_config_file("border")
    base = dataclasses.replace(f.scenario("baseline"), trucks_per_day=800)
    both = dataclasses.replace(f.scenario("software+hardware"), trucks_per_day=800)
    r_base = simulate_border(base, seed=5, replications=2, days=5, workers=1)
    r_both = simulate_border(both, seed=5, replications=2, days=5, workers=1)
    for direction in ("IR->AZ", "AZ->IR"):
        assert r_both.tfi1_hours()[direction] < r_base.tfi1_hours()[direction]


def test_rail_and_port_models_run_and_conserve_flow() -> None:
    from caspian.simulation import simulate_port

    rail = simulate_rail(load_config_file("rail").base, seed=1, replications=2, days=10)
    assert rail.flow["arrived"] == sum(
        rail.flow[k] for k in ("exited", "inside_at_end", "on_road_at_end")
    )
    port = simulate_port(load_config_file("port").base, seed=1, replications=2, days=20)
    assert port.groups["ships export"]["throughput_per_day"].mean > 0
    assert port.groups["yard import"]["dwell_mean_hours"].mean > 0
    assert 0 < port.utilisation["berths"].mean <= 1.0
    again = simulate_port(load_config_file("port").base, seed=1, replications=2, days=20)
    assert port.as_dict() | {"wall_seconds": 0} == again.as_dict() | {"wall_seconds": 0}
