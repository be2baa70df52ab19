"""Start-up time of the ``caspian`` command, measured as whole processes.

Each command runs ``RUNS`` times in a fresh Python process (``subprocess``, output
discarded); the table gives the median and the slowest run in seconds against the goals of
issue #8 (``--help`` / ``version`` / ``places`` ≤ 0.3 s, ``route`` on the bundled network
≤ 0.8 s). One untimed run of each command comes first, so the operating system's file
cache and numba's on-disk cache are warm, as they are for a user after ``make setup``.

A second table checks that no command compiles with numba on its first run: it runs each
command once with ``NUMBA_DEBUG_CACHE=1`` and counts "data saved" lines (numba writes one
per function it had to compile).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7

BIN = Path(sys.executable).parent
CASPIAN = str(BIN / "caspian") if (BIN / "caspian").exists() else None

COMMANDS: tuple[tuple[str, tuple[str, ...], float | None], ...] = (
    ("caspian --help", ("--help",), 0.3),
    ("caspian version", ("version",), 0.3),
    ("caspian places", ("places",), 0.3),
    ("caspian cargo", ("cargo",), None),
    ("caspian route --from Aktau --to Tehran", ("route", "--from", "Aktau", "--to", "Tehran"), 0.8),
    (
        "caspian compare-modes --from Lahijan --to Almaty",
        ("compare-modes", "--from", "Lahijan", "--to", "Almaty"),
        None,
    ),
    ("caspian simulate --help", ("simulate", "--help"), None),
)
"""(label, arguments, goal in seconds or ``None``)."""


def _argv(args: tuple[str, ...]) -> list[str]:
    if CASPIAN is not None:
        return [CASPIAN, *args]
    return [sys.executable, "-m", "caspian", *args]


def _run(args: tuple[str, ...], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        _argv(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        timeout=120,
        check=False,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"caspian {' '.join(args)} exited with {done.returncode}")
    return elapsed, done.stdout


def time_command(args: tuple[str, ...], runs: int = RUNS) -> list[float]:
    """Wall-clock seconds of ``runs`` whole-process runs of ``caspian args`` (after one warm-up)."""
    _run(args)
    return [_run(args)[0] for _ in range(runs)]


def compiled_functions(args: tuple[str, ...]) -> int:
    """How many numba functions ``caspian args`` had to compile (0 when the cache is warm)."""
    env = dict(os.environ, NUMBA_DEBUG_CACHE="1", COLUMNS="200")
    _, out = _run(args, env)
    return sum("data saved" in line for line in out.splitlines())


def main() -> None:
    """Print the start-up table and the numba cache check."""
    env = {"COLUMNS": "120"}
    os.environ.update(env)
    first = {label: compiled_functions(args) for label, args, _ in COMMANDS}
    print(f"## Start-up (whole processes, median of {RUNS} runs after one warm-up)\n")
    print("| command | median s | slowest s | goal | met |")
    print("|---|---:|---:|---:|---|")
    for label, args, goal in COMMANDS:
        times = time_command(args)
        median = statistics.median(times)
        met = "" if goal is None else ("yes" if median <= goal else "**no**")
        goal_text = "" if goal is None else f"≤ {goal:g}"
        print(f"| `{label}` | {median:.2f} | {max(times):.2f} | {goal_text} | {met} |")
    print("\nnumba functions compiled on the first run of each command (goal: 0):\n")
    for label, count in first.items():
        print(f"- `{label}`: {count}")


if __name__ == "__main__":
    main()
