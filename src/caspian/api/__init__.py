"""The HTTP API of Caspian Gateway (FastAPI): ``caspian serve`` runs it under uvicorn.

Front door: :func:`create_app`. Imported only by ``caspian serve`` and the tests, so the
command line's other commands never load FastAPI or SQLAlchemy.
"""

from __future__ import annotations

from caspian.api.app import create_app
from caspian.api.settings import Settings

__all__ = ["Settings", "create_app"]
