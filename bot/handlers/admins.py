"""Who may change a chat's settings (language, daily): anyone in private, admins in groups."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import in_group


async def may_manage(update: Update, context: Context) -> bool:
    """Whether the sender (or button presser) may change this chat's settings."""
    chat, user, message = update.effective_chat, update.effective_user, update.message
    if chat is None or not in_group(chat):
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous admin posts as the group
    if user is None:
        return False
    if user.id in context.services.settings.admin_user_ids:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
