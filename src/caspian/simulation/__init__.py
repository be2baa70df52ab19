"""Operations simulation of the Astara border crossing and the Caspian Port.

Front door::

    from caspian.simulation import load_config_file, simulate_border
    cfg = load_config_file("border").scenario("software")
    result = simulate_border(cfg, seed=1, replications=5, days=14)
    result.tfi1_hours()  # mean hours to clear the border per direction (CAREC TFI1)

The names below are imported on first use, so ``import caspian.simulation.config`` (what the
command line needs to list its options) does not load numba, NumPy or SimPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caspian.simulation.arrivals import read_arrivals_csv
    from caspian.simulation.config import (
        BorderConfig,
        ModelConfigFile,
        PortConfig,
        RailConfig,
        load_config_file,
    )
    from caspian.simulation.results import Estimate, SimulationResult
    from caspian.simulation.runner import (
        SweepPoint,
        simulate_border,
        simulate_port,
        simulate_rail,
        sweep_border,
    )

    BorderResult = SimulationResult

_WHERE = {
    "read_arrivals_csv": "arrivals",
    "BorderConfig": "config",
    "ModelConfigFile": "config",
    "PortConfig": "config",
    "RailConfig": "config",
    "load_config_file": "config",
    "Estimate": "results",
    "SimulationResult": "results",
    "BorderResult": "results",
    "SweepPoint": "runner",
    "simulate_border": "runner",
    "simulate_port": "runner",
    "simulate_rail": "runner",
    "sweep_border": "runner",
}

__all__ = [
    "BorderConfig",
    "BorderResult",
    "Estimate",
    "ModelConfigFile",
    "PortConfig",
    "RailConfig",
    "SimulationResult",
    "SweepPoint",
    "load_config_file",
    "read_arrivals_csv",
    "simulate_border",
    "simulate_port",
    "simulate_rail",
    "sweep_border",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'caspian.simulation' has no attribute {name!r}")
    module = importlib.import_module(f"caspian.simulation.{_WHERE[name]}")
    value = getattr(module, "SimulationResult" if name == "BorderResult" else name)
    globals()[name] = value
    return value
