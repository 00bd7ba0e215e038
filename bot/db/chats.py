"""Chat rows: upsert from updates, membership, language, time zone, supergroup migration."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.dialect import insert
from bot.db.models import Chat, DeckCard, Delivery, Subscription, utcnow


async def get(session: AsyncSession, chat_id: int) -> Chat | None:
    """The chat row, if the bot has seen this chat."""
    return await session.get(Chat, chat_id)


async def ensure(
    session: AsyncSession, chat_id: int, type_: str, title: str | None, *, member: bool = True
) -> Chat:
    """Insert or refresh a chat's kind and title (race-free on both backends)."""
    stmt = insert(session, Chat).values(
        id=chat_id,
        type=type_,
        title=title,
        is_member=member,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Chat.id],
        set_={"type": type_, "title": title, "is_member": member, "updated_at": utcnow()},
    )
    await session.execute(stmt)
    chat = await session.get(Chat, chat_id, populate_existing=True)
    assert chat is not None
    return chat


async def set_member(session: AsyncSession, chat_id: int, member: bool) -> None:
    """Record whether the bot can still post in the chat."""
    await session.execute(
        update(Chat).where(Chat.id == chat_id).values(is_member=member, updated_at=utcnow())
    )


async def set_language(session: AsyncSession, chat_id: int, language: str | None) -> None:
    """Remember the chat's language (the row must exist: call ensure first)."""
    await session.execute(update(Chat).where(Chat.id == chat_id).values(language=language))


async def migrate(session: AsyncSession, old_id: int, new_id: int) -> int:
    """Move a group's settings, subscriptions and pending work to its supergroup id.

    Returns how many subscriptions moved. Subscriptions the new chat already has for the same
    topic win; the old duplicates are switched off.
    """
    old = await session.get(Chat, old_id)
    if old is None:
        return 0
    new = await session.get(Chat, new_id)
    if new is None:
        new = Chat(
            id=new_id,
            type="supergroup",
            title=old.title,
            language=old.language,
            timezone=old.timezone,
            is_member=True,
        )
        session.add(new)
        await session.flush()
    taken = set(
        await session.scalars(select(Subscription.topic).where(Subscription.chat_id == new_id))
    )
    moved = 0
    for sub in await session.scalars(select(Subscription).where(Subscription.chat_id == old_id)):
        if sub.topic in taken:
            sub.active = False
            sub.ended_reason = "migrated (duplicate)"
            continue
        sub.chat_id = new_id
        moved += 1
    await session.execute(
        update(Delivery)
        .where(Delivery.chat_id == old_id, Delivery.status.in_(("pending", "claimed", "sending")))
        .values(chat_id=new_id)
    )
    await session.execute(
        update(DeckCard).where(DeckCard.deck == f"d:{old_id}").values(deck=f"d:{new_id}")
    )
    old.is_member = False
    old.migrated_to = new_id
    return moved
