"""TNTP networks for the assignment tests: small copies here, Chicago Sketch from ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from caspian.assignment import AssignmentProblem
from caspian.assignment.tntp import problem_from_tntp
from caspian.io.tntp import TntpNetwork, load_tntp

DATA = Path(__file__).parents[1] / "data" / "tntp"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "tntp"


@pytest.fixture(scope="session")
def sioux() -> TntpNetwork:
    return load_tntp(DATA / "SiouxFalls")


@pytest.fixture(scope="session")
def sioux_problem(sioux: TntpNetwork) -> AssignmentProblem:
    return problem_from_tntp(sioux)


@pytest.fixture(scope="session")
def chicago_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with Chicago Sketch's net, trips and flow files (3 MB: not copied here)."""
    names = [f"ChicagoSketch_{kind}.tntp" for kind in ("net", "trips", "flow")]
    if not all((SHARED / n).is_file() for n in names):
        pytest.skip(f"Chicago Sketch TNTP files not found in {SHARED} (the shared benchmark data)")
    folder = tmp_path_factory.mktemp("chicago")
    for n in names:
        (folder / n).symlink_to(SHARED / n)
    return folder
