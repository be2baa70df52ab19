"""The application factory: ``create_app(database_url=..., settings=...)`` (no global state).

The database is opened and migrated and the network loaded when the app is made, so a bad
``--database-url`` is reported before the server starts; the run workers start and stop
with the app's lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from caspian.api.deps import AppState, ResultCache, WriteToken
from caspian.api.errors import install_error_handlers
from caspian.api.middleware import BodyLimit, SecurityHeaders
from caspian.api.settings import Settings

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"

_NO_UI = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Caspian Gateway</title>
<p>The interface is not bundled in this installation; the API is at
<a href="api/v1/health">api/v1/health</a> (OpenAPI: <a href="api/v1/openapi.json">
api/v1/openapi.json</a>).</p></html>"""


def _auth_router() -> APIRouter:
    router = APIRouter()

    @router.get("/auth/check")
    def check(token: WriteToken) -> dict[str, Any]:
        """200 with the token's id and name when the bearer token may write; 401 otherwise."""
        return {"ok": True, "token": {"id": token.id, "name": token.name}}

    return router


def create_app(*, database_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    """The web application: the API under ``/api/v1`` and the interface at ``/``.

    Parameters
    ----------
    database_url
        ``sqlite:///PATH`` or ``postgresql+psycopg://USER:PASSWORD@HOST/DB``; default: a SQLite
        file in the user's data directory.
    settings
        Limits and switches (:class:`~caspian.api.settings.Settings`).

    Raises
    ------
    ValidationError
        A database URL of an unsupported kind.
    OSError
        The database cannot be opened or migrated.
    """
    from caspian import __version__
    from caspian.api.networks import NetworkStore
    from caspian.api.routers import reading, runs, scenarios
    from caspian.api.runs import RunManager
    from caspian.db import backend_name, open_database

    settings = settings or Settings()
    engine = open_database(database_url)
    state = AppState(
        settings=settings,
        engine=engine,
        networks=NetworkStore(cache_size=settings.network_cache),
        runs=RunManager(engine, settings),
        database=backend_name(engine),
        flows=ResultCache(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.runs.start()
        try:
            yield
        finally:
            state.runs.stop()

    app = FastAPI(
        title="Caspian Gateway API",
        version=__version__,
        description="Plan, compare and simulate multimodal freight through Gilan's Caspian "
        "corridors. Errors: {'error': {'code', 'message', 'field', 'suggestions'}}. "
        "Writes need 'Authorization: Bearer <token>' (caspian token create).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.caspian = state
    install_error_handlers(app)
    for router in (reading.router, scenarios.router, runs.router, _auth_router()):
        app.include_router(router, prefix=API_PREFIX)
    _mount_interface(app, settings)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _mount_interface(app: FastAPI, settings: Settings) -> None:
    """Serve the single-page interface at ``/`` (a short page when it is not bundled)."""
    folder = settings.static_dir
    if folder is not None and (folder / "index.html").is_file():
        from fastapi.staticfiles import StaticFiles

        app.mount("/", StaticFiles(directory=folder, html=True), name="interface")
        return

    @app.get("/", include_in_schema=False)
    def no_interface() -> HTMLResponse:
        return HTMLResponse(_NO_UI)
