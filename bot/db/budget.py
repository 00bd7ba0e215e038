"""The shared send budget row: reserve the next send instant, pause on RetryAfter."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert
from bot.db.models import SendBudget

GLOBAL = "global"


async def _row(session: AsyncSession, name: str) -> SendBudget:
    await session.execute(
        insert(session, SendBudget)
        .values(name=name, next_at=0.0, paused_until=0.0)
        .on_conflict_do_nothing(index_elements=[SendBudget.name])
    )
    # FOR UPDATE serialises replicas on PostgreSQL; SQLite's BEGIN IMMEDIATE already does.
    stmt = select(SendBudget).where(SendBudget.name == name).with_for_update()
    row = (await session.scalars(stmt.execution_options(populate_existing=True))).one()
    return row


async def reserve(
    session: AsyncSession,
    now: float,
    interval: float,
    name: str = GLOBAL,
    clock: Callable[[], float] | None = None,
) -> float:
    """Book the next free send instant (epoch seconds, >= now) and move the budget past it.

    Strict pacing (no burst): consecutive sends across all replicas are `interval` apart, the
    "virtual scheduling" form of a token bucket holding one token.
    """
    row = await _row(session, name)
    if clock is not None:
        # Read the time after the row lock: waiting for another replica's lock must not leave
        # `now` stale, or the slot lands in the past and sends bunch up (over the budget).
        now = max(now, clock())
    at = max(now, row.next_at, row.paused_until)
    row.next_at = at + interval
    return at


async def pause(session: AsyncSession, until: float, name: str = GLOBAL) -> None:
    """Stop every replica's sending until `until` (Telegram's retry_after)."""
    row = await _row(session, name)
    row.paused_until = max(row.paused_until, until)
    row.next_at = max(row.next_at, until)
