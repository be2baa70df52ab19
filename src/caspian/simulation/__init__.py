"""Operations simulation of the Astara border crossing and the Caspian Port.

Front door::

    from caspian.simulation import load_config_file, simulate_border
    cfg = load_config_file("border").scenario("software")
    result = simulate_border(cfg, seed=1, replications=5, days=14)
    result.tfi1_hours()  # mean hours to clear the border per direction (CAREC TFI1)
"""

from __future__ import annotations

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
