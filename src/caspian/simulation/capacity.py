"""What a configuration offers and can handle: traffic actually offered, load per stage, size.

The configured traffic is a yearly average; the traffic a run actually offers is that times
the seasonal factor of the simulated days (:func:`~caspian.simulation.arrivals.seasonal_factor`).
The **offered load** of a stage is its work per day (arrivals × share visiting × mean service
hours) divided by its capacity per day (servers × opening hours). At 1 or more the stage
cannot keep up on average and its queue grows without bound however long the run; the
simulated times then depend on the horizon and only count trucks that got through.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from caspian.simulation.arrivals import seasonal_factor
from caspian.simulation.config import BorderConfig, PortConfig, RailConfig
from caspian.simulation.limits import RunSize, port_size, tandem_size
from caspian.simulation.results import MIN_REPLICATIONS_FOR_CI, SimulationResult

__all__ = [
    "NEAR_CAPACITY",
    "offered",
    "run_size",
    "run_warnings",
]

NEAR_CAPACITY = 0.9
"""Offered load from which a stage is reported as near capacity."""

Config = BorderConfig | RailConfig | PortConfig


def open_hours_per_day(open_from: float, open_to: float) -> float:
    """Hours per day a stage works (``0``–``24`` is round the clock; wraps past midnight)."""
    if open_to - open_from >= 24.0:
        return 24.0
    return open_to - open_from if open_from < open_to else 24.0 - open_from + open_to


def _border_demand(
    config: BorderConfig, days: float, arrivals: tuple[np.ndarray, np.ndarray] | None
) -> tuple[list[float], float]:
    """Trucks per day offered per direction during the run, and the seasonal factor."""
    if arrivals is not None:
        inside = arrivals[0] < 24.0 * days
        per_dir = [float((arrivals[1][inside] == d).sum()) / days for d in (0, 1)]
        return per_dir, 1.0
    factor = seasonal_factor(days, config.month_profile, config.start_month)
    total = config.trucks_per_day * factor
    return [total * config.share_ir_to_az, total * (1.0 - config.share_ir_to_az)], factor


def offered(
    model: str,
    config: Config,
    *,
    days: float,
    arrivals: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Traffic offered during the run and the offered load of each stage.

    Returns
    -------
    dict
        ``configured_per_day`` (yearly average as configured), ``seasonal_factor``,
        ``offered_per_day`` (expected arrivals per day in this run), ``offered_load`` (stage →
        highest load over the directions), and for the border with the e-queue
        ``equeue_load`` (bookings per day ÷ slots per day, busier direction).
    """
    if isinstance(config, BorderConfig):
        per_dir, factor = _border_demand(config, days, arrivals)
        customs = open_hours_per_day(config.open_from_hour, config.open_to_hour)
        out: dict[str, Any] = {}
        if config.equeue:
            slots = config.equeue_slots_per_hour_per_direction * customs
            out["equeue_load"] = max(per_dir) / slots
            per_dir = [min(x, slots) for x in per_dir]
        e = config.edeclaration_share
        doc = e * config.edeclaration_document_minutes + (1 - e) * config.document_minutes
        stages = {
            "entry_gate": (config.entry_gate_minutes, config.entry_lanes_per_direction, 24.0),
            "document_check": (doc, config.document_booths_per_direction, customs),
            "weighbridge": (config.weighbridge_minutes, config.weighbridges_per_direction, customs),
            "xray": (config.xray_minutes, config.xray_scanners_per_direction, customs),
            "inspection": (
                config.inspection_share * config.inspection_minutes,
                config.inspection_bays_per_direction,
                customs,
            ),
            "exit_gate": (config.exit_gate_minutes, config.exit_lanes_per_direction, 24.0),
        }
        load = {
            k: max(per_dir) * minutes / 60.0 / (servers * hours)
            for k, (minutes, servers, hours) in stages.items()
        }
        configured = config.trucks_per_day if arrivals is None else sum(per_dir)
        return out | {
            "configured_per_day": configured,
            "seasonal_factor": factor,
            "offered_per_day": sum(_border_demand(config, days, arrivals)[0]),
            "offered_load": load,
        }
    if isinstance(config, RailConfig):
        share = max(config.share_az_to_ir, 1.0 - config.share_az_to_ir)
        busy_dir = config.wagons_per_day * share
        hours = open_hours_per_day(config.open_from_hour, config.open_to_hour)
        rail_load = {
            "inspection": busy_dir
            * config.inspection_hours
            / (config.inspection_teams_per_direction * hours),
            "transshipment": busy_dir
            * config.transshipment_hours
            / (config.transshipment_tracks_per_direction * hours),
        }
        return {
            "configured_per_day": config.wagons_per_day,
            "seasonal_factor": 1.0,
            "offered_per_day": config.wagons_per_day,
            "offered_load": rail_load,
        }
    lot = config.wagon_payload_t
    import_lots = config.import_ships_per_day * math.ceil(config.vessel_payload_t / lot - 1e-9)
    track_hours = (
        config.export_wagons_per_day * config.wagon_unload_hours
        + import_lots * config.wagon_load_hours
    )
    export_t = config.export_wagons_per_day * lot
    import_t = config.import_ships_per_day * config.vessel_payload_t
    berth_hours = (
        export_t / config.general_ship_load_t_per_hour
        + import_t / config.grain_ship_discharge_t_per_hour
    )
    return {
        "configured_per_day": config.export_wagons_per_day,
        "seasonal_factor": 1.0,
        "offered_per_day": config.export_wagons_per_day,
        "offered_load": {
            "rail_tracks": track_hours / (24.0 * config.rail_tracks),
            "berths": berth_hours / (24.0 * config.berths),
        },
    }


def run_size(
    model: str,
    config: Config,
    *,
    days: float,
    replications: int,
    arrivals: tuple[np.ndarray, np.ndarray] | None = None,
) -> RunSize:
    """Estimated size of a run, for :func:`~caspian.simulation.limits.check_run_size`."""
    if isinstance(config, BorderConfig):
        if arrivals is not None:
            n = float((arrivals[0] < 24.0 * days).sum())
        else:
            n = config.trucks_per_day * days
            n *= seasonal_factor(days, config.month_profile, config.start_month)
        return tandem_size(
            model,
            entities_per_replication=n,
            stations_visited=5.0 + config.inspection_share,
            stations=6,
            replications=replications,
        )
    if isinstance(config, RailConfig):
        return tandem_size(
            model,
            entities_per_replication=config.wagons_per_day * days,
            stations_visited=2.0,
            stations=2,
            replications=replications,
        )
    lots = math.ceil(config.vessel_payload_t / config.wagon_payload_t - 1e-9)
    return port_size(
        export_wagons=config.export_wagons_per_day * days,
        import_ships=config.import_ships_per_day * days,
        lots_per_ship=float(lots),
        days=days,
        replications=replications,
    )


def _stage_warnings(info: dict[str, Any], unit: str) -> list[str]:
    out: list[str] = []
    over = {k: v for k, v in info["offered_load"].items() if v >= 1.0}
    near = {k: v for k, v in info["offered_load"].items() if NEAR_CAPACITY <= v < 1.0}
    if over:
        stages = ", ".join(f"{k} {v:.0%}" for k, v in sorted(over.items(), key=lambda x: -x[1]))
        out.append(
            f"OVERLOADED: the offered load exceeds the capacity of {stages} "
            f"(at {info['offered_per_day']:,.0f} {unit}/day offered). The queue grows "
            "without bound: the longer the run, the longer the times, and times count only "
            f"{unit} that got through. Add capacity or lower the traffic."
        )
    if near:
        stages = ", ".join(f"{k} {v:.0%}" for k, v in near.items())
        out.append(f"near capacity: {stages} of capacity; queues are long and slow to settle")
    eq = info.get("equeue_load")
    if eq is not None and eq >= 1.0:
        out.append(
            f"OVERLOADED e-queue: bookings are {eq:.0%} of the appointment slots, so the "
            "wait for a slot (appointment_delay_mean_hours) grows without bound"
        )
    return out


def run_warnings(
    result: SimulationResult,
    info: dict[str, Any],
    *,
    unit: str,
) -> list[str]:
    """Warnings for a finished run: overload, unfinished work, too few replications."""
    out = _stage_warnings(info, unit)
    flow = result.flow
    arrived = flow.get("arrived", 0)
    unfinished = arrived - flow.get("exited", 0)
    if arrived and unfinished / arrived > 0.1:
        out.append(
            f"{unfinished / arrived:.0%} of the {unit} that arrived had not left at the end "
            "of the run (still queuing or inside): the times shown count only those that "
            "left and understate delays; lengthen --days or reduce the load"
        )
    deferred = flow.get("booked_beyond_horizon", 0)
    if deferred:
        out.append(
            f"{deferred / result.replications:,.0f} {unit} per replication booked an e-queue "
            "slot after the end of the run and were not simulated"
        )
    if result.replications < MIN_REPLICATIONS_FOR_CI:
        n = result.replications
        ci = "no confidence interval" if n == 1 else "rough 95% intervals"
        out.append(
            f"only {n} replication{'s' if n > 1 else ''}: {ci}; "
            f"use --replications {MIN_REPLICATIONS_FOR_CI} or more"
        )
    return out
