"""The solvers' view of a problem: CSR graph, time-equivalent costs, demand by origin.

Each class is solved in vehicle units with its fixed cost divided by its value of time, so
the classes share one convex potential (see ``docs/assignment.md``). Demand is grouped by
(class, origin); zero demand and intra-zonal pairs (origin = destination, which load no
link) are dropped; pairs no path connects are found here, before any iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from caspian.assignment.problem import AssignmentProblem, FloatArray, IntArray
from caspian.assignment.result import Unreachable
from caspian.assignment.sp import csr, reachable_pairs
from caspian.errors import NoRouteError

__all__ = ["ClassDemand", "Prepared", "prepare"]

UNREACHABLE_CHOICES = ("error", "report")


@dataclass(frozen=True, eq=False)
class ClassDemand:
    """One class's demand in vehicle units, grouped by origin (CSR over ``origins``)."""

    origins: IntArray
    od_ptr: IntArray
    dests: IntArray
    vehicles: FloatArray


@dataclass(frozen=True, eq=False)
class Prepared:
    """Arrays the kernels use; built once per :func:`assign` call."""

    problem: AssignmentProblem
    indptr: IntArray
    adj: IntArray
    cap: FloatArray
    fixed_time: FloatArray
    classes: tuple[ClassDemand, ...]
    unreachable: tuple[Unreachable, ...]

    def class_cost(self, k: int, time: FloatArray) -> FloatArray:
        """Cost of one vehicle of class ``k`` on each link, in time units."""
        out: FloatArray = self.fixed_time[k] + time
        return out


def prepare(problem: AssignmentProblem, *, unreachable: str = "error") -> Prepared:
    """Build the solvers' arrays; refuse (or report) demand that no path can carry.

    Raises
    ------
    NoRouteError
        With ``unreachable="error"``, when some pair with demand has no path; the message
        names up to five such pairs and their class.
    """
    p = problem
    indptr, adj = csr(p.n_nodes, p.tail)
    fixed_time = p.fixed_cost / p.value_of_time[:, None]
    classes = []
    dropped: list[Unreachable] = []
    for k, dem in enumerate(p.demand):
        keep = (dem.volumes > 0) & (dem.origins != dem.destinations)
        o, d, v = dem.origins[keep], dem.destinations[keep], dem.volumes[keep]
        if not _sorted_by_pair(o, d):
            order = np.lexsort((d, o))
            o, d, v = o[order], d[order], v[order]
        origins, starts = np.unique(o, return_index=True)
        od_ptr = np.append(starts, o.size).astype(np.int64)
        ok = _reachable(p, indptr, adj, origins, od_ptr, d)
        for j in np.flatnonzero(~ok):
            dropped.append(Unreachable(p.class_names[k], int(o[j]), int(d[j]), float(v[j])))
        if not ok.all():
            o, d, v = o[ok], d[ok], v[ok]
            origins, starts = np.unique(o, return_index=True)
            od_ptr = np.append(starts, o.size).astype(np.int64)
        classes.append(ClassDemand(origins.astype(np.int64), od_ptr, d, v * p.pce[k]))
    if dropped and unreachable == "error":
        shown = "; ".join(
            f"{u.class_name} {u.origin}->{u.destination} ({u.volume:g})" for u in dropped[:5]
        )
        more = f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
        raise NoRouteError(
            f"{len(dropped)} origin-destination pair(s) with demand have no path: {shown}{more}"
            " (node indices from 0). Connect them, remove their demand, or assign with "
            "unreachable='report' to leave them out and list them."
        )
    cap = p.capacity.copy()
    return Prepared(p, indptr, adj, cap, fixed_time, tuple(classes), tuple(dropped))


def _reachable(
    p: AssignmentProblem,
    indptr: IntArray,
    adj: IntArray,
    origins: IntArray,
    od_ptr: IntArray,
    dests: IntArray,
) -> NDArray[np.bool_]:
    """Which pairs have a path (any costs: reachability does not depend on them)."""
    ok: NDArray[np.bool_] = reachable_pairs(
        indptr, adj, p.head, p.first_through_node, origins.astype(np.int64), od_ptr,
        dests.astype(np.int64),
    )  # fmt: skip
    return ok


def _sorted_by_pair(o: IntArray, d: IntArray) -> bool:
    """Whether pairs are already in (origin, destination) order (TNTP files usually are)."""
    if o.size < 2:
        return True
    do, dd = np.diff(o), np.diff(d)
    return bool(np.all((do > 0) | ((do == 0) & (dd >= 0))))
