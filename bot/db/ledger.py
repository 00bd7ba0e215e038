"""The delivery ledger: queue once per (subscription, local date), claim with a lease, settle."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert
from bot.db.models import Delivery

PENDING, CLAIMED, SENDING = "pending", "claimed", "sending"
SENT, FAILED, UNKNOWN, SKIPPED = "sent", "failed", "unknown", "skipped"
FINAL = (SENT, FAILED, UNKNOWN, SKIPPED)


async def queue(
    session: AsyncSession, subscription_id: int, chat_id: int, local_date: date, now: datetime
) -> bool:
    """Add the delivery for this local date unless it exists; True if this call added it."""
    stmt = (
        insert(session, Delivery)
        .values(
            subscription_id=subscription_id,
            chat_id=chat_id,
            local_date=local_date,
            status=PENDING,
            available_at=now,
            attempts=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Delivery.subscription_id, Delivery.local_date])
    )
    result = await session.execute(stmt)
    return bool(getattr(result, "rowcount", 0))


async def expire_in_flight(session: AsyncSession, now: datetime) -> int:
    """Sends whose worker died mid-request become `unknown`: never resent, so never twice."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == SENDING, Delivery.lease_until < now)
        .values(status=UNKNOWN, error="worker lost during the request")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim(
    session: AsyncSession,
    now: datetime,
    worker: str,
    lease: timedelta,
    limit: int,
    busy: Collection[int] = (),
) -> Sequence[Delivery]:
    """Take up to `limit` ready deliveries, one per chat and none for `busy` chats, leased."""
    # Two index-friendly queries instead of one OR: ready rows, then claims whose lease ran out.
    ready = (
        select(Delivery)
        .where(Delivery.status == PENDING, Delivery.available_at <= now)
        # Index order only (status, available_at): a tie-breaker would sort every ready row.
        .order_by(Delivery.available_at)
        .limit(limit * 4)
        .with_for_update(skip_locked=True)
    )
    expired = (
        select(Delivery)
        .where(Delivery.status == CLAIMED, Delivery.lease_until < now)
        .order_by(Delivery.id)
        .limit(limit * 4)
        .with_for_update(skip_locked=True)
    )
    rows = [*(await session.scalars(expired)).all(), *(await session.scalars(ready)).all()]
    taken: list[Delivery] = []
    chats: set[int] = set(busy)
    for row in rows:
        # One message per chat per batch keeps each chat well under ~1 message/second.
        if row.chat_id in chats or len(taken) >= limit:
            continue
        chats.add(row.chat_id)
        row.status, row.worker, row.lease_until = CLAIMED, worker, now + lease
        taken.append(row)
    return taken


async def mark_sending(
    session: AsyncSession, delivery_id: int, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Move a delivery this worker still holds to `sending`; False if the lease was lost."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == CLAIMED, Delivery.worker == worker)
        .values(status=SENDING, lease_until=now + lease, attempts=Delivery.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0))


async def settle(
    session: AsyncSession,
    delivery_id: int,
    status: str,
    now: datetime,
    *,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    """Record a final outcome."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            status=status,
            message_id=message_id,
            error=error[:200] if error else None,
            sent_at=now if status == SENT else None,
            lease_until=None,
        )
    )


async def retry_at(
    session: AsyncSession, delivery_id: int, when: datetime, error: str | None = None
) -> None:
    """Put a delivery back in the queue, ready at `when` (nothing reached the chat)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=PENDING, available_at=when, worker=None, lease_until=None, error=error)
    )


async def release(session: AsyncSession, ids: Sequence[int], worker: str) -> int:
    """Give back deliveries this worker claimed but did not start (graceful stop)."""
    if not ids:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.status == CLAIMED, Delivery.worker == worker)
        .values(status=PENDING, worker=None, lease_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def set_excerpt(session: AsyncSession, delivery_id: int, excerpt_id: str) -> None:
    """Remember which excerpt this delivery carries (a retry sends the same one)."""
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(excerpt_id=excerpt_id)
    )


async def counts(session: AsyncSession) -> dict[str, int]:
    """Deliveries by status."""
    stmt = select(Delivery.status, func.count()).group_by(Delivery.status)
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


async def outstanding(session: AsyncSession) -> int:
    """Deliveries not yet settled."""
    stmt = select(func.count()).where(Delivery.status.in_((PENDING, CLAIMED, SENDING)))
    return int((await session.scalar(stmt)) or 0)
