"""Plain-SimPy implementation of the tandem-network model (reference for tests and benchmark).

It implements the same model as :func:`caspian.simulation.kernel.simulate_tandem` with ordinary
SimPy processes and resources, so the two can be cross-checked on identical samples.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

__all__ = ["simulate_mmc_simpy", "simulate_tandem_simpy"]


def _is_open(t: float, open_from: float, open_to: float) -> bool:
    if open_to - open_from >= 24.0:
        return True
    hour = t - 24.0 * np.floor(t / 24.0)
    if open_from <= open_to:
        return bool(open_from <= hour < open_to)
    return bool(hour >= open_from or hour < open_to)


def _next_open(t: float, open_from: float) -> float:
    candidate = float(np.floor(t / 24.0) * 24.0 + open_from)
    if candidate <= t + 1e-9:
        candidate += 24.0
    return candidate


def simulate_tandem_simpy(
    arrival_hours: np.ndarray,
    direction: np.ndarray,
    service_hours: np.ndarray,
    visits: np.ndarray,
    *,
    pool_of: np.ndarray,
    pool_servers: np.ndarray,
    pool_open_from: np.ndarray,
    pool_open_to: np.ndarray,
    parking_capacity: np.ndarray,
    until_hours: float = np.inf,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Simulate the tandem network with SimPy; same inputs and outputs as the fast kernel.

    See :func:`caspian.simulation.kernel.simulate_tandem` for the parameters. The event count
    returned is the number of SimPy events processed.
    """
    n, n_stations = service_hours.shape
    env = simpy.Environment()
    entry = np.full(n, np.nan)
    queued = np.full((n, n_stations), np.nan)
    start = np.full((n, n_stations), np.nan)
    end = np.full((n, n_stations), np.nan)
    exit_ = np.full(n, np.nan)
    parking = [simpy.Resource(env, capacity=int(min(parking_capacity[d], n + 1))) for d in (0, 1)]
    stores = [simpy.Store(env) for _ in range(len(pool_servers))]
    held: dict[int, Any] = {}

    def route(e: int, k: int) -> None:
        k += 1
        while k < n_stations and not visits[e, k]:
            k += 1
        d = int(direction[e])
        if k == n_stations:
            exit_[e] = env.now
            parking[d].release(held.pop(e))
            return
        queued[e, k] = env.now
        stores[int(pool_of[k, d])].put((e, k))

    def server(p: int) -> Generator[simpy.Event, Any, None]:
        while True:
            e, k = yield stores[p].get()
            if not _is_open(env.now, pool_open_from[p], pool_open_to[p]):
                yield env.timeout(_next_open(env.now, pool_open_from[p]) - env.now)
            start[e, k] = env.now
            yield env.timeout(service_hours[e, k])
            end[e, k] = env.now
            route(e, k)

    def truck(e: int) -> Generator[simpy.Event, Any, None]:
        req = parking[int(direction[e])].request()
        yield req
        held[e] = req
        entry[e] = env.now
        route(e, -1)

    def source() -> Generator[simpy.Event, Any, None]:
        for e in range(n):
            yield env.timeout(arrival_hours[e] - env.now)
            env.process(truck(e))

    for p, servers in enumerate(pool_servers):
        for _ in range(int(servers)):
            env.process(server(p))
    env.process(source())
    events = 0
    while True:
        t_next = env.peek()
        if t_next == float("inf") or t_next > until_hours:
            break
        env.step()
        events += 1
    return entry, queued, start, end, exit_, events


def simulate_mmc_simpy(
    arrival_hours: np.ndarray,
    service_hours: np.ndarray,
    *,
    servers: int,
    count_events: bool = False,
) -> tuple[np.ndarray, int]:
    """Textbook M/M/c (or G/G/c) FCFS queue in idiomatic SimPy; the benchmark's peer.

    Parameters
    ----------
    arrival_hours, service_hours
        Sorted arrival times and service times of each customer.
    servers
        Number of servers.
    count_events
        Step through events one by one to count them (slower); otherwise ``env.run()``.

    Returns
    -------
    tuple
        Waiting time of each customer and the number of events (0 unless counted).
    """
    env = simpy.Environment()
    resource = simpy.Resource(env, capacity=servers)
    wait = np.empty(len(arrival_hours))

    def customer(i: int) -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with resource.request() as req:
            yield req
            wait[i] = env.now - arrived
            yield env.timeout(service_hours[i])

    def source() -> Generator[simpy.Event, Any, None]:
        for i, t in enumerate(arrival_hours):
            yield env.timeout(t - env.now)
            env.process(customer(i))

    env.process(source())
    if not count_events:
        env.run()
        return wait, 0
    events = 0
    while env.peek() != float("inf"):
        env.step()
        events += 1
    return wait, events
