"""The real `insightbot run` process against telegram-test-api, a third-party Bot API emulator.

The npm package (tests/e2e/package.json) runs in Node.js; a compat proxy (emulator/compat.py)
repairs the few answers where it differs from Telegram. Users talk through the emulator's own
client API, so every message, reply and button press crosses real HTTP in both directions.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import TOKEN, bot_env, bot_output, insightbot_command, wait_polling
from tests.e2e.emulator.client import BotMessage, EmulatorClient, running_emulator
from tests.e2e.emulator.compat import CompatProxy
from tests.handlers.telegram_fake import Person

pytestmark = pytest.mark.e2e

GROUP = -1009876


@dataclass
class Emulated:
    """The users' client, and the proxy the bot talks through (it records the bot's calls)."""

    users: EmulatorClient
    proxy: CompatProxy

    @property
    def username(self) -> str:
        """The bot's @username, as the emulator's getMe names it."""
        return str(self.proxy.bot_user["username"])

    async def press(self, person: Person, card: BotMessage, label_part: str) -> BotMessage:
        """Press a button; the bot must answer the callback query as well as change something."""
        answered = len(self.proxy.called("answerCallbackQuery"))
        result = await self.users.press(person, card, label_part, self.proxy.bot_user)
        assert len(self.proxy.called("answerCallbackQuery")) == answered + 1  # no endless spinner
        return result


@pytest.fixture
async def emulated(tmp_path: Path) -> AsyncIterator[Emulated]:
    """telegram-test-api, the compat proxy in front of it, and `insightbot run` polling it."""
    log = tmp_path / "bot.log"
    async with running_emulator() as url, httpx.AsyncClient(timeout=10.0) as http:
        proxy = CompatProxy(url)
        serving = await proxy.serve()
        try:
            with log.open("wb") as out:
                process = await asyncio.create_subprocess_exec(
                    *insightbot_command(),
                    "run",
                    cwd=tmp_path,  # no stray .env from the developer's checkout
                    env=bot_env(proxy, tmp_path),  # type: ignore[arg-type]  # reads only .port
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
                try:
                    await wait_polling(lambda: proxy.called("getUpdates"), process, log)
                    yield Emulated(EmulatorClient(url, TOKEN, http), proxy)
                finally:
                    if process.returncode is None:
                        process.send_signal(signal.SIGINT)
                    try:
                        await asyncio.wait_for(process.wait(), 20)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
        finally:
            await proxy.stop(serving)
    output = bot_output(log)
    assert proxy.violations == [], proxy.violations  # nothing Telegram would refuse
    assert proxy.unsupported == [], proxy.unsupported  # nothing the emulator could not answer
    assert "Traceback" not in output, output[-4000:]
    assert process.returncode == 0, output[-4000:]
    assert TOKEN not in output  # the token never reaches the logs


def _speaker_line(card: BotMessage) -> str:
    """The card's attribution line ("— speaker · source")."""
    return next(line for line in card.text.splitlines() if line.startswith("— "))


async def test_private_chats_through_the_emulator(emulated: Emulated) -> None:
    users = emulated.users
    ada, mei = Person(5101, "Ada", "en"), Person(5102, "美", "zh-hans")

    welcome = await users.say(ada, "/start")
    assert "Ada" in welcome.text and "/quote" in welcome.text
    help_ = await users.say(ada, "/help")
    assert "/search" in help_.text and "/quote" in help_.text

    en = await users.say(ada, "/quote vibe researching")
    assert en.text.startswith("🔎 vibe researching · 1/")
    assert "vibe research" in en.text.casefold()
    # The phrase occurs only in the two Mark Chen interviews (a16z with Jakub Pachocki).
    assert any(name in _speaker_line(en) for name in ("Mark Chen", "Jakub Pachocki", "a16z"))

    zh = await users.say(mei, "/quote 下半场")
    assert zh.text.startswith("🔎 下半场 · 第 1/")  # a Chinese-speaking user gets Chinese UI
    assert "下半场" in zh.text
    # Only Shunyu Yao's interview talks of the "second half", named as Chinese readers know him.
    assert "姚顺雨" in _speaker_line(zh)
    assert any("下一条" in b["text"] for b in zh.buttons)

    turned = await emulated.press(ada, en, "Next")
    assert turned.message_id == en.message_id  # the card is edited in place, not resent
    assert turned.text.startswith("🔎 vibe researching · 2/")
    assert turned.text != en.text
    back = await emulated.press(ada, turned, "◀")
    assert back.text == en.text  # and paging back shows the first match again

    surprise = await users.say(mei, "/random")
    another = await emulated.press(mei, surprise, "🎲")
    assert another.message_id != surprise.message_id  # "another" sends a new card
    assert _speaker_line(another)


async def test_a_group_through_the_emulator(emulated: Emulated) -> None:
    users, bot = emulated.users, emulated.username
    ann, bob, wang = Person(6101, "Ann", "en"), Person(6102, "Bob", "en"), Person(6103, "王", "zh")

    asked = await users.send(ann, f"/quote@{bot} scaling", GROUP)
    card = await users.next_reply(GROUP)
    assert card.text.startswith("🔎 scaling · 1/")
    assert card.replied_to == asked  # in a group the bot answers the asker's message

    await users.send(bob, "anyone read the Tworek interview?", GROUP)  # chatter: no answer
    mention = await users.say(wang, f"@{bot} 强化学习", GROUP)
    assert mention.text.startswith("🔎 强化学习")

    listing = await users.say(bob, "/search scaling", GROUP)
    assert "scaling" in listing.text.casefold()
    opened = await emulated.press(wang, listing, "#1")  # another member opens a match
    assert opened.message_id != listing.message_id
    assert opened.text.startswith("🔎 scaling")

    turned = await emulated.press(bob, card, "Next")  # anyone in the group may page Ann's card
    assert turned.message_id == card.message_id and turned.text.startswith("🔎 scaling · 2/")

    sent = await users.bot_messages(GROUP)
    assert len(sent) == 4  # one per addressed message, one opened card; none for the chatter
