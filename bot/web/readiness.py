"""What /readyz checks: the corpus is loaded and the database answers."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import text

from bot.context import Services
from bot.web.app import Readiness


def readiness_for(services: Services) -> Readiness:
    """A readiness check over the bot's services (read at call time: post_init fills them)."""

    async def check() -> Mapping[str, bool]:
        database = False
        if services.daily is not None:
            try:
                async with services.daily.db.engine.connect() as conn:
                    database = (await conn.scalar(text("SELECT 1"))) == 1
            except Exception:  # a probe reports; /readyz logs nothing per failed check
                database = False
        return {"corpus": services.catalog.ready, "database": database}

    return check
