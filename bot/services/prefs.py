"""Per-chat preferences (the chat's language) behind an interface the database will back."""

from __future__ import annotations

from typing import Protocol

from bot.texts import Lang


class ChatPrefs(Protocol):
    """Where a chat's chosen language lives; None means "follow the user's Telegram language"."""

    async def get_lang(self, chat_id: int) -> Lang | None:
        """The language set for this chat with /lang, if any."""
        ...

    async def set_lang(self, chat_id: int, lang: Lang) -> None:
        """Remember this chat's language."""
        ...


class MemoryChatPrefs:
    """In-process ChatPrefs: forgotten on restart; used until the chats table backs it."""

    def __init__(self) -> None:
        self._langs: dict[int, Lang] = {}

    async def get_lang(self, chat_id: int) -> Lang | None:
        """The language set for this chat with /lang, if any."""
        return self._langs.get(chat_id)

    async def set_lang(self, chat_id: int, lang: Lang) -> None:
        """Remember this chat's language."""
        self._langs[chat_id] = lang
