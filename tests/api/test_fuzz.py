"""The API fuzzed from its own OpenAPI schema (schemathesis): no input makes a server error.

Bounded for the test suite's time budget: 12 examples per operation, no deadline;
``CASPIAN_FUZZ_EXAMPLES=200`` fuzzes harder.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402

from caspian.api import Settings, create_app  # noqa: E402
from caspian.db.tokens import create_token  # noqa: E402

warnings.filterwarnings("ignore", message=".*httpx2.*")

_FOLDER = Path(tempfile.mkdtemp(prefix="caspian-fuzz-"))
# No lifespan: queued runs are stored, never started (the fuzz tests the HTTP layer).
APP = create_app(
    database_url=f"sqlite:///{_FOLDER / 'fuzz.sqlite3'}",
    settings=Settings(static_dir=None, max_queued_runs=100_000),
)
_, TOKEN = create_token(APP.state.caspian.engine, name="fuzz")
AUTH = {"Authorization": f"Bearer {TOKEN}"}

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("CASPIAN_FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_server_errors(case: Any) -> None:
    response = case.call(headers=AUTH)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] and error["message"]
