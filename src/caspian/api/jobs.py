"""Kinds of run: their parameters (checked before queueing) and the work done in a run process.

``simulate-border`` and ``simulate-port`` run the operations simulation
(:mod:`caspian.simulation`) on the shipped config, a named config scenario and lever
overrides; ``flows-assign`` assigns the bundled OD demand (:mod:`caspian.flows`) as
``caspian flows assign`` does. A new kind is a :class:`Kind` in :data:`KINDS` with its
``check`` (in the request, before queueing) and ``run`` (in the run's process).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caspian.errors import CaspianError, ValidationError

__all__ = [
    "KINDS",
    "Kind",
    "ProgressFn",
    "check_params",
    "flows_doc",
    "kinds_doc",
    "run_kind",
]

ProgressFn = Callable[[float, str], None]
"""Called by a run with its progress (0–1) and a short message."""

MAX_DAYS = 60.0
MAX_REPLICATIONS = 20
MAX_SERIES_POINTS = 400
_MODEL = {"simulate-border": "border", "simulate-port": "port"}
_TOP_KEYS = {"scenario", "days", "replications", "seed", "levers"}


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of run: whether it can run here, its parameter check and its work."""

    name: str
    available: bool
    check: Callable[[dict[str, Any]], dict[str, Any]]
    run: Callable[[dict[str, Any], ProgressFn], dict[str, Any]]
    why_not: str = ""


def _bad(message: str) -> ValidationError:
    return ValidationError(f"params: {message}")


def _config_class(model: str) -> type[Any]:
    from caspian.simulation.config import BorderConfig, PortConfig

    return BorderConfig if model == "border" else PortConfig


def _number(params: dict[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"{key} must be a number from {low:g} to {high:g}; got {str(value)[:40]}")
    if not low <= value <= high:
        raise _bad(f"{key} must be from {low:g} to {high:g}; got {value:g}")
    return float(value)


def _whole(params: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(f"{key} must be a whole number from {low} to {high}; got {str(value)[:40]}")
    return int(value)


def _simulation_check(model: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def check(params: dict[str, Any]) -> dict[str, Any]:
        """Normalised parameters; every value checked as the command line checks it."""
        from caspian.simulation.capacity import run_size
        from caspian.simulation.config import _coerce, load_config_file
        from caspian.simulation.limits import check_run_size

        unknown = sorted(set(params) - _TOP_KEYS)
        if unknown:
            raise _bad(f"unknown key(s) {', '.join(unknown)[:80]}; valid: {', '.join(_TOP_KEYS)}")
        cfg_file = load_config_file(model)
        scenario = params.get("scenario", "baseline")
        if not isinstance(scenario, str) or scenario not in cfg_file.scenarios:
            raise _bad(
                f"scenario must be one of {', '.join(cfg_file.scenarios)}; got {str(scenario)[:40]}"
            )
        days = _number(params, "days", 7.0 if model == "border" else 30.0, 0.1, MAX_DAYS)
        replications = _whole(params, "replications", 5, 1, MAX_REPLICATIONS)
        seed = _whole(params, "seed", 0, 0, 2**31 - 1)
        raw = params.get("levers") or {}
        if not isinstance(raw, dict):
            raise _bad("levers must be an object of lever: value (GET /api/v1/runs/kinds)")
        cls = _config_class(model)
        levers = {str(k): _coerce(cls, str(k), v, "params.levers") for k, v in raw.items()}
        try:
            cfg = dataclasses.replace(cfg_file.scenario(scenario), **levers)
        except ValidationError as exc:
            raise _bad(f"levers: {exc}") from None
        check_run_size([run_size(model, cfg, days=days, replications=replications)])
        return {
            "scenario": scenario,
            "days": days,
            "replications": replications,
            "seed": seed,
            "levers": {k: list(v) if isinstance(v, tuple) else v for k, v in levers.items()},
        }

    return check


def _sample(grid: Any, series: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    n = len(grid)
    step = max(1, math.ceil(n / MAX_SERIES_POINTS))
    idx = np.arange(0, n, step)
    return {
        "hours": [round(float(h), 3) for h in np.asarray(grid)[idx]],
        "series": {k: [float(v) for v in np.asarray(s)[idx]] for k, s in series.items()},
    }


def _histogram(values: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    finite = {k: np.asarray(v)[np.isfinite(v)] for k, v in values.items()}
    top = max((float(v.max()) for v in finite.values() if v.size), default=1.0)
    edges = np.linspace(0.0, max(top, 1e-6), 41)
    return {
        "bins_hours": [round(float(e), 4) for e in edges],
        "counts": {k: [int(c) for c in np.histogram(v, bins=edges)[0]] for k, v in finite.items()},
    }


def _series(result: Any) -> dict[str, Any]:
    from caspian.simulation.results import EntityDetail, PortDetail

    detail = result.detail
    if isinstance(detail, EntityDetail):
        time_in = detail.exit_hours - detail.arrival_hours
        per_direction = {
            name: time_in[detail.direction == d] for d, name in enumerate(detail.direction_names)
        }
        return {
            "queue": _sample(detail.queue_grid_hours, detail.queue_series),
            "waiting": _histogram(per_direction),
        }
    if isinstance(detail, PortDetail):
        return {
            "queue": _sample(detail.queue_grid_hours, detail.queue_series),
            "stock": _sample(detail.queue_grid_hours, detail.stock_series),
            "waiting": _histogram(detail.time_in_system),
        }
    return {}


def _simulation_run(model: str) -> Callable[[dict[str, Any], ProgressFn], dict[str, Any]]:
    def run(params: dict[str, Any], progress: ProgressFn) -> dict[str, Any]:
        """Run the simulation in this process (one worker: runs already run in parallel)."""
        from caspian.simulation import load_config_file, simulate_border, simulate_port
        from caspian.simulation.output import planner_scenario, to_json

        cls = _config_class(model)
        levers = {k: tuple(v) if isinstance(v, list) else v for k, v in params["levers"].items()}
        levers = {k: v for k, v in levers.items() if k in {f.name for f in dataclasses.fields(cls)}}
        cfg = dataclasses.replace(load_config_file(model).scenario(params["scenario"]), **levers)
        runner = simulate_border if model == "border" else simulate_port
        reps = params["replications"]
        progress(0.0, f"0 of {reps} replications")
        result = runner(
            cfg,
            seed=params["seed"],
            replications=reps,
            days=params["days"],
            scenario=params["scenario"],
            workers=1,
            progress=lambda done, total: progress(done / total, f"{done} of {total} replications"),
        )
        out: dict[str, Any] = {
            "summary": json.loads(to_json(result.as_dict())),
            "series": json.loads(to_json(_series(result))),
        }
        if model == "border":
            out["planner_scenario"] = planner_scenario(result, scenario=params["scenario"])
        return out

    return run


_FLOW_KEYS = {"method", "bound", "year", "scenario", "lang"}


def _flows_check(params: dict[str, Any]) -> dict[str, Any]:
    """Normalised flow-assignment parameters (built-in scenarios only: runs read no files)."""
    from caspian.flows import METHODS
    from caspian.scenarios import builtin_names

    unknown = sorted(set(params) - _FLOW_KEYS)
    if unknown:
        raise _bad(f"unknown key(s) {', '.join(unknown)[:80]}; valid: {', '.join(_FLOW_KEYS)}")
    method = params.get("method", "ue")
    if method not in METHODS:
        raise _bad(f"method must be one of {', '.join(METHODS)}; got {str(method)[:40]}")
    bound = params.get("bound", "central")
    if bound not in ("central", "low", "high"):
        raise _bad(f"bound must be central, low or high; got {str(bound)[:40]}")
    year = params.get("year")
    if year is not None:
        year = _whole(params, "year", 0, 1990, 2100)
    scenario = params.get("scenario")
    if scenario is not None and scenario not in builtin_names():
        raise _bad(
            f"scenario must be a built-in scenario ({', '.join(builtin_names())}) or null; "
            f"got {str(scenario)[:40]}"
        )
    lang = params.get("lang", "en")
    if lang not in ("en", "fa"):
        raise _bad(f"lang must be en or fa; got {str(lang)[:20]}")
    return {"method": method, "bound": bound, "year": year, "scenario": scenario, "lang": lang}


def flows_doc(params: dict[str, Any]) -> dict[str, Any]:
    """The flow assignment of ``params`` (checked here), in this process."""
    try:
        checked = _flows_check(params)
    except CaspianError as exc:
        from caspian.api.errors import ApiError

        raise ApiError.from_library(exc) from None
    return _flows_run(checked, lambda _f, _m: None)


def _flows_run(params: dict[str, Any], progress: ProgressFn) -> dict[str, Any]:
    """Assign the year's OD demand as ``caspian flows assign --json`` does."""
    from caspian.flows import mode_tonne_km
    from caspian.flows.export import flows_geojson
    from caspian.services.flows import element_dicts, flow_summary, place_dicts, run_flows

    progress(0.0, f"assigning the demand ({params['method']})")
    result = run_flows(
        data=None,
        scenario=params["scenario"],
        year=params["year"],
        method=params["method"],
        bound=params["bound"],
        demand_path=None,
        capacity_path=None,
    )
    network = result.model.network
    summary = flow_summary(result)
    settings = {"scenario": params["scenario"], "year": params["year"], "bound": params["bound"]}
    doc = {
        "summary": {**settings, **summary},
        "elements": element_dicts(result, network, params["lang"]),
        "places": place_dicts(result, network, params["lang"]),
        "tonne_km": {k: round(v, 0) for k, v in mode_tonne_km(result).items()},
        "geojson": flows_geojson(result, settings={**settings, **summary}),
    }
    from caspian.simulation.output import to_json  # non-finite numbers become null

    out: dict[str, Any] = json.loads(to_json(doc))
    return out


KINDS: dict[str, Kind] = {
    "simulate-border": Kind(
        "simulate-border", True, _simulation_check("border"), _simulation_run("border")
    ),
    "simulate-port": Kind(
        "simulate-port", True, _simulation_check("port"), _simulation_run("port")
    ),
    "flows-assign": Kind("flows-assign", True, _flows_check, _flows_run),
}
"""Every kind of run, by the name a request uses."""


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The normalised parameters of a run, or a :class:`ValidationError` naming the bad one."""
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of {', '.join(KINDS)}; got {kind[:40]}")
    try:
        return KINDS[kind].check(params)
    except CaspianError:
        raise
    except (TypeError, ValueError) as exc:  # pragma: no cover - a check missed a case
        raise _bad(str(exc)) from None


def run_kind(kind: str, params: dict[str, Any], progress: ProgressFn) -> dict[str, Any]:
    """Do the work of a run (in the run's own process)."""
    return KINDS[kind].run(params, progress)


def _lever_range(name: str, kind: str, default: Any) -> dict[str, Any]:
    """Slider bounds for a lever: shares 0–1, months 1–12, hours 0–24, counts and times ×4."""
    if kind == "bool":
        return {}
    if "share" in name:
        return {"min": 0.0, "max": 1.0, "step": 0.01}
    if name == "start_month":
        return {"min": 1, "max": 12, "step": 1}
    if name.endswith("_hour"):
        return {"min": 0.0, "max": 24.0, "step": 0.5}
    if name == "service_cv":
        return {"min": 0.0, "max": 2.0, "step": 0.05}
    if kind == "int":
        return {"min": 1, "max": max(10, int(default) * 4), "step": 1}
    high = max(1.0, float(default) * 4)
    return {"min": 0.0, "max": high, "step": round(high / 200, 4)}


def kinds_doc() -> list[dict[str, Any]]:
    """Every kind with its config scenarios, defaults, limits and levers (for forms)."""
    from caspian.simulation.config import load_config_file

    try:
        from caspian.simulation.levers import LEVERS as helps
    except ImportError:  # pragma: no cover - the CLI is part of the package
        helps = {}
    out = []
    for name, kind in KINDS.items():
        entry: dict[str, Any] = {"kind": name, "available": kind.available}
        if not kind.available:
            entry["why_not"] = kind.why_not
            out.append(entry)
            continue
        if name == "flows-assign":
            from caspian.flows import METHODS
            from caspian.scenarios import builtin_names

            entry.update(
                methods=list(METHODS),
                bounds=["central", "low", "high"],
                scenarios=builtin_names(),
                defaults={"method": "ue", "bound": "central", "year": None, "scenario": None},
            )
            out.append(entry)
            continue
        model = _MODEL[name]
        cfg_file = load_config_file(model)
        base = cfg_file.scenario("baseline")
        levers = []
        for f in dataclasses.fields(base):
            value = getattr(base, f.name)
            kind_name = "list" if str(f.type).startswith("tuple") else str(f.type)
            levers.append(
                {
                    "name": f.name,
                    "type": kind_name,
                    "default": list(value) if isinstance(value, tuple) else value,
                    "help": helps.get(f.name, ("", ""))[1] or f.name.replace("_", " "),
                    **({} if kind_name == "list" else _lever_range(f.name, kind_name, value)),
                }
            )
        entry.update(
            scenarios=list(cfg_file.scenarios),
            scenario_levers={
                s: {k: list(v) if isinstance(v, tuple) else v for k, v in o.items()}
                for s, o in cfg_file.scenarios.items()
            },
            defaults={"days": 7.0 if model == "border" else 30.0, "replications": 5, "seed": 0},
            limits={"days": [0.1, MAX_DAYS], "replications": [1, MAX_REPLICATIONS]},
            levers=levers,
        )
        out.append(entry)
    return out
