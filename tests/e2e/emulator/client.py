"""The emulator process and its client API: users send messages and presses, and read replies.

telegram-test-api's client side (POST /sendMessage, /sendCommand, /sendCallback, /getUpdates,
/getUpdatesHistory) is what its own TelegramClient class uses; this is the same in Python.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.fake_api.rules import visible_text
from tests.handlers.telegram_fake import Person, Updates

E2E_DIR = Path(__file__).resolve().parent.parent
LAUNCHER = Path(__file__).resolve().with_name("start.js")
PACKAGE = E2E_DIR / "node_modules" / "telegram-test-api" / "package.json"
WAIT_SECONDS = 30.0  # the longest a reply may take before the test fails
POLL_INTERVAL = 0.05  # the emulator's client API cannot wait, so the client asks again


class EmulatorMissing(AssertionError):
    """Node.js or the npm package is not installed: the test fails and says how to fix it."""


def node_command() -> list[str]:
    """`node start.js`, or an explanation of what to install."""
    node = shutil.which("node")
    if node is None:
        raise EmulatorMissing("The end-to-end tests need Node.js 20+ on PATH (`node` not found).")
    if not PACKAGE.exists():
        raise EmulatorMissing(
            f"telegram-test-api is not installed in {E2E_DIR}: run "
            "`python3 scripts/dev.py install --dev` (it runs `npm ci` there)."
        )
    return [node, str(LAUNCHER)]


@contextlib.asynccontextmanager
async def running_emulator() -> AsyncIterator[str]:
    """Start telegram-test-api on a free 127.0.0.1 port; yields its base URL; stops it after."""
    process = await asyncio.create_subprocess_exec(
        *node_command(),
        cwd=E2E_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        try:
            line = await asyncio.wait_for(process.stdout.readline(), WAIT_SECONDS)
        except TimeoutError:
            line = b""
        if not line.startswith(b"ready "):
            process.kill()
            error = (await process.stderr.read()).decode(errors="replace")
            raise AssertionError(f"telegram-test-api did not start: {line!r}\n{error}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as the emulator stores it (edits applied)."""

    message_id: int
    chat_id: int
    time_ms: int
    raw: dict[str, Any]  # the bot's sendMessage/editMessageText parameters

    @property
    def text(self) -> str:
        """What the user reads (HTML tags removed, entities decoded)."""
        text = str(self.raw.get("text", ""))
        return visible_text(text) if self.raw.get("parse_mode") == "HTML" else text

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row."""
        markup = self.raw.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    @property
    def replied_to(self) -> int | None:
        """The message this one answers (groups: the asker's message), if any."""
        reply = self.raw.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        return int(reply["message_id"]) if reply else None

    @classmethod
    def of(cls, entry: dict[str, Any]) -> BotMessage:
        """From one entry of the emulator's storage."""
        raw = entry["message"]
        return cls(int(entry["messageId"]), int(raw["chat_id"]), int(entry["time"]), raw)


class EmulatorClient:
    """The user side: Telegram clients sending messages and presses through the emulator."""

    def __init__(self, url: str, token: str, http: httpx.AsyncClient) -> None:
        self.url, self.token, self.http = url, token, http
        self.updates = Updates()

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        answer = await self.http.post(f"{self.url}{path}", json=payload)
        answer.raise_for_status()
        return answer.json()["result"]

    async def history(self) -> list[dict[str, Any]]:
        """Every stored user and bot message of this bot, oldest first."""
        entries: list[dict[str, Any]] = await self._post(
            "/getUpdatesHistory", {"token": self.token}
        )
        return entries

    async def messages(self) -> list[dict[str, Any]]:
        """The stored messages (bot and user), oldest first; callback queries left out."""
        return [e for e in await self.history() if "message" in e]

    async def bot_messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in one chat, as they look now (edits applied)."""
        return [
            BotMessage.of(e)
            for e in await self.messages()
            if "chat_id" in e["message"] and int(e["message"]["chat_id"]) == chat_id
        ]

    async def send(self, person: Person, text: str, group: int | None = None) -> int:
        """A user's message (a command goes to /sendCommand); returns its message_id."""
        message = self.updates.message_dict(text, person, group)
        del message["message_id"]  # the emulator numbers messages itself
        message["botToken"] = self.token
        command = any(e["type"] == "bot_command" for e in message.get("entities", []))
        path = "/sendCommand" if command else "/sendMessage"  # the emulator's two entry points
        await self._post(path, message)
        for entry in reversed(await self.messages()):
            sent = entry["message"]
            if sent.get("text") == text and sent.get("chat", {}).get("id") == message["chat"]["id"]:
                return int(entry["messageId"])
        raise AssertionError(f"the emulator did not store {text!r}")

    async def _wait(self, found: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            value = await found()
            if value:
                return value
            await asyncio.sleep(POLL_INTERVAL)
        raise AssertionError("the bot did not answer within the time limit")

    async def next_reply(self, chat_id: int) -> BotMessage:
        """The bot's next message in this chat that the user has not read yet."""

        async def unread() -> BotMessage | None:
            payload = {"token": self.token, "chatId": chat_id}
            entries = await self._post("/getUpdates", payload)  # marks them read
            assert len(entries) <= 1, [e["message"].get("text") for e in entries]
            return BotMessage.of(entries[0]) if entries else None

        reply: BotMessage = await self._wait(unread)
        return reply

    async def say(self, person: Person, text: str, group: int | None = None) -> BotMessage:
        """Send a message and wait for the bot's answer in the same chat."""
        await self.send(person, text, group)
        return await self.next_reply(group if group is not None else person.id)

    async def press(
        self, person: Person, card: BotMessage, label_part: str, bot_user: dict[str, Any]
    ) -> BotMessage:
        """Press a card's button; returns the card as edited, or the new message it caused."""
        button = next(b for b in card.buttons if label_part in b["text"])
        chat = await self._chat_of(card.chat_id)
        message = {  # the pressed message, as Telegram puts it in the callback query
            "message_id": card.message_id,
            "date": card.time_ms // 1000,
            "chat": chat,
            "from": bot_user,
            "text": card.text,
            "reply_markup": card.raw.get("reply_markup"),
        }
        query = {
            "botToken": self.token,
            "from": person.as_dict(),
            "message": message,
            "data": button["callback_data"],
        }
        await self._post("/sendCallback", query)

        async def changed() -> BotMessage | None:
            fresh = {"token": self.token, "chatId": card.chat_id}
            new = await self._post("/getUpdates", fresh)
            assert len(new) <= 1, [e["message"].get("text") for e in new]
            if new:
                return BotMessage.of(new[0])
            mine = await self.bot_messages(card.chat_id)
            now = next(m for m in mine if m.message_id == card.message_id)
            return now if now.raw != card.raw else None  # the emulator stores edits in place

        result: BotMessage = await self._wait(changed)
        return result

    async def _chat_of(self, chat_id: int) -> dict[str, Any]:
        """The chat as the user's messages describe it."""
        for entry in await self.messages():
            chat = entry["message"].get("chat")
            if chat and int(chat["id"]) == chat_id:
                return dict(chat)
        raise AssertionError(f"no user message in chat {chat_id}")
