"""/stats for the bot's admins (ADMIN_USER_IDS)."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import answer, lang_of
from bot.render.reply import Reply
from bot.texts import admin as t
from bot.texts import common as tc


async def stats(update: Update, context: Context) -> None:
    """Uptime, chats, queries today, top queries and misses."""
    lang = await lang_of(update, context)
    user = update.effective_user
    if user is None or user.id not in context.services.settings.admin_user_ids:
        await answer(update, Reply(tc.admins_only(lang)))
        return
    s = context.services.stats
    text = t.stats(lang, s.uptime(), s.chats, s.queries_today, s.top(), s.misses())
    await answer(update, Reply(text))
