"""Why no route exists, and which option would help."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from caspian.model.text import Text, mode_name, node_name
from caspian.routing.assemble import build_itinerary
from caspian.routing.budget import LABEL_WORK, Budget, SearchBudgetError
from caspian.routing.itinerary import Itinerary, Leg
from caspian.routing.options import RouteOptions
from caspian.routing.paths import best_path
from caspian.routing.query import RouteQuery, prepare_query

__all__ = ["MESSAGES", "explain_no_route"]


# key: (English, Persian) templates of the sentences this module builds
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "head": ("No route from {o} to {d}{cond}", "از {o} به {d}{cond} مسیری نیست"),
    "within": (" within {hours:.0f} h", " در {hours:.0f} ساعت"),
    "options": (" with these options", " با این گزینه‌ها"),
    "too_slow": (
        "{head}{shelf}; the fastest route takes {quickest}. Raise --max-hours or choose a "
        "faster cargo class.",
        "{head}{shelf}؛ سریع‌ترین مسیر {quickest} طول می‌کشد. ‎--max-hours را بالا ببرید یا "
        "ردهٔ باری سریع‌تری برگزینید.",
    ),
    "shelf": (" (shelf life of {cargo}: {days:g} days)", " (ماندگاری {cargo}: {days:g} روز)"),
    "hours": ("{hours:.0f} h", "{hours:.0f} ساعت"),
    "unknown": ("unknown", "نامعلوم"),
    "relaxed": (
        "{head}{detail}; {hint} (a route exists via {modes}).",
        "{head}{detail}؛ {hint} (با {modes} مسیری هست).",
    ),
    "planned": (": {links} is planned, not open", ": {links} در دست ساخت است، نه باز"),
    "planned_link": ("the {a}–{z} {mode} link", "پیوند {mode} {a}–{z}"),
    "hint.planned": ("add --include-planned", "‎--include-planned را بیفزایید"),
    "hint.modes": ("allow more modes (--modes)", "شیوه‌های بیشتری را مجاز کنید (‎--modes)"),
    "hint.require": ("drop the required modes", "شیوه‌های الزامی را بردارید"),
    "hint.via": ("drop the --via places", "مکان‌های ‎--via را بردارید"),
    "hint.feeder": ("allow longer road legs", "بخش‌های جاده‌ای بلندتری را مجاز کنید"),
    "hint.avoid": ("avoid fewer places/countries", "از مکان‌ها یا کشورهای کمتری پرهیز کنید"),
    "unconnected": (
        "{head}: the network does not connect them with the modes and links open today.",
        "{head}: شبکه با شیوه‌ها و پیوندهای بازِ امروز آن‌ها را به هم وصل نمی‌کند.",
    ),
}


def _msg(key: str, **values: object) -> Text:
    return Text(*MESSAGES[key], **values)


def explain_no_route(query: RouteQuery, *, too_slow: Itinerary | None = None) -> Text:
    """Say why no route exists, and what option would help.

    Each relaxation (planned links, more modes, no required modes, no via places, longer
    road legs, fewer avoidances) is tried in turn; all of them share one work budget
    (:data:`~caspian.routing.budget.LABEL_WORK`), and the explanation stops trying once it
    is spent. The sentence is a :class:`~caspian.model.text.Text`: English as a ``str``,
    Persian with :func:`~caspian.model.text.localize`.
    """
    o, d = query.origin, query.destination

    def head(cond: Text | str) -> Text:
        return _msg(
            "head",
            o=node_name(o, suffix=f" ({o.id})"),
            d=node_name(d, suffix=f" ({d.id})"),
            cond=cond,
        )

    opts = query.options
    budget = Budget(
        LABEL_WORK,
        Text("a route to explain the failure", "مسیری برای توضیح این شکست"),
        Text("relax the options", "گزینه‌ها را آسان‌تر بگیرید"),
    )
    if too_slow is not None:
        fastest = _try(query, "time", opts, budget)
        shelf = (
            _msg(
                "shelf",
                cargo=node_name(query.commodity),
                days=query.commodity.max_transit_days,
            )
            if opts.max_transit_hours is None
            else ""
        )
        return _msg(
            "too_slow",
            head=head(_msg("within", hours=query.max_hours)),
            shelf=shelf,
            quickest=_msg("hours", hours=fastest.totals.hours) if fastest else _msg("unknown"),
        )
    relaxations: list[tuple[str, RouteOptions]] = []
    if not opts.include_planned:
        relaxations.append(("planned", replace(opts, include_planned=True)))
    if opts.modes is not None:
        relaxations.append(("modes", replace(opts, modes=None)))
    if opts.require_modes:
        relaxations.append(("require", replace(opts, require_modes=())))
    if opts.via_nodes:
        relaxations.append(("via", replace(opts, via_nodes=())))
    if opts.feeder_road_km is not None:
        relaxations.append(("feeder", replace(opts, feeder_road_km=None)))
    if opts.avoid_nodes or opts.avoid_countries:
        relaxations.append(
            ("avoid", replace(opts, avoid_nodes=frozenset(), avoid_countries=frozenset()))
        )
    for hint, relaxed in relaxations:
        found = _try(query, "generalized", relaxed, budget)
        if found is not None:
            detail: Text | str = ""
            if hint == "planned":
                planned = [
                    leg for leg in found.legs if leg.kind == "move" and _uses_planned(query, leg)
                ]
                links = [
                    _link_label(query, link, leg.mode)
                    for leg in planned
                    for link in leg.links
                    if query.graph.network.links[link].status == "planned"
                ]
                detail = _msg("planned", links=links) if links else ""
            return _msg(
                "relaxed",
                head=head(_msg("options")),
                detail=detail,
                hint=_msg(f"hint.{hint}"),
                modes=[mode_name(m) for m in found.modes],
            )
    return _msg("unconnected", head=head(""))


def _link_label(query: RouteQuery, link_id: str, mode: str) -> Text:
    link = query.graph.network.links[link_id]
    nodes = query.graph.network.nodes
    return _msg(
        "planned_link",
        a=node_name(nodes[link.from_node]),
        z=node_name(nodes[link.to_node]),
        mode=mode_name(mode),
    )


def _uses_planned(query: RouteQuery, leg: Leg) -> bool:
    return any(query.graph.network.links[x].status == "planned" for x in leg.links)


def _try(
    query: RouteQuery, objective: str, options: RouteOptions, budget: Budget
) -> Itinerary | None:
    """The route under relaxed options, or None (also when the shared budget is spent)."""
    relaxed = prepare_query(
        query.graph.network,
        query.origin.id,
        query.destination.id,
        cargo=query.commodity.id,
        tonnes=query.tonnes,
        objective=objective,
        options=options,
    )
    try:
        found = best_path(relaxed, budget=budget)
    except SearchBudgetError:
        return None
    return None if found is None else build_itinerary(relaxed, found[1], found[2])
