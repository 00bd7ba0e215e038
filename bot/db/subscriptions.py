"""Subscription rows: lookups, the due query (SKIP LOCKED on PostgreSQL), deactivation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Subscription, utcnow


async def for_chat(session: AsyncSession, chat_id: int) -> Sequence[Subscription]:
    """Every subscription of a chat (active or not), general one first."""
    stmt = select(Subscription).where(Subscription.chat_id == chat_id).order_by(Subscription.topic)
    return (await session.scalars(stmt)).all()


async def get(session: AsyncSession, subscription_id: int) -> Subscription | None:
    """One subscription by id."""
    return await session.get(Subscription, subscription_id)


async def find(session: AsyncSession, chat_id: int, topic: str) -> Subscription | None:
    """The chat's subscription for a topic ("" = every topic), locked for update."""
    stmt = (
        select(Subscription)
        .where(Subscription.chat_id == chat_id, Subscription.topic == topic)
        .with_for_update()
    )
    return (await session.scalars(stmt)).first()


async def count_active(session: AsyncSession, chat_id: int) -> int:
    """How many active subscriptions a chat has."""
    stmt = select(func.count()).where(Subscription.chat_id == chat_id, Subscription.active)
    return int((await session.scalar(stmt)) or 0)


async def due(session: AsyncSession, now: datetime, limit: int) -> Sequence[Subscription]:
    """Active subscriptions whose next delivery is due, locked; other replicas skip them."""
    stmt = (
        select(Subscription)
        .where(Subscription.active, Subscription.next_due_at <= now)
        .order_by(Subscription.next_due_at, Subscription.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(stmt)).all()


async def deactivate_chat(session: AsyncSession, chat_id: int, reason: str) -> int:
    """Switch off every active subscription of a chat; returns how many."""
    result = await session.execute(
        update(Subscription)
        .where(Subscription.chat_id == chat_id, Subscription.active)
        .values(active=False, ended_reason=reason[:64], next_due_at=None, updated_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
