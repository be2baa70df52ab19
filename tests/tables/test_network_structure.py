"""The bundled network has no modelling artefacts of the kind issue #8 found.

Rule tested: a port node is a quay hanging off its city. It has at most one road link and at
most one rail link (its access links), and their other ends are not ports. A node with one link
of a mode cannot be in the middle of a path of that mode, so no road or rail route passes through
a port, and removing a port (a scenario, ``caspian criticality``) removes only the port.
"""

from __future__ import annotations

from collections import defaultdict

from caspian.model.network import Network
from caspian.model.places import resolve_place


def _links_by_node(network: Network) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for link in network.links.values():
        for node in (link.from_node, link.to_node):
            out[node][link.mode].append(link.id)
    return out


def test_no_road_or_rail_passes_through_a_port(bundled: Network) -> None:
    by_node = _links_by_node(bundled)
    ports = [n for n, node in bundled.nodes.items() if node.kind == "port"]
    assert len(ports) >= 12
    through = {
        (port, mode): ids
        for port in ports
        for mode, ids in by_node[port].items()
        if mode in ("road", "rail") and len(ids) > 1
    }
    assert through == {}, "ports used as through-nodes (give the city its own node)"
    for port in ports:
        for mode in ("road", "rail"):
            for lid in by_node[port].get(mode, []):
                link = bundled.links[lid]
                other = link.to_node if link.from_node == port else link.from_node
                assert bundled.nodes[other].kind != "port", lid


def test_moscow_has_real_approaches(bundled: Network) -> None:
    neighbours = {
        link.to_node if link.from_node == "ru_moscow" else link.from_node
        for link in bundled.links.values()
        if "ru_moscow" in (link.from_node, link.to_node)
    }
    assert len(neighbours) >= 2 and not any(bundled.nodes[n].kind == "port" for n in neighbours)
    modes = {
        m
        for link in bundled.links.values()
        if "ru_moscow" in (link.from_node, link.to_node)
        for m in [link.mode]
    }
    assert modes == {"road", "rail"}


def test_city_names_name_cities_and_port_names_name_ports(bundled: Network) -> None:
    for name, node in [
        ("Astrakhan", "ru_astrakhan_city"),
        ("Port of Astrakhan", "ru_astrakhan"),
        ("Makhachkala", "ru_makhachkala_city"),
        ("Turkmenbashi", "tm_turkmenbashi_city"),
        ("Turkmenbashi port", "tm_turkmenbashi"),
        ("Nowshahr", "ir_nowshahr_city"),
        ("Anzali", "ir_anzali"),
        ("Alat", "az_baku_alat"),
        ("Volgograd", "ru_volgograd"),
    ]:
        assert resolve_place(bundled, name).id == node, name


def test_new_and_changed_links_say_where_their_length_comes_from(bundled: Network) -> None:
    new = [
        link
        for link in bundled.links.values()
        if link.id.endswith("_port_access")
        or {"ru_volgograd", "ru_rostov", "ir_amirabad_junction", "kz_mangyshlak"}
        & {link.from_node, link.to_node}
    ]
    assert len(new) >= 15
    for link in new:
        assert link.source.strip(), link.id
        if link.estimate:
            assert "range" in link.source or "±" in link.source, link.id
