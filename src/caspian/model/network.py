"""Plain, immutable records of the freight network.

The records carry units in their field names and the ``source`` of every figure. They hold
no engine logic; :mod:`caspian.io.tables` builds and validates them, engines read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

__all__ = [
    "CARGO_CLASSES",
    "LAYERS",
    "LINK_STATUSES",
    "MODES",
    "NODE_KINDS",
    "BorderRule",
    "Commodity",
    "Link",
    "ModeCost",
    "Network",
    "Node",
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


@dataclass(frozen=True, slots=True)
class Service:
    """A sea or ferry service on a link: frequency and payload."""

    id: str
    link: str
    sailings_per_week: float
    payload_t: float
    sails_when_loaded: bool
    operator: str
    source: str
    estimate: bool = False
    note: str = ""

    @property
    def expected_wait_hours(self) -> float:
        """Expected wait for a departure: half the headway between sailings."""
        return 84.0 / self.sailings_per_week


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
    name: str = "caspian"
    scenarios: tuple[str, ...] = field(default=())

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def with_changes(self, **changes: object) -> Network:
        """Return a copy with some fields replaced (used by scenarios)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def services_on(self, link_id: str) -> list[Service]:
        """Return the services that run on ``link_id``."""
        return [s for s in self.services.values() if s.link == link_id]
