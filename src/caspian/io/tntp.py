"""Readers for the TNTP formats of the TransportationNetworks collection.

Files: ``*_net.tntp`` (links), ``*_trips.tntp`` (origin–destination demand), ``*_flow.tntp``
(best-known equilibrium flows) and ``*_node.tntp`` (coordinates). Format rules handled here:
metadata lines ``<TAG> value`` up to ``<END OF METADATA>``, comments starting with ``~``,
rows ending in ``;``, tabs or spaces between fields, trip rows ``dest : volume;`` under
``Origin k`` blocks. Every problem raises :class:`~caspian.errors.DataError` naming the file,
the line and the field. Node numbers stay 1-based as in the files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from caspian.errors import DataError
from caspian.io.files import read_user_text

__all__ = [
    "KNOWN_COST_FACTORS",
    "TntpFlows",
    "TntpNet",
    "TntpNetwork",
    "TntpTrips",
    "find_tntp",
    "load_tntp",
    "read_flow",
    "read_net",
    "read_trips",
]

MAX_TNTP_BYTES = 200 * 1024 * 1024
"""Largest TNTP file read (the biggest networks' trip tables are ~100 MB)."""

NET_FIELDS = ("init_node", "term_node", "capacity", "length", "free_flow_time", "b", "power")
"""Required link fields, in file order; speed, toll and link_type follow and may be missing."""

KNOWN_COST_FACTORS: dict[str, tuple[float, float]] = {"ChicagoSketch": (0.02, 0.04)}
"""Generalized-cost weights (toll factor in minutes per cent, distance factor in minutes
per mile) of networks whose files do not state them; from the TransportationNetworks
README (github.com/bstabler/TransportationNetworks, "Chicago-Sketch"). The best-known
flows' costs in ``ChicagoSketch_flow.tntp`` include ``0.04 × length`` (e.g. link 1→547:
0.86267 miles → 0.0345068)."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class TntpNet:
    """The links of a ``*_net.tntp`` file (node numbers 1-based)."""

    path: Path
    metadata: dict[str, str]
    n_zones: int
    n_nodes: int
    first_thru_node: int
    init_node: IntArray
    term_node: IntArray
    capacity: FloatArray
    length: FloatArray
    free_flow_time: FloatArray
    b: FloatArray
    power: FloatArray
    toll: FloatArray
    link_type: IntArray


@dataclass(frozen=True, eq=False)
class TntpTrips:
    """The demand of a ``*_trips.tntp`` file: one entry per listed pair (1-based zones)."""

    path: Path
    metadata: dict[str, str]
    origins: IntArray
    destinations: IntArray
    volumes: FloatArray


@dataclass(frozen=True, eq=False)
class TntpFlows:
    """A ``*_flow.tntp`` file: flow and cost of each link (1-based nodes)."""

    path: Path
    init_node: IntArray
    term_node: IntArray
    volume: FloatArray
    cost: FloatArray


@dataclass(frozen=True, eq=False)
class TntpNetwork:
    """A TNTP folder's network, demand and (if present) best-known flows."""

    name: str
    net: TntpNet
    trips: TntpTrips
    flows: TntpFlows | None = None
    toll_factor: float = 0.0
    distance_factor: float = 0.0
    files: dict[str, Path] = field(default_factory=dict)


def _split_metadata(text: str, path: Path) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """Metadata tags and the remaining (line number, content) lines, comments removed."""
    meta: dict[str, str] = {}
    body: list[tuple[int, str]] = []
    in_meta = "<END OF METADATA>" in text
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("~", 1)[0].strip()
        if not line:
            continue
        if in_meta:
            m = re.match(r"<([^>]+)>\s*(.*)$", line)
            if m is None:
                raise DataError(
                    f"line {number}: expected a metadata line '<TAG> value' before "
                    f"<END OF METADATA>; got '{line[:60]}'",
                    file=str(path),
                )
            tag = m.group(1).strip().upper()
            if tag == "END OF METADATA":
                in_meta = False
                continue
            meta[tag] = m.group(2).strip()
        else:
            body.append((number, line))
    return meta, body


def _meta_int(meta: dict[str, str], tag: str, path: Path, *, default: int | None = None) -> int:
    if tag not in meta:
        if default is not None:
            return default
        raise DataError(f"metadata <{tag}> is missing; add a line '<{tag}> N'", file=str(path))
    try:
        return int(float(meta[tag]))
    except ValueError:
        raise DataError(
            f"metadata <{tag}> must be a whole number; got '{meta[tag]}'", file=str(path)
        ) from None


def _number(text: str, path: Path, line: int, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(
            f"line {line}, field '{name}': '{text}' is not a number", file=str(path)
        ) from None
    if not np.isfinite(value):
        raise DataError(f"line {line}, field '{name}': {text} is not finite", file=str(path))
    return value


def _read(path: Path, what: str) -> str:
    return read_user_text(path, what=what, max_bytes=MAX_TNTP_BYTES)


def read_net(path: str | Path) -> TntpNet:
    """Read a ``*_net.tntp`` file.

    Raises
    ------
    DataError
        A missing metadata count, a row with too few fields, a field that is not a number,
        a node outside 1..<NUMBER OF NODES>, a negative capacity or time, or a link count
        that differs from <NUMBER OF LINKS>.
    """
    p = Path(path)
    meta, body = _split_metadata(_read(p, "TNTP network file"), p)
    n_nodes = _meta_int(meta, "NUMBER OF NODES", p)
    n_zones = _meta_int(meta, "NUMBER OF ZONES", p)
    first_thru = _meta_int(meta, "FIRST THRU NODE", p, default=1)
    n_links = _meta_int(meta, "NUMBER OF LINKS", p)
    rows = np.zeros((len(body), 10))
    for i, (number, line) in enumerate(body):
        parts = line.rstrip(";").replace(";", " ").split()
        if len(parts) < len(NET_FIELDS):
            raise DataError(
                f"line {number}: a link needs at least {len(NET_FIELDS)} fields "
                f"({', '.join(NET_FIELDS)}); got {len(parts)}",
                file=str(p),
            )
        names = (*NET_FIELDS, "speed", "toll", "link_type")
        for j, text in enumerate(parts[:10]):
            rows[i, j] = _number(text, p, number, names[j])
    lines = [number for number, _ in body]
    _check_net(rows, lines, p, n_nodes=n_nodes, n_links=n_links)
    return TntpNet(
        path=p,
        metadata=meta,
        n_zones=n_zones,
        n_nodes=n_nodes,
        first_thru_node=first_thru,
        init_node=rows[:, 0].astype(np.int64),
        term_node=rows[:, 1].astype(np.int64),
        capacity=rows[:, 2].copy(),
        length=rows[:, 3].copy(),
        free_flow_time=rows[:, 4].copy(),
        b=rows[:, 5].copy(),
        power=rows[:, 6].copy(),
        toll=rows[:, 8].copy(),
        link_type=rows[:, 9].astype(np.int64),
    )


def _check_net(rows: FloatArray, lines: list[int], p: Path, *, n_nodes: int, n_links: int) -> None:
    if rows.shape[0] != n_links:
        raise DataError(
            f"<NUMBER OF LINKS> says {n_links} but the file lists {rows.shape[0]} links",
            file=str(p),
        )
    for j, name in ((0, "init_node"), (1, "term_node")):
        col = rows[:, j]
        bad = np.flatnonzero((col < 1) | (col > n_nodes) | (col != np.round(col)))
        if bad.size:
            raise DataError(
                f"line {lines[bad[0]]}, field '{name}': node {col[bad[0]]:g} is not a whole "
                f"number in 1..{n_nodes} (<NUMBER OF NODES>)",
                file=str(p),
            )
    checks = (
        (2, "capacity", rows[:, 2] <= 0, "> 0"),
        (3, "length", rows[:, 3] < 0, ">= 0"),
        (4, "free_flow_time", rows[:, 4] < 0, ">= 0"),
        (5, "b", rows[:, 5] < 0, ">= 0"),
        (6, "power", (rows[:, 6] != 0) & (rows[:, 6] < 1), "0 or >= 1"),
        (8, "toll", rows[:, 8] < 0, ">= 0"),
    )
    for j, name, bad_mask, valid in checks:
        bad = np.flatnonzero(bad_mask)
        if bad.size:
            raise DataError(
                f"line {lines[bad[0]]}, field '{name}': {rows[bad[0], j]:g} is invalid; it "
                f"must be {valid}",
                file=str(p),
            )


_TRIP_TOKEN = re.compile(r"Origin\s+(\S+)|([^\s:;]+)\s*:\s*([^\s:;]+)|([^\s;]+|;)", re.IGNORECASE)


def read_trips(path: str | Path, *, n_zones: int | None = None) -> TntpTrips:
    """Read a ``*_trips.tntp`` file (``Origin k`` blocks of ``dest : volume;`` entries).

    Raises
    ------
    DataError
        A pair before any ``Origin`` line, a zone or volume that is not a number, a
        negative volume, or a zone outside 1..``n_zones`` (default: <NUMBER OF ZONES>).
    """
    p = Path(path)
    text = _read(p, "TNTP trips file")
    meta, _ = _split_metadata(text, p)
    zones = n_zones if n_zones is not None else _meta_int(meta, "NUMBER OF ZONES", p)
    start = text.find("<END OF METADATA>")
    start = 0 if start < 0 else start + len("<END OF METADATA>")
    body = re.sub(r"~[^\n]*", lambda m: " " * len(m.group(0)), text[start:])
    origins: list[int] = []
    dests: list[float] = []
    vols: list[float] = []
    origin = -1
    seen = [0, text.count("\n", 0, start) + 1]  # position scanned up to, its line number

    def line_of(pos: int) -> int:
        seen[1] += body.count("\n", seen[0], pos)
        seen[0] = pos
        return seen[1]

    for m in _TRIP_TOKEN.finditer(body):
        if m.group(1) is not None:
            origin = int(_zone(m.group(1), zones, p, line_of(m.start()), "origin"))
        elif m.group(2) is not None:
            if origin < 0:
                raise DataError(
                    f"line {line_of(m.start())}: a 'destination : volume' pair before any "
                    "'Origin k' line",
                    file=str(p),
                )
            line = line_of(m.start())
            dests.append(_zone(m.group(2), zones, p, line, "destination"))
            vol = _number(m.group(3), p, line, "volume")
            if vol < 0:
                raise DataError(
                    f"line {line}, field 'volume': {vol:g} is negative; volumes must be >= 0",
                    file=str(p),
                )
            origins.append(origin)
            vols.append(vol)
        elif m.group(4) != ";":
            raise DataError(
                f"line {line_of(m.start())}: unexpected '{m.group(4)}'; expected 'Origin k' or "
                "'destination : volume;'",
                file=str(p),
            )
    return TntpTrips(
        path=p,
        metadata=meta,
        origins=np.asarray(origins, dtype=np.int64),
        destinations=np.asarray(dests, dtype=np.int64),
        volumes=np.asarray(vols, dtype=np.float64),
    )


def _zone(text: str, zones: int, p: Path, line: int, name: str) -> int:
    value = _number(text, p, line, name)
    if value != int(value) or not 1 <= value <= zones:
        raise DataError(
            f"line {line}, field '{name}': zone {text} is not a whole number in 1..{zones} "
            "(<NUMBER OF ZONES>)",
            file=str(p),
        )
    return int(value)


def read_flow(path: str | Path) -> TntpFlows:
    """Read a ``*_flow.tntp`` file (header line, then ``from to volume cost`` rows)."""
    p = Path(path)
    text = _read(p, "TNTP flow file")
    rows: list[tuple[float, float, float, float]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("~", 1)[0].replace(";", " ").strip()
        if not line or line.lower().startswith("from") or line.startswith("<"):
            continue
        parts = line.split()
        if len(parts) < 4:
            raise DataError(
                f"line {number}: a flow row needs 4 fields (from, to, volume, cost); got "
                f"{len(parts)}",
                file=str(p),
            )
        names = ("from", "to", "volume", "cost")
        rows.append(tuple(_number(t, p, number, n) for t, n in zip(parts, names, strict=False)))  # type: ignore[arg-type]
    arr = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    return TntpFlows(
        path=p,
        init_node=arr[:, 0].astype(np.int64),
        term_node=arr[:, 1].astype(np.int64),
        volume=arr[:, 2].copy(),
        cost=arr[:, 3].copy(),
    )


def find_tntp(folder: str | Path) -> dict[str, Path]:
    """The TNTP files of ``folder``: keys ``net``, ``trips`` and, if present, ``flow``, ``node``.

    Raises
    ------
    DataError
        The folder is missing or not a folder, lacks a ``*_net.tntp`` or ``*_trips.tntp``
        file, or holds several of a kind.
    """
    d = Path(folder)
    if not d.exists():
        raise DataError(f"TNTP folder {d} does not exist")
    if not d.is_dir():
        raise DataError(f"{d} is not a folder; give the folder holding *_net.tntp and *_trips.tntp")
    found: dict[str, Path] = {}
    for kind in ("net", "trips", "flow", "node"):
        matches = sorted(d.glob(f"*_{kind}.tntp"))
        if len(matches) > 1:
            names = ", ".join(m.name for m in matches)
            raise DataError(
                f"TNTP folder {d} holds several *_{kind}.tntp files ({names}); keep one"
            )
        if matches:
            found[kind] = matches[0]
        elif kind in ("net", "trips"):
            raise DataError(f"TNTP folder {d} has no *_{kind}.tntp file")
    return found


def load_tntp(
    folder: str | Path,
    *,
    toll_factor: float | None = None,
    distance_factor: float | None = None,
) -> TntpNetwork:
    """Read a TNTP folder: network, trips and best-known flows if there are any.

    The generalized-cost weights come from the arguments, else the net file's metadata
    (``<TOLL FACTOR>``, ``<DISTANCE FACTOR>``), else :data:`KNOWN_COST_FACTORS` for the
    network's name (the files' common prefix), else 0.
    """
    files = find_tntp(folder)
    name = files["net"].name.removesuffix("_net.tntp")
    net = read_net(files["net"])
    trips = read_trips(files["trips"], n_zones=net.n_zones)
    flows = read_flow(files["flow"]) if "flow" in files else None
    known = KNOWN_COST_FACTORS.get(name, (0.0, 0.0))
    toll = _factor(toll_factor, net, "TOLL FACTOR", known[0])
    dist = _factor(distance_factor, net, "DISTANCE FACTOR", known[1])
    return TntpNetwork(name, net, trips, flows, toll, dist, files)


def _factor(given: float | None, net: TntpNet, tag: str, known: float) -> float:
    if given is not None:
        return given
    if tag in net.metadata:
        return _number(net.metadata[tag], net.path, 0, tag)
    return known
