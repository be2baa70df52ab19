"""Seeded Monte Carlo over the network's uncertain parameters.

Each parameter's factor is drawn from a triangular distribution over its evidence range
with its mode at the table's value (1.0); routes are fixed and evaluated by their linear
forms (:mod:`caspian.routing.linear`), so 1,000 draws cost one matrix product per route.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caspian.errors import ValidationError
from caspian.model.network import Network
from caspian.routing.graph import FloatArray, build_graph
from caspian.routing.itinerary import Itinerary
from caspian.routing.linear import RouteForms
from caspian.routing.params import Param

__all__ = [
    "Comparison",
    "OptionSpread",
    "ScenarioSpread",
    "Spread",
    "check_draws",
    "compare_under_uncertainty",
    "draw_factors",
    "itinerary_forms",
    "scenario_under_uncertainty",
    "spread_of_options",
]

MAX_DRAWS = 100_000


def draw_factors(params: Sequence[Param], n: int, *, seed: int = 0) -> FloatArray:
    """``n`` factor vectors (shape ``(n, len(params) + 1)``; column 0 is always 1).

    Examples
    --------
    >>> from caspian.routing.params import Param
    >>> p = Param("k", "border", 0.5, 2.0, "", "", "borders.csv", ())
    >>> d = draw_factors([p], 1000, seed=1)
    >>> d.shape, bool((d[:, 1] >= 0.5).all() and (d[:, 1] <= 2.0).all())
    ((1000, 2), True)
    """
    rng = np.random.default_rng(seed)
    out = np.ones((n, len(params) + 1))
    for i, p in enumerate(params, start=1):
        if p.uncertain:
            lo, hi = min(p.low_factor, 1.0), max(p.high_factor, 1.0)
            out[:, i] = rng.triangular(lo, 1.0, hi, size=n) if hi > lo else 1.0
    return out


@dataclass(frozen=True, slots=True)
class Spread:
    """p10 / p50 / p90 of one quantity over the draws."""

    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: FloatArray) -> Spread:
        """Percentiles of ``values``."""
        p10, p50, p90 = np.percentile(values, [10, 50, 90])
        return cls(float(p10), float(p50), float(p90))


@dataclass(frozen=True, slots=True)
class OptionSpread:
    """One option's outcome over the draws, and how often it wins."""

    cost_usd: Spread
    days: Spread
    co2e_kg: Spread
    p_cheapest: float
    p_fastest: float


def spread_of_options(forms: Sequence[RouteForms], draws: FloatArray) -> list[OptionSpread]:
    """Outcomes of fixed routes over ``draws`` and the probability each is best.

    Emissions do not depend on the uncertain parameters here (their intensities are
    GLEC defaults), so their spread is a point.
    """
    if not forms:
        return []
    cost = np.stack([f.cost_usd.value(draws) for f in forms])
    hours = np.stack([f.hours.value(draws) for f in forms])
    cheapest = np.bincount(np.argmin(cost, axis=0), minlength=len(forms)) / draws.shape[0]
    fastest = np.bincount(np.argmin(hours, axis=0), minlength=len(forms)) / draws.shape[0]
    return [
        OptionSpread(
            cost_usd=Spread.of(cost[i]),
            days=Spread.of(hours[i] / 24.0),
            co2e_kg=Spread(f.co2e_kg, f.co2e_kg, f.co2e_kg),
            p_cheapest=float(cheapest[i]),
            p_fastest=float(fastest[i]),
        )
        for i, f in enumerate(forms)
    ]


def itinerary_forms(network: Network, itinerary: Itinerary) -> RouteForms:
    """Linear forms of a planned itinerary (re-prepared from its own origin, cargo, tonnes)."""
    from caspian.routing.linear import route_forms
    from caspian.routing.query import query_of

    return route_forms(query_of(network, itinerary), itinerary)


@dataclass(frozen=True)
class Comparison:
    """Monte Carlo outcome of a set of options (``None`` where an option has no route)."""

    spreads: list[OptionSpread | None]
    forms: list[RouteForms | None]
    draws: FloatArray
    seed: int
    params: tuple[Param, ...] = ()

    @property
    def n(self) -> int:
        """Number of draws."""
        return int(self.draws.shape[0])

    def p_better(self, a: int, b: int) -> tuple[float, float]:
        """Share of draws in which option ``a`` is cheaper, and faster, than option ``b``."""
        fa, fb = self.forms[a], self.forms[b]
        if fa is None or fb is None:
            return float("nan"), float("nan")
        cheaper = fa.cost_usd.value(self.draws) < fb.cost_usd.value(self.draws)
        faster = fa.hours.value(self.draws) < fb.hours.value(self.draws)
        return float(cheaper.mean()), float(faster.mean())

    def drivers(
        self, a: int, b: int, *, quantity: str = "cost_usd", top: int = 3
    ) -> list[tuple[str, float, str]]:
        """The evidence behind option ``a`` against ``b``: the parameters whose values make
        most of the difference in ``quantity`` (``cost_usd`` or ``hours``), largest first,
        as ``(label, a − b contribution, source)``; the label ``fixed`` gathers what no
        uncertain parameter scales (distances at fixed rates, fees)."""
        from caspian.routing.linear import contributions

        fa, fb = self.forms[a], self.forms[b]
        if fa is None or fb is None:
            return []
        parts = contributions(getattr(fa, quantity), getattr(fb, quantity))
        out = []
        for i, d in parts[:top]:
            if i == 0 or i > len(self.params):
                out.append(("fixed", d, ""))
            else:
                p = self.params[i - 1]
                out.append((p.label, d, f"{p.table} {'/'.join(p.row)}"))
        return out


def check_draws(draws: int, seed: int) -> None:
    """Refuse a number of draws outside 1 … :data:`MAX_DRAWS` or a negative seed."""
    if not 1 <= draws <= MAX_DRAWS:
        raise ValidationError(
            f"--uncertainty must be between 1 and {MAX_DRAWS:,} draws; got {draws}"
        )
    if not 0 <= seed < 2**63:
        raise ValidationError(f"--seed must be between 0 and 2**63 − 1; got {seed}")


def compare_under_uncertainty(
    network: Network,
    itineraries: Sequence[Itinerary | None],
    *,
    draws: int,
    seed: int = 0,
) -> Comparison:
    """p10/p50/p90 of cost, days and CO2e of each option and how often each wins.

    Parameters
    ----------
    network
        The network the itineraries were planned on.
    itineraries
        The options (``None`` for an option without a route).
    draws
        Monte Carlo draws (1 … 100,000).
    seed
        Seed of the draws: the same seed gives the same answer.

    Raises
    ------
    ValidationError
        For a number of draws or a seed out of range.
    """
    check_draws(draws, seed)
    params = build_graph(network).params
    sample = draw_factors(params, draws, seed=seed)
    forms = [None if it is None else itinerary_forms(network, it) for it in itineraries]
    present = [f for f in forms if f is not None]
    spreads_present = iter(spread_of_options(present, sample))
    spreads = [None if f is None else next(spreads_present) for f in forms]
    return Comparison(spreads, forms, sample, seed, params)


@dataclass(frozen=True, slots=True)
class ScenarioSpread:
    """How a scenario changes one shipment's route over the draws (after − before)."""

    cost_delta_usd: Spread
    days_delta: Spread
    p_cheaper: float
    p_faster: float


def _shared_draws(
    before: Sequence[Param], after: Sequence[Param], n: int, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Draws for two networks' parameters in which a parameter both share (same key) gets
    the same factor, so a scenario's effect is not drowned by independent noise."""
    union: dict[str, Param] = {p.key: p for p in before}
    for p in after:
        union.setdefault(p.key, p)
    keys = list(union)
    sample = draw_factors(list(union.values()), n, seed=seed)
    col = {k: i for i, k in enumerate(keys, start=1)}
    pick_b = [0, *(col[p.key] for p in before)]
    pick_a = [0, *(col[p.key] for p in after)]
    return sample[:, pick_b], sample[:, pick_a]


def scenario_under_uncertainty(
    before: Network,
    after: Network,
    pairs: Sequence[tuple[Itinerary | None, Itinerary | None]],
    *,
    draws: int,
    seed: int = 0,
) -> list[ScenarioSpread | None]:
    """Spread of a scenario's effect on each (before, after) pair of routes.

    Each route keeps its path; the draws rescale the uncertain parameters, shared between
    the two networks by key (a parameter the scenario scales keeps its relative
    uncertainty). ``None`` where a pair lacks a route.

    Raises
    ------
    ValidationError
        For a number of draws or a seed out of range.
    """
    check_draws(draws, seed)
    db, da = _shared_draws(build_graph(before).params, build_graph(after).params, draws, seed)
    out: list[ScenarioSpread | None] = []
    for b, a in pairs:
        if b is None or a is None:
            out.append(None)
            continue
        fb, fa = itinerary_forms(before, b), itinerary_forms(after, a)
        cost = fa.cost_usd.value(da) - fb.cost_usd.value(db)
        hours = fa.hours.value(da) - fb.hours.value(db)
        out.append(
            ScenarioSpread(
                cost_delta_usd=Spread.of(cost),
                days_delta=Spread.of(hours / 24.0),
                p_cheaper=float((cost < 0).mean()),
                p_faster=float((hours < 0).mean()),
            )
        )
    return out
