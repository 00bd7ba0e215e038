"""The real bot process against a fake Bot API: a newcomer, a group, and a burst of users."""

from __future__ import annotations

import json
import statistics

import pytest

from tests.e2e.conftest import ADMIN, Conversation
from tests.e2e.fake_api.server import FakeBotApi, Sent
from tests.handlers.telegram_fake import Person

pytestmark = pytest.mark.e2e


async def test_a_newcomers_first_minute(chat: Conversation, api: FakeBotApi) -> None:
    ada, mei = Person(5001, "Ada", "en"), Person(5002, "美", "zh-hans")
    welcome = await chat.say(ada, "/start")
    assert "Ada" in welcome.text and "/quote" in welcome.text
    assert "/search" in (await chat.say(ada, "/help")).text
    zh = await chat.say(mei, "/quote 下半场")
    assert zh.text.startswith("🔎 下半场 · 第 1/") and "下一条" in str(zh.buttons)
    en = await chat.say(ada, "/quote vibe researching")
    assert en.text.startswith("🔎 vibe researching · 1/")
    second = await chat.press(ada, en, "Next")
    assert second.method == "editMessageText" and second.text.startswith("🔎 vibe researching · 2/")
    inline = await chat.inline(ada, "reasoning")
    assert 1 <= len(inline["results"]) <= 50 and inline.get("next_offset")
    starters = await chat.inline(ada, "")
    assert starters["results"]
    nothing = await chat.inline(ada, "zzqqxxvv")
    button = nothing["button"]
    button = json.loads(button) if isinstance(button, str) else button
    assert nothing["results"] == [] and button["text"].startswith("Nothing found")
    # The command menus were published for each scope and language.
    scopes = {s.params["scope"]["type"] for s in api.calls("setMyCommands")}
    assert {"all_private_chats", "all_group_chats", "all_chat_administrators"} <= scopes


async def test_a_group_with_several_members(chat: Conversation, api: FakeBotApi) -> None:
    group = -1001234
    ann, bob, wang = Person(6001, "Ann", "en"), Person(6002, "Bob", "en"), Person(6003, "王", "zh")
    api.admins.add((group, ann.id))
    card = await chat.say(ann, f"/quote@{api.username} scaling", group)
    assert card.text.startswith("🔎 scaling · 1/")
    turned = await chat.press(bob, card, "Next")  # another member pages Ann's card
    assert turned.text.startswith("🔎 scaling · 2/")
    chat.push_text(bob, "anyone read the Tworek interview?", group)  # chatter: no answer
    mention = await chat.say(wang, f"@{api.username} 强化学习", group)
    assert mention.text.startswith("🔎 强化学习")
    refused = await chat.say(bob, "/lang zh", group)
    assert "admins" in refused.text
    assert "中文" in (await chat.say(ann, "/lang zh", group)).text
    assert "命令" in (await chat.say(bob, "/help", group)).text
    replies = [s for s in api.calls("sendMessage") if s.chat_id == group]
    assert len(replies) == 5  # one per addressed message (the press edits), none for chatter


async def test_a_burst_of_200_updates_from_20_users(
    chat: Conversation, api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    words = ["reasoning", "scaling", "agents", "强化学习", "下半场", "benchmark", "RL",
             "research taste", "pre-training", "泛化"]  # fmt: skip
    users = [Person(7000 + i, f"U{i}", "zh" if i % 2 else "en") for i in range(20)]
    start = len(api.sent)
    pushed: dict[tuple[int, str], float] = {}
    for round_ in range(10):
        for user in users:
            query = f"{words[(round_ + user.id) % len(words)]} {round_}"
            chat.push_text(user, f"/quote {query}")
            pushed[(user.id, query)] = api.pushed_at[max(api.pushed_at)]

    def all_answered(sent: list[Sent]) -> bool:
        return sum(1 for s in sent[start:] if s.method == "sendMessage") >= len(pushed)

    await api.wait_for(all_answered, seconds=180)
    latencies = []
    for s in api.sent[start:]:
        if s.method != "sendMessage":
            continue
        key = next(((uid, q) for (uid, q) in pushed if uid == s.chat_id and q in s.text), None)
        assert key is not None, s.text[:200]
        latencies.append(s.at - pushed.pop(key))
    assert pushed == {}  # every update answered exactly once
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    with capsys.disabled():  # the figures show in every run, not only with -s
        print(
            f"\nburst: {len(latencies)} updates from {len(users)} users answered; reply latency "
            f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms (sends paced at Telegram's 30 messages/s)"
        )


async def test_admin_stats_after_traffic(chat: Conversation) -> None:
    await chat.say(Person(8001, "Q", "en"), "/quote zzqqxxyy")
    stats = await chat.say(ADMIN, "/stats")
    assert "Queries today: 1" in stats.text and "zzqqxxyy" in stats.text
