"""Fast event-driven kernel for a tandem network of multi-server FCFS stations.

The kernel is compiled with numba. It takes pre-sampled inputs (arrival times, directions,
service times, which stations each entity visits) so that it is deterministic and so that the
plain-SimPy reference in :mod:`caspian.simulation.reference` can be fed exactly the same samples.

Model
-----
* Entities (trucks, wagons) arrive at sorted ``arrival_hours`` with a direction ``0`` or ``1``.
* Each direction has a finite holding area (``parking_capacity``); while it is full, entities
  wait on the road in FIFO order. A place is taken before the first station and freed after
  the last one.
* Stations are visited in order; an entity skips stations where ``visits`` is false.
* Station ``k`` for direction ``d`` is served by pool ``pool_of[k, d]``; two directions share
  a pool when both map to the same index. A pool has ``pool_servers[p]`` identical servers and
  one FIFO queue.
* A server starts a service only while its pool is open (``open_from <= hour of day < open_to``,
  wrapping past midnight when ``open_from > open_to``); a service that has started runs to the end
  even past closing time (officers finish the truck in front of them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["simulate_tandem"]

_ARRIVAL = 0
_SERVICE_END = 1
_OPEN = 2
_EPS_HOURS = 1e-9


@njit(cache=True)
def _is_open(t: float, open_from: float, open_to: float) -> bool:
    if open_to - open_from >= 24.0:
        return True
    hour: float = t - 24.0 * np.floor(t / 24.0)
    if open_from <= open_to:
        return open_from <= hour < open_to
    return hour >= open_from or hour < open_to


@njit(cache=True)
def _next_open(t: float, open_from: float) -> float:
    day: float = np.floor(t / 24.0)
    candidate = day * 24.0 + open_from
    if candidate <= t + _EPS_HOURS:
        candidate += 24.0
    return candidate


@njit(cache=True)
def _heap_push(
    h_time: np.ndarray,
    h_seq: np.ndarray,
    h_kind: np.ndarray,
    h_a: np.ndarray,
    h_b: np.ndarray,
    size: int,
    seq: int,
    t: float,
    kind: int,
    a: int,
    b: int,
) -> int:
    i = size
    h_time[i] = t
    h_seq[i] = seq
    h_kind[i] = kind
    h_a[i] = a
    h_b[i] = b
    while i > 0:
        parent = (i - 1) // 2
        if h_time[parent] < h_time[i] or (h_time[parent] == h_time[i] and h_seq[parent] < h_seq[i]):
            break
        h_time[parent], h_time[i] = h_time[i], h_time[parent]
        h_seq[parent], h_seq[i] = h_seq[i], h_seq[parent]
        h_kind[parent], h_kind[i] = h_kind[i], h_kind[parent]
        h_a[parent], h_a[i] = h_a[i], h_a[parent]
        h_b[parent], h_b[i] = h_b[i], h_b[parent]
        i = parent
    return size + 1


@njit(cache=True)
def _heap_pop(
    h_time: np.ndarray,
    h_seq: np.ndarray,
    h_kind: np.ndarray,
    h_a: np.ndarray,
    h_b: np.ndarray,
    size: int,
) -> int:
    last = size - 1
    h_time[0] = h_time[last]
    h_seq[0] = h_seq[last]
    h_kind[0] = h_kind[last]
    h_a[0] = h_a[last]
    h_b[0] = h_b[last]
    size = last
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        right = left + 1
        if right < size and (
            h_time[right] < h_time[left]
            or (h_time[right] == h_time[left] and h_seq[right] < h_seq[left])
        ):
            child = right
        if h_time[i] < h_time[child] or (h_time[i] == h_time[child] and h_seq[i] < h_seq[child]):
            break
        h_time[child], h_time[i] = h_time[i], h_time[child]
        h_seq[child], h_seq[i] = h_seq[i], h_seq[child]
        h_kind[child], h_kind[i] = h_kind[i], h_kind[child]
        h_a[child], h_a[i] = h_a[i], h_a[child]
        h_b[child], h_b[i] = h_b[i], h_b[child]
        i = child
    return size


@njit(cache=True)
def _kernel(
    arrival_hours: np.ndarray,
    direction: np.ndarray,
    service_hours: np.ndarray,
    visits: np.ndarray,
    pool_of: np.ndarray,
    pool_servers: np.ndarray,
    pool_open_from: np.ndarray,
    pool_open_to: np.ndarray,
    parking_capacity: np.ndarray,
    until_hours: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    n = arrival_hours.shape[0]
    n_stations = service_hours.shape[1]
    n_pools = pool_servers.shape[0]
    nan = np.nan

    entry = np.full(n, nan)
    start = np.full((n, n_stations), nan)
    end = np.full((n, n_stations), nan)
    queued = np.full((n, n_stations), nan)
    exit_ = np.full(n, nan)

    free = pool_servers.copy()
    q_buf = np.empty((n_pools, max(n, 1)), dtype=np.int64)
    q_stn = np.empty((n_pools, max(n, 1)), dtype=np.int64)  # station each queued entity waits for
    q_head = np.zeros(n_pools, dtype=np.int64)
    q_len = np.zeros(n_pools, dtype=np.int64)
    open_pending = np.zeros(n_pools, dtype=np.bool_)

    road_buf = np.empty((2, max(n, 1)), dtype=np.int64)
    road_head = np.zeros(2, dtype=np.int64)
    road_len = np.zeros(2, dtype=np.int64)
    parked = np.zeros(2, dtype=np.int64)

    # at most one service end per busy server and one opening per pool are pending at once,
    # and no more servers can be busy than there are entities
    cap = min(int(pool_servers.sum()), n) + n_pools + 4
    h_time = np.empty(cap)
    h_seq = np.empty(cap, dtype=np.int64)
    h_kind = np.empty(cap, dtype=np.int64)
    h_a = np.empty(cap, dtype=np.int64)
    h_b = np.empty(cap, dtype=np.int64)
    size = 0
    seq = 0
    events = 0

    # entities to route onward at the current instant (entity, station just finished)
    pend_e = np.empty(n + 2, dtype=np.int64)
    pend_k = np.empty(n + 2, dtype=np.int64)

    i_next = 0
    while True:
        t_arr = arrival_hours[i_next] if i_next < n else np.inf
        t_ev = h_time[0] if size > 0 else np.inf
        if t_arr == np.inf and t_ev == np.inf:
            break
        n_pend = 0
        if t_arr <= t_ev:
            t = t_arr
            if t > until_hours:
                break
            e = i_next
            i_next += 1
            events += 1
            d = direction[e]
            if parked[d] < parking_capacity[d] and road_len[d] == 0:
                parked[d] += 1
                entry[e] = t
                pend_e[0] = e
                pend_k[0] = -1
                n_pend = 1
            else:
                road_buf[d, (road_head[d] + road_len[d]) % n] = e
                road_len[d] += 1
        else:
            t = t_ev
            if t > until_hours:
                break
            kind = h_kind[0]
            a = h_a[0]
            b = h_b[0]
            size = _heap_pop(h_time, h_seq, h_kind, h_a, h_b, size)
            events += 1
            if kind == _SERVICE_END:
                e = a
                k = b
                p = pool_of[k, direction[e]]
                end[e, k] = t
                free[p] += 1
                if q_len[p] > 0:
                    if _is_open(t, pool_open_from[p], pool_open_to[p]):
                        nxt = q_buf[p, q_head[p]]
                        kn = q_stn[p, q_head[p]]
                        q_head[p] = (q_head[p] + 1) % n
                        q_len[p] -= 1
                        free[p] -= 1
                        start[nxt, kn] = t
                        size = _heap_push(
                            h_time, h_seq, h_kind, h_a, h_b, size, seq,
                            t + service_hours[nxt, kn], _SERVICE_END, nxt, kn,
                        )  # fmt: skip
                        seq += 1
                    elif not open_pending[p]:
                        open_pending[p] = True
                        size = _heap_push(
                            h_time, h_seq, h_kind, h_a, h_b, size, seq,
                            _next_open(t, pool_open_from[p]), _OPEN, p, k,
                        )  # fmt: skip
                        seq += 1
                pend_e[0] = e
                pend_k[0] = k
                n_pend = 1
            else:  # _OPEN: start as many queued entities as there are free servers
                p = a
                open_pending[p] = False
                while free[p] > 0 and q_len[p] > 0:
                    nxt = q_buf[p, q_head[p]]
                    kn = q_stn[p, q_head[p]]
                    q_head[p] = (q_head[p] + 1) % n
                    q_len[p] -= 1
                    free[p] -= 1
                    start[nxt, kn] = t
                    size = _heap_push(
                        h_time, h_seq, h_kind, h_a, h_b, size, seq,
                        t + service_hours[nxt, kn], _SERVICE_END, nxt, kn,
                    )  # fmt: skip
                    seq += 1

        # route entities onward; an exit can admit a truck from the road at the same instant
        j = 0
        while j < n_pend:
            e = pend_e[j]
            k = pend_k[j] + 1
            j += 1
            while k < n_stations and not visits[e, k]:
                k += 1
            d = direction[e]
            if k == n_stations:
                exit_[e] = t
                parked[d] -= 1
                if road_len[d] > 0 and parked[d] < parking_capacity[d]:
                    r = road_buf[d, road_head[d]]
                    road_head[d] = (road_head[d] + 1) % n
                    road_len[d] -= 1
                    parked[d] += 1
                    entry[r] = t
                    pend_e[n_pend] = r
                    pend_k[n_pend] = -1
                    n_pend += 1
                continue
            p = pool_of[k, d]
            queued[e, k] = t
            is_open = _is_open(t, pool_open_from[p], pool_open_to[p])
            if free[p] > 0 and q_len[p] == 0 and is_open:
                free[p] -= 1
                start[e, k] = t
                size = _heap_push(
                    h_time, h_seq, h_kind, h_a, h_b, size, seq,
                    t + service_hours[e, k], _SERVICE_END, e, k,
                )  # fmt: skip
                seq += 1
            else:
                q_buf[p, (q_head[p] + q_len[p]) % n] = e
                q_stn[p, (q_head[p] + q_len[p]) % n] = k
                q_len[p] += 1
                if not is_open and not open_pending[p] and free[p] > 0:
                    open_pending[p] = True
                    size = _heap_push(
                        h_time, h_seq, h_kind, h_a, h_b, size, seq,
                        _next_open(t, pool_open_from[p]), _OPEN, p, k,
                    )  # fmt: skip
                    seq += 1
    return entry, queued, start, end, exit_, events


def simulate_tandem(
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
    """Run the compiled tandem-network kernel on pre-sampled inputs.

    Parameters
    ----------
    arrival_hours
        Sorted arrival times (hours from the start), shape ``(n,)``.
    direction
        Direction ``0`` or ``1`` of each entity, shape ``(n,)``.
    service_hours
        Service time of each entity at each station, shape ``(n, k)``.
    visits
        Whether each entity visits each station, shape ``(n, k)``.
    pool_of
        Pool index of each station and direction, shape ``(k, 2)``.
    pool_servers, pool_open_from, pool_open_to
        Per pool: number of servers and daily opening hours (``0`` and ``24`` mean always open).
    parking_capacity
        Holding-area places per direction, shape ``(2,)``.
    until_hours
        Stop time; entities still inside keep ``NaN`` exit times.

    Returns
    -------
    tuple
        ``(entry, queued, start, end, exit, events)``: entry to the holding area, arrival at
        each station's queue, service start and end per station (``NaN`` where skipped or not
        reached), exit time, and the number of events processed.
    """
    n = arrival_hours.shape[0]
    if n and np.any(np.diff(arrival_hours) < 0):
        raise ValueError("arrival_hours must be sorted")
    result: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int] = _kernel(
        np.ascontiguousarray(arrival_hours, dtype=np.float64),
        np.ascontiguousarray(direction, dtype=np.int64),
        np.ascontiguousarray(service_hours, dtype=np.float64),
        np.ascontiguousarray(visits, dtype=np.bool_),
        np.ascontiguousarray(pool_of, dtype=np.int64),
        np.ascontiguousarray(pool_servers, dtype=np.int64),
        np.ascontiguousarray(pool_open_from, dtype=np.float64),
        np.ascontiguousarray(pool_open_to, dtype=np.float64),
        np.ascontiguousarray(parking_capacity, dtype=np.int64),
        float(until_hours),
    )
    return result
