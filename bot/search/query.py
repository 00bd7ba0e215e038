"""Query syntax: "exact phrase", -exclude, speaker:/source:/lang:/topic: filters, free text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.search.normalize import normalize, squash_spaces

MAX_QUERY_CHARS = 500  # longer input is cut: nobody types more, and it bounds the work
FILTER_KEYS = ("speaker", "source", "lang", "topic")
# Chinese spellings of the filter keys, so a Chinese keyboard user need not switch layouts.
_KEY_ALIASES = {
    "说话人": "speaker",
    "讲者": "speaker",
    "嘉宾": "speaker",
    "来源": "source",
    "语言": "lang",
    "话题": "topic",
    "主题": "topic",
    "language": "lang",
    "from": "source",
    "by": "speaker",
}
_QUOTES = {"“": "”", "「": "」", "『": "』", '"': '"', "«": "»"}
_PART = re.compile(
    r"""(?P<neg>-)?(?:(?P<key>[^\W\d_]{1,12}):(?P<kval>"[^"]*"?|\S+)|(?P<phrase>"[^"]*"?)|(?P<word>\S+))"""
)
_IGNORED_KEYS = ("http", "https", "mailto")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its parts; `error` is set when it cannot be run as typed."""

    text: str = ""  # free text, normalised, filters and excludes removed
    phrases: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    error: str | None = None
    error_code: str | None = None  # "unknown_filter" | "bad_lang" | "empty_filter"
    error_arg: str | None = None
    words: tuple[str, ...] = field(default=())  # free-text words in order, phrases included
    open_end: bool = False  # the input ends in a free-text word with no space after it yet

    @property
    def has_filters(self) -> bool:
        """Whether any filter narrows the results."""
        return bool(self.speakers or self.sources or self.langs or self.topics)

    @property
    def has_terms(self) -> bool:
        """Whether there is anything to rank by (free text or phrases)."""
        return bool(self.text.strip() or self.phrases)


def _unquote(value: str) -> str:
    return value.strip().strip('"').strip()


def parse_query(raw: str) -> ParsedQuery:
    """Parse user input; never raises."""
    text = normalize(raw[:MAX_QUERY_CHARS])
    for open_q, close_q in _QUOTES.items():
        if open_q != '"':
            text = text.replace(open_q, '"').replace(close_q, '"')
    text = squash_spaces(text)
    words: list[str] = []
    phrases: list[str] = []
    excludes: list[str] = []
    filters: dict[str, list[str]] = {k: [] for k in FILTER_KEYS}
    open_end = False
    for m in _PART.finditer(text):
        neg = bool(m.group("neg"))
        key = m.group("key")
        if key is not None:
            name = _KEY_ALIASES.get(key, key)
            value = _unquote(m.group("kval"))
            if name in FILTER_KEYS and not neg:
                if not value:
                    return _fail("empty_filter", name, f"{name}: needs a value, e.g. {name}:…")
                filters[name].append(value)
                continue
            if key not in _IGNORED_KEYS and key.isascii() and not neg:
                keys = ", ".join(f"{k}:" for k in FILTER_KEYS)
                return _fail("unknown_filter", key, f"unknown filter {key}: (use {keys})")
            token = m.group(0)[1:] if neg else m.group(0)
        elif m.group("phrase") is not None:
            token = _unquote(m.group("phrase"))
            if not token:
                continue
            if not neg:
                phrases.append(token)
                words.append(token)
                continue
        else:
            token = m.group("word")
            # Search as you type: a last word not yet followed by a space may be unfinished.
            open_end = not neg and m.end() == len(text) and not raw[-1:].isspace()
        if neg:
            if token := _unquote(token):
                excludes.append(token)
            continue
        words.append(token)
    for lang in filters["lang"]:
        if lang not in ("en", "zh"):
            return _fail("bad_lang", lang, f"lang:{lang} is not supported (use lang:en or lang:zh)")
    free = " ".join(w for w in words if w not in phrases)
    return ParsedQuery(
        text=free,
        phrases=tuple(phrases),
        excludes=tuple(excludes),
        speakers=tuple(filters["speaker"]),
        sources=tuple(filters["source"]),
        langs=tuple(dict.fromkeys(filters["lang"])),
        topics=tuple(filters["topic"]),
        words=tuple(words),
        open_end=open_end,
    )


def _fail(code: str, arg: str, message: str) -> ParsedQuery:
    return ParsedQuery(error=message, error_code=code, error_arg=arg)
