"""/start (with deep links) and /help."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import answer, ask_of, in_group


async def start(update: Update, context: Context) -> None:
    """Welcome, or open the excerpt named by a deep link (?start=q_<id>)."""
    user = update.effective_user
    payload = context.args[0] if context.args else None
    reply = context.services.answers.start(
        await ask_of(update, context), payload, user.first_name if user else None
    )
    await answer(update, reply)


async def help_(update: Update, context: Context) -> None:
    """Commands and search syntax."""
    reply = context.services.answers.help(
        await ask_of(update, context), in_group(update.effective_chat)
    )
    await answer(update, reply)
