"""What-if scenarios: YAML files that open, close, add or change parts of the network.

Front door: :func:`load_scenario` (by built-in name or file) and :func:`apply_scenario`.
The schema is documented in ``docs/scenarios.md``.
"""

from __future__ import annotations

from caspian.scenarios.apply import apply_demand, apply_scenario
from caspian.scenarios.schema import Scenario, builtin_names, load_scenario, parse_scenario

__all__ = [
    "Scenario",
    "apply_demand",
    "apply_scenario",
    "builtin_names",
    "load_scenario",
    "parse_scenario",
]
