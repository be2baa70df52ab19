"""Delay functions, the Beckmann objective and the exact line search (numba kernels).

The delay function is the BPR form ``t(v) = t0 * (1 + alpha * (v / capacity) ** beta)``;
``capacity = inf`` gives ``t = t0`` (the ratio is 0). All flows here are vehicle units.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from caspian.assignment.problem import FloatArray

__all__ = ["beckmann", "line_search", "link_dtime", "link_time"]


@njit(cache=True, nogil=True)
def link_time(
    v: FloatArray, t0: FloatArray, cap: FloatArray, alpha: FloatArray, beta: FloatArray
) -> FloatArray:
    """Congested time of each link at vehicle flows ``v``."""
    out = np.empty(v.shape[0])
    for a in range(v.shape[0]):
        out[a] = t0[a] * (1.0 + alpha[a] * (v[a] / cap[a]) ** beta[a])
    return out


@njit(cache=True, nogil=True)
def link_dtime(
    v: FloatArray, t0: FloatArray, cap: FloatArray, alpha: FloatArray, beta: FloatArray
) -> FloatArray:
    """Derivative of each link's time with respect to its vehicle flow."""
    out = np.empty(v.shape[0])
    for a in range(v.shape[0]):
        out[a] = _dtime(v[a], t0[a], cap[a], alpha[a], beta[a])
    return out


@njit(cache=True, nogil=True, inline="always")
def _dtime(v: float, t0: float, cap: float, alpha: float, beta: float) -> float:
    if beta == 0.0 or alpha == 0.0 or t0 == 0.0:
        return 0.0
    return float(t0 * alpha * beta * (v / cap) ** (beta - 1.0) / cap)


@njit(cache=True, nogil=True)
def beckmann(
    v: FloatArray,
    t0: FloatArray,
    cap: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
    fixed_total: float,
) -> float:
    """Beckmann objective: ``Σ_a ∫_0^v_a t_a(u) du`` plus the fixed part ``fixed_total``.

    ``fixed_total`` is ``Σ_k Σ_a g_ka · y_ka`` (each class's fixed cost in time units
    times its vehicle flow), computed by the caller.
    """
    z = fixed_total
    for a in range(v.shape[0]):
        r = v[a] / cap[a]
        z += t0[a] * v[a] * (1.0 + alpha[a] * r ** beta[a] / (beta[a] + 1.0))
    return z


@njit(cache=True, nogil=True)
def _slope(
    lam: float,
    v: FloatArray,
    d: FloatArray,
    t0: FloatArray,
    cap: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
    fixed_slope: float,
) -> float:
    s = fixed_slope
    for a in range(v.shape[0]):
        if d[a] != 0.0:
            w = v[a] + lam * d[a]
            if w < 0.0:
                w = 0.0
            s += d[a] * t0[a] * (1.0 + alpha[a] * (w / cap[a]) ** beta[a])
    return s


@njit(cache=True, nogil=True)
def line_search(
    v: FloatArray,
    d: FloatArray,
    t0: FloatArray,
    cap: FloatArray,
    alpha: FloatArray,
    beta: FloatArray,
    fixed_slope: float,
) -> float:
    """The step ``λ ∈ [0, 1]`` minimising the objective along ``v + λ d`` (exact, bisection).

    The objective's slope along ``d`` is increasing in ``λ`` (convex problem), so bisection
    on its sign finds the minimiser to machine precision in ~50 halvings.
    """
    if _slope(1.0, v, d, t0, cap, alpha, beta, fixed_slope) <= 0.0:
        return 1.0
    if _slope(0.0, v, d, t0, cap, alpha, beta, fixed_slope) >= 0.0:
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if _slope(mid, v, d, t0, cap, alpha, beta, fixed_slope) < 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    return 0.5 * (lo + hi)
