"""Inline mode: `@bot words` in any chat lists matching cards, paged with next_offset."""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest

from bot.context import Context
from bot.handlers.common import lang_of, markup
from bot.services.answers import HELP_LINK, Ask

_log = logging.getLogger(__name__)
CACHE_SECONDS = 300


async def inline(update: Update, context: Context) -> None:
    """Answer an inline query with up to 10 cards per page (50 in all)."""
    query = update.inline_query
    if query is None:
        return
    ask = Ask(await lang_of(update, context), context.bot.username)
    page = context.services.answers.inline(ask, query.query, query.offset)
    results = [
        InlineQueryResultArticle(
            id=a.id,
            title=a.title,
            description=a.description,
            input_message_content=InputTextMessageContent(a.reply.text),
            reply_markup=markup(a.reply),
        )
        for a in page.articles
    ]
    # Labels follow the user's language, so the cache is per user. "No more pages" is sent as
    # no next_offset at all: PTB 22.8 posts an empty string as "[]", which clients echo back.
    try:
        await query.answer(
            results,
            cache_time=CACHE_SECONDS,
            is_personal=True,
            next_offset=page.next_offset or None,
            button=InlineQueryResultsButton(text=page.tip, start_parameter=HELP_LINK)
            if page.tip
            else None,
        )
    except BadRequest as exc:  # the user typed on; Telegram dropped this query (too old)
        _log.info("inline answer refused: %s", exc.message)
