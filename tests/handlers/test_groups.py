"""In groups the bot answers commands, mentions and replies to itself, nothing else."""

from __future__ import annotations

from tests.handlers.conftest import Harness
from tests.handlers.telegram_fake import BOT_ID, BOT_USERNAME, Person

GROUP = -100500


def sends(calls: list) -> list:
    return [c for c in calls if c.method == "sendMessage"]


async def test_group_chatter_is_ignored(bot: Harness, alice: Person) -> None:
    assert sends(await bot.say("what do you all think about reasoning?", alice, GROUP)) == []
    assert sends(await bot.say("/quote@SomeOtherBot reasoning", alice, GROUP)) == []
    assert sends(await bot.say("/frobnicate", alice, GROUP)) == []
    assert sends(await bot.feed(bot.updates.media(alice, "sticker", GROUP))) == []


async def test_mentions_and_replies_are_searches(bot: Harness, alice: Person) -> None:
    mention = await bot.reply(f"@{BOT_USERNAME} reasoning", alice, GROUP)
    assert mention.text.startswith("🔎 reasoning · 1/")
    assert mention.params["reply_parameters"]["message_id"]  # answers the asker's message
    mine = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": GROUP, "type": "supergroup"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Insight"},
        "text": "card",
    }
    calls = sends(await bot.say("scaling", alice, GROUP, reply_to_message=mine))
    assert len(calls) == 1 and calls[0].text.startswith("🔎 scaling · 1/")


async def test_commands_addressed_to_me_work(bot: Harness, alice: Person) -> None:
    card = await bot.reply(f"/quote@{BOT_USERNAME} reasoning", alice, GROUP)
    assert card.text.startswith("🔎 reasoning")
    bare = await bot.reply("/quote reasoning", alice, GROUP)
    assert bare.text.startswith("🔎 reasoning")
    unknown = await bot.reply(f"/frobnicate@{BOT_USERNAME}", alice, GROUP)
    assert "/frobnicate" in unknown.text and "/help" in unknown.text
    helped = await bot.reply(f"/help@{BOT_USERNAME}", alice, GROUP)
    assert "In groups I answer" in helped.text


async def test_several_members_each_get_their_language(bot: Harness) -> None:
    anna, wang = Person(3001, "Anna", "en"), Person(3002, "王", "zh")
    assert "Commands" in (await bot.reply("/help", anna, GROUP)).text
    assert "命令" in (await bot.reply("/help", wang, GROUP)).text


async def test_a_mention_after_emoji_is_found(bot: Harness, alice: Person) -> None:
    # Entity offsets count UTF-16 units: the emoji before the mention must not shift it.
    card = await bot.reply(f"🤖🧠 @{BOT_USERNAME} scaling", alice, GROUP)
    assert card.text.startswith("🔎 🤖🧠 scaling · 1/")  # the mention itself is not searched
