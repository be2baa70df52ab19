"""Load and validate the network tables (CSV) into a :class:`~caspian.model.Network`.

Validation happens once, here, at the boundary: every problem names the file, the row (as a
spreadsheet numbers it: the header is row 1), the column, the bad value and what is valid.
All problems found are reported together and nothing is returned half-loaded.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from caspian.errors import DataError, ValidationError
from caspian.io.columns import (
    CellError,
    Column,
    aliases,
    boolean,
    choice,
    country,
    gauges,
    ident,
    number,
    text,
)
from caspian.io.files import read_user_text
from caspian.model.network import (
    CARGO_CLASSES,
    LAYERS,
    LINK_STATUSES,
    MODES,
    NODE_KINDS,
    VEHICLES,
    WATER_MODES,
    BorderRule,
    Commodity,
    Link,
    ModeCost,
    Network,
    Node,
    Region,
    Service,
    Transfer,
)

__all__ = [
    "BUNDLED_DATA_DIR",
    "GREAT_CIRCLE_TOLERANCE_KM",
    "GREAT_CIRCLE_TOLERANCE_SHARE",
    "LAND_MODES",
    "TABLE_FILES",
    "Problems",
    "great_circle_km",
    "link_problems",
    "load_network",
    "network_problems",
    "parse_cells",
    "read_rows",
    "read_table",
    "table_columns",
]

BUNDLED_DATA_DIR = Path(str(files("caspian") / "data" / "caspian"))
TABLE_FILES = (
    "nodes.csv",
    "links.csv",
    "borders.csv",
    "terminals.csv",
    "services.csv",
    "modes.csv",
    "commodities.csv",
)
OPTIONAL_TABLE_FILES = ("regions.csv",)
"""Tables a data folder may leave out (the model then uses ``modes.csv`` figures alone)."""
MAX_REPORTED = 25
MAX_CELL_SHOWN = 80
MAX_PROBLEM_CHARS = 600
"""Longest single problem reported (the longest written here is about 450 characters)."""
"""Longest piece of a bad cell echoed in a message."""
LAND_MODES = ("road", "rail")
"""Modes whose links may cross a country border only at a ``border_crossing`` node."""
EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), used for great-circle distances."""
GREAT_CIRCLE_TOLERANCE_SHARE = 0.02
GREAT_CIRCLE_TOLERANCE_KM = 2.0
"""A link may be shorter than the great circle between its end nodes by at most this share of it
or this many km, whichever is larger: node coordinates are approximate (towns ±1–2 km, borders and
ports ±2–5 km), so very short stubs and sea links computed from the same coordinates need slack."""
DEFAULT_VEHICLE = {
    "road": "truck",
    "rail": "wagon",
    "sea": "parcel",
    "rail_ferry": "wagon",
    "truck_ferry": "truck",
}
"""The billing unit of a mode when ``modes.csv`` has no ``vehicle`` column."""

_COMMON = (
    Column("source", text),
    Column("estimate", boolean, required=False, default=False),
    Column("note", text, required=False, default=""),
)
_SCHEMAS: dict[str, tuple[Column, ...]] = {
    "nodes.csv": (
        Column("id", ident),
        Column("name_en", text),
        Column("name_fa", text),
        Column("aliases", aliases, required=False, default=()),
        Column("country", country()),
        Column("kind", choice(NODE_KINDS)),
        Column("lat", number(minimum=-90, maximum=90)),
        Column("lon", number(minimum=-180, maximum=180)),
        *_COMMON,
    ),
    "links.csv": (
        Column("id", ident),
        Column("from", ident),
        Column("to", ident),
        Column("mode", choice(MODES)),
        Column("distance_km", number(minimum=0, exclusive_min=True, maximum=20000)),
        Column("gauge_mm", gauges, required=False, default=()),
        Column("status", choice(LINK_STATUSES)),
        Column("capacity_t_per_year", number(minimum=0), required=False),
        Column("speed_kmh", number(minimum=0, exclusive_min=True, maximum=200), required=False),
        *_COMMON,
    ),
    "borders.csv": (
        Column("node", ident),
        Column("mode", choice(("road", "rail", "sea"))),
        Column("from_country", country(wildcard=True)),
        Column("to_country", country(wildcard=True)),
        Column("clearance_hours", number(minimum=0, maximum=24 * 60)),
        Column("fee_usd_per_vehicle", number(minimum=0)),
        Column("status", choice(("open", "closed")), required=False, default="open"),
        *_COMMON,
        Column("clearance_hours_low", number(minimum=0, maximum=24 * 60), required=False),
        Column("clearance_hours_high", number(minimum=0, maximum=24 * 60), required=False),
        Column("fee_usd_per_consignment", number(minimum=0), required=False, default=0.0),
    ),
    "terminals.csv": (
        Column("node", ident),
        Column("from_layer", choice(LAYERS)),
        Column("to_layer", choice(LAYERS)),
        Column("method", text),
        Column("cargo_class", choice((*CARGO_CLASSES, "*"))),
        Column("handling_usd_per_t", number(minimum=0)),
        Column("handling_hours", number(minimum=0, maximum=24 * 60)),
        Column("co2e_kg_per_t", number(minimum=0), required=False, default=0.0),
        *_COMMON,
        Column("handling_hours_low", number(minimum=0, maximum=24 * 60), required=False),
        Column("handling_hours_high", number(minimum=0, maximum=24 * 60), required=False),
    ),
    "services.csv": (
        Column("id", ident),
        Column("link", ident),
        Column(
            "sailings_per_week",
            number(minimum=0, exclusive_min=True, maximum=500),
            required=False,
        ),
        Column("payload_t", number(minimum=0, exclusive_min=True)),
        Column("sails_when_loaded", boolean, required=False, default=False),
        Column("operator", text, required=False, default=""),
        *_COMMON,
        Column(
            "cargo_offered_t_per_week",
            number(minimum=0, exclusive_min=True, maximum=1e7),
            required=False,
        ),
        Column("base_wait_hours", number(minimum=0, maximum=24 * 90), required=False, default=0.0),
        Column("wait_hours_low", number(minimum=0, maximum=24 * 90), required=False),
        Column("wait_hours_high", number(minimum=0, maximum=24 * 90), required=False),
        Column(
            "crossing_usd_per_vehicle", number(minimum=0, maximum=1e5), required=False, default=0.0
        ),
        Column(
            "return_fare_factor",
            number(minimum=0, exclusive_min=True, maximum=5),
            required=False,
            default=1.0,
        ),
        Column(
            "return_ticket_factor",
            number(minimum=0, exclusive_min=True, maximum=1),
            required=False,
            default=1.0,
        ),
        Column(
            "return_ticket_factor_low",
            number(minimum=0, exclusive_min=True, maximum=1),
            required=False,
        ),
        Column(
            "return_ticket_factor_high",
            number(minimum=0, exclusive_min=True, maximum=1),
            required=False,
        ),
    ),
    "modes.csv": (
        Column("mode", choice(MODES)),
        Column("cargo_class", choice(CARGO_CLASSES)),
        Column("cost_usd_per_tkm", number(minimum=0, maximum=10)),
        Column("speed_kmh", number(minimum=0, exclusive_min=True, maximum=200)),
        Column("co2e_g_per_tkm", number(minimum=0, maximum=5000)),
        Column("vehicle_payload_t", number(minimum=0, exclusive_min=True)),
        Column("load_unload_usd_per_t", number(minimum=0)),
        Column("load_unload_hours", number(minimum=0)),
        Column("default_wait_hours", number(minimum=0), required=False, default=0.0),
        Column("distance_factor", number(minimum=1, maximum=3), required=False, default=1.0),
        *_COMMON,
        Column("vehicle", choice(VEHICLES), required=False),
        Column("groupage_premium", number(minimum=1, maximum=10), required=False),
        Column("min_billable_t", number(minimum=0), required=False, default=0.0),
        Column("empty_return_factor", number(minimum=1, maximum=2), required=False, default=1.0),
        Column("cost_usd_per_tkm_low", number(minimum=0, maximum=10), required=False),
        Column("cost_usd_per_tkm_high", number(minimum=0, maximum=10), required=False),
    ),
    "regions.csv": (
        Column("region", ident),
        Column("countries", aliases),
        Column("mode", choice(("road", "rail"))),
        Column("speed_factor", number(minimum=0, exclusive_min=True, maximum=10)),
        Column(
            "driving_hours_per_day",
            number(minimum=0, exclusive_min=True, maximum=24),
            required=False,
            default=24.0,
        ),
        Column("cost_factor", number(minimum=0, exclusive_min=True, maximum=10)),
        *_COMMON,
        Column(
            "speed_factor_low", number(minimum=0, exclusive_min=True, maximum=10), required=False
        ),
        Column(
            "speed_factor_high", number(minimum=0, exclusive_min=True, maximum=10), required=False
        ),
        Column(
            "cost_factor_low", number(minimum=0, exclusive_min=True, maximum=10), required=False
        ),
        Column(
            "cost_factor_high", number(minimum=0, exclusive_min=True, maximum=10), required=False
        ),
    ),
    "commodities.csv": (
        Column("id", ident),
        Column("name_en", text),
        Column("name_fa", text),
        Column("aliases", aliases, required=False, default=()),
        Column("hs_code", text),
        Column("cargo_class", choice(CARGO_CLASSES)),
        Column("value_usd_per_t", number(minimum=0, exclusive_min=True)),
        Column("value_of_time_pct_per_day", number(minimum=0, maximum=100)),
        Column("max_transit_days", number(minimum=0, exclusive_min=True), required=False),
        *_COMMON,
    ),
}


@dataclass(slots=True)
class Problems:
    """Collects validation problems (file, row, column, message) across tables; raised
    together, so a user fixes every bad cell in one pass. Shared by every table reader."""

    items: list[str]

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        """Record one problem (``row`` as a spreadsheet numbers it; the header is row 1)."""
        if len(message) > MAX_PROBLEM_CHARS:  # an id or name from the file can be any length
            message = message[: MAX_PROBLEM_CHARS - 1] + "…"
        self.items.append(str(DataError(message, file=file, row=row, column=column)))

    def raise_titled(self, where: str) -> None:
        """Raise every problem in one :class:`DataError` ("N problem(s) in WHERE: …")."""
        if not self.items:
            return
        shown = self.items[:MAX_REPORTED]
        more = len(self.items) - len(shown)
        tail = f"\n  … and {more} more" if more > 0 else ""
        raise DataError(f"{len(self.items)} problem(s) in {where}:\n  " + "\n  ".join(shown) + tail)

    def raise_if_any(self, data_dir: Path) -> None:
        """Raise the network tables' problems, naming their folder."""
        self.raise_titled(f"the network tables in {data_dir}")


_Problems = Problems


Row = dict[str, Any]


def read_rows(path: Path, schema: Sequence[Column], *, what: str) -> list[tuple[int, Row]]:
    """Read and validate one CSV table against ``schema``: ``(row number, row)`` pairs.

    All problems are collected and raised together as a :class:`DataError` naming file,
    row and column.
    """
    problems = Problems([])
    rows = list(read_table(path, problems, schema))
    problems.raise_titled(f"the {what} {path}")
    return rows


def read_table(
    path: Path, problems: Problems, schema: Sequence[Column] | None = None
) -> Iterator[tuple[int, Row]]:
    """The one CSV row parser of every table: ``(row number, row)`` for each valid row.

    Bad cells, a missing column or an unreadable file go to ``problems`` (the row is
    skipped); ``schema`` defaults to the network table the file is named after.
    """
    name = path.name
    schema = _SCHEMAS[name] if schema is None else schema
    try:
        content = read_user_text(path, what="table")
    except ValidationError as exc:
        problems.add(name, None, None, str(exc))
        return
    with io.StringIO(content, newline="") as handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c.name for c in schema if c.required and c.name not in header]
            if missing:
                problems.add(
                    name, 1, None, f"missing column(s) {', '.join(missing)}; header is {header}"
                )
                return
            for row_no, raw in enumerate(reader, start=2):
                if None in raw:
                    problems.add(name, row_no, None, "more cells than header columns")
                    continue
                parsed = _parse_row(name, row_no, raw, schema, problems)
                if parsed is not None:
                    yield row_no, parsed
        except csv.Error as exc:
            problems.add(name, None, None, f"not a readable CSV file ({exc})")


def _show_cell(cell: str) -> str:
    return cell if len(cell) <= MAX_CELL_SHOWN else cell[: MAX_CELL_SHOWN - 1] + "…"


def _parse_cell(col: Column, cell: str) -> tuple[Any, str | None]:
    """Parse one stripped cell: ``(value, None)`` or ``(default, problem)``."""
    if not cell:
        if col.required:
            return col.default, "empty; a value is required"
        return col.default, None
    try:
        return col.parse(cell), None
    except CellError as exc:
        return col.default, f"bad value '{_show_cell(cell)}': {exc}"


def _parse_row(
    name: str,
    row_no: int,
    raw: dict[str, str | None],
    schema: Sequence[Column],
    problems: _Problems,
) -> Row | None:
    out: Row = {}
    ok = True
    for col in schema:
        out[col.name], problem = _parse_cell(col, (raw.get(col.name) or "").strip())
        if problem is not None:
            problems.add(name, row_no, col.name, problem)
            ok = False
    return out if ok else None


def table_columns(table: str) -> tuple[str, ...]:
    """The column names of a table (``"nodes.csv"``, ``"links.csv"`` …), in file order."""
    return tuple(col.name for col in _SCHEMAS[table])


def _as_cell(value: object) -> str:
    """A value from another source (a scenario's YAML) as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple | dict | set):
        return "\x00"  # never valid: a cell holds one value, not a list or mapping
    return str(value).strip()


def parse_cells(
    table: str, values: Mapping[str, object]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check values for some columns of ``table`` with the CSV loader's own column rules.

    This is the one validation path for a row's cells: the CSV loader uses the same
    parsers, so a scenario's ``lat: 999`` is refused exactly as ``nodes.csv`` refuses it.
    Only the columns given are checked (a scenario may change one field of a row); keys
    that are not columns of the table are ignored.

    Parameters
    ----------
    table
        A table file name, e.g. ``"nodes.csv"``.
    values
        Column name → value (text, number or yes/no).

    Returns
    -------
    tuple
        The parsed values of the columns given, and ``(column, problem)`` pairs.

    Examples
    --------
    >>> parse_cells("nodes.csv", {"lat": 999, "lon": 49.5, "colour": "red"})
    ({'lon': 49.5}, [('lat', "bad value '999': expected a number ≤ 90")])
    """
    parsed: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for col in _SCHEMAS[table]:
        if col.name not in values:
            continue
        raw = values[col.name]
        cell = _as_cell(raw)
        if cell == "\x00":
            problems.append((col.name, "expected one value, not a list or mapping"))
            continue
        value, problem = _parse_cell(col, cell)
        if problem is not None:
            problems.append((col.name, problem))
        else:
            parsed[col.name] = value
    return parsed, problems


def _common(row: Row) -> dict[str, Any]:
    return {"source": row["source"], "estimate": row["estimate"], "note": row["note"]}


def load_network(data_dir: str | Path | None = None) -> Network:
    """Load and validate the network tables from ``data_dir`` (default: the bundled data).

    Parameters
    ----------
    data_dir
        A folder holding the seven tables (see the data format README).

    Returns
    -------
    Network
        The validated network.

    Raises
    ------
    DataError
        Listing every problem found, each with file, row, column, value and what is valid.
    """
    folder = Path(data_dir) if data_dir is not None else BUNDLED_DATA_DIR
    if not folder.is_dir():
        raise DataError(f"data folder '{folder}' does not exist or is not a folder")
    problems = _Problems([])
    rows = {name: list(read_table(folder / name, problems)) for name in TABLE_FILES}
    for name in OPTIONAL_TABLE_FILES:
        rows[name] = list(read_table(folder / name, problems)) if (folder / name).exists() else []
    nodes = _build_nodes(rows["nodes.csv"], problems)
    links = _build_links(rows["links.csv"], nodes, problems)
    borders = _build_borders(rows["borders.csv"], nodes, problems)
    transfers = _build_transfers(rows["terminals.csv"], nodes, problems)
    services = _build_services(rows["services.csv"], links, problems)
    mode_costs = _build_modes(rows["modes.csv"], problems)
    commodities = _build_commodities(rows["commodities.csv"], problems)
    regions = _build_regions(rows["regions.csv"], problems)
    _check_borders_cover_links(nodes, links, borders, problems)
    problems.raise_if_any(folder)
    return Network(
        nodes=nodes,
        links=links,
        borders=tuple(borders),
        transfers=tuple(transfers),
        services=services,
        mode_costs=mode_costs,
        commodities=commodities,
        regions=regions,
        name=folder.name,
    )


def network_problems(network: Network) -> list[str]:
    """The cross-row checks of :func:`load_network` run on a built network.

    A scenario uses this on the network it produces, so the changes it makes meet the same
    rules as the tables: every link passes :func:`link_problems`, every border crossing a
    link uses has clearance rows both ways, every international water link has port rows.

    Returns
    -------
    list of str
        One line per problem (empty when the network is valid).
    """
    problems = _Problems([])
    for link in network.links.values():
        for column, message in link_problems(link, network.nodes):
            problems.add("links.csv", None, column, f"link '{link.id}': {message}")
    _check_borders_cover_links(
        dict(network.nodes), dict(network.links), list(network.borders), problems
    )
    return problems.items


def _unique(
    file: str, key: str, row_no: int, seen: dict[Any, int], value: Any, problems: _Problems
) -> bool:
    if value in seen:
        problems.add(file, row_no, key, f"duplicate '{value}' (first used in row {seen[value]})")
        return False
    seen[value] = row_no
    return True


def _build_nodes(rows: list[tuple[int, Row]], problems: _Problems) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    seen: dict[Any, int] = {}
    for row_no, r in rows:
        if _unique("nodes.csv", "id", row_no, seen, r["id"], problems):
            nodes[r["id"]] = Node(
                id=r["id"],
                name_en=r["name_en"],
                name_fa=r["name_fa"],
                aliases=r["aliases"],
                country=r["country"],
                kind=r["kind"],
                lat=r["lat"],
                lon=r["lon"],
                **_common(r),
            )
    return nodes


def _node_ref(
    file: str, row_no: int, column: str, value: str, nodes: dict[str, Node], problems: _Problems
) -> bool:
    if value in nodes:
        return True
    problems.add(file, row_no, column, f"unknown node '{value}'; it must be an id in nodes.csv")
    return False


def _build_links(
    rows: list[tuple[int, Row]], nodes: dict[str, Node], problems: _Problems
) -> dict[str, Link]:
    links: dict[str, Link] = {}
    seen: dict[Any, int] = {}
    f = "links.csv"
    for row_no, r in rows:
        ok = _unique(f, "id", row_no, seen, r["id"], problems)
        ok &= _node_ref(f, row_no, "from", r["from"], nodes, problems)
        ok &= _node_ref(f, row_no, "to", r["to"], nodes, problems)
        if not ok:
            continue
        link = Link(
            id=r["id"],
            from_node=r["from"],
            to_node=r["to"],
            mode=r["mode"],
            distance_km=r["distance_km"],
            gauges_mm=r["gauge_mm"],
            status=r["status"],
            capacity_t_per_year=r["capacity_t_per_year"],
            speed_kmh=r["speed_kmh"],
            **_common(r),
        )
        found = link_problems(link, nodes)
        for column, message in found:
            problems.add(f, row_no, column, message)
        if not found:
            links[r["id"]] = link
    return links


def link_problems(link: Link, nodes: Mapping[str, Node]) -> list[tuple[str, str]]:
    """What is wrong with one link given the nodes: ``(column, problem)`` pairs.

    The checks the CSV loader makes on every row of ``links.csv`` and a scenario makes on
    every link it adds or changes: known end nodes, not a loop, a gauge exactly on rail, not
    shorter than the great circle, and a land link that changes country only at a
    ``border_crossing`` node.

    Examples
    --------
    >>> from caspian.io.tables import load_network
    >>> net = load_network()
    >>> bad = Link(id="x", from_node="ir_rasht", to_node="az_baku_alat", mode="road",
    ...            distance_km=600.0, gauges_mm=(), status="open", source="test")
    >>> link_problems(bad, net.nodes)[0][1][:61]
    "road link 'x' joins 'ir_rasht' in IR and 'az_baku_alat' in AZ"
    """
    out: list[tuple[str, str]] = []
    for column, end in (("from", link.from_node), ("to", link.to_node)):
        if end not in nodes:
            out.append((column, f"unknown node '{end}'; it must be an id in nodes.csv"))
    if out:
        return out
    if link.from_node == link.to_node:
        return [("to", f"link goes from '{link.from_node}' to itself")]
    is_rail = link.mode in ("rail", "rail_ferry")
    if is_rail and not link.gauges_mm:
        out.append(("gauge_mm", "empty; rail links need 1435, 1520 or 1435/1520"))
    if not is_rail and link.gauges_mm:
        out.append(("gauge_mm", f"a {link.mode} link has no gauge; leave it empty"))
    a, b = nodes[link.from_node], nodes[link.to_node]
    if (
        link.mode in LAND_MODES
        and a.country != b.country
        and "border_crossing" not in (a.kind, b.kind)
    ):
        out.append(
            (
                "to",
                f"{link.mode} link '{link.id}' joins '{a.id}' in {a.country} and '{b.id}' in "
                f"{b.country} without a border crossing; a {link.mode} link may change country "
                "only at a border_crossing node (with its rows in borders.csv): end it at the "
                "crossing and add a link from the crossing on",
            )
        )
    if not out:
        short = _shorter_than_great_circle(link, a, b)
        if short:
            out.append(("distance_km", short))
    return out


def great_circle_km(a: Node, b: Node) -> float:
    """Great-circle (haversine) distance in km between two nodes, on a sphere of mean radius.

    Examples
    --------
    >>> from caspian.io.tables import load_network
    >>> net = load_network()
    >>> round(great_circle_km(net.nodes["ir_rasht"], net.nodes["ir_qazvin"]))
    119
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _shorter_than_great_circle(link: Link, a: Node, b: Node) -> str:
    """A link cannot be shorter than the straight line between its ends (less the tolerance)."""
    gc_km = great_circle_km(a, b)
    tolerance = max(GREAT_CIRCLE_TOLERANCE_KM, GREAT_CIRCLE_TOLERANCE_SHARE * gc_km)
    minimum = gc_km - tolerance
    km = float(link.distance_km)
    if km >= minimum:
        return ""
    return (
        f"bad value '{km:g}': shorter than the straight line; it must be at least "
        f"{math.ceil(minimum * 10) / 10:g} km, the great-circle distance between '{a.id}' "
        f"({a.name_en}) and '{b.id}' ({b.name_en}) of {gc_km:.1f} km less "
        f"{tolerance:.1f} km tolerance for approximate coordinates "
        f"({GREAT_CIRCLE_TOLERANCE_SHARE:.0%} or {GREAT_CIRCLE_TOLERANCE_KM:g} km, whichever is "
        "larger); correct the length or the nodes' lat/lon"
    )


def _build_borders(
    rows: list[tuple[int, Row]], nodes: dict[str, Node], problems: _Problems
) -> list[BorderRule]:
    out: list[BorderRule] = []
    seen: dict[Any, int] = {}
    f = "borders.csv"
    for row_no, r in rows:
        key = (r["node"], r["mode"], r["from_country"], r["to_country"])
        ok = _unique(f, "node", row_no, seen, key, problems)
        ok &= _node_ref(f, row_no, "node", r["node"], nodes, problems)
        if r["from_country"] == r["to_country"]:
            problems.add(f, row_no, "to_country", "from_country and to_country must differ")
            ok = False
        if ok and nodes[r["node"]].kind not in ("border_crossing", "port", "rail_terminal"):
            kind = nodes[r["node"]].kind
            problems.add(
                f,
                row_no,
                "node",
                f"'{r['node']}' is a {kind}; clearance happens at a border_crossing, port or "
                "rail_terminal",
            )
            ok = False
        if ok:
            out.append(
                BorderRule(
                    node=r["node"],
                    mode=r["mode"],
                    from_country=r["from_country"],
                    to_country=r["to_country"],
                    clearance_hours=r["clearance_hours"],
                    fee_usd_per_vehicle=r["fee_usd_per_vehicle"],
                    status=r["status"],
                    clearance_hours_low=r["clearance_hours_low"],
                    clearance_hours_high=r["clearance_hours_high"],
                    fee_usd_per_consignment=r["fee_usd_per_consignment"],
                    **_common(r),
                )
            )
    return out


def _build_transfers(
    rows: list[tuple[int, Row]], nodes: dict[str, Node], problems: _Problems
) -> list[Transfer]:
    out: list[Transfer] = []
    seen: dict[Any, int] = {}
    f = "terminals.csv"
    for row_no, r in rows:
        pair = tuple(sorted((r["from_layer"], r["to_layer"])))
        ok = _unique(f, "node", row_no, seen, (r["node"], pair, r["cargo_class"]), problems)
        ok &= _node_ref(f, row_no, "node", r["node"], nodes, problems)
        if r["from_layer"] == r["to_layer"]:
            problems.add(f, row_no, "to_layer", "from_layer and to_layer must differ")
            ok = False
        if ok:
            out.append(
                Transfer(
                    node=r["node"],
                    from_layer=r["from_layer"],
                    to_layer=r["to_layer"],
                    method=r["method"],
                    cargo_class=r["cargo_class"],
                    handling_usd_per_t=r["handling_usd_per_t"],
                    handling_hours=r["handling_hours"],
                    co2e_kg_per_t=r["co2e_kg_per_t"],
                    handling_hours_low=r["handling_hours_low"],
                    handling_hours_high=r["handling_hours_high"],
                    **_common(r),
                )
            )
    return out


def _build_services(
    rows: list[tuple[int, Row]], links: dict[str, Link], problems: _Problems
) -> dict[str, Service]:
    out: dict[str, Service] = {}
    seen: dict[Any, int] = {}
    f = "services.csv"
    for row_no, r in rows:
        ok = _unique(f, "id", row_no, seen, r["id"], problems)
        link = links.get(r["link"])
        if link is None:
            problems.add(f, row_no, "link", f"unknown link '{r['link']}'; use an id in links.csv")
            ok = False
        elif link.mode not in WATER_MODES:
            problems.add(
                f,
                row_no,
                "link",
                f"link '{link.id}' is {link.mode}; services run on sea, rail_ferry or truck_ferry",
            )
            ok = False
        if ok and r["sails_when_loaded"] and r["cargo_offered_t_per_week"] is None:
            problems.add(
                f,
                row_no,
                "cargo_offered_t_per_week",
                "empty; a ship that sails when loaded needs the cargo offered on its route "
                "(t/week) to know how long it takes to fill",
            )
            ok = False
        if ok and not r["sails_when_loaded"] and r["sailings_per_week"] is None:
            problems.add(
                f,
                row_no,
                "sailings_per_week",
                "empty; a liner service (sails_when_loaded=no) needs its published frequency",
            )
            ok = False
        if ok:
            fields = {k: r[k] for k in Service.__dataclass_fields__ if k in r}
            out[r["id"]] = Service(**fields)
    return out


def _build_modes(
    rows: list[tuple[int, Row]], problems: _Problems
) -> dict[tuple[str, str], ModeCost]:
    out: dict[tuple[str, str], ModeCost] = {}
    seen: dict[Any, int] = {}
    for row_no, r in rows:
        key = (r["mode"], r["cargo_class"])
        if _unique("modes.csv", "mode", row_no, seen, key, problems):
            if r.get("vehicle") is None:
                r["vehicle"] = DEFAULT_VEHICLE[r["mode"]]
            fields = {k: r[k] for k in ModeCost.__dataclass_fields__ if k in r}
            out[key] = ModeCost(**fields)
    missing = [f"{m}/{c}" for m in MODES for c in CARGO_CLASSES if (m, c) not in out]
    if missing and rows:
        problems.add(
            "modes.csv",
            None,
            None,
            f"missing rows for mode/cargo_class: {', '.join(missing)} (every pair is needed)",
        )
    return out


def _build_regions(
    rows: list[tuple[int, Row]], problems: _Problems
) -> dict[tuple[str, str], Region]:
    out: dict[tuple[str, str], Region] = {}
    seen: dict[Any, int] = {}
    covered: dict[tuple[str, str], int] = {}
    for row_no, r in rows:
        key = (r["mode"], r["region"])
        if not _unique("regions.csv", "region", row_no, seen, key, problems):
            continue
        clash = [c for c in r["countries"] if (r["mode"], c) in covered]
        if clash:
            problems.add(
                "regions.csv",
                row_no,
                "countries",
                f"{', '.join(clash)} already in a {r['mode']} region (row "
                f"{covered[(r['mode'], clash[0])]}); a country belongs to one region per mode",
            )
            continue
        for c in r["countries"]:
            covered[(r["mode"], c)] = row_no
        fields = {k: r[k] for k in Region.__dataclass_fields__ if k in r}
        out[key] = Region(**fields)
    return out


def _build_commodities(rows: list[tuple[int, Row]], problems: _Problems) -> dict[str, Commodity]:
    out: dict[str, Commodity] = {}
    seen: dict[Any, int] = {}
    for row_no, r in rows:
        if _unique("commodities.csv", "id", row_no, seen, r["id"], problems):
            fields = {k: r[k] for k in Commodity.__dataclass_fields__ if k in r}
            out[r["id"]] = Commodity(**fields)
    return out


def _check_borders_cover_links(
    nodes: dict[str, Node],
    links: dict[str, Link],
    borders: list[BorderRule],
    problems: _Problems,
) -> None:
    """Every border crossing a link uses must have clearance rules for both directions."""
    rules = {(b.node, b.mode, b.from_country, b.to_country) for b in borders}
    sides: dict[str, set[str]] = {}
    directions: set[tuple[str, str, str, str]] = set()
    for rule in borders:
        node = nodes.get(rule.node)
        if node is not None and node.kind == "border_crossing":
            sides.setdefault(rule.node, set()).update({rule.from_country, rule.to_country} - {"*"})
            directions.add((rule.node, rule.mode, rule.from_country, rule.to_country))
    for node_id, mode, frm, to in sorted(directions):
        if (node_id, mode, to, frm) not in directions:
            problems.add(
                "borders.csv",
                None,
                "to_country",
                f"crossing '{node_id}' has a {mode} row {frm}→{to} but none {to}→{frm}; "
                "add it (status closed if the crossing is one-way)",
            )
    for link in links.values():
        for end in (link.from_node, link.to_node):
            node = nodes.get(end)
            if node is None or node.kind != "border_crossing":
                continue
            other = nodes[link.other_end(end)]
            valid = sides.get(end, set())
            if len(valid) != 2:
                problems.add(
                    "borders.csv",
                    None,
                    "node",
                    f"border crossing '{end}' (used by link '{link.id}') needs clearance rows "
                    "for both directions between its two countries",
                )
            elif other.country not in valid:
                problems.add(
                    "links.csv",
                    None,
                    "to",
                    f"link '{link.id}' reaches border crossing '{end}' ({'–'.join(sorted(valid))}) "
                    f"from '{other.id}' in {other.country}; its other end must be in "
                    f"{' or '.join(sorted(valid))}",
                )
        if link.mode in WATER_MODES:
            end_a, end_b = nodes[link.from_node], nodes[link.to_node]
            if end_a.country != end_b.country:
                _require_port_rule(link, end_a, end_b, rules, problems)


def _require_port_rule(
    link: Link, a: Node, b: Node, rules: set[tuple[str, str, str, str]], problems: _Problems
) -> None:
    """An international water link needs export and import clearance at both ports."""
    for port in (a, b):
        for frm, to in ((port.country, "*"), ("*", port.country)):
            if (port.id, "sea", frm, to) not in rules:
                problems.add(
                    "borders.csv",
                    None,
                    "node",
                    f"international {link.mode} link '{link.id}' needs a sea clearance row at "
                    f"'{port.id}' from {frm} to {to}",
                )
