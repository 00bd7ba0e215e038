"""`insightbot run`: start the real bot (long polling, or --webhook)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from telegram import Update

from bot.settings import Settings, get_settings
from bot.texts.console import no_token


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings, with --corpus applied."""
    settings = get_settings()
    if getattr(args, "corpus", None):
        settings.corpus_dir = args.corpus
    return settings


def run(args: argparse.Namespace) -> int:
    """Run until interrupted; exit 2 with instructions when there is no token."""
    settings = settings_for(args)
    if settings.telegram.bot_token is None:
        print(no_token(), file=sys.stderr)
        return 2
    from bot.application import build_application
    from bot.observability.logging import configure_logging

    if getattr(args, "webhook", False):
        from bot.web.readiness import readiness_for
        from bot.web.server import serve_webhook, webhook_config

        config = webhook_config(settings)  # a missing WEBHOOK_* fails here, before any start-up
        configure_logging(settings)
        app = build_application(settings)
        asyncio.run(serve_webhook(app, config, readiness_for(app.bot_data.services)))
        return 0
    configure_logging(settings)
    app = build_application(settings)
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
