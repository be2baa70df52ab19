"""The web application's database: saved scenarios with their versions, runs and API tokens.

SQLAlchemy 2 models (:mod:`caspian.db.models`) on SQLite (default, a file in the user's data
directory) or PostgreSQL; the schema is created and upgraded by the Alembic migrations bundled
in ``caspian/db/alembic`` (:func:`migrate`), run by ``caspian serve`` at start.
"""

from __future__ import annotations

from caspian.db.engine import (
    backend_name,
    default_database_url,
    make_engine,
    migrate,
    open_database,
)

__all__ = ["backend_name", "default_database_url", "make_engine", "migrate", "open_database"]
