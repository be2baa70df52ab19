"""Scenario files: parse and validate the YAML schema (without a network).

Checks against a network's ids happen in :mod:`caspian.scenarios.apply`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from caspian.errors import ScenarioError, ValidationError
from caspian.io.columns import CellError, country, ident
from caspian.io.tables import parse_cells, table_columns
from caspian.io.yamlsafe import MAX_YAML_BYTES, load_yaml_file, load_yaml_text, shorten
from caspian.model.demand import DemandOverlay
from caspian.scenarios.demand import parse_demand

__all__ = ["SECTIONS", "Change", "Scenario", "builtin_names", "load_scenario", "parse_scenario"]

_NUM = "number"
_STR = "text"
_LIST = "list"

# Allowed keys per section: key -> kind. Selectors say *what* to change; the rest is the change.
SECTIONS: dict[str, dict[str, str]] = {
    "links": {
        "id": _STR,
        "from": _STR,
        "to": _STR,
        "mode": _STR,
        "distance_km": _NUM,
        "gauge_mm": _STR,
        "status": _STR,
        "capacity_t_per_year": _NUM,
        "speed_kmh": _NUM,
        "source": _STR,
        "note": _STR,
    },
    "nodes": {
        "id": _STR,
        "name_en": _STR,
        "name_fa": _STR,
        "aliases": _STR,
        "country": _STR,
        "kind": _STR,
        "lat": _NUM,
        "lon": _NUM,
        "status": _STR,
        "source": _STR,
        "note": _STR,
    },
    "borders": {
        "node": _STR,
        "country": _STR,
        "except": _LIST,
        "mode": _STR,
        "from_country": _STR,
        "to_country": _STR,
        "clearance_hours": _NUM,
        "clearance_factor": _NUM,
        "fee_usd_per_vehicle": _NUM,
        "status": _STR,
        "source": _STR,
        "note": _STR,
    },
    "services": {
        "id": _STR,
        "link": _STR,
        "sailings_per_week": _NUM,
        "sailings_factor": _NUM,
        "cargo_offered_t_per_week": _NUM,
        "payload_t": _NUM,
        "sails_when_loaded": _STR,
        "operator": _STR,
        "source": _STR,
        "note": _STR,
    },
    "terminals": {
        "node": _STR,
        "from_layer": _STR,
        "to_layer": _STR,
        "method": _STR,
        "cargo_class": _STR,
        "handling_usd_per_t": _NUM,
        "handling_hours": _NUM,
        "co2e_kg_per_t": _NUM,
        "source": _STR,
        "note": _STR,
    },
    "mode_costs": {
        "mode": _STR,
        "cargo_class": _STR,
        "cost_usd_per_tkm": _NUM,
        "cost_factor": _NUM,
        "speed_kmh": _NUM,
        "co2e_g_per_tkm": _NUM,
        "source": _STR,
        "note": _STR,
    },
}
_TOP = {"name", "description", "description_fa", "source", "assumptions", "demand", *SECTIONS}
_STATUSES = {
    "links": {"open", "planned", "closed"},
    "nodes": {"open", "closed"},
    "borders": {"open", "closed"},
}
TABLES = {
    "links": "links.csv",
    "nodes": "nodes.csv",
    "borders": "borders.csv",
    "services": "services.csv",
    "terminals": "terminals.csv",
    "mode_costs": "modes.csv",
}
"""The data table whose column rules check each section's values (one validation path)."""
MAX_SCENARIO_BYTES = MAX_YAML_BYTES
"""Largest scenario file read."""


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a scenario section, with where it came from (for error messages)."""

    section: str
    index: int
    values: Mapping[str, Any]

    def where(self, origin: str) -> str:
        """``file, links[2]``-style location."""
        return f"{origin}, {self.section}[{self.index}]"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated scenario: a name, a description and its changes, section by section."""

    name: str
    description: str
    origin: str
    changes: tuple[Change, ...] = field(default=())
    source: str = ""
    assumptions: tuple[str, ...] = ()
    demand: DemandOverlay | None = None
    """The ``demand:`` section (growth and per-flow changes), if any."""
    description_fa: str = ""
    """The description in Persian (optional ``description_fa:``)."""

    def describe(self, lang: str = "en") -> str:
        """The description in ``lang`` (Persian when given, else English)."""
        return self.description_fa if lang == "fa" and self.description_fa else self.description

    def section(self, name: str) -> list[Change]:
        """The changes of one section, in file order."""
        return [c for c in self.changes if c.section == name]


def _fail(origin: str, where: str, message: str) -> ScenarioError:
    return ScenarioError(f"{origin}{', ' + where if where else ''}: {message}")


def parse_scenario(data: object, *, origin: str = "<scenario>") -> Scenario:
    """Validate a scenario document (already parsed from YAML).

    Raises
    ------
    ScenarioError
        Naming the file, the entry (``links[2]``), the key and what is valid.
    """
    if not isinstance(data, dict):
        raise _fail(origin, "", "a scenario is a mapping with keys: " + ", ".join(sorted(_TOP)))
    unknown = sorted(set(data) - _TOP, key=str)
    if unknown:
        raise _fail(
            origin, "", f"unknown key(s) {_keys(unknown)}; valid: " + ", ".join(sorted(_TOP))
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(origin, "name", "a non-empty scenario name is required")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(origin, "description", "must be text")
    description_fa = data.get("description_fa", "")
    if not isinstance(description_fa, str):
        raise _fail(origin, "description_fa", "must be text")
    assumptions = data.get("assumptions", [])
    if isinstance(assumptions, str):
        assumptions = [assumptions]
    if not isinstance(assumptions, list) or not all(isinstance(a, str) for a in assumptions):
        raise _fail(origin, "assumptions", "must be a list of text lines")
    changes: list[Change] = []
    for section, keys in SECTIONS.items():
        entries = data.get(section, [])
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise _fail(origin, section, "must be a list of entries")
        for i, entry in enumerate(entries):
            where = f"{section}[{i}]"
            if not isinstance(entry, dict):
                raise _fail(origin, where, "each entry is a mapping of key: value")
            bad = sorted(set(entry) - set(keys), key=str)
            if bad:
                raise _fail(
                    origin,
                    where,
                    f"unknown key(s) {_keys(bad)}; valid: " + ", ".join(sorted(keys)),
                )
            changes.append(Change(section, i, _check_entry(origin, where, section, entry)))
    demand = parse_demand(data["demand"], origin=origin) if "demand" in data else None
    if not changes and demand is None:
        raise _fail(
            origin,
            "",
            "the scenario changes nothing; add entries under " + ", ".join([*SECTIONS, "demand"]),
        )
    return Scenario(
        name=name.strip(),
        description=description.strip(),
        description_fa=description_fa.strip(),
        origin=origin,
        changes=tuple(changes),
        source=str(data.get("source", "")),
        assumptions=tuple(assumptions),
        demand=demand,
    )


def _keys(keys: list[Any]) -> str:
    shown = ", ".join(shorten(k, limit=40) if not isinstance(k, str) else k[:40] for k in keys[:8])
    return shown + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")


def _check_entry(origin: str, where: str, section: str, entry: dict[Any, Any]) -> dict[str, Any]:
    """Check an entry's values; return them with table columns parsed as the loader does.

    Keys that are columns of the section's data table (``lat`` of ``nodes``, ``distance_km``
    of ``links`` …) go through the CSV loader's column rules (:func:`parse_cells`), so a
    value the tables refuse is refused here with the same words. The scenario's own keys
    (``clearance_factor``, ``except`` …) are checked here.
    """
    table = TABLES[section]
    columns = set(table_columns(table))
    for key, value in entry.items():
        if key in columns and isinstance(value, bool) and SECTIONS[section][key] == _NUM:
            raise _fail(origin, f"{where}.{key}", f"must be a number; got {shorten(value)}")
    shared = {
        k: v
        for k, v in entry.items()
        if k in columns
        and not (k == "cargo_class" and v == "*")
        and not (section == "nodes" and k == "status")
    }
    parsed, problems = parse_cells(table, shared)
    if problems:
        column, problem = problems[0]
        raise _fail(origin, f"{where}.{column}", f"{problem} (the rule of {table})")
    out = dict(entry)
    out.update(parsed)
    for key, value in entry.items():
        if key not in shared:
            _check_value(origin, where, section, key, SECTIONS[section][key], value)
    status = out.get("status")
    if status is not None and section in _STATUSES and status not in _STATUSES[section]:
        raise _fail(
            origin,
            f"{where}.status",
            f"must be one of {', '.join(sorted(_STATUSES[section]))}; got {shorten(status)}",
        )
    return out


def _check_value(origin: str, where: str, section: str, key: str, kind: str, value: Any) -> None:
    """Check a value of a scenario-only key (one that is not a column of a data table)."""
    at = f"{where}.{key}"
    if kind == _NUM:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _fail(origin, at, f"must be a number; got {shorten(value)}")
        if value < 0:
            raise _fail(origin, at, f"must be ≥ 0; got {shorten(value)}")
    elif kind == _LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(origin, at, f"must be a list of ids; got {shorten(value)}")
        for v in value:
            try:
                ident(v)
            except CellError as exc:
                raise _fail(origin, at, f"bad id {shorten(v)}: {exc}") from None
    elif not isinstance(value, str) or isinstance(value, bool):
        raise _fail(origin, at, f"must be text; got {shorten(value)}")
    if key == "country" and section == "borders":
        try:
            country()(value)
        except CellError as exc:
            raise _fail(origin, at, f"bad value {shorten(value)}: {exc}") from None


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Caspian Gateway."""
    folder = resources.files("caspian.scenarios") / "builtin"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML file by path.

    Raises
    ------
    ScenarioError
        Unknown name (with the valid names), unreadable file, bad YAML or bad schema.
    """
    path = Path(name_or_path)
    try:
        if str(name_or_path) in builtin_names():
            res = resources.files("caspian.scenarios") / "builtin" / f"{name_or_path}.yaml"
            origin = f"scenario {name_or_path}"
            data = load_yaml_text(res.read_text(encoding="utf-8"), origin=origin)
        elif path.suffix in (".yaml", ".yml") or _exists(path):
            origin = str(path)
            data = load_yaml_file(path, what="scenario file", max_bytes=MAX_SCENARIO_BYTES)
        else:
            raise ScenarioError(
                f"Unknown scenario {shorten(str(name_or_path))}. Built-in scenarios: "
                f"{', '.join(builtin_names())}; or give a path to a .yaml file."
            )
    except ScenarioError:
        raise
    except ValidationError as exc:
        raise ScenarioError(str(exc)) from None
    return parse_scenario(data, origin=origin)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False
