"""The composition root: the one place that builds the Application and its services."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import handlers
from bot.context import BotApp, BotData, Context, Services
from bot.handlers import menu
from bot.jobs import daily as daily_job
from bot.observability.metrics import InstrumentedUpdateProcessor
from bot.services.daily_services import DailyServices
from bot.services.prefs import MemoryChatPrefs
from bot.settings import Settings, SettingsError
from bot.texts.console import starting

_log = logging.getLogger(__name__)


def file_url(api_base_url: str) -> str:
    """The file-download base for a Bot API base URL (…/bot -> …/file/bot)."""
    if api_base_url.endswith("/bot"):
        return api_base_url.removesuffix("bot") + "file/bot"
    return api_base_url + "/file"


def build_application(
    settings: Settings, request: BaseRequest | None = None, *, services: Services | None = None
) -> BotApp:
    """A ready-to-run Application; `request` replaces the HTTP transport (tests)."""
    if settings.telegram.bot_token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram.bot_token.get_secret_value())
        .context_types(ContextTypes(context=Context, bot_data=BotData))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A group reply still arrives when the asker deleted their message meanwhile.
                allow_sending_without_reply=True,
            )
        )
        # Paces every send within Telegram's flood limits and retries a 429 once.
        .rate_limiter(AIORateLimiter(max_retries=1))
        # Different chats are answered concurrently; a burst does not queue behind one reply.
        # The processor also times and counts every update for /metrics (polling and webhook).
        .concurrent_updates(InstrumentedUpdateProcessor(32))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram.api_base_url:
        base = settings.telegram.api_base_url
        builder = builder.base_url(base).base_file_url(file_url(base))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: BotApp = builder.build()  # type: ignore[assignment]
    app.bot_data.services = services or Services(settings)
    handlers.register(app)
    daily_job.register(app)
    return app


async def _post_init(app: BotApp) -> None:
    """Load the corpus (off the event loop) and publish the command menus."""
    services = app.bot_data.services
    if not services.catalog.ready:
        await services.catalog.load(services.settings.corpus_dir)
    snapshot = services.catalog.current
    if services.daily is None:
        services.daily = DailyServices.build(services.settings, services.catalog)
    await services.daily.start()  # Alembic migrations, on every start
    if isinstance(services.prefs, MemoryChatPrefs):
        services.prefs = services.daily.prefs  # /lang choices live in the chats table
    _log.info(starting(len(snapshot.corpus.excerpts)))
    await menu.publish(app, services.settings.admin_user_ids)


async def _post_stop(app: BotApp) -> None:
    """Let in-flight daily deliveries settle while the bot can still send."""
    daily = app.bot_data.services.daily
    if daily is not None:
        await daily.stop()


async def _post_shutdown(app: BotApp) -> None:
    """Release what post_init acquired (the corpus is plain memory; the database pool)."""
    daily = app.bot_data.services.daily
    if daily is not None:
        await daily.close()
    _log.info("insightbot stopped")
