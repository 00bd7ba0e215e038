"""A small HTTP proxy that makes the telegram-test-api emulator answer as the real Bot API does.

The bot process talks to this proxy exactly as to api.telegram.org; the proxy forwards each call to
the emulator and repairs the few places where the emulator's answers differ from Telegram's, so
python-telegram-bot can parse them. Each repair is one named function below; nothing else changes.

- getMe lacks `is_bot` (PTB's User requires it).
- Dates are in milliseconds (Telegram and PTB use seconds).
- getUpdates ignores `offset`, `timeout` and `limit`: it returns at once and forgets what it
  returned. The proxy keeps updates until the bot confirms them with `offset` and long-polls.
- Callback queries lack `chat_instance` (always present in Telegram's, required by PTB).
- sendMessage echoes the raw request (JSON strings such as `link_preview_options` included) and
  calls every chat "private"; editMessageText and answerCallbackQuery answer `null`. The proxy
  answers with a proper Message (the edit read back from the emulator) and `true`.
- setMyCommands is not implemented: command menus are not messages, so the proxy accepts them.
Every request is also checked with Telegram's rules (fake_api/rules.py) like the other fakes do.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.e2e.fake_api.rules import Violation, decode_params, validate, visible_text

MAX_POLL_SECONDS = 1.0  # answer long polls early so the bot stops promptly at the end
POLL_INTERVAL = 0.05  # how often a long poll asks the emulator, which cannot wait by itself
MILLIS_FROM = 10**11  # a "date" this large is in milliseconds (10**11 s is the year 5138)
# Methods the emulator lacks that do not touch messages: Telegram answers `true` to them.
ACCEPTED_LOCALLY = frozenset({"setMyCommands", "deleteMyCommands"})
EDITS = frozenset({"editMessageText", "editMessageReplyMarkup"})


def seconds(value: Any) -> Any:
    """A Telegram date in seconds, whether the emulator gave seconds or milliseconds."""
    if isinstance(value, int | float) and value >= MILLIS_FROM:
        return int(value // 1000)
    return value


def fix_dates(value: Any) -> Any:
    """Every `date`/`edit_date` in a JSON value, in seconds; the emulator's `botToken` removed."""
    if isinstance(value, list):
        return [fix_dates(v) for v in value]
    if not isinstance(value, dict):
        return value
    fixed = {k: fix_dates(v) for k, v in value.items() if k != "botToken"}
    for key in ("date", "edit_date"):
        if key in fixed:
            fixed[key] = seconds(fixed[key])
    return fixed


class MessageNotFound(Exception):
    """The bot addressed a message the emulator does not have (Telegram answers 400)."""


def telegram_error(code: int, description: str) -> JSONResponse:
    """An error answer in the Bot API's shape (the emulator's errors are `{message}` with 500)."""
    return JSONResponse({"ok": False, "error_code": code, "description": description}, code)


@dataclass
class CompatProxy:
    """Serves /bot<token>/<method> on 127.0.0.1 and forwards to the emulator at `upstream`."""

    upstream: str
    port: int = 0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (method, params)
    violations: list[str] = field(default_factory=list)  # requests Telegram would refuse
    unsupported: list[str] = field(default_factory=list)  # methods neither side could answer
    bot_user: dict[str, Any] = field(default_factory=dict)  # getMe, repaired
    _buffer: list[dict[str, Any]] = field(default_factory=list)  # updates not yet confirmed
    _chats: dict[int, dict[str, Any]] = field(default_factory=dict)  # chats seen in updates
    _http: httpx.AsyncClient | None = None
    _server: uvicorn.Server | None = None

    def called(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of one method, in order."""
        return [params for name, params in self.calls if name == method]

    # -- the emulator side ---------------------------------------------------------------------

    async def _forward(self, path: str, body: bytes, content_type: str) -> httpx.Response:
        assert self._http is not None
        headers = {"content-type": content_type} if content_type else {}
        return await self._http.post(f"{self.upstream}{path}", content=body, headers=headers)

    async def _history(self, token: str) -> list[dict[str, Any]]:
        """Everything the emulator stores for this bot (it applies edits to stored messages)."""
        assert self._http is not None
        answer = await self._http.post(f"{self.upstream}/getUpdatesHistory", json={"token": token})
        history: list[dict[str, Any]] = answer.json()["result"]
        return history

    # -- repairs ---------------------------------------------------------------------------------

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        """The chat as the updates described it (the emulator says "private" for every chat)."""
        known = self._chats.get(int(chat_id))
        return known or {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "group"}

    def _update(self, update: dict[str, Any]) -> dict[str, Any]:
        """An update as Telegram sends it; remembers its chat for the bot's later answers."""
        update = fix_dates(update)
        query = update.get("callback_query")
        message = query.get("message") if query else update.get("message")
        if message and "chat" in message:
            self._chats[int(message["chat"]["id"])] = message["chat"]
        if query is not None:
            # Telegram identifies the chat a button was pressed in; any stable string will do.
            chat = (message or {}).get("chat") or query["from"]
            query.setdefault("chat_instance", f"ci{chat['id']}")
        return update

    def _message(
        self, message_id: Any, stored: dict[str, Any], date: Any, edited: bool
    ) -> dict[str, Any]:
        """A bot message as Telegram returns it, built from what the emulator stored."""
        text = str(stored.get("text", ""))
        markup = stored.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        message: dict[str, Any] = {
            "message_id": int(message_id),
            "date": seconds(date),
            "chat": self._chat(stored["chat_id"]),
            "from": self.bot_user,
            # Telegram returns the text a reader sees (the formatting goes to entities).
            "text": visible_text(text) if stored.get("parse_mode") == "HTML" else text,
        }
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if edited:
            message["edit_date"] = int(time.time())
        return message

    async def _edited(self, token: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The edited message, read back from the emulator; None if it has no such message."""
        for entry in await self._history(token):
            stored = entry.get("message") or {}  # callback queries are stored as well
            if (
                "chat_id" in stored  # a bot message (users' messages carry `chat`)
                and str(entry["messageId"]) == str(params.get("message_id"))
                and str(stored["chat_id"]) == str(params.get("chat_id"))
            ):
                return self._message(entry["messageId"], stored, entry["time"], edited=True)
        return None

    async def _get_updates(self, token: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Telegram's getUpdates: confirmed by offset, long-polled, limited."""
        offset = int(params.get("offset") or 0)
        self._buffer = [u for u in self._buffer if u["update_id"] >= offset]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(float(params.get("timeout") or 0), MAX_POLL_SECONDS)
        while True:
            answer = await self._forward(f"/bot{token}/getUpdates", b"", "")
            self._buffer += [self._update(u) for u in answer.json()["result"]]
            if self._buffer or loop.time() >= deadline:
                break
            await asyncio.sleep(POLL_INTERVAL)
        return self._buffer[: int(params.get("limit") or 100)]

    # -- the bot side ----------------------------------------------------------------------------

    async def _params(self, request: Request, body: bytes) -> dict[str, Any]:
        if not body:
            return decode_params(dict(request.query_params))
        if request.headers.get("content-type", "").startswith("application/json"):
            return dict(json.loads(body))
        return decode_params(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))

    async def endpoint(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        body = await request.body()
        params = await self._params(request, body)
        content_type = request.headers.get("content-type", "")
        if not body and request.url.query:  # a GET with a query: the emulator reads bodies only
            body, content_type = request.url.query.encode(), "application/x-www-form-urlencoded"
        self.calls.append((method, params))
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(token, params)})
        try:
            validate(method, params)
        except Violation as exc:
            self.violations.append(f"{method}: {exc}")
            return telegram_error(400, f"Bad Request: {exc}")
        if method in ACCEPTED_LOCALLY:
            return JSONResponse({"ok": True, "result": True})
        answer = await self._forward(f"/bot{token}/{method}", body, content_type)
        payload = answer.json()
        if "ok" not in payload:  # the emulator's own error shape: an unsupported method
            self.unsupported.append(method)
            return telegram_error(404, f"Not Found: {payload.get('message', '')}")
        if not payload["ok"]:
            return JSONResponse(payload, answer.status_code)
        result = await self._result(token, method, params, payload["result"])
        return JSONResponse({"ok": True, "result": result})

    async def _result(self, token: str, method: str, params: dict[str, Any], result: Any) -> Any:
        """The emulator's result of a supported method, repaired into Telegram's."""
        if method == "getMe":
            self.bot_user = {"is_bot": True, **result}
            return self.bot_user
        if method == "sendMessage":
            stored = {**params, "text": result["text"], "reply_markup": result.get("reply_markup")}
            return self._message(result["message_id"], stored, result["date"], edited=False)
        if method in EDITS:
            if params.get("inline_message_id"):
                return True
            edited = await self._edited(token, params)
            if edited is None:
                raise MessageNotFound("message to edit not found")
            return edited
        if result is None:  # answerCallbackQuery, deleteMessage, setWebhook: Telegram says true
            return True
        return fix_dates(result)

    # -- serving -----------------------------------------------------------------------------

    def asgi(self) -> Starlette:
        """The ASGI app: /bot<token>/<method>."""
        route = Route("/bot{token}/{method}", self.guarded, methods=["GET", "POST"])
        return Starlette(routes=[route])

    async def guarded(self, request: Request) -> JSONResponse:
        """The endpoint, turning a missing message into Telegram's 400 answer."""
        try:
            return await self.endpoint(request)
        except MessageNotFound as exc:
            return telegram_error(400, f"Bad Request: {exc}")

    async def serve(self) -> asyncio.Task[None]:
        """Serve on a free localhost port (see `port`) until stop() is awaited."""
        self._http = httpx.AsyncClient(timeout=10.0)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.asgi(), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        task = asyncio.get_running_loop().create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if task.done():
                await task  # raises what stopped it
            await asyncio.sleep(0.01)
        return task

    async def stop(self, task: asyncio.Task[None]) -> None:
        """Stop serving, wait for a last long poll to finish, and close the upstream client."""
        assert self._server is not None and self._http is not None
        self._server.should_exit = True
        await task
        await self._http.aclose()
