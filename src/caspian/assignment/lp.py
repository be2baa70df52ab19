"""Hard-capacity system optimum: a min-cost multicommodity flow linear programme (HiGHS).

Each (class, origin) pair is one commodity. Its link flows ``x`` obey flow conservation,
every link costs its free-flow cost (``fixed_cost + value_of_time · t0``) per unit, and
capacities are hard: ``Σ pce · x ≤ capacity`` over the links of each capacity group (by
default each link with a finite capacity is its own group; a port's two berth links, say,
can share one). Demand that no capacity-feasible route can carry is left **unmet** at a
penalty per unit, so the programme is always feasible and says how much does not fit (FTOT
does the same). The dual price of each capacity row says what one more unit of capacity
would save a period — the ranking of which capacity is worth expanding.

Solved with HiGHS through :func:`scipy.optimize.linprog` (``method="highs"``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from caspian.assignment.problem import AssignmentProblem, FloatArray, IntArray
from caspian.errors import ValidationError

__all__ = ["LPResult", "solve_lp"]

UNMET_PENALTY_FACTOR = 100.0
"""Unmet demand costs this many times the dearest free-flow path cost per unit (≥ 1e3)."""


@dataclass(frozen=True, eq=False)
class LPResult:
    """The optimal flows of :func:`solve_lp`.

    Attributes
    ----------
    class_flow
        ``(n_classes, n_links)`` flow of each class on each link (demand units).
    unmet
        Per class and OD pair (in the order of the class's demand), demand left unmet.
    objective
        Total cost (fixed + value of time × free-flow time) of the flows, unmet penalty excluded.
    shadow_price
        Per link: the dual price of the capacity group the link belongs to (cost saved per
        unit of extra capacity, ≥ 0); 0 for uncapacitated links and slack groups.
    group_price
        Per capacity group, the same dual price.
    seconds
        Wall-clock time.
    """

    class_flow: FloatArray
    unmet: tuple[FloatArray, ...]
    objective: float
    shadow_price: FloatArray
    group_price: FloatArray
    seconds: float


def solve_lp(
    problem: AssignmentProblem,
    *,
    groups: Sequence[Sequence[int]] | None = None,
    group_capacity: Sequence[float] | None = None,
    time_limit_s: float = 120.0,
) -> LPResult:
    """Minimum-cost flows of ``problem`` under hard capacities.

    Parameters
    ----------
    problem
        The problem; delay functions are ignored (free-flow costs), capacities are hard.
    groups, group_capacity
        Capacity groups: link index lists and the capacity each group shares. Default: every
        link with a finite capacity alone, at its own capacity.
    time_limit_s
        HiGHS time limit.

    Raises
    ------
    ValidationError
        Bad groups, or HiGHS ending without an optimal solution (the message says why).
    """
    start = time.perf_counter()
    p = problem
    if groups is None:
        fin = np.flatnonzero(np.isfinite(p.capacity))
        groups = [[int(a)] for a in fin]
        group_capacity = [float(p.capacity[a]) for a in fin]
    if group_capacity is None or len(group_capacity) != len(groups):
        raise ValidationError("give one capacity per capacity group")
    for g in groups:
        for a in g:
            if not 0 <= a < p.n_links:
                raise ValidationError(f"capacity group names link {a}, outside 0..{p.n_links - 1}")

    unit_cost = p.fixed_cost + p.value_of_time[:, None] * p.congested_time[None, :]
    blocks = _commodities(p)
    n_links = p.n_links
    n_flow = len(blocks) * n_links
    n_unmet = sum(len(b.dest_pairs) for b in blocks)
    penalty = max(1e3, UNMET_PENALTY_FACTOR * float(unit_cost.sum(axis=1).max()))

    c = np.concatenate(
        [np.concatenate([unit_cost[b.k] for b in blocks]), np.full(n_unmet, penalty)]
    )
    bounds_hi = np.full(n_flow + n_unmet, np.inf)
    for i, b in enumerate(blocks):  # a commodity may not pass through another zone
        bounds_hi[i * n_links + b.banned] = 0.0
    a_eq, b_eq = _conservation(p, blocks, n_flow)
    a_ub, b_ub = _capacity_rows(p, blocks, groups, group_capacity, n_flow + n_unmet)
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=np.column_stack([np.zeros(n_flow + n_unmet), bounds_hi]),
        method="highs",
        options={"time_limit": float(time_limit_s), "presolve": True},
    )
    if res.status != 0 or res.x is None:
        raise ValidationError(f"the capacity LP did not solve: {res.message}")
    x = res.x
    class_flow = np.zeros((p.n_classes, n_links))
    for i, b in enumerate(blocks):
        class_flow[b.k] += x[i * n_links : (i + 1) * n_links]
    unmet_x = x[n_flow:]
    unmet: list[FloatArray] = [np.zeros(d.volumes.size) for d in p.demand]
    pos = 0
    for b in blocks:
        for pair in b.dest_pairs:
            unmet[b.k][pair] += unmet_x[pos]
            pos += 1
    group_price = (
        -np.asarray(res.ineqlin.marginals, dtype=np.float64) if len(groups) else np.zeros(0)
    )
    shadow = np.zeros(n_links)
    for g, price in zip(groups, group_price, strict=True):
        shadow[list(g)] = np.maximum(shadow[list(g)], max(float(price), 0.0))
    objective = float((unit_cost * class_flow).sum())
    return LPResult(
        class_flow=class_flow,
        unmet=tuple(unmet),
        objective=objective,
        shadow_price=shadow,
        group_price=np.maximum(group_price, 0.0),
        seconds=time.perf_counter() - start,
    )


@dataclass(frozen=True)
class _Commodity:
    """One (class, origin) commodity: its destinations and pair indices."""

    k: int
    origin: int
    dests: IntArray
    volumes: FloatArray
    dest_pairs: tuple[int, ...]
    banned: IntArray


def _commodities(p: AssignmentProblem) -> list[_Commodity]:
    out: list[_Commodity] = []
    zone_tail = p.tail < p.first_through_node
    for k, dem in enumerate(p.demand):
        live = np.flatnonzero(dem.volumes > 0)
        for o in sorted({int(dem.origins[i]) for i in live}):
            pairs = tuple(int(i) for i in live if dem.origins[i] == o)
            banned = np.flatnonzero(zone_tail & (p.tail != o)).astype(np.int64)
            out.append(
                _Commodity(
                    k=k,
                    origin=o,
                    dests=dem.destinations[list(pairs)],
                    volumes=dem.volumes[list(pairs)],
                    dest_pairs=pairs,
                    banned=banned,
                )
            )
    if not out:
        raise ValidationError("the problem has no positive demand")
    return out


def _conservation(
    p: AssignmentProblem, blocks: Sequence[_Commodity], n_flow: int
) -> tuple[csr_matrix, NDArray[np.float64]]:
    """Rows ``out − in + unmet·[at origin] − unmet·[at destination] = supply`` per node."""
    n, m = p.n_nodes, p.n_links
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    rhs = np.zeros(len(blocks) * n)
    pos = n_flow
    link = np.arange(m, dtype=np.int64)
    for i, b in enumerate(blocks):
        base = i * n
        rows += [base + p.tail, base + p.head]
        cols += [i * m + link, i * m + link]
        vals += [np.ones(m), -np.ones(m)]
        rhs[base + b.origin] += float(b.volumes.sum())
        for d, vol in zip(b.dests, b.volumes, strict=True):
            rhs[base + int(d)] -= float(vol)
            # unmet demand leaves the origin's supply and the destination's sink unserved
            rows += [np.array([base + b.origin, base + int(d)])]
            cols += [np.array([pos, pos])]
            vals += [np.array([1.0, -1.0])]
            pos += 1
    a = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(blocks) * n, pos),
    ).tocsr()
    return a, rhs


def _capacity_rows(
    p: AssignmentProblem,
    blocks: Sequence[_Commodity],
    groups: Sequence[Sequence[int]],
    group_capacity: Sequence[float],
    n_vars: int,
) -> tuple[csr_matrix | None, NDArray[np.float64] | None]:
    if not groups:
        return None, None
    m = p.n_links
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, g in enumerate(groups):
        for i, b in enumerate(blocks):
            for a in g:
                rows.append(r)
                cols.append(i * m + int(a))
                vals.append(float(p.pce[b.k]))
    a_ub = coo_matrix((vals, (rows, cols)), shape=(len(groups), n_vars)).tocsr()
    return a_ub, np.asarray(group_capacity, dtype=np.float64)
