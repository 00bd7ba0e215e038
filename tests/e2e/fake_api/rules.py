"""Telegram's rules for what a bot sends, checked on every recorded or served request.

The real Bot API answers 400 for these; the fakes report them as violations so a test fails on
exactly the mistakes Telegram would reject (bad HTML, long text, big callback data, ...).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64
INLINE_RESULTS_LIMIT = 50
TOAST_LIMIT = 200
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")

# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
_ALLOWED = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TOKEN = re.compile(
    r"<(?P<close>/)?(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:\s+[a-z-]+(?:=\"[^\"<]*\")?)*)\s*>"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
    r"|[<>&]"
)
_JSON_FIELDS = ("reply_markup", "results", "commands", "scope", "link_preview_options",
                "reply_parameters", "entities", "allowed_updates")  # fmt: skip


class Violation(ValueError):
    """A request Telegram would refuse with 400 Bad Request."""


def decode_params(raw: Mapping[str, Any]) -> dict[str, Any]:
    """PTB posts JSON-encoded values as form fields; turn them back into objects."""
    params = dict(raw)
    for key in _JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str):
            params[key] = json.loads(value)
    return params


def visible_text(text: str) -> str:
    """Validate Telegram HTML and return the text a reader sees (tags gone, entities decoded)."""
    stack: list[str] = []
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        if token in "<>&":
            raise Violation(f"can't parse entities: unescaped {token!r} at offset {match.start()}")
        if token.startswith("&"):
            out.append(html.unescape(token))
            continue
        name = match.group("name").lower()
        if name not in _ALLOWED:
            raise Violation(f"can't parse entities: unsupported tag <{name}>")
        if match.group("close"):
            if not stack or stack[-1] != name:
                raise Violation(f"can't parse entities: unexpected end tag </{name}>")
            stack.pop()
        else:
            if name == "a" and 'href="' not in (match.group("attrs") or ""):
                raise Violation("can't parse entities: <a> without href")
            stack.append(name)
    out.append(text[pos:])
    if stack:
        raise Violation(f"can't parse entities: unclosed <{stack[-1]}>")
    return "".join(out)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def check_text(text: Any, parse_mode: Any) -> str:
    """A message text: non-empty and <= 4096 after entity parsing; returns the visible text."""
    if not isinstance(text, str) or not text.strip():
        raise Violation("message text is empty")
    shown = visible_text(text) if parse_mode == "HTML" else text
    if not shown.strip():
        raise Violation("message text is empty")
    if utf16_len(shown) > MESSAGE_LIMIT:
        raise Violation(f"message is too long ({utf16_len(shown)} > {MESSAGE_LIMIT})")
    return shown


def check_markup(markup: Any) -> None:
    """An inline keyboard: each button has text and exactly one action; callback data fits."""
    if markup is None:
        return
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list):
        raise Violation("reply_markup: inline_keyboard must be an array of arrays")
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise Violation("reply_markup: button without text")
            actions = [k for k in ("callback_data", "url", "switch_inline_query") if k in button]
            if len(actions) != 1:
                raise Violation(f"reply_markup: button needs exactly one action, got {actions}")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= CALLBACK_LIMIT:
                raise Violation(f"BUTTON_DATA_INVALID: {len(data.encode())} bytes")


def _check_message(params: Mapping[str, Any]) -> None:
    check_text(params.get("text"), params.get("parse_mode"))
    check_markup(params.get("reply_markup"))


def _check_inline(params: Mapping[str, Any]) -> None:
    results = params.get("results") or []
    if len(results) > INLINE_RESULTS_LIMIT:
        raise Violation(f"too many inline results: {len(results)}")
    ids = [r.get("id") for r in results]
    if len(set(ids)) != len(ids) or any(not i or len(str(i).encode()) > 64 for i in ids):
        raise Violation("RESULT_ID_INVALID or duplicate")
    for result in results:
        if result.get("type") != "article" or not result.get("title"):
            raise Violation("inline result: article needs a title")
        content = result.get("input_message_content") or {}
        check_text(content.get("message_text"), content.get("parse_mode"))
        check_markup(result.get("reply_markup"))
    if len(str(params.get("next_offset") or "").encode()) > 64:
        raise Violation("next_offset longer than 64 bytes")


def _check_toast(params: Mapping[str, Any]) -> None:
    if len(params.get("text") or "") > TOAST_LIMIT:
        raise Violation("answerCallbackQuery text longer than 200 characters")


def _check_commands(params: Mapping[str, Any]) -> None:
    commands = params.get("commands") or []
    if len(commands) > 100:
        raise Violation("more than 100 commands")
    for command in commands:
        if not COMMAND_NAME.match(command.get("command", "")):
            raise Violation(f"BOT_COMMAND_INVALID: {command.get('command')!r}")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise Violation("command description must be 1-256 characters")


CHECKS = {
    "sendMessage": _check_message,
    "editMessageText": _check_message,
    "answerInlineQuery": _check_inline,
    "answerCallbackQuery": _check_toast,
    "setMyCommands": _check_commands,
}


def validate(method: str, params: Mapping[str, Any]) -> None:
    """Raise Violation if Telegram would refuse this request."""
    check = CHECKS.get(method)
    if check is not None:
        check(params)
