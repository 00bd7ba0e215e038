"""Classify a failed send: pause, follow a migration, end a subscription, retry or give up."""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

Kind = Literal["retry_after", "migrated", "gone", "transient", "ambiguous", "permanent"]

# BadRequest texts that mean the chat is gone for good (the rest are bugs in the message).
_GONE = (
    "chat not found",
    "group chat was deactivated",
    "bot was kicked",
    "bot is not a member",
    "have no rights to send",
    "need administrator rights",
    "user is deactivated",
    "chat_write_forbidden",
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do about one failed send."""

    kind: Kind
    note: str
    delay: timedelta = timedelta(0)
    new_chat_id: int | None = None


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0


def _never_left(exc: BaseException) -> bool:
    """Whether the request certainly never reached Telegram (connect or pool failures)."""
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def classify(exc: BaseException) -> Verdict:
    """The verdict for an exception raised by sendMessage."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
            warnings.simplefilter("ignore")
            delay = _seconds(exc.retry_after)
        return Verdict("retry_after", f"retry after {delay:g}s", timedelta(seconds=delay))
    if isinstance(exc, ChatMigrated):
        return Verdict("migrated", f"migrated to {exc.new_chat_id}", new_chat_id=exc.new_chat_id)
    if isinstance(exc, Forbidden):
        return Verdict("gone", f"forbidden: {exc.message}"[:60])
    if isinstance(exc, BadRequest):
        text = exc.message.lower()
        if any(marker in text for marker in _GONE):
            return Verdict("gone", f"gone: {exc.message}"[:60])
        return Verdict("permanent", f"bad request: {exc.message}")
    if isinstance(exc, TimedOut | asyncio.TimeoutError):
        # A read timeout may mean Telegram delivered it: never resend those.
        if _never_left(exc):
            return Verdict("transient", f"timed out before sending: {exc}")
        return Verdict("ambiguous", f"timed out: {exc}")
    if isinstance(exc, NetworkError | OSError):
        if isinstance(exc, NetworkError) and not _never_left(exc) and "connect" not in str(exc):
            return Verdict("ambiguous", f"network error mid-request: {exc}")
        return Verdict("transient", f"network error: {exc}")
    if isinstance(exc, TelegramError):
        return Verdict("permanent", f"telegram error: {exc}")
    return Verdict("ambiguous", f"unexpected: {exc!r}")
