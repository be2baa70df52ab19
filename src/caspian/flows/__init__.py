"""Trade flows on the network: assign an origin–destination demand in tonnes, with capacity.

Front door: :func:`assign_flows` (methods ``ue``, ``logit``, ``lp``); build the capacity
elements with :func:`capacity_elements` from :func:`caspian.io.capacity.load_capacity`.
Results (:class:`FlowResult`) are summarised by :func:`element_loads`,
:func:`place_throughput` and :func:`mode_tonne_km`.
"""

from __future__ import annotations

from caspian.flows.assign import METHODS, assign_flows, solve_model
from caspian.flows.build import FlowModel, build_flow_model
from caspian.flows.capacity import CapacityElement, capacity_elements
from caspian.flows.result import (
    ElementLoad,
    FlowResult,
    PlaceThroughput,
    element_loads,
    mode_tonne_km,
    place_throughput,
)

__all__ = [
    "METHODS",
    "CapacityElement",
    "ElementLoad",
    "FlowModel",
    "FlowResult",
    "PlaceThroughput",
    "assign_flows",
    "build_flow_model",
    "capacity_elements",
    "element_loads",
    "mode_tonne_km",
    "place_throughput",
    "solve_model",
]
