"""Database fixtures: every test runs on SQLite and on PostgreSQL, each in a fresh, private schema.

PostgreSQL comes from TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Each test gets its own schema (dropped afterwards), so parallel runs never collide. When the
server is unreachable the PostgreSQL cases are skipped locally but FAIL in CI (CI=true).
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest
from sqlalchemy import text

from bot.db.engine import Database
from bot.db.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """The PostgreSQL server the tests use."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)


@functools.cache
def _reachable(url: str) -> str | None:
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(plain, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)


def require_postgres() -> str:
    """The URL, or skip (locally) / fail (CI) when the server cannot be reached."""
    url = postgres_url()
    problem = _reachable(url)
    if problem is not None:
        message = f"PostgreSQL at {url} is unreachable: {problem}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (CI requires it; set TEST_POSTGRES_URL)")
        pytest.skip(message + " (set TEST_POSTGRES_URL; required in CI)")
    return url


async def make_database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A migrated, empty database of this kind."""
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        db = Database(f"sqlite+aiosqlite:///{path}")
    else:
        url = require_postgres()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = Database(url)
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
        db = Database(url, schema=schema)
    await upgrade(db)
    return db


async def drop_database(db: Database) -> None:
    """Dispose the engine; drop the private PostgreSQL schema."""
    await db.dispose()
    if db.schema:
        admin = Database(str(db.url.render_as_string(hide_password=False)))
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{db.schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """A fresh migrated database; the test runs once per backend."""
    db = await make_database(request.param, tmp_path_factory)
    try:
        yield db
    finally:
        await drop_database(db)
