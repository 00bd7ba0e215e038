"""One parser per transcript layout; LAYOUTS maps a manifest `layout` name to its parser.

Parsers are imported lazily by module name, so a layout whose module is missing or broken
costs only the sources that use it (the loader reports a Problem), never the whole corpus.
"""

from __future__ import annotations

import importlib
from typing import cast

from bot.corpus.parsers.base import Parser

# layout name -> "module:function"; the manifest's `layout` must be one of these keys.
LAYOUTS: dict[str, str] = {
    "bilingual-commentary": "bot.corpus.parsers.bilingual_commentary:parse",
    "timestamped-notes": "bot.corpus.parsers.timestamped_notes:parse",
    "speaker-turns": "bot.corpus.parsers.speaker_turns:parse",
    "qa-article": "bot.corpus.parsers.qa_article:parse",
    "news-article": "bot.corpus.parsers.news_article:parse",
    "plain-transcript": "bot.corpus.parsers.plain_transcript:parse",
    "srt": "bot.corpus.parsers.subtitles:parse_srt",
    "webvtt": "bot.corpus.parsers.subtitles:parse_vtt",
}


class LayoutError(Exception):
    """A layout is unknown or its parser cannot be imported; the message says which."""


def parser_for(layout: str) -> Parser:
    """The parser function for a layout name; raises LayoutError with a readable reason."""
    target = LAYOUTS.get(layout)
    if target is None:
        raise LayoutError(f"unknown layout {layout!r} (known: {', '.join(sorted(LAYOUTS))})")
    module_name, _, func = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # any import-time failure of one parser must not stop the others
        raise LayoutError(f"parser for layout {layout!r} cannot be loaded: {exc!r}") from exc
    parser = getattr(module, func, None)
    if not callable(parser):
        raise LayoutError(f"{module_name} has no function {func}() for layout {layout!r}")
    return cast(Parser, parser)
