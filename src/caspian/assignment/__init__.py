"""Static traffic assignment: multi-class user equilibrium on any network.

The problem (:class:`AssignmentProblem`) and result (:class:`AssignmentResult`) structures;
the solvers and the front door ``assign`` follow in this package.
"""

from __future__ import annotations

from caspian.assignment.problem import AssignmentProblem, Demand
from caspian.assignment.result import AssignmentResult, OriginFlows, Unreachable

__all__ = ["AssignmentProblem", "AssignmentResult", "Demand", "OriginFlows", "Unreachable"]
