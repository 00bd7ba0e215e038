"""/topics, /sources, /speakers: what is in the corpus."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import answer, ask_of


async def topics(update: Update, context: Context) -> None:
    """/topics."""
    await answer(update, context.services.answers.topics(await ask_of(update, context)))


async def sources(update: Update, context: Context) -> None:
    """/sources."""
    await answer(update, context.services.answers.sources(await ask_of(update, context)))


async def speakers(update: Update, context: Context) -> None:
    """/speakers."""
    await answer(update, context.services.answers.speakers(await ask_of(update, context)))
