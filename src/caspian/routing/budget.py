"""Work budgets for the searches that can take exponential time.

Plain shortest paths (Dijkstra, also on the layered state graph of required modes and via
places) are polynomial and need no budget. Three searches are not: the multi-criteria label
searches (Pareto fronts, the transit-time-limited best route), the elementary-path search
(required modes without looping back to a place) and the k-alternatives branching. Each
counts its work in deterministic units, not seconds, so the same query gives the same
answer on any machine; when a budget runs out the search stops with
:class:`SearchBudgetError`, which names the budget and what to relax.
"""

from __future__ import annotations

from dataclasses import dataclass

from caspian.errors import NoRouteError

__all__ = [
    "ALTERNATIVES_SOLVES",
    "LABEL_WORK",
    "MAX_ALTERNATIVES",
    "Budget",
    "SearchBudgetError",
]

LABEL_WORK = 5_000_000
"""Work units of one label search: one per label created plus one per dominance comparison
(about 1 s of Python on a laptop). On the bundled network the largest Pareto front of 40
random corridors needed 58,000 units; of 500 random queries with required modes and a
random via place, the 6 that ran out asked for places far off the way between the ends."""

ALTERNATIVES_SOLVES = 150
"""Route searches the k-alternatives branching may run in total."""

MAX_ALTERNATIVES = 20
"""Most alternatives one request may ask for."""


class SearchBudgetError(NoRouteError):
    """A search ran out of its work budget before it could prove its answer.

    A :class:`~caspian.errors.NoRouteError` (exit code 3 on the command line): no route was
    found within the budget. The message names the budget and what to relax.
    """


@dataclass(slots=True)
class Budget:
    """A counter of work units that raises once ``limit`` is spent.

    Parameters
    ----------
    limit
        Units allowed.
    what
        What the search is looking for, for the message ("the Pareto front").
    hint
        What the user can do ("drop a required mode or a --via place").
    """

    limit: int
    what: str
    hint: str
    spent: int = 0

    def spend(self, units: int = 1) -> None:
        """Count ``units``; raise :class:`SearchBudgetError` once the limit is passed."""
        self.spent += units
        if self.spent > self.limit:
            raise SearchBudgetError(
                f"The search for {self.what} stopped at its work budget of {self.limit:,} "
                f"units (labels and comparisons) without proving an answer; {self.hint}."
            )
