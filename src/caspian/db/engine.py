"""Open the database: URL checks, engine options per backend, Alembic migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from caspian.errors import ValidationError

__all__ = ["backend_name", "default_database_url", "make_engine", "migrate", "open_database"]

APP_NAME = "caspian-gateway"
DB_FILE = "caspian.sqlite3"
MIGRATIONS = Path(__file__).parent / "alembic"
_VALID = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB"


def default_database_url() -> str:
    """A SQLite file in the user's data directory (created if missing)."""
    from platformdirs import user_data_path

    folder = user_data_path(APP_NAME, appauthor=False, ensure_exists=True)
    return f"sqlite:///{folder / DB_FILE}"


def _normalise(url: str) -> str:
    """``url`` checked; ``postgresql://`` and ``postgres://`` use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValidationError(f"--database-url: cannot read '{url[:80]}'; use {_VALID}") from None
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ValidationError(
            f"--database-url: unsupported database '{parsed.drivername}'; use {_VALID}"
        )
    return url


def backend_name(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``."""
    return str(engine.dialect.name)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`default_database_url`), not yet migrated.

    SQLite connections are shared between the server's threads, with foreign keys on,
    write-ahead logging (readers do not block the writer) and a 10 s busy timeout.

    Raises
    ------
    ValidationError
        A URL that is neither SQLite nor PostgreSQL, or a SQLite file in a missing folder.
    """
    url = _normalise(url or default_database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:" and not Path(db).parent.is_dir():
            raise ValidationError(
                f"--database-url: the folder of the SQLite file does not exist: {Path(db).parent}"
            )
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest bundled Alembic revision.

    Raises
    ------
    OSError
        The database cannot be reached (the message names it, without the password).
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise OSError(f"cannot open the database {where}: {reason}") from None


def open_database(url: str | None = None) -> Engine:
    """:func:`make_engine` then :func:`migrate`: a database ready to use."""
    engine = make_engine(url)
    migrate(engine)
    return engine
