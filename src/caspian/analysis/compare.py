"""Before/after comparison of corridors under a scenario, with what changed and why.

For every corridor the best route is planned on both networks. Besides the totals and
their deltas, each :class:`CorridorChange` carries one line saying what changed (which
parts of the door-to-door time and cost moved) and, when the scenario opened links the
route does not use, why: the best route forced through the new link
(:func:`caspian.routing.through.best_through_links`) set against the chosen one in the
planner's own objective.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caspian.analysis.corridors import Corridor
from caspian.errors import NoRouteError
from caspian.model.network import Network
from caspian.model.text import Name, Text, join_text, localize, mode_name, node_name
from caspian.routing.itinerary import Itinerary
from caspian.routing.query import query_of
from caspian.routing.search import RouteOptions, plan_route
from caspian.routing.through import best_through_links

__all__ = [
    "CorridorChange",
    "compare_scenario",
    "explain_new_links",
    "new_links",
    "plan_corridor",
    "route_outline",
]

UNCHANGED_RELATIVE = 0.005
"""Totals within 0.5 % (and 0.1 h) count as unchanged."""

_PARTS = (
    ("border_hours", Name("border", "مرز")),
    ("waiting_hours", Name("waiting", "انتظار")),
    ("handling_hours", Name("handling", "جابه‌جایی")),
    ("moving_hours", Name("moving", "حرکت")),
    ("rest_hours", Name("rest", "استراحت")),
)

MESSAGES: dict[str, tuple[str, str]] = {
    "outline.part": ("{mode} to {place}", "{mode} تا {place}"),
    "outline": ("{parts}", "{parts}"),
    "link": ("{id} ({a}–{z}, {mode})", "{id} ({a}–{z}، {mode})"),
    "uses": ("uses {links}", "از {links} می‌گذرد"),
    "unreachable": (
        "not via {links}: no allowed route for this shipment can reach it",
        "نه از راه {links}: هیچ مسیر مجازی برای این محموله به آن نمی‌رسد",
    ),
    "dearer": (
        "not via {links}: the best route through it is {extra:.0%} dearer in generalized cost "
        "({usd:+,.0f} USD, {days:+.1f} d) than {outline}",
        "نه از راه {links}: بهترین مسیر از راه آن در هزینهٔ تعمیم‌یافته {extra:.0%} گران‌تر از "
        "{outline} است ({usd:+,.0f} دلار، {days:+.1f} روز)",
    ),
    "hours": ("{part} {hours:+.1f} h", "{part} {hours:+.1f} ساعت"),
    "cost": ("cost {share:+.1%}", "هزینه {share:+.1%}"),
    "new_route": ("new route", "مسیر تازه"),
    "new_route.moved": ("new route: {moved}", "مسیر تازه: {moved}"),
}
"""The sentences of the comparison in English and Persian (see :class:`Text`)."""


def _msg(key: str, **values: object) -> Text:
    return Text(*MESSAGES[key], **values)


def _in(text: Text, lang: str) -> str:
    """The English :class:`Text` itself (Persian kept inside), or the text in ``lang``."""
    return text if lang == "en" else text.in_lang(lang)


@dataclass(frozen=True, slots=True)
class CorridorChange:
    """A corridor's best route before and after (``None``: unreachable, with the reason).

    ``why`` is one line: what changed in the route's time and cost, and, where the
    scenario opened links that the route does not use, why not.
    """

    corridor: Corridor
    before: Itinerary | None
    after: Itinerary | None
    before_reason: str = ""
    after_reason: str = ""
    why: str = ""

    @property
    def route_changed(self) -> bool:
        """Whether the route's substance (borders, transfers, modes) changed."""
        if self.before is None or self.after is None:
            return self.before is not self.after
        return self.before.signature() != self.after.signature()

    @property
    def totals_changed(self) -> bool:
        """Whether cost, hours or CO2e moved by more than 0.5 % (and 0.1 h for hours)."""
        if self.before is None or self.after is None:
            return self.before is not self.after
        b, a = self.before.totals, self.after.totals
        for field, floor in (("cost_usd", 1.0), ("hours", 0.1), ("co2e_kg", 1.0)):
            old, new = getattr(b, field), getattr(a, field)
            if abs(new - old) > max(floor, UNCHANGED_RELATIVE * abs(old)):
                return True
        return False

    @property
    def status(self) -> str:
        """``unchanged``, ``same route`` (cost or time moved), ``changed`` (another route),
        ``now unreachable``, ``now reachable`` or ``unreachable``."""
        if self.before is None and self.after is None:
            return "unreachable"
        if self.after is None:
            return "now unreachable"
        if self.before is None:
            return "now reachable"
        if self.route_changed:
            return "changed"
        return "same route" if self.totals_changed else "unchanged"

    def delta(self, field: str) -> float | None:
        """After minus before of a totals field (``cost_usd``, ``hours``, ``co2e_kg`` …)."""
        if self.before is None or self.after is None:
            return None
        return float(getattr(self.after.totals, field) - getattr(self.before.totals, field))

    def relative_delta(self, field: str) -> float | None:
        """``delta / before`` of a totals field (``None`` without both or from zero)."""
        d = self.delta(field)
        if d is None or self.before is None:
            return None
        old = float(getattr(self.before.totals, field))
        return None if old == 0 else d / old


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


def new_links(before: Network, after: Network, *, include_planned: bool = False) -> list[str]:
    """Links usable after the scenario that were not before (added, opened, reopened)."""
    usable = {"open", "planned"} if include_planned else {"open"}
    return sorted(
        lid
        for lid, link in after.links.items()
        if link.status in usable
        and (lid not in before.links or before.links[lid].status not in usable)
    )


def _name(network: Network, node: str) -> Name:
    n = network.nodes.get(node)
    return Name(node) if n is None else node_name(n)


def route_outline(network: Network, itinerary: Itinerary, *, lang: str = "en") -> str:
    """Modes and where they change, e.g. ``road to Astara (IR), rail to Moscow``.

    In English a :class:`~caspian.model.text.Text` (a ``str`` that keeps its Persian).
    """
    parts: list[Text] = []
    last_mode = ""
    for leg in itinerary.legs:
        if leg.kind != "move":
            continue
        part = _msg("outline.part", mode=mode_name(leg.mode), place=_name(network, leg.to_node))
        if leg.mode == last_mode and parts:
            parts[-1] = part
        else:
            parts.append(part)
        last_mode = leg.mode
    return _in(_msg("outline", parts=parts), lang)


def _link_name(network: Network, lid: str) -> Text:
    link = network.links[lid]
    a, z = _name(network, link.from_node), _name(network, link.to_node)
    return _msg("link", id=lid, a=a, z=z, mode=mode_name(link.mode))


def _uses(itinerary: Itinerary, links: Sequence[str]) -> list[str]:
    used = {lid for leg in itinerary.legs for lid in leg.links}
    return [lid for lid in links if lid in used]


def explain_new_links(
    network: Network,
    itinerary: Itinerary,
    links: Sequence[str],
    *,
    options: RouteOptions | None = None,
    lang: str = "en",
) -> str:
    """One line on whether the route uses ``links`` and, if not, why not.

    The reason compares the chosen route with the best route forced through one of the
    links, in generalized cost (money plus the cargo's value of time, as the planner
    weighs them) and in USD and days.

    Examples
    --------
    >>> from caspian import load_network
    >>> from caspian.scenarios import apply_scenario, load_scenario
    >>> before = load_network()
    >>> after = apply_scenario(before, load_scenario("rasht-astara-railway"))
    >>> route = plan_route(after, "Lahijan", "Aktau", cargo="tea", tonnes=20)
    >>> explain_new_links(after, route, new_links(before, after)).startswith("not via")
    True
    """
    if not links:
        return ""
    used = _uses(itinerary, links)
    if used:
        return _in(_msg("uses", links=[_link_name(network, lid) for lid in used]), lang)
    forced = best_through_links(query_of(network, itinerary, options=options), links)
    if forced is None:
        names = [_link_name(network, lid) for lid in links]
        return _in(_msg("unreachable", links=names), lang)
    via = _uses(forced, links)
    chosen, alt = itinerary.totals, forced.totals
    extra = alt.generalized_cost_usd / max(chosen.generalized_cost_usd, 1e-9) - 1.0
    text = _msg(
        "dearer",
        links=via[:1] or list(links),
        extra=extra,
        usd=alt.cost_usd - chosen.cost_usd,
        days=alt.days - chosen.days,
        outline=route_outline(network, itinerary),
    )
    return _in(text, lang)


def _what_changed(change: CorridorChange) -> str:
    b, a = change.before, change.after
    if b is None or a is None:
        return change.after_reason or change.before_reason
    moved: list[str] = []
    for field, label in _PARTS:
        d = float(getattr(a.totals, field) - getattr(b.totals, field))
        if abs(d) >= 0.1:
            moved.append(_msg("hours", part=label, hours=d))
    cost = change.relative_delta("cost_usd") or 0.0
    if abs(cost) >= UNCHANGED_RELATIVE:
        moved.append(_msg("cost", share=cost))
    if change.route_changed:
        if not moved:
            return _msg("new_route")
        return _msg("new_route.moved", moved=join_text(moved, "; ", "؛ "))
    return join_text(moved, "; ", "؛ ") if moved else ""


def compare_scenario(
    before: Network,
    after: Network,
    corridors: Sequence[Corridor],
    *,
    options: RouteOptions | None = None,
    lang: str = "en",
) -> list[CorridorChange]:
    """Plan every corridor on both networks and say what changed and why.

    Raises
    ------
    UnknownPlaceError, ValidationError
        When a corridor names an unknown place or cargo.
    """
    opened = new_links(before, after, include_planned=bool(options and options.include_planned))
    out = []
    for c in corridors:
        b, br = plan_corridor(before, c, options=options)
        a, ar = plan_corridor(after, c, options=options)
        change = CorridorChange(c, b, a, br, ar)
        notes = [n for n in (_what_changed(change),) if n]
        if a is not None and opened:
            notes.append(explain_new_links(after, a, opened, options=options))
        why = join_text(notes, "; ", "؛ ") if notes else ""
        out.append(CorridorChange(c, b, a, br, ar, why if lang == "en" else localize(why, lang)))
    return out
