"""Chats in the database: membership (MY_CHAT_MEMBER), migration, and ChatPrefs on the table."""

from __future__ import annotations

import logging

from bot.db import chats as chats_repo
from bot.db import subscriptions as subs_repo
from bot.db.engine import Database
from bot.texts import Lang

_log = logging.getLogger(__name__)


class ChatService:
    """Keeps the chats table honest; each call is one unit of work."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def seen(self, chat_id: int, type_: str, title: str | None) -> None:
        """Record a chat the bot is in (kind and title may have changed)."""
        async with self._db.sessions.begin() as session:
            await chats_repo.ensure(session, chat_id, type_, title)

    async def membership(self, chat_id: int, type_: str, title: str | None, member: bool) -> int:
        """The bot joined or left a chat; leaving ends its subscriptions (returns how many)."""
        async with self._db.sessions.begin() as session:
            await chats_repo.ensure(session, chat_id, type_, title, member=member)
            if member:
                return 0
            ended = await subs_repo.deactivate_chat(session, chat_id, "bot removed")
        if ended:
            _log.info("chat %s removed the bot; %d subscription(s) ended", chat_id, ended)
        return ended

    async def migrate(self, old_id: int, new_id: int) -> int:
        """A group became a supergroup: keep its subscriptions under the new id."""
        async with self._db.sessions.begin() as session:
            moved = await chats_repo.migrate(session, old_id, new_id)
        _log.info("chat %s migrated to %s; %d subscription(s) moved", old_id, new_id, moved)
        return moved


class DbChatPrefs:
    """ChatPrefs backed by the chats table, so /lang survives restarts and replicas."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_lang(self, chat_id: int) -> Lang | None:
        """The language set for this chat with /lang, if any."""
        async with self._db.sessions() as session:
            chat = await chats_repo.get(session, chat_id)
        if chat is None or chat.language not in ("en", "zh"):
            return None
        return "zh" if chat.language == "zh" else "en"

    async def set_lang(self, chat_id: int, lang: Lang) -> None:
        """Remember this chat's language."""
        async with self._db.sessions.begin() as session:
            if await chats_repo.get(session, chat_id) is None:
                # The kind is refreshed by the next update from this chat.
                kind = "private" if chat_id > 0 else "group"
                await chats_repo.ensure(session, chat_id, kind, None)
            await chats_repo.set_language(session, chat_id, lang)
