"""Route options and their validation: every caller (CLI, library, web) gets the same checks.

Checks that need nothing but the numbers run when :class:`RouteOptions` is built; checks
that need the network (places, countries) run in :func:`check_options`, called by
:func:`caspian.routing.query.prepare_query`. Non-finite numbers (NaN, ±inf) are always
refused: ``--max-hours inf`` would silently switch off a perishable's shelf-life limit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Real

from caspian.errors import ValidationError
from caspian.model.network import MODES, Network, Node
from caspian.model.places import resolve_place

__all__ = [
    "MAX_CONSTRAINTS",
    "MAX_SHIPMENT_T",
    "RouteOptions",
    "check_number",
    "check_options",
    "check_places",
    "check_tonnes",
]

MAX_SHIPMENT_T = 10_000_000.0
"""Largest shipment accepted (t); larger figures are almost surely a unit mistake."""

MAX_CONSTRAINTS = 5
"""Most required mode groups and via places together (the exact search has 2**k layers)."""

_VALID_MODES = f"Valid modes: {', '.join(MODES)}."


def check_number(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    positive: bool = False,
    maximum: float | None = None,
) -> float:
    """Return ``value`` as a float if it is a finite real number within the bounds.

    Parameters
    ----------
    value
        The number to check (``bool`` and strings are refused, not converted).
    name
        How the user knows the option, used in the message (e.g. ``"--max-hours"``).
    minimum, maximum
        Inclusive bounds, if any.
    positive
        Require ``value > 0``.

    Raises
    ------
    ValidationError
        For a non-number, NaN, ±inf or a value out of range; the message says what is valid.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValidationError(f"{name} must be a number; got {value!r:.40}")
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError(f"{name} must be a finite number; got {number}")
    if positive and number <= 0:
        raise ValidationError(f"{name} must be greater than 0; got {number:g}")
    if minimum is not None and number < minimum:
        raise ValidationError(f"{name} must be ≥ {minimum:g}; got {number:g}")
    if maximum is not None and number > maximum:
        raise ValidationError(f"{name} must be ≤ {maximum:g}; got {number:g}")
    return number


def check_tonnes(tonnes: object) -> float:
    """Validate a shipment size in tonnes (finite, > 0, at most :data:`MAX_SHIPMENT_T`)."""
    if isinstance(tonnes, bool) or not isinstance(tonnes, Real):
        raise ValidationError(f"tonnes must be a positive number; got {tonnes!r:.40}")
    value = float(tonnes)
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"tonnes must be a positive number; got {value}")
    if value > MAX_SHIPMENT_T:
        raise ValidationError(
            f"tonnes {value:g} is more than one shipment can be ({MAX_SHIPMENT_T:g} t, about "
            "a year of a large Caspian port's throughput); plan a shipment, not a yearly flow"
        )
    return value


def _names(value: object, what: str) -> tuple[str, ...]:
    """``value`` as a tuple of strings; a bare string is refused (it would split to letters)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(f"{what} must be a collection of names, not {value!r:.40}")
    items = tuple(value)
    bad = [x for x in items if not isinstance(x, str) or not x.strip()]
    if bad:
        raise ValidationError(f"{what} must be non-empty names; got {bad[0]!r:.40}")
    return items


def _check_modes(values: Iterable[str], what: str) -> None:
    bad = sorted(set(values) - set(MODES))
    if bad:
        raise ValidationError(f"Unknown mode(s) in {what}: {', '.join(bad)}. {_VALID_MODES}")


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """Options of a route query (all optional), checked when built.

    Attributes
    ----------
    modes
        Moving modes allowed (``None``: all of road, rail, sea, rail_ferry, truck_ferry).
        An empty set is refused: it would allow nothing.
    require_modes
        Groups of modes the route must use: each group by at least one link. For example
        ``(frozenset({"sea", "rail_ferry"}),)`` means "crosses the Caspian by ship" and
        ``(frozenset({"rail"}), frozenset({"sea"}))`` means "uses rail and a ship".
    via_nodes
        Places the route must pass (any order), e.g. ``("ir_caspian_port",)``. Where a
        place can only be reached and left the same way (a dead end such as Bandar Abbas),
        the route goes there and comes back, and says so in its notes.
    feeder_road_km
        When set, road links are usable only within this great-circle distance (km) of the
        origin or of the destination: pre- and on-carriage by truck around a rail or sea
        main haul.
    avoid_nodes, avoid_countries
        Places or ISO alpha-2 countries the route may not pass (not the origin or the
        destination themselves).
    include_planned
        Use planned links (e.g. the Rasht–Astara railway).
    max_transit_hours
        Door-to-door limit (finite, > 0); ``None`` takes the commodity's shelf life, if any.
    carbon_price_usd_per_t_co2e
        Adds CO2e to the generalized cost (finite, ≥ 0).

    Raises
    ------
    ValidationError
        When built with an unknown or empty mode set, a non-finite or out-of-range number,
        a bare string where a collection of names is expected, or more than
        :data:`MAX_CONSTRAINTS` required groups and via places.
    """

    modes: frozenset[str] | None = None
    require_modes: tuple[frozenset[str], ...] = ()
    via_nodes: tuple[str, ...] = ()
    feeder_road_km: float | None = None
    avoid_nodes: frozenset[str] = field(default_factory=frozenset)
    avoid_countries: frozenset[str] = field(default_factory=frozenset)
    include_planned: bool = False
    max_transit_hours: float | None = None
    carbon_price_usd_per_t_co2e: float = 0.0

    def __post_init__(self) -> None:
        if self.modes is not None:
            modes = _names(self.modes, "modes")
            if not modes:
                raise ValidationError(f"No modes allowed (--modes is empty). {_VALID_MODES}")
            _check_modes(modes, "modes")
        groups = self.require_modes
        if isinstance(groups, str | bytes) or not isinstance(groups, Iterable):
            raise ValidationError(f"require_modes must be a tuple of mode sets; got {groups!r:.40}")
        for group in groups:
            members = _names(group, "a required mode group")
            if not members:
                raise ValidationError(f"A required mode group is empty. {_VALID_MODES}")
            _check_modes(members, "require_modes")
        _names(self.via_nodes, "via places")
        _names(self.avoid_nodes, "places to avoid")
        _names(self.avoid_countries, "countries to avoid")
        if len(tuple(groups)) + len(tuple(self.via_nodes)) > MAX_CONSTRAINTS:
            raise ValidationError(
                f"at most {MAX_CONSTRAINTS} required mode groups and via places together; "
                f"got {len(tuple(groups))} + {len(tuple(self.via_nodes))}"
            )
        if not isinstance(self.include_planned, bool):
            raise ValidationError(
                f"include_planned must be true or false; got {self.include_planned!r:.40}"
            )
        if self.max_transit_hours is not None:
            check_number(self.max_transit_hours, "max transit hours (--max-hours)", positive=True)
        if self.feeder_road_km is not None:
            check_number(self.feeder_road_km, "feeder road distance (km)", minimum=0.0)
        check_number(
            self.carbon_price_usd_per_t_co2e,
            "carbon price (--carbon-price, USD per tonne CO2e)",
            minimum=0.0,
        )


def check_places(network: Network, options: RouteOptions, origin: Node, destination: Node) -> None:
    """Refuse via or avoided places that make no sense for this origin and destination.

    Raises
    ------
    ValidationError
        When a via place is the origin or the destination (every route passes them), a place
        is both passed and avoided, or the origin or destination is to be avoided.
    """
    ends = {origin.id: "origin", destination.id: "destination"}
    for node in options.via_nodes:
        if node in ends:
            raise ValidationError(
                f"--via {network.nodes[node].name_en} ({node}) is the {ends[node]}: every route "
                "passes it. Give a place between the two ends, or drop --via."
            )
    if len(set(options.via_nodes)) != len(options.via_nodes):
        seen: set[str] = set()
        twice = sorted({n for n in options.via_nodes if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
        raise ValidationError(f"--via names the same place more than once: {', '.join(twice)}")
    for node in sorted(options.avoid_nodes):
        if node in ends:
            raise ValidationError(
                f"--avoid {network.nodes[node].name_en} ({node}) is the {ends[node]}: a route "
                "cannot avoid its own ends. Drop it from --avoid."
            )
    clash = sorted(set(options.via_nodes) & options.avoid_nodes)
    if clash:
        raise ValidationError(f"cannot both pass and avoid: {', '.join(clash)}")


def check_options(network: Network, options: RouteOptions) -> None:
    """The checks of ``options`` that need the network (places and countries exist)."""
    for node in options.avoid_nodes:
        resolve_place(network, node)
    countries = {n.country for n in network.nodes.values()}
    bad = sorted(set(options.avoid_countries) - countries)
    if bad:
        raise ValidationError(
            f"Unknown country code(s) to avoid: {', '.join(bad)}. "
            f"Countries in the network: {', '.join(sorted(countries))}."
        )
