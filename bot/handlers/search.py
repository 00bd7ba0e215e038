"""/search: a paged list of matches (its page buttons are handled with the card buttons)."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import answer, ask_of, command_args


async def search(update: Update, context: Context) -> None:
    """/search words: the first page of matches."""
    reply = context.services.answers.search(await ask_of(update, context), command_args(context))
    await answer(update, reply)
