"""Astara 1520/1435 mm rail transshipment terminal: a simpler two-station model."""

from __future__ import annotations

import numpy as np

from caspian.simulation.arrivals import poisson_arrivals
from caspian.simulation.config import RailConfig
from caspian.simulation.tandem import TandemSample, TandemSpec, lognormal_hours

__all__ = ["RAIL_DIRECTIONS", "RAIL_STATIONS", "rail_sample", "rail_spec"]

RAIL_STATIONS = ("inspection", "transshipment")
RAIL_DIRECTIONS = ("AZ->IR", "IR->AZ")


def rail_spec(config: RailConfig) -> TandemSpec:
    """Inspection teams and transshipment tracks per direction, both in terminal hours."""
    servers = np.asarray(
        [
            [config.inspection_teams_per_direction] * 2,
            [config.transshipment_tracks_per_direction] * 2,
        ],
        dtype=np.int64,
    )
    return TandemSpec(
        station_names=RAIL_STATIONS,
        direction_names=RAIL_DIRECTIONS,
        servers=servers,
        open_from_hour=np.full(2, config.open_from_hour),
        open_to_hour=np.full(2, config.open_to_hour),
        parking_capacity=(config.siding_places_per_direction,) * 2,
        entity="wagon",
    )


def rail_sample(config: RailConfig, rng: np.random.Generator, *, days: float) -> TandemSample:
    """Sample wagon arrivals (Poisson, flat profile) and handling times for one replication."""
    t = poisson_arrivals(
        rng,
        rate_per_day=config.wagons_per_day,
        days=int(np.ceil(days)),
        hour_profile=(1.0,) * 24,
        month_profile=(1.0,) * 12,
    )
    t = t[t < 24.0 * days]
    d = (rng.random(t.size) >= config.share_az_to_ir).astype(np.int64)
    n = t.size
    service = np.empty((n, 2))
    service[:, 0] = lognormal_hours(rng, config.inspection_hours, config.service_cv, n)
    service[:, 1] = lognormal_hours(rng, config.transshipment_hours, config.service_cv, n)
    return TandemSample(
        arrival_hours=t,
        direction=d,
        service_hours=service,
        visits=np.ones((n, 2), dtype=np.bool_),
        until_hours=24.0 * days,
    )
