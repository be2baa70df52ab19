"""Configurations that reduce to textbook queues match queueing theory."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "queueing" / "reference.md"
LOCAL = Path(__file__).parent / "data" / "queueing_reference.md"
REFERENCE = SHARED if SHARED.exists() else LOCAL
N_CUSTOMERS = 1_000_000


def _cases() -> list[dict[str, float | str]]:
    """Parse the table of ground-truth cases from the reference file."""
    rows = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| M/"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        case, _, p_wait, wq = cells
        model = case.split(",")[0]
        lam = float(re.search(r"λ=([\d.]+)/h", case).group(1))  # type: ignore[union-attr]
        row: dict[str, float | str] = {"case": case, "model": model, "lam": lam}
        if m := re.search(r"μ=([\d.]+)/h", case):
            row["mean_s"] = 1.0 / float(m.group(1))
        if m := re.search(r"(?:D|E\[S\])=([\d.]+) min", case):
            row["mean_s"] = float(m.group(1)) / 60.0
        row["sd_s"] = float(m.group(1)) / 60.0 if (m := re.search(r"sd ([\d.]+) min", case)) else 0
        row["c"] = float(model.split("/")[2])
        row["p_wait"] = float(p_wait) if p_wait not in ("—", "-") else math.nan
        row["wq_hours"] = float(wq.split()[0]) / 60.0
        rows.append(row)
    return rows


CASES = _cases()


def erlang_c(c: int, a: float) -> float:
    """Probability of waiting in M/M/c via the Erlang-B recursion."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1.0 - rho * (1.0 - b))


def test_reference_table_parsed_and_consistent_with_formulas() -> None:
    assert len(CASES) == 6
    for case in CASES:
        lam, mean_s, c = float(case["lam"]), float(case["mean_s"]), int(case["c"])
        rho = lam * mean_s / c
        if case["model"].startswith("M/M"):  # type: ignore[union-attr]
            p = erlang_c(c, lam * mean_s)
            assert p == pytest.approx(float(case["p_wait"]), abs=1e-6)
            wq = p / (c / mean_s - lam)
        else:
            cs2 = (float(case["sd_s"]) / mean_s) ** 2
            wq = rho * (1 + cs2) / (2 * (1 - rho)) * mean_s
        assert wq == pytest.approx(float(case["wq_hours"]), rel=1e-4)


def _service(rng: np.random.Generator, case: dict[str, float | str], n: int) -> np.ndarray:
    mean, sd = float(case["mean_s"]), float(case["sd_s"])
    model = str(case["model"])
    if model.startswith("M/M"):
        return rng.exponential(mean, n)
    if model == "M/D/1":
        return np.full(n, mean)
    # M/G/1: gamma with the given mean and standard deviation (P-K needs only two moments)
    shape = (mean / sd) ** 2
    return rng.gamma(shape, mean / shape, n)


@pytest.mark.parametrize("case", CASES, ids=[str(c["case"]) for c in CASES])
def test_kernel_matches_theory(case: dict[str, float | str], single_queue) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(20240601)
    lam = float(case["lam"])
    arrivals = np.cumsum(rng.exponential(1.0 / lam, N_CUSTOMERS))
    wait, exit_ = single_queue(arrivals, _service(rng, case, N_CUSTOMERS), servers=int(case["c"]))
    assert np.isfinite(exit_).all()
    wq = float(case["wq_hours"])
    rel_err = wait.mean() / wq - 1.0
    p_sim = float((wait > 0).mean())
    print(f"{case['case']}: Wq {wait.mean() * 60:.4f} min ({rel_err:+.2%}), P(wait) {p_sim:.4f}")
    assert abs(rel_err) <= 0.05
    if not math.isnan(float(case["p_wait"])):
        assert abs((wait > 0).mean() - float(case["p_wait"])) <= 0.01
