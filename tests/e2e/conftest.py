"""End-to-end: the real `insightbot run` process, long polling a fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.settings import ROOT
from tests.e2e.fake_api.server import FakeBotApi, Sent
from tests.handlers.telegram_fake import Person, Updates

TOKEN = "424242:AAE2eTestTokenE2eTestTokenE2eTest0000"
ADMIN = Person(4242, "Admin", "en")
START_TIMEOUT = 90.0


def insightbot_command() -> list[str]:
    """The installed console script, exactly as a user runs it."""
    script = Path(sys.executable).with_name("insightbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def bot_env(api: FakeBotApi, workdir: Path) -> dict[str, str]:
    """A clean environment: only what the bot needs, pointing at the fake API and a temp DB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api.port}/bot",
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.db'}",
        ADMIN_USER_IDS=str(ADMIN.id),
        CORPUS_DIR=str(ROOT / "corpus"),
        LOG_LEVEL="INFO",
    )
    return env


class Conversation:
    """Sends updates as Telegram would and waits for the bot's answer to each."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api, self.updates = api, Updates()

    def push_text(
        self, person: Person, text: str, group: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        message = self.updates.message_dict(text, person, group, **extra)
        message["message_id"] = self.api.next_message_id()
        self.api.push("message", message)
        return message

    async def say(self, person: Person, text: str, group: int | None = None) -> Sent:
        """A message, then the bot's reply (in groups: the reply to that message)."""
        start = len(self.api.sent)
        message = self.push_text(person, text, group)
        chat_id = message["chat"]["id"]

        def answered(sent: list[Sent]) -> Sent | None:
            for s in sent[start:]:
                if s.method != "sendMessage" or s.chat_id != chat_id:
                    continue
                replied = (s.params.get("reply_parameters") or {}).get("message_id")
                if group is None or int(replied or 0) == message["message_id"]:
                    return s
            return None

        found: Sent = await self.api.wait_for(answered)
        return found

    async def press(self, person: Person, card: Sent, label_part: str) -> Sent:
        """Press a button under a card; returns the edit or new message it caused."""
        button = next(b for b in card.buttons if label_part in b["text"])
        chat_id, message_id = card.result["chat"]["id"], card.result["message_id"]
        query = {
            "id": str(self.api.next_message_id()),
            "from": person.as_dict(),
            "chat_instance": f"ci{chat_id}",
            "data": button["callback_data"],
            "message": self.api.message(chat_id, message_id),
        }
        start = len(self.api.sent)
        self.api.push("callback_query", query)

        def answered(sent: list[Sent]) -> Sent | None:
            acked = any(
                s.method == "answerCallbackQuery" and s.params["callback_query_id"] == query["id"]
                for s in sent[start:]
            )
            changes = [
                s for s in sent[start:]
                if s.method in ("editMessageText", "sendMessage") and s.chat_id == chat_id
            ]  # fmt: skip
            return changes[0] if acked and changes else None

        found: Sent = await self.api.wait_for(answered)
        return found

    async def inline(self, person: Person, text: str, offset: str = "") -> dict[str, Any]:
        """An inline query; returns the answerInlineQuery parameters."""
        query_id = str(self.api.next_message_id())
        payload = {"id": query_id, "from": person.as_dict(), "query": text, "offset": offset}
        self.api.push("inline_query", payload)

        def answered(sent: list[Sent]) -> Sent | None:
            answers = [s for s in sent if s.method == "answerInlineQuery"]
            return next((s for s in answers if s.params["inline_query_id"] == query_id), None)

        found: Sent = await self.api.wait_for(answered)
        return found.params


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API, serving on a free port."""
    fake = FakeBotApi(TOKEN)
    serving = await fake.serve()
    try:
        yield fake
    finally:
        await fake.stop(serving)


def bot_output(log: Path) -> str:
    """What the bot process printed so far."""
    return log.read_text(errors="replace")


async def wait_polling(
    polled: Callable[[], object], process: asyncio.subprocess.Process, log: Path
) -> None:
    """Wait until the bot polls for updates; fail with its output if it exits or hangs."""
    for _ in range(int(START_TIMEOUT * 10)):
        if polled():
            return
        if process.returncode is not None:
            break
        await asyncio.sleep(0.1)
    raise AssertionError("the bot did not start:\n" + bot_output(log))


@pytest.fixture
async def chat(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Conversation]:
    """`insightbot run` as a subprocess, started and polling; stopped with SIGINT afterwards."""
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *insightbot_command(),
            "run",
            cwd=tmp_path,  # no stray .env from the developer's checkout
            env=bot_env(api, tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            await wait_polling(lambda: api.calls("getUpdates"), process, log)
            yield Conversation(api)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
    output = bot_output(log)
    assert api.violations == [], api.violations
    assert "Traceback" not in output, output[-4000:]
    assert process.returncode == 0, output[-4000:]
    assert TOKEN not in output  # the token never reaches the logs
