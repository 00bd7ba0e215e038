"""Small helpers every handler shares: the asker's language, and sending a Reply."""

from __future__ import annotations

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.context import Context
from bot.render.reply import Reply
from bot.services.answers import Ask
from bot.texts import Lang, lang_from_code


async def lang_of(update: Update, context: Context) -> Lang:
    """The chat's /lang choice, else the user's Telegram language, else English."""
    chat, user = update.effective_chat, update.effective_user
    chat_id = chat.id if chat else (user.id if user else None)
    chosen = await context.services.prefs.get_lang(chat_id) if chat_id is not None else None
    return chosen or lang_from_code(user.language_code if user else None)


async def ask_of(update: Update, context: Context) -> Ask:
    """Who is asking, for the transport-neutral answers."""
    return Ask(await lang_of(update, context), context.bot.username)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as a Telegram inline keyboard."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.label,
                    callback_data=b.data,
                    switch_inline_query=b.inline_query,
                    url=b.url,
                )
                for b in row
            ]
            for row in reply.buttons
        ]
    )


def in_group(chat: Chat | None) -> bool:
    """Whether the chat is a group or supergroup."""
    return chat is not None and chat.type in (Chat.GROUP, Chat.SUPERGROUP)


async def answer(update: Update, reply: Reply) -> Message | None:
    """Send the reply to the message's chat; in groups as a reply to the asker's message."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(
        reply.text, reply_markup=markup(reply), do_quote=in_group(update.effective_chat)
    )


def command_args(context: Context) -> str:
    """The words after the command, as typed (PTB splits on whitespace)."""
    return " ".join(context.args or ())
