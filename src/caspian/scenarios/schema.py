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

import yaml

from caspian.errors import ScenarioError

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
_TOP = {"name", "description", "source", "assumptions", *SECTIONS}
_STATUSES = {
    "links": {"open", "planned", "closed"},
    "nodes": {"open", "closed"},
    "borders": {"open", "closed"},
}


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
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise _fail(
            origin, "", f"unknown key(s) {', '.join(unknown)}; valid: " + ", ".join(sorted(_TOP))
        )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(origin, "name", "a non-empty scenario name is required")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(origin, "description", "must be text")
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
            bad = sorted(set(entry) - set(keys))
            if bad:
                raise _fail(
                    origin,
                    where,
                    f"unknown key(s) {', '.join(map(str, bad))}; valid: " + ", ".join(sorted(keys)),
                )
            for key, value in entry.items():
                _check_value(origin, where, section, key, keys[key], value)
            changes.append(Change(section, i, dict(entry)))
    if not changes:
        raise _fail(
            origin, "", "the scenario changes nothing; add entries under " + ", ".join(SECTIONS)
        )
    return Scenario(
        name=name.strip(),
        description=description.strip(),
        origin=origin,
        changes=tuple(changes),
        source=str(data.get("source", "")),
        assumptions=tuple(assumptions),
    )


def _check_value(origin: str, where: str, section: str, key: str, kind: str, value: Any) -> None:
    if kind == _NUM:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise _fail(origin, f"{where}.{key}", f"must be a number; got {value!r}")
        if value < 0:
            raise _fail(origin, f"{where}.{key}", f"must be ≥ 0; got {value!r}")
        if key in ("sailings_per_week", "payload_t", "distance_km", "speed_kmh") and value == 0:
            raise _fail(origin, f"{where}.{key}", "must be > 0")
    elif kind == _LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(origin, f"{where}.{key}", "must be a list of ids")
    elif not isinstance(value, str | int):
        raise _fail(origin, f"{where}.{key}", f"must be text; got {value!r}")
    if key == "status" and section in _STATUSES and value not in _STATUSES[section]:
        raise _fail(
            origin,
            f"{where}.status",
            f"must be one of {', '.join(sorted(_STATUSES[section]))}; got {value!r}",
        )


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
    text: str
    origin: str
    path = Path(name_or_path)
    if str(name_or_path) in builtin_names():
        res = resources.files("caspian.scenarios") / "builtin" / f"{name_or_path}.yaml"
        text, origin = res.read_text(encoding="utf-8"), f"scenario {name_or_path}"
    elif path.suffix in (".yaml", ".yml") or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from None
        origin = str(path)
    else:
        raise ScenarioError(
            f"Unknown scenario '{name_or_path}'. Built-in scenarios: "
            f"{', '.join(builtin_names())}; or give a path to a .yaml file."
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{origin}:{line} is not valid YAML ({exc})") from None
    return parse_scenario(data, origin=origin)
