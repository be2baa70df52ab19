"""Read and validate an origin–destination demand table (``demand.csv`` + ``demand_zones.csv``).

Validation happens here, once: every problem names the file, the row (as a spreadsheet numbers
it: the header is row 1), the column, the bad value and what would be valid, and all problems
found are reported together. Nothing is returned half-loaded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import process

from caspian.errors import DataError
from caspian.io.columns import CellError, Column, boolean, choice, ident, number, text
from caspian.io.tables import BUNDLED_DATA_DIR, Problems, read_table
from caspian.model.demand import (
    DEMAND_GROUPS,
    Demand,
    DemandRow,
    Zone,
    ZoneMember,
    group_of,
)
from caspian.model.network import Network

__all__ = [
    "DEMAND_COLUMNS",
    "DEMAND_FILE",
    "MAX_YEAR",
    "MIN_YEAR",
    "SHARE_TOLERANCE",
    "ZONES_FILE",
    "ZONE_COLUMNS",
    "load_demand",
]

DEMAND_FILE = "demand.csv"
ZONES_FILE = "demand_zones.csv"
MIN_YEAR = 1990
MAX_YEAR = 2100
SHARE_TOLERANCE = 0.001
"""How far a zone's shares may sum from 1 (rounding of shares written with 3 decimals)."""
MAX_REPORTED = 25
MAX_CELL_SHOWN = 80


def _year(value: str) -> int:
    try:
        out = float(value)
    except ValueError:
        raise CellError(f"expected a year such as 2023 ({MIN_YEAR}–{MAX_YEAR})") from None
    if not math.isfinite(out) or out != int(out) or not MIN_YEAR <= out <= MAX_YEAR:
        raise CellError(f"expected a whole year between {MIN_YEAR} and {MAX_YEAR}")
    return int(out)


_TONNES = number(minimum=0, maximum=1e10)
_SHARE = number(minimum=0, exclusive_min=True, maximum=1)
_COMMON = (
    Column("source", text),
    Column("estimate", boolean, required=False, default=False),
    Column("note", text, required=False, default=""),
)
DEMAND_COLUMNS: tuple[Column, ...] = (
    Column("id", ident),
    Column("year", _year),
    Column("origin", ident),
    Column("destination", ident),
    Column("commodity", ident),
    Column("group", choice(tuple(DEMAND_GROUPS))),
    Column("tonnes_per_year", _TONNES),
    Column("tonnes_low", _TONNES),
    Column("tonnes_high", _TONNES),
    Column("basis", text),
    *_COMMON,
)
"""The columns of ``demand.csv`` (docs/demand.md describes each)."""
ZONE_COLUMNS: tuple[Column, ...] = (
    Column("zone", ident),
    Column("name_en", text),
    Column("node", ident),
    Column("share", _SHARE),
    Column("share_low", _SHARE, required=False),
    Column("share_high", _SHARE, required=False),
    Column("source", text),
    Column("estimate", boolean, required=False, default=True),
    Column("note", text, required=False, default=""),
)
"""The columns of ``demand_zones.csv``: one row per (zone, member node)."""

Row = dict[str, Any]


def _closest(value: str, valid: Sequence[str], limit: int = 5) -> str:
    hits = process.extract(value[:80], sorted(valid), limit=limit)
    return ", ".join(h[0] for h in hits) if hits else "(none)"


def _build_zones(
    path: Path, network: Network, problems: Problems
) -> tuple[dict[str, Zone], set[str]]:
    """The valid zones, and the ids of every zone the file defines (valid or not)."""
    name = path.name
    members: dict[str, list[ZoneMember]] = {}
    first: dict[str, Row] = {}
    broken: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    for row_no, r in read_table(path, problems, ZONE_COLUMNS):
        zone, node = r["zone"], r["node"]
        first.setdefault(zone, r | {"row": row_no})
        found: list[tuple[str, str]] = []
        if zone in network.nodes:
            found.append(("zone", f"'{zone}' is a node id; give the zone group another id"))
        if node not in network.nodes:
            closest = _closest(node, list(network.nodes))
            found.append(("node", f"unknown node '{node}'; closest: {closest}"))
        if (zone, node) in seen:
            found.append(("node", f"'{node}' is already in zone '{zone}' (row {seen[zone, node]})"))
        seen.setdefault((zone, node), row_no)
        low, high = r["share_low"], r["share_high"]
        if (low is not None and low > r["share"]) or (high is not None and high < r["share"]):
            found.append(
                (
                    "share",
                    f"share {r['share']:g} is outside its range {low}–{high}; "
                    "need share_low ≤ share ≤ share_high",
                )
            )
        for column, message in found:
            problems.add(name, row_no, column, message)
        if found:
            broken.add(zone)
        members.setdefault(zone, []).append(ZoneMember(node, r["share"], low, high))
    zones: dict[str, Zone] = {}
    for zone, parts in members.items():
        total = math.fsum(m.share for m in parts)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.add(
                name,
                first[zone]["row"],
                "share",
                f"the shares of zone '{zone}' sum to {total:.4f}; they must sum to 1",
            )
            broken.add(zone)
        if zone in broken:
            continue
        r = first[zone]
        zones[zone] = Zone(
            id=zone,
            name_en=r["name_en"],
            members=tuple(parts),
            source=r["source"],
            estimate=r["estimate"],
            note=r["note"],
        )
    return zones, set(first)


def _zone_ref(
    name: str,
    row_no: int,
    column: str,
    value: str,
    network: Network,
    zones: Mapping[str, Zone],
    problems: Problems,
    defined: set[str],
) -> bool:
    if value in network.nodes or value in zones:
        return True
    if value in defined:  # the zone's own rows are wrong; that is reported already
        return False
    valid = [*network.nodes, *zones]
    problems.add(
        name,
        row_no,
        column,
        f"unknown zone '{value}'; a zone is a node id of nodes.csv or a zone of {ZONES_FILE}; "
        f"closest: {_closest(value, valid)}",
    )
    return False


def _row_problems(r: Row, network: Network) -> list[tuple[str, str]]:
    """Checks of one row's values against each other and the network's commodities."""
    out: list[tuple[str, str]] = []
    if r["commodity"] not in network.commodities:
        out.append(
            (
                "commodity",
                f"unknown commodity '{r['commodity']}'; it must be an id of commodities.csv; "
                f"closest: {_closest(r['commodity'], list(network.commodities))}",
            )
        )
    else:
        home = group_of(r["commodity"])
        if home is not None and home != r["group"]:
            out.append(
                (
                    "group",
                    f"commodity '{r['commodity']}' belongs to group '{home}', not "
                    f"'{r['group']}'; group '{r['group']}' holds: "
                    + ", ".join(DEMAND_GROUPS[r["group"]]),
                )
            )
    low, mid, high = r["tonnes_low"], r["tonnes_per_year"], r["tonnes_high"]
    if not low <= mid <= high:
        out.append(
            (
                "tonnes_low" if low > mid else "tonnes_high",
                f"need tonnes_low ≤ tonnes_per_year ≤ tonnes_high; got {low:g} ≤ {mid:g} "
                f"≤ {high:g}",
            )
        )
    elif r["estimate"] and mid > 0 and low == high:
        out.append(
            (
                "tonnes_low",
                "an estimate must carry a range: give tonnes_low < tonnes_high "
                "(or set estimate=no for a published point figure)",
            )
        )
    return out


def _build_rows(
    path: Path,
    network: Network,
    zones: Mapping[str, Zone],
    problems: Problems,
    defined: set[str],
) -> list[DemandRow]:
    name = path.name
    rows: list[DemandRow] = []
    ids: dict[str, int] = {}
    keys: dict[tuple[int, str, str, str], int] = {}
    for row_no, r in read_table(path, problems, DEMAND_COLUMNS):
        ok = True
        if r["id"] in ids:
            problems.add(
                name, row_no, "id", f"duplicate '{r['id']}' (first used in row {ids[r['id']]})"
            )
            ok = False
        ids.setdefault(r["id"], row_no)
        for column in ("origin", "destination"):
            ok &= _zone_ref(name, row_no, column, r[column], network, zones, problems, defined)
        for column, message in _row_problems(r, network):
            problems.add(name, row_no, column, message)
            ok = False
        if not ok:
            continue
        ends = [
            {m.node for m in (zones[z].members if z in zones else (ZoneMember(z, 1.0),))}
            for z in (r["origin"], r["destination"])
        ]
        shared = sorted(ends[0] & ends[1])
        if shared:
            problems.add(
                name,
                row_no,
                "destination",
                f"origin '{r['origin']}' and destination '{r['destination']}' share node(s) "
                f"{', '.join(shared)}; a flow must leave its origin",
            )
            continue
        key = (r["year"], r["origin"], r["destination"], r["commodity"])
        if key in keys:
            problems.add(
                name,
                row_no,
                "commodity",
                f"same year, origin, destination and commodity as row {keys[key]}; "
                "merge the two rows (or they would be counted twice)",
            )
            continue
        keys[key] = row_no
        rows.append(
            DemandRow(
                id=r["id"],
                year=r["year"],
                origin=r["origin"],
                destination=r["destination"],
                commodity=r["commodity"],
                group=r["group"],
                tonnes_per_year=r["tonnes_per_year"],
                tonnes_low=r["tonnes_low"],
                tonnes_high=r["tonnes_high"],
                basis=r["basis"],
                source=r["source"],
                estimate=r["estimate"],
                note=r["note"],
            )
        )
    return rows


def _default_year(rows: Sequence[DemandRow]) -> int:
    """The year with the most rows (the latest on a tie)."""
    counts = Counter(r.year for r in rows)
    return max(counts, key=lambda y: (counts[y], y))


def _paths(path: str | Path | None, zones: str | Path | None) -> tuple[Path, Path | None]:
    if path is None:
        table = BUNDLED_DATA_DIR / DEMAND_FILE
    else:
        table = Path(path)
        if table.is_dir():
            table = table / DEMAND_FILE
            if not table.exists():
                raise DataError(f"folder '{table.parent}' has no {DEMAND_FILE}")
    if zones is not None:
        return table, Path(zones)
    beside = table.parent / ZONES_FILE
    if beside.exists():
        return table, beside
    return table, None


def load_demand(
    network: Network,
    path: str | Path | None = None,
    *,
    year: int | None = None,
    zones: str | Path | None = None,
) -> Demand:
    """Load and validate an origin–destination demand table for one year.

    Parameters
    ----------
    network
        The network whose node and commodity ids the table must use.
    path
        A ``demand.csv`` file or a folder holding one (default: the bundled table).
    year
        The year to load (default: the year with the most rows, the latest on a tie).
    zones
        The zone-group table (default: ``demand_zones.csv`` beside the demand table; without
        one, only node ids can be zones).

    Returns
    -------
    Demand
        The rows of ``year`` and the zones they use.

    Raises
    ------
    DataError
        Listing every problem found, each with file, row, column, value and what is valid;
        or a year with no rows (with the years the table has).

    Examples
    --------
    >>> from caspian.io.tables import load_network
    >>> demand = load_demand(load_network(), year=2023)
    >>> demand.year, demand.total_tonnes() > 0
    (2023, True)
    """
    table, zone_path = _paths(path, zones)
    problems = Problems([])
    zone_map: dict[str, Zone] = {}
    defined: set[str] = set()
    if zone_path is not None:
        zone_map, defined = _build_zones(zone_path, network, problems)
    rows = _build_rows(table, network, zone_map, problems, defined)
    problems.raise_titled(
        "the demand table " + (str(table) if zone_path is None else f"{table} (zones: {zone_path})")
    )
    if not rows:
        raise DataError(f"{table}: the demand table has no rows")
    years = tuple(sorted({r.year for r in rows}))
    chosen = _default_year(rows) if year is None else year
    if chosen not in years:
        raise DataError(
            f"{table}: no demand rows for year {chosen}; years in the table: "
            + ", ".join(str(y) for y in years)
        )
    picked = tuple(r for r in rows if r.year == chosen)
    used = {z for r in picked for z in (r.origin, r.destination)}
    return Demand(
        year=chosen,
        rows=picked,
        zones={z: zone_map[z] for z in sorted(used) if z in zone_map},
        node_ids=tuple(network.nodes),
        node_countries={n.id: n.country for n in network.nodes.values()},
        source=str(table),
        available_years=years,
    )
