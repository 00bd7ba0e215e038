"""The global error handler: log first, tell the admins (no secrets), apologise to the user."""

from __future__ import annotations

import contextlib
import logging
import time
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.common import lang_of
from bot.observability.logging import RedactSecrets, secrets_of
from bot.texts import admin as t
from bot.texts import common as tc

_log = logging.getLogger(__name__)
_REPORT_CHARS = 3000  # the tail of the traceback; the message limit is 4096
REPORT_EVERY_SECONDS = 60.0  # one report per kind of error a minute: an outage is not a storm
_last_report: dict[str, float] = {}


def _where(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = ("message", "callback_query", "inline_query")
    kind = next((k for k in kinds if getattr(update, k)), "update")
    chat = update.effective_chat
    return f"update {update.update_id} ({kind}, chat {chat.id if chat else '-'})"


def _due(kind: str) -> bool:
    now = time.monotonic()
    if now - _last_report.get(kind, -REPORT_EVERY_SECONDS) < REPORT_EVERY_SECONDS:
        return False
    _last_report[kind] = now
    return True


async def on_error(update: object, context: Context) -> None:
    """Handle any exception a handler or job raised."""
    error = context.error
    if error is None:
        return
    redactor = RedactSecrets(secrets_of(context.services.settings))
    where = _where(update)
    trace = redactor.redact(
        "".join(traceback.format_exception(type(error), error, error.__traceback__))
    )
    _log.error("error in %s: %s", where, trace)
    if _due(type(error).__name__):
        report = t.error_report(trace[-_REPORT_CHARS:], where)
        for admin_id in context.services.settings.admin_user_ids:
            try:
                await context.bot.send_message(admin_id, report)
            except TelegramError as exc:  # the admin never started the bot, or blocked it
                _log.warning("could not notify admin %s: %s", admin_id, redactor.redact(str(exc)))
    if isinstance(update, Update) and update.effective_message is not None:
        apology = tc.something_went_wrong(await lang_of(update, context))
        # Best effort: the error is already logged and reported.
        with contextlib.suppress(TelegramError):
            await update.effective_message.reply_text(apology)
