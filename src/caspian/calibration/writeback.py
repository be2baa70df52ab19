"""Write calibrated parameters as a new data folder, with provenance on every changed value."""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from caspian.errors import ValidationError
from caspian.io.tables import BUNDLED_DATA_DIR
from caspian.routing.graph import FloatArray
from caspian.routing.params import Param

__all__ = ["write_calibrated"]

_TOL = 0.01


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.0f}"


def write_calibrated(
    source_dir: str | Path | None,
    out_dir: str | Path,
    params: tuple[Param, ...],
    factors: FloatArray,
    ranges: Mapping[int, tuple[float, float]],
    informed_by: Mapping[int, tuple[str, ...]],
) -> list[str]:
    """Copy the data folder to ``out_dir`` with the fitted values; return what changed.

    Every changed cell's row gets ``source`` = ``calibrated by caspian calibrate --fit on
    observations …: old → new; prior source: …`` and ``estimate=yes``. The folder is written
    whole into a temporary folder first and moved into place, so a failure leaves nothing.
    """
    src = Path(source_dir) if source_dir is not None else BUNDLED_DATA_DIR
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValidationError(f"output folder '{out}' exists and is not empty; choose a new one")
    tables: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    for path in sorted(src.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            tables[path.name] = (list(reader.fieldnames or []), list(reader))
    changes: list[str] = []
    for i, p in enumerate(params, start=1):
        f = float(factors[i])
        lo, hi = ranges.get(i, (p.low_factor, p.high_factor))
        if abs(f - 1.0) <= _TOL and (lo, hi) == (p.low_factor, p.high_factor):
            continue
        ids = ", ".join(informed_by.get(i, ())) or "none"
        changes += _apply(tables, p, f, lo, hi, ids)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ValidationError(f"folder '{parent}' does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=".calibrating-", dir=parent))
    try:
        for name in sorted(p.name for p in src.iterdir() if p.is_file()):
            if name in tables:
                fields, rows = tables[name]
                with (tmp / name).open("w", newline="", encoding="utf-8") as handle:
                    w = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
                    w.writeheader()
                    w.writerows(rows)
            else:
                shutil.copyfile(src / name, tmp / name)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return changes


def _note(row: dict[str, str], what: str, ids: str) -> None:
    prior = row.get("source", "")
    tag = "calibrated by caspian calibrate --fit"
    if prior.startswith(tag):
        prior = prior.split("; prior source: ", 1)[-1]
    row["source"] = f"{tag} on observations {ids}: {what}; prior source: {prior}"
    if "estimate" in row:
        row["estimate"] = "yes"


def _scale(
    row: dict[str, str], col: str, f: float, lo: float, hi: float, low_col: str, high_col: str
) -> str:
    base = float(row[col])
    row[col] = _fmt(base * f)
    if low_col:
        row[low_col] = _fmt(base * lo)
        row[high_col] = _fmt(base * hi)
    return f"{col} {_fmt(base)} → {row[col]} (range {_fmt(base * lo)}–{_fmt(base * hi)})"


def _apply(
    tables: dict[str, tuple[list[str], list[dict[str, str]]]],
    p: Param,
    f: float,
    lo: float,
    hi: float,
    ids: str,
) -> list[str]:
    fields, rows = tables[p.table]
    done: list[str] = []
    kind = p.key.split(":", 1)[0]
    for row in rows:
        what = ""
        if (
            p.table == "borders.csv"
            and (row["node"], row["mode"], row["from_country"], row["to_country"]) == p.row
        ):
            if kind == "fee":
                what = _scale(row, "fee_usd_per_vehicle", f, lo, hi, "", "")
            else:
                what = _scale(
                    row, "clearance_hours", f, lo, hi, "clearance_hours_low", "clearance_hours_high"
                )
        elif p.table == "regions.csv" and (row["mode"], row["region"]) == p.row:
            if kind == "speed":  # the factor is on hours: speed scales by its inverse
                what = _scale(
                    row,
                    "speed_factor",
                    1 / f,
                    1 / hi,
                    1 / lo,
                    "speed_factor_low",
                    "speed_factor_high",
                )
            else:
                what = _scale(row, "cost_factor", f, lo, hi, "cost_factor_low", "cost_factor_high")
        elif p.table == "modes.csv" and (row["mode"],) == p.row and kind == "speed":
            what = _scale(row, "speed_kmh", 1 / f, 1 / hi, 1 / lo, "", "")
        elif p.table == "modes.csv" and (row["mode"],) == p.row:
            what = _scale(
                row, "cost_usd_per_tkm", f, lo, hi, "cost_usd_per_tkm_low", "cost_usd_per_tkm_high"
            )
        elif p.table == "services.csv" and (row["id"],) == p.row:
            base = float(row.get("base_wait_hours") or 0)
            row["base_wait_hours"] = _fmt(base * f)
            if row.get("cargo_offered_t_per_week"):
                row["cargo_offered_t_per_week"] = _fmt(float(row["cargo_offered_t_per_week"]) / f)
            if row.get("sailings_per_week") and row.get("sails_when_loaded") != "yes":
                row["sailings_per_week"] = _fmt(float(row["sailings_per_week"]) / f)
            mean = float(row.get("wait_hours_low") or 0), float(row.get("wait_hours_high") or 0)
            row["wait_hours_low"] = _fmt(min(mean[0] * f, lo * _mean_wait(row, f)))
            row["wait_hours_high"] = _fmt(max(hi * _mean_wait(row, f) / f, mean[1] * f))
            what = f"sailing wait × {f:.3g} (base wait and fill time)"
        elif (
            p.table == "terminals.csv"
            and row["node"] == p.row[0]
            and sorted((row["from_layer"], row["to_layer"])) == list(p.row[1:])
        ):
            what = _scale(
                row, "handling_hours", f, lo, hi, "handling_hours_low", "handling_hours_high"
            )
        if what:
            _note(row, what, ids)
            done.append(f"{p.table} {'/'.join(p.row)}: {what}")
    if p.table == "modes.csv" and kind == "cost" and "services.csv" in tables:
        done += _scale_crossings(tables, p.row[0], f, ids)
    for extra in ("clearance_hours_low", "clearance_hours_high"):
        if p.table == "borders.csv" and extra not in fields:
            fields.append(extra)
    return done


def _scale_crossings(
    tables: dict[str, tuple[list[str], list[dict[str, str]]]], mode: str, f: float, ids: str
) -> list[str]:
    """A ferry mode's cost factor also scales the fixed part of its services' fares."""
    links = {r["id"]: r["mode"] for r in tables.get("links.csv", ([], []))[1]}
    done = []
    for row in tables["services.csv"][1]:
        if links.get(row["link"]) == mode and float(row.get("crossing_usd_per_vehicle") or 0):
            what = _scale(row, "crossing_usd_per_vehicle", f, 1.0, 1.0, "", "")
            _note(row, what, ids)
            done.append(f"services.csv {row['id']}: {what}")
    return done


def _mean_wait(row: dict[str, str], f: float) -> float:
    """Mean wait of a small lot after scaling (base + half the fill time), hours."""
    base = float(row.get("base_wait_hours") or 0)
    offered = float(row.get("cargo_offered_t_per_week") or 0)
    payload = float(row.get("payload_t") or 0)
    if row.get("sails_when_loaded") == "yes" and offered > 0:
        return base + 0.5 * payload / offered * 168.0
    spw = float(row.get("sailings_per_week") or 0)
    return base + (84.0 / spw if spw else 0.0)
