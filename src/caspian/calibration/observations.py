"""Published observations of the real corridors (``observations.csv``), loaded and checked.

Each row is one figure a publisher reported: a door-to-door transit time or freight rate on
a named corridor, a border's clearance or queueing time, a Caspian sailing wait, a port's
throughput. The table is validated like the network tables: every problem names the file,
row and column, and nothing is returned half-loaded.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caspian.errors import DataError
from caspian.io.columns import CellError, Column, choice, ident, number, text
from caspian.model.network import CARGO_CLASSES, MODES, WATER_MODES, Network

__all__ = [
    "KINDS",
    "STATISTICS",
    "TRIPS",
    "UNITS",
    "Observation",
    "load_observations",
    "merge_series",
]

KINDS: dict[str, tuple[str, ...]] = {
    "transit_days": ("days",),
    "rate": ("usd_per_truck", "usd_per_teu", "usd_per_feu", "usd_per_wagon", "usd_per_t"),
    "border_hours": ("hours",),
    "border_cost": ("usd_per_truck", "usd_per_wagon"),
    "sea_wait_days": ("days",),
    "sailing_hours": ("hours",),
    "sailings_per_week": ("per_week",),
    "throughput": ("t_per_year", "trucks_per_day", "teu_per_year", "wagons_per_day"),
}
"""Kinds of observation and the units each may be given in."""
UNITS: tuple[str, ...] = tuple(sorted({u for units in KINDS.values() for u in units}))
FAMILIES: tuple[str, ...] = ("road", "rail", "sea", "rail+sea", "road+sea", "any")
TRUST: tuple[str, ...] = ("H", "M", "L")
STATISTICS: tuple[str, ...] = ("typical", "peak", "minimum")
"""``typical``: an average or usual figure, compared with the model's central value.
``peak``: a reported episode or maximum (a queue of days, a weather hold-up), compared with
the top of the model's evidence range and not used to fit central values.
``minimum``: a figure for one part of what the model's value covers (the paperwork of a
crossing, not the whole crossing), so a floor: matched when the model's central value is
not below it; not used to fit central values."""
TRIPS: tuple[str, ...] = ("one_way", "round_trip")
"""``round_trip``: a fare for the journey there and back (compared with the model's two
one-way journeys added up)."""
POINT_TOLERANCE = 0.15
"""A published point value counts as matched within ±15 % (a range is taken as published)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One published figure (see the data README for the columns)."""

    id: str
    kind: str
    origin: str
    destination: str
    place: str
    direction: str
    family: str
    cargo: str
    unit: str
    value_low: float
    value_high: float
    year: int | None
    publisher: str
    published: str
    title: str
    url: str
    trust: str
    note: str
    row: int = 0
    statistic: str = "typical"
    mode: str = ""
    """The vehicle or vessel the figure is about (a ``MODES`` name, e.g. ``truck_ferry``
    for a ro-ro fare or a ferry's sailing time); empty: whatever the family's best route
    uses."""
    trip: str = "one_way"
    members: tuple[str, ...] = ()
    span: tuple[float, float] | None = None

    @property
    def is_point(self) -> bool:
        """Whether the publisher gave one value rather than a range."""
        return self.value_low == self.value_high

    @property
    def band(self) -> tuple[float, float]:
        """The range a model value must fall in (points widened by ±15 %)."""
        if self.span is not None:
            return self.span
        if self.is_point:
            return self.value_low / (1 + POINT_TOLERANCE), self.value_high * (1 + POINT_TOLERANCE)
        return self.value_low, self.value_high

    @property
    def series_key(self) -> tuple[str, ...]:
        """What the figure measures, whatever the year: kind, where, family, cargo, unit,
        statistic, vehicle mode and trip. Figures with the same key form one series."""
        return (
            self.kind,
            self.origin,
            self.destination,
            self.place,
            self.direction,
            self.family,
            self.cargo,
            self.unit,
            self.statistic,
            self.mode,
            self.trip,
        )

    @property
    def central(self) -> float:
        """Geometric middle of the published range."""
        return math.sqrt(self.value_low * self.value_high)

    @property
    def corridor(self) -> str:
        """Short label: ``origin → destination`` or the place."""
        if self.origin:
            return f"{self.origin} → {self.destination}"
        return f"{self.place} {self.direction}".strip()


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise CellError("expected a year such as 2023") from None
    if not 1990 <= year <= 2100:
        raise CellError("expected a year between 1990 and 2100")
    return year


_COLUMNS = (
    Column("id", ident),
    Column("kind", choice(tuple(KINDS))),
    Column("origin", ident, required=False, default=""),
    Column("destination", ident, required=False, default=""),
    Column("place", ident, required=False, default=""),
    Column("direction", text, required=False, default=""),
    Column("family", choice(FAMILIES), required=False, default="any"),
    Column("cargo", text, required=False, default="general"),
    Column("unit", choice(UNITS)),
    Column("value_low", number(minimum=0, exclusive_min=True)),
    Column("value_high", number(minimum=0, exclusive_min=True)),
    Column("year", _year, required=False),
    Column("publisher", text),
    Column("published", text, required=False, default=""),
    Column("title", text),
    Column("url", text, required=False, default=""),
    Column("trust", choice(TRUST)),
    Column("note", text, required=False, default=""),
    Column("statistic", choice(STATISTICS), required=False, default="typical"),
    Column("mode", choice(MODES), required=False, default=""),
    Column("trip", choice(TRIPS), required=False, default="one_way"),
)


def load_observations(path: str | Path, network: Network) -> tuple[Observation, ...]:
    """Load and validate an observations table against ``network``.

    Raises
    ------
    DataError
        Listing every problem with file, row, column and what would be valid.
    """
    file = Path(path)
    problems: list[str] = []

    def add(row: int | None, column: str | None, message: str) -> None:
        problems.append(str(DataError(message, file=file.name, row=row, column=column)))

    out: list[Observation] = []
    seen: dict[str, int] = {}
    try:
        handle = file.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"cannot open {file} ({exc.strerror})") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c.name for c in _COLUMNS if c.required and c.name not in header]
            if missing:
                raise DataError(
                    f"{file.name}: missing column(s) {', '.join(missing)}; header is {header}"
                )
            for row_no, raw in enumerate(reader, start=2):
                parsed = _parse(raw, row_no, add)
                if parsed is None:
                    continue
                if _check(parsed, row_no, network, seen, add):
                    out.append(Observation(**parsed, row=row_no))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise DataError(f"{file.name} is not a readable UTF-8 CSV file ({exc})") from None
    if problems:
        shown = "\n  ".join(problems[:25])
        more = f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else ""
        raise DataError(f"{len(problems)} problem(s) in {file}:\n  {shown}{more}")
    return tuple(out)


def _parse(raw: dict[str, Any], row_no: int, add: Any) -> dict[str, Any] | None:
    if None in raw:
        add(row_no, None, "more cells than header columns")
        return None
    out: dict[str, Any] = {}
    ok = True
    for col in _COLUMNS:
        cell = (raw.get(col.name) or "").strip()
        if not cell:
            if col.required:
                add(row_no, col.name, "empty; a value is required")
                ok = False
            out[col.name] = col.default
            continue
        try:
            out[col.name] = col.parse(cell)
        except CellError as exc:
            add(row_no, col.name, f"bad value '{cell}': {exc}")
            ok = False
    return out if ok else None


def _check(
    r: dict[str, Any], row_no: int, network: Network, seen: dict[str, int], add: Any
) -> bool:
    ok = True
    if r["id"] in seen:
        add(row_no, "id", f"duplicate id '{r['id']}' (first on row {seen[r['id']]})")
        ok = False
    seen.setdefault(r["id"], row_no)
    if r["unit"] not in KINDS[r["kind"]]:
        add(
            row_no,
            "unit",
            f"'{r['unit']}' does not fit kind {r['kind']}; use one of "
            f"{', '.join(KINDS[r['kind']])}",
        )
        ok = False
    if r["value_high"] < r["value_low"]:
        add(row_no, "value_high", "smaller than value_low")
        ok = False
    corridor = r["kind"] in ("transit_days", "rate", "sailing_hours")
    sea = r["kind"] in ("sea_wait_days", "sailings_per_week")
    if sea and not r["place"] and r["origin"] and r["destination"]:
        corridor = True
    needed = ("origin", "destination") if corridor else ("place",)
    for col in needed:
        if not r[col]:
            add(row_no, col, f"empty; a {r['kind']} observation needs a node id here")
            ok = False
        elif r[col] not in network.nodes:
            add(row_no, col, f"unknown node '{r[col]}'; use an id from nodes.csv")
            ok = False
    if r["trip"] == "round_trip" and r["kind"] != "rate":
        add(row_no, "trip", f"round_trip applies to a rate, not to {r['kind']}; leave it empty")
        ok = False
    if r["kind"] == "sailing_hours" and r["mode"] and r["mode"] not in WATER_MODES:
        add(row_no, "mode", f"a sailing time needs a ship mode: {', '.join(sorted(WATER_MODES))}")
        ok = False
    cargo = r["cargo"]
    if cargo not in ("general", *CARGO_CLASSES) and cargo not in network.commodities:
        add(
            row_no,
            "cargo",
            f"unknown cargo '{cargo}'; use general, a cargo class "
            f"({', '.join(CARGO_CLASSES)}) or a commodity id",
        )
        ok = False
    return ok


def merge_series(observations: tuple[Observation, ...]) -> tuple[Observation, ...]:
    """One observation per series: the same quantity published for several years or weeks.

    The model has one value per quantity, so a series is matched when that value falls in
    the span of the series (every year's figure, points widened by ±15 %); its trust is the
    best of its members' and ``members`` lists their ids. A series of one is returned as is.

    Examples
    --------
    >>> a = Observation("a", "border_hours", "", "", "x", "in", "road", "general", "hours",
    ...                 3.0, 3.0, 2021, "P", "", "T", "", "M", "")
    >>> b = Observation("b", "border_hours", "", "", "x", "in", "road", "general", "hours",
    ...                 12.0, 12.0, 2022, "P", "", "T", "", "H", "")
    >>> (s,) = merge_series((a, b))
    >>> s.members, s.trust, [round(x, 2) for x in s.band]
    (('a', 'b'), 'H', [2.61, 13.8])
    """
    groups: dict[tuple[str, ...], list[Observation]] = {}
    for o in observations:
        groups.setdefault(o.series_key, []).append(o)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        first = members[0]
        low = min(members, key=lambda o: o.band[0])
        high = max(members, key=lambda o: o.band[1])
        years = sorted(o.year for o in members if o.year is not None)
        span = f"{years[0]}–{years[-1]}" if years else "undated"
        publishers = sorted({o.publisher for o in members})
        out.append(
            Observation(
                id=f"{first.id} +{len(members) - 1}",
                kind=first.kind,
                origin=first.origin,
                destination=first.destination,
                place=first.place,
                direction=first.direction,
                family=first.family,
                cargo=first.cargo,
                unit=first.unit,
                value_low=low.value_low,
                value_high=high.value_high,
                year=years[-1] if years else None,
                publisher="; ".join(publishers),
                published=span,
                title=f"series of {len(members)} figures, {span}",
                url=first.url,
                trust=min((o.trust for o in members), key=TRUST.index),
                note="; ".join(o.id for o in members),
                row=first.row,
                statistic=first.statistic,
                mode=first.mode,
                trip=first.trip,
                members=tuple(o.id for o in members),
                span=(low.band[0], high.band[1]),
            )
        )
    return tuple(out)
