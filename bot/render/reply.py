"""Transport-neutral replies: HTML text plus rows of buttons (Telegram or the terminal)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Button:
    """One button: callback data, an inline-query switch (share) or a URL."""

    label: str
    data: str | None = None  # callback data, <= 64 bytes (see bot/render/actions.py)
    inline_query: str | None = None  # switch_inline_query text for "share"
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: Telegram HTML text, buttons, and an optional short toast."""

    text: str
    buttons: Keyboard = ()
    notice: str | None = None  # plain text for answerCallbackQuery (a toast), if any


@dataclass(frozen=True, slots=True)
class Article:
    """One inline-mode result: a card plus the title and description Telegram lists."""

    id: str
    title: str
    description: str
    reply: Reply


@dataclass(frozen=True, slots=True)
class InlinePage:
    """One page of inline results, the offset of the next ("" when done), and a tip shown
    above the results (a button that opens search help in a private chat), if any."""

    articles: list[Article]
    next_offset: str = ""
    tip: str | None = None
