"""Sentence splitting and quote windows for English and Chinese text, shared by every parser.

Stable API (other parsers import it):
    split_sentences(text, lang) -> list[str]      # never cuts inside a sentence
    windows(sentences, max_chars=600, max_sentences=5) -> list[str]
    sentence_windows(text, lang, max_chars=600, max_sentences=5) -> list[str]
    window_spans(sentences, max_chars=600, max_sentences=5) -> list[tuple[int, int]]
    join_sentences(sentences) -> str
    separator(left, right) -> " " | ""
    detect_lang(text) -> "en" | "zh"
"""

from __future__ import annotations

import re
from functools import lru_cache

# Closers that belong to the sentence they end: quotes and brackets in both scripts.
_CLOSERS = "\"'”’」』）)】》]"
# Chinese terminators end a sentence with or without following whitespace.
_ZH_END = "。！？!?"
# English words whose final period does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "inc",
        "jr",
        "sr",
        "fig",
        "approx",
        "cf",
        "al",
    }
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")

# A candidate boundary: terminator run + closers, then either whitespace or (for CJK
# terminators, or a period right after a CJK character) nothing at all.
_BOUNDARY = re.compile(
    rf"(?:[{_ZH_END}]+|…+|\.{{3,}}|(?<=[{_CJK}])\.|[.!?]+)[{re.escape(_CLOSERS)}]*"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(chunk: str) -> bool:
    """Whether the period ending `chunk` belongs to an abbreviation or initial."""
    match = _WORD_BEFORE.search(chunk)
    if not match:
        return False
    word = match.group(1).lower()
    # Single letters are initials ("J. Tworek") and dotted acronyms ("U.S.").
    return (
        word in _ABBREVIATIONS or len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    )


def _is_boundary(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the terminator text[start:end] really ends a sentence."""
    terminator = text[start:end].rstrip(_CLOSERS)
    after = text[end : end + 1]
    if not after:
        return True
    if terminator[0] in _ZH_END or (
        terminator[0] == "." and _CJK_RE.match(text[start - 1 : start])
    ):
        # "。" always ends a sentence; a "?" glued to a Latin word only in Chinese text.
        if terminator[0] in "!?" and not after.isspace() and not _CJK_RE.match(after):
            return lang == "zh" and not after.isalnum()
        return True
    if terminator.startswith(("…", "...")):
        # An ellipsis ends a sentence only before whitespace and a capital or CJK character.
        rest = text[end:].lstrip()
        return after.isspace() and bool(rest) and (rest[0].isupper() or bool(_CJK_RE.match(rest)))
    if not after.isspace():
        # "5.2", "o1.preview", "e.g.x": a Latin period glued to the next character.
        return bool(_CJK_RE.match(after)) and lang == "zh"
    return not (terminator == "." and _is_abbreviation(text[:end]))


def split_sentences(text: str, lang: str) -> list[str]:
    """Cut text into sentences (EN `. ? !`, ZH `。？！` and ASCII equivalents), whitespace trimmed.

    Closing quotes and brackets stay with the sentence they end; nothing is dropped or rewritten
    apart from the whitespace between sentences.
    """
    sentences: list[str] = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match.start(), match.end(), lang):
            piece = text[begin : match.end()].strip()
            if piece:
                sentences.append(piece)
            begin = match.end()
    tail = text[begin:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def join_sentences(sentences: list[str]) -> str:
    """Join sentences back: a space between Latin neighbours, nothing between CJK ones."""
    out = ""
    for sentence in sentences:
        if out and sentence:
            out += separator(out[-1], sentence[0])
        out += sentence
    return out


def separator(left: str, right: str) -> str:
    """ " " between two pieces of text that meet at these characters, or "" next to Chinese."""
    return "" if _is_cjk_edge(left[-1:]) or _is_cjk_edge(right[:1]) else " "


def _is_cjk_edge(char: str) -> bool:
    """Whether a character is Chinese text or punctuation (no space next to it)."""
    if not char:  # "" is "in" every string
        return False
    return bool(_CJK_RE.match(char)) or char in "。！？，、；：「」『』“”（）《》【】…"


def windows(sentences: list[str], max_chars: int = 600, max_sentences: int = 5) -> list[str]:
    """Group consecutive sentences into as few windows as the limits allow, balanced in length.

    A single sentence longer than max_chars becomes its own window (never cut mid-sentence).
    Among the partitions with the fewest windows, the one whose longest window is shortest wins,
    so a long answer becomes e.g. 3+3 sentences rather than 5+1.
    """
    items = [s for s in (s.strip() for s in sentences) if s]
    if not items:
        return []
    groups = _partition(tuple(len(s) for s in items), max_chars, max_sentences)
    return [join_sentences(items[a:b]) for a, b in groups]


def window_spans(
    sentences: list[str], max_chars: int = 600, max_sentences: int = 5
) -> list[tuple[int, int]]:
    """Like windows(), but the [start, end) sentence index ranges (for timestamps, lines)."""
    if not sentences:
        return []
    return _partition(tuple(len(s.strip()) for s in sentences), max_chars, max_sentences)


def detect_lang(text: str) -> str:
    """ "zh" when at least a fifth of the letters are Chinese characters, else "en"."""
    cjk = len(_CJK_RE.findall(text))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    # One Chinese character carries about as much as a short English word (~4 letters).
    return "zh" if cjk and cjk * 4 >= (cjk * 4 + latin) * 0.2 else "en"


def sentence_windows(
    text: str, lang: str, max_chars: int = 600, max_sentences: int = 5
) -> list[str]:
    """split_sentences + windows in one call."""
    return windows(split_sentences(text, lang), max_chars, max_sentences)


@lru_cache(maxsize=1024)
def _partition(
    lengths: tuple[int, ...], max_chars: int, max_sentences: int
) -> list[tuple[int, int]]:
    """Fewest windows first, then the smallest maximum window length (dynamic programming)."""
    n = len(lengths)
    prefix = [0]
    for length in lengths:
        prefix.append(prefix[-1] + length + 1)

    def size(a: int, b: int) -> int:
        """Characters of sentences a..b-1 joined with single spaces."""
        return prefix[b] - prefix[a] - 1

    def fits(a: int, b: int) -> bool:
        """Whether sentences a..b-1 may form one window."""
        return b - a == 1 or (b - a <= max_sentences and size(a, b) <= max_chars)

    # best[i] = (windows used, longest window) for the first i sentences; back[i] = cut point.
    best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, 0)] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(end - 1, -1, -1):
            if not fits(start, end):
                break
            count, longest = best[start]
            candidate = (count + 1, max(longest, size(start, end)))
            if candidate < best[end]:
                best[end] = candidate
                back[end] = start
    cuts: list[tuple[int, int]] = []
    end = n
    while end > 0:
        cuts.append((back[end], end))
        end = back[end]
    return cuts[::-1]
