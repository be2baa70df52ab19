"""Frank–Wolfe family: plain (FW), conjugate (CFW) and bi-conjugate (BFW) Frank–Wolfe.

Bi-conjugate Frank–Wolfe follows Mitradjieva & Lindberg (2013), "The stiff is moving —
conjugate direction Frank–Wolfe methods with applications to traffic assignment",
Transportation Science 47(2):280–293: the search direction's target is a combination of
the new all-or-nothing solution and the two previous targets, chosen to be conjugate to
the last two directions under the objective's Hessian (diagonal: each link's ``t'(v)``).
The step is an exact line search (bisection on the slope). All classes move together in
vehicle units, so multi-class problems with different PCE and value of time keep one
convex objective and one step.

Flows are kept split by (class, origin), so per-pair checks and select-link analysis work
on the result (:mod:`caspian.assignment.analysis`). Guard against the known failure of FW
variants stalling at a zero step: a conjugate direction that is not a descent direction
is replaced by the plain FW direction for that iteration, and the next one restarts the
conjugation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from caspian.assignment.costs import beckmann, line_search, link_dtime, link_time
from caspian.assignment.prepare import Prepared
from caspian.assignment.problem import FloatArray
from caspian.assignment.sp import aon_class

__all__ = ["SolverState", "solve_fw"]

CONJUGATE_MAX = 1.0 - 1e-6
"""Largest weight of the previous target in a conjugate direction (keeps it a descent one)."""

Progress = Callable[[int, float], None]


@dataclass
class SolverState:
    """What a solver hands back to :func:`caspian.assignment.assign`."""

    origin_flow: FloatArray
    """Vehicle flows by (class, origin) row and link; rows ordered class by class."""
    gap: float
    iterations: int
    gaps: list[float]
    objectives: list[float]
    seconds: list[float]


class _Loader:
    """All-or-nothing loading of every class into a (class, origin) × link array."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        sizes = [c.origins.size for c in prep.classes]
        self.rows = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        self.n_rows = int(self.rows[-1])

    def load(self, link_time_now: FloatArray, out: FloatArray) -> float:
        prep, p = self.prep, self.prep.problem
        sptt = 0.0
        for k, c in enumerate(prep.classes):
            cost = prep.class_cost(k, link_time_now)
            sptt += aon_class(
                prep.indptr, prep.adj, p.head, p.tail, cost, p.first_through_node,
                c.origins, c.od_ptr, c.dests, c.vehicles, out[self.rows[k] : self.rows[k + 1]],
            )  # fmt: skip
        return sptt

    def class_totals(self, flows: FloatArray) -> FloatArray:
        """``(n_classes, n_links)`` sums of the rows of each class."""
        out = np.zeros((len(self.prep.classes), flows.shape[1]))
        for k in range(len(self.prep.classes)):
            out[k] = flows[self.rows[k] : self.rows[k + 1]].sum(axis=0)
        return out


def _fixed_dot(prep: Prepared, class_flows: FloatArray) -> float:
    return float(np.sum(prep.fixed_time * class_flows))


def solve_fw(
    prep: Prepared,
    *,
    variant: str,
    gap: float,
    max_iterations: int,
    progress: Progress | None,
) -> SolverState:
    """Run FW, CFW or BFW (``variant``) until the relative gap reaches ``gap``."""
    p = prep.problem
    t0, cap, al, be = p.congested_time, prep.cap, p.alpha, p.beta
    start = time.perf_counter()
    loader = _Loader(prep)
    shape = (loader.n_rows, p.n_links)
    x = np.zeros(shape)
    aon = np.zeros(shape)
    loader.load(link_time(np.zeros(p.n_links), t0, cap, al, be), x)
    s1 = np.zeros(shape)  # s_{k-1}: the previous direction's target
    s2 = np.zeros(shape)  # s_{k-2}
    state = SolverState(x, np.inf, 0, [], [], [])
    last_step = 1.0
    since_restart = 0  # 0: FW step next, 1: CFW, 2+: BFW
    for it in range(1, max_iterations + 1):
        v = x.sum(axis=0)
        t_now = link_time(v, t0, cap, al, be)
        sptt = loader.load(t_now, aon)
        x_classes = loader.class_totals(x)
        tstt = float(v @ t_now) + _fixed_dot(prep, x_classes)
        state.gap = (tstt - sptt) / tstt if tstt > 0 else 0.0
        state.iterations = it
        state.gaps.append(state.gap)
        state.objectives.append(beckmann(v, t0, cap, al, be, _fixed_dot(prep, x_classes)))
        state.seconds.append(time.perf_counter() - start)
        if progress is not None:
            progress(it, state.gap)
        if state.gap <= gap:
            break
        dt = link_dtime(v, t0, cap, al, be)
        target = _direction(variant, since_restart, last_step, x, aon, s1, s2, v, dt)
        step = _step(prep, loader, x, target, v, x_classes)
        if step <= 0.0 and target is not aon:  # not a descent direction: plain FW this time
            target = aon
            step = _step(prep, loader, x, target, v, x_classes)
        if step <= 0.0:
            break  # no descent even along FW: the flows are optimal to machine precision
        since_restart = 0 if step >= 1.0 else (1 if target is aon else since_restart + 1)
        s2[:] = s1
        s1[:] = target
        x += step * (s1 - x)
        last_step = step
    return state


def _step(
    prep: Prepared,
    loader: _Loader,
    x: FloatArray,
    target: FloatArray,
    v: FloatArray,
    x_classes: FloatArray,
) -> float:
    p = prep.problem
    d = target.sum(axis=0) - v
    fixed_slope = _fixed_dot(prep, loader.class_totals(target) - x_classes)
    return float(line_search(v, d, p.congested_time, prep.cap, p.alpha, p.beta, fixed_slope))


def _direction(
    variant: str,
    since_restart: int,
    tau: float,
    x: FloatArray,
    aon: FloatArray,
    s1: FloatArray,
    s2: FloatArray,
    v: FloatArray,
    dt: FloatArray,
) -> FloatArray:
    """The next target (a new array, or ``aon`` itself for a plain FW step)."""
    if variant == "fw" or since_restart == 0:
        return aon
    aon_t, s1_t = aon.sum(axis=0), s1.sum(axis=0)
    if variant == "cfw" or since_restart == 1 or tau >= 1.0:
        dbar = s1_t - v
        num = float(np.sum(dt * dbar * (aon_t - v)))
        den = float(np.sum(dt * dbar * (aon_t - s1_t)))
        alpha = 0.0 if den == 0.0 else min(max(num / den, 0.0), CONJUGATE_MAX)
        return alpha * s1 + (1.0 - alpha) * aon
    s2_t = s2.sum(axis=0)
    xv = tau * s1_t + (1.0 - tau) * s2_t - v
    yv = aon_t - v
    zv = s1_t - v
    wv = s2_t - s1_t
    mu_den = float(np.sum(dt * xv * wv))
    mu = 0.0 if mu_den == 0.0 else max(0.0, -float(np.sum(dt * xv * yv)) / mu_den)
    nu_den = float(np.sum(dt * zv * zv))
    nu = 0.0
    if nu_den != 0.0:
        nu = max(0.0, -float(np.sum(dt * zv * yv)) / nu_den + mu * tau / (1.0 - tau))
    b0 = 1.0 / (1.0 + nu + mu)
    return b0 * aon + (nu * b0) * s1 + (mu * b0) * s2
