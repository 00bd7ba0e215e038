"""/quote, /random, plain-text searches, and the card buttons."""

from __future__ import annotations

import contextlib
import logging
import re

from telegram import Message, MessageEntity, Update
from telegram.error import BadRequest

from bot.context import Context
from bot.handlers.common import answer, ask_of, command_args, in_group, markup

_log = logging.getLogger(__name__)


async def quote(update: Update, context: Context) -> None:
    """/quote words: the best match as a card."""
    reply = context.services.answers.quote(await ask_of(update, context), command_args(context))
    await answer(update, reply)


async def random_(update: Update, context: Context) -> None:
    """/random [topic]."""
    reply = context.services.answers.random(await ask_of(update, context), command_args(context))
    await answer(update, reply)


def _addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The text of a group message meant for the bot (mention or reply), mention removed."""
    text = message.text or ""
    replied = message.reply_to_message
    to_me = replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
    mention = f"@{username}".casefold()
    for value in message.parse_entities([MessageEntity.MENTION]).values():
        if value.casefold() == mention:
            to_me = True
            text = text.replace(value, " ")
    return text if to_me else None


async def text(update: Update, context: Context) -> None:
    """Plain text: a search in private chats; in groups only when it mentions or replies to me."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    words: str | None = message.text
    if in_group(update.effective_chat):
        words = _addressed_text(message, context.bot.username, context.bot.id)
        if words is None:
            return
    reply = context.services.answers.quote(await ask_of(update, context), words)
    await answer(update, reply)


_NOT_MODIFIED = re.compile("not modified", re.I)


async def button(update: Update, context: Context) -> None:
    """A card button: edit the card in place (or send a new one); stale data gets a toast."""
    query = update.callback_query
    if query is None:
        return
    message_text = getattr(query.message, "text", None)
    press = context.services.answers.press(await ask_of(update, context), query.data, message_text)
    with contextlib.suppress(BadRequest):  # "query is too old" after a restart: edit anyway
        await query.answer(press.notice)
    if press.reply is None:
        return
    keyboard = markup(press.reply)
    chat_id = query.message.chat.id if query.message is not None else None
    if press.new_message and chat_id is not None:
        await context.bot.send_message(chat_id, press.reply.text, reply_markup=keyboard)
        return
    try:
        await query.edit_message_text(press.reply.text, reply_markup=keyboard)
    except BadRequest as exc:
        if _NOT_MODIFIED.search(exc.message):
            return  # the same card pressed twice
        if chat_id is None:
            raise
        # Too old to edit (or deleted): send the card fresh instead of failing the press.
        _log.info("edit failed (%s); sending a new message", exc.message)
        await context.bot.send_message(chat_id, press.reply.text, reply_markup=keyboard)
