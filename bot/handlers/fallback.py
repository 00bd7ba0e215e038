"""Last resort: unknown commands and non-text messages get a short pointer to /help."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import answer, in_group, lang_of
from bot.render.reply import Reply
from bot.texts import common as t


async def unknown_command(update: Update, context: Context) -> None:
    """A /command nobody handled; in groups only when it was addressed to me (/cmd@me)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split(maxsplit=1)[0][1:]
    name, _, target = word.partition("@")
    if in_group(update.effective_chat) and target.casefold() != context.bot.username.casefold():
        return  # another bot's command, or a bare /cmd meant for someone else
    await answer(update, Reply(t.unknown_command(await lang_of(update, context), name[:32])))


async def not_text(update: Update, context: Context) -> None:
    """A sticker, photo, voice note... in a private chat."""
    await answer(update, Reply(t.text_only(await lang_of(update, context))))
