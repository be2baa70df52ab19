"""Capacity elements: where freight queues, how much each can take, and its delay curve.

An element is a border crossing (per direction), a port's berths (per direction: loading,
unloading), or a rail line section (per direction). Capacity is checked in vehicle units —
trucks at road borders, wagons at rail borders, ship calls at ports — and converted to
tonnes with the vehicle's load (``modes.csv`` payloads; a port's typical call size).

Delay curves. Queues at borders and berths follow M/M/c (Erlang C): with ``c`` servers (lanes,
booths, berths) open ``H`` hours a day and a capacity of ``C`` vehicles a day, one vehicle
holds a server for ``s = c·H/C`` hours and the mean wait at load ``x = flow/C`` is
``Wq(x) = ErlangC(c, c·x) · s / (c·(1 − x))``. The assignment needs a smooth, convex curve
that stays finite above capacity (demand is fixed, so an over-loaded element must still be
priced), so :func:`fit_delay_curve` fits ``Wq(x) ≈ a · x^β`` by least squares on
``log Wq`` over loads 0.5–0.97 (where queues matter) and the element's time becomes
``t(x) = t0 + a·x^β`` (BPR form with ``alpha = a / t0``). Rail line sections have no
published queueing data; they use the conventional BPR curve (``alpha = 0.15``,
``beta = 4``) on their moving time — an assumption, stated in ``docs/flows.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caspian.errors import ValidationError
from caspian.io.capacity import CapacityRow
from caspian.model.network import Network

__all__ = [
    "BPR_ALPHA",
    "BPR_BETA",
    "CapacityElement",
    "capacity_elements",
    "erlang_c",
    "fit_delay_curve",
    "mmc_wait_hours",
]

BPR_ALPHA = 0.15
BPR_BETA = 4.0
FIT_LOADS = np.linspace(0.5, 0.97, 48)
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class CapacityElement:
    """One capacity element of the flow model.

    Attributes
    ----------
    id
        ``capacity.csv`` id (or ``line_<link>`` for a rail line from ``links.csv``).
    element
        Node id (border, port) or link id (rail line).
    kind
        ``road_border``, ``rail_border``, ``port`` or ``rail_line``.
    vehicles_per_day
        Capacity per direction in vehicle units a day (trucks, wagons, ship calls; tonnes a
        day for rail lines, whose unit is the tonne).
    vehicle_t
        Tonnes per vehicle unit (a truck's or wagon's payload, a ship call's size; 1 for lines).
    vehicle
        Name of the vehicle unit.
    servers, open_hours_per_day
        Queueing servers and their opening hours (``None`` for rail lines).
    low_vehicles_per_day, high_vehicles_per_day
        The published range of the capacity, same units.
    source, estimate, note
        Where the figure comes from.
    """

    id: str
    element: str
    kind: str
    vehicles_per_day: float
    vehicle_t: float
    vehicle: str
    servers: int | None
    open_hours_per_day: float | None
    low_vehicles_per_day: float
    high_vehicles_per_day: float
    source: str
    estimate: bool
    note: str

    @property
    def tonnes_per_day(self) -> float:
        """Capacity per direction in tonnes a day."""
        return self.vehicles_per_day * self.vehicle_t

    def service_hours(self) -> float:
        """Hours one vehicle holds a server (``c·H/C``); 0 for rail lines."""
        if self.servers is None or self.open_hours_per_day is None:
            return 0.0
        return self.servers * self.open_hours_per_day / self.vehicles_per_day


def erlang_c(servers: int, offered_erlangs: float) -> float:
    """Probability of waiting in M/M/c (Erlang C), by the Erlang-B recursion.

    Examples
    --------
    >>> round(erlang_c(4, 40 / 12), 7)  # M/M/4, λ = 40/h, μ = 12/h
    0.6577217
    """
    a = offered_erlangs
    if a >= servers:
        return 1.0
    b = 1.0
    for k in range(1, servers + 1):
        b = a * b / (k + a * b)
    rho = a / servers
    return b / (1.0 - rho * (1.0 - b))


def mmc_wait_hours(servers: int, service_hours: float, load: float) -> float:
    """Mean wait in the queue (hours) of M/M/c at ``load`` = arrival rate / capacity (< 1)."""
    if not 0.0 <= load < 1.0:
        raise ValidationError(f"M/M/c load must be in [0, 1); got {load}")
    if load == 0.0:
        return 0.0
    c = servers
    return erlang_c(c, c * load) * service_hours / (c * (1.0 - load))


def fit_delay_curve(servers: int, service_hours: float) -> tuple[float, float]:
    """``(a, beta)`` of ``Wq(x) ≈ a·x^beta`` fitted to M/M/c on loads 0.5–0.97.

    ``beta`` is at least 1 so the curve stays convex (the assignment needs it).
    """
    wq = np.array([mmc_wait_hours(servers, service_hours, float(x)) for x in FIT_LOADS])
    slope, intercept = np.polyfit(np.log(FIT_LOADS), np.log(wq), 1)
    beta = max(1.0, float(slope))
    if beta != slope:  # refit the scale with beta fixed
        intercept = float(np.mean(np.log(wq) - beta * np.log(FIT_LOADS)))
    return math.exp(float(intercept)), beta


def capacity_elements(network: Network, rows: Sequence[CapacityRow]) -> tuple[CapacityElement, ...]:
    """The capacity elements of ``network``: the table's rows plus rail lines with capacity.

    A ``links.csv`` capacity is used only for links the table does not list itself.
    """
    payload = {key: m.vehicle_payload_t for key, m in network.mode_costs.items()}
    truck_t = payload.get(("road", "dry_bulk"), 20.0)
    wagon_t = payload.get(("rail", "dry_bulk"), 60.0)
    out: list[CapacityElement] = []
    listed = {str(r["element"]) for r in rows}
    for r in rows:
        kind = str(r["kind"])
        cap = float(r["capacity"])  # type: ignore[arg-type]
        low = float(r["capacity_low"] or cap)  # type: ignore[arg-type]
        high = float(r["capacity_high"] or cap)  # type: ignore[arg-type]
        if kind == "road_border":
            scale, vehicle_t, vehicle = 1.0, truck_t, "trucks"
        elif kind == "rail_border":
            scale, vehicle_t, vehicle = 1.0 / (DAYS_PER_YEAR * wagon_t), wagon_t, "wagons"
        elif kind == "port":
            call = float(r["call_size_t"])  # type: ignore[arg-type]
            # a port's capacity is for loading and unloading together; each direction gets it
            # all in the delay curve (the LP shares it exactly)
            scale, vehicle_t, vehicle = 1.0 / (DAYS_PER_YEAR * call), call, "ship calls"
        else:
            scale, vehicle_t, vehicle = 1.0 / DAYS_PER_YEAR, 1.0, "tonnes"
        servers = r["servers"]
        out.append(
            CapacityElement(
                id=str(r["id"]),
                element=str(r["element"]),
                kind=kind,
                vehicles_per_day=cap * scale,
                vehicle_t=vehicle_t,
                vehicle=vehicle,
                servers=None if servers is None else int(float(servers)),  # type: ignore[arg-type]
                open_hours_per_day=(
                    None if r["open_hours_per_day"] is None else float(r["open_hours_per_day"])  # type: ignore[arg-type]
                ),
                low_vehicles_per_day=low * scale,
                high_vehicles_per_day=high * scale,
                source=str(r["source"]),
                estimate=bool(r["estimate"]),
                note=str(r["note"]),
            )
        )
    for link in network.links.values():
        if link.mode != "rail" or link.capacity_t_per_year is None or link.id in listed:
            continue
        cap_t_day = link.capacity_t_per_year / DAYS_PER_YEAR
        out.append(
            CapacityElement(
                id=f"line_{link.id}",
                element=link.id,
                kind="rail_line",
                vehicles_per_day=cap_t_day,
                vehicle_t=1.0,
                vehicle="tonnes",
                servers=None,
                open_hours_per_day=None,
                low_vehicles_per_day=cap_t_day,
                high_vehicles_per_day=cap_t_day,
                source=f"links.csv {link.id}: {link.source}",
                estimate=link.estimate,
                note=link.note,
            )
        )
    return tuple(out)
