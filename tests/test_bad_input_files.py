"""Bad input files and output locations through the whole CLI: a table of cases.

Each case runs one command in-process (typer's CliRunner) on a small hostile input and
asserts what issue #8 asks of every bad input: exit code 2, no Python traceback, a message
that names the problem, nothing written to the output folder, and a bounded run time.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

MINI = Path(__file__).parent / "data" / "mini"
runner = CliRunner()
SECONDS = 10.0
"""Every case must finish well within this (each takes well under a second)."""

BILLION_LAUGHS = """\
name: lol
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
links: [{id: rail_rasht_astara, status: *i}]
"""


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, the command, and words the message must hold."""

    id: str
    make: Callable[[Path], list[str]]
    expected: tuple[str, ...]


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _validate(name: str, text: str | bytes) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        return ["scenario", "validate", str(_write(tmp / name, text)), "--data", str(MINI)]

    return make


def _route_with_scenario(name: str, text: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        scn = _write(tmp / name, text)
        return [
            "route",
            "--from",
            "Rasht",
            "--to",
            "Baku",
            "--scenario",
            str(scn),
            "--data",
            str(MINI),
        ]

    return make


def _mini_with(tmp: Path, table: str, extra: str | bytes | None) -> Path:
    data = tmp / "data"
    shutil.copytree(MINI, data)
    if isinstance(extra, bytes):
        (data / table).write_bytes(extra)
    elif extra is not None:
        with (data / table).open("a", encoding="utf-8") as handle:
            handle.write(extra)
    return data


def _bad_data(table: str, extra: str | bytes) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        data = _mini_with(tmp, table, extra)
        return ["scenario", "validate", "covid-2020", "--data", str(data)]

    return make


def _table_is_folder(tmp: Path) -> list[str]:
    data = _mini_with(tmp, "nodes.csv", None)
    (data / "nodes.csv").unlink()
    (data / "nodes.csv").mkdir()
    return ["scenario", "validate", "covid-2020", "--data", str(data)]


def _corridors(text: str | bytes | None) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        path = tmp / "corridors.csv"
        if text is None:
            path.mkdir()
        else:
            _write(path, text)
        return ["criticality", "--corridors", str(path), "--data", str(MINI)]

    return make


def _tcd(output: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        return [
            "tcd",
            "--from",
            "Lahijan",
            "--to",
            "Aktau",
            "--cargo",
            "tea",
            "-o",
            str(output(tmp)),
            "--data",
            str(MINI),
            *extra,
        ]

    return make


def _report(output: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        return [
            "report",
            "--from",
            "Lahijan",
            "--to",
            "Aktau",
            "--cargo",
            "tea",
            "-o",
            str(output(tmp)),
            "--data",
            str(MINI),
            *extra,
        ]

    return make


def _pareto(output: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        return [
            "pareto",
            "--from",
            "Lahijan",
            "--to",
            "Aktau",
            "--cargo",
            "tea",
            "-o",
            str(output(tmp)),
            "--data",
            str(MINI),
        ]

    return make


def _existing_folder(tmp: Path) -> Path:
    (tmp / "out.svg").mkdir()
    return tmp / "out.svg"


def _link_to_dev_full(tmp: Path) -> Path:
    (tmp / "full.svg").symlink_to("/dev/full")
    return tmp / "full.svg"


def _existing_html_folder(tmp: Path) -> Path:
    (tmp / "r.html").mkdir()
    return tmp / "r.html"


NODE_AT_999 = """\
name: bad-node
nodes:
  - {id: ir_new, name_en: New, country: IR, kind: city, lat: 999, lon: 49.5}
"""
BORDER_JUMP = """\
name: border-jump
links:
  - {id: road_rasht_baku, from: ir_rasht, to: az_baku, mode: road, distance_km: 600}
"""
ROAD_ACROSS_BORDER = (
    "road_rasht_baku,ir_rasht,az_baku,road,600,,open,,,test: crosses IR-AZ without a crossing,yes\n"
)

CASES = [
    # --- scenario files (scenario validate and --scenario share one loader)
    Case("alias-bomb", _validate("bomb.yaml", BILLION_LAUGHS), ("alias", "anchor")),
    Case("alias-bomb-via-route", _route_with_scenario("bomb.yaml", BILLION_LAUGHS), ("anchor",)),
    Case(
        "nested-50000",
        _validate("deep.yaml", "name: x\nlinks: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        ("nested more than",),
    ),
    Case(
        "nested-block-3000",
        _validate(
            "deep.yaml", "name: x\nlinks:\n" + "".join("  " * i + "- \n" for i in range(1, 200))
        ),
        ("nested more than",),
    ),
    Case("dev-zero", lambda tmp: ["scenario", "validate", "/dev/zero"], ("not a regular file",)),
    Case(
        "scenario-is-folder",
        lambda tmp: ["scenario", "validate", str(tmp)],
        ("is a folder",),
    ),
    Case(
        "scenario-not-utf8",
        _validate("latin1.yaml", "name: caf\xe9\nlinks: []\n".encode("latin-1")),
        ("not UTF-8",),
    ),
    Case(
        "scenario-missing",
        lambda tmp: ["scenario", "validate", str(tmp / "no.yaml")],
        ("does not exist",),
    ),
    Case(
        "scenario-too-large",
        _validate("big.yaml", "name: x\n" + "# padding\n" * 120_000),
        ("limit",),
    ),
    Case("scenario-bad-yaml", _validate("bad.yaml", "name: [x\n"), ("not valid YAML", "line")),
    Case(
        "scenario-huge-int",
        _validate("int.yaml", "name: x\nlinks: [{id: a, distance_km: " + "9" * 5000 + "}]\n"),
        ("cannot be read",),
    ),
    Case("scenario-bad-date", _validate("date.yaml", "name: 2020-13-45\n"), ("cannot be read",)),
    Case(
        "scenario-mixed-keys",
        _validate("keys.yaml", "name: x\n1: a\nzz: b\n"),
        ("unknown key",),
    ),
    Case(
        "scenario-lat-999",
        _validate("lat.yaml", NODE_AT_999),
        ("nodes[0].lat", "≤ 90", "nodes.csv"),
    ),
    Case(
        "scenario-road-across-border",
        _validate("jump.yaml", BORDER_JUMP),
        ("links[0]", "IR", "AZ", "border crossing"),
    ),
    Case(
        "scenario-python-tag",
        _validate("tag.yaml", "name: !!python/object/apply:os.system ['true']\n"),
        ("not valid YAML",),
    ),
    # --- data tables (--data)
    Case(
        "data-road-across-border",
        _bad_data("links.csv", ROAD_ACROSS_BORDER),
        ("links.csv", "row", "IR", "AZ", "border crossing"),
    ),
    Case(
        "data-not-utf8", _bad_data("nodes.csv", b"id,name_en\n\xff\xfe\n"), ("nodes.csv", "UTF-8")
    ),
    Case("data-table-is-folder", _table_is_folder, ("nodes.csv", "folder")),
    # --- corridors files
    Case("corridors-not-utf8", _corridors(b"label,origin\n\xff\n"), ("corridors", "UTF-8")),
    Case("corridors-folder", _corridors(None), ("corridors", "folder")),
    Case(
        "corridors-too-many",
        _corridors("label,origin,destination,cargo,tonnes\n" + "a,Rasht,Baku,tea,1\n" * 501),
        ("corridors.csv", "limit is 500"),
    ),
    # --- outputs: checked before any work, written atomically
    Case("tcd-output-is-folder", _tcd(_existing_folder), ("is a folder",)),
    Case("tcd-output-missing-folder", _tcd(lambda t: t / "nope" / "x.svg"), ("does not exist",)),
    Case(
        "tcd-alternatives-negative",
        _tcd(lambda t: t / "x.svg", "--alternatives", "-3"),
        ("--alternatives",),
    ),
    Case(
        "tcd-alternatives-huge",
        _tcd(lambda t: t / "x.svg", "--alternatives", "100000"),
        ("--alternatives",),
    ),
    Case("tcd-output-dev-full", _tcd(_link_to_dev_full), ("not a regular file",)),
    Case("pareto-output-is-folder", _pareto(_existing_folder), ("is a folder",)),
    Case("pareto-bad-suffix", _pareto(lambda t: t / "x.txt"), (".svg",)),
    Case("report-output-is-folder", _report(_existing_html_folder), ("is a folder",)),
    Case(
        "report-output-missing-folder",
        _report(lambda t: t / "nope" / "r.html"),
        ("does not exist",),
    ),
    Case(
        "report-alternatives-negative",
        _report(lambda t: t / "r.html", "--alternatives", "-3"),
        ("--alternatives",),
    ),
    Case(
        "report-alternatives-zero",
        _report(lambda t: t / "r.html", "--alternatives", "0"),
        ("--alternatives",),
    ),
]


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args = case.make(work)
    before = _files(work)
    start = time.monotonic()
    result = runner.invoke(app, args)
    elapsed = time.monotonic() - start
    output = " ".join((result.stdout + result.stderr).split())  # undo the console's wrapping
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, output
    for word in case.expected:
        assert word in output, f"{word!r} not in {output!r}"
    assert len(output) < 4000, "the message echoes too much"
    assert _files(work) == before, "something was left in the output folder"
    assert elapsed < SECONDS


def test_unwritable_output_folder_is_refused_before_work(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; the full-disk test covers the write failure")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = runner.invoke(app, _tcd(lambda t: locked / "x.svg")(tmp_path))
    finally:
        locked.chmod(stat.S_IRWXU)
    assert result.exit_code == 2
    assert "not writable" in " ".join(result.stderr.split())
    assert not list(locked.iterdir())


def test_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caspian.io.files as files

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd: int) -> None:
            self.handle = real_fdopen(fd, "wb")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Full(fd))
    result = runner.invoke(app, _tcd(lambda t: t / "x.svg")(tmp_path))
    assert result.exit_code == 2, result.output
    assert "disk is full" in " ".join(result.stderr.split())
    assert not list(tmp_path.iterdir())


def test_outputs_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, _tcd(lambda t: t / "x.svg")(tmp_path))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "x.svg").stat().st_mode) == 0o644
