"""Sets of labelled routes for charts and reports: by mode specs, alternatives or the best."""

from __future__ import annotations

from dataclasses import replace

from caspian.errors import ValidationError
from caspian.model.network import Network
from caspian.routing.alternatives import alternative_routes
from caspian.routing.itinerary import Itinerary
from caspian.routing.search import RouteOptions, plan_route

__all__ = ["parse_route_specs", "route_set"]


def parse_route_specs(text: str) -> list[tuple[str, frozenset[str]]]:
    """Parse ``"label=mode,mode;label=mode"`` into (label, modes) pairs.

    Raises
    ------
    ValidationError
        For a spec without ``=`` or with no modes.
    """
    out = []
    for spec in text.split(";"):
        if "=" not in spec:
            raise ValidationError(f"--compare: '{spec}' is not label=modes (e.g. road=road)")
        label, modes = spec.split("=", 1)
        mode_set = frozenset(m.strip() for m in modes.split(",") if m.strip())
        if not mode_set:
            raise ValidationError(f"--compare: '{spec}' names no mode")
        out.append((label.strip(), mode_set))
    return out


def route_set(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    options: RouteOptions | None = None,
    specs: str | None = None,
    alternatives: int = 0,
) -> list[tuple[str, Itinerary]]:
    """Labelled routes: one per mode spec, or the K best alternatives, or the best route."""
    base = options or RouteOptions()
    if specs:
        return [
            (
                label,
                plan_route(
                    network,
                    origin,
                    destination,
                    cargo=cargo,
                    tonnes=tonnes,
                    options=replace(base, modes=modes),
                ),
            )
            for label, modes in parse_route_specs(specs)
        ]
    if alternatives > 0:
        found = alternative_routes(
            network, origin, destination, cargo=cargo, tonnes=tonnes, k=alternatives, options=base
        )
        return [(f"{i}: {' + '.join(it.modes)}", it) for i, it in enumerate(found, 1)]
    it = plan_route(network, origin, destination, cargo=cargo, tonnes=tonnes, options=base)
    return [("best: " + " + ".join(it.modes), it)]
