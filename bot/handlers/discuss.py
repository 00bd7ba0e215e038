"""/discuss [topic]: a quote, an open question and a native poll for the group to answer."""

from __future__ import annotations

from telegram import Update

from bot.context import BotApp, Context
from bot.handlers.common import answer, lang_of
from bot.render import insight as render
from bot.render.reply import Reply
from bot.texts import common as tc
from bot.texts import discuss as t


async def discuss(update: Update, context: Context) -> None:
    """Post a discussion prompt (optionally on a topic), then its agree/disagree poll."""
    lang = await lang_of(update, context)
    chat, svc = update.effective_chat, context.services.daily
    if chat is None or svc is None:
        await answer(update, Reply(tc.not_ready(lang)))
        return
    topic = context.args[0].casefold()[:40] if context.args else None
    found = await svc.insights.discuss(chat.id, topic)
    if found is None:
        await answer(update, Reply(t.nothing(lang, topic)))
        return
    excerpt, question = found
    prompt = render.discussion(excerpt, svc.insights.source_of(excerpt), question, lang)
    await answer(update, prompt.reply)
    await context.bot.send_poll(chat.id, prompt.poll_question, list(prompt.poll_options))


def register(app: BotApp) -> None:
    """Nothing beyond the command (registered from the command table in handlers/menu.py)."""
    del app
