"""Criticality ranks by relative impact (issue #8): corridors cut, then the % increase in each
corridor's generalized cost, so a small shipment's critical link is not drowned by the dollars
of a 1,000 t corridor's marginal one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.analysis import DEFAULT_CORRIDORS, Corridor, criticality
from caspian.cli import app
from caspian.errors import ValidationError
from caspian.model.network import Network
from caspian.routing import RouteOptions, plan_route

FLOWS = [
    Corridor("tea", "Lahijan", "Baku", "tea", 20),
    Corridor("wheat", "Aktau", "Tehran", "wheat", 1000),
]


def test_a_small_corridors_critical_link_outranks_a_big_corridors_marginal_one(
    mini: Network,
) -> None:
    by_pct = criticality(mini, FLOWS)
    by_usd = criticality(mini, FLOWS, rank_by="usd")
    assert by_pct[0].id == by_usd[0].id == "road_lahijan_rasht"  # cuts tea: always first
    border = next(r for r in by_pct if r.id == "bc_astara_road")  # on tea's route only
    port = next(r for r in by_pct if r.id == "ir_caspian_port")  # on wheat's route only
    # the wheat detour costs more dollars, the tea detour far more in proportion
    assert port.extra_cost_usd > border.extra_cost_usd
    assert border.max_increase_pct > 10 * port.max_increase_pct
    assert by_pct.index(border) < by_pct.index(port)
    assert by_usd.index(border) > by_usd.index(port)


def test_increase_is_relative_to_the_corridors_own_generalized_cost(mini: Network) -> None:
    port = next(r for r in criticality(mini, FLOWS) if r.id == "ir_caspian_port")
    (impact,) = port.impacts
    base = plan_route(mini, "Aktau", "Tehran", cargo="wheat", tonnes=1000)
    after = plan_route(
        mini,
        "Aktau",
        "Tehran",
        cargo="wheat",
        tonnes=1000,
        options=RouteOptions(avoid_nodes=frozenset({"ir_caspian_port"})),
    )
    b, a = base.totals.generalized_cost_usd, after.totals.generalized_cost_usd
    assert impact.corridor == "wheat" and not impact.cut
    assert impact.base_generalized_cost_usd == pytest.approx(b)
    assert impact.increase_pct == pytest.approx(100 * (a - b) / b)
    # mean over both routed corridors (tea: 0 %), max over the one affected
    assert port.mean_increase_pct == pytest.approx(impact.increase_pct / 2)
    assert port.max_increase_pct == pytest.approx(impact.increase_pct)
    assert (port.corridors_affected, port.corridors_cut, port.corridors_connected) == (1, 0, 2)


def test_a_cut_corridor_is_flagged_not_averaged(mini: Network) -> None:
    cut = criticality(mini, FLOWS)[0]
    assert cut.disconnected == ["tea"] and cut.corridors_cut == 1
    assert cut.impacts[0].cut and cut.impacts[0].increase_pct is None
    assert cut.corridors_connected == 1 and cut.mean_increase_pct == 0


def test_unknown_rule_is_refused(mini: Network) -> None:
    with pytest.raises(ValidationError, match="mean, max, usd"):
        criticality(mini, FLOWS, rank_by="tonnes")


def test_json_keeps_the_old_keys_and_adds_the_relative_ones(mini_dir: Path, tmp_path: Path) -> None:
    flows = tmp_path / "corridors.csv"
    flows.write_text(
        "label,origin,destination,cargo,tonnes\n"
        + "".join(f"{c.label},{c.origin},{c.destination},{c.cargo},{c.tonnes}\n" for c in FLOWS),
        encoding="utf-8",
    )
    common = ["--corridors", str(flows), "--data", str(mini_dir)]
    result = CliRunner().invoke(app, ["criticality", "--top", "3", "--json", *common])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["rank_by"] == "mean" and len(doc["elements"]) == 3
    first = doc["elements"][0]
    old = {"kind", "id", "name", "extra_cost_usd", "disconnected", "affected"}
    new = {"mean_increase_pct", "max_increase_pct", "corridors_cut", "impacts"}
    assert old | new <= set(first)
    bad = CliRunner().invoke(app, ["criticality", "--rank-by", "x", *common])
    assert bad.exit_code == 2 and "mean, max, usd" in bad.stderr


def test_on_the_bundled_network_no_port_cuts_a_corridor(bundled: Network) -> None:
    # Moscow used to hang off the Astrakhan port node: losing the port cut both Moscow corridors.
    ranked = criticality(bundled, DEFAULT_CORRIDORS)
    assert not [r.id for r in ranked if r.kind == "port" and r.corridors_cut]
    assert ranked[0].kind != "port"
