"""/lang en|zh: the chat's language (in groups only admins may change it)."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.admins import may_manage
from bot.handlers.common import answer, lang_of
from bot.render.reply import Reply
from bot.texts import LANGS, Lang
from bot.texts import common as t


async def lang(update: Update, context: Context) -> None:
    """Set the chat's language, or explain the choices."""
    current = await lang_of(update, context)
    wanted = (context.args[0].casefold() if context.args else "")[:8]
    chat = update.effective_chat
    if wanted not in LANGS or chat is None:
        await answer(update, Reply(t.lang_usage(current)))
        return
    if not await may_manage(update, context):
        await answer(update, Reply(t.lang_admins_only(current)))
        return
    chosen: Lang = "zh" if wanted == "zh" else "en"
    await context.services.prefs.set_lang(chat.id, chosen)
    await answer(update, Reply(t.lang_set(chosen)))
