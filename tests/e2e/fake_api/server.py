"""A fake Telegram Bot API over HTTP for end-to-end tests: the bot process talks to it as to
api.telegram.org (long polling), the test pushes updates and reads what the bot sent.

Every request is checked with rules.py; a request Telegram would refuse gets the same 400 answer
and is recorded in `violations`, which the tests require to stay empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.e2e.fake_api.rules import Violation, decode_params, validate, visible_text

MAX_POLL_SECONDS = 1.0  # answer long polls early so the bot stops promptly at the end
# The flags Telegram's ChatMemberAdministrator always carries (PTB requires them all).
ADMIN_RIGHTS = [
    *("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages"),
    *("can_manage_video_chats", "can_restrict_members", "can_promote_members"),
    *("can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories"),
    "can_delete_stories",
]


class ChatNotFound(Exception):
    """The bot addressed a chat that never talked to it (Telegram answers 400)."""


@dataclass
class Sent:
    """One request the bot made, with the time the fake received it."""

    method: str
    params: dict[str, Any]
    result: Any
    at: float

    @property
    def text(self) -> str:
        raw = self.params.get("text", "")
        return visible_text(raw) if self.params.get("parse_mode") == "HTML" else raw

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class FakeBotApi:
    """The Bot API of one bot, in memory."""

    token: str
    username: str = "InsightE2EBot"
    bot_id: int = 900000001
    admins: set[tuple[int, int]] = field(default_factory=set)  # (chat_id, user_id)
    sent: list[Sent] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    pushed_at: dict[int, float] = field(default_factory=dict)  # update_id -> time
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    port: int = 0
    _server: uvicorn.Server | None = None
    _chats: set[int] = field(default_factory=set)  # chats the bot may send to (users wrote)

    # -- what the test does ------------------------------------------------------------------

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Make an update available to getUpdates; returns its update_id."""
        message = payload.get("message", payload) if kind == "callback_query" else payload
        if "chat" in message:  # the bot may now talk in this chat, and reply to this message
            self._chats.add(message["chat"]["id"])
            self._messages.setdefault((message["chat"]["id"], message["message_id"]), message)
        update_id = next(self._ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self.pushed_at[update_id] = time.monotonic()
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def next_message_id(self) -> int:
        """A fresh message id for a user's message."""
        return next(self._ids)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message the bot sent, as Telegram would include it in a callback query."""
        return self._messages[(chat_id, message_id)]

    async def wait_for(self, test: Callable[[list[Sent]], Any], seconds: float = 30.0) -> Any:
        """Wait until test(sent) is truthy; returns its value."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: test(self.sent)), seconds)
            return test(self.sent)

    def calls(self, method: str) -> list[Sent]:
        """Recorded requests of one method."""
        return [s for s in self.sent if s.method == method]

    # -- the HTTP side -----------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _params(self, request: Request) -> dict[str, Any]:
        body = await request.body()
        if not body:
            return dict(request.query_params)
        if request.headers.get("content-type", "").startswith("application/json"):
            return dict(json.loads(body))
        return decode_params(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))

    async def endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
            )
        method = request.path_params["method"]
        params = await self._params(request)
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        try:
            validate(method, params)
            result = self._result(method, params)
        except Violation as exc:
            self.violations.append(f"{method}: {exc}")
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            return JSONResponse(body, 400)
        except ChatNotFound:  # not a mistake in the request: the bot must cope with it
            body = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            return JSONResponse(body, 400)
        except KeyError:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            return JSONResponse(body, 404)
        self.sent.append(Sent(method, params, result, time.monotonic()))
        await self._notify()
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            wait = min(float(params.get("timeout") or 0), MAX_POLL_SECONDS)
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates)), wait
                    )
        self.sent.append(Sent("getUpdates", params, None, time.monotonic()))
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Insight",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _check_chat(self, params: dict[str, Any]) -> None:
        chat_id = params.get("chat_id") or (params.get("scope") or {}).get("chat_id")
        if chat_id is not None and int(chat_id) not in self._chats:
            raise ChatNotFound
        reply = params.get("reply_parameters") or {}
        target = (int(chat_id or 0), int(reply.get("message_id") or 0))
        if reply and target not in self._messages and not reply.get("allow_sending_without_reply"):
            raise Violation("message to be replied not found")

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method != "getUpdates":
            self._check_chat(params)
        simple = {"getMe": self._bot_user(), "deleteWebhook": True, "setMyCommands": True,
                  "answerCallbackQuery": True, "answerInlineQuery": True,
                  "deleteMyCommands": True, "close": True, "logOut": True}  # fmt: skip
        if method in simple:
            return simple[method]
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return self._store(chat_id, next(self._ids), params)
        if method == "editMessageText":
            if params.get("inline_message_id"):
                return True
            chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
            if (chat_id, message_id) not in self._messages:
                raise Violation("message to edit not found")
            return self._store(chat_id, message_id, params)
        if method == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            user = {"id": user_id, "is_bot": False, "first_name": "Member"}
            if (chat_id, user_id) not in self.admins:
                return {"status": "member", "user": user}
            rights = dict.fromkeys(ADMIN_RIGHTS, False)
            return {"status": "administrator", "user": user, **rights}
        raise KeyError(method)

    def _store(self, chat_id: int, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        text = params["text"]
        kind = "private" if chat_id > 0 else "supergroup"
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),  # seconds, as Telegram sends them
            "chat": {"id": chat_id, "type": kind},
            "from": self._bot_user(),
            "text": visible_text(text) if params.get("parse_mode") == "HTML" else text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message_id)] = message
        return message

    # -- serving -----------------------------------------------------------------------------

    def asgi(self) -> Starlette:
        """The ASGI app: /bot<token>/<method>."""
        route = Route("/bot{token}/{method}", self.endpoint, methods=["GET", "POST"])
        return Starlette(routes=[route])

    async def serve(self) -> asyncio.Task[None]:
        """Serve on a free localhost port (see `port`) until the returned task is cancelled."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.asgi(), log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
        for _ in range(1000):
            if server.started:
                break
            await asyncio.sleep(0.01)
        self._server = server
        return task

    async def stop(self, task: asyncio.Task[None]) -> None:
        """Stop serving and wait for open requests (a last long poll) to finish."""
        assert self._server is not None
        self._server.should_exit = True
        await task
