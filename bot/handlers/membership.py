"""Keep the chats table honest: MY_CHAT_MEMBER (added, blocked, kicked) and group migrations."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot.context import BotApp, Context

_PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def my_chat_member(update: Update, context: Context) -> None:
    """The bot was added, promoted, blocked or removed: record it; removal ends subscriptions."""
    change, svc = update.my_chat_member, context.services.daily
    if change is None or svc is None:
        return
    new = change.new_chat_member
    member = new.status in _PRESENT or (
        isinstance(new, ChatMemberRestricted) and new.is_member and new.can_send_messages
    )
    chat = change.chat
    await svc.chats.membership(chat.id, chat.type, chat.title, member)


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: move its subscriptions to the new chat id."""
    message, svc = update.effective_message, context.services.daily
    if message is None or svc is None:
        return
    if message.migrate_to_chat_id:
        await svc.chats.migrate(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await svc.chats.migrate(message.migrate_from_chat_id, message.chat.id)


def register(app: BotApp) -> None:
    """Membership and migration handlers (status updates no other handler answers)."""
    app.add_handler(ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
