"""Astara road border crossing: stations, levers and the sampling of one replication."""

from __future__ import annotations

import numpy as np

from caspian.simulation.arrivals import apply_equeue, poisson_arrivals
from caspian.simulation.config import BorderConfig
from caspian.simulation.tandem import TandemSample, TandemSpec, lognormal_hours

__all__ = ["BORDER_DIRECTIONS", "BORDER_STATIONS", "border_sample", "border_spec"]

BORDER_STATIONS = (
    "entry_gate",
    "document_check",
    "weighbridge",
    "xray",
    "inspection",
    "exit_gate",
)
BORDER_DIRECTIONS = ("IR->AZ", "AZ->IR")
_ALWAYS = (0.0, 24.0)


def border_spec(config: BorderConfig) -> TandemSpec:
    """Stations and resource pools of the border; gates are open round the clock."""
    per_direction = [
        config.entry_lanes_per_direction,
        config.document_booths_per_direction,
        config.weighbridges_per_direction,
        config.xray_scanners_per_direction,
        config.inspection_bays_per_direction,
        config.exit_lanes_per_direction,
    ]
    customs = (config.open_from_hour, config.open_to_hour)
    hours = [_ALWAYS, customs, customs, customs, customs, _ALWAYS]
    return TandemSpec(
        station_names=BORDER_STATIONS,
        direction_names=BORDER_DIRECTIONS,
        servers=np.repeat(np.asarray(per_direction, dtype=np.int64)[:, None], 2, axis=1),
        open_from_hour=np.asarray([h[0] for h in hours]),
        open_to_hour=np.asarray([h[1] for h in hours]),
        parking_capacity=(config.parking_places_per_direction,) * 2,
        entity="truck",
    )


def border_sample(
    config: BorderConfig,
    rng: np.random.Generator,
    *,
    days: float,
    arrivals: tuple[np.ndarray, np.ndarray] | None = None,
) -> TandemSample:
    """Sample arrivals, directions, service times and inspection choices for one replication.

    Parameters
    ----------
    config
        Border parameters and levers.
    rng
        Generator of this replication; the draw order is fixed so runs reproduce bit for bit.
    days
        Horizon in days.
    arrivals
        Arrival hours and directions read from a CSV; replaces the Poisson stream (the e-queue
        lever still applies). Rows at or after the horizon are left out.

    Notes
    -----
    With the e-queue, bookings that find no free slot before the end of the run are left
    out of the run and counted in ``booked_beyond_horizon``.
    """
    if arrivals is None:
        t = poisson_arrivals(
            rng,
            rate_per_day=config.trucks_per_day,
            days=int(np.ceil(days)),
            hour_profile=config.hour_profile,
            month_profile=config.month_profile,
            start_month=config.start_month,
        )
        t = t[t < 24.0 * days]
        d = (rng.random(t.size) >= config.share_ir_to_az).astype(np.int64)
    else:
        inside = arrivals[0] < 24.0 * days  # rows after the horizon are never simulated
        t, d = arrivals[0][inside].copy(), arrivals[1][inside].astype(np.int64)
    delay = np.zeros(t.size)
    deferred = 0
    if config.equeue:
        t, d, delay = apply_equeue(
            rng,
            t,
            d,
            slots_per_hour=config.equeue_slots_per_hour_per_direction,
            open_from_hour=config.open_from_hour,
            open_to_hour=config.open_to_hour,
            horizon_hours=24.0 * days,
        )
        keep = t < 24.0 * days  # booked past the end of the run: they never arrive
        deferred = int(t.size - keep.sum())
        t, d, delay = t[keep], d[keep], delay[keep]
    n = t.size
    cv = config.service_cv
    edecl = rng.random(n) < config.edeclaration_share
    inspected = rng.random(n) < config.inspection_share
    doc_mean = np.where(edecl, config.edeclaration_document_minutes, config.document_minutes)
    means = [
        config.entry_gate_minutes,
        doc_mean,
        config.weighbridge_minutes,
        config.xray_minutes,
        config.inspection_minutes,
        config.exit_gate_minutes,
    ]
    service = np.empty((n, len(BORDER_STATIONS)))
    for k, mean_minutes in enumerate(means):
        service[:, k] = lognormal_hours(rng, np.asarray(mean_minutes) / 60.0, cv, n)
    visits = np.ones((n, len(BORDER_STATIONS)), dtype=np.bool_)
    visits[:, BORDER_STATIONS.index("inspection")] = inspected
    return TandemSample(
        arrival_hours=t,
        direction=d,
        service_hours=service,
        visits=visits,
        until_hours=24.0 * days,
        appointment_delay_hours=delay,
        booked_beyond_horizon=deferred,
    )
