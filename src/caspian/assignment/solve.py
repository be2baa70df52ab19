"""The front door :func:`assign` and the registry of methods."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from caspian.assignment.costs import beckmann, link_time
from caspian.assignment.fw import Progress, SolverState, solve_fw
from caspian.assignment.prepare import UNREACHABLE_CHOICES, Prepared, prepare
from caspian.assignment.problem import AssignmentProblem
from caspian.assignment.result import AssignmentResult, OriginFlows
from caspian.errors import ValidationError

__all__ = ["METHODS", "assign"]

Solver = Callable[..., SolverState]


def _fw(variant: str) -> Solver:
    def run(prep: Prepared, **kw: object) -> SolverState:
        return solve_fw(prep, variant=variant, **kw)  # type: ignore[arg-type]

    return run


def _gp(prep: Prepared, **kw: object) -> SolverState:
    from caspian.assignment.gp import solve_gp

    return solve_gp(prep, **kw)  # type: ignore[arg-type]


METHODS: dict[str, tuple[Solver, str]] = {
    "gp": (_gp, "path-based gradient projection (fastest to tight gaps)"),
    "bfw": (_fw("bfw"), "bi-conjugate Frank-Wolfe (Mitradjieva & Lindberg 2013)"),
    "cfw": (_fw("cfw"), "conjugate Frank-Wolfe"),
    "fw": (_fw("fw"), "Frank-Wolfe with exact line search"),
}
"""Method name → (solver, one-line description)."""

DEFAULT_MAX_ITERATIONS = {"gp": 500, "bfw": 5000, "cfw": 5000, "fw": 20000}


def assign(
    problem: AssignmentProblem,
    *,
    method: str = "gp",
    gap: float = 1e-4,
    max_iterations: int | None = None,
    unreachable: str = "error",
    progress: Progress | None = None,
) -> AssignmentResult:
    """Solve the user equilibrium of ``problem`` to relative gap ``gap``.

    Parameters
    ----------
    problem
        The network, delay functions and classes of demand.
    method
        One of :data:`METHODS`: ``gp`` (path-based gradient projection), ``bfw``, ``cfw``
        or ``fw``.
    gap
        Stop when ``(TSTT − SPTT) / TSTT`` is at most this (``0 < gap < 1``).
    max_iterations
        Stop after this many iterations even if the gap is not reached (default per
        method); the result's ``converged`` says which happened.
    unreachable
        ``"error"`` (default): refuse demand between pairs no path connects, naming them;
        ``"report"``: leave it out and list it in ``result.unreachable``.
    progress
        Called as ``progress(iteration, relative_gap)`` after each iteration (with ``gp``,
        in early iterations far from the target, a running estimate of the gap instead).

    Returns
    -------
    AssignmentResult

    Raises
    ------
    ValidationError
        An unknown method, a gap outside (0, 1), a bad iteration count or ``unreachable``.
    NoRouteError
        Unreachable demand with ``unreachable="error"``.

    Examples
    --------
    >>> import numpy as np
    >>> from caspian.assignment import AssignmentProblem, Demand, assign
    >>> two_roads = AssignmentProblem(
    ...     n_nodes=2, tail=np.array([0, 0]), head=np.array([1, 1]),
    ...     congested_time=np.array([10.0, 15.0]), capacity=np.array([100.0, 100.0]),
    ...     alpha=np.array([1.0, 1.0]), beta=np.array([1.0, 1.0]),
    ...     demand=Demand(np.array([0]), np.array([1]), np.array([200.0])))
    >>> r = assign(two_roads, gap=1e-9)
    >>> [round(f, 3) for f in r.vehicle_flow]
    [140.0, 60.0]
    """
    if method not in METHODS:
        raise ValidationError(f"unknown assignment method '{method}'; valid: {', '.join(METHODS)}")
    if not (isinstance(gap, float | int) and 0 < gap < 1):
        raise ValidationError(f"gap must be a number between 0 and 1 (e.g. 1e-4); got {gap!r}")
    if max_iterations is None:
        max_iterations = DEFAULT_MAX_ITERATIONS[method]
    if not (isinstance(max_iterations, int) and max_iterations >= 1):
        raise ValidationError(f"max_iterations must be a whole number >= 1; got {max_iterations!r}")
    if unreachable not in UNREACHABLE_CHOICES:
        raise ValidationError(
            f"unreachable must be one of {', '.join(UNREACHABLE_CHOICES)}; got '{unreachable}'"
        )
    start = time.perf_counter()
    prep = prepare(problem, unreachable=unreachable)
    solver = METHODS[method][0]
    state = solver(prep, gap=float(gap), max_iterations=max_iterations, progress=progress)
    return _result(prep, method, state, gap, time.perf_counter() - start)


def _result(
    prep: Prepared, method: str, state: SolverState, gap: float, seconds: float
) -> AssignmentResult:
    p = prep.problem
    rows = np.concatenate(([0], np.cumsum([c.origins.size for c in prep.classes])))
    vehicles_by_class = np.zeros((p.n_classes, p.n_links))
    origin_flows = []
    for k, c in enumerate(prep.classes):
        block = state.origin_flow[rows[k] : rows[k + 1]]
        vehicles_by_class[k] = block.sum(axis=0)
        origin_flows.append(OriginFlows(c.origins, block))
    vehicle_flow = vehicles_by_class.sum(axis=0)
    time_now = link_time(vehicle_flow, p.congested_time, prep.cap, p.alpha, p.beta)
    fixed = float(np.sum(prep.fixed_time * vehicles_by_class))
    objective = float(beckmann(vehicle_flow, p.congested_time, prep.cap, p.alpha, p.beta, fixed))
    return AssignmentResult(
        problem=p,
        method=method,
        class_flow=vehicles_by_class / p.pce[:, None],
        vehicle_flow=vehicle_flow,
        link_time=time_now,
        class_cost=p.fixed_cost + p.value_of_time[:, None] * time_now[None, :],
        objective=objective,
        relative_gap=float(state.gap),
        iterations=state.iterations,
        seconds=seconds,
        converged=bool(state.gap <= gap),
        gap_history=np.asarray(state.gaps),
        objective_history=np.asarray(state.objectives),
        seconds_history=np.asarray(state.seconds),
        origin_flows=tuple(origin_flows),
        unreachable=prep.unreachable,
    )
