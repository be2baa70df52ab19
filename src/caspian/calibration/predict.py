"""The model's value for each observation, as a linear form in the parameter factors."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from caspian.calibration.observations import Observation
from caspian.errors import CaspianError
from caspian.model.network import CARGO_CLASSES, WATER_MODES, Link, Network
from caspian.routing.families import FAMILIES
from caspian.routing.graph import ExpandedGraph, FloatArray, build_graph
from caspian.routing.itinerary import Itinerary
from caspian.routing.linear import LinearForm
from caspian.routing.linear import route_forms as _route_forms
from caspian.routing.search import RouteOptions, RouteQuery, prepare_query, solve

__all__ = ["CARRIER_FAMILIES", "Prediction", "predict", "shipment_of"]

_SEA_ONLY = frozenset({"sea", "rail_ferry", "truck_ferry"})
CARRIER_FAMILIES = frozenset({"sea", "rail"})
"""Families whose published rates are one carrier's freight or tariff (a ship's or ferry's
fare, a railway's tariff): compared with the moving legs alone, without loading, terminal
handling and the clearance fees charged to the vehicle or consignment. Road rates (CPMM's
cost of a corridor section) are compared with the whole cost."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model says for one observation.

    ``form`` gives the value (in the observation's unit) as a function of the parameter
    factors for the route found; ``None`` with a ``reason`` when the model does not
    produce that kind of figure (e.g. throughput needs the flows engine).
    """

    observation: Observation
    value: float | None
    form: LinearForm | None
    route: str = ""
    reason: str = ""


def shipment_of(network: Network, obs: Observation) -> tuple[str, float]:
    """The commodity id and tonnes the model ships to reproduce ``obs``.

    A rate per truck ships one truckload, per TEU one 20 t box, per FEU two TEU slots
    (40 t), per wagon one wagonload; times and per-tonne rates use 1,000 t of bulk or one
    truckload (20 t) of anything else.
    """
    cargo = obs.cargo
    if obs.unit in ("usd_per_teu", "usd_per_feu"):
        cargo = "container" if cargo == "general" else cargo
    if cargo == "general":
        cargo = "bagged"
    if cargo in CARGO_CLASSES:
        ids = sorted(c.id for c in network.commodities.values() if c.cargo_class == cargo)
        if not ids:
            raise CaspianError(f"no commodity of class {cargo} in the network")
        commodity = ids[0]
    else:
        commodity = cargo
    cls = network.commodities[commodity].cargo_class
    tonnes = {
        "usd_per_truck": network.mode_costs[("road", cls)].vehicle_payload_t,
        "usd_per_teu": 20.0,
        "usd_per_feu": 40.0,
        "usd_per_wagon": network.mode_costs[("rail", cls)].vehicle_payload_t,
    }.get(obs.unit, 1000.0 if cls == "dry_bulk" else 20.0)
    return commodity, tonnes


def _family_options(obs: Observation) -> RouteOptions:
    """Route options of the observation's family; a named ``mode`` must be used (a ro-ro
    fare is a truck on a ferry, not 20 t of part cargo on a general-cargo ship)."""
    options = RouteOptions()
    if obs.family == "sea":
        ships = frozenset({obs.mode}) if obs.mode in _SEA_ONLY else _SEA_ONLY
        options = RouteOptions(modes=ships | {"road"}, require_modes=(ships,), feeder_road_km=60.0)
    else:
        for fam in FAMILIES:
            if fam.name == obs.family:
                options = fam.options(RouteOptions())
    if obs.mode and obs.family != "sea":
        options = replace(options, require_modes=(*options.require_modes, frozenset({obs.mode})))
    return options


def _freight(query: RouteQuery, it: Itinerary, *, return_ticket: bool = False) -> LinearForm:
    """What the carriers charge for the moving legs: the line haul without the clearance
    fees that ports and crossings charge the vehicle or the consignment (a ferry's or
    ship's published fare does not include them).

    ``return_ticket``: the legs are half of a journey there and back, paid with a return
    ticket where the service sells one (its ``return_ticket_factor`` × the one-way fare).
    """
    g = query.graph
    ticket = (
        {s.link: s.return_ticket_factor for s in g.network.services.values()}
        if return_ticket
        else {}
    )
    ci = CARGO_CLASSES.index(query.commodity.cargo_class)
    vpt = g.vehicles_per_t(query.tonnes)[ci]
    const, idx, coef = 0.0, [], []
    for leg in it.legs:
        if leg.kind != "move":
            continue
        for e in leg.edges:
            const += float(g.money_usd_per_t[ci, e]) * query.tonnes
            vm = int(g.vehicle_mode[e])
            haul = float(g.money_usd_per_vehicle[ci, e] - g.fee_usd_per_vehicle[ci, e])
            if vm >= 0 and haul:
                idx.append(int(g.param_cost[e]))
                coef.append(haul * float(vpt[vm]) * query.tonnes * ticket.get(g.link[e], 1.0))
    return LinearForm(const, np.array(idx, dtype=np.int64), np.array(coef, dtype=np.float64))


def _add(a: LinearForm, b: LinearForm) -> LinearForm:
    return LinearForm(
        a.const + b.const, np.concatenate([a.index, b.index]), np.concatenate([a.coef, b.coef])
    )


def predict(
    network: Network, observations: tuple[Observation, ...], factors: FloatArray | None = None
) -> list[Prediction]:
    """Model values of every observation under ``factors`` (``None``: the tables')."""
    graph = build_graph(network)
    f = np.ones(len(graph.params) + 1) if factors is None else factors
    keys = {p.key: i + 1 for i, p in enumerate(graph.params)}
    out: list[Prediction] = []
    for obs in observations:
        try:
            pred = _predict_one(network, graph, keys, obs, f)
        except CaspianError as exc:
            pred = Prediction(obs, None, None, reason=str(exc).splitlines()[0])
        out.append(pred)
    return out


def _with_value(obs: Observation, form: LinearForm, f: FloatArray, route: str = "") -> Prediction:
    return Prediction(obs, float(form.value(f)), form, route=route)


def _const(value: float) -> LinearForm:
    return LinearForm(value, np.zeros(0, dtype=np.int64), np.zeros(0))


def _scale(form: LinearForm, k: float) -> LinearForm:
    return LinearForm(form.const * k, form.index, form.coef * k)


def _predict_one(
    network: Network,
    graph: ExpandedGraph,
    keys: dict[str, int],
    obs: Observation,
    f: FloatArray,
) -> Prediction:
    if obs.kind in ("transit_days", "rate"):
        commodity, tonnes = shipment_of(network, obs)
        legs = [(obs.origin, obs.destination)]
        if obs.trip == "round_trip":
            legs.append((obs.destination, obs.origin))
        total: LinearForm | None = None
        routes = []
        for a, z in legs:
            query = prepare_query(
                network,
                a,
                z,
                cargo=commodity,
                tonnes=tonnes,
                options=_family_options(obs),
                factors=f,
            )
            it = solve(query)
            names = [network.nodes[n].name_en for n in it.nodes]
            routes.append(f"{' → '.join(names)} ({', '.join(it.modes)}; {tonnes:g} t {commodity})")
            if obs.kind == "transit_days":
                part = _scale(_route_forms(query, it).hours, 1 / 24.0)
            else:
                part = (
                    _freight(query, it, return_ticket=obs.trip == "round_trip")
                    if obs.family in CARRIER_FAMILIES
                    else _route_forms(query, it).cost_usd
                )
                if obs.unit == "usd_per_t":
                    part = _scale(part, 1.0 / tonnes)
            total = part if total is None else _add(total, part)
        assert total is not None
        return _with_value(obs, total, f, " and back: ".join(routes))
    if obs.kind in ("border_hours", "border_cost"):
        return _border(network, keys, obs, f)
    if obs.kind in ("sea_wait_days", "sailings_per_week"):
        return _sea_wait(network, keys, obs, f)
    if obs.kind == "sailing_hours":
        link = _water_link(network, obs.origin, obs.destination, obs.mode)
        mc = network.mode_costs[(link.mode, "bagged")]
        hours = link.distance_km / (link.speed_kmh or mc.speed_kmh)
        form = LinearForm(0.0, np.array([keys.get(f"speed:{link.mode}", 0)]), np.array([hours]))
        return _with_value(obs, form, f, f"{link.id} {link.distance_km:g} km")
    return Prediction(
        obs,
        None,
        None,
        reason="throughput is compared by the flows engine: caspian flows check",
    )


def _border(network: Network, keys: dict[str, int], obs: Observation, f: FloatArray) -> Prediction:
    mode = obs.family if obs.family in ("road", "rail", "sea") else "road"
    wanted = None
    if ">" in obs.direction:
        a, b = (x.strip() for x in obs.direction.split(">", 1))
        wanted = (a, b)
    rules = [
        r
        for r in network.borders
        if r.node == obs.place
        and r.mode == mode
        and (
            wanted is None
            or (r.from_country in (wanted[0], "*") and r.to_country in (wanted[1], "*"))
        )
    ]
    if not rules:
        raise CaspianError(
            f"no {mode} clearance rule at {obs.place} for {obs.direction or 'any direction'}"
        )
    n = len(rules)
    if obs.kind == "border_cost":
        idx = np.array(
            [keys.get(f"fee:{r.node}:{r.mode}:{r.from_country}>{r.to_country}", 0) for r in rules]
        )
        coef = np.array([r.fee_usd_per_vehicle / n for r in rules])
        return _with_value(obs, LinearForm(0.0, idx, coef), f, f"{n} rule(s)")
    idx = np.array(
        [keys.get(f"border:{r.node}:{r.mode}:{r.from_country}>{r.to_country}", 0) for r in rules]
    )
    coef = np.array([r.clearance_hours / n for r in rules])
    form = LinearForm(0.0, idx, coef)
    what = f"{n} rule(s)"
    if obs.mode in ("truck_ferry", "rail_ferry") and wanted is not None:
        wait, services = _ferry_wait(network, keys, obs.place, obs.mode, wanted[1], obs)
        form = _add(form, wait)
        what += f" + wait for {services}"
    return _with_value(obs, form, f, what)


def _ferry_wait(
    network: Network, keys: dict[str, int], place: str, mode: str, to_country: str, obs: Observation
) -> tuple[LinearForm, str]:
    """Expected wait of one vehicle for a ``mode`` departure from the port ``place`` towards
    ``to_country`` (``*``: any), averaged over the services by the cargo they carry.

    A vehicle's time at a port crossing (CPMM measures a truck from its arrival to its
    departure) includes waiting for the ferry, which the model counts as a sailing wait.
    """
    services = []
    for s in network.services.values():
        link = network.links[s.link]
        if link.mode != mode or place not in (link.from_node, link.to_node):
            continue
        other = link.to_node if link.from_node == place else link.from_node
        if to_country in ("*", network.nodes[other].country):
            services.append(s)
    if not services:
        raise CaspianError(f"no {mode.replace('_', ' ')} service from {place} to {to_country}")
    _, tonnes = shipment_of(network, obs)
    weights = np.array([max(s.departures_per_week, 1e-9) * s.payload_t for s in services])
    weights = weights / weights.sum()
    idx = np.array([keys.get(f"wait:{s.id}", 0) for s in services])
    coef = np.array([s.wait_hours(tonnes) * w for s, w in zip(services, weights, strict=True)])
    return LinearForm(0.0, idx, coef), ", ".join(s.id for s in services)


def _water_link(network: Network, a: str, b: str, mode: str = "") -> Link:
    """The sea or ferry link between ``a`` and ``b`` (of ``mode`` when given)."""
    for link in network.links.values():
        if (
            link.mode in WATER_MODES
            and (not mode or link.mode == mode)
            and {link.from_node, link.to_node} == {a, b}
        ):
            return link
    what = mode.replace("_", " ") if mode else "sea or ferry"
    raise CaspianError(f"no {what} link between {a} and {b}")


def _sea_wait(
    network: Network, keys: dict[str, int], obs: Observation, f: FloatArray
) -> Prediction:
    if ">" in obs.direction or (obs.origin and obs.destination):
        a, b = (
            (x.strip() for x in obs.direction.split(">", 1))
            if ">" in obs.direction
            else (obs.origin, obs.destination)
        )
        links = [_water_link(network, a, b).id]
    else:
        links = [
            link.id
            for link in network.links.values()
            if link.mode in WATER_MODES and obs.place in (link.from_node, link.to_node)
        ]
    services = [s for s in network.services.values() if s.link in links]
    if not services:
        raise CaspianError(f"no service at {obs.place} on {', '.join(links) or 'any link'}")
    n = len(services)
    if obs.kind == "sailings_per_week":
        return _with_value(obs, _const(sum(s.departures_per_week for s in services)), f)
    _, tonnes = shipment_of(network, obs)
    idx = np.array([keys.get(f"wait:{s.id}", 0) for s in services])
    coef = np.array([s.wait_hours(tonnes) / 24.0 / n for s in services])
    return _with_value(obs, LinearForm(0.0, idx, coef), f, f"{n} service(s), {tonnes:g} t")
