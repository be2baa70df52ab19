"""Stochastic route choice: path-size logit over generated paths, with congestion (MSA).

Shippers do not all take the single cheapest route: rates, habits and reliability they know
and the model does not spread them over the near-cheapest ones. For each class and origin–
destination pair this module

1. generates up to ``max_paths`` distinct paths by the **link-penalty method** (the cheapest
   path, then again with the links already used made ``penalty`` times dearer, …), keeping
   paths no more than ``max_detour`` times the cheapest one's free-flow cost;
2. splits the pair's demand by **path-size logit** (Ben-Akiva & Bierlaire 1999):
   ``P(i) ∝ PS_i · exp(−theta · c_i / c_min)``, where ``PS_i = Σ_{a∈i} (l_a/L_i) / N_a``
   discounts paths that share links (``N_a`` paths of the set use link ``a``; lengths are
   free-flow costs) and costs are taken relative to the cheapest path so one ``theta`` serves
   grain at 50 USD/t and flowers at 2,000 USD/t alike;
3. finds the stochastic user equilibrium by the **method of successive averages**: costs at
   the current flows, logit flows at those costs, step ``1/n`` towards them, until the
   logit flows at the current costs differ from the current flows by less than ``tol``
   times the largest link flow (the fixed-point residual).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from caspian.assignment.problem import AssignmentProblem, FloatArray
from caspian.errors import ValidationError
from caspian.routing.kernels import shortest_tree, tree_path

__all__ = ["LogitResult", "PathSet", "path_size", "solve_logit"]


@dataclass(frozen=True)
class PathSet:
    """The candidate paths of one class's OD pair (link index lists)."""

    k: int
    pair: int
    origin: int
    destination: int
    volume: float
    paths: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, eq=False)
class LogitResult:
    """The stochastic equilibrium :func:`solve_logit` reached."""

    class_flow: FloatArray
    vehicle_flow: FloatArray
    link_time: FloatArray
    path_sets: tuple[PathSet, ...]
    path_flows: tuple[FloatArray, ...]
    change: float
    iterations: int
    seconds: float
    unreachable: tuple[tuple[int, int, int, float], ...]


def path_size(paths: tuple[tuple[int, ...], ...], length: FloatArray) -> FloatArray:
    """Path-size factors of ``paths`` (link lists) with link ``length``.

    Examples
    --------
    >>> import numpy as np
    >>> path_size(((0, 1), (0, 2), (3,)), np.array([1.0, 1.0, 1.0, 2.0])).round(3).tolist()
    [0.75, 0.75, 1.0]
    """
    uses: dict[int, int] = {}
    for path in paths:
        for a in path:
            uses[a] = uses.get(a, 0) + 1
    out = np.empty(len(paths))
    for i, path in enumerate(paths):
        total = float(sum(length[a] for a in path))
        if total <= 0:
            out[i] = 1.0 / len(paths)
            continue
        out[i] = sum(length[a] / total / uses[a] for a in path)
    return out


def solve_logit(
    problem: AssignmentProblem,
    *,
    theta: float = 20.0,
    max_paths: int = 5,
    penalty: float = 1.5,
    max_detour: float = 1.5,
    tol: float = 1e-3,
    max_iterations: int = 300,
) -> LogitResult:
    """Path-size logit stochastic user equilibrium of ``problem``.

    Parameters
    ----------
    theta
        Dispersion on relative cost: a path 10 % dearer than the cheapest gets
        ``exp(-0.1·theta)`` of its weight (20: 13.5 %).
    max_paths, penalty, max_detour
        Path generation: at most ``max_paths`` paths per pair, links of found paths made
        ``penalty`` times dearer for the next search, paths dearer than ``max_detour`` × the
        cheapest (at free flow) dropped.
    tol, max_iterations
        MSA stops when the fixed-point residual — the largest difference between the logit
        flows at the current costs and the current flows — is below ``tol`` × the largest
        link flow.

    Raises
    ------
    ValidationError
        Bad parameters.
    """
    for name, value, ok in (
        ("theta", theta, theta > 0),
        ("max_paths", max_paths, max_paths >= 1),
        ("penalty", penalty, penalty > 1),
        ("max_detour", max_detour, max_detour >= 1),
        ("tol", tol, 0 < tol < 1),
        ("max_iterations", max_iterations, max_iterations >= 1),
    ):
        if not (isinstance(value, int | float) and math.isfinite(value) and ok):
            raise ValidationError(f"logit: {name} = {value!r} is out of range")
    start = time.perf_counter()
    p = problem
    free_cost = p.fixed_cost + p.value_of_time[:, None] * p.link_time(np.zeros(p.n_links))[None]
    sets, unreachable = _path_sets(p, free_cost, max_paths, penalty, max_detour)
    flows = [np.zeros(len(s.paths)) for s in sets]
    class_flow = np.zeros((p.n_classes, p.n_links))
    change = math.inf
    it = 0
    for it in range(1, max_iterations + 1):
        vehicles = (p.pce[:, None] * class_flow).sum(axis=0)
        cost = p.class_cost(vehicles)
        target = np.zeros_like(class_flow)
        new_flows = []
        for s in sets:
            share = _shares(s, cost[s.k], free_cost[s.k], theta)
            f = s.volume * share
            new_flows.append(f)
            for path, v in zip(s.paths, f, strict=True):
                target[s.k, list(path)] += v
        step = 1.0 / it
        delta = target - class_flow
        scale = max(float(np.abs(class_flow).max()), float(np.abs(target).max()), 1e-12)
        change = float(np.abs(delta).max()) / scale if it > 1 else math.inf
        class_flow = class_flow + step * delta
        flows = [f0 + step * (f1 - f0) for f0, f1 in zip(flows, new_flows, strict=True)]
        if change < tol:
            break
    vehicles = (p.pce[:, None] * class_flow).sum(axis=0)
    return LogitResult(
        class_flow=class_flow,
        vehicle_flow=vehicles,
        link_time=p.link_time(vehicles),
        path_sets=tuple(sets),
        path_flows=tuple(flows),
        change=change,
        iterations=it,
        seconds=time.perf_counter() - start,
        unreachable=tuple(unreachable),
    )


def _shares(s: PathSet, cost: FloatArray, length: FloatArray, theta: float) -> FloatArray:
    c = np.array([float(cost[list(path)].sum()) for path in s.paths])
    best = max(float(c.min()), 1e-12)
    utility = -theta * c / best + np.log(path_size(s.paths, length))
    w = np.exp(utility - utility.max())
    return np.asarray(w / w.sum(), dtype=np.float64)


def _path_sets(
    p: AssignmentProblem,
    free_cost: FloatArray,
    max_paths: int,
    penalty: float,
    max_detour: float,
) -> tuple[list[PathSet], list[tuple[int, int, int, float]]]:
    order = np.argsort(p.tail, kind="stable").astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(p.tail, minlength=p.n_nodes))))
    indptr = indptr.astype(np.int64)
    zone_tail = p.tail < p.first_through_node
    sets: list[PathSet] = []
    unreachable: list[tuple[int, int, int, float]] = []
    for k, dem in enumerate(p.demand):
        for o in sorted({int(x) for x in dem.origins[dem.volumes > 0]}):
            base = free_cost[k].copy()
            base[zone_tail & (p.tail != o)] = np.inf  # never pass through another zone
            pairs = [int(i) for i in np.flatnonzero((dem.origins == o) & (dem.volumes > 0))]
            found: dict[int, list[tuple[int, ...]]] = {i: [] for i in pairs}
            best: dict[int, float] = {}
            weight = base.copy()
            for _ in range(max_paths):
                dist, pred = shortest_tree(
                    indptr,
                    order,
                    p.head,
                    weight,
                    np.array([o], dtype=np.int64),
                    np.zeros(1),
                    np.empty(0, dtype=np.int64),
                )
                used: set[int] = set()
                for i in pairs:
                    d = int(dem.destinations[i])
                    if not np.isfinite(dist[d]):
                        continue
                    path = tuple(tree_path(pred, p.tail, d))
                    c0 = float(base[list(path)].sum())
                    best.setdefault(i, c0)
                    if path not in found[i] and c0 <= max_detour * best[i] + 1e-9:
                        found[i].append(path)
                    used.update(path)
                if not used:
                    break
                weight[list(used)] *= penalty
            for i in pairs:
                if found[i]:
                    sets.append(
                        PathSet(
                            k,
                            i,
                            o,
                            int(dem.destinations[i]),
                            float(dem.volumes[i]),
                            tuple(found[i]),
                        )
                    )
                else:
                    unreachable.append((k, o, int(dem.destinations[i]), float(dem.volumes[i])))
    return sets, unreachable
