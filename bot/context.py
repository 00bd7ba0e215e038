"""Typed access to the bot's services from every handler: `context.services.catalog`, etc."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.services.answers import Answers
from bot.services.catalog import Catalog
from bot.services.daily_services import DailyServices
from bot.services.flood import FloodControl
from bot.services.memo import QueryMemo
from bot.services.prefs import ChatPrefs, MemoryChatPrefs
from bot.services.stats import Stats
from bot.settings import Settings


@dataclass
class Services:
    """Everything handlers use, built once by the composition root (bot/application.py)."""

    settings: Settings
    catalog: Catalog = field(default_factory=Catalog)
    prefs: ChatPrefs = field(default_factory=MemoryChatPrefs)
    stats: Stats = field(default_factory=Stats)
    flood: FloodControl = field(default_factory=FloodControl)
    memo: QueryMemo = field(default_factory=QueryMemo)
    daily: DailyServices | None = None  # database-backed; built in post_init (or by a test)
    answers: Answers = field(init=False)

    def __post_init__(self) -> None:
        self.answers = Answers(
            self.catalog,
            self.memo,
            self.stats,
            page_size=self.settings.search.page_size,
            max_query=self.settings.search.max_query_chars,
        )


class BotData:
    """Application-wide data: holds the Services (PTB creates one instance per Application)."""

    services: Services


class Context(CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]):
    """The CallbackContext every handler receives, with typed `.services`."""

    @property
    def services(self) -> Services:
        """The bot's services."""
        return self.bot_data.services


BotApp = Application[
    ExtBot[None],
    Context,
    dict[object, object],
    dict[object, object],
    BotData,
    JobQueue[Context],
]
