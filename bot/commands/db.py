"""`insightbot db upgrade`: apply the Alembic migrations to DATABASE_URL (also done on start)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import get_settings


def upgrade(args: argparse.Namespace) -> int:
    """Migrate the configured database to the newest schema; prints the revision."""
    del args
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.engine import Database
    from bot.db.migrate import current
    from bot.db.migrate import upgrade as migrate

    settings = get_settings()

    async def _run() -> str | None:
        db = Database(settings.database.url)
        try:
            await migrate(db)
            return await current(db)
        finally:
            await db.dispose()

    try:
        revision = asyncio.run(_run())
    except (SQLAlchemyError, OSError) as exc:
        # The URL may carry a password: show only the error class and the driver's first line.
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"insightbot db upgrade: {type(exc).__name__}: {first[:200]}", file=sys.stderr)
        return 1
    print(f"database at revision {revision}")
    return 0
