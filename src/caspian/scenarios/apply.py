"""Apply a validated scenario to a network, checking every id it names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from rapidfuzz import process

from caspian.errors import ScenarioError, ValidationError
from caspian.io.tables import link_problems, network_problems
from caspian.io.yamlsafe import shorten
from caspian.model.demand import Demand, apply_overlay
from caspian.model.network import (
    CARGO_CLASSES,
    LAYERS,
    MODES,
    BorderRule,
    Link,
    ModeCost,
    Network,
    Node,
    Service,
    Transfer,
)
from caspian.scenarios.schema import Change, Scenario

__all__ = ["apply_demand", "apply_scenario"]


_MAX_REPORTED = 10


def _closest(name: str, valid: Iterable[str]) -> str:
    hits = process.extract(name[:80], list(valid), limit=5)
    return ", ".join(h[0] for h in hits)


def _unknown(
    scn: Scenario, ch: Change, key: str, value: str, valid: Iterable[str]
) -> ScenarioError:
    return ScenarioError(
        f"{ch.where(scn.origin)}: {key} {shorten(value)} does not exist; closest valid: "
        f"{_closest(value, valid)}"
    )


def _check_link(scn: Scenario, ch: Change, link: Link, nodes: Mapping[str, Node]) -> None:
    """The loader's own checks on a link the scenario adds or changes."""
    found = link_problems(link, nodes)
    if found:
        column, problem = found[0]
        key = {"from": "from", "to": "to"}.get(column, column)
        raise ScenarioError(f"{ch.where(scn.origin)}.{key}: {problem}")


def _need(scn: Scenario, ch: Change, keys: Iterable[str]) -> None:
    missing = [k for k in keys if k not in ch.values]
    if missing:
        raise ScenarioError(
            f"{ch.where(scn.origin)}: adding a new entry needs {', '.join(missing)}"
        )


def apply_scenario(network: Network, scenario: Scenario) -> Network:
    """Return a new network with the scenario's changes (the input is not modified).

    Raises
    ------
    ScenarioError
        When an entry names a link, node, border, service or mode that does not exist (with
        the closest valid names), or an addition lacks required fields.
    """
    nodes = dict(network.nodes)
    links = dict(network.links)
    borders = list(network.borders)
    transfers = list(network.transfers)
    services = dict(network.services)
    costs = dict(network.mode_costs)
    src = f"scenario {scenario.name}"

    for ch in scenario.section("nodes"):
        v = ch.values
        _need(scenario, ch, ["id"])
        nid = str(v["id"])
        if nid in nodes:
            if v.get("status") == "closed":
                for lid, link in list(links.items()):
                    if nid in (link.from_node, link.to_node):
                        links[lid] = replace(link, status="closed")
            node_fields = {k: v[k] for k in ("name_en", "name_fa", "lat", "lon", "note") if k in v}
            nodes[nid] = replace(nodes[nid], **node_fields)
        else:
            if "status" in v and len(v) == 2:
                raise _unknown(scenario, ch, "node", nid, nodes)
            _need(scenario, ch, ["name_en", "country", "kind", "lat", "lon"])
            nodes[nid] = Node(
                id=nid,
                name_en=str(v["name_en"]),
                name_fa=str(v.get("name_fa", "")),
                aliases=tuple(v.get("aliases", ())),
                country=str(v["country"]),
                kind=str(v["kind"]),
                lat=float(v["lat"]),
                lon=float(v["lon"]),
                source=str(v.get("source", src)),
                estimate=True,
                note=str(v.get("note", "")),
            )

    for ch in scenario.section("links"):
        v = ch.values
        _need(scenario, ch, ["id"])
        lid = str(v["id"])
        if lid in links:
            fields: dict[str, Any] = {
                k: v[k]
                for k in ("status", "distance_km", "speed_kmh", "capacity_t_per_year", "note")
                if k in v
            }
            if "distance_km" in fields:
                fields["distance_km"] = float(fields["distance_km"])
            links[lid] = replace(links[lid], **fields)
            _check_link(scenario, ch, links[lid], nodes)
            continue
        if set(v) <= {"id", "status", "note"}:
            raise _unknown(scenario, ch, "link", lid, links)
        _need(scenario, ch, ["from", "to", "mode", "distance_km"])
        for end in ("from", "to"):
            if v[end] not in nodes:
                raise _unknown(scenario, ch, end, str(v[end]), nodes)
        if v["mode"] not in MODES:
            raise ScenarioError(
                f"{ch.where(scenario.origin)}: mode '{v['mode']}' is not one of {', '.join(MODES)}"
            )
        if v["mode"] in ("rail", "rail_ferry"):
            _need(scenario, ch, ["gauge_mm"])
        gauges: tuple[int, ...] = tuple(v.get("gauge_mm", ()))  # parsed by the loader's rule
        links[lid] = Link(
            id=lid,
            from_node=str(v["from"]),
            to_node=str(v["to"]),
            mode=str(v["mode"]),
            distance_km=float(v["distance_km"]),
            gauges_mm=gauges,
            status=str(v.get("status", "open")),
            source=str(v.get("source", src)),
            capacity_t_per_year=v.get("capacity_t_per_year"),
            speed_kmh=v.get("speed_kmh"),
            estimate=True,
            note=str(v.get("note", "")),
        )
        _check_link(scenario, ch, links[lid], nodes)

    for ch in scenario.section("borders"):
        borders = _apply_border(scenario, ch, borders, nodes)

    for ch in scenario.section("services"):
        v = ch.values
        matched = []
        if "id" in v:
            if v["id"] not in services:
                if "link" not in v:
                    raise _unknown(scenario, ch, "service", str(v["id"]), services)
                if v["link"] not in links:
                    raise _unknown(scenario, ch, "link", str(v["link"]), links)
                _need(scenario, ch, ["sailings_per_week", "payload_t"])
                sid = str(v["id"])
                services[sid] = Service(
                    id=sid,
                    link=str(v["link"]),
                    sailings_per_week=float(v["sailings_per_week"]),
                    payload_t=float(v["payload_t"]),
                    sails_when_loaded=bool(v.get("sails_when_loaded", True)),
                    operator=str(v.get("operator", "")),
                    source=str(v.get("source", src)),
                    estimate=True,
                )
                continue
            matched = [str(v["id"])]
        elif "link" in v:
            matched = [s.id for s in services.values() if s.link == v["link"]]
            if not matched:
                with_service = sorted({s.link for s in services.values()})
                raise _unknown(scenario, ch, "link with a service", str(v["link"]), with_service)
        else:
            raise ScenarioError(f"{ch.where(scenario.origin)}: name a service by id or link")
        for sid in matched:
            services[sid] = _service_change(scenario, ch, services[sid])

    for ch in scenario.section("terminals"):
        transfers = _apply_terminal(scenario, ch, transfers, nodes)

    for ch in scenario.section("mode_costs"):
        v = ch.values
        _need(scenario, ch, ["mode"])
        if v["mode"] not in MODES:
            raise _unknown(scenario, ch, "mode", str(v["mode"]), MODES)
        cls = str(v.get("cargo_class", "*"))
        if cls != "*" and cls not in CARGO_CLASSES:
            raise _unknown(scenario, ch, "cargo_class", cls, CARGO_CLASSES)
        for (mode, c), mc in list(costs.items()):
            if mode != v["mode"] or cls not in ("*", c):
                continue
            costs[(mode, c)] = _cost_change(mc, v)

    result = network.with_changes(
        nodes=nodes,
        links=links,
        borders=tuple(borders),
        transfers=tuple(transfers),
        services=services,
        mode_costs=costs,
        name=f"{network.name}+{scenario.name}",
        scenarios=(*network.scenarios, scenario.name),
    )
    problems = network_problems(result)
    if problems:
        more = len(problems) - _MAX_REPORTED
        raise ScenarioError(
            f"{scenario.origin}: the scenario leaves the network invalid "
            "(the rules the data tables follow):\n  "
            + "\n  ".join(problems[:_MAX_REPORTED])
            + (f"\n  … and {more} more" if more > 0 else "")
        )
    return result


def _service_change(scn: Scenario, ch: Change, svc: Service) -> Service:
    """Apply one ``services`` entry to a service.

    A when-loaded ship departs when full, so its departures a week are cargo offered ÷
    payload: ``sailings_factor`` scales the cargo offered there (the fill time, hence the
    wait, shrinks by the factor), and the sailings a week of a liner. ``sailings_per_week``
    on a when-loaded service without a cargo figure would change nothing, so it is refused.
    """
    v = ch.values
    payload = float(v.get("payload_t", svc.payload_t))
    offered = svc.cargo_offered_t_per_week
    sailings = svc.sailings_per_week
    if "cargo_offered_t_per_week" in v:
        offered = float(v["cargo_offered_t_per_week"])
    if "sailings_per_week" in v:
        if svc.sails_when_loaded and offered:
            offered = float(v["sailings_per_week"]) * payload
        else:
            sailings = float(v["sailings_per_week"])
    if "sailings_factor" in v:
        f = float(v["sailings_factor"])
        if svc.sails_when_loaded and offered:
            offered *= f
        elif sailings:
            sailings *= f
        else:
            raise ScenarioError(
                f"{ch.where(scn.origin)}: service {svc.id} has neither a frequency nor cargo "
                "offered to scale; give sailings_per_week or cargo_offered_t_per_week"
            )
    return replace(
        svc, sailings_per_week=sailings, payload_t=payload, cargo_offered_t_per_week=offered
    )


def _cost_change(mc: ModeCost, v: Mapping[str, Any]) -> ModeCost:
    cost = mc.cost_usd_per_tkm
    if "cost_usd_per_tkm" in v:
        cost = float(v["cost_usd_per_tkm"])
    if "cost_factor" in v:
        cost *= float(v["cost_factor"])
    return replace(
        mc,
        cost_usd_per_tkm=cost,
        speed_kmh=float(v.get("speed_kmh", mc.speed_kmh)),
        co2e_g_per_tkm=float(v.get("co2e_g_per_tkm", mc.co2e_g_per_tkm)),
    )


def _apply_border(
    scn: Scenario, ch: Change, borders: list[BorderRule], nodes: Mapping[str, Node]
) -> list[BorderRule]:
    v = ch.values
    if "node" not in v and "country" not in v:
        raise ScenarioError(f"{ch.where(scn.origin)}: name a crossing (node) or a country")
    if "node" in v and v["node"] not in nodes:
        crossings = sorted({b.node for b in borders})
        raise _unknown(scn, ch, "node", str(v["node"]), crossings)
    excepted = set(v.get("except", []))
    for e in excepted:
        if e not in nodes:
            raise _unknown(scn, ch, "except", e, sorted({b.node for b in borders}))
    if "mode" in v and v["mode"] not in ("road", "rail", "sea"):
        raise ScenarioError(f"{ch.where(scn.origin)}: mode must be road, rail or sea")

    def selected(b: BorderRule) -> bool:
        if "node" in v and b.node != v["node"]:
            return False
        if "country" in v:
            if nodes[b.node].kind != "border_crossing" and "mode" not in v:
                return False  # a country-wide rule touches land crossings unless a mode is set
            if v["country"] not in (b.from_country, b.to_country):
                return False
        if b.node in excepted:
            return False
        return all(
            k not in v or getattr(b, k) == v[k] for k in ("mode", "from_country", "to_country")
        )

    out: list[BorderRule] = []
    hit = 0
    for b in borders:
        if not selected(b):
            out.append(b)
            continue
        hit += 1
        hours = float(v.get("clearance_hours", b.clearance_hours))
        hours *= float(v.get("clearance_factor", 1.0))
        out.append(
            replace(
                b,
                clearance_hours=hours,
                fee_usd_per_vehicle=float(v.get("fee_usd_per_vehicle", b.fee_usd_per_vehicle)),
                status=str(v.get("status", b.status)),
                note=str(v.get("note", b.note)),
            )
        )
    if hit == 0:
        if "node" in v and {"mode", "from_country", "to_country", "clearance_hours"} <= set(v):
            out.append(
                BorderRule(
                    node=str(v["node"]),
                    mode=str(v["mode"]),
                    from_country=str(v["from_country"]),
                    to_country=str(v["to_country"]),
                    clearance_hours=float(v["clearance_hours"]),
                    fee_usd_per_vehicle=float(v.get("fee_usd_per_vehicle", 0.0)),
                    status=str(v.get("status", "open")),
                    source=str(v.get("source", scn.name)),
                    estimate=True,
                )
            )
            return out
        rows = sorted(
            {
                f"{b.node} {b.mode} {b.from_country}→{b.to_country}"
                for b in borders
                if "node" not in v or b.node == v["node"]
            }
        )
        raise ScenarioError(
            f"{ch.where(scn.origin)}: no border row matches {shorten(dict(v), limit=200)}; "
            "rows at this crossing: " + "; ".join(rows[:8])
        )
    return out


def _apply_terminal(
    scn: Scenario, ch: Change, transfers: list[Transfer], nodes: Mapping[str, Node]
) -> list[Transfer]:
    v = ch.values
    _need(scn, ch, ["node", "from_layer", "to_layer"])
    if v["node"] not in nodes:
        raise _unknown(scn, ch, "node", str(v["node"]), nodes)
    for key in ("from_layer", "to_layer"):
        if v[key] not in LAYERS:
            raise _unknown(scn, ch, key, str(v[key]), LAYERS)
    pair = {v["from_layer"], v["to_layer"]}
    cls = str(v.get("cargo_class", "*"))
    out, hit = [], False
    for t in transfers:
        if (
            t.node == v["node"]
            and {t.from_layer, t.to_layer} == pair
            and cls in ("*", t.cargo_class)
        ):
            hit = True
            t = replace(
                t,
                handling_usd_per_t=float(v.get("handling_usd_per_t", t.handling_usd_per_t)),
                handling_hours=float(v.get("handling_hours", t.handling_hours)),
                co2e_kg_per_t=float(v.get("co2e_kg_per_t", t.co2e_kg_per_t)),
            )
        out.append(t)
    if not hit:
        _need(scn, ch, ["handling_usd_per_t", "handling_hours"])
        out.append(
            Transfer(
                node=str(v["node"]),
                from_layer=str(v["from_layer"]),
                to_layer=str(v["to_layer"]),
                method=str(v.get("method", "transshipment")),
                cargo_class=cls,
                handling_usd_per_t=float(v["handling_usd_per_t"]),
                handling_hours=float(v["handling_hours"]),
                co2e_kg_per_t=float(v.get("co2e_kg_per_t", 0.0)),
                source=str(v.get("source", scn.name)),
                estimate=True,
            )
        )
    return out


def apply_demand(demand: Demand, scenario: Scenario) -> Demand:
    """Return the demand with the scenario's ``demand:`` section applied (pure).

    A scenario without a ``demand:`` section returns ``demand`` itself.

    Raises
    ------
    ScenarioError
        A change names a row, zone, country, commodity or group the demand does not have
        (with the closest valid values), naming the scenario file and the entry.

    Examples
    --------
    >>> from caspian.io.demand import load_demand
    >>> from caspian.io.tables import load_network
    >>> from caspian.scenarios.schema import load_scenario
    >>> base = load_demand(load_network(), year=2023)
    >>> grown = apply_demand(base, load_scenario("trade-growth-20"))
    >>> round(grown.total_tonnes() / base.total_tonnes(), 3)
    1.2
    """
    if scenario.demand is None:
        return demand
    try:
        return apply_overlay(demand, scenario.demand, name=scenario.name)
    except ValidationError as exc:
        raise ScenarioError(f"{scenario.origin}, {exc}") from None
