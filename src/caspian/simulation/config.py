"""Frozen configuration dataclasses of the simulation models and their YAML loader.

A config file holds ``parameters`` (the baseline), ``scenarios`` (named overrides, the software
and hardware levers) and optionally ``traffic_levels_per_day`` (the traffic levels that
``caspian simulate compare`` runs). Every key is checked against the dataclass fields; a bad key
or value raises :class:`~caspian.errors.ScenarioError` naming the file, the field and what is
valid.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from caspian.errors import ScenarioError, ValidationError

__all__ = [
    "BorderConfig",
    "ModelConfigFile",
    "PortConfig",
    "RailConfig",
    "load_config_file",
]

_FLAT_HOURS = (1.0,) * 24
_FLAT_MONTHS = (1.0,) * 12


def _check(ok: bool, name: str, message: str) -> None:
    if not ok:
        raise ValidationError(f"field '{name}': {message}")


def _check_positive_ints(obj: object, names: tuple[str, ...], *, minimum: int = 1) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(value >= minimum, name, f"must be an integer >= {minimum}, got {value!r}")


def _check_nonnegative(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(value >= 0, name, f"must be >= 0, got {value!r}")


def _check_share(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(0.0 <= value <= 1.0, name, f"must be a share between 0 and 1, got {value!r}")


def _check_hours(obj: object, prefix: str) -> None:
    start = getattr(obj, f"{prefix}open_from_hour")
    end = getattr(obj, f"{prefix}open_to_hour")
    _check(0.0 <= start < 24.0, f"{prefix}open_from_hour", f"must be in [0, 24), got {start!r}")
    _check(0.0 < end <= 24.0, f"{prefix}open_to_hour", f"must be in (0, 24], got {end!r}")
    _check(start != end, f"{prefix}open_to_hour", "must differ from open_from_hour")


def _check_profile(obj: object, name: str, length: int) -> None:
    values = getattr(obj, name)
    _check(len(values) == length, name, f"must list {length} numbers, got {len(values)}")
    _check(all(v >= 0 for v in values), name, "weights must be >= 0")
    _check(sum(values) > 0, name, "weights must not all be 0")


@dataclass(frozen=True)
class BorderConfig:
    """Astara road border crossing (Iran–Azerbaijan), both directions.

    Stage capacities are per direction. Service times are lognormal with the given mean and
    coefficient of variation ``service_cv``. See ``configs/border.yaml`` for sources.
    """

    trucks_per_day: float = 500.0
    share_ir_to_az: float = 0.52
    hour_profile: tuple[float, ...] = _FLAT_HOURS
    month_profile: tuple[float, ...] = _FLAT_MONTHS
    start_month: int = 1
    open_from_hour: float = 7.0
    open_to_hour: float = 23.0
    parking_places_per_direction: int = 150
    entry_lanes_per_direction: int = 1
    document_booths_per_direction: int = 4
    weighbridges_per_direction: int = 1
    xray_scanners_per_direction: int = 1
    inspection_bays_per_direction: int = 4
    exit_lanes_per_direction: int = 1
    entry_gate_minutes: float = 2.0
    document_minutes: float = 12.0
    edeclaration_document_minutes: float = 4.0
    weighbridge_minutes: float = 3.0
    xray_minutes: float = 3.0
    inspection_minutes: float = 45.0
    exit_gate_minutes: float = 2.0
    service_cv: float = 0.5
    edeclaration_share: float = 0.1
    inspection_share: float = 0.3
    equeue: bool = False
    equeue_slots_per_hour_per_direction: int = 20

    def __post_init__(self) -> None:
        _check(self.trucks_per_day >= 0, "trucks_per_day", "must be >= 0")
        _check_share(self, ("share_ir_to_az", "edeclaration_share", "inspection_share"))
        _check_profile(self, "hour_profile", 24)
        _check_profile(self, "month_profile", 12)
        _check(1 <= self.start_month <= 12, "start_month", "must be a month number 1..12")
        _check_hours(self, "")
        _check_positive_ints(
            self,
            (
                "parking_places_per_direction",
                "entry_lanes_per_direction",
                "document_booths_per_direction",
                "weighbridges_per_direction",
                "xray_scanners_per_direction",
                "inspection_bays_per_direction",
                "exit_lanes_per_direction",
                "equeue_slots_per_hour_per_direction",
            ),
        )
        _check_nonnegative(
            self,
            (
                "entry_gate_minutes",
                "document_minutes",
                "edeclaration_document_minutes",
                "weighbridge_minutes",
                "xray_minutes",
                "inspection_minutes",
                "exit_gate_minutes",
                "service_cv",
            ),
        )


@dataclass(frozen=True)
class RailConfig:
    """Astara 1520/1435 mm rail transshipment terminal; direction 0 is AZ→IR (1520 mm in)."""

    wagons_per_day: float = 40.0
    share_az_to_ir: float = 0.7
    open_from_hour: float = 8.0
    open_to_hour: float = 20.0
    siding_places_per_direction: int = 60
    inspection_teams_per_direction: int = 1
    transshipment_tracks_per_direction: int = 2
    inspection_hours: float = 0.5
    transshipment_hours: float = 2.5
    service_cv: float = 0.5

    def __post_init__(self) -> None:
        _check(self.wagons_per_day >= 0, "wagons_per_day", "must be >= 0")
        _check_share(self, ("share_az_to_ir",))
        _check_hours(self, "")
        _check_positive_ints(
            self,
            (
                "siding_places_per_direction",
                "inspection_teams_per_direction",
                "transshipment_tracks_per_direction",
            ),
        )
        _check_nonnegative(self, ("inspection_hours", "transshipment_hours", "service_cv"))


@dataclass(frozen=True)
class PortConfig:
    """Caspian Port / Anzali rail ↔ ship terminal with two cargo flows.

    * ``rail_to_ship`` (general cargo, e.g. Turkey → Central Asia): loaded wagons arrive, are
      unloaded to the yard; ships berth empty, load from the yard and sail when full.
    * ``ship_to_rail`` (grain, e.g. Kazakhstan → Iran): loaded ships berth and discharge to the
      yard; wagons are loaded from the yard and leave.
    """

    export_wagons_per_day: float = 30.0
    import_ships_per_day: float = 0.6
    wagon_payload_t: float = 60.0
    vessel_payload_t: float = 3000.0
    berths: int = 2
    rail_tracks: int = 3
    wagon_unload_hours: float = 1.0
    wagon_load_hours: float = 1.0
    general_ship_load_t_per_hour: float = 120.0
    grain_ship_discharge_t_per_hour: float = 250.0
    export_yard_capacity_t: float = 20000.0
    import_yard_capacity_t: float = 20000.0
    service_cv: float = 0.3

    def __post_init__(self) -> None:
        _check_nonnegative(self, ("export_wagons_per_day", "import_ships_per_day", "service_cv"))
        _check_positive_ints(self, ("berths", "rail_tracks"))
        for name in (
            "wagon_payload_t",
            "vessel_payload_t",
            "wagon_unload_hours",
            "wagon_load_hours",
            "general_ship_load_t_per_hour",
            "grain_ship_discharge_t_per_hour",
        ):
            _check(getattr(self, name) > 0, name, "must be > 0")
        for name in ("export_yard_capacity_t", "import_yard_capacity_t"):
            _check(
                getattr(self, name) >= max(self.vessel_payload_t, self.wagon_payload_t),
                name,
                "must hold at least one vessel payload",
            )


ConfigT = TypeVar("ConfigT", BorderConfig, RailConfig, PortConfig)


@dataclass(frozen=True)
class ModelConfigFile(Generic[ConfigT]):
    """A loaded config file: baseline parameters plus named scenarios."""

    path: str
    base: ConfigT
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    traffic_levels_per_day: tuple[float, ...] = ()

    def scenario(self, name: str) -> ConfigT:
        """Return the baseline with scenario ``name`` applied (``+`` combines scenarios)."""
        if name not in self.scenarios:
            valid = ", ".join(sorted(self.scenarios))
            raise ScenarioError(f"{self.path}: unknown scenario '{name}'; valid: {valid}")
        try:
            return dataclasses.replace(self.base, **self.scenarios[name])
        except ValidationError as exc:
            raise ScenarioError(f"{self.path}: scenario '{name}': {exc}") from None


_KINDS: dict[str, type[Any]] = {"border": BorderConfig, "rail": RailConfig, "port": PortConfig}


def _coerce(cls: type[Any], key: str, value: Any, where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if key not in fields:
        valid = ", ".join(sorted(fields))
        raise ScenarioError(f"{where}: unknown field '{key}'; valid fields: {valid}")
    kind = str(fields[key].type)
    bad = ScenarioError(f"{where}: field '{key}' must be {kind}, got {value!r}")
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad
        return float(value)
    if kind.startswith("tuple"):
        if not isinstance(value, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value
        ):
            raise bad
        return tuple(float(v) for v in value)
    raise bad  # pragma: no cover - every field type is handled above


def _overrides(cls: type[Any], raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: must be a mapping of field: value")
    return {str(k): _coerce(cls, str(k), v, f"{where}") for k, v in raw.items()}


def builtin_config_path(kind: str) -> Path:
    """Path of the shipped config of a model (``border``, ``rail`` or ``port``)."""
    return Path(str(resources.files("caspian.simulation") / "configs" / f"{kind}.yaml"))


def load_config_file(kind: str, path: str | Path | None = None) -> ModelConfigFile[Any]:
    """Load and validate a model config file (the shipped one when ``path`` is ``None``).

    Parameters
    ----------
    kind
        ``"border"``, ``"rail"`` or ``"port"``.
    path
        YAML file with ``parameters``, ``scenarios`` and ``traffic_levels_per_day``.

    Raises
    ------
    ScenarioError
        The file is missing, not YAML, or names an unknown field or a bad value.
    """
    if kind not in _KINDS:
        raise ValidationError(f"unknown model '{kind}'; valid: {', '.join(_KINDS)}")
    cls = _KINDS[kind]
    file = Path(path) if path is not None else builtin_config_path(kind)
    name = str(file)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{name}: config file not found") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{name}: not valid YAML ({exc})") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{name}: top level must be a mapping")
    top = {"parameters", "scenarios", "traffic_levels_per_day"}
    for key in raw:
        if key not in top:
            raise ScenarioError(
                f"{name}: unknown top-level key '{key}'; valid keys: {', '.join(sorted(top))}"
            )
    params = _overrides(cls, raw.get("parameters"), f"{name}: parameters")
    try:
        base = cls(**params)
    except ValidationError as exc:
        raise ScenarioError(f"{name}: parameters: {exc}") from None
    scenarios: dict[str, dict[str, Any]] = {"baseline": {}}
    raw_scen = raw.get("scenarios") or {}
    if not isinstance(raw_scen, dict):
        raise ScenarioError(f"{name}: scenarios must be a mapping of name: overrides")
    for scen, body in raw_scen.items():
        scenarios[str(scen)] = _overrides(cls, body, f"{name}: scenarios.{scen}")
    levels_raw = raw.get("traffic_levels_per_day") or []
    if not isinstance(levels_raw, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in levels_raw
    ):
        raise ScenarioError(f"{name}: traffic_levels_per_day must be a list of numbers >= 0")
    result: ModelConfigFile[Any] = ModelConfigFile(
        path=name,
        base=base,
        scenarios=scenarios,
        traffic_levels_per_day=tuple(float(v) for v in levels_raw),
    )
    for scen in scenarios:
        result.scenario(scen)  # validate every scenario once, at the boundary
    return result
