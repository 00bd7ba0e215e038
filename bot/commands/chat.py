"""`insightbot chat`: try every command and card in the terminal, no Telegram needed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from bot.commands.run import settings_for
from bot.console import Console
from bot.context import Services
from bot.services.catalog import load_snapshot
from bot.texts import lang_from_code
from bot.texts.console import banner

PROMPT = "› "


def _lines() -> Iterator[str]:
    while True:
        try:
            yield input(PROMPT) if sys.stdin.isatty() else next(sys.stdin)
        except (EOFError, StopIteration):
            return


def chat(args: argparse.Namespace) -> int:
    """Load the corpus and talk on stdin/stdout until EOF or /quit."""
    settings = settings_for(args)
    services = Services(settings)
    services.catalog.swap(load_snapshot(settings.corpus_dir))
    import locale
    import os

    lang = args.lang or lang_from_code(os.environ.get("LANG") or locale.getlocale()[0])
    corpus = services.catalog.current.corpus
    print(banner(lang, len(corpus.excerpts), len(corpus.sources)), end="\n\n", flush=True)
    Console(services.answers, lang, ansi=sys.stdout.isatty()).loop(_lines())
    return 0
