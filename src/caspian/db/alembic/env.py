"""Alembic environment: migrations run on the connection :func:`caspian.db.migrate` passes."""

from __future__ import annotations

from alembic import context

from caspian.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through caspian.db.migrate
    raise RuntimeError("run the migrations with caspian.db.migrate(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
