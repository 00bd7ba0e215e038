"""The real `insightbot run` process delivering daily insights: once per chat, across restarts.

Time is moved by editing the database the bot reads (it is the scheduler's only source of
truth): a subscription is made due by setting its next delivery to a moment ago.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.db import ledger
from bot.db.engine import Database
from bot.db.models import Subscription
from tests.e2e.conftest import Conversation, bot_env, insightbot_command, wait_polling
from tests.e2e.fake_api.server import FakeBotApi, Sent
from tests.handlers.telegram_fake import Person

pytestmark = pytest.mark.e2e

FIRST_CHAT = 30_000_000


class BotProcess:
    """`insightbot run` with a fast daily tick; can be stopped (SIGTERM/SIGKILL) and restarted."""

    def __init__(self, api: FakeBotApi, workdir: Path, rate: float = 25) -> None:
        self.api, self.workdir = api, workdir
        self.env = bot_env(api, workdir) | {
            "DAILY_TICK_SECONDS": "1",
            "DAILY_SEND_RATE_PER_SECOND": str(rate),
            "DAILY_LEASE_SECONDS": "3",
        }
        self.process: asyncio.subprocess.Process | None = None
        self.log = workdir / "bot.log"
        self.runs = 0

    async def start(self) -> None:
        before = len(self.api.calls("getUpdates"))
        self.runs += 1
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                *insightbot_command(), "run", cwd=self.workdir, env=self.env,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        for _ in range(900):
            if len(self.api.calls("getUpdates")) > before:
                return
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.1)
        await wait_polling(lambda: self.api.calls("getUpdates"), self.process, self.log)

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), 30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def database(self) -> Database:
        return Database(self.env["DATABASE_URL"])


@pytest.fixture
async def bot(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(api, tmp_path)
    await process.start()
    try:
        yield process
    finally:
        code = await process.stop()
        output = process.output()
        assert api.violations == [], api.violations
        assert "Traceback" not in output, output[-4000:]
        assert code == 0, output[-4000:]


async def make_due(db: Database) -> None:
    """Move every active subscription's next delivery to a moment ago.

    Its slot moves to local midnight too, so today's slot has passed at any hour the tests run.
    """
    async with db.sessions.begin() as session:
        await session.execute(
            update(Subscription)
            .where(Subscription.active)
            .values(next_due_at=datetime.now(UTC) - timedelta(seconds=1), minute=0)
        )


async def subscribe_many(api: FakeBotApi, db: Database, chats: int) -> list[int]:
    """`chats` users each send /daily; then all their subscriptions come due at once."""
    ids = [FIRST_CHAT + i for i in range(chats)]
    talk = Conversation(api)
    for chat_id in ids:
        talk.push_text(Person(chat_id, f"U{chat_id}", "en"), "/daily 06:00 UTC")

    def confirmed(sent: list[Sent]) -> bool:
        done = {s.chat_id for s in sent if s.method == "sendMessage" and "Subscribed" in s.text}
        return done >= set(ids)

    await api.wait_for(confirmed, 60)
    await make_due(db)
    return ids


def posts(api: FakeBotApi) -> list[Sent]:
    return [
        s for s in api.calls("sendMessage") if "Daily insight" in s.text or "每日洞见" in s.text
    ]


async def test_subscribe_then_exactly_one_insight(bot: BotProcess, api: FakeBotApi) -> None:
    chat = Conversation(api)
    ada = Person(8101, "Ada", "en")
    confirm = await chat.say(ada, "/daily 07:30 Europe/London")
    assert "Subscribed" in confirm.text and "Europe/London" in confirm.text
    db = bot.database
    try:
        await make_due(db)
        post: Sent = await api.wait_for(lambda sent: next(iter(posts(api)), None), 20)
        assert post.chat_id == ada.id
        assert "Think about it" in post.text
        assert any("Unsubscribe" in b["text"] for b in post.buttons)
        await asyncio.sleep(3.5)  # three more ticks
        assert len(posts(api)) == 1
        async with db.sessions() as session:
            assert await ledger.counts(session) == {"sent": 1}
    finally:
        await db.dispose()


async def test_a_restart_mid_broadcast_still_sends_one_per_chat(
    api: FakeBotApi, tmp_path: Path
) -> None:
    bot = BotProcess(api, tmp_path, rate=20)
    await bot.start()
    db = bot.database
    try:
        ids = await subscribe_many(api, db, 80)
        await api.wait_for(lambda sent: len(posts(api)) >= 20, 30)
        assert await bot.stop(signal.SIGTERM) == 0  # a deploy: stop mid-broadcast
        stopped_at = len(posts(api))
        assert stopped_at < len(ids)
        await bot.start()
        await api.wait_for(lambda sent: len({p.chat_id for p in posts(api)}) >= len(ids), 60)
        await asyncio.sleep(2.5)  # a few more ticks: nothing else may arrive
        per_chat = Counter(p.chat_id for p in posts(api))
        assert set(per_chat) == set(ids)
        assert set(per_chat.values()) == {1}
        async with db.sessions() as session:
            assert await ledger.counts(session) == {"sent": len(ids)}
    finally:
        await bot.stop()
        await db.dispose()
    assert "Traceback" not in bot.output()


async def test_a_crash_mid_broadcast_never_sends_twice(api: FakeBotApi, tmp_path: Path) -> None:
    bot = BotProcess(api, tmp_path, rate=20)
    await bot.start()
    db = bot.database
    try:
        ids = await subscribe_many(api, db, 60)
        await api.wait_for(lambda sent: len(posts(api)) >= 15, 30)
        await bot.stop(signal.SIGKILL)  # no chance to clean up
        await bot.start()
        await asyncio.sleep(1)

        async def settled() -> dict[str, int]:
            async with db.sessions() as session:
                return await ledger.counts(session)

        for _ in range(200):
            counts = await settled()
            if counts.get("sent", 0) + counts.get("unknown", 0) == len(ids):
                break
            await asyncio.sleep(0.2)
        per_chat = Counter(p.chat_id for p in posts(api))
        assert max(per_chat.values()) == 1  # never twice
        missed = set(ids) - set(per_chat)
        # Only a send cut off mid-request can be missing, and the ledger says so.
        assert len(missed) <= counts.get("unknown", 0) <= 8  # at most the in-flight sends
        assert counts.get("sent", 0) + counts.get("unknown", 0) == len(ids)
    finally:
        await bot.stop()
        await db.dispose()
