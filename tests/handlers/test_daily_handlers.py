"""Handler tests for /daily, /preview, /discuss, the unsubscribe button and MY_CHAT_MEMBER.

The real Application, corpus and questions; a fresh SQLite database; Telegram replaced by the
recording transport of tests/handlers/telegram_fake.py (extended here to answer sendPoll).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from bot.db.engine import Database
from bot.db.models import Subscription, utcnow
from bot.services.catalog import Snapshot
from bot.services.daily_services import DailyServices
from tests.handlers.conftest import ADMIN, Harness, make_harness
from tests.handlers.telegram_fake import Call, Person, RecordingRequest

GROUP = -100777


def poll_options(params: dict[str, Any]) -> list[str]:
    """The answer texts of a sendPoll call (PTB posts them JSON-encoded)."""
    raw = params["options"]
    options = json.loads(raw) if isinstance(raw, str) else raw
    return [o if isinstance(o, str) else o["text"] for o in options]


class PollingRequest(RecordingRequest):
    """The recording fake, also answering sendPoll with the poll message Telegram returns."""

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendPoll":
            options = poll_options(params)
            return {
                "message_id": 9000 + len(self.calls),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "supergroup"},
                "poll": {
                    "id": "p1",
                    "question": params["question"],
                    "options": [
                        {
                            "text": o,
                            "voter_count": 0,
                            "persistent_id": f"o{n}",
                        }
                        for n, o in enumerate(options)
                    ],
                    "allows_revoting": False,
                    "members_only": False,
                    "total_voter_count": 0,
                    "is_closed": False,
                    "is_anonymous": True,
                    "type": "regular",
                    "allows_multiple_answers": False,
                },
            }
        return super()._result(method, params)


@pytest.fixture
async def daily_bot(snapshot: Snapshot, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with its daily services on a fresh SQLite database."""
    harness = await make_harness(snapshot, PollingRequest())
    services = harness.services
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'daily.db'}")
    services.daily = DailyServices.build(services.settings, services.catalog, db=db)
    await services.daily.start()
    services.prefs = services.daily.prefs
    try:
        yield harness
    finally:
        await services.daily.stop()
        await services.daily.close()
        await harness.app.shutdown()
    assert harness.request.violations == []
    assert harness.errors_reported() == []


async def make_due(harness: Harness) -> None:
    """Pretend every subscription's time has come (as if the clock had moved on).

    The slot moves to local midnight too: today's slot must already have passed at whatever
    hour the tests run (a 08:00 slot is still ahead at 01:30, and yesterday's is missed).
    """
    daily = harness.services.daily
    assert daily is not None
    async with daily.db.sessions.begin() as session:
        await session.execute(
            update(Subscription)
            .where(Subscription.active)
            .values(next_due_at=utcnow() - timedelta(seconds=1), last_local_date=None, minute=0)
        )


async def deliver(harness: Harness) -> list[Call]:
    """Run one drain of the daily queue; the posts it sent."""
    daily = harness.services.daily
    assert daily is not None
    before = len(harness.request.calls)
    await daily.runner.drain(harness.app.bot)
    return [c for c in harness.request.calls[before:] if c.method == "sendMessage"]


async def test_daily_without_arguments_explains_and_shows_nothing_yet(
    daily_bot: Harness, alice: Person
) -> None:
    reply = await daily_bot.reply("/daily", alice)
    assert "no daily insight yet" in reply.text
    assert "/daily 08:30 Asia/Shanghai" in reply.text


async def test_subscribe_with_time_and_zone_shows_the_next_local_delivery(
    daily_bot: Harness, alice: Person
) -> None:
    reply = await daily_bot.reply("/daily 08:30 Asia/Shanghai", alice)
    assert "Subscribed" in reply.text
    assert "08:30 Asia/Shanghai" in reply.text and "next:" in reply.text
    shown = await daily_bot.reply("/daily", alice)
    assert "all topics" in shown.text and "08:30 Asia/Shanghai" in shown.text


async def test_topic_subscriptions_and_bad_input(daily_bot: Harness, li: Person) -> None:
    reply = await daily_bot.reply("/daily topic reasoning 07:15 mon-fri", li)
    assert "已订阅" in reply.text and "reasoning" in reply.text and "工作日" in reply.text
    unknown = await daily_bot.reply("/daily topic cooking", li)
    assert "cooking" in unknown.text and "reasoning" in unknown.text
    bad = await daily_bot.reply("/daily 25:61", li)
    assert "没看懂" in bad.text and "25:61" in bad.text
    zone = await daily_bot.reply("/daily tz Mars/Base", li)
    assert "Mars/Base" in zone.text
    off = await daily_bot.reply("/daily topic reasoning off", li)
    assert "已停止" in off.text


async def test_only_admins_change_a_groups_subscription(daily_bot: Harness, alice: Person) -> None:
    refused = await daily_bot.reply("/daily 09:00", alice, GROUP)
    assert "Only the group's admins" in refused.text
    daily_bot.request.member_status = "administrator"
    accepted = await daily_bot.reply("/daily 09:00 Europe/Berlin", alice, GROUP)
    assert "Subscribed" in accepted.text
    daily_bot.request.member_status = "member"
    shown = await daily_bot.reply("/daily", alice, GROUP)  # anyone may look
    assert "Europe/Berlin" in shown.text


async def test_zone_keyboard_sets_the_chats_zone(daily_bot: Harness, alice: Person) -> None:
    await daily_bot.reply("/daily 08:00", alice)
    keyboard = await daily_bot.reply("/daily tz", alice)
    assert any(b["text"] == "Asia/Tokyo" for b in keyboard.buttons)
    calls = await daily_bot.press(alice, keyboard, "Asia/Tokyo")
    edited = [c for c in calls if c.method == "editMessageText"]
    assert edited and "Asia/Tokyo" in edited[0].text
    assert "08:00 Asia/Tokyo" in (await daily_bot.reply("/daily", alice)).text


async def test_a_daily_post_and_its_unsubscribe_button(daily_bot: Harness, alice: Person) -> None:
    await daily_bot.reply("/daily 08:00", alice)
    await make_due(daily_bot)
    (post,) = await deliver(daily_bot)
    assert post.params["chat_id"] in (alice.id, str(alice.id))
    assert "Daily insight" in post.text and "Think about it" in post.text
    assert await deliver(daily_bot) == []  # the tick again: nothing more today
    calls = await daily_bot.press(alice, post, "Unsubscribe")
    toast = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "Unsubscribed" in toast[0].params.get("text", "")
    assert any(c.method == "editMessageReplyMarkup" for c in calls)
    assert "no daily insight yet" in (await daily_bot.reply("/daily", alice)).text
    await make_due(daily_bot)
    assert await deliver(daily_bot) == []


async def test_group_members_cannot_press_unsubscribe(daily_bot: Harness, alice: Person) -> None:
    daily_bot.request.member_status = "administrator"
    await daily_bot.reply("/daily 08:00", alice, GROUP)
    daily_bot.request.member_status = "member"
    await make_due(daily_bot)
    (post,) = await deliver(daily_bot)
    calls = await daily_bot.press(alice, post, "Unsubscribe")
    assert "Only group admins" in calls[-1].params.get("text", "")
    assert "Europe" not in (await daily_bot.reply("/daily", alice, GROUP)).text
    assert "all topics" in (await daily_bot.reply("/daily", alice, GROUP)).text


async def test_preview_shows_what_the_next_posts_will_be(daily_bot: Harness, alice: Person) -> None:
    await daily_bot.reply("/daily topic agents", alice)
    preview = await daily_bot.reply("/preview", alice)
    lines = [ln for ln in preview.text.splitlines() if ln[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert len(lines) == 5
    await make_due(daily_bot)
    (post,) = await deliver(daily_bot)
    speaker = lines[0].split("·")[0].removeprefix("1.").strip()
    assert speaker in post.text


async def test_preview_is_for_admins_in_groups(daily_bot: Harness, alice: Person) -> None:
    reply = await daily_bot.reply("/preview", alice, GROUP)
    assert "Only the group's admins" in reply.text


async def test_discuss_posts_a_quote_a_question_and_a_poll(daily_bot: Harness, li: Person) -> None:
    calls = await daily_bot.say("/discuss safety", li, GROUP)
    (prompt,) = [c for c in calls if c.method == "sendMessage"]
    (poll,) = [c for c in calls if c.method == "sendPoll"]
    assert "一起讨论" in prompt.text and "❓" in prompt.text
    options = poll_options(poll.params)
    assert options == ["同意", "不同意", "看情况"]
    assert poll.params["question"] in prompt.text
    again = await daily_bot.say("/discuss safety", li, GROUP)
    second = next(c for c in again if c.method == "sendMessage")
    assert second.text != prompt.text  # the chat's discussion deck does not repeat


async def test_discuss_on_an_unknown_topic_says_so(daily_bot: Harness, alice: Person) -> None:
    reply = await daily_bot.reply("/discuss knitting", alice, GROUP)
    assert "no discussion question on knitting" in reply.text


def member_update(status: str, chat: dict[str, Any], by: Person) -> dict[str, Any]:
    bot_user = {"id": 777000111, "is_bot": True, "first_name": "Insight"}
    return {
        "chat": chat,
        "from": by.as_dict(),
        "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": bot_user},
        "new_chat_member": {"status": status, "user": bot_user, "until_date": 0},
    }


async def test_being_kicked_ends_the_groups_subscription(daily_bot: Harness, alice: Person) -> None:
    daily_bot.request.member_status = "administrator"
    await daily_bot.reply("/daily 08:00", alice, GROUP)
    chat = {"id": GROUP, "type": "supergroup", "title": "AI reading group"}
    await daily_bot.feed(
        daily_bot.updates.raw("my_chat_member", member_update("kicked", chat, alice))
    )
    assert "no daily insight yet" in (await daily_bot.reply("/daily", alice, GROUP)).text
    await make_due(daily_bot)
    assert await deliver(daily_bot) == []


async def test_blocking_in_private_ends_the_subscription(daily_bot: Harness, alice: Person) -> None:
    await daily_bot.reply("/daily 08:00", alice)
    chat = {"id": alice.id, "type": "private", "first_name": "Alice"}
    await daily_bot.feed(
        daily_bot.updates.raw("my_chat_member", member_update("kicked", chat, alice))
    )
    await make_due(daily_bot)
    assert await deliver(daily_bot) == []


async def test_a_group_migration_moves_the_subscription(daily_bot: Harness, alice: Person) -> None:
    old, new = -4242, -1004242
    daily_bot.request.member_status = "administrator"
    group = daily_bot.updates.message("/daily 10:00", alice)
    group["message"]["chat"] = {"id": old, "type": "group", "title": "Old"}
    await daily_bot.feed(group)
    service = daily_bot.updates.message("", alice)
    service["message"].pop("text")
    service["message"]["chat"] = {"id": old, "type": "group", "title": "Old"}
    service["message"]["migrate_to_chat_id"] = new
    await daily_bot.feed(service)
    await make_due(daily_bot)
    (post,) = await deliver(daily_bot)
    assert int(post.params["chat_id"]) == new


async def test_the_admin_of_the_bot_counts_as_admin_everywhere(daily_bot: Harness) -> None:
    reply = await daily_bot.reply("/daily 06:45", ADMIN, GROUP)
    assert "Subscribed" in reply.text
