"""Handler tests: the real Application and corpus, Telegram replaced by a recording transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.application import build_application
from bot.context import BotApp, Services
from bot.services.catalog import Catalog, Snapshot, load_snapshot
from bot.settings import ROOT, Settings, TelegramSettings
from tests.handlers.telegram_fake import Call, Person, RecordingRequest, Updates

TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKENtest00"
ADMIN = Person(42, "Root", "en")


@pytest.fixture(scope="session")
def snapshot() -> Snapshot:
    """The real corpus and index, loaded once for the whole session."""
    return load_snapshot(ROOT / "corpus")


class Harness:
    """Feeds updates to the Application and shows what it sent back."""

    def __init__(self, app: BotApp, request: RecordingRequest) -> None:
        self.app, self.request, self.updates = app, request, Updates()

    @property
    def services(self) -> Services:
        return self.app.bot_data.services

    async def feed(self, update: dict[str, Any]) -> list[Call]:
        """Process one update; the calls it caused (getMe etc. excluded)."""
        before = len(self.request.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.request.calls[before:]

    async def say(
        self, text: str, person: Person, group_id: int | None = None, **extra: Any
    ) -> list[Call]:
        """A person sends a text message."""
        return await self.feed(self.updates.message(text, person, group_id, **extra))

    async def reply(self, text: str, person: Person, group_id: int | None = None) -> Call:
        """A person sends a text message and the bot answers with exactly one message."""
        calls = [c for c in await self.say(text, person, group_id) if c.method == "sendMessage"]
        assert len(calls) == 1, [c.text for c in calls]
        return calls[0]

    async def press(self, person: Person, card: Call, label_part: str) -> list[Call]:
        """A person presses a button (by label) under a message the bot sent."""
        data = card.button(label_part)["callback_data"]
        return await self.feed(self.updates.callback(data, person, card.result))

    def errors_reported(self) -> list[str]:
        """Error reports the error handler sent to the admin."""
        return [c.text for c in self.request.sent() if "insightbot error" in c.text]


async def make_harness(snapshot: Snapshot, request: RecordingRequest | None = None) -> Harness:
    settings = Settings(
        telegram=TelegramSettings(bot_token=TOKEN), admin_user_ids=frozenset({ADMIN.id})
    )
    request = request or RecordingRequest()
    services = Services(settings, catalog=Catalog(snapshot))
    app = build_application(settings, request=request, services=services)
    await app.initialize()
    return Harness(app, request)


@pytest.fixture
async def bot(snapshot: Snapshot) -> AsyncIterator[Harness]:
    """A started Application on the real corpus; fails the test on any request Telegram refuses."""
    harness = await make_harness(snapshot)
    try:
        yield harness
    finally:
        await harness.app.shutdown()
    assert harness.request.violations == []
    assert harness.errors_reported() == []


@pytest.fixture
def alice() -> Person:
    return Person(1001, "Alice", "en")


@pytest.fixture
def li() -> Person:
    return Person(1002, "李雷", "zh-hans")
