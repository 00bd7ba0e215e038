"""Deck rows: what a subscription's (or a chat's discussion) deck has dealt, as a DeckState."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DeckCard, utcnow
from bot.insights import RECENT, DeckState, Pick


async def state(session: AsyncSession, deck: str) -> DeckState:
    """The deck's current cycle, the ids dealt in it and the last few picks."""
    cycle = await session.scalar(select(func.max(DeckCard.cycle)).where(DeckCard.deck == deck))
    if cycle is None:
        return DeckState()
    seen = await session.scalars(
        select(DeckCard.excerpt_id).where(DeckCard.deck == deck, DeckCard.cycle == cycle)
    )
    recent = await session.scalars(
        select(DeckCard.excerpt_id)
        .where(DeckCard.deck == deck)
        .order_by(DeckCard.seq.desc())
        .limit(RECENT)
    )
    return DeckState(int(cycle), frozenset(seen), tuple(reversed(recent.all())))


async def deal(session: AsyncSession, deck: str, pick: Pick) -> None:
    """Record a dealt card; older cycles are pruned (only the last one feeds `recent`)."""
    last = await session.scalar(select(func.max(DeckCard.seq)).where(DeckCard.deck == deck))
    session.add(
        DeckCard(
            deck=deck,
            seq=(last or 0) + 1,
            excerpt_id=pick.excerpt.id,
            cycle=pick.cycle,
            dealt_at=utcnow(),
        )
    )
    await session.execute(
        delete(DeckCard).where(DeckCard.deck == deck, DeckCard.cycle < pick.cycle - 1)
    )
