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
from caspian.model.text import Text

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
        What the search is looking for, for the message ("the Pareto front"); a
        :class:`~caspian.model.text.Text` carries its Persian too.
    hint
        What the user can do ("drop a required mode or a --via place").
    """

    limit: int
    what: str
    hint: str
    spent: int = 0

    def exhausted(self, limit: int, unit_en: tuple[str, str], unit_fa: str) -> SearchBudgetError:
        """The error for running out of ``limit`` units: ``unit_en`` is the English
        (name of the limit, unit after the number), ``unit_fa`` the Persian unit."""
        return SearchBudgetError(
            Text(
                "The search for {what} stopped at its {unit} of {limit:,}{after} without proving "
                "an answer; {hint}.",
                "جست‌وجوی {what} به سقف {limit:,} {unit_fa} رسید و بی‌آنکه پاسخی را اثبات کند "
                "متوقف شد؛ {hint}.",
                what=self.what,
                hint=self.hint,
                limit=limit,
                unit=unit_en[0],
                after=unit_en[1],
                unit_fa=unit_fa,
            )
        )

    def spend(self, units: int = 1) -> None:
        """Count ``units``; raise :class:`SearchBudgetError` once the limit is passed."""
        self.spent += units
        if self.spent > self.limit:
            raise self.exhausted(
                self.limit,
                ("work budget", " units (labels and comparisons)"),
                "واحد کار (برچسب‌ها و مقایسه‌ها)",
            )
