"""Subscriptions, chats, decks and the shared send budget on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus
from bot.daily_args import DailyChange
from bot.db import budget as budget_repo
from bot.db.engine import Database
from bot.db.migrate import current, upgrade
from bot.db.models import Subscription
from bot.insights import build_pool, load_questions
from bot.services.budget import PACING_SHARE, SendBudget
from bot.services.chats import ChatService, DbChatPrefs
from bot.services.daily import InsightService
from bot.services.subscriptions import MAX_PER_CHAT, Result, SubscriptionService
from bot.settings import ROOT

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


def service(db: Database) -> SubscriptionService:
    return SubscriptionService(db, "09:00", "UTC", clock=lambda: NOW)


async def test_migrations_are_idempotent(database: Database) -> None:
    await upgrade(database)
    assert await current(database) == "0001_initial"


async def test_subscribe_shows_the_next_delivery_in_local_time(database: Database) -> None:
    subs = service(database)
    out = await subs.apply(
        -1, "supergroup", "G", DailyChange(at=time(8, 30), tz="Asia/Shanghai"), "zh"
    )
    assert out.result is Result.SUBSCRIBED
    (view,) = out.subs
    assert view.at == time(8, 30) and view.tz == "Asia/Shanghai" and view.langs == "zh"
    assert view.next_at is not None
    # 07:00 UTC is 15:00 in Shanghai: the next 08:30 there is tomorrow morning.
    assert (view.next_at.date().isoformat(), view.next_at.hour, view.next_at.minute) == (
        "2026-03-03",
        8,
        30,
    )
    again = await subs.apply(-1, "supergroup", "G", DailyChange(weekdays=0b0011111), "zh")
    assert again.result is Result.UPDATED
    assert again.subs[0].at == time(8, 30)  # untouched fields are kept


async def test_topics_are_separate_subscriptions_and_off_stops_them(database: Database) -> None:
    subs = service(database)
    await subs.apply(5, "private", None, DailyChange(at=time(7, 0)), "en")
    await subs.apply(5, "private", None, DailyChange(topic="reasoning"), "en")
    assert sorted(s.topic for s in await subs.active(5)) == ["", "reasoning"]
    off = await subs.apply(5, "private", None, DailyChange(topic="reasoning", off=True), "en")
    assert off.result is Result.OFF and [s.topic for s in off.subs] == [""]
    assert (await subs.apply(5, "private", None, DailyChange(off=True), "en")).subs == ()
    nothing = await subs.apply(5, "private", None, DailyChange(off=True), "en")
    assert nothing.result is Result.NOTHING_TO_STOP


async def test_a_chat_has_a_bounded_number_of_subscriptions(database: Database) -> None:
    subs = service(database)
    topics = ["", "reasoning", "agents", "coding", "safety", "robotics"]
    results = [
        (await subs.apply(9, "private", None, DailyChange(topic=t or None), "en")).result
        for t in topics
    ]
    assert results[:MAX_PER_CHAT] == [Result.SUBSCRIBED] * MAX_PER_CHAT
    assert results[MAX_PER_CHAT] is Result.LIMIT


async def test_setting_the_zone_moves_every_subscription(database: Database) -> None:
    subs = service(database)
    await subs.apply(3, "private", None, DailyChange(at=time(9, 0)), "en")
    await subs.apply(3, "private", None, DailyChange(topic="agents"), "en")
    out = await subs.set_zone(3, "private", None, "America/New_York")
    assert out.result is Result.ZONE_SET
    assert {s.tz for s in out.subs} == {"America/New_York"}
    assert await subs.zone_of(3) == "America/New_York"
    # A new subscription in this chat starts in the chat's zone.
    await subs.apply(3, "private", None, DailyChange(topic="coding"), "en")
    assert {s.tz for s in await subs.active(3)} == {"America/New_York"}


async def test_the_unsubscribe_button_only_works_in_its_own_chat(database: Database) -> None:
    subs = service(database)
    out = await subs.apply(4, "private", None, DailyChange(), "en")
    sub_id = out.subs[0].id
    assert await subs.off_by_id(999, sub_id) is False
    assert await subs.off_by_id(4, sub_id) is True
    assert await subs.off_by_id(4, sub_id) is False
    assert await subs.active(4) == ()


async def test_membership_and_migration_keep_the_chat_table_honest(database: Database) -> None:
    subs, chats, prefs = service(database), ChatService(database), DbChatPrefs(database)
    await subs.apply(-10, "group", "Old group", DailyChange(topic="agents"), "zh")
    await prefs.set_lang(-10, "zh")
    assert await chats.migrate(-10, -10010) == 1
    assert [s.topic for s in await subs.active(-10010)] == ["agents"]
    assert await subs.active(-10) == ()
    assert await prefs.get_lang(-10010) == "zh"
    assert await chats.migrate(-10, -10010) == 0  # the second service message changes nothing
    assert await chats.membership(-10010, "supergroup", "New", member=False) == 1
    assert await subs.active(-10010) == ()
    assert await prefs.get_lang(12345) is None


async def test_decks_survive_sessions_and_preview_matches_delivery(
    database: Database, corpus: Corpus
) -> None:
    bank = load_questions(ROOT / "corpus" / "questions.toml")[0]
    insights = InsightService(database, lambda: corpus, bank)
    subs = service(database)
    await subs.apply(6, "private", None, DailyChange(topic="agents"), "en")
    (preview,) = await insights.preview(6, 5)
    dealt = []
    for _ in range(5):
        async with database.sessions.begin() as session:
            sub = await session.get(Subscription, (await subs.active(6))[0].id)
            assert sub is not None
            excerpt = await insights.choose(session, sub, None)
            assert excerpt is not None
            dealt.append(excerpt.id)
    assert [e.id for e in preview.excerpts] == dealt
    pool_size = len(build_pool(corpus.excerpts, "agents", "en"))
    seen = set(dealt)
    for _ in range(min(40, pool_size)):
        async with database.sessions.begin() as session:
            sub = await session.get(Subscription, (await subs.active(6))[0].id)
            assert sub is not None
            excerpt = await insights.choose(session, sub, None)
            assert excerpt is not None
            if len(seen) < pool_size - 1:
                assert excerpt.id not in seen
            seen.add(excerpt.id)


async def test_discussion_decks_do_not_repeat(database: Database, corpus: Corpus) -> None:
    bank = load_questions(ROOT / "corpus" / "questions.toml")[0]
    insights = InsightService(database, lambda: corpus, bank)
    seen = []
    for _ in range(8):
        found = await insights.discuss(-77, "safety")
        assert found is not None
        seen.append(found[0].id)
    assert len(set(seen)) == len(seen)
    assert await insights.discuss(-77, "no-such-topic") is None


async def test_the_send_budget_spaces_every_replica_by_the_rate(database: Database) -> None:
    second = Database(database.url.render_as_string(hide_password=False), schema=database.schema)
    try:
        slots = []
        for n in range(40):
            db = database if n % 2 else second  # two replicas, interleaved
            async with db.sessions.begin() as session:
                slots.append(await budget_repo.reserve(session, 1000.0, 1 / 25))
        gaps = [round(b - a, 6) for a, b in itertools.pairwise(slots)]
        assert gaps == [0.04] * 39
        async with database.sessions.begin() as session:
            await budget_repo.pause(session, 2000.0)
        async with second.sessions.begin() as session:
            assert await budget_repo.reserve(session, 1000.0, 1 / 25) == 2000.0
    finally:
        await second.dispose()


async def test_the_budget_waits_for_its_slot(database: Database) -> None:
    waits: list[float] = []
    now = [500.0]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    budget = SendBudget(database, 25, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        await budget.acquire()
    step = 1 / (25 * PACING_SHARE)  # a little under the budget, for network jitter
    assert [round(w, 4) for w in waits] == [round(step * n, 4) for n in range(1, 5)]
    assert 0.04 < step < 0.042
    await budget.pause(10)
    await budget.acquire()
    assert round(waits[-1], 3) == 10.0
    assert timedelta(seconds=waits[-1]) > timedelta(seconds=9)
