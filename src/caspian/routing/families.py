"""Mode families: the best route for road only, rail only, rail + sea, road + sea and any.

A family is a set of :class:`~caspian.routing.options.RouteOptions` constraints. Rail and
rail + sea allow trucks only for pre- and on-carriage near the origin and the destination
(``FEEDER_ROAD_KM``), so that a "rail" answer is a rail answer and not a road trip with a
token train ride.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from caspian.errors import NoRouteError
from caspian.model.network import Network
from caspian.routing.costs import Objective
from caspian.routing.itinerary import Itinerary
from caspian.routing.options import RouteOptions
from caspian.routing.solve import plan_route

__all__ = ["FAMILIES", "FEEDER_ROAD_KM", "FamilyResult", "ModeFamily", "compare_modes"]

FEEDER_ROAD_KM = 300.0
"""Largest great-circle distance (km) from origin/destination for truck feeder legs."""


@dataclass(frozen=True, slots=True)
class ModeFamily:
    """A named set of constraints on the modes of a route."""

    name: str
    label: str
    modes: frozenset[str] | None
    require_modes: tuple[frozenset[str], ...] = ()
    feeder_road_km: float | None = None

    def options(self, base: RouteOptions) -> RouteOptions:
        """``base`` with this family's constraints applied (modes intersect)."""
        modes = self.modes
        if base.modes is not None:
            modes = base.modes if modes is None else modes & base.modes
        return replace(
            base,
            modes=modes,
            require_modes=base.require_modes + self.require_modes,
            feeder_road_km=self.feeder_road_km
            if base.feeder_road_km is None
            else base.feeder_road_km,
        )


_SEA = frozenset({"sea", "rail_ferry", "truck_ferry"})
FAMILIES: tuple[ModeFamily, ...] = (
    ModeFamily("road", "road only", frozenset({"road"})),
    ModeFamily(
        "rail",
        "rail only (truck feeders)",
        frozenset({"rail", "rail_ferry", "road"}),
        (frozenset({"rail"}),),
        FEEDER_ROAD_KM,
    ),
    ModeFamily(
        "rail+sea",
        "rail + sea",
        frozenset({"rail", "rail_ferry", "sea", "road"}),
        (frozenset({"rail"}), frozenset({"sea", "rail_ferry"})),
        FEEDER_ROAD_KM,
    ),
    ModeFamily(
        "road+sea",
        "road + sea",
        frozenset({"road", "sea", "truck_ferry"}),
        (frozenset({"road"}), _SEA - {"rail_ferry"}),
    ),
    ModeFamily("any", "any combination", None),
)
"""The families of ``caspian compare-modes``, in display order."""


@dataclass(frozen=True, slots=True)
class FamilyResult:
    """The best route of one family, or why there is none."""

    family: ModeFamily
    itinerary: Itinerary | None
    reason: str = ""


def compare_modes(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    objective: str | Objective = "generalized",
    options: RouteOptions | None = None,
    families: tuple[ModeFamily, ...] = FAMILIES,
) -> list[FamilyResult]:
    """Plan the best route of each mode family.

    Parameters
    ----------
    network
        The network (possibly with a scenario applied).
    origin, destination, cargo, tonnes, objective, options
        As for :func:`~caspian.routing.solve.plan_route`; each family narrows ``options``.
    families
        Which families to compare (default: road, rail, rail + sea, road + sea, any).

    Returns
    -------
    list of FamilyResult
        One per family, in order; ``itinerary`` is ``None`` with a ``reason`` when the
        family cannot connect the places (or its search ran out of its work budget).

    Raises
    ------
    UnknownPlaceError, ValidationError
        For a bad place, cargo or option (these are not per-family failures).
    """
    base = options or RouteOptions()
    out: list[FamilyResult] = []
    for family in families:
        try:
            it = plan_route(
                network,
                origin,
                destination,
                cargo=cargo,
                tonnes=tonnes,
                objective=objective,
                options=family.options(base),
            )
        except NoRouteError as exc:
            out.append(FamilyResult(family, None, str(exc)))
        else:
            out.append(FamilyResult(family, it))
    return out
