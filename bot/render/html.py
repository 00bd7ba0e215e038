"""Telegram-HTML helpers: escaping, highlighting, cutting at a sentence, measuring (pure)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

MESSAGE_LIMIT = 4096  # Telegram's limit on a message's text after entity parsing
CALLBACK_LIMIT = 64  # bytes of callback_data
ELLIPSIS = "…"

_TAG = re.compile(r"<[^>]+>")
# Sentence ends in both scripts; a cut lands right after one of these when it can.
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』\"')）]*|\.(?=\s)|\.$")


def esc(text: str) -> str:
    """Escape corpus or user text for Telegram HTML (text nodes)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Escape a value for an HTML attribute such as href."""
    return html.escape(text, quote=True)


def visible(html_text: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _safe_cut_point(text: str, limit: int) -> int:
    """A position <= limit that does not split a grapheme's combining tail or a ZWJ sequence."""
    point = limit
    while point > 0 and point < len(text):
        ch = text[point]
        prev = text[point - 1]
        joins = prev == "\u200d" or ch == "\u200d" or ch in "\ufe0e\ufe0f"
        if unicodedata.combining(ch) or joins or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            point -= 1
            continue
        break
    return point


def cut(text: str, limit: int) -> tuple[str, bool]:
    """Shorten text to <= limit characters at a sentence end (else a space); True if cut."""
    if len(text) <= limit:
        return text, False
    room = max(1, limit - len(ELLIPSIS))
    head = text[:room]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    # Prefer a sentence end unless it would throw away most of the room.
    if ends and ends[-1] >= room // 3:
        return head[: ends[-1]].rstrip() + " " + ELLIPSIS, True
    space = head.rfind(" ")
    if space >= room // 2:
        return head[:space].rstrip() + " " + ELLIPSIS, True
    return head[: _safe_cut_point(text, room)] + ELLIPSIS, True


def _spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    lowered = text.casefold()
    for term in {t for t in terms if t and t.strip()}:
        needle = term.casefold()
        if len(needle) != len(term):  # casefold changed the length (ß): fall back to exact
            lowered_text, needle = text, term
        else:
            lowered_text = lowered
        start = lowered_text.find(needle)
        while start != -1:
            found.append((start, start + len(needle)))
            start = lowered_text.find(needle, start + len(needle))
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escaped text with every occurrence of the matched terms in <b>…</b>."""
    out: list[str] = []
    pos = 0
    for start, end in _spans(text, terms):
        out.append(esc(text[pos:start]))
        out.append(f"<b>{esc(text[start:end])}</b>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(text.split())
