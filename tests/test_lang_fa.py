"""Persian in the analysis commands and in the engines' sentences (issue #8 §4).

``compare``, ``tcd``, ``criticality``, ``pareto`` and ``flows sweep`` take ``--lang fa``; the
route planner's "no route" reasons and notes and the comparison's "why" lines are
:class:`~caspian.model.text.Text`: English as a ``str`` (byte for byte as before), Persian
on demand. Each Persian run is checked for English labels left behind and for the places'
Persian names.
"""

from __future__ import annotations

import pickle
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app
from caspian.errors import NoRouteError
from caspian.model.text import Name, Text, join_text, localize

MINI = str(Path(__file__).parent / "data" / "mini")
runner = CliRunner()
WIDE = {"COLUMNS": "200"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=WIDE)
    return result.exit_code, " ".join(result.stdout.split()), " ".join(result.stderr.split())


def assert_no_english(text: str, words: tuple[str, ...]) -> None:
    left = [w for w in words if w in text]
    assert not left, f"English left in the Persian output: {left}"


# --- the Text value ---------------------------------------------------------------------


def test_text_is_its_english_and_renders_persian() -> None:
    text = Text(
        "{h:.1f} h to {place}", "{h:.1f} ساعت تا {place}", h=2.25, place=Name("Rasht", "رشت")
    )
    assert text == "2.2 h to Rasht" and isinstance(text, str)
    assert localize(text, "fa") == "2.2 ساعت تا رشت"
    assert localize(text, "en") == "2.2 h to Rasht" and type(localize(text, "en")) is str
    nested = join_text([text, "plain"], "; ", "؛ ")
    assert nested == "2.2 h to Rasht; plain"
    assert localize(nested, "fa") == "2.2 ساعت تا رشت؛ plain"
    listed = Text("{xs}", "{xs}", xs=[Name("Baku", "باکو"), Name("Aktau", "آکتائو")])
    assert listed == "Baku, Aktau" and localize(listed, "fa") == "باکو، آکتائو"


def test_text_survives_pickle_and_exceptions() -> None:
    text = Text("no route to {p}", "مسیری به {p} نیست", p=Name("Baku", "باکو"))
    again = pickle.loads(pickle.dumps(text))  # process pools pickle itineraries and errors
    assert again == text and localize(again, "fa") == "مسیری به باکو نیست"
    assert localize(str(NoRouteError(text)), "fa") == "مسیری به باکو نیست"
    assert localize("plain", "fa") == "plain" and localize(Name("Rasht", ""), "fa") == "Rasht"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize(
    "catalog",
    ["caspian.routing.explain:MESSAGES", "caspian.analysis.compare:MESSAGES",
     "caspian.routing.assemble:_NOTES"],
)  # fmt: skip
def test_engine_catalogs_fill_the_same_values_in_both_languages(catalog: str) -> None:
    import importlib

    module, name = catalog.split(":")
    messages = getattr(importlib.import_module(module), name)
    for key, (en, fa) in messages.items():
        assert en and fa, key
        assert {f.split(":")[0] for f in _fields(en)} == {f.split(":")[0] for f in _fields(fa)}, key


def test_cli_catalog_keys_for_compare_statuses_exist() -> None:
    from caspian.analysis.compare import CorridorChange
    from caspian.cli.i18n import MESSAGES

    statuses = CorridorChange.status.__doc__ or ""
    for status in ("unchanged", "same route", "changed", "now unreachable", "now reachable"):
        assert f"``{status}``" in statuses
        assert f"status.{status}" in MESSAGES["fa"]


# --- route: no-route reasons and notes --------------------------------------------------


def test_no_route_reason_in_persian_and_english() -> None:
    args = ["route", "--from", "Qazvin", "--to", "ir_astara", "--cargo", "wheat", "--modes", "rail"]
    code, _, err = invoke(*args, "--data", MINI)
    assert code == 3
    assert err.startswith("No route: No route from Qazvin (ir_qazvin) to")
    assert "with these options" in err and "(a route exists via" in err
    code, _, err = invoke(*args, "--data", MINI, "--lang", "fa")
    assert code == 3
    assert err.startswith("بدون مسیر:") and "قزوین (ir_qazvin)" in err
    assert "‎--modes" in err or "--include-planned" in err
    assert_no_english(err, ("No route", "with these options", "exists via", "allow more"))


def test_too_slow_reason_in_persian() -> None:
    args = ["route", "--from", "Lahijan", "--to", "Tehran", "--cargo", "tea", "--max-hours", "1"]
    code, _, err = invoke(*args, "--data", MINI, "--lang", "fa")
    assert code == 3
    assert "لاهیجان" in err and "در 1 ساعت" in err and "--max-hours" in err
    assert_no_english(err, ("within", "fastest", "Raise", "cargo class"))


def test_doubling_back_note_in_persian() -> None:
    args = ["route", "--from", "Aktau", "--to", "Baku", "--via", "Bandar Abbas"]
    code, out, _ = invoke(*args)
    assert code == 0 and "note: the route passes Tehran (ir_tehran) twice" in out
    code, out, _ = invoke(*args, "--lang", "fa")
    assert code == 0 and "یادداشت: مسیر دو بار از تهران (ir_tehran) می‌گذرد" in out
    assert_no_english(out, ("the route passes", "doubling back", "note:"))


def test_compare_modes_reasons_in_persian() -> None:
    args = ["compare-modes", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea"]
    code, out, _ = invoke(*args, "--data", MINI, "--lang", "fa")
    assert code == 0 and "فقط جاده" in out and "لاهیجان" in out
    assert_no_english(out, ("No route from", "the network does not connect", "road only"))


# --- the analysis commands --------------------------------------------------------------


def test_compare_scenario_in_persian_keeps_english_unchanged() -> None:
    args = ["compare", "--scenario", "rasht-astara-railway"]
    code, en, _ = invoke(*args)
    assert code == 0
    for word in ("corridor (shipment)", "status", "What changed, and why:", "not via"):
        assert word in en
    assert "Lahijan → Aktau (tea), 20 t" in en and "dearer in generalized cost" in en
    code, fa, _ = invoke(*args, "--lang", "fa")
    assert code == 0
    assert "لاهیجان ← آکتائو (چای)، 20 تن" in fa and "سناریو rasht-astara-railway" in fa
    assert "چه تغییر کرد، و چرا:" in fa and "نه از راه rail_rasht_astara" in fa
    assert "بی‌تغییر" in fa and "مسیر دیگر" in fa
    assert_no_english(
        fa,
        ("corridor", "status", "cost USD", "days", "unchanged", "changed", "What changed",
         "not via", "dearer", "Lahijan", "road to", " to "),
    )  # fmt: skip


def test_compare_json_why_stays_english_text() -> None:
    import json

    code, out, _ = invoke("compare", "--scenario", "astara-digital-border", "--json")
    assert code == 0
    rows = {c["label"]: c for c in json.loads(out)["corridors"]}
    assert rows["Tehran → Baku (processed food)"]["why"] == "border -5.9 h"


def test_criticality_in_persian_with_label_fa(tmp_path: Path) -> None:
    corridors = tmp_path / "corridors.csv"
    corridors.write_text(
        "label,origin,destination,cargo,tonnes,label_fa\n"
        "Lahijan to Baku,Lahijan,Baku,tea,20,چای لاهیجان به باکو\n"
        "Tehran to Aktau,Tehran,Aktau,wheat,1000,\n",
        encoding="utf-8",
    )
    base = ["criticality", "--corridors", str(corridors), "--data", MINI, "--top", "5"]
    code, en, _ = invoke(*base)
    assert code == 0 and "element" in en and "rerouted" in en
    code, fa, _ = invoke(*base, "--lang", "fa")
    assert code == 0
    assert "حیاتی‌ترین اجزا در 2 کریدور" in fa and "جزء" in fa
    assert any(name in fa for name in ("رشت", "آستارا", "باکو", "قزوین"))
    assert_no_english(
        fa, ("element", "rerouted", "extra USD", "mean +%", "cut =", " link ", "road")
    )


def test_tcd_and_pareto_in_persian(tmp_path: Path) -> None:
    chart = tmp_path / "tcd.svg"
    args = ["tcd", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat", "--data", MINI]
    code, out, _ = invoke(*args, "-o", str(chart), "--lang", "fa")
    assert code == 0 and chart.stat().st_size > 0
    assert "بهترین:" in out and "کیلومتر" in out and "نمودار در" in out
    assert_no_english(out, ("best:", " km,", "USD/t", "days", "chart written"))
    code, out, _ = invoke(*args, "-o", str(chart))
    assert code == 0 and out.startswith("best: ") and "chart written to" in out
    svg = tmp_path / "pareto.svg"
    args = ["pareto", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea", "--data", MINI]
    code, out, _ = invoke(*args, "-o", str(svg), "--lang", "fa")
    assert code == 0 and "جبههٔ پارتو لاهیجان ← " in out and "چای" in out
    assert_no_english(out, ("Pareto front", "route", "cost USD", "days", "chart written"))
    assert "\u2067" in svg.read_text(encoding="utf-8")  # the chart's Persian labels (isolated)


def test_flows_sweep_in_persian() -> None:
    args = ["flows", "sweep", "--growth", "0", "--workers", "1"]
    code, fa, _ = invoke(*args, "--lang", "fa")
    assert code == 0
    assert "پیمایش جریان‌ها" in fa and "پایه" in fa and "پرکارترین" in fa
    assert_no_english(fa, ("Flow sweep", "scenario", "growth", "busiest", "cap_", " base "))
    code, en, _ = invoke(*args)
    assert code == 0 and "Flow sweep" in en and "cap_" in en


def test_search_budget_messages_in_both_languages() -> None:
    from caspian.model.text import Text
    from caspian.routing.budget import Budget, SearchBudgetError

    budget = Budget(3, Text("the Pareto front", "جبههٔ پارتو"), Text("narrow it", "تنگ‌تر کنید"))
    with pytest.raises(SearchBudgetError) as err:
        budget.spend(5)
    message = err.value.args[0]
    assert str(message) == (
        "The search for the Pareto front stopped at its work budget of 3 units (labels and "
        "comparisons) without proving an answer; narrow it."
    )
    persian = message.in_lang("fa")
    assert "جبههٔ پارتو" in persian and "تنگ‌تر کنید" in persian and "search" not in persian
