"""The one command table: it registers the CommandHandlers and publishes the command menus."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import Flag, auto
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.context import BotApp, Context
from bot.handlers import admin, browse, daily, discuss, lang, quotes, search, start
from bot.texts import LANGS
from bot.texts.commands import description

_log = logging.getLogger(__name__)


class Shown(Flag):
    """In which command menus a command is listed (every command works everywhere)."""

    PRIVATE = auto()
    GROUPS = auto()
    GROUP_ADMINS = auto()
    BOT_ADMINS = auto()  # the private chats of ADMIN_USER_IDS
    EVERYWHERE = PRIVATE | GROUPS | GROUP_ADMINS | BOT_ADMINS


@dataclass(frozen=True, slots=True)
class Command:
    """A command: its name (^[a-z0-9_]{1,32}$), handler and menus."""

    name: str
    callback: Callable[[Update, Context], Coroutine[Any, Any, None]]
    shown: Shown


COMMANDS: tuple[Command, ...] = (
    Command("start", start.start, Shown.PRIVATE | Shown.BOT_ADMINS),
    Command("help", start.help_, Shown.EVERYWHERE),
    Command("quote", quotes.quote, Shown.EVERYWHERE),
    Command("search", search.search, Shown.EVERYWHERE),
    Command("random", quotes.random_, Shown.EVERYWHERE),
    Command("topics", browse.topics, Shown.EVERYWHERE),
    Command("sources", browse.sources, Shown.EVERYWHERE),
    Command("speakers", browse.speakers, Shown.EVERYWHERE),
    Command("daily", daily.daily, Shown.PRIVATE | Shown.GROUP_ADMINS | Shown.BOT_ADMINS),
    Command("discuss", discuss.discuss, Shown.GROUPS | Shown.GROUP_ADMINS),
    Command("preview", daily.preview, Shown.PRIVATE | Shown.GROUP_ADMINS | Shown.BOT_ADMINS),
    Command("lang", lang.lang, Shown.PRIVATE | Shown.GROUP_ADMINS | Shown.BOT_ADMINS),
    Command("stats", admin.stats, Shown.BOT_ADMINS),
)


def handlers() -> list[CommandHandler[Context, None]]:
    """A CommandHandler per command (they accept /cmd@BotName in groups by themselves)."""
    return [CommandHandler(c.name, c.callback) for c in COMMANDS]


async def publish(app: BotApp, admin_ids: frozenset[int]) -> None:
    """Set the command menus per scope and language; a failure is logged, not fatal."""
    scopes: list[tuple[BotCommandScope, Shown]] = [
        (BotCommandScopeAllPrivateChats(), Shown.PRIVATE),
        (BotCommandScopeAllGroupChats(), Shown.GROUPS),
        (BotCommandScopeAllChatAdministrators(), Shown.GROUP_ADMINS),
    ]
    scopes += [(BotCommandScopeChat(admin_id), Shown.BOT_ADMINS) for admin_id in sorted(admin_ids)]
    for scope, flag in scopes:
        for code in LANGS:
            menu = [
                BotCommand(c.name, description(code, c.name)) for c in COMMANDS if flag & c.shown
            ]
            try:
                # English is the default menu; Chinese clients get their own.
                await app.bot.set_my_commands(
                    menu, scope=scope, language_code=None if code == "en" else code
                )
            except TelegramError as exc:  # e.g. an admin who never opened the bot
                _log.warning("set_my_commands(%s, %s) failed: %s", scope.type, code, exc)
