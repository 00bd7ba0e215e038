"""The daily feature's services, built together on one Database and started/stopped together."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.model import Corpus
from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.insights import QuestionBank, load_questions
from bot.services.budget import SendBudget
from bot.services.catalog import Catalog
from bot.services.chats import ChatService, DbChatPrefs
from bot.services.daily import InsightService
from bot.services.deliveries import DeliveryRunner
from bot.services.subscriptions import SubscriptionService
from bot.settings import Settings

_log = logging.getLogger(__name__)


def questions_from(corpus_dir: Path) -> QuestionBank:
    """The curated questions (corpus/questions.toml); problems are logged, never fatal."""
    bank, problems = load_questions(corpus_dir / "questions.toml")
    for problem in problems:
        _log.warning("questions: %s", problem)
    return bank


@dataclass
class DailyServices:
    """Subscriptions, chats, insights, the send budget and the delivery runner."""

    db: Database
    chats: ChatService
    prefs: DbChatPrefs
    subscriptions: SubscriptionService
    insights: InsightService
    budget: SendBudget
    runner: DeliveryRunner

    @classmethod
    def build(
        cls,
        settings: Settings,
        catalog: Catalog,
        *,
        db: Database | None = None,
        questions: QuestionBank | None = None,
    ) -> DailyServices:
        """Wire everything on `db` (default: DATABASE_URL)."""
        db = db or Database(settings.database.url)
        daily = settings.daily

        def corpus() -> Corpus:
            return catalog.current.corpus

        bank = questions if questions is not None else questions_from(settings.corpus_dir)
        insights = InsightService(db, corpus, bank)
        budget = SendBudget(db, daily.send_rate_per_second)
        return cls(
            db=db,
            chats=ChatService(db),
            prefs=DbChatPrefs(db),
            subscriptions=SubscriptionService(db, daily.default_time, daily.default_timezone),
            insights=insights,
            budget=budget,
            runner=DeliveryRunner(db, insights, budget, lease_seconds=daily.lease_seconds),
        )

    async def start(self) -> None:
        """Apply migrations (every replica may do this; they serialise on a lock)."""
        await upgrade(self.db)

    async def stop(self) -> None:
        """Let in-flight deliveries settle (call while the bot can still send)."""
        await self.runner.stop()

    async def close(self) -> None:
        """Close the database pool."""
        await self.db.dispose()
