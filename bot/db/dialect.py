"""Backend-specific INSERT ... ON CONFLICT for SQLite and PostgreSQL (the same API on both)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT construct with `.on_conflict_do_nothing/do_update` for the session's backend."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
