"""Exactly-once daily delivery on SQLite and PostgreSQL: ticks, replicas, restarts, failures."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus
from bot.daily_args import DailyChange
from bot.db import ledger
from bot.db.engine import Database
from bot.db.models import Chat, Delivery, Subscription
from bot.db.models import SendBudget as SendBudgetRow
from bot.insights import QuestionBank, load_questions
from bot.schedule import parse_time
from bot.services.budget import SendBudget
from bot.services.daily import InsightService
from bot.services.deliveries import DeliveryRunner
from bot.services.subscriptions import SubscriptionService
from bot.settings import ROOT
from tests.db.fake_bot import make_bot

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday, 07:00 UTC


class Clock:
    """A settable clock for the services."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_questions(ROOT / "corpus" / "questions.toml")[0]


class World:
    """Services on one database, with one clock; `runner()` makes another replica."""

    def __init__(self, db: Database, corpus: Corpus, bank: QuestionBank) -> None:
        self.db, self.clock = db, Clock(T0)
        self.insights = InsightService(db, lambda: corpus, bank)
        self.subs = SubscriptionService(db, clock=self.clock)

    def runner(
        self, worker: str = "a", lease: float = 60, db: Database | None = None
    ) -> DeliveryRunner:
        db = db or self.db
        # Lifted, on the test clock: pacing is tested separately.
        budget = SendBudget(db, 10_000, clock=lambda: self.clock.now.timestamp())
        insights = InsightService(db, self.insights._corpus, self.insights.questions)
        return DeliveryRunner(
            db, insights, budget, lease_seconds=lease, worker=worker, clock=self.clock
        )

    async def subscribe(
        self, chat_id: int, at: str = "08:00", tz: str = "UTC", topic: str | None = None
    ) -> None:
        change = DailyChange(at=parse_time(at), tz=tz, topic=topic)
        kind = "private" if chat_id > 0 else "supergroup"
        await self.subs.apply(chat_id, kind, None, change, "both")

    async def deliveries(self) -> list[Delivery]:
        async with self.db.sessions() as session:
            return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())

    async def subscription(self, chat_id: int) -> Subscription:
        async with self.db.sessions() as session:
            stmt = select(Subscription).where(Subscription.chat_id == chat_id)
            return (await session.scalars(stmt)).one()


@pytest.fixture
def world(database: Database, corpus: Corpus, bank: QuestionBank) -> World:
    return World(database, corpus, bank)


async def test_each_chat_gets_one_post_however_often_the_tick_runs(world: World) -> None:
    bot, telegram = await make_bot()
    for chat in range(1, 21):
        await world.subscribe(chat, "08:00")
    runner = world.runner()
    await runner.drain(bot)
    assert telegram.sent == []  # not due yet at 07:00
    world.clock.now = T0 + timedelta(hours=1, seconds=5)
    for _ in range(3):
        await runner.drain(bot)
    assert telegram.per_chat() == {chat: 1 for chat in range(1, 21)}
    post = telegram.sent[0]
    assert "Daily insight" in post["text"] and "Think about it" in post["text"]
    button = json_button(post)
    assert button.startswith("dly:off:")
    # Tomorrow brings exactly one more.
    world.clock.now += timedelta(days=1)
    await runner.drain(bot)
    await runner.drain(bot)
    assert telegram.per_chat() == {chat: 2 for chat in range(1, 21)}
    first_two = [d.excerpt_id for d in await world.deliveries() if d.chat_id == 1]
    assert len(set(first_two)) == 2  # a new excerpt each day


def json_button(params: dict[str, object]) -> str:
    raw = params["reply_markup"]
    markup = json.loads(raw) if isinstance(raw, str) else raw
    return str(markup["inline_keyboard"][0][0]["callback_data"])


async def test_two_replicas_never_send_twice(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bot, telegram = await make_bot()
    for chat in range(1, 61):
        await world.subscribe(chat, "08:00")
    world.clock.now = T0 + timedelta(hours=1)
    # A second replica: its own engine and connection pool on the same database.
    other_db = Database(world.db.url.render_as_string(hide_password=False), schema=world.db.schema)
    try:
        a, b = world.runner("a"), world.runner("b", db=other_db)
        await asyncio.gather(a.drain(bot), b.drain(bot), a.drain(bot), b.drain(bot))
    finally:
        await other_db.dispose()
    assert telegram.per_chat() == {chat: 1 for chat in range(1, 61)}
    statuses = {d.status for d in await world.deliveries()}
    assert statuses == {ledger.SENT}


async def test_a_crashed_replicas_claims_are_delivered_after_the_lease(world: World) -> None:
    bot, telegram = await make_bot()
    for chat in range(1, 6):
        await world.subscribe(chat)
    world.clock.now = T0 + timedelta(hours=1)
    dead = world.runner("dead", lease=30)
    await dead.schedule_due()
    async with world.db.sessions.begin() as session:
        claimed = await ledger.claim(session, world.clock.now, "dead", timedelta(seconds=30), 10)
    assert len(claimed) == 5
    survivor = world.runner("alive")
    await survivor.drain(bot)
    assert telegram.sent == []  # the lease still holds
    world.clock.now += timedelta(seconds=31)
    await survivor.drain(bot)
    assert telegram.per_chat() == {chat: 1 for chat in range(1, 6)}


async def test_a_send_cut_off_mid_request_is_never_repeated(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(7)
    world.clock.now = T0 + timedelta(hours=1)
    runner = world.runner("dead", lease=30)
    await runner.schedule_due()
    async with world.db.sessions.begin() as session:
        (row,) = await ledger.claim(session, world.clock.now, "dead", timedelta(seconds=30), 10)
        assert await ledger.mark_sending(
            session, row.id, "dead", world.clock.now, timedelta(seconds=30)
        )
    # The process died during the HTTP request: nobody knows whether Telegram got it.
    world.clock.now += timedelta(minutes=5)
    await world.runner("alive").drain(bot)
    assert telegram.sent == []
    (delivery,) = await world.deliveries()
    assert delivery.status == ledger.UNKNOWN


async def test_missed_while_down_is_sent_on_start_the_same_local_day(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(1, "08:00", "Asia/Shanghai")  # 00:00 UTC
    await world.subscribe(2, "08:00", "America/New_York")  # 13:00 UTC
    # The bot was down from before 00:00 UTC until 20:00 UTC on 2026-03-03.
    world.clock.now = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    await world.runner().drain(bot)
    # Shanghai is already on 03-04 04:00 local: its 03-03 post is gone, 03-04's is not due yet.
    # New York is still on 03-03 (15:00 local): the 08:00 post goes out late, once.
    assert telegram.per_chat() == {2: 1}
    shanghai = await world.subscription(1)
    assert shanghai.next_local_date == date(2026, 3, 4)


async def test_blocked_and_missing_chats_end_their_subscriptions(world: World) -> None:
    bot, telegram = await make_bot()
    for chat in (1, 2, 3):
        await world.subscribe(chat)
    telegram.script = {1: ["blocked"], 2: ["not_found"]}
    world.clock.now = T0 + timedelta(hours=1)
    await world.runner().drain(bot)
    assert telegram.per_chat() == {3: 1}
    assert (await world.subscription(1)).active is False
    assert (await world.subscription(2)).active is False
    assert (await world.subscription(3)).active is True
    async with world.db.sessions() as session:
        chat = await session.get(Chat, 1)
        assert chat is not None and chat.is_member is False
    world.clock.now += timedelta(days=1)
    await world.runner().drain(bot)
    assert telegram.per_chat() == {3: 2}


async def test_a_group_upgraded_to_a_supergroup_keeps_its_subscription(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(-555)
    telegram.script = {-555: ["migrate:-100555"]}
    world.clock.now = T0 + timedelta(hours=1)
    await world.runner().drain(bot)
    assert telegram.per_chat() == {-100555: 1}
    sub = await world.subscription(-100555)
    assert sub.active
    world.clock.now += timedelta(days=1)
    await world.runner().drain(bot)
    assert telegram.per_chat() == {-100555: 2}


async def test_retry_after_pauses_every_sender_then_delivers(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(1)
    telegram.script = {1: ["retry:30"]}
    world.clock.now = T0 + timedelta(hours=1)
    runner = world.runner()
    report = await runner.drain(bot)
    assert report.retried == 1 and telegram.sent == []
    async with world.db.sessions() as session:
        (row,) = (await session.scalars(select(Delivery))).all()
        assert row.status == ledger.PENDING
        assert row.available_at >= world.clock.now + timedelta(seconds=30)
        budget = await session.get(SendBudgetRow, "global")
        assert budget is not None and budget.paused_until > 0
    world.clock.now += timedelta(seconds=31)
    await runner.drain(bot)
    assert telegram.per_chat() == {1: 1}


async def test_network_errors_retry_with_backoff(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(1)
    telegram.script = {1: ["network", "network"]}
    world.clock.now = T0 + timedelta(hours=1)
    runner = world.runner()
    await runner.drain(bot)
    assert telegram.sent == []
    world.clock.now += timedelta(seconds=6)
    await runner.drain(bot)
    assert telegram.sent == []  # second failure: backoff doubled to 10 s
    world.clock.now += timedelta(seconds=11)
    await runner.drain(bot)
    assert telegram.per_chat() == {1: 1}


async def test_one_post_per_chat_per_batch_and_per_topic_decks(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(-9, "08:00", topic=None)
    await world.subscribe(-9, "08:00", topic="reasoning")
    await world.subscribe(-9, "08:00", topic="agents")
    world.clock.now = T0 + timedelta(hours=1)
    async with world.db.sessions.begin() as session:
        await world.runner().schedule_due()
    async with world.db.sessions.begin() as session:
        batch = await ledger.claim(session, world.clock.now, "x", timedelta(seconds=60), 10)
    assert len(batch) == 1  # the same chat never gets two messages in one batch
    async with world.db.sessions.begin() as session:
        await ledger.release(session, [batch[0].id], "x")
    await world.runner().drain(bot)
    assert telegram.per_chat() == {-9: 3}
    headers = sorted(m["text"].split("\n", 1)[0] for m in telegram.sent)
    assert any("reasoning" in h for h in headers) and any("agents" in h for h in headers)


async def test_a_read_timeout_is_never_resent(world: World) -> None:
    bot, telegram = await make_bot()
    await world.subscribe(1)
    await world.subscribe(2)
    telegram.script = {1: ["timeout"]}
    world.clock.now = T0 + timedelta(hours=1)
    runner = world.runner()
    await runner.drain(bot)
    world.clock.now += timedelta(minutes=10)
    await runner.drain(bot)
    assert telegram.per_chat() == {2: 1}  # chat 1 may have got it: a repeat would be worse
    statuses = {d.chat_id: d.status for d in await world.deliveries()}
    assert statuses == {1: ledger.UNKNOWN, 2: ledger.SENT}
