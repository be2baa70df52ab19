"""The command line: output shapes, JSON schema and exit codes (tests/data/mini)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from caspian.cli import app

MINI = str(Path(__file__).parent / "data" / "mini")
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", MINI])
    return result.exit_code, result.stdout, result.stderr


def test_route_table_has_legs_and_totals() -> None:
    code, out, _ = run(
        "route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "--tonnes", "1000"
    )
    assert code == 0
    assert "Caspian Port" in out and "total" in out and "days door to door" in out


def test_route_json_schema() -> None:
    code, out, _ = run(
        "route",
        "--from",
        "Aktau",
        "--to",
        "Tehran",
        "--cargo",
        "wheat",
        "--tonnes",
        "1000",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"legs", "totals"} <= set(data)
    for leg in data["legs"]:
        assert {"mode", "from", "to", "distance_km", "hours", "cost_usd", "co2e_kg"} <= set(leg)
        assert leg["hours"] == pytest.approx(
            leg["moving_hours"] + leg["handling_hours"] + leg["border_hours"] + leg["waiting_hours"]
        )
    assert {"distance_km", "hours", "cost_usd", "co2e_kg", "days", "cost_usd_per_t"} <= set(
        data["totals"]
    )
    assert data["totals"]["cost_usd"] == pytest.approx(sum(x["cost_usd"] for x in data["legs"]))
    assert {"tfi1_border_hours", "tfi2_border_cost", "tfi3_section_cost", "tfi4_swd_kmh"} <= set(
        data["cpmm"]
    )


def test_route_in_persian() -> None:
    code, out, _ = run(
        "route", "--from", "انزلی", "--to", "تهران", "--cargo", "tea", "--lang", "fa"
    )
    assert code == 0
    assert "تهران" in out and "بندر انزلی" in out


def test_unknown_place_exits_2_with_suggestions() -> None:
    code, _, err = run("route", "--from", "Aktau", "--to", "Tehrn", "--cargo", "wheat")
    assert code == 2
    assert "Tehrn" in err and "ir_tehran" in err


def test_unreachable_exits_3_and_says_why() -> None:
    code, _, err = run(
        "route", "--from", "Qazvin", "--to", "ir_astara", "--cargo", "wheat", "--modes", "rail"
    )
    assert code == 3
    assert "planned" in err and "--include-planned" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--optimize", "fastest"], "generalized"),
        (["--modes", "rail,air"], "Valid modes"),
        (["--tonnes", "-3"], "tonnes"),
        (["--tonnes", "1e12"], "one shipment"),
        (["--cargo", "gold"], "wheat"),
        (["--avoid-country", "XX"], "Countries in the network"),
        (["--lang", "de"], "fa"),
    ],
)
def test_invalid_options_exit_2(args: list[str], expected: str) -> None:
    code, _, err = run("route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", *args)
    assert code == 2
    assert expected in err


def test_places_search() -> None:
    for query in ("Enzeli", "انزلی", "anzali"):
        code, out, _ = run("places", query, "--json")
        assert code == 0
        assert json.loads(out)[0]["id"] == "ir_anzali"


def test_compare_modes_json() -> None:
    code, out, _ = run(
        "compare-modes", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea", "--json"
    )
    assert code == 0
    fams = {f["family"]: f for f in json.loads(out)["families"]}
    assert set(fams) == {"road", "rail", "rail+sea", "road+sea", "any"}
    assert fams["road"]["route"] is None and fams["road"]["reason"]
    assert fams["any"]["route"]["totals"]["cost_usd"] > 0


def test_bad_data_dir_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["places", "x", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_chart_to_missing_folder_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "tcd.png"
    code, _, err = run(
        "tcd", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "-o", str(target)
    )
    assert code == 2 and "does not exist" in err
    assert not target.parent.exists()


# --- help: order, metavars, worked examples (issue #8 §4) -------------------------------


def _all_commands() -> list[tuple[str, object]]:
    """Every command and group as (path, click command), simulate included."""
    import typer.main

    from caspian.cli.common import tidy_command

    root = typer.main.get_command(app)
    ctx = root.make_context("caspian", [], resilient_parsing=True)
    found: list[tuple[str, object]] = []

    def walk(cmd: object, path: str) -> None:
        group = cmd
        for name in group.list_commands(ctx):  # type: ignore[attr-defined]
            sub = group.get_command(ctx, name)  # type: ignore[attr-defined]
            tidy_command(sub, ctx, tuple(path.split()) if path else ())
            full = f"{path} {name}".strip()
            found.append((full, sub))
            if hasattr(sub, "list_commands"):
                walk(sub, full)

    walk(root, "")
    return found


COMMANDS = _all_commands()


def _example(cmd: object) -> str:
    epilog = getattr(cmd, "epilog", None) or ""
    return epilog.removeprefix("Example: ") if epilog.startswith("Example: caspian ") else ""


def test_commands_are_listed_in_order_of_use() -> None:
    out = runner.invoke(app, ["--help"], env={"COLUMNS": "100"}).stdout
    names = ["demo", "route", "compare-modes", "compare", "places", "cargo", "simulate", "version"]
    positions = [out.index(f"│ {n} ") for n in names]
    assert positions == sorted(positions)


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_help_has_plain_metavars_and_ends_with_example(path: str, cmd: object) -> None:
    result = runner.invoke(app, [*path.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    out = result.stdout
    for placeholder in ("<bool>", "<str>", "<int>", "<float>", "<list", "<path>"):
        assert placeholder not in out, f"{path}: {placeholder}"
    example = _example(cmd)
    assert example, f"{path}: no worked example at the end of its help"
    assert out.rstrip().splitlines()[-1].strip() == f"Example: {example}"


EXAMPLES = [(p, _example(c)) for p, c in COMMANDS]


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[p for p, _ in EXAMPLES])
def test_help_example_runs(
    path: str, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)
    assert example, f"{path}: no worked example"
    argv = shlex.split(example)
    assert argv[0] == "caspian" and " ".join(argv[1:]).startswith(path)
    result = runner.invoke(app, argv[1:], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_modes_help_names_every_mode() -> None:
    from caspian.cli.common import MODES_HELP
    from caspian.model.network import MODES

    assert ", ".join(MODES) == MODES_HELP


# --- markup: user and data text is shown as written (issue #8 §1) ------------------------


@pytest.fixture
def tea_hub(tmp_path: Path) -> Path:
    """The mini network with Lahijan renamed 'Lahijan [tea hub]' (and a markup alias)."""
    import shutil

    data = tmp_path / "mini"
    shutil.copytree(MINI, data)
    nodes = data / "nodes.csv"
    text = nodes.read_text(encoding="utf-8")
    assert ",Lahijan," in text
    nodes.write_text(text.replace(",Lahijan,", ",Lahijan [tea hub],"), encoding="utf-8")
    return data


def test_bracketed_node_name_is_shown_whole(tea_hub: Path) -> None:
    args = ["--from", "Lahijan [tea hub]", "--to", "Aktau", "--cargo", "tea", "--data"]
    for command in (["route"], ["compare-modes"]):
        result = runner.invoke(app, [*command, *args, str(tea_hub)], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert "Lahijan [tea hub]" in result.stdout
    result = runner.invoke(app, ["places", "Lahijan", "--data", str(tea_hub)])
    assert "Lahijan [tea hub]" in result.stdout


@pytest.mark.parametrize("text", ["[/bold]", "[bold red]x", "[link=file:///etc]y[/link]"])
def test_markup_in_user_input_is_not_interpreted(text: str) -> None:
    result = runner.invoke(app, ["route", "--from", text, "--to", "Tehran", "--data", MINI])
    assert result.exit_code == 2
    assert text in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_no_place_match_echoes_query_literally() -> None:
    result = runner.invoke(app, ["places", "[/x]zzzzqqqq", "--data", MINI, "--limit", "1"])
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.stdout + result.stderr


# --- narrow terminals (issue #8 §4) ------------------------------------------------------


def _words_of_places(doc: dict[str, object]) -> set[str]:
    words: set[str] = set()
    for leg in doc["legs"]:  # type: ignore[attr-defined]
        for key in ("from_name", "to_name"):
            words.update(leg[key].split())
    return words


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_route_fits_80_columns_without_breaking_words(lang: str) -> None:
    args = ["route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "--lang", lang]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    table = "\n".join(lines)
    assert "…" not in table
    for word in _words_of_places(doc):
        assert word in table, word
    assert f"{doc['totals']['cost_usd']:,.0f}" in table


@pytest.mark.parametrize(
    "args",
    [
        ["compare-modes", "--from", "Lahijan", "--to", "Almaty", "--cargo", "tea"],
        ["places", "Astara"],
        ["cargo"],
        ["demo"],
        ["scenario", "list"],
    ],
    ids=lambda a: a[0],
)
def test_tables_fit_80_columns(args: list[str]) -> None:
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    assert "…" not in result.stdout.replace(" …", "")


def test_route_wide_table_splits_hours_and_explains_them() -> None:
    args = ["route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat"]
    out = runner.invoke(app, args, env={"COLUMNS": "160"}).stdout
    for header in ("move h", "rest h", "handle h", "border h", "wait h"):
        assert header in out
    assert "Generalized cost = money + value" in " ".join(out.split())


# --- demo legend, cargo, Persian (issue #8 §4) ------------------------------------------


def test_demo_explains_marks_and_jargon() -> None:
    out = " ".join(runner.invoke(app, ["demo"], env={"COLUMNS": "120"}).stdout.split())
    assert "*" in out
    assert "Legend: * marks the best value in its column" in out
    assert "generalized cost = money + the value of the cargo's time" in out


def test_cargo_lists_commodities_in_both_languages() -> None:
    result = runner.invoke(app, ["cargo", "--json"])
    assert result.exit_code == 0
    rows = {c["id"]: c for c in json.loads(result.stdout)}
    assert rows["wheat"]["cargo_class"] == "dry_bulk"
    out = runner.invoke(app, ["cargo"], env={"COLUMNS": "160"}).stdout
    assert "wheat" in out and "dry bulk" in out and "max days" in out
    fa = runner.invoke(app, ["cargo", "--lang", "fa"], env={"COLUMNS": "160"}).stdout
    assert "گندم" in fa and "فله خشک" in fa and "dry bulk" not in fa


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (["route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat"], "step"),
        (["compare-modes", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea"], "family"),
        (["places", "Anzali"], "country"),
        (["pareto", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea"], "route"),
        (["route", "--from", "Qazvin", "--to", "ir_astara", "--modes", "rail"], "No route"),
    ],
    ids=lambda a: a[0] if isinstance(a, list) else a,
)
def test_persian_tables_have_no_english_labels(args: list[str], english: str) -> None:
    result = runner.invoke(app, [*args, "--lang", "fa"], env={"COLUMNS": "160"})
    out = result.stdout + result.stderr
    assert result.exit_code in (0, 3) and english not in out
    for word in ("total", "cost USD", "days", "optimize", "no route", "road only", "with these"):
        assert word not in out, word


def test_message_catalog_is_complete() -> None:
    from caspian.cli.i18n import MESSAGES, t

    assert MESSAGES["en"].keys() == MESSAGES["fa"].keys()
    assert all(MESSAGES["fa"].values()) and all(MESSAGES["en"].values())
    assert t("step.border", "fa", place="آستارا") == "مرز در آستارا"
    assert t("step.border", "xx", place="Astara") == "border at Astara"


# --- export (issue #8 §4) ---------------------------------------------------------------


def test_route_exports_geojson_with_query(tmp_path: Path) -> None:
    target = tmp_path / "route.geojson"
    code, out, err = run(
        "route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "--tonnes", "500",
        "--via", "Caspian Port", "-o", str(target), "--json",
    )  # fmt: skip
    assert code == 0, err
    legs = json.loads(out)["legs"]
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    q = doc["query"]
    assert (q["from"], q["to"], q["cargo"], q["tonnes"]) == ("kz_aktau", "ir_tehran", "wheat", 500)
    assert q["options"]["via"] == ["Caspian Port"] and q["data"].endswith("mini")
    assert len(q["data_version"]) == 12 and q["caspian_version"]
    assert len(doc["features"]) == len(legs)
    for feature, leg in zip(doc["features"], legs, strict=True):
        geometry = feature["geometry"]
        if leg["kind"] == "move":
            assert geometry["type"] == "LineString"
            assert len(geometry["coordinates"]) == 2 + len(leg["via"])
        else:
            assert geometry["type"] == "Point"
        assert feature["properties"]["cost_usd"] == pytest.approx(leg["cost_usd"], abs=0.01)
    assert doc["routes"][0]["totals"]["cost_usd"] == pytest.approx(
        sum(x["cost_usd"] for x in legs), abs=0.1
    )
    assert "written to" in err and out.lstrip().startswith("{")


def test_compare_modes_exports_csv_one_row_per_leg(tmp_path: Path) -> None:
    import csv

    from caspian.services.export import CSV_COLUMNS

    target = tmp_path / "modes.CSV"
    args = ["compare-modes", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea"]
    code, out, _ = run(*args, "-o", str(target), "--json")
    assert code == 0
    families = json.loads(out)["families"]
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    expected = sum(len(f["route"]["legs"]) if f["route"] else 1 for f in families)
    assert len(rows) == expected
    assert {r["command"] for r in rows} == {"compare-modes"}
    assert {r["cargo"] for r in rows} == {"tea"} and {r["tonnes"] for r in rows} == {"20"}
    assert {r["label"] for r in rows} == {f["family"] for f in families}
    assert any(r["kind"] == "no route" for r in rows)  # road cannot cross the sea


def test_export_is_deterministic(tmp_path: Path) -> None:
    args = ["route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat"]
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(*args, "-o", str(a))[0] == 0 and run(*args, "-o", str(b))[0] == 0
    assert a.read_bytes() == b.read_bytes()


def test_startup_imports_stay_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, caspian, caspian.cli.main;"
        "heavy = {'numpy', 'numba', 'scipy', 'caspian.cli.simulate', 'caspian.routing'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
