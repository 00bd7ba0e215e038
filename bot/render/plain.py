"""Telegram HTML as terminal text: the console shows the very same cards (pure)."""

from __future__ import annotations

import html
import re

from bot.render.reply import Reply

_BLOCKQUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.S)
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_BOLD = re.compile(r"<b>(.*?)</b>", re.S)
_TAG = re.compile(r"<[^>]+>")


def to_plain(html_text: str, *, ansi: bool = False) -> str:
    """Strip Telegram HTML to readable text; quotes indented, bold as ANSI when asked."""

    def quote(match: re.Match[str]) -> str:
        return "\n".join("  │ " + line for line in match.group(1).split("\n"))

    text = _BLOCKQUOTE.sub(quote, html_text)
    text = _LINK.sub(lambda m: m.group(2), text)
    bold = (r"\033[1m\1\033[0m") if ansi else r"\1"
    text = _BOLD.sub(bold, text)
    return html.unescape(_TAG.sub("", text))


def render_reply(reply: Reply, *, ansi: bool = False) -> tuple[str, list[str]]:
    """The reply's text and its buttons numbered in reading order, for the terminal."""
    text = to_plain(reply.text, ansi=ansi)
    labels = [b.label for row in reply.buttons for b in row]
    if labels:
        text += "\n" + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1))
    return text, labels
