"""Plain, immutable records of the freight network.

The records carry units in their field names and the ``source`` of every figure. They hold
no engine logic; :mod:`caspian.io.tables` builds and validates them, engines read them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "CARGO_CLASSES",
    "LAYERS",
    "LINK_STATUSES",
    "MODES",
    "NODE_KINDS",
    "VEHICLES",
    "BorderRule",
    "Commodity",
    "Link",
    "ModeCost",
    "Network",
    "Node",
    "Region",
    "Service",
    "Transfer",
    "layer_of",
]

MODES: tuple[str, ...] = ("road", "rail", "sea", "rail_ferry", "truck_ferry")
LAYERS: tuple[str, ...] = ("road", "rail_1435", "rail_1520", "sea")
CARGO_CLASSES: tuple[str, ...] = ("dry_bulk", "bagged", "container", "reefer", "steel_general")
NODE_KINDS: tuple[str, ...] = (
    "city",
    "port",
    "border_crossing",
    "rail_terminal",
    "free_zone",
    "production_area",
)
LINK_STATUSES: tuple[str, ...] = ("open", "planned", "closed")
GAUGES_MM: tuple[int, ...] = (1435, 1520)
WATER_MODES: frozenset[str] = frozenset({"sea", "rail_ferry", "truck_ferry"})
VEHICLES: tuple[str, ...] = ("truck", "wagon", "teu", "parcel")
"""Units a shipment is carried in: a ``parcel`` is charged per tonne (part cargo on a ship)."""


def layer_of(mode: str, gauge_mm: int | None) -> str:
    """Return the graph layer a vehicle of ``mode`` (and rail ``gauge_mm``) runs on.

    Examples
    --------
    >>> layer_of("rail_ferry", 1520)
    'rail_1520'
    >>> layer_of("truck_ferry", None)
    'road'
    """
    if mode in ("rail", "rail_ferry"):
        return f"rail_{gauge_mm}"
    if mode == "truck_ferry":
        return "road"
    return mode


@dataclass(frozen=True, slots=True)
class Node:
    """A place: city, port, border crossing, terminal, free zone or production area."""

    id: str
    name_en: str
    name_fa: str
    aliases: tuple[str, ...]
    country: str
    kind: str
    lat: float
    lon: float
    source: str
    estimate: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A two-way infrastructure link between two nodes in one mode."""

    id: str
    from_node: str
    to_node: str
    mode: str
    distance_km: float
    gauges_mm: tuple[int, ...]
    status: str
    source: str
    capacity_t_per_year: float | None = None
    speed_kmh: float | None = None
    estimate: bool = False
    note: str = ""

    def other_end(self, node_id: str) -> str:
        """Return the end of the link that is not ``node_id``."""
        return self.to_node if node_id == self.from_node else self.from_node


@dataclass(frozen=True, slots=True)
class BorderRule:
    """Clearance of one mode in one direction at a crossing or port (``*`` = any country)."""

    node: str
    mode: str
    from_country: str
    to_country: str
    clearance_hours: float
    fee_usd_per_vehicle: float
    status: str
    source: str
    estimate: bool = False
    note: str = ""
    clearance_hours_low: float | None = None
    clearance_hours_high: float | None = None
    fee_usd_per_consignment: float = 0.0

    @property
    def clearance_range_hours(self) -> tuple[float, float]:
        """Published or estimated range of the clearance time (the value when none)."""
        return _range(self.clearance_hours, self.clearance_hours_low, self.clearance_hours_high)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A change of layer allowed at a node (both ways), for one cargo class or ``*``."""

    node: str
    from_layer: str
    to_layer: str
    method: str
    cargo_class: str
    handling_usd_per_t: float
    handling_hours: float
    co2e_kg_per_t: float
    source: str
    estimate: bool = False
    note: str = ""
    handling_hours_low: float | None = None
    handling_hours_high: float | None = None

    @property
    def handling_range_hours(self) -> tuple[float, float]:
        """Range of the handling time (the value when none is given)."""
        return _range(self.handling_hours, self.handling_hours_low, self.handling_hours_high)


@dataclass(frozen=True, slots=True)
class Service:
    """A sea or ferry service on a link.

    A *liner* (``sails_when_loaded`` false) departs ``sailings_per_week`` times each way: the
    expected wait is half the headway. A *when-loaded* ship departs when its ``payload_t``
    is filled by the ``cargo_offered_t_per_week`` on the route: a consignment of ``T`` t
    waits ``base_wait_hours`` (ship positioning and berthing) plus, on average, half the
    time the rest of the ship takes to fill (``(payload − T) / cargo offered``); see
    :meth:`wait_hours`.
    """

    id: str
    link: str
    sailings_per_week: float | None
    payload_t: float
    sails_when_loaded: bool
    operator: str
    source: str
    estimate: bool = False
    note: str = ""
    cargo_offered_t_per_week: float | None = None
    base_wait_hours: float = 0.0
    wait_hours_low: float | None = None
    wait_hours_high: float | None = None
    crossing_usd_per_vehicle: float = 0.0
    """Part of the fare per vehicle that does not grow with the distance (the ship's days
    in port, shared by the vehicles it carries); the mode's cost per t-km adds the rest."""
    return_fare_factor: float = 1.0
    """The fare from the link's ``to`` end to its ``from`` end, relative to the fare the
    other way (an operator's published tariff may differ by direction)."""
    return_ticket_factor: float = 1.0
    """A return ticket (there and back, one vehicle) relative to the two one-way fares
    (1: the operator sells none, or at no discount)."""
    return_ticket_factor_low: float | None = None
    return_ticket_factor_high: float | None = None

    @property
    def return_ticket_range(self) -> tuple[float, float]:
        """Range of :attr:`return_ticket_factor` (the value when none is given)."""
        return _range(
            self.return_ticket_factor, self.return_ticket_factor_low, self.return_ticket_factor_high
        )

    def return_ticket_usd(self, fare_usd: float, *, outbound: bool = True) -> float:
        """Price of a return ticket for one vehicle whose one-way fare is ``fare_usd``.

        ``outbound``: the fare is for the link's ``from`` → ``to`` direction (the way
        back then costs :attr:`return_fare_factor` of it); otherwise for the way back.

        Examples
        --------
        >>> s = Service("s", "l", None, 1000, True, "", "x", cargo_offered_t_per_week=1,
        ...             return_fare_factor=0.75, return_ticket_factor=0.8)
        >>> s.return_ticket_usd(1000.0), s.return_ticket_usd(750.0, outbound=False)
        (1400.0, 1400.0)
        """
        there = fare_usd if outbound else fare_usd / self.return_fare_factor
        return self.return_ticket_factor * there * (1.0 + self.return_fare_factor)

    @property
    def expected_wait_hours(self) -> float:
        """Expected wait of a small consignment (see :meth:`wait_hours`)."""
        return self.wait_hours(0.0)

    def wait_hours(self, tonnes: float) -> float:
        """Expected wait (h) for a departure of a consignment of ``tonnes``.

        Examples
        --------
        >>> s = Service("s", "l", None, 3000, True, "", "x", cargo_offered_t_per_week=1500,
        ...             base_wait_hours=24)
        >>> s.wait_hours(0.0), s.wait_hours(3000.0)
        (192.0, 24.0)
        """
        if self.sails_when_loaded and self.cargo_offered_t_per_week:
            rest_t = max(self.payload_t - tonnes, 0.0)
            fill_hours = rest_t / self.cargo_offered_t_per_week * 168.0
            return self.base_wait_hours + 0.5 * fill_hours
        if self.sailings_per_week:
            return self.base_wait_hours + 84.0 / self.sailings_per_week
        return self.base_wait_hours

    @property
    def departures_per_week(self) -> float:
        """Departures each way per week (when-loaded: cargo offered ÷ payload)."""
        if self.sails_when_loaded and self.cargo_offered_t_per_week:
            return self.cargo_offered_t_per_week / self.payload_t
        return self.sailings_per_week or 0.0


@dataclass(frozen=True, slots=True)
class ModeCost:
    """Unit costs, speed and emission intensity of one mode for one cargo class."""

    mode: str
    cargo_class: str
    cost_usd_per_tkm: float
    speed_kmh: float
    co2e_g_per_tkm: float
    vehicle_payload_t: float
    load_unload_usd_per_t: float
    load_unload_hours: float
    default_wait_hours: float
    distance_factor: float
    source: str
    estimate: bool = False
    note: str = ""
    vehicle: str = "truck"
    groupage_premium: float | None = None
    min_billable_t: float = 0.0
    empty_return_factor: float = 1.0
    cost_usd_per_tkm_low: float | None = None
    cost_usd_per_tkm_high: float | None = None

    @property
    def cost_usd_per_vehicle_km(self) -> float:
        """Line-haul cost of one loaded vehicle per km, empty return included."""
        return self.cost_usd_per_tkm * self.vehicle_payload_t * self.empty_return_factor

    @property
    def cost_range_usd_per_tkm(self) -> tuple[float, float]:
        """Range of the unit cost (the value when none is given)."""
        return _range(self.cost_usd_per_tkm, self.cost_usd_per_tkm_low, self.cost_usd_per_tkm_high)

    def vehicles_per_t(self, tonnes: float) -> float:
        """Billed vehicles per tonne shipped: whole vehicles, or groupage where cheaper.

        A lot below one vehicle pays a whole vehicle, unless groupage exists for the mode
        and cargo class: then it pays ``groupage_premium`` × its share of a vehicle (at
        least ``min_billable_t``). A ``parcel`` (part cargo on a ship) pays per tonne.

        Examples
        --------
        >>> mc = ModeCost("road", "bagged", 0.05, 60, 75, 20, 2, 2, 0, 1.05, "x",
        ...               groupage_premium=1.5, min_billable_t=2)
        >>> round(mc.vehicles_per_t(5) * 5, 3), round(mc.vehicles_per_t(30) * 30, 3)
        (0.375, 2.0)
        """
        payload = self.vehicle_payload_t
        if self.vehicle == "parcel":
            return 1.0 / payload
        whole = math.ceil(tonnes / payload - 1e-9) / tonnes
        if self.groupage_premium is not None and tonnes < payload:
            billed = max(tonnes, self.min_billable_t)
            return min(whole, self.groupage_premium * billed / payload / tonnes)
        return whole


@dataclass(frozen=True, slots=True)
class Commodity:
    """A traded good: value, cargo class, value of time and shelf life."""

    id: str
    name_en: str
    name_fa: str
    aliases: tuple[str, ...]
    hs_code: str
    cargo_class: str
    value_usd_per_t: float
    value_of_time_pct_per_day: float
    max_transit_days: float | None
    source: str
    estimate: bool = False
    note: str = ""

    @property
    def value_of_time_usd_per_t_hour(self) -> float:
        """Value of time in USD per tonne per hour."""
        return self.value_usd_per_t * self.value_of_time_pct_per_day / 100.0 / 24.0


@dataclass(frozen=True, slots=True)
class Region:
    """Road or rail operating figures of a group of countries (``regions.csv``).

    ``speed_factor`` scales the mode's moving speed (``modes.csv``) in these countries; road
    vehicles also obey a daily driving limit (``driving_hours_per_day``), so elapsed time
    is driving time × 24 / that limit. ``cost_factor`` scales the mode's cost per t-km.
    """

    region: str
    countries: tuple[str, ...]
    mode: str
    speed_factor: float
    driving_hours_per_day: float
    cost_factor: float
    source: str
    estimate: bool = False
    note: str = ""
    speed_factor_low: float | None = None
    speed_factor_high: float | None = None
    cost_factor_low: float | None = None
    cost_factor_high: float | None = None

    @property
    def elapsed_per_driving_hour(self) -> float:
        """Hours elapsed per hour of driving (rest and breaks included)."""
        return 24.0 / self.driving_hours_per_day

    @property
    def speed_factor_range(self) -> tuple[float, float]:
        """Range of the speed factor."""
        return _range(self.speed_factor, self.speed_factor_low, self.speed_factor_high)

    @property
    def cost_factor_range(self) -> tuple[float, float]:
        """Range of the cost factor."""
        return _range(self.cost_factor, self.cost_factor_low, self.cost_factor_high)


def _range(value: float, low: float | None, high: float | None) -> tuple[float, float]:
    lo = value if low is None else min(low, value)
    hi = value if high is None else max(high, value)
    return lo, hi


@dataclass(frozen=True)
class Network:
    """The whole multimodal network; build it with :func:`caspian.load_network`.

    Lookups are dictionaries keyed by id. ``name`` labels the data set (a folder or a
    scenario applied to it).
    """

    nodes: Mapping[str, Node]
    links: Mapping[str, Link]
    borders: tuple[BorderRule, ...]
    transfers: tuple[Transfer, ...]
    services: Mapping[str, Service]
    mode_costs: Mapping[tuple[str, str], ModeCost]
    commodities: Mapping[str, Commodity]
    regions: Mapping[tuple[str, str], Region] = field(default_factory=dict)
    name: str = "caspian"
    scenarios: tuple[str, ...] = field(default=())

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def with_changes(self, **changes: object) -> Network:
        """Return a copy with some fields replaced (used by scenarios)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def region_of(self, mode: str, country: str) -> Region | None:
        """The ``regions.csv`` row of ``mode`` (road or rail) in ``country``, if any."""
        for (m, _), region in self.regions.items():
            if m == mode and country in region.countries:
                return region
        return None

    def services_on(self, link_id: str) -> list[Service]:
        """Return the services that run on ``link_id``."""
        return [s for s in self.services.values() if s.link == link_id]
