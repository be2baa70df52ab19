"""An :class:`AssignmentProblem` from a TNTP network, and its best-known solution."""

from __future__ import annotations

import numpy as np

from caspian.assignment.costs import beckmann
from caspian.assignment.problem import AssignmentProblem, Demand, FloatArray
from caspian.errors import DataError
from caspian.io.tntp import TntpFlows, TntpNetwork

__all__ = ["best_known_flows", "problem_from_tntp"]


def problem_from_tntp(network: TntpNetwork) -> AssignmentProblem:
    """One class (vehicles, value of time 1, PCE 1); fixed cost = toll and distance weights.

    Link time is the net file's ``fft·(1 + B·(x/capacity)^Power)`` (minutes); the fixed cost
    is ``toll·toll_factor + length·distance_factor`` (minutes); zones below
    ``<FIRST THRU NODE>`` are not passed through.
    """
    net, trips = network.net, network.trips
    fixed = net.toll * network.toll_factor + net.length * network.distance_factor
    return AssignmentProblem(
        n_nodes=net.n_nodes,
        tail=net.init_node - 1,
        head=net.term_node - 1,
        congested_time=net.free_flow_time,
        capacity=net.capacity,
        alpha=net.b,
        beta=net.power,
        demand=(Demand(trips.origins - 1, trips.destinations - 1, trips.volumes),),
        fixed_cost=fixed,
        first_through_node=max(net.first_thru_node - 1, 0),
        class_names=("vehicles",),
    )


def best_known_flows(problem: AssignmentProblem, flows: TntpFlows) -> FloatArray:
    """The flow file's volumes in the problem's link order.

    Raises
    ------
    DataError
        A link of the network is missing from the flow file (or listed twice).
    """
    index = {
        (int(a), int(b)): i for i, (a, b) in enumerate(zip(problem.tail, problem.head, strict=True))
    }
    out = np.full(problem.n_links, np.nan)
    for a, b, v in zip(flows.init_node - 1, flows.term_node - 1, flows.volume, strict=True):
        i = index.get((int(a), int(b)))
        if i is None:
            raise DataError(f"link {a + 1}->{b + 1} is not in the network", file=str(flows.path))
        out[i] = v
    missing = np.flatnonzero(np.isnan(out))
    if missing.size:
        a = missing[0]
        raise DataError(
            f"link {problem.tail[a] + 1}->{problem.head[a] + 1} of the network has no flow "
            f"({missing.size} links missing)",
            file=str(flows.path),
        )
    return out


def objective_of(problem: AssignmentProblem, vehicle_flow: FloatArray) -> float:
    """Beckmann objective of single-class link flows (as for a best-known solution)."""
    fixed = float(np.sum(problem.fixed_cost[0] / problem.value_of_time[0] * vehicle_flow))
    return float(
        beckmann(
            vehicle_flow, problem.congested_time, problem.capacity, problem.alpha,
            problem.beta, fixed,
        )
    )  # fmt: skip
