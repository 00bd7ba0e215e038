"""A minimal threaded fake Bot API for the replica runs (tests/e2e/replicas.py, the bench).

It runs uvicorn in a thread, so a plain (non-async) caller can drive several bot processes and
read the wall-clock arrival time of every send. Conversations go through the fuller, rule-checking
fake in tests/e2e/fake_api/.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TOKEN = "7000000001:AAE2eWebhookTestTokenDoNotLeak_0123"
BOT_ID = int(TOKEN.split(":")[0])
_ME = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Insight",
    "username": "insight_e2e_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeBotApi:
    """Records (method, params) of every Bot API call; sendMessage can be made slow."""

    def __init__(self, send_delay: float = 0.0) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.send_delay = send_delay
        self.send_started = threading.Event()
        self._calls: list[tuple[str, dict[str, str], float]] = []
        self._lock = threading.Lock()
        self._message_ids = iter(range(1, 10**9))
        self._server = uvicorn.Server(
            uvicorn.Config(
                Starlette(routes=[Route("/bot{token}/{method}", self._handle, methods=["POST"])]),
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
                lifespan="off",
            )
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Bot API did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def calls_to(self, method: str) -> list[dict[str, str]]:
        with self._lock:
            return [params for name, params, _ in self._calls if name == method]

    def sends(self) -> list[tuple[dict[str, str], float]]:
        """(params, time.time() when the send arrived) of every sendMessage."""
        with self._lock:
            return [(params, at) for name, params, at in self._calls if name == "sendMessage"]

    def messages_to(self, chat_id: int) -> list[dict[str, str]]:
        return [p for p in self.calls_to("sendMessage") if int(p["chat_id"]) == chat_id]

    async def _handle(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        if token != TOKEN:
            return JSONResponse({"ok": False, "error_code": 401, "description": "no"}, 401)
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.json()
            params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        else:
            # PTB posts application/x-www-form-urlencoded (values JSON-encoded) when no files.
            params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        arrived = time.time()
        if method == "sendMessage" and self.send_delay:
            self.send_started.set()
            await asyncio.sleep(self.send_delay)
        with self._lock:
            self._calls.append((method, params, arrived))
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, str]) -> Any:
        if method == "getMe":
            return _ME
        if method in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id", "0"))
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": _ME,
                "text": params.get("text", ""),
            }
        if method == "getMyCommands":
            return []
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True
