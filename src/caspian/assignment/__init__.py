"""Static traffic assignment: multi-class user equilibrium on any network.

One front door, :func:`assign`, over a registry of methods (:data:`METHODS`). The problem
(:class:`AssignmentProblem`) holds links with BPR delay functions and one or more classes
of demand with their own fixed cost, value of time and PCE; the result
(:class:`AssignmentResult`) holds flows per class and in vehicles, costs, the Beckmann
objective and the relative gap. See ``docs/assignment.md``.
"""

from __future__ import annotations

from caspian.assignment.problem import AssignmentProblem, Demand
from caspian.assignment.result import AssignmentResult, OriginFlows, Unreachable
from caspian.assignment.solve import METHODS, assign

__all__ = [
    "METHODS",
    "AssignmentProblem",
    "AssignmentResult",
    "Demand",
    "OriginFlows",
    "Unreachable",
    "assign",
]
