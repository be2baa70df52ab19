"""The network model: places, links, borders, terminals, services, modes and commodities."""

from __future__ import annotations

from caspian.model.network import (
    CARGO_CLASSES,
    LAYERS,
    LINK_STATUSES,
    MODES,
    NODE_KINDS,
    BorderRule,
    Commodity,
    Link,
    ModeCost,
    Network,
    Node,
    Service,
    Transfer,
    layer_of,
)
from caspian.model.places import normalize_name, resolve_commodity, resolve_place, search_places

__all__ = [
    "CARGO_CLASSES",
    "LAYERS",
    "LINK_STATUSES",
    "MODES",
    "NODE_KINDS",
    "BorderRule",
    "Commodity",
    "Link",
    "ModeCost",
    "Network",
    "Node",
    "Service",
    "Transfer",
    "layer_of",
    "normalize_name",
    "resolve_commodity",
    "resolve_place",
    "search_places",
]
