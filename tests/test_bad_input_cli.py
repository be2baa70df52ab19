"""Bad input at the command line: a table of careless or hostile cases (issue #8 §1–§2).

Each case must end with the documented exit code (2 = bad input), a message that names
the problem, no Python traceback, nothing written and in bounded time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

MINI = str(Path(__file__).parent / "data" / "mini")
runner = CliRunner()

ROUTE = ["route", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat"]
MODES = ["compare-modes", "--from", "Aktau", "--to", "Tehran", "--cargo", "wheat"]

# (id, arguments, what the message must contain); {tmp} is a fresh empty folder.
CASES: list[tuple[str, list[str], str]] = [
    ("markup-as-origin", ["route", "--from", "[/bold]", "--to", "Tehran"], "[/bold]"),
    ("markup-as-via", [*ROUTE, "--via", "[red]x[/red]"], "[red]x[/red]"),
    ("markup-as-cargo", [*ROUTE[:5], "--cargo", "[/]"], "[/]"),
    ("markup-scenario", ["scenario", "show", "[bold]nope"], "[bold]nope"),
    ("nan-tonnes", [*ROUTE, "--tonnes", "nan"], "finite"),
    ("inf-tonnes", [*ROUTE, "--tonnes", "inf"], "finite"),
    ("neg-inf-tonnes", [*ROUTE, "--tonnes", "-inf"], "finite"),
    ("nan-max-hours", [*ROUTE, "--max-hours", "nan"], "finite"),
    ("inf-max-hours", [*ROUTE, "--max-hours", "inf"], "finite"),
    ("nan-carbon-price", [*ROUTE, "--carbon-price", "nan"], "finite"),
    ("modes-nan-tonnes", [*MODES, "--tonnes", "NaN"], "finite"),
    ("modes-inf-max-hours", [*MODES, "--max-hours", "Infinity"], "finite"),
    ("text-tonnes", [*ROUTE, "--tonnes", "twenty"], "--tonnes"),
    ("negative-tonnes", [*ROUTE, "--tonnes", "-3"], "tonnes"),
    ("places-limit-zero", ["places", "x", "--limit", "0"], "--limit"),
    ("places-limit-negative", ["places", "x", "--limit", "-1"], "--limit"),
    ("places-limit-text", ["places", "x", "--limit", "many"], "--limit"),
    ("bad-lang-route", [*ROUTE, "--lang", "de"], "--lang"),
    ("bad-lang-places", ["places", "x", "--lang", "ru"], "--lang"),
    ("bad-lang-cargo", ["cargo", "--lang", "english"], "--lang"),
    ("bad-lang-demo", ["demo", "--lang", ""], "--lang"),
    ("bad-lang-modes", [*MODES, "--lang", "FA"], "--lang"),
    ("bad-optimize", [*ROUTE, "--optimize", "fastest"], "--optimize"),
    ("unknown-place", ["route", "--from", "Atlantis", "--to", "Tehran"], "Atlantis"),
    ("unknown-cargo", [*ROUTE[:5], "--cargo", "unobtainium"], "unobtainium"),
    ("negative-alternatives", [*ROUTE, "--alternatives", "-3"], "--alternatives"),
    ("negative-seed", [*ROUTE, "--uncertainty", "10", "--seed", "-1"], "--seed"),
    ("empty-modes", [*ROUTE, "--modes", ""], "--modes"),
    ("comma-modes", [*ROUTE, "--modes", ", ,"], "--modes"),
    ("unknown-mode", [*ROUTE, "--modes", "rail,air"], "air"),
    ("export-bad-suffix", [*ROUTE, "-o", "{tmp}/route.kml"], ".geojson"),
    ("export-no-suffix", [*ROUTE, "-o", "{tmp}/route"], ".csv"),
    ("export-missing-folder", [*ROUTE, "-o", "{tmp}/absent/route.csv"], "does not exist"),
    ("export-to-folder", [*ROUTE, "-o", "{tmp}"], "folder"),
    ("modes-export-bad-suffix", [*MODES, "-o", "{tmp}/modes.json"], ".geojson"),
    ("data-missing", ["places", "--data", "{tmp}/nope"], "nope"),
    ("data-is-file", ["cargo", "--data", "/etc/hostname"], "hostname"),
]


@pytest.mark.parametrize(("args", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_a_clear_message(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--data" not in argv and argv[0] != "scenario":
        argv += ["--data", MINI]
    start = time.perf_counter()
    result = runner.invoke(app, argv, env={"COLUMNS": "120"})
    elapsed = time.perf_counter() - start
    output = result.stdout + result.stderr
    assert result.exit_code == 2, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in output
    assert expected in output, output
    assert list(tmp_path.iterdir()) == [], "nothing may be written"
    assert elapsed < 10


def test_export_refused_before_any_work(tmp_path: Path) -> None:
    """A bad -o is refused even when the query itself would fail later."""
    result = runner.invoke(
        app, ["route", "--from", "Atlantis", "--to", "Tehran", "-o", str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert ".geojson" in result.stderr and "Atlantis" not in result.stderr
