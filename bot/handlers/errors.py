"""The global error handler: log first, tell the admins (no secrets), apologise to the user."""

from __future__ import annotations

import contextlib
import logging
import re
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import lang_of
from bot.texts import admin as t
from bot.texts import common as tc

_log = logging.getLogger(__name__)
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_REPORT_CHARS = 3000  # the tail of the traceback; the message limit is 4096


def scrub(text: str, secrets: list[str]) -> str:
    """Remove configured secrets and anything shaped like a bot token."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return _TOKEN_SHAPE.sub("[REDACTED]", text)


def _secrets(context: Context) -> list[str]:
    settings = context.services.settings
    values = [settings.telegram.bot_token, settings.webhook.secret_token]
    return [v.get_secret_value() for v in values if v is not None]


def _where(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next(
        (k for k in ("message", "callback_query", "inline_query") if getattr(update, k)), "update"
    )
    chat = update.effective_chat
    return f"update {update.update_id} ({kind}, chat {chat.id if chat else '-'})"


async def on_error(update: object, context: Context) -> None:
    """Handle any exception a handler or job raised."""
    error = context.error
    if error is None:
        return
    secrets = _secrets(context)
    where = _where(update)
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    _log.error("error in %s: %s", where, scrub(trace, secrets))
    report = t.error_report(scrub(trace, secrets)[-_REPORT_CHARS:], where)
    for admin_id in context.services.settings.admin_user_ids:
        try:
            await context.bot.send_message(admin_id, report)
        except TelegramError as exc:  # the admin never started the bot, or blocked it
            _log.warning("could not notify admin %s: %s", admin_id, scrub(str(exc), secrets))
    if isinstance(update, Update) and update.effective_message is not None:
        apology = tc.something_went_wrong(await lang_of(update, context))
        # Best effort: the error is already logged and reported.
        with contextlib.suppress(TelegramError):
            await update.effective_message.reply_text(apology)
