"""An itinerary's hours and cost as linear functions of the graph's parameter factors.

Every edge component is its table value times one parameter's factor (see
:mod:`caspian.routing.params`), so a fixed route's total is ``const + Σ coef × factor``.
Monte Carlo draws and calibration steps evaluate thousands of factor vectors on a route
with one matrix product instead of re-planning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caspian.model.network import CARGO_CLASSES
from caspian.routing.graph import FloatArray, IntArray
from caspian.routing.itinerary import Itinerary
from caspian.routing.search import RouteQuery

__all__ = ["LinearForm", "RouteForms", "contributions", "route_forms"]


@dataclass(frozen=True, slots=True)
class LinearForm:
    """``const + Σ coef[i] × factors[index[i]]``."""

    const: float
    index: IntArray
    coef: FloatArray

    def value(self, factors: FloatArray) -> FloatArray:
        """Evaluate at one factor vector (shape ``(P+1,)``) or many (``(n, P+1)``)."""
        return np.asarray(self.const + factors[..., self.index] @ self.coef, dtype=np.float64)

    def params(self) -> set[int]:
        """Parameter indices with a non-zero coefficient."""
        return {int(i) for i, c in zip(self.index, self.coef, strict=True) if i > 0 and c != 0}

    def by_param(self) -> dict[int, float]:
        """Value at factor 1 split by parameter (0: the part no uncertain parameter scales)."""
        out: dict[int, float] = {0: self.const}
        for i, c in zip(self.index, self.coef, strict=True):
            out[int(i)] = out.get(int(i), 0.0) + float(c)
        return out


def contributions(a: LinearForm, b: LinearForm) -> list[tuple[int, float]]:
    """What makes ``a − b`` (at the tables' values): per parameter, largest first.

    Parameter 0 collects what no uncertain parameter scales (fixed fees and distances).

    Examples
    --------
    >>> a = LinearForm(10.0, np.array([1, 2]), np.array([5.0, 1.0]))
    >>> b = LinearForm(10.0, np.array([1]), np.array([8.0]))
    >>> contributions(a, b)
    [(1, -3.0), (2, 1.0)]
    """
    pa, pb = a.by_param(), b.by_param()
    diff = {i: pa.get(i, 0.0) - pb.get(i, 0.0) for i in pa.keys() | pb.keys()}
    return sorted(
        ((i, d) for i, d in diff.items() if abs(d) > 1e-9), key=lambda x: (-abs(x[1]), x[0])
    )


@dataclass(frozen=True, slots=True)
class RouteForms:
    """Hours, money (USD for the shipment) and CO2e (kg) of one route."""

    hours: LinearForm
    cost_usd: LinearForm
    freight_usd: LinearForm
    co2e_kg: float


def route_forms(query: RouteQuery, itinerary: Itinerary) -> RouteForms:
    """Linear forms of ``itinerary`` (planned from ``query``) in the parameter factors.

    ``freight_usd`` is the money of the moving legs alone (what a carrier's port-to-port
    rate quotes), ``cost_usd`` everything door to door.
    """
    g = query.graph
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    tonnes = query.tonnes
    vpt = g.vehicles_per_t(tonnes)[ci]
    wait = g.wait_hours(tonnes)[ci]
    h_idx: list[int] = []
    h_coef: list[float] = []
    m_idx: list[int] = []
    m_coef: list[float] = []
    f_idx: list[int] = []
    f_coef: list[float] = []
    h_const = m_const = f_const = 0.0
    for leg in itinerary.legs:
        if leg.kind in ("load", "unload"):
            h_const += leg.hours
            m_const += leg.cost_usd
            continue
        for e in leg.edges:
            parts = (
                (g.param_speed[e], g.moving_hours[ci, e] + g.rest_hours[ci, e]),
                (g.param_handling[e], g.handling_hours[ci, e]),
                (g.param_border[e], g.border_hours[ci, e]),
                (g.param_border2[e], g.border2_hours[ci, e]),
                (g.param_wait[e], wait[e]),
            )
            for p, v in parts:
                if v:
                    h_idx.append(int(p))
                    h_coef.append(float(v))
            fixed = (g.money_usd_per_t[ci, e] * tonnes) + g.money_usd_per_consignment[ci, e]
            vm = int(g.vehicle_mode[e])
            haul = g.money_usd_per_vehicle[ci, e] * (vpt[vm] if vm >= 0 else 0.0) * tonnes
            m_const += float(fixed)
            if haul:
                m_idx.append(int(g.param_cost[e]))
                m_coef.append(float(haul))
            if leg.kind == "move":
                f_const += float(fixed)
                if haul:
                    f_idx.append(int(g.param_cost[e]))
                    f_coef.append(float(haul))

    def form(const: float, idx: list[int], coef: list[float]) -> LinearForm:
        return LinearForm(const, np.array(idx, dtype=np.int64), np.array(coef, dtype=np.float64))

    return RouteForms(
        hours=form(h_const, h_idx, h_coef),
        cost_usd=form(m_const, m_idx, m_coef),
        freight_usd=form(f_const, f_idx, f_coef),
        co2e_kg=itinerary.totals.co2e_kg,
    )
