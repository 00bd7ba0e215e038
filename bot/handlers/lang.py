"""/lang en|zh: the chat's language (in groups only admins may change it)."""

from __future__ import annotations

from telegram import ChatMember, Update

from bot.context import Context
from bot.handlers.common import answer, in_group, lang_of
from bot.render.reply import Reply
from bot.texts import LANGS, Lang
from bot.texts import common as t


async def _may_change(update: Update, context: Context) -> bool:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if not in_group(chat) or chat is None:
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous admin posts as the group
    if user is None:
        return False
    if user.id in context.services.settings.admin_user_ids:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def lang(update: Update, context: Context) -> None:
    """Set the chat's language, or explain the choices."""
    current = await lang_of(update, context)
    wanted = (context.args[0].casefold() if context.args else "")[:8]
    chat = update.effective_chat
    if wanted not in LANGS or chat is None:
        await answer(update, Reply(t.lang_usage(current)))
        return
    if not await _may_change(update, context):
        await answer(update, Reply(t.lang_admins_only(current)))
        return
    chosen: Lang = "zh" if wanted == "zh" else "en"
    await context.services.prefs.set_lang(chat.id, chosen)
    await answer(update, Reply(t.lang_set(chosen)))
