"""Corridors: the origin–destination flows analyses run over (default set or a CSV file)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from caspian.errors import DataError

__all__ = ["DEFAULT_CORRIDORS", "Corridor", "load_corridors"]


@dataclass(frozen=True, slots=True)
class Corridor:
    """A flow to analyse: a shipment of ``tonnes`` of ``cargo`` from origin to destination."""

    label: str
    origin: str
    destination: str
    cargo: str
    tonnes: float


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


def load_corridors(path: str | Path) -> list[Corridor]:
    """Read corridors from a CSV with columns label, origin, destination, cargo, tonnes.

    Raises
    ------
    DataError
        Missing file or column, empty cell, or tonnes not a positive number (file, row,
        column named). Places and cargo are checked when the corridors are planned.
    """
    file = str(path)
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
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
                    raise DataError(
                        f"'{row['tonnes']}' is not a positive number of tonnes",
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
                    )
                )
    except OSError as exc:
        raise DataError(f"cannot read the corridors file ({exc.strerror})", file=file) from None
    if not out:
        raise DataError("no corridors in the file", file=file)
    return out
