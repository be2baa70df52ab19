"""The origin–destination demand matrix: bundled table, validation, totals and overlays."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from caspian.errors import DataError, ScenarioError, ValidationError
from caspian.io.demand import DEMAND_FILE, ZONES_FILE, load_demand
from caspian.io.tables import BUNDLED_DATA_DIR
from caspian.model.demand import (
    DEMAND_GROUPS,
    Demand,
    DemandChange,
    DemandOverlay,
    apply_overlay,
)
from caspian.model.network import Network
from caspian.scenarios import apply_demand, apply_scenario, load_scenario, parse_scenario

BUNDLED_TABLE = BUNDLED_DATA_DIR / DEMAND_FILE
BUNDLED_ZONES = BUNDLED_DATA_DIR / ZONES_FILE


@pytest.fixture(scope="module")
def base(bundled: Network) -> Demand:
    return load_demand(bundled, year=2023)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundled demand and zone tables in a temporary folder."""
    shutil.copy(BUNDLED_TABLE, tmp_path / DEMAND_FILE)
    shutil.copy(BUNDLED_ZONES, tmp_path / ZONES_FILE)
    return tmp_path


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set ``column`` of spreadsheet row ``row`` (the first data row is 2)."""
    fields, rows = _rows(path)
    rows[row - 2][column] = value
    _write(path, fields, rows)


# ---- the bundled matrix ------------------------------------------------------------------
def test_bundled_matrix_loads_with_sources_and_ranges(bundled: Network, base: Demand) -> None:
    assert base.year == 2023 and 2023 in base.available_years
    assert all(r.source.strip() and r.basis.strip() for r in base.rows)
    assert all(r.tonnes_low <= r.tonnes_per_year <= r.tonnes_high for r in base.rows)
    estimates = [r for r in base.rows if r.estimate and r.tonnes_per_year > 0]
    assert all(r.tonnes_low < r.tonnes_high for r in estimates)
    assert set(base.node_ids) == set(bundled.nodes)


def test_default_year_is_the_best_covered_one(bundled: Network, base: Demand) -> None:
    years = [r.year for r in load_demand(bundled, year=base.available_years[0]).rows]
    assert set(years) == {base.available_years[0]}
    assert load_demand(bundled).year == 2023


def test_every_commodity_names_its_group(base: Demand) -> None:
    for r in base.rows:
        members = DEMAND_GROUPS[r.group]
        assert r.commodity in members, (r.id, r.group, r.commodity)


def test_matrix_sums_to_the_rows(base: Demand) -> None:
    for commodity in base.commodities():
        rows = math.fsum(r.tonnes_per_year for r in base.rows if r.commodity == commodity)
        m = base.matrix(commodity)
        assert m.shape == (len(base.node_ids), len(base.node_ids))
        assert m.sum() == pytest.approx(rows, rel=1e-9)
        assert np.all(np.diag(m) == 0) and np.all(m >= 0)
    low, high = base.matrices(bound="low"), base.matrices(bound="high")
    for c, m in base.matrices().items():
        assert np.all(low[c] <= m + 1e-9) and np.all(m <= high[c] + 1e-9)


def test_zone_rows_spread_by_their_shares(base: Demand) -> None:
    row = base.row("d2023_kz_ir_wheat")
    flows = [f for f in base.flows(commodity="wheat") if "d2023_kz_ir_wheat" in f.rows]
    assert len(flows) == len(base.members(row.origin)) * len(base.members(row.destination))
    to_tehran = math.fsum(f.tonnes_per_year for f in flows if f.destination == "ir_tehran")
    share = next(m.share for m in base.members(row.destination) if m.node == "ir_tehran")
    assert to_tehran == pytest.approx(row.tonnes_per_year * share)


def test_totals_by_corridor_add_up(base: Demand) -> None:
    corridors = base.totals_by_corridor()
    assert math.fsum(corridors.values()) == pytest.approx(base.total_tonnes())
    assert corridors[("KZ", "IR")] > 0
    values = list(corridors.values())
    assert values == sorted(values, reverse=True)
    by_group = base.totals_by_group()
    assert math.fsum(by_group.values()) == pytest.approx(base.total_tonnes())


def test_trans_caspian_rows_follow_the_documented_split(base: Demand) -> None:
    """docs/demand.md rule 6: 2.76 Mt x 66 % Kazakh exports, six equal items, four kept."""
    exports = [r for r in base.rows if r.id.startswith("d2023_kz_titr_")]
    assert len(exports) == 4 and {r.destination for r in exports} == {"z_titr_west"}
    assert math.fsum(r.tonnes_per_year for r in exports) == pytest.approx(
        2_760_000 * 0.66 * 4 / 6, rel=1e-6
    )
    rest = base.row("d2023_titr_kz_imports").tonnes_per_year
    china = base.row("d2023_cn_tr_containers").tonnes_per_year
    assert rest + china == pytest.approx(2_760_000 * 0.34, abs=100)
    members = {m.node for m in base.members("z_titr_west")}
    assert members == {"az_baku", "ge_batumi", "tr_istanbul"}


def test_russian_timber_to_iran_is_not_counted_twice(base: Demand) -> None:
    """Iran's customs total from Russia holds the timber: one residual row, no timber row."""
    ru_ir = [r for r in base.rows if r.origin.startswith("ru_") and r.destination == "z_ir_north"]
    assert math.fsum(r.tonnes_per_year for r in ru_ir) == pytest.approx(3_353_000)
    assert "timber" in base.row("d2023_ru_ir_other").note
    assert base.totals_by_corridor()[("RU", "AZ")] == pytest.approx(958_000 + 258_000)


def test_loading_is_deterministic(bundled: Network, base: Demand) -> None:
    again = load_demand(bundled, year=2023)
    assert again.flows() == base.flows()
    for c in base.commodities():
        assert np.array_equal(again.matrix(c), base.matrix(c))


def test_unknown_row_and_bound_are_refused(base: Demand) -> None:
    with pytest.raises(ValidationError, match="closest: d2023_kz_ir_wheat"):
        base.row("d2023_kz_ir_wheet")
    with pytest.raises(ValidationError, match="central, low, high"):
        base.matrix("wheat", bound="middle")  # type: ignore[arg-type]


# ---- a user's own table ------------------------------------------------------------------
def test_a_user_table_in_a_folder_loads(bundled: Network, copy: Path) -> None:
    demand = load_demand(bundled, copy, year=2023)
    assert demand.total_tonnes() == pytest.approx(load_demand(bundled, year=2023).total_tonnes())


def test_a_table_of_node_ids_needs_no_zone_file(bundled: Network, tmp_path: Path) -> None:
    fields, _ = _rows(BUNDLED_TABLE)
    row = dict.fromkeys(fields, "")
    row |= {
        "id": "x1",
        "year": "2024",
        "origin": "kz_aktau",
        "destination": "ir_rasht",
        "commodity": "wheat",
        "group": "grain",
        "tonnes_per_year": "1000",
        "tonnes_low": "1000",
        "tonnes_high": "1000",
        "basis": "test",
        "source": "test",
    }
    demand = load_demand(bundled, _write(tmp_path / "mine.csv", fields, [row]))
    assert demand.year == 2024 and demand.zones == {}
    i, j = demand.node_ids.index("kz_aktau"), demand.node_ids.index("ir_rasht")
    assert demand.matrix("wheat")[i, j] == 1000


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("origin", "z_kz_grian", r"unknown zone 'z_kz_grian'.*closest: z_kz_grain"),
        ("destination", "ir_tehrn", r"unknown zone 'ir_tehrn'.*ir_tehran"),
        ("commodity", "wheet", r"unknown commodity 'wheet'.*closest: wheat"),
        ("commodity", "steel", r"'steel' belongs to group 'metals'"),
        ("group", "cereals", r"column 'group': bad value 'cereals': expected one of: grain"),
        ("tonnes_per_year", "-5", r"column 'tonnes_per_year': bad value '-5'"),
        ("tonnes_per_year", "nan", r"expected a finite number"),
        ("tonnes_high", "inf", r"expected a finite number"),
        ("tonnes_low", "99999999", r"tonnes_low ≤ tonnes_per_year ≤ tonnes_high"),
        ("year", "20233", r"column 'year'.*between 1990 and 2100"),
        ("year", "2023.5", r"whole year"),
        ("source", "", r"column 'source': empty"),
        ("estimate", "maybe", r"expected yes or no"),
        ("id", "d2022_kz_ir_wheat", r"duplicate 'd2022_kz_ir_wheat' \(first used in row 2\)"),
    ],
)
def test_bad_rows_name_file_row_column_and_what_is_valid(
    bundled: Network, copy: Path, column: str, value: str, expected: str
) -> None:
    _edit(copy / DEMAND_FILE, 3, column, value)
    with pytest.raises(DataError, match=expected) as info:
        load_demand(bundled, copy)
    assert "demand.csv, row 3" in str(info.value)


def test_an_estimate_without_a_range_is_refused(bundled: Network, copy: Path) -> None:
    path = copy / DEMAND_FILE
    _, rows = _rows(path)
    row = next(i for i, r in enumerate(rows, start=2) if r["estimate"] == "yes")
    _edit(path, row, "tonnes_low", rows[row - 2]["tonnes_per_year"])
    _edit(path, row, "tonnes_high", rows[row - 2]["tonnes_per_year"])
    with pytest.raises(DataError, match=f"row {row}.*an estimate must carry a range"):
        load_demand(bundled, copy)


def test_a_row_counted_twice_is_refused(bundled: Network, copy: Path) -> None:
    path = copy / DEMAND_FILE
    fields, rows = _rows(path)
    _write(path, fields, [*rows, rows[0] | {"id": "again"}])
    with pytest.raises(DataError, match="same year, origin, destination and commodity as row 2"):
        load_demand(bundled, copy)


def test_all_problems_are_reported_together(bundled: Network, copy: Path) -> None:
    _edit(copy / DEMAND_FILE, 2, "origin", "nowhere")
    _edit(copy / DEMAND_FILE, 3, "tonnes_per_year", "lots")
    with pytest.raises(DataError, match=r"2 problem\(s\)") as info:
        load_demand(bundled, copy)
    assert "row 2" in str(info.value) and "row 3" in str(info.value)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("node", "ir_tehrn", r"unknown node 'ir_tehrn'; closest: ir_tehran"),
        ("share", "1.5", r"column 'share': bad value '1.5'"),
        ("share", "0.5", r"shares of zone 'z_ir_north' sum to 1.0630"),
        ("zone", "ir_rasht", r"'ir_rasht' is a node id"),
        ("share_low", "0.99", r"outside its range"),
    ],
)
def test_bad_zone_rows_are_refused(
    bundled: Network, copy: Path, column: str, value: str, expected: str
) -> None:
    _edit(copy / ZONES_FILE, 2, column, value)
    with pytest.raises(DataError, match=expected) as info:
        load_demand(bundled, copy)
    assert "demand_zones.csv" in str(info.value)


def test_overlapping_origin_and_destination_is_refused(bundled: Network, copy: Path) -> None:
    _edit(copy / DEMAND_FILE, 2, "origin", "ir_tehran")
    with pytest.raises(DataError, match="share node\\(s\\) ir_tehran"):
        load_demand(bundled, copy)


def test_missing_files_columns_and_years(bundled: Network, copy: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no demand rows for year 2001; years in the table"):
        load_demand(bundled, copy, year=2001)
    with pytest.raises(DataError, match="does not exist"):
        load_demand(bundled, tmp_path / "none.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"has no demand\.csv"):
        load_demand(bundled, tmp_path / "empty")
    bad = tmp_path / "cols.csv"
    bad.write_text("id,year\nx,2023\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column\\(s\\) origin"):
        load_demand(bundled, bad)
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match=r"bin\.csv"):
        load_demand(bundled, tmp_path / "bin.csv")


# ---- overlays ----------------------------------------------------------------------------
def test_growth_scales_every_row_and_keeps_the_input(base: Demand) -> None:
    before = base.total_tonnes()
    grown = apply_overlay(base, DemandOverlay(growth_pct=20.0), name="g")
    assert grown.total_tonnes() == pytest.approx(1.2 * before)
    assert grown.total_tonnes(bound="low") == pytest.approx(1.2 * base.total_tonnes(bound="low"))
    assert base.total_tonnes() == before and grown.scenarios == ("g",)


def test_override_sets_a_corridor_total(base: Demand) -> None:
    change = DemandChange(
        where="demand.changes[0]",
        origin_country="KZ",
        destination_country="IR",
        commodity="wheat",
        tonnes_per_year=559_100.0,
        source="test",
    )
    after = apply_overlay(base, DemandOverlay(changes=(change,)))
    kz_ir = [r for r in after.rows if r.commodity == "wheat" and r.id.startswith("d2023_kz_ir")]
    assert math.fsum(r.tonnes_per_year for r in kz_ir) == pytest.approx(559_100.0)
    assert all(r.estimate and "overlay" in r.note for r in kz_ir)
    others = [r for r in after.rows if r.commodity != "wheat"]
    assert others == [r for r in base.rows if r.commodity != "wheat"]


def test_changes_apply_after_growth_in_order(base: Demand) -> None:
    overlay = DemandOverlay(
        growth_pct=10.0,
        changes=(
            DemandChange(where="c[0]", id="d2023_kz_ir_wheat", tonnes_per_year=100.0, source="t"),
            DemandChange(where="c[1]", id="d2023_kz_ir_wheat", factor=3.0),
        ),
    )
    assert apply_overlay(base, overlay).row("d2023_kz_ir_wheat").tonnes_per_year == 300.0


def test_a_node_selects_the_zones_holding_it(base: Demand) -> None:
    change = DemandChange(where="c[0]", destination="ir_tehran", factor=0.0)
    after = apply_overlay(base, DemandOverlay(changes=(change,)))
    hit = [r for r in base.rows if "ir_tehran" in [m.node for m in base.members(r.destination)]]
    assert hit and all(after.row(r.id).tonnes_per_year == 0 for r in hit)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (DemandChange(where="c[0]", commodity="wheet", factor=2), "closest valid: wheat"),
        (DemandChange(where="c[0]", origin_country="XX", factor=2), "matches nothing"),
        (DemandChange(where="c[0]", origin="z_kz_grian", factor=2), "z_kz_grain"),
        (
            DemandChange(where="c[0]", origin_country="IR", commodity="wheat", factor=2),
            "no 2023 demand row has all of origin_country=IR, commodity=wheat",
        ),
    ],
)
def test_overlay_selectors_must_match(base: Demand, change: DemandChange, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        apply_overlay(base, DemandOverlay(changes=(change,)))


def test_builtin_demand_scenarios(bundled: Network, base: Demand) -> None:
    grown = apply_demand(base, load_scenario("trade-growth-20"))
    assert grown.total_tonnes() == pytest.approx(1.2 * base.total_tonnes())
    wheat = apply_demand(base, load_scenario("kazakh-wheat-2022-levels"))
    kz_ir = wheat.totals_by_corridor(group="grain")[("KZ", "IR")]
    assert kz_ir == pytest.approx(559_100 + 408_800)
    assert apply_scenario(bundled, load_scenario("trade-growth-20")).links == bundled.links
    assert apply_demand(base, load_scenario("covid-2020")) is base


def test_a_demand_scenario_names_its_file_and_entry(base: Demand) -> None:
    scn = parse_scenario(
        {"name": "x", "demand": {"changes": [{"commodity": "wheet", "factor": 2}]}},
        origin="my.yaml",
    )
    with pytest.raises(ScenarioError, match=r"my.yaml, demand.changes\[0\].commodity: 'wheet'"):
        apply_demand(base, scn)


@pytest.mark.parametrize(
    ("demand", "expected"),
    [
        ([1, 2], "demand: must be a mapping"),
        ({"growth": 5}, "unknown key\\(s\\) growth; valid: growth_pct"),
        ({"growth_pct": "lots"}, "demand.growth_pct: must be a number"),
        ({"growth_pct": -150}, "between -100 and"),
        ({"growth_pct": float("nan")}, "must be a number"),
        ({}, "changes nothing"),
        ({"changes": {"a": 1}}, "demand.changes: must be a list"),
        ({"changes": [{"factor": 2}]}, "say which rows to change"),
        ({"changes": [{"commodity": "wheat"}]}, "give exactly one of factor"),
        ({"changes": [{"commodity": "wheat", "factor": 2, "growth_pct": 3}]}, "exactly one"),
        ({"changes": [{"commodity": "wheat", "tonnes_per_year": 5}]}, "needs a source"),
        ({"changes": [{"commodity": "Wheat!", "factor": 2}]}, "changes\\[0\\].commodity: bad"),
        ({"changes": [{"group": "cereal", "factor": 2}]}, "unknown group 'cereal'"),
        ({"changes": [{"origin_country": "kz", "factor": 2}]}, "ISO 3166-1"),
        ({"changes": [{"commodity": "wheat", "factor": True}]}, "must be a number"),
        ({"changes": [{"commodity": "wheat", "factor": 2, "tonnes_low": 1}]}, "only with"),
        ({"changes": [{"commodity": "wheat", "colour": 2}]}, "unknown key\\(s\\) colour"),
        (
            {
                "changes": [
                    {"commodity": "wheat", "tonnes_per_year": 5, "tonnes_low": 9, "source": "s"}
                ]
            },
            "tonnes_low ≤ tonnes_per_year",
        ),
    ],
)
def test_bad_demand_sections_are_refused(demand: object, expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected) as info:
        parse_scenario({"name": "x", "demand": demand}, origin="s.yaml")
    assert str(info.value).startswith("s.yaml, demand")


# ---- the documentation's examples run -----------------------------------------------------
DOC = Path(__file__).parents[1] / "docs" / "demand.md"


def _blocks(kind: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [b.split("```", 1)[0] for b in text.split(f"```{kind}\n")[1:]]


def test_the_python_example_of_docs_demand_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = _blocks("python")
    exec(compile(block, str(DOC), "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2023 ") and lines[-1] == "1.2"


def test_the_yaml_example_of_docs_demand_applies(base: Demand) -> None:
    import yaml

    (block,) = _blocks("yaml")
    scn = parse_scenario({"name": "doc", **yaml.safe_load(block)}, origin=str(DOC))
    after = apply_demand(base, scn)
    assert after.totals_by_corridor(group="grain")[("KZ", "IR")] == pytest.approx(
        1.2 * base.row("d2023_kz_ir_barley").tonnes_per_year + 559_100
    )
