"""Bad input to every ``caspian simulate`` subcommand: clean refusal, before any work.

Each case asserts: exit code 2, no Python traceback, a message naming the problem, no file
left in the output folder, and that the refusal came quickly (the limits are checked before
the simulation starts, so even a request for months of work is refused in well under 1 s).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

runner = CliRunner()

ALIAS_BOMB = "a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n"

# (id, arguments after "simulate", words the message must contain); OUT, FILES are replaced
CASES: list[tuple[str, list[str], list[str]]] = [
    # run size: refused from an estimate of the work and memory, before running
    ("port-1e7-wagons", ["port", "--wagons-per-day", "1e7", "--days", "1"], ["limit", "events"]),
    ("border-1e8-trucks", ["border", "--trucks-per-day", "1e8"], ["limit", "reduce the traffic"]),
    ("rail-1e9-wagons", ["rail", "--wagons-per-day", "1e9"], ["limit"]),
    (
        "port-huge-ship",
        [
            "port",
            "--vessel-payload-t",
            "1e9",
            "--import-yard-t",
            "1e9",
            "--export-yard-t",
            "1e9",
            "--import-ships-per-day",
            "5",
        ],
        ["limit"],
    ),
    ("port-tiny-wagons", ["port", "--wagon-payload-t", "1e-6"], ["limit"]),
    (
        "events-csv-too-big",
        ["border", "--trucks-per-day", "200000", "--days", "3", "--replications", "1", "-o", "OUT"],
        ["events.csv", "limit"],
    ),
    ("compare-total", ["compare", "--days", "3660", "--replications", "1000"], ["limit"]),
    ("sweep-total", ["sweep", "--trucks-per-day", "100000", "--days", "3000"], ["limit"]),
    (
        "sweep-grid",
        [
            "sweep",
            "--booths",
            ",".join(str(i) for i in range(1, 60)),
            "--edeclaration",
            "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1",
        ],
        ["points", "500"],
    ),
    ("replications", ["border", "--replications", "100000"], ["replications", "1,000"]),
    ("replications-0", ["rail", "--replications", "0"], ["replications must be >= 1"]),
    ("days-huge", ["port", "--days", "1e9"], ["ten years"]),
    ("days-0", ["border", "--days", "0"], ["days must be > 0"]),
    ("workers-0", ["border", "--workers", "0"], ["workers", "1 to 64"]),
    ("workers-many", ["sweep", "--workers", "100000"], ["workers", "1 to 64"]),
    # seeds and lists
    ("seed-negative", ["border", "--seed", "-1"], ["seed", "from 0"]),
    ("seed-negative-port", ["port", "--seed", "-5"], ["seed"]),
    ("seed-negative-compare", ["compare", "--seed", "-1"], ["seed"]),
    ("seed-negative-sweep", ["sweep", "--seed", "-1"], ["seed"]),
    ("sweep-booths-empty", ["sweep", "--booths", ""], ["--booths", "at least one"]),
    ("sweep-booths-commas", ["sweep", "--booths", ",,"], ["--booths", "at least one"]),
    ("sweep-booths-fraction", ["sweep", "--booths", "3.5"], ["--booths", "whole numbers"]),
    ("sweep-booths-zero", ["sweep", "--booths", "0"], ["document_booths_per_direction"]),
    ("sweep-booths-text", ["sweep", "--booths", "three"], ["--booths", "numbers"]),
    ("sweep-edecl-nan", ["sweep", "--edeclaration", "nan"], ["--edeclaration", "finite"]),
    ("sweep-edecl-range", ["sweep", "--edeclaration", "1.5"], ["edeclaration_share"]),
    ("sweep-traffic-inf", ["sweep", "--trucks-per-day", "500,inf"], ["finite"]),
    ("sweep-backend", ["sweep", "--backend", "ray"], ["valid: local, dask"]),
    ("scheduler-without-dask", ["sweep", "--scheduler-address", "tcp://h:1"], ["--backend dask"]),
    (
        "scheduler-malformed",
        ["sweep", "--backend", "dask", "--scheduler-address", "nonsense"],
        ["tcp://HOST:PORT"],
    ),
    (
        "scheduler-bad-port",
        ["sweep", "--backend", "dask", "--scheduler-address", "tcp://localhost:99999"],
        ["tcp://HOST:PORT"],
    ),
    # non-finite numbers, every numeric option
    ("days-nan", ["border", "--days", "nan"], ["finite"]),
    ("days-inf", ["rail", "--days", "inf"], ["finite"]),
    ("traffic-nan", ["border", "--trucks-per-day", "nan"], ["finite"]),
    ("traffic-inf", ["port", "--wagons-per-day", "inf"], ["finite"]),
    ("cv-inf", ["border", "--service-cv", "inf"], ["finite"]),
    ("minutes-nan", ["border", "--inspection-minutes", "nan"], ["finite"]),
    ("hours-inf", ["rail", "--transshipment-hours", "inf"], ["finite"]),
    ("profile-nan", ["border", "--month-profile", "1,1,1,1,1,1,1,1,1,1,1,nan"], ["finite"]),
    ("compare-days-nan", ["compare", "--days", "nan"], ["finite"]),
    ("sweep-days-inf", ["sweep", "--days", "inf"], ["finite"]),
    # nonsense values of levers
    ("booths-huge", ["border", "--booths", "1000000000"], ["--booths", "100,000"]),
    ("parking-0", ["border", "--parking", "0"], ["parking_places_per_direction"]),
    ("share-negative", ["border", "--share-ir-to-az", "-0.1"], ["share_ir_to_az"]),
    ("cv-huge", ["port", "--service-cv", "50"], ["service_cv"]),
    ("start-month", ["border", "--start-month", "13"], ["start_month", "1..12"]),
    ("hour-profile-short", ["border", "--hour-profile", "1,2"], ["hour_profile", "24"]),
    ("hours-equal", ["rail", "--open-from-hour", "8", "--open-to-hour", "8"], ["open_to_hour"]),
    ("berths-0", ["port", "--berths", "0"], ["berths"]),
    ("yard-too-small", ["port", "--export-yard-t", "10"], ["export_yard_capacity_t"]),
    ("start-month-rail", ["compare", "--model", "rail", "--start-month", "3"], ["border"]),
    ("compare-model", ["compare", "--model", "airport"], ["valid: border, rail, port"]),
    ("scenario", ["border", "--scenario", "nope"], ["valid: baseline, hardware, software"]),
    # input files
    ("config-folder", ["border", "--config", "DIR"], ["folder"]),
    ("config-missing", ["rail", "--config", "FILES/none.yaml"], ["does not exist"]),
    ("config-not-utf8", ["port", "--config", "FILES/latin1.yaml"], ["UTF-8"]),
    ("config-deep", ["border", "--config", "FILES/deep.yaml"], ["nested"]),
    ("config-alias", ["border", "--config", "FILES/bomb.yaml"], ["not accepted"]),
    ("config-device", ["compare", "--config", "/dev/zero"], ["not a regular file"]),
    ("config-big-int", ["border", "--config", "FILES/bigint.yaml"], ["100,000"]),
    ("config-nan", ["rail", "--config", "FILES/nan.yaml"], ["finite"]),
    ("config-key", ["border", "--config", "FILES/key.yaml"], ["truck_per_day", "trucks_per_day"]),
    ("sweep-config", ["sweep", "--config", "FILES/deep.yaml"], ["nested"]),
    ("arrivals-folder", ["border", "--arrivals", "DIR"], ["folder"]),
    ("arrivals-not-utf8", ["border", "--arrivals", "FILES/latin1.csv"], ["UTF-8"]),
    ("arrivals-device", ["border", "--arrivals", "/dev/zero"], ["not a regular file"]),
    ("arrivals-row", ["border", "--arrivals", "FILES/bad.csv"], ["row 3", "arrival_hours"]),
    ("arrivals-nan", ["border", "--arrivals", "FILES/nan.csv"], ["row 2", "finite"]),
    # output locations: all checked before the work
    ("out-is-file", ["border", "-o", "FILES/bad.csv"], ["is a file"]),
    ("out-under-file", ["rail", "-o", "FILES/bad.csv/sub"], ["is a file"]),
    ("out-item-is-folder", ["port", "-o", "OUTWITHDIR"], ["summary.json", "not a file"]),
    (
        "scenario-unwritable",
        ["border", "-o", "OUT", "--write-scenario", "/nonexistent/x.yaml"],
        ["--write-scenario", "does not exist"],
    ),
    (
        "scenario-is-folder",
        ["border", "-o", "OUT", "--write-scenario", "DIR"],
        ["--write-scenario", "folder"],
    ),
    ("compare-out-file", ["compare", "-o", "FILES/bad.csv"], ["is a file"]),
    ("dump-model", ["config", "dump", "airport"], ["valid: border, rail, port"]),
    ("dump-set-field", ["config", "dump", "port", "--set", "berth=3"], ["berth", "berths"]),
    ("dump-set-value", ["config", "dump", "port", "--set", "berths=many"], ["berths", "int"]),
    ("dump-set-form", ["config", "dump", "rail", "--set", "nonsense"], ["FIELD=VALUE"]),
    ("dump-out", ["config", "dump", "border", "-o", "/nonexistent/b.yaml"], ["does not exist"]),
    ("dump-config-bad", ["config", "dump", "border", "--config", "FILES/deep.yaml"], ["nested"]),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("inputs")
    (d / "latin1.yaml").write_bytes("parameters:\n  berths: 2 # é\n".encode("latin-1"))
    (d / "latin1.csv").write_bytes("arrival_hours,direction\n1,IR->AZ # é\n".encode("latin-1"))
    (d / "deep.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    (d / "bomb.yaml").write_text(ALIAS_BOMB)
    (d / "bigint.yaml").write_text("parameters:\n  document_booths_per_direction: " + "9" * 40)
    (d / "nan.yaml").write_text("parameters:\n  inspection_hours: .nan\n")
    (d / "key.yaml").write_text("parameters:\n  truck_per_day: 500\n")
    (d / "bad.csv").write_text("arrival_hours,direction\n1.0,IR->AZ\n-3,IR->AZ\n")
    (d / "nan.csv").write_text("arrival_hours,direction\nnan,IR->AZ\n")
    # import the engines once, so the timing below measures the refusal only
    runner.invoke(app, ["simulate", "border", "--seed", "-1"])
    return d


def _args(args: list[str], files: Path, tmp: Path) -> list[str]:
    with_dir = tmp / "outwithdir"
    (with_dir / "summary.json").mkdir(parents=True, exist_ok=True)
    (tmp / "dir").mkdir(exist_ok=True)
    swap = {"OUT": str(tmp / "out"), "DIR": str(tmp / "dir"), "OUTWITHDIR": str(with_dir)}
    return [swap.get(a, a.replace("FILES", str(files))) for a in args]


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(("args", "needles"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_cleanly_and_quickly(
    args: list[str], needles: list[str], files: Path, tmp_path: Path
) -> None:
    argv = ["simulate", *_args(args, files, tmp_path)]
    before = _snapshot(tmp_path) | {f"inputs/{p}" for p in _snapshot(files)}
    started = time.perf_counter()
    res = runner.invoke(app, argv)
    elapsed = time.perf_counter() - started
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    for needle in needles:
        assert needle in res.output, f"{needle!r} not in {res.output!r}"
    after = _snapshot(tmp_path) | {f"inputs/{p}" for p in _snapshot(files)}
    assert after == before, f"files left behind: {sorted(after - before)}"
    assert not (tmp_path / "out").exists()
    assert elapsed < 1.5, f"refusal took {elapsed:.2f} s"


def test_unreachable_dask_scheduler_times_out_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a closed port on this machine: refused at once (a silent host waits for the timeout)
    monkeypatch.setattr("caspian.parallel.DASK_CONNECT_SECONDS", 1.0)
    args = ["simulate", "sweep", "--backend", "dask", "--scheduler-address", "tcp://127.0.0.1:9"]
    started = time.perf_counter()
    res = runner.invoke(app, [*args, "--booths", "3", "--edeclaration", "0.5", "--days", "1"])
    assert res.exit_code == 2, res.output
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:9" in res.output
    assert "--backend local" in res.output
    assert "within 1 s" in res.output
    assert time.perf_counter() - started < 3
