"""The network as GeoJSON for the map: nodes with their border rules, links with services."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caspian.model.network import Network

__all__ = ["network_features"]


def network_features(network: Network) -> dict[str, Any]:
    """A GeoJSON ``FeatureCollection``: one ``Point`` per node, one ``LineString`` per link."""
    borders: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for b in network.borders:
        borders[b.node].append(
            {
                "mode": b.mode,
                "from_country": b.from_country,
                "to_country": b.to_country,
                "clearance_hours": b.clearance_hours,
                "fee_usd_per_vehicle": b.fee_usd_per_vehicle,
                "status": b.status,
                "estimate": b.estimate,
                "source": b.source,
            }
        )
    terminals = {t.node for t in network.transfers}
    services: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in network.services.values():
        services[s.link].append(
            {"id": s.id, "sailings_per_week": s.sailings_per_week, "operator": s.operator}
        )
    open_links: dict[str, int] = defaultdict(int)
    touched: set[str] = set()
    for link in network.links.values():
        for node_id in (link.from_node, link.to_node):
            touched.add(node_id)
            open_links[node_id] += link.status != "closed"
    features: list[dict[str, Any]] = []
    for node in sorted(network.nodes.values(), key=lambda n: n.id):
        features.append(
            {
                "type": "Feature",
                "id": node.id,
                "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
                "properties": {
                    "feature": "node",
                    "id": node.id,
                    "name_en": node.name_en,
                    "name_fa": node.name_fa or node.name_en,
                    "kind": node.kind,
                    "country": node.country,
                    "status": "closed"
                    if node.id in touched and not open_links[node.id]
                    else "open",
                    "border": node.id in borders,
                    "borders": borders.get(node.id, []),
                    "terminal": node.id in terminals,
                },
            }
        )
    for link in sorted(network.links.values(), key=lambda k: k.id):
        start, end = network.nodes.get(link.from_node), network.nodes.get(link.to_node)
        if start is None or end is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[start.lon, start.lat], [end.lon, end.lat]],
                },
                "properties": {
                    "feature": "link",
                    "id": link.id,
                    "mode": link.mode,
                    "status": link.status,
                    "from": link.from_node,
                    "to": link.to_node,
                    "distance_km": link.distance_km,
                    "estimate": link.estimate,
                    "source": link.source,
                    "services": services.get(link.id, []),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
