"""The ``demand:`` section of a scenario file: growth and per-flow changes of the OD demand.

::

    demand:
      growth_pct: 20                    # every row +20 % (applied first)
      changes:                          # then each entry, in order
        - {origin_country: KZ, destination_country: IR, commodity: wheat,
           tonnes_per_year: 559100, source: "APK-Inform 1539833: 559.1 kt in 2022"}
        - {group: fruit_veg, destination_country: RU, factor: 1.5}

An entry selects rows with any of ``id``, ``origin``, ``destination`` (a zone, or a node of
a row's zone), ``origin_country``, ``destination_country``, ``commodity``, ``group`` (all
given must match) and does exactly one of ``factor`` (× tonnes), ``growth_pct`` (+ %) or
``tonnes_per_year`` (the new total of the selected rows, which needs a ``source``; optional
``tonnes_low``/``tonnes_high``). Parsed here without the demand table; names are checked
against it when the overlay is applied (:func:`caspian.scenarios.apply.apply_demand`).
"""

from __future__ import annotations

import math
from typing import Any

from caspian.errors import ScenarioError
from caspian.io.columns import CellError, country, ident
from caspian.io.yamlsafe import shorten
from caspian.model.demand import DEMAND_GROUPS, DemandChange, DemandOverlay

__all__ = ["ACTIONS", "DEMAND_KEYS", "SELECTORS", "parse_demand"]

SELECTORS = (
    "id",
    "origin",
    "destination",
    "origin_country",
    "destination_country",
    "commodity",
    "group",
)
ACTIONS = ("factor", "growth_pct", "tonnes_per_year")
_RANGE = ("tonnes_low", "tonnes_high")
_ENTRY_KEYS = (*SELECTORS, *ACTIONS, *_RANGE, "source", "note")
DEMAND_KEYS = ("growth_pct", "changes", "source", "note")
MAX_FACTOR = 1000.0
"""Largest factor accepted (a larger one is almost surely a typo for a percentage)."""


def _fail(origin: str, where: str, message: str) -> ScenarioError:
    return ScenarioError(f"{origin}, {where}: {message}")


def _number(origin: str, where: str, value: Any, *, minimum: float, maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(origin, where, f"must be a number; got {shorten(value)}")
    if not minimum <= value <= maximum:
        raise _fail(origin, where, f"must be between {minimum:g} and {maximum:g}; got {value:g}")
    return float(value)


def _text(origin: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(origin, where, f"must be non-empty text; got {shorten(value)}")
    return value.strip()


def _selector(origin: str, where: str, key: str, value: Any) -> str:
    text = _text(origin, where, value)
    try:
        if key.endswith("_country"):
            country()(text)
        else:
            ident(text)
    except CellError as exc:
        raise _fail(origin, where, f"bad value {shorten(text)}: {exc}") from None
    if key == "group" and text not in DEMAND_GROUPS:
        raise _fail(
            origin, where, f"unknown group {shorten(text)}; valid: {', '.join(DEMAND_GROUPS)}"
        )
    return text


def _entry(origin: str, where: str, entry: Any) -> DemandChange:
    if not isinstance(entry, dict):
        raise _fail(origin, where, "each change is a mapping of key: value")
    bad = sorted((str(k) for k in entry if k not in _ENTRY_KEYS), key=str)
    if bad:
        raise _fail(
            origin, where, f"unknown key(s) {', '.join(bad[:8])}; valid: {', '.join(_ENTRY_KEYS)}"
        )
    selectors = {k: _selector(origin, f"{where}.{k}", k, entry[k]) for k in SELECTORS if k in entry}
    if not selectors:
        raise _fail(origin, where, f"say which rows to change with one of: {', '.join(SELECTORS)}")
    actions = [k for k in ACTIONS if k in entry]
    if len(actions) != 1:
        raise _fail(
            origin,
            where,
            f"give exactly one of {', '.join(ACTIONS)}; got {', '.join(actions) or 'none'}",
        )
    action = actions[0]
    values: dict[str, float] = {}
    if action == "factor":
        values["factor"] = _number(
            origin, f"{where}.factor", entry["factor"], minimum=0, maximum=MAX_FACTOR
        )
    elif action == "growth_pct":
        values["growth_pct"] = _number(
            origin, f"{where}.growth_pct", entry["growth_pct"], minimum=-100, maximum=1e5
        )
    else:
        for key in ("tonnes_per_year", *_RANGE):
            if key in entry:
                values[key] = _number(origin, f"{where}.{key}", entry[key], minimum=0, maximum=1e10)
        if "source" not in entry:
            raise _fail(
                origin,
                f"{where}.source",
                "a new tonnes_per_year needs a source (publisher, date, title or URL) or "
                "'estimate: <basis>'",
            )
        low = values.get("tonnes_low", values["tonnes_per_year"])
        high = values.get("tonnes_high", values["tonnes_per_year"])
        if not low <= values["tonnes_per_year"] <= high:
            raise _fail(origin, where, "need tonnes_low ≤ tonnes_per_year ≤ tonnes_high")
    if action != "tonnes_per_year" and any(k in entry for k in _RANGE):
        raise _fail(origin, where, "tonnes_low/tonnes_high go only with tonnes_per_year")
    return DemandChange(
        where=where,
        id=selectors.get("id"),
        origin=selectors.get("origin"),
        destination=selectors.get("destination"),
        origin_country=selectors.get("origin_country"),
        destination_country=selectors.get("destination_country"),
        commodity=selectors.get("commodity"),
        group=selectors.get("group"),
        factor=values.get("factor"),
        growth_pct=values.get("growth_pct"),
        tonnes_per_year=values.get("tonnes_per_year"),
        tonnes_low=values.get("tonnes_low"),
        tonnes_high=values.get("tonnes_high"),
        source=_text(origin, f"{where}.source", entry["source"]) if "source" in entry else "",
        note=_text(origin, f"{where}.note", entry["note"]) if "note" in entry else "",
    )


def parse_demand(data: Any, *, origin: str) -> DemandOverlay:
    """Validate a scenario's ``demand:`` section.

    Raises
    ------
    ScenarioError
        Naming the file, the entry (``demand.changes[1].factor``) and what is valid.

    Examples
    --------
    >>> parse_demand({"growth_pct": 20}, origin="s.yaml").growth_pct
    20.0
    >>> parse_demand({"growth_pct": "lots"}, origin="s.yaml")
    Traceback (most recent call last):
    ...
    caspian.errors.ScenarioError: s.yaml, demand.growth_pct: must be a number; got 'lots'
    """
    if not isinstance(data, dict):
        raise _fail(origin, "demand", f"must be a mapping with keys: {', '.join(DEMAND_KEYS)}")
    bad = sorted((str(k) for k in data if k not in DEMAND_KEYS), key=str)
    if bad:
        raise _fail(
            origin,
            "demand",
            f"unknown key(s) {', '.join(bad[:8])}; valid: {', '.join(DEMAND_KEYS)}",
        )
    growth = 0.0
    if "growth_pct" in data:
        growth = _number(origin, "demand.growth_pct", data["growth_pct"], minimum=-100, maximum=1e5)
    entries = data.get("changes") or []
    if not isinstance(entries, list):
        raise _fail(origin, "demand.changes", "must be a list of entries")
    changes = tuple(_entry(origin, f"demand.changes[{i}]", e) for i, e in enumerate(entries))
    if not growth and not changes:
        raise _fail(origin, "demand", "changes nothing; give growth_pct or changes")
    return DemandOverlay(growth_pct=growth, changes=changes)
