"""Bad input gets a clear answer (or deliberate silence) and never an error."""

from __future__ import annotations

import pytest

from bot.handlers.menu import COMMANDS
from tests.handlers.conftest import Harness
from tests.handlers.telegram_fake import Person

NASTY = {
    "none": "",
    "long": ("reasoning models and scaling laws " * 200)[:5000],
    "html": '<b>bold</b> <a href="x">link</a> & <script>alert(1)</script> </blockquote>',
    "emoji_rtl": "🤖🧠👩‍🔬 مرحبا بالعالم שלום ‏RLM‎ 🇨🇳",
}


@pytest.mark.parametrize("arg", NASTY.values(), ids=NASTY.keys())
@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
async def test_every_command_with_nasty_arguments(
    bot: Harness, alice: Person, command: str, arg: str
) -> None:
    reply = await bot.reply(f"/{command} {arg}".strip(), alice)
    assert reply.text.strip()
    if arg == NASTY["html"] and command in ("quote", "search"):
        assert "<script>" in reply.text  # shown literally, escaped in the HTML sent
        assert "<script>" not in reply.params["text"]


@pytest.mark.parametrize("arg", NASTY.values(), ids=NASTY.keys())
async def test_plain_text_and_inline_with_nasty_input(
    bot: Harness, alice: Person, arg: str
) -> None:
    if arg:
        assert (await bot.reply(arg, alice)).text
    calls = await bot.feed(bot.updates.inline(arg[:256], alice))
    assert [c.method for c in calls] == ["answerInlineQuery"]


async def test_long_queries_are_cut_and_say_so(bot: Harness, alice: Person) -> None:
    reply = await bot.reply("/quote " + NASTY["long"], alice)
    assert "first 256 characters" in reply.text


async def test_unknown_commands_point_to_help(bot: Harness, alice: Person, li: Person) -> None:
    assert "/help" in (await bot.reply("/frobnicate now", alice)).text
    assert "/help" in (await bot.reply("/不存在", li)).text


@pytest.mark.parametrize("kind", ["sticker", "photo"])
async def test_media_in_private_gets_a_pointer(bot: Harness, alice: Person, kind: str) -> None:
    calls = await bot.feed(bot.updates.media(alice, kind))
    assert [c.text for c in calls if c.method == "sendMessage"] == [
        "I can only read text. Send me a few words to search, or /help."
    ]


async def test_edited_messages_and_channel_posts_are_ignored(bot: Harness, alice: Person) -> None:
    edited = bot.updates.message_dict("/quote reasoning", alice)
    edited["edit_date"] = edited["date"] + 5
    assert await bot.feed(bot.updates.raw("edited_message", edited)) == []
    post = {
        "message_id": 9,
        "date": 0,
        "chat": {"id": -100777, "type": "channel", "title": "News"},
        "text": "/quote reasoning",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    }
    assert await bot.feed(bot.updates.raw("channel_post", post)) == []
    assert await bot.feed(bot.updates.raw("edited_channel_post", post)) == []
