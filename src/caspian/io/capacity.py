"""Read and validate the capacity table (``capacity.csv``): where freight queues, and how much
each place can take.

Rail lines with a ``capacity_t_per_year`` in ``links.csv`` are capacity elements too; they are
added by :func:`caspian.flows.capacity.capacity_elements`, not listed twice here.
"""

from __future__ import annotations

from pathlib import Path

from caspian.errors import DataError
from caspian.io.columns import Column, boolean, choice, ident, number, text
from caspian.io.tables import BUNDLED_DATA_DIR, read_rows
from caspian.model.network import Network

__all__ = ["CAPACITY_FILE", "CAPACITY_KINDS", "CAPACITY_UNITS", "CapacityRow", "load_capacity"]

CAPACITY_FILE = "capacity.csv"
CAPACITY_KINDS = ("road_border", "rail_border", "port", "rail_line")
CAPACITY_UNITS = ("trucks_per_day", "t_per_year")

_SCHEMA = (
    Column("id", ident),
    Column("element", ident),
    Column("kind", choice(CAPACITY_KINDS)),
    Column("capacity", number(minimum=0, exclusive_min=True)),
    Column("unit", choice(CAPACITY_UNITS)),
    Column("capacity_low", number(minimum=0, exclusive_min=True), required=False),
    Column("capacity_high", number(minimum=0, exclusive_min=True), required=False),
    Column("servers", number(minimum=1, maximum=1000), required=False),
    Column("open_hours_per_day", number(minimum=0, maximum=24, exclusive_min=True), required=False),
    Column("call_size_t", number(minimum=0, exclusive_min=True), required=False),
    Column("source", text),
    Column("estimate", boolean, required=False, default=False),
    Column("note", text, required=False, default=""),
)

CapacityRow = dict[str, object]
"""One validated row of ``capacity.csv`` (column name → parsed value)."""

_KIND_OF_NODE = {"road_border": "border_crossing", "rail_border": "border_crossing", "port": "port"}


def load_capacity(network: Network, path: str | Path | None = None) -> list[CapacityRow]:
    """Rows of ``capacity.csv`` (default: the bundled one), checked against ``network``.

    Raises
    ------
    DataError
        Naming the file, row and column: a bad cell, a duplicate id, an element that is not a
        node (borders, ports) or link (rail lines) of the network or of the wrong kind, a
        range that does not contain the capacity, or a unit that does not fit the kind.
    """
    file = Path(path) if path is not None else BUNDLED_DATA_DIR / CAPACITY_FILE
    rows = read_rows(file, _SCHEMA, what="capacity table")
    seen: set[str] = set()
    problems: list[str] = []
    for row_no, row in rows:
        for column, message in _row_problems(row, network, seen):
            problems.append(str(DataError(message, file=file.name, row=row_no, column=column)))
        seen.add(str(row["id"]))
    if problems:
        raise DataError(f"{len(problems)} problem(s) in {file}:\n  " + "\n  ".join(problems))
    return [row for _, row in rows]


def _row_problems(row: CapacityRow, network: Network, seen: set[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if row["id"] in seen:
        out.append(("id", f"duplicate id '{row['id']}'"))
    kind, element, unit = str(row["kind"]), str(row["element"]), str(row["unit"])
    if kind == "rail_line":
        link = network.links.get(element)
        if link is None or link.mode != "rail":
            out.append(("element", f"'{element}' is not a rail link of links.csv"))
    else:
        node = network.nodes.get(element)
        if node is None or node.kind != _KIND_OF_NODE[kind]:
            want = _KIND_OF_NODE[kind].replace("_", " ")
            out.append(("element", f"'{element}' is not a {want} node of nodes.csv"))
    if kind == "road_border" and unit != "trucks_per_day":
        out.append(("unit", f"a road border's capacity is in trucks_per_day; got {unit}"))
    if kind != "road_border" and unit != "t_per_year":
        out.append(("unit", f"a {kind.replace('_', ' ')}'s capacity is in t_per_year; got {unit}"))
    cap = float(row["capacity"])  # type: ignore[arg-type]
    low, high = row["capacity_low"], row["capacity_high"]
    if low is not None and float(low) > cap:  # type: ignore[arg-type]
        out.append(("capacity_low", f"{low} is above the capacity {cap}"))
    if high is not None and float(high) < cap:  # type: ignore[arg-type]
        out.append(("capacity_high", f"{high} is below the capacity {cap}"))
    if kind in ("road_border", "rail_border", "port") and row["servers"] is None:
        out.append(("servers", "a queueing element needs its number of servers (lanes, berths)"))
    if kind == "port" and row["call_size_t"] is None:
        out.append(("call_size_t", "a port needs the tonnes of a typical ship call"))
    return out
