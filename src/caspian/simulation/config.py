"""Frozen configuration dataclasses of the simulation models and their YAML loader.

A config file holds ``parameters`` (the baseline), ``scenarios`` (named overrides, the software
and hardware levers) and optionally ``traffic_levels_per_day`` (the traffic levels that
``caspian simulate compare`` runs). Every key is checked against the dataclass fields; a bad key
or value raises :class:`~caspian.errors.ScenarioError` naming the file, the field and what is
valid. Every number must be finite and every count is capped at :data:`MAX_COUNT`, so no
value can make the engines allocate without bound. :func:`dump_config_yaml` writes an
effective configuration back as YAML that :func:`load_config_file` reads.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from caspian.errors import ScenarioError, ValidationError
from caspian.io.yamlsafe import load_yaml_file, load_yaml_text, shorten

__all__ = [
    "BorderConfig",
    "ModelConfigFile",
    "PortConfig",
    "RailConfig",
    "config_kinds",
    "dump_config_yaml",
    "load_config_file",
]

MAX_COUNT = 100_000
"""Largest count of servers, places or slots accepted (a border has a handful)."""
MAX_CV = 10.0
"""Largest coefficient of variation of service times accepted."""

_FLAT_HOURS = (1.0,) * 24
_FLAT_MONTHS = (1.0,) * 12


def _check(ok: bool, name: str, message: str) -> None:
    if not ok:
        raise ValidationError(f"field '{name}': {message}")


def _check_finite(obj: object) -> None:
    """Every float field (and profile entry) must be a finite number."""
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if isinstance(v, float) and not math.isfinite(v):
                raise ValidationError(f"field '{f.name}': must be a finite number, got {v!r}")


def _check_positive_ints(obj: object, names: tuple[str, ...], *, minimum: int = 1) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(
            minimum <= value <= MAX_COUNT,
            name,
            f"must be an integer from {minimum} to {MAX_COUNT:,}, got {value!r}",
        )


def _check_nonnegative(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(value >= 0, name, f"must be >= 0, got {value!r}")


def _check_share(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        _check(0.0 <= value <= 1.0, name, f"must be a share between 0 and 1, got {value!r}")


def _check_cv(obj: BorderConfig | RailConfig | PortConfig) -> None:
    value = obj.service_cv
    _check(value <= MAX_CV, "service_cv", f"must be from 0 to {MAX_CV:g}, got {value!r}")


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
        _check_finite(self)
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
        _check_cv(self)


@dataclass(frozen=True)
class RailConfig:
    """Astara 1520/1435 mm rail transshipment terminal; direction 0 is AZ→IR (1520 mm in)."""

    wagons_per_day: float = 40.0
    share_az_to_ir: float = 0.7
    open_from_hour: float = 8.0
    open_to_hour: float = 20.0
    siding_places_per_direction: int = 60
    inspection_teams_per_direction: int = 2
    transshipment_tracks_per_direction: int = 3
    inspection_hours: float = 0.4
    transshipment_hours: float = 0.6
    service_cv: float = 0.5

    def __post_init__(self) -> None:
        _check_finite(self)
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
        _check_cv(self)


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
        _check_finite(self)
        _check_nonnegative(self, ("export_wagons_per_day", "import_ships_per_day", "service_cv"))
        _check_cv(self)
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
            raise ScenarioError(f"{self.path}: unknown scenario {shorten(name)}; valid: {valid}")
        try:
            return dataclasses.replace(self.base, **self.scenarios[name])
        except ValidationError as exc:
            raise ScenarioError(f"{self.path}: scenario '{name}': {exc}") from None


_KINDS: dict[str, type[Any]] = {"border": BorderConfig, "rail": RailConfig, "port": PortConfig}


def _coerce(cls: type[Any], key: str, value: Any, where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if key not in fields:
        valid = ", ".join(sorted(fields))
        raise ScenarioError(f"{where}: unknown field {shorten(key)}; valid fields: {valid}")
    kind = str(fields[key].type)
    shown = "a list of numbers" if kind.startswith("tuple") else kind
    bad = ScenarioError(f"{where}: field '{key}' must be {shown}, got {shorten(value)}")
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if kind == "float":
        return _number(value, bad)
    if kind.startswith("tuple"):
        if not isinstance(value, list) or len(value) > 24:
            raise bad
        return tuple(_number(v, bad) for v in value)
    raise bad  # pragma: no cover - every field type is handled above


def _number(value: Any, bad: ScenarioError) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad
    try:
        return float(value)
    except OverflowError:
        raise bad from None


def _overrides(cls: type[Any], raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: must be a mapping of field: value")
    return {str(k): _coerce(cls, str(k), v, where) for k, v in raw.items()}


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
        The file is missing, a folder, not UTF-8, not accepted YAML (aliases, nesting deeper
        than 64 levels), or names an unknown field or a bad value.
    """
    if kind not in _KINDS:
        raise ValidationError(f"unknown model {shorten(kind)}; valid: {', '.join(_KINDS)}")
    file = Path(path) if path is not None else builtin_config_path(kind)
    try:
        raw = load_yaml_file(file, what="config file")
    except ValidationError as exc:
        raise ScenarioError(str(exc)) from None
    return _from_mapping(kind, raw, str(file))


def _from_mapping(kind: str, raw: Any, name: str) -> ModelConfigFile[Any]:
    if kind not in _KINDS:
        raise ValidationError(f"unknown model {shorten(kind)}; valid: {', '.join(_KINDS)}")
    cls = _KINDS[kind]
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScenarioError(f"{name}: top level must be a mapping")
    top = {"parameters", "scenarios", "traffic_levels_per_day"}
    for key in raw:
        if key not in top:
            raise ScenarioError(
                f"{name}: unknown top-level key {shorten(key)}; "
                f"valid keys: {', '.join(sorted(top))}"
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
        label = shorten(str(scen)).strip("'")
        scenarios[str(scen)] = _overrides(cls, body, f"{name}: scenarios.{label}")
    levels_raw = raw.get("traffic_levels_per_day") or []
    levels_bad = ScenarioError(
        f"{name}: traffic_levels_per_day must be a list of at most 20 finite numbers >= 0"
    )
    if not isinstance(levels_raw, list) or len(levels_raw) > 20:
        raise levels_bad
    levels = [_number(v, levels_bad) for v in levels_raw]
    if not all(math.isfinite(v) and v >= 0 for v in levels):
        raise levels_bad
    result: ModelConfigFile[Any] = ModelConfigFile(
        path=name,
        base=base,
        scenarios=scenarios,
        traffic_levels_per_day=tuple(levels),
    )
    for scen in scenarios:
        result.scenario(scen)  # validate every scenario once, at the boundary
    return result


def config_kinds() -> tuple[str, ...]:
    """Names of the models that have a config: ``border``, ``rail``, ``port``."""
    return tuple(_KINDS)


def _yaml_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [float(v) for v in value]
    return value


def dump_config_yaml(
    config: BorderConfig | RailConfig | PortConfig,
    *,
    header: str = "",
    traffic_levels_per_day: tuple[float, ...] = (),
) -> str:
    """The effective ``config`` as YAML that :func:`load_config_file` reads back unchanged.

    Parameters
    ----------
    config
        Parameters to write (all fields, in declaration order) under ``parameters``.
    header
        Comment lines written first (each prefixed with ``#``).
    traffic_levels_per_day
        Levels for ``caspian simulate compare``; written when not empty.

    Examples
    --------
    >>> text = dump_config_yaml(RailConfig(wagons_per_day=12.0))
    >>> load_config_text(text, "rail").base.wagons_per_day
    12.0
    """
    params = {f.name: _yaml_value(getattr(config, f.name)) for f in dataclasses.fields(config)}
    doc: dict[str, Any] = {"parameters": params, "scenarios": {"baseline": {}}}
    if traffic_levels_per_day:
        doc["traffic_levels_per_day"] = [float(v) for v in traffic_levels_per_day]
    body = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, allow_unicode=True)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join([*lines, body]) if lines else body


def load_config_text(text: str, kind: str, *, origin: str = "<text>") -> ModelConfigFile[Any]:
    """Parse config YAML held in memory; see :func:`load_config_file`."""
    try:
        raw = load_yaml_text(text, origin=origin)
    except ValidationError as exc:
        raise ScenarioError(str(exc)) from None
    return _from_mapping(kind, raw, origin)
