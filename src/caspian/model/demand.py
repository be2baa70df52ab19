"""Origin–destination freight demand: annual tonnes by commodity between zones of the network.

A :class:`Demand` holds the rows of one year of a demand table (``demand.csv``) and the zone
groups they use (``demand_zones.csv``). A zone is a network node or a named group of nodes with
shares; :meth:`Demand.flows` expands every row to node-to-node flows (tonnes × origin share ×
destination share) and :meth:`Demand.matrix` gives one commodity's origin–destination array.
:func:`apply_overlay` applies a scenario's growth and per-flow changes (pure: a new object).

The records hold no I/O; :mod:`caspian.io.demand` reads and validates the tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import process

from caspian.errors import ValidationError

__all__ = [
    "BOUNDS",
    "DEMAND_GROUPS",
    "Bound",
    "Demand",
    "DemandChange",
    "DemandOverlay",
    "DemandRow",
    "ODFlow",
    "Zone",
    "ZoneMember",
    "apply_overlay",
    "group_of",
]

DEMAND_GROUPS: Mapping[str, tuple[str, ...]] = {
    "grain": ("wheat", "barley", "maize"),
    "oilseeds": ("sunflower_seed", "linseed", "sunflower_oil"),
    "metals": ("steel", "copper"),
    "fruit_veg": ("citrus_kiwi", "fresh_vegetables"),
    "food": ("processed_food", "peanuts"),
    "tea": ("tea",),
    "rice": ("rice",),
    "flowers": ("cut_flowers", "live_plants"),
    "containers": ("general_container",),
}
"""Commodity groups of the demand table and the bundled commodities each may use.

The first commodity of a group is its representative: the one a bilateral total of the whole
group is costed as (grain → wheat, metals → steel …). A commodity of a user's own
``commodities.csv`` that is in no group here may be used under any group."""

Bound = Literal["central", "low", "high"]
BOUNDS: tuple[str, ...] = ("central", "low", "high")
"""Which figure of a row to use: ``tonnes_per_year``, ``tonnes_low`` or ``tonnes_high``."""


def group_of(commodity: str) -> str | None:
    """The demand group a bundled commodity belongs to, or ``None``.

    Examples
    --------
    >>> group_of("barley")
    'grain'
    >>> group_of("unobtainium") is None
    True
    """
    for group, members in DEMAND_GROUPS.items():
        if commodity in members:
            return group
    return None


@dataclass(frozen=True, slots=True)
class ZoneMember:
    """One node of a zone group and the share of the zone's tonnes it sends or receives."""

    node: str
    share: float
    share_low: float | None = None
    share_high: float | None = None


@dataclass(frozen=True, slots=True)
class Zone:
    """A named group of network nodes standing for a region (shares sum to 1)."""

    id: str
    name_en: str
    members: tuple[ZoneMember, ...]
    source: str
    estimate: bool = True
    note: str = ""

    @property
    def nodes(self) -> tuple[str, ...]:
        """The member node ids, in table order."""
        return tuple(m.node for m in self.members)


@dataclass(frozen=True, slots=True)
class DemandRow:
    """One published (or estimated) annual flow of a commodity between two zones."""

    id: str
    year: int
    origin: str
    destination: str
    commodity: str
    group: str
    tonnes_per_year: float
    tonnes_low: float
    tonnes_high: float
    basis: str
    source: str
    estimate: bool = False
    note: str = ""

    def tonnes(self, bound: Bound = "central") -> float:
        """The row's tonnes per year at ``bound``."""
        if bound == "low":
            return self.tonnes_low
        if bound == "high":
            return self.tonnes_high
        return self.tonnes_per_year

    def scaled(self, factor: float) -> DemandRow:
        """The row with all three tonnes figures multiplied by ``factor``."""
        return replace(
            self,
            tonnes_per_year=self.tonnes_per_year * factor,
            tonnes_low=self.tonnes_low * factor,
            tonnes_high=self.tonnes_high * factor,
        )


@dataclass(frozen=True, slots=True)
class ODFlow:
    """Tonnes per year of one commodity from one node to another (summed over rows)."""

    origin: str
    destination: str
    commodity: str
    group: str
    tonnes_per_year: float
    tonnes_low: float
    tonnes_high: float
    rows: tuple[str, ...]

    def tonnes(self, bound: Bound = "central") -> float:
        """The flow's tonnes per year at ``bound``."""
        if bound == "low":
            return self.tonnes_low
        if bound == "high":
            return self.tonnes_high
        return self.tonnes_per_year


def _check_bound(bound: str) -> None:
    if bound not in BOUNDS:
        raise ValidationError(f"bound must be one of {', '.join(BOUNDS)}; got {bound!r}")


@dataclass(frozen=True, slots=True)
class Demand:
    """The origin–destination demand of one year, in tonnes per year.

    Build it with :func:`caspian.io.demand.load_demand`. ``node_ids`` fixes the order of the
    rows and columns of every matrix (the network's node order); ``node_countries`` maps each
    node to its ISO country code (for totals by corridor).
    """

    year: int
    rows: tuple[DemandRow, ...]
    zones: Mapping[str, Zone]
    node_ids: tuple[str, ...]
    node_countries: Mapping[str, str]
    source: str = "demand.csv"
    available_years: tuple[int, ...] = ()
    scenarios: tuple[str, ...] = field(default=())

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    # ---- lookups -------------------------------------------------------------------------
    def row(self, row_id: str) -> DemandRow:
        """The row with id ``row_id``; the error lists the closest ids."""
        for r in self.rows:
            if r.id == row_id:
                return r
        raise ValidationError(
            f"no demand row '{row_id}' in {self.source} ({self.year}); closest: "
            + _closest(row_id, [r.id for r in self.rows])
        )

    def commodities(self) -> tuple[str, ...]:
        """The commodity ids with demand, sorted."""
        return tuple(sorted({r.commodity for r in self.rows}))

    def groups(self) -> tuple[str, ...]:
        """The commodity groups with demand, sorted."""
        return tuple(sorted({r.group for r in self.rows}))

    def members(self, zone: str) -> tuple[ZoneMember, ...]:
        """The nodes and shares a zone stands for (a node is a zone of itself, share 1)."""
        if zone in self.zones:
            return self.zones[zone].members
        return (ZoneMember(zone, 1.0),)

    def zone_countries(self, zone: str) -> tuple[str, ...]:
        """The countries of a zone's nodes, sorted."""
        return tuple(sorted({self.node_countries[m.node] for m in self.members(zone)}))

    # ---- node-level flows ----------------------------------------------------------------
    def flows(self, *, commodity: str | None = None) -> tuple[ODFlow, ...]:
        """Node-to-node flows: each row spread over its zones' nodes by their shares.

        Flows of the same origin, destination and commodity from several rows are summed;
        the result is sorted by (commodity, origin, destination), so it is reproducible.
        """
        acc: dict[tuple[str, str, str], list[float]] = {}
        groups: dict[tuple[str, str, str], str] = {}
        ids: dict[tuple[str, str, str], list[str]] = {}
        for r in self.rows:
            if commodity is not None and r.commodity != commodity:
                continue
            for o in self.members(r.origin):
                for d in self.members(r.destination):
                    share = o.share * d.share
                    key = (r.commodity, o.node, d.node)
                    sums = acc.setdefault(key, [0.0, 0.0, 0.0])
                    sums[0] += r.tonnes_per_year * share
                    sums[1] += r.tonnes_low * share
                    sums[2] += r.tonnes_high * share
                    groups[key] = r.group
                    ids.setdefault(key, []).append(r.id)
        return tuple(
            ODFlow(
                origin=o,
                destination=d,
                commodity=c,
                group=groups[(c, o, d)],
                tonnes_per_year=v[0],
                tonnes_low=v[1],
                tonnes_high=v[2],
                rows=tuple(dict.fromkeys(ids[(c, o, d)])),
            )
            for (c, o, d), v in sorted(acc.items())
        )

    def matrix(self, commodity: str, *, bound: Bound = "central") -> npt.NDArray[np.float64]:
        """One commodity's origin–destination array (tonnes/year), indexed by ``node_ids``.

        Raises
        ------
        ValidationError
            An unknown ``bound``; a commodity with no demand gives a zero array.
        """
        _check_bound(bound)
        index = {n: i for i, n in enumerate(self.node_ids)}
        out = np.zeros((len(self.node_ids), len(self.node_ids)), dtype=np.float64)
        for f in self.flows(commodity=commodity):
            out[index[f.origin], index[f.destination]] += f.tonnes(bound)
        return out

    def matrices(self, *, bound: Bound = "central") -> dict[str, npt.NDArray[np.float64]]:
        """Every commodity's origin–destination array, keyed by commodity id."""
        return {c: self.matrix(c, bound=bound) for c in self.commodities()}

    # ---- totals --------------------------------------------------------------------------
    def total_tonnes(self, *, bound: Bound = "central") -> float:
        """Total tonnes per year of all rows."""
        _check_bound(bound)
        return math.fsum(r.tonnes(bound) for r in self.rows)

    def totals_by_group(self, *, bound: Bound = "central") -> dict[str, float]:
        """Tonnes per year by commodity group, sorted by group."""
        _check_bound(bound)
        out: dict[str, float] = {}
        for r in sorted(self.rows, key=lambda r: r.group):
            out[r.group] = out.get(r.group, 0.0) + r.tonnes(bound)
        return out

    def totals_by_corridor(
        self, *, bound: Bound = "central", group: str | None = None
    ) -> dict[tuple[str, str], float]:
        """Tonnes per year by (origin country, destination country), largest first.

        A row whose zone spans several countries is split by its nodes' shares.
        """
        _check_bound(bound)
        out: dict[tuple[str, str], float] = {}
        for f in self.flows():
            if group is not None and f.group != group:
                continue
            key = (self.node_countries[f.origin], self.node_countries[f.destination])
            out[key] = out.get(key, 0.0) + f.tonnes(bound)
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def with_rows(self, rows: Iterable[DemandRow], *, scenario: str | None = None) -> Demand:
        """A copy with other rows (used by overlays); ``scenario`` is recorded by name."""
        extra = (scenario,) if scenario else ()
        return replace(self, rows=tuple(rows), scenarios=(*self.scenarios, *extra))


def _closest(value: str, valid: Iterable[str], limit: int = 5) -> str:
    choices = sorted(set(valid))
    if not choices:
        return "(none)"
    hits = process.extract(value[:80], choices, limit=limit)
    return ", ".join(h[0] for h in hits)


# ---- overlays ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DemandChange:
    """One change of a demand overlay: which rows (selectors) and what to do with them.

    Selectors (all given must match): ``id``, ``origin``, ``destination`` (zone ids, matched
    exactly or as a node of the row's zone), ``origin_country``, ``destination_country``,
    ``commodity``, ``group``. Action, exactly one of: ``factor`` (× tonnes), ``growth_pct``
    (+ %), ``tonnes_per_year`` (sets the matched rows' total, spread in proportion to their
    current tonnes; ``tonnes_low``/``tonnes_high`` likewise, else the range keeps its
    proportions). ``where`` names the entry in messages (``demand.changes[2]``).
    """

    where: str
    id: str | None = None
    origin: str | None = None
    destination: str | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    commodity: str | None = None
    group: str | None = None
    factor: float | None = None
    growth_pct: float | None = None
    tonnes_per_year: float | None = None
    tonnes_low: float | None = None
    tonnes_high: float | None = None
    source: str = ""
    note: str = ""

    def selectors(self) -> dict[str, str]:
        """The selectors given, by name."""
        names = (
            "id",
            "origin",
            "destination",
            "origin_country",
            "destination_country",
            "commodity",
            "group",
        )
        return {n: v for n in names if (v := getattr(self, n)) is not None}


@dataclass(frozen=True, slots=True)
class DemandOverlay:
    """A scenario's demand changes: ``growth_pct`` on every row, then ``changes`` in order."""

    growth_pct: float = 0.0
    changes: tuple[DemandChange, ...] = ()
    where: str = "demand"


def _zone_matches(demand: Demand, zone: str, wanted: str) -> bool:
    return zone == wanted or any(m.node == wanted for m in demand.members(zone))


def _matches(demand: Demand, row: DemandRow, ch: DemandChange) -> bool:
    checks = (
        ch.id is None or row.id == ch.id,
        ch.origin is None or _zone_matches(demand, row.origin, ch.origin),
        ch.destination is None or _zone_matches(demand, row.destination, ch.destination),
        ch.origin_country is None or ch.origin_country in demand.zone_countries(row.origin),
        ch.destination_country is None
        or ch.destination_country in demand.zone_countries(row.destination),
        ch.commodity is None or row.commodity == ch.commodity,
        ch.group is None or row.group == ch.group,
    )
    return all(checks)


def _check_selectors(demand: Demand, ch: DemandChange) -> None:
    """Refuse a selector naming something the demand does not have (with closest matches)."""
    zones = {z for r in demand.rows for z in (r.origin, r.destination)}
    zones |= {m.node for z in zones for m in demand.members(z)}
    countries = set(demand.node_countries.values())
    valid: dict[str, set[str]] = {
        "id": {r.id for r in demand.rows},
        "origin": zones,
        "destination": zones,
        "origin_country": countries,
        "destination_country": countries,
        "commodity": set(demand.commodities()),
        "group": set(demand.groups()),
    }
    for key, value in ch.selectors().items():
        if value not in valid[key]:
            raise ValidationError(
                f"{ch.where}.{key}: '{value}' matches nothing in the {demand.year} demand; "
                f"closest valid: {_closest(value, valid[key])}"
            )


def _spread(rows: list[DemandRow], total: float, pick: Bound) -> list[float]:
    """Spread ``total`` over ``rows`` in proportion to their ``pick`` tonnes (equally if 0)."""
    current = [r.tonnes(pick) for r in rows]
    whole = math.fsum(current)
    if whole > 0:
        return [total * c / whole for c in current]
    return [total / len(rows)] * len(rows)


def _set_total(rows: list[DemandRow], ch: DemandChange) -> list[DemandRow]:
    assert ch.tonnes_per_year is not None
    central = _spread(rows, ch.tonnes_per_year, "central")
    low = _spread(rows, ch.tonnes_low, "low") if ch.tonnes_low is not None else None
    high = _spread(rows, ch.tonnes_high, "high") if ch.tonnes_high is not None else None
    out = []
    for i, r in enumerate(rows):
        ratio = central[i] / r.tonnes_per_year if r.tonnes_per_year > 0 else 1.0
        lo = low[i] if low is not None else (r.tonnes_low * ratio if r.tonnes_per_year else 0.0)
        hi = high[i] if high is not None else (r.tonnes_high * ratio if r.tonnes_per_year else 0.0)
        lo, hi = min(lo, central[i]), max(hi, central[i])
        note = f"overlay {ch.where}: {r.tonnes_per_year:.0f} → {central[i]:.0f} t ({ch.source})"
        out.append(
            replace(
                r,
                tonnes_per_year=central[i],
                tonnes_low=lo,
                tonnes_high=hi,
                estimate=True,
                note=f"{r.note}; {note}" if r.note else note,
            )
        )
    return out


def apply_overlay(demand: Demand, overlay: DemandOverlay, *, name: str | None = None) -> Demand:
    """Return the demand with an overlay's changes applied (the input is not modified).

    ``growth_pct`` scales every row first; then each change scales or sets the rows it
    selects, in order (so a later change sees the earlier ones' result).

    Raises
    ------
    ValidationError
        A selector names no row of this demand (with the closest valid values), or a change
        selects no row.

    Examples
    --------
    >>> from caspian.io.demand import load_demand
    >>> from caspian.io.tables import load_network
    >>> base = load_demand(load_network())
    >>> grown = apply_overlay(base, DemandOverlay(growth_pct=20.0))
    >>> round(grown.total_tonnes() / base.total_tonnes(), 6)
    1.2
    """
    rows = list(demand.rows)
    if overlay.growth_pct:
        rows = [r.scaled(1.0 + overlay.growth_pct / 100.0) for r in rows]
    for ch in overlay.changes:
        _check_selectors(demand, ch)
        picked = [i for i, r in enumerate(rows) if _matches(demand, r, ch)]
        if not picked:
            shown = ", ".join(f"{k}={v}" for k, v in ch.selectors().items())
            raise ValidationError(
                f"{ch.where}: no {demand.year} demand row has all of {shown} (rows are in "
                f"{demand.source})"
            )
        if ch.tonnes_per_year is not None:
            new = _set_total([rows[i] for i in picked], ch)
        else:
            f = ch.factor if ch.factor is not None else 1.0 + (ch.growth_pct or 0.0) / 100.0
            new = [rows[i].scaled(f) for i in picked]
        for i, r in zip(picked, new, strict=True):
            rows[i] = r
    return demand.with_rows(rows, scenario=name)
