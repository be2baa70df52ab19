"""Corridors: the origin–destination flows analyses run over (default set or a CSV file)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from caspian.errors import DataError, ValidationError
from caspian.io.files import read_user_text
from caspian.model.network import Network

__all__ = ["DEFAULT_CORRIDORS", "Corridor", "corridor_label", "load_corridors"]


@dataclass(frozen=True, slots=True)
class Corridor:
    """A flow to analyse: a shipment of ``tonnes`` of ``cargo`` from origin to destination."""

    label: str
    origin: str
    destination: str
    cargo: str
    tonnes: float
    label_fa: str = ""
    """The label in Persian (``label_fa`` column of a corridors file; optional)."""


DEFAULT_CORRIDORS: tuple[Corridor, ...] = (
    # the demo's corridors (seed articles)
    Corridor(
        "Istanbul → Turkmenbashi (container)", "Istanbul", "Turkmenbashi", "general_container", 20
    ),
    Corridor("Istanbul → Ashgabat (container)", "Istanbul", "Ashgabat", "general_container", 20),
    Corridor("Aktau → Tehran (wheat)", "Aktau", "Tehran", "wheat", 1000),
    Corridor("Lahijan → Almaty (tea)", "Lahijan", "Almaty", "tea", 20),
    Corridor("Lahijan → Aktau (tea)", "Lahijan", "Aktau", "tea", 20),
    # main Turkey/Iran ↔ Central Asia / Caucasus / Russia flows
    Corridor("Tehran → Moscow (container)", "Tehran", "Moscow", "general_container", 20),
    Corridor("Tehran → Baku (processed food)", "Tehran", "Baku", "processed_food", 20),
    Corridor("Rasht → Astrakhan (rice)", "Rasht", "Astrakhan", "rice", 500),
    Corridor("Kostanay → Tehran (wheat)", "Kostanay", "Tehran", "wheat", 1000),
    Corridor("Almaty → Istanbul (copper)", "Almaty", "Istanbul", "copper", 60),
    Corridor(
        "Tashkent → Bandar Abbas (container)", "Tashkent", "Bandar Abbas", "general_container", 20
    ),
    Corridor("Tehran → Tbilisi (steel)", "Tehran", "Tbilisi", "steel", 60),
    Corridor(
        "Astaneh-ye Ashrafiyeh → Moscow (peanuts)", "Astaneh-ye Ashrafiyeh", "Moscow", "peanuts", 20
    ),
)
"""Corridors used by ``caspian compare`` and ``caspian criticality`` unless a file is given."""

_COLUMNS = ("label", "origin", "destination", "cargo", "tonnes")
MAX_CORRIDORS_BYTES = 1024 * 1024
"""Largest corridors file read (1 MiB)."""
MAX_CORRIDORS = 500
"""Most corridors in a file: criticality re-plans every corridor for every element it uses
(13 corridors take about a second on the bundled network; 500 about half a minute)."""


def load_corridors(path: str | Path) -> list[Corridor]:
    """Read corridors from a CSV with columns label, origin, destination, cargo, tonnes.

    Raises
    ------
    DataError
        Missing, a folder or device, too large or not UTF-8; missing column, empty cell, or
        tonnes not a positive number (file, row, column named). Places and cargo are checked
        when the corridors are planned.
    """
    file = str(path)
    try:
        text = read_user_text(path, what="corridors file", max_bytes=MAX_CORRIDORS_BYTES)
    except ValidationError as exc:
        raise DataError(str(exc)) from None
    try:
        with io.StringIO(text, newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(
                    f"missing column(s) {', '.join(missing)}; the header must hold "
                    + ", ".join(_COLUMNS),
                    file=file,
                )
            out = []
            for row_no, row in enumerate(reader, start=2):
                for col in _COLUMNS:
                    if not (row.get(col) or "").strip():
                        raise DataError("empty cell", file=file, row=row_no, column=col)
                try:
                    tonnes = float(row["tonnes"])
                except ValueError:
                    tonnes = math.nan
                if not math.isfinite(tonnes) or tonnes <= 0:
                    shown = row["tonnes"] if len(row["tonnes"]) <= 40 else row["tonnes"][:39] + "…"
                    raise DataError(
                        f"'{shown}' is not a positive number of tonnes",
                        file=file,
                        row=row_no,
                        column="tonnes",
                    )
                out.append(
                    Corridor(
                        row["label"].strip(),
                        row["origin"].strip(),
                        row["destination"].strip(),
                        row["cargo"].strip(),
                        tonnes,
                        (row.get("label_fa") or "").strip(),
                    )
                )
    except csv.Error as exc:
        raise DataError(f"not a readable CSV file ({exc})", file=file) from None
    if not out:
        raise DataError("no corridors in the file", file=file)
    if len(out) > MAX_CORRIDORS:
        raise DataError(
            f"{len(out):,} corridors; the limit is {MAX_CORRIDORS} (split the file)", file=file
        )
    return out


def corridor_label(corridor: Corridor, network: Network, lang: str) -> str:
    """A corridor's label in ``lang`` (``en`` or ``fa``).

    In Persian: the corridor's ``label_fa``; for a default corridor without one, its places
    and cargo named from the network (``مبدأ ← مقصد (بار)``, the arrow pointing the way a
    right-to-left line reads); otherwise the label as written.

    Examples
    --------
    >>> from caspian import load_network
    >>> corridor_label(DEFAULT_CORRIDORS[2], load_network(), "fa")
    'آکتائو ← تهران (گندم)'
    """
    if lang != "fa":
        return corridor.label
    if corridor.label_fa:
        return corridor.label_fa
    if corridor not in DEFAULT_CORRIDORS:
        return corridor.label
    from caspian.model.places import resolve_place

    try:
        a, z = resolve_place(network, corridor.origin), resolve_place(network, corridor.destination)
    except LookupError:  # a scenario or --data without the place: the label as written
        return corridor.label
    cargo = network.commodities.get(corridor.cargo)
    what = (cargo.name_fa or cargo.name_en) if cargo else corridor.cargo
    return f"{a.name_fa or a.name_en} ← {z.name_fa or z.name_en} ({what})"
