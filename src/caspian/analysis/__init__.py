"""Corridor analytics on top of the planner: corridors, scenario comparison, criticality,
CAREC CPMM indicators, ESCAP time/cost-distance charts and the HTML report."""

from __future__ import annotations

from caspian.analysis.compare import CorridorChange, compare_scenario
from caspian.analysis.corridors import DEFAULT_CORRIDORS, Corridor, load_corridors
from caspian.analysis.criticality import CriticalElement, criticality
from caspian.analysis.indicators import CorridorIndicators, cpmm_indicators

__all__ = [
    "DEFAULT_CORRIDORS",
    "Corridor",
    "CorridorChange",
    "CorridorIndicators",
    "CriticalElement",
    "compare_scenario",
    "cpmm_indicators",
    "criticality",
    "load_corridors",
]
