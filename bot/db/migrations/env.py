"""Alembic environment: runs on the connection bot.db.migrate passes in (sync, via run_sync)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from bot.db.models import Base

# Any fixed number: all replicas take the same advisory lock so only one migrates at a time.
_MIGRATION_LOCK = 0x1D5B07

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `insightbot db upgrade` (bot.db.migrate)")
_run(connection)
