"""Before/after comparison of corridors under a scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caspian.analysis.corridors import Corridor
from caspian.errors import NoRouteError
from caspian.model.network import Network
from caspian.routing.itinerary import Itinerary
from caspian.routing.search import RouteOptions, plan_route

__all__ = ["CorridorChange", "compare_scenario", "plan_corridor"]


@dataclass(frozen=True, slots=True)
class CorridorChange:
    """A corridor's best route before and after (``None``: unreachable, with the reason)."""

    corridor: Corridor
    before: Itinerary | None
    after: Itinerary | None
    before_reason: str = ""
    after_reason: str = ""

    @property
    def route_changed(self) -> bool:
        """Whether the route's substance (borders, transfers, modes) changed."""
        if self.before is None or self.after is None:
            return self.before is not self.after
        return self.before.signature() != self.after.signature()

    @property
    def status(self) -> str:
        """``same``, ``changed``, ``now unreachable``, ``now reachable`` or ``unreachable``."""
        if self.before is None and self.after is None:
            return "unreachable"
        if self.after is None:
            return "now unreachable"
        if self.before is None:
            return "now reachable"
        return "changed" if self.route_changed else "same"

    def delta(self, field: str) -> float | None:
        """After minus before of a totals field (``cost_usd``, ``hours``, ``co2e_kg`` …)."""
        if self.before is None or self.after is None:
            return None
        return float(getattr(self.after.totals, field) - getattr(self.before.totals, field))


def plan_corridor(
    network: Network, corridor: Corridor, *, options: RouteOptions | None = None
) -> tuple[Itinerary | None, str]:
    """Best route of a corridor, or ``None`` and why."""
    try:
        return (
            plan_route(
                network,
                corridor.origin,
                corridor.destination,
                cargo=corridor.cargo,
                tonnes=corridor.tonnes,
                options=options,
            ),
            "",
        )
    except NoRouteError as exc:
        return None, str(exc)


def compare_scenario(
    before: Network,
    after: Network,
    corridors: Sequence[Corridor],
    *,
    options: RouteOptions | None = None,
) -> list[CorridorChange]:
    """Plan every corridor on both networks.

    Raises
    ------
    UnknownPlaceError, ValidationError
        When a corridor names an unknown place or cargo.
    """
    out = []
    for c in corridors:
        b, br = plan_corridor(before, c, options=options)
        a, ar = plan_corridor(after, c, options=options)
        out.append(CorridorChange(c, b, a, br, ar))
    return out
