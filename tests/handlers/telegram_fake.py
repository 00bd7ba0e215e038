"""A recording fake of Telegram at PTB's transport boundary, and builders of realistic updates."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.e2e.fake_api.rules import Violation, decode_params, validate, visible_text
from tests.e2e.fake_api.server import ADMIN_RIGHTS

BOT_ID = 777000111
BOT_USERNAME = "InsightTestBot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Insight",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None  # what the fake answered (the Message dict for sends and edits)

    @property
    def text(self) -> str:
        """The visible text of a message the bot sent or edited."""
        raw = self.params.get("text", "")
        return visible_text(raw) if self.params.get("parse_mode") == "HTML" else raw

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every inline keyboard button, in reading order."""
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains label_part."""
        return next(b for b in self.buttons if label_part in b["text"])


class RecordingRequest(BaseRequest):
    """Answers like Telegram (getMe, sendMessage, ...), records calls, and refuses bad ones."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.member_status = "member"  # what getChatMember reports
        self._ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

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
        api_method = url.rsplit("/", 1)[-1]
        params = decode_params(request_data.json_parameters if request_data else {})
        try:
            validate(api_method, params)
        except Violation as exc:
            self.violations.append(f"{api_method}: {exc}")
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            return 400, json.dumps(body).encode()
        call = Call(api_method, params, self._result(api_method, params))
        self.calls.append(call)
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            if params.get("inline_message_id"):
                return True
            chat_id = int(params["chat_id"])
            text = params["text"]
            shown = visible_text(text) if params.get("parse_mode") == "HTML" else text
            message = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": shown,
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "getChatMember":
            user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "U"}
            member: dict[str, Any] = {"status": self.member_status, "user": user}
            if self.member_status == "administrator":
                member.update(dict.fromkeys(ADMIN_RIGHTS, False))
            return member
        return True

    def sent(self, method: str = "sendMessage") -> list[Call]:
        """The recorded calls of one method."""
        return [c for c in self.calls if c.method == method]


def utf16(text: str) -> int:
    """Telegram's entity offsets count UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Person:
    """A Telegram user."""

    id: int
    first_name: str = "Ada"
    language_code: str | None = "en"

    def as_dict(self) -> dict[str, Any]:
        """The user as Telegram sends it."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class Updates:
    """Builds updates the way Telegram sends them (entities, chats, ids)."""

    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _messages: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @staticmethod
    def chat(person: Person | None = None, group_id: int | None = None) -> dict[str, Any]:
        """A private chat with the person, or a supergroup."""
        if group_id is not None:
            return {"id": group_id, "type": "supergroup", "title": "AI reading group"}
        assert person is not None
        return {"id": person.id, "type": "private", "first_name": person.first_name}

    def message_dict(
        self, text: str, person: Person, group_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A text message with bot_command and mention entities filled in."""
        entities = []
        if text.startswith("/"):
            first = text.split(maxsplit=1)[0] if text.strip() else text
            entities.append({"type": "bot_command", "offset": 0, "length": utf16(first)})
        start = text.find("@")
        while start != -1:
            end = start + 1
            while end < len(text) and (text[end].isalnum() or text[end] == "_"):
                end += 1
            if end - start > 1 and not (entities and start < entities[0]["length"]):
                entities.append(
                    {"type": "mention", "offset": utf16(text[:start]), "length": end - start}
                )
            start = text.find("@", end)
        message: dict[str, Any] = {
            "message_id": next(self._messages),
            "date": int(time.time()),
            "chat": self.chat(person, group_id),
            "from": person.as_dict(),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        message.update(extra)
        return message

    def message(
        self, text: str, person: Person, group_id: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        """An update carrying a new text message."""
        return {
            "update_id": next(self._ids),
            "message": self.message_dict(text, person, group_id, **extra),
        }

    def raw(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """An update of any kind (edited_message, channel_post, ...)."""
        return {"update_id": next(self._ids), kind: payload}

    def media(self, person: Person, kind: str, group_id: int | None = None) -> dict[str, Any]:
        """A sticker or photo message."""
        payloads = {
            "sticker": {
                "file_id": "CAAC", "file_unique_id": "u1", "width": 512, "height": 512,
                "is_animated": False, "is_video": False, "type": "regular",
            },
            "photo": [{"file_id": "AgAC", "file_unique_id": "u2", "width": 90, "height": 90}],
        }  # fmt: skip
        message = {
            "message_id": next(self._messages),
            "date": int(time.time()),
            "chat": self.chat(person, group_id),
            "from": person.as_dict(),
            kind: payloads[kind],
        }
        return {"update_id": next(self._ids), "message": message}

    def callback(
        self,
        data: str,
        person: Person,
        message: dict[str, Any] | None,
        inline_id: str | None = None,
    ) -> dict[str, Any]:
        """A button press on a message the bot sent (or on an inline message)."""
        query: dict[str, Any] = {
            "id": str(next(self._ids)),
            "from": person.as_dict(),
            "chat_instance": "ci-1",
            "data": data,
        }
        if message is not None:
            query["message"] = message
        if inline_id is not None:
            query["inline_message_id"] = inline_id
        return {"update_id": next(self._ids), "callback_query": query}

    def inline(self, query: str, person: Person, offset: str = "") -> dict[str, Any]:
        """An inline query: @bot words."""
        payload = {
            "id": str(next(self._ids)),
            "from": person.as_dict(),
            "query": query,
            "offset": offset,
        }
        return {"update_id": next(self._ids), "inline_query": payload}
