"""Guards that run before every feature (low handler groups): what not to answer, flood control."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.context import BotApp, Context
from bot.handlers.common import in_group, lang_of
from bot.services.flood import Verdict
from bot.texts import common as t

_log = logging.getLogger(__name__)

GROUP_IGNORE = -2  # first: drop updates the bot must never answer
GROUP_FLOOD = -1  # then: per-user and per-group flood control


async def ignore(update: Update, context: Context) -> None:
    """Stop edited messages, channel posts and bots' messages before any feature sees them."""
    # An edit would make the bot answer the same question twice; channels are not conversations.
    if update.edited_message or update.channel_post or update.edited_channel_post:
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is not None and user.is_bot and update.inline_query is None:
        raise ApplicationHandlerStop
    if update.effective_chat is not None:
        context.services.stats.saw_chat(update.effective_chat.id)


async def flood(update: Update, context: Context) -> None:
    """Refuse what is over the limit: one polite notice, then silence until the window clears."""
    if update.inline_query is not None or (
        update.message is None and update.callback_query is None
    ):
        return  # Telegram already debounces inline queries; member updates are not replies
    user, chat = update.effective_user, update.effective_chat
    verdict = context.services.flood.check(
        user.id if user else None, chat.id if in_group(chat) and chat else None
    )
    if verdict is Verdict.ALLOW:
        return
    _log.info("flood control: %s user=%s", verdict.value, user.id if user else None)
    if verdict is Verdict.WARN:
        text = t.slow_down(await lang_of(update, context))
        if update.callback_query is not None:
            with contextlib.suppress(BadRequest):  # a press too old to answer
                await update.callback_query.answer(text)
        elif update.message is not None:
            await update.message.reply_text(text)
    elif update.callback_query is not None:
        with contextlib.suppress(BadRequest):
            await update.callback_query.answer()  # stop the spinner, say nothing
    raise ApplicationHandlerStop


def register(app: BotApp) -> None:
    """Add the guards in their groups."""
    app.add_handler(TypeHandler(Update, ignore), group=GROUP_IGNORE)
    app.add_handler(TypeHandler(Update, flood), group=GROUP_FLOOD)
