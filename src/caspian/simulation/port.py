"""Caspian Port / Anzali rail ↔ ship terminal, written in SimPy (low volumes: tens of wagons a day).

Two flows share the berths and the rail tracks:

* **rail → ship** (general cargo): loaded wagons arrive (Poisson), take a rail track, are
  unloaded into the export yard (waiting while the yard is full). One export ship at a time
  waits at anchorage for a berth, then loads from the yard in wagon-sized lots and sails
  when loaded to ``vessel_payload_t`` — ships depart when full, not on a timetable.
* **ship → rail** (grain): loaded ships arrive (Poisson), take a berth and discharge into the
  import yard in wagon-sized lots (pausing while the yard is full). Empty wagons are supplied
  on demand: each wagon-load in the yard waits for a rail track, is loaded and leaves
  (the wagon's time counts from the moment a full wagon-load is ready in the yard).

Yard dwell time follows from Little's law: mean stock divided by throughput.

With ``detail=True`` (replication 0) the run also keeps an event log (arrival, start and end
at a berth or rail track, exit of every wagon and ship), hourly queue lengths and yard
stocks; logging draws no random numbers, so it does not change the results.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from caspian.simulation.config import PortConfig
from caspian.simulation.results import PortDetail, RepOutcome

__all__ = ["PORT_GROUPS", "simulate_port_replication"]

PORT_GROUPS = ("wagons rail->ship", "wagons ship->rail", "ships export", "ships import")


class _Yard:
    """A SimPy container whose stock is sampled every ``_SAMPLE_HOURS`` by a monitor process."""

    def __init__(self, env: simpy.Environment, capacity_t: float) -> None:
        self.box = simpy.Container(env, capacity=capacity_t, init=0.0)
        self.samples: list[float] = []
        self.moved_out_t = 0.0
        self.waiting_t = 0.0  # taken from the container but still waiting for a rail track

    def put(self, tonnes: float) -> Generator[simpy.Event, Any, None]:
        yield self.box.put(tonnes)

    def get(self, tonnes: float) -> Generator[simpy.Event, Any, None]:
        yield self.box.get(tonnes)
        self.moved_out_t += tonnes

    def mean_stock(self) -> float:
        return float(np.mean(self.samples)) if self.samples else 0.0


_SAMPLE_HOURS = 0.25


def _sample(rng: np.random.Generator, mean: float, cv: float) -> float:
    if cv <= 0:
        return mean
    s2 = float(np.log1p(cv * cv))
    return float(np.exp(np.log(mean) - 0.5 * s2 + np.sqrt(s2) * rng.standard_normal()))


def _stats(times: list[float], days: float) -> dict[str, float]:
    arr = np.asarray(times, dtype=np.float64)
    if arr.size == 0:
        nan = float("nan")
        out = dict.fromkeys(("time_mean_hours", "time_p50_hours", "time_p90_hours"), nan)
        out["time_p99_hours"] = nan
    else:
        p50, p90, p99 = np.percentile(arr, [50.0, 90.0, 99.0])
        out = {
            "time_mean_hours": float(arr.mean()),
            "time_p50_hours": float(p50),
            "time_p90_hours": float(p90),
            "time_p99_hours": float(p99),
        }
    out["throughput_per_day"] = float(arr.size / days) if days > 0 else float("nan")
    return out


def simulate_port_replication(
    config: PortConfig, rng: np.random.Generator, *, days: float, detail: bool = False
) -> RepOutcome:
    """Simulate the port for ``days`` with one random generator; see the module docstring."""
    env = simpy.Environment()
    log: list[tuple[int, str, str, str, float]] = []
    ids = dict.fromkeys(PORT_GROUPS, 0)
    series: dict[str, list[float]] = {
        "wagons waiting for a rail track": [],
        "ships waiting for a berth": [],
        "export yard t": [],
        "import yard t": [],
    }

    def new_id(group: str) -> int:
        ids[group] += 1
        return ids[group] - 1

    def note(entity: int, group: str, event: str, resource: str) -> None:
        if detail:
            log.append((entity, group, event, resource, float(env.now)))

    until = 24.0 * days
    berths = simpy.Resource(env, capacity=config.berths)
    tracks = simpy.Resource(env, capacity=config.rail_tracks)
    export_yard = _Yard(env, config.export_yard_capacity_t)
    import_yard = _Yard(env, config.import_yard_capacity_t)
    done: dict[str, list[float]] = {g: [] for g in PORT_GROUPS}
    busy = {"berths": 0.0, "rail_tracks": 0.0}
    counts = {"arrived": 0, "exited": 0}
    lot = config.wagon_payload_t
    cv = config.service_cv

    def held(name: str, since: float) -> None:
        busy[name] += min(env.now, until) - min(since, until)

    def export_wagon() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        me, group = new_id("wagons rail->ship"), "wagons rail->ship"
        note(me, group, "arrival", "")
        with tracks.request() as req:
            yield req
            t0 = env.now
            note(me, group, "start", "rail_track")
            yield env.timeout(_sample(rng, config.wagon_unload_hours, cv))
            yield from export_yard.put(lot)
            held("rail_tracks", t0)
        done[group].append(env.now - arrived)
        note(me, group, "exit", "")
        counts["exited"] += 1

    def export_wagons() -> Generator[simpy.Event, Any, None]:
        rate = config.export_wagons_per_day / 24.0
        if rate <= 0:
            return
        while True:
            yield env.timeout(rng.exponential(1.0 / rate))
            counts["arrived"] += 1
            env.process(export_wagon())

    def export_ships() -> Generator[simpy.Event, Any, None]:
        while True:  # the next ship calls as soon as the previous one has sailed
            arrived = env.now
            me, group = new_id("ships export"), "ships export"
            note(me, group, "arrival", "")
            counts["arrived"] += 1
            with berths.request() as req:
                yield req
                t0 = env.now
                note(me, group, "start", "berth")
                loaded = 0.0
                while loaded < config.vessel_payload_t - 1e-9:
                    chunk = min(lot, config.vessel_payload_t - loaded)
                    yield from export_yard.get(chunk)
                    rate = config.general_ship_load_t_per_hour
                    yield env.timeout(_sample(rng, chunk / rate, cv))
                    loaded += chunk
                held("berths", t0)
            done[group].append(env.now - arrived)
            note(me, group, "exit", "")
            counts["exited"] += 1

    def import_ship() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        me, group = new_id("ships import"), "ships import"
        note(me, group, "arrival", "")
        with berths.request() as req:
            yield req
            t0 = env.now
            note(me, group, "start", "berth")
            left = config.vessel_payload_t
            while left > 1e-9:
                chunk = min(lot, left)
                rate = config.grain_ship_discharge_t_per_hour
                yield env.timeout(_sample(rng, chunk / rate, cv))
                yield from import_yard.put(chunk)
                left -= chunk
            held("berths", t0)
        done[group].append(env.now - arrived)
        note(me, group, "exit", "")
        counts["exited"] += 1

    def import_ships() -> Generator[simpy.Event, Any, None]:
        rate = config.import_ships_per_day / 24.0
        if rate <= 0:
            return
        while True:
            yield env.timeout(rng.exponential(1.0 / rate))
            counts["arrived"] += 1
            env.process(import_ship())

    def import_wagon() -> Generator[simpy.Event, Any, None]:
        ready = env.now
        me, group = new_id("wagons ship->rail"), "wagons ship->rail"
        note(me, group, "ready", "import_yard")
        with tracks.request() as req:
            yield req
            import_yard.waiting_t -= lot
            t0 = env.now
            note(me, group, "start", "rail_track")
            yield env.timeout(_sample(rng, config.wagon_load_hours, cv))
            held("rail_tracks", t0)
        done[group].append(env.now - ready)
        note(me, group, "exit", "")
        counts["exited"] += 1

    def import_dispatcher() -> Generator[simpy.Event, Any, None]:
        while True:
            yield from import_yard.get(lot)
            import_yard.waiting_t += lot
            counts["arrived"] += 1
            env.process(import_wagon())

    def monitor() -> Generator[simpy.Event, Any, None]:
        tick = 0
        while True:
            for yard in (export_yard, import_yard):
                yard.samples.append(yard.box.level + yard.waiting_t)
            if detail and tick % 4 == 0:  # hourly
                series["wagons waiting for a rail track"].append(len(tracks.queue))
                series["ships waiting for a berth"].append(len(berths.queue))
                series["export yard t"].append(export_yard.samples[-1])
                series["import yard t"].append(import_yard.samples[-1])
            tick += 1
            yield env.timeout(_SAMPLE_HOURS)

    for proc in (export_wagons, export_ships, import_ships, import_dispatcher, monitor):
        env.process(proc())
    events = 0
    while env.peek() <= until:
        env.step()
        events += 1
    groups = {g: _stats(done[g], days) for g in PORT_GROUPS}
    for name, yard in (("export", export_yard), ("import", import_yard)):
        stock = yard.mean_stock()
        rate = yard.moved_out_t / until if until > 0 else 0.0
        groups[f"yard {name}"] = {
            "mean_stock_t": stock,
            "dwell_mean_hours": stock / rate if rate > 0 else float("nan"),
            "throughput_t_per_day": rate * 24.0,
        }
    utilisation = {
        "berths": busy["berths"] / (config.berths * until) if until else float("nan"),
        "rail_tracks": busy["rail_tracks"] / (config.rail_tracks * until) if until else 0.0,
        "export_yard": export_yard.mean_stock() / config.export_yard_capacity_t,
        "import_yard": import_yard.mean_stock() / config.import_yard_capacity_t,
    }
    flow = {
        "arrived": counts["arrived"],
        "exited": counts["exited"],
        "inside_at_end": counts["arrived"] - counts["exited"],
        "on_road_at_end": 0,
    }
    extra = None
    if detail:
        grid = np.arange(len(series["export yard t"]), dtype=np.float64)
        extra = PortDetail(
            events=log,
            time_in_system={g: np.asarray(done[g], dtype=np.float64) for g in PORT_GROUPS},
            queue_grid_hours=grid,
            queue_series={
                k: np.asarray(v, dtype=np.float64) for k, v in series.items() if "waiting" in k
            },
            stock_series={
                k: np.asarray(v, dtype=np.float64) for k, v in series.items() if "yard" in k
            },
        )
    return RepOutcome(
        groups=groups, utilisation=utilisation, events=events, flow=flow, detail=extra
    )
