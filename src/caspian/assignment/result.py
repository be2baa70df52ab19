"""What an assignment returns: flows, costs, objective, gap and how it got there."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caspian.assignment.problem import AssignmentProblem, FloatArray, IntArray

__all__ = ["AssignmentResult", "OriginFlows", "Unreachable"]


@dataclass(frozen=True)
class Unreachable:
    """Demand that no path can carry (reported when ``unreachable="report"``)."""

    class_name: str
    origin: int
    destination: int
    volume: float


@dataclass(frozen=True, eq=False)
class OriginFlows:
    """Link flows of one class split by origin, in vehicle units.

    ``flow[i, a]`` is the vehicle flow on link ``a`` of the trips that start at
    ``origins[i]``. Summed over origins it gives the class's link flow. These flows are what
    :func:`caspian.assignment.analysis.select_link` and
    :func:`caspian.assignment.analysis.conservation_error` work on.
    """

    origins: IntArray
    flow: FloatArray


@dataclass(frozen=True, eq=False)
class AssignmentResult:
    """The equilibrium an assignment reached (or the last iterate if it stopped early).

    Attributes
    ----------
    problem
        The problem solved.
    method
        The method's name (see :data:`caspian.assignment.METHODS`).
    class_flow
        ``(n_classes, n_links)``: each class's flow on each link, in its demand units.
    vehicle_flow
        ``(n_links,)``: vehicle units on each link, all classes (``Σ pce·class_flow``).
    link_time
        Congested time of each link at ``vehicle_flow``.
    class_cost
        ``(n_classes, n_links)``: cost of one unit of each class on each link
        (``fixed_cost + value_of_time · link_time``).
    objective
        Beckmann objective in time × vehicle units (see :func:`~caspian.assignment.costs.beckmann`).
    relative_gap
        ``(TSTT − SPTT) / TSTT`` at the returned flows (see ``docs/assignment.md``).
    iterations, seconds
        Iterations done and wall-clock seconds (compilation excluded once cached).
    converged
        Whether ``relative_gap`` reached the requested gap.
    gap_history, objective_history, seconds_history
        After each iteration: gap, objective and seconds since the start. ``gp`` computes
        the exact gap only once its running estimate is near the target (see
        :data:`caspian.assignment.gp.EXACT_GAP_FROM`); earlier entries are NaN.
    origin_flows
        Per class: the link flows split by origin (for per-pair checks and select-link).
    unreachable
        Demand dropped because no path exists (only with ``unreachable="report"``).
    """

    problem: AssignmentProblem
    method: str
    class_flow: FloatArray
    vehicle_flow: FloatArray
    link_time: FloatArray
    class_cost: FloatArray
    objective: float
    relative_gap: float
    iterations: int
    seconds: float
    converged: bool
    gap_history: FloatArray
    objective_history: FloatArray
    seconds_history: FloatArray
    origin_flows: tuple[OriginFlows, ...]
    unreachable: tuple[Unreachable, ...] = ()

    @property
    def tstt(self) -> float:
        """Total system travel time: Σ vehicle flow × link time (time × vehicle units)."""
        return float(np.dot(self.vehicle_flow, self.link_time))

    def summary(self) -> dict[str, object]:
        """The headline figures as plain values (for JSON and tables)."""
        return {
            "method": self.method,
            "objective": self.objective,
            "relative_gap": self.relative_gap,
            "iterations": self.iterations,
            "seconds": self.seconds,
            "converged": self.converged,
            "tstt": self.tstt,
            "links": self.problem.n_links,
            "nodes": self.problem.n_nodes,
            "classes": self.problem.n_classes,
            "unreachable_pairs": len(self.unreachable),
        }
