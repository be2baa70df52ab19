"""Fixtures of the API tests: apps on SQLite and on a real PostgreSQL (pgserver), tokens."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from caspian.api import Settings, create_app  # noqa: E402
from caspian.db.tokens import create_token  # noqa: E402


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A PostgreSQL server for the whole session (pgserver's bundled binaries)."""
    try:
        import pgserver
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: pgserver is not installed (pip install pgserver)")
    try:
        server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    except Exception as exc:  # any failure to start means: cannot test here
        pytest.skip(f"PostgreSQL tests skipped: the server could not start ({exc})")
    yield server
    server.cleanup()


def _postgres_url(server: Any) -> str:
    name = "caspian_" + uuid.uuid4().hex[:12]
    server.psql(f"CREATE DATABASE {name};")
    return str(server.get_uri(name)).replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'caspian.sqlite3'}"
    return _postgres_url(request.getfixturevalue("postgres_server"))


class Api:
    """A test client with a write token at hand."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.token = token
        self.auth = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", **kw)

    def post(self, path: str, *, auth: bool = True, **kw: Any) -> Any:
        headers = {**(self.auth if auth else {}), **kw.pop("headers", {})}
        return self.client.post(f"/api/v1{path}", headers=headers, **kw)

    def put(self, path: str, *, auth: bool = True, **kw: Any) -> Any:
        headers = self.auth if auth else {}
        return self.client.put(f"/api/v1{path}", headers=headers, **kw)

    def delete(self, path: str, *, auth: bool = True) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.auth if auth else {})


def make_api(database_url: str, settings: Settings | None = None) -> Iterator[Api]:
    app = create_app(database_url=database_url, settings=settings)
    _, token = create_token(app.state.caspian.engine, name="tests")
    with TestClient(app) as client:
        yield Api(client, token)
    app.state.caspian.engine.dispose()


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    """An app on each backend (its run workers started), with a token."""
    yield from make_api(database_url)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One SQLite app shared by the reading tests of a module."""
    folder = tmp_path_factory.mktemp("read")
    yield from make_api(f"sqlite:///{folder / 'caspian.sqlite3'}")
