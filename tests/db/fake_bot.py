"""A PTB Bot whose transport records sendMessage and fails on cue, like Telegram would."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from typing import Any

import httpx
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

TOKEN = "123456:TESTtestTESTtestTESTtestTESTtest000"
ME = {"id": 123456, "is_bot": True, "first_name": "Insight", "username": "InsightTestBot"}


class ScriptedRequest(BaseRequest):
    """Answers getMe and sendMessage; `script[chat_id]` lists failures to raise first, in order."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.script: dict[int, list[str]] = {}
        self._ids = itertools.count(1)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def per_chat(self) -> Counter[int]:
        """How many messages each chat received."""
        return Counter(int(m["chat_id"]) for m in self.sent)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        params = request_data.json_parameters if request_data else {}
        if api == "getMe":
            return self._ok(ME)
        if api == "sendMessage":
            chat_id = int(params["chat_id"])
            queue = self.script.get(chat_id) or []
            if queue:
                failure = queue.pop(0)
                return self._fail(failure)
            self.sent.append(params)
            message = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "text": params["text"],
            }
            return self._ok(message)
        return self._ok(True)

    @staticmethod
    def _ok(result: Any) -> tuple[int, bytes]:
        return 200, json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    def _fail(failure: str) -> tuple[int, bytes]:
        kind, _, arg = failure.partition(":")
        if kind == "timeout":  # the request left; Telegram may or may not have delivered it
            raise TimedOut("Timed out") from httpx.ReadTimeout("read")
        if kind == "network":
            raise NetworkError("httpx.ConnectError: connection refused") from httpx.ConnectError(
                "refused"
            )
        bodies: dict[str, tuple[int, dict[str, Any]]] = {
            "blocked": (403, {"description": "Forbidden: bot was blocked by the user"}),
            "kicked": (403, {"description": "Forbidden: bot was kicked from the group chat"}),
            "not_found": (400, {"description": "Bad Request: chat not found"}),
            "retry": (
                429,
                {
                    "description": f"Too Many Requests: retry after {arg}",
                    "parameters": {"retry_after": int(arg or 1)},
                },
            ),
            "migrate": (
                400,
                {
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": int(arg or 0)},
                },
            ),
        }
        code, body = bodies[kind]
        return code, json.dumps({"ok": False, "error_code": code, **body}).encode()


async def make_bot() -> tuple[Bot, ScriptedRequest]:
    """An initialised Bot on the scripted transport."""
    request = ScriptedRequest()
    bot = Bot(TOKEN, request=request, get_updates_request=request)
    await bot.initialize()
    return bot, request
