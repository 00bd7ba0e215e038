"""The ONE ordered registration list: guards, features, fallbacks, the error handler.

Order matters. Groups run in ascending order and every group gets a chance at an update:
guards sit in negative groups and stop what must not be answered (ApplicationHandlerStop).
Within group 0 the first matching handler wins, so specific handlers come before catch-alls.
"""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, InlineQueryHandler, MessageHandler, filters

from bot.context import BotApp
from bot.handlers import (
    daily,
    discuss,
    errors,
    fallback,
    guards,
    inline,
    membership,
    menu,
    quotes,
)


def register(app: BotApp) -> None:
    """Add every handler to the application, in order."""
    guards.register(app)  # groups -2 (ignore) and -1 (flood control)

    app.add_handlers(menu.handlers())  # every /command, from the one table
    # Daily buttons ("dly:" data) must precede the card-button catch-all just below.
    daily.register(app)
    discuss.register(app)
    membership.register(app)  # MY_CHAT_MEMBER and group -> supergroup migrations
    app.add_handler(CallbackQueryHandler(quotes.button))  # all card and list buttons
    app.add_handler(InlineQueryHandler(inline.inline))

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, quotes.text))
    app.add_handler(MessageHandler(filters.COMMAND, fallback.unknown_command))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            fallback.not_text,
        )
    )
    app.add_error_handler(errors.on_error)
