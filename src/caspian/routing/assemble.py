"""Turning a path in the expanded graph into an itinerary: legs, merged moves, totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from caspian.model.network import CARGO_CLASSES
from caspian.model.text import Name, Text, node_name
from caspian.routing.graph import BORDER, MOVE, TRANSFER, ExpandedGraph, FloatArray
from caspian.routing.itinerary import Itinerary, Leg, Totals
from caspian.routing.layered import revisits
from caspian.routing.query import RouteQuery

__all__ = ["build_itinerary"]


def build_itinerary(query: RouteQuery, start: int, edges: Iterable[int]) -> Itinerary:
    """Turn a path in the expanded graph into an itinerary with legs and totals.

    A path that comes back to a place it has left gets a note saying so.
    """
    g = query.graph
    t = query.tonnes
    edges = list(edges)
    end = int(g.dst[edges[-1]]) if edges else start
    raw: list[Leg] = [_end_leg(query, start, "load")]
    for e in edges:
        raw.append(_edge_leg(query, e))
    raw.append(_end_leg(query, end, "unload"))
    legs = tuple(_merge(raw))
    return Itinerary(
        origin=query.origin.id,
        destination=query.destination.id,
        cargo=query.commodity.id,
        tonnes=t,
        objective=query.objective,
        legs=legs,
        totals=_totals(query, legs),
        scenario=", ".join(g.network.scenarios),
        notes=(*_doubling_back(query, start, edges), *_return_tickets(query, legs)),
    )


def _return_tickets(query: RouteQuery, legs: tuple[Leg, ...]) -> tuple[str, ...]:
    """A note for each crossing whose operator sells vehicles a return ticket below two
    one-way fares: what the vehicles would pay there and back (not for groupage: a small
    lot sharing a truck does not buy the truck's ticket)."""
    g = query.graph
    net = g.network
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    by_link = {s.link: s for s in net.services.values() if s.return_ticket_factor < 1.0}
    out: list[str] = []
    for leg in legs:
        if leg.kind != "move" or leg.vehicles < 1 or not float(leg.vehicles).is_integer():
            continue
        for e in leg.edges:
            service = by_link.get(g.link[e])
            if service is None:
                continue
            fare = float(g.money_usd_per_vehicle[ci, e] - g.fee_usd_per_vehicle[ci, e])
            link = net.links[service.link]
            outbound = g.vertex_node[int(g.src[e])] == link.from_node
            ticket = service.return_ticket_usd(fare, outbound=outbound)
            low, high = service.return_ticket_range
            out.append(
                Text(
                    *_NOTES["return_ticket"],
                    a=node_name(net.nodes[link.from_node]),
                    z=node_name(net.nodes[link.to_node]),
                    operator=service.operator,
                    pct=f"{service.return_ticket_factor:.0%}",
                    low=f"{low:.0%}",
                    high=f"{high:.0%}",
                    vehicle=Name(leg.vehicle, _VEHICLES_FA.get(leg.vehicle, leg.vehicle)),
                    usd=f"{ticket:,.0f}",
                    total=f"{ticket * leg.vehicles:,.0f}",
                )
            )
    return tuple(out)


def _doubling_back(query: RouteQuery, start: int, edges: list[int]) -> tuple[str, ...]:
    """A note when the route comes back to a place it has left (a dead-end via place)."""
    again = revisits(query.graph, start, edges)
    if not again:
        return ()
    nodes = query.graph.network.nodes
    places = [node_name(nodes[n], suffix=f" ({n})") for n in again]
    via = [node_name(nodes[n]) for n in query.options.via_nodes]
    why = Text(*_NOTES["doubling_why"], via=via) if via else ""
    return (Text(*_NOTES["doubling"], places=places, why=why),)


_NOTES = {
    "doubling": ("the route passes {places} twice{why}.", "مسیر دو بار از {places} می‌گذرد{why}."),
    "doubling_why": (
        ": no route passes {via} without doubling back, so it goes there and comes back",
        ": هیچ مسیری بی‌بازگشت از {via} نمی‌گذرد، پس تا آنجا می‌رود و بازمی‌گردد",
    ),
    "return_ticket": (
        "a return ticket on the {a}–{z} ferry ({operator}) costs about {pct} of two one-way "
        "fares (range {low}–{high}): {usd} USD per {vehicle} there and back, {total} USD for "
        "this shipment's vehicles, if they come back this way.",
        "بلیت رفت‌وبرگشت فری {a}–{z} ({operator}) حدود {pct} دو کرایهٔ یک‌طرفه است "
        "(بازهٔ {low}–{high}): {usd} دلار برای هر {vehicle} رفت‌وبرگشت، {total} دلار "
        "برای وسایل این محموله، اگر از همین راه بازگردند.",
    ),
}
"""The notes this module writes, in English and Persian (see :class:`~caspian.model.text.Text`)."""

_VEHICLES_FA = {"truck": "کامیون", "wagon": "واگن", "teu": "TEU"}
"""Persian names of the vehicles a note may name."""


def _end_leg(query: RouteQuery, vertex: int, kind: str) -> Leg:
    g = query.graph
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    node = g.vertex_node[vertex]
    layer = g.vertex_layer[vertex]
    verb = "loading onto" if kind == "load" else "unloading from"
    return Leg(
        kind=kind,
        mode=layer,
        from_node=node,
        to_node=node,
        distance_km=0.0,
        moving_hours=0.0,
        handling_hours=float(g.load_hours[ci, vertex]),
        border_hours=0.0,
        waiting_hours=0.0,
        cost_usd=float(g.load_usd_per_t[ci, vertex]) * query.tonnes,
        co2e_kg=0.0,
        description=f"{verb} {layer.replace('_', ' ')}",
    )


def _edge_leg(query: RouteQuery, e: int) -> Leg:
    g = query.graph
    c = query.costs
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    tonnes = query.tonnes
    kind = int(g.kind[e])
    u, v = int(g.src[e]), int(g.dst[e])
    a, z = g.vertex_node[u], g.vertex_node[v]
    vehicle, vehicles = "", 0.0
    if kind == MOVE:
        desc = g.mode[e].replace("_", " ")
        mc = g.network.mode_costs[(g.mode[e], query.commodity.cargo_class)]
        vehicle = mc.vehicle
        vehicles = mc.vehicles_per_t(tonnes) * tonnes
    elif kind == TRANSFER:
        x, y = g.mode[e].split(">")
        desc = f"transfer {x.replace('_', ' ')} → {y.replace('_', ' ')}"
    else:
        desc = f"{g.mode[e]} border clearance {g.vertex_side[u]} → {g.vertex_side[v]}"

    def part(arr: FloatArray | None) -> float:
        return 0.0 if arr is None else float(arr[e])

    return Leg(
        kind={MOVE: "move", TRANSFER: "transfer", BORDER: "border"}[kind],
        mode=g.mode[e] if kind != TRANSFER else g.mode[e].replace(">", "→"),
        from_node=a,
        to_node=z,
        distance_km=float(g.distance_km[e]),
        moving_hours=part(c.moving_hours),
        handling_hours=part(c.handling_hours),
        border_hours=part(c.border_hours),
        waiting_hours=part(c.waiting_hours),
        rest_hours=part(c.rest_hours),
        cost_usd=float(c.money_usd_per_t[e]) * tonnes,
        co2e_kg=float(g.co2e_kg_per_t[ci, e]) * tonnes,
        links=(g.link[e],) if g.link[e] else (),
        description=desc,
        vehicle=vehicle,
        vehicles=vehicles,
        edges=(e,),
        **_emission_basis(g, e, ci),
    )


def _emission_basis(g: ExpandedGraph, e: int, ci: int) -> dict[str, Any]:
    """The intensity, distance factor and source row behind an edge's CO2e (ISO 14083)."""
    net = g.network
    cls = CARGO_CLASSES[ci]
    if int(g.kind[e]) == MOVE:
        mc = net.mode_costs[(g.mode[e], cls)]
        return {
            "co2e_g_per_tkm": mc.co2e_g_per_tkm,
            "distance_factor": mc.distance_factor,
            "emission_source": f"modes.csv {mc.mode}/{cls}: {mc.source}",
        }
    if int(g.kind[e]) == TRANSFER:
        node = g.vertex_node[int(g.src[e])]
        pair = set(g.mode[e].split(">"))
        rules = [t for t in net.transfers if t.node == node and {t.from_layer, t.to_layer} == pair]
        rule = next((t for t in rules if t.cargo_class == cls), None) or next(
            (t for t in rules if t.cargo_class == "*"), None
        )
        if rule is not None:
            return {"emission_source": f"terminals.csv {node} hub: {rule.source}"}
    return {}


def _merge(legs: list[Leg]) -> list[Leg]:
    """Join consecutive moves in the same mode with no wait or clearance between them."""
    out: list[Leg] = []
    for leg in legs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == leg.kind == "move"
            and prev.mode == leg.mode
            and leg.waiting_hours == 0
            and leg.border_hours == 0
            and prev.waiting_hours == 0
            and prev.border_hours == 0
        ):
            out[-1] = replace(
                prev,
                to_node=leg.to_node,
                via=(*prev.via, prev.to_node),
                links=(*prev.links, *leg.links),
                distance_km=prev.distance_km + leg.distance_km,
                moving_hours=prev.moving_hours + leg.moving_hours,
                rest_hours=prev.rest_hours + leg.rest_hours,
                edges=(*prev.edges, *leg.edges),
                cost_usd=prev.cost_usd + leg.cost_usd,
                co2e_kg=prev.co2e_kg + leg.co2e_kg,
            )
        else:
            out.append(leg)
    return out


def _totals(query: RouteQuery, legs: tuple[Leg, ...]) -> Totals:
    hours = sum(leg.hours for leg in legs)
    cost = sum(leg.cost_usd for leg in legs)
    co2 = sum(leg.co2e_kg for leg in legs)
    time_value = query.commodity.value_of_time_usd_per_t_hour * hours * query.tonnes
    carbon = query.options.carbon_price_usd_per_t_co2e * co2 / 1000.0
    return Totals(
        distance_km=sum(leg.distance_km for leg in legs),
        hours=hours,
        moving_hours=sum(leg.moving_hours for leg in legs),
        rest_hours=sum(leg.rest_hours for leg in legs),
        handling_hours=sum(leg.handling_hours for leg in legs),
        border_hours=sum(leg.border_hours for leg in legs),
        waiting_hours=sum(leg.waiting_hours for leg in legs),
        cost_usd=cost,
        co2e_kg=co2,
        time_value_usd=time_value,
        carbon_cost_usd=carbon,
        generalized_cost_usd=cost + time_value + carbon,
        tonnes=query.tonnes,
    )
