"""The `insightbot` command line: argument parsing only; each subcommand lives in bot/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# subcommand path -> "module:function"; imported lazily so `insightbot --help` stays instant.
_TARGETS = {
    "run": "bot.commands.run:run",
    "index": "bot.commands.corpus:index",
    "corpus check": "bot.commands.corpus:check",
    "corpus export": "bot.commands.corpus:export",
    "search": "bot.commands.search:search",
    "eval": "bot.commands.search:evaluate",
    "chat": "bot.commands.chat:chat",
    "db upgrade": "bot.commands.db:upgrade",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="insightbot",
        description="Quotes from interviews with AI research leaders, in Telegram and a terminal.",
    )
    parser.add_argument("--corpus", type=Path, help="corpus directory (default: CORPUS_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="start the Telegram bot (long polling by default)")
    run.add_argument("--webhook", action="store_true", help="serve the Bot API webhook instead")
    run.set_defaults(target="run")

    sub.add_parser("index", help="parse and validate the corpus; print counts").set_defaults(
        target="index"
    )

    corpus = sub.add_parser("corpus", help="inspect the corpus")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    corpus_sub.add_parser("check", help="lint the corpus; non-zero exit on errors").set_defaults(
        target="corpus check"
    )
    export = corpus_sub.add_parser("export", help="every excerpt as one JSON object per line")
    export.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    export.set_defaults(target="corpus export")

    search = sub.add_parser("search", help="search the corpus (reads queries from stdin if none)")
    search.add_argument("query", nargs="*", help="the query; omit to read one per line from stdin")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--json", action="store_true", help="one JSON object per query")
    search.set_defaults(target="search")

    ev = sub.add_parser("eval", help="recall@1/@5 and MRR on a query file (dev_queries.jsonl)")
    ev.add_argument("file", type=Path)
    ev.add_argument("--baselines", action="store_true", help="also score rapidfuzz and FTS5")
    ev.add_argument(
        "--file-map",
        help='map expect[].file to source ids, e.g. "000=a16z-vibe-researching" (default: '
        "manifest order, 000 = first [[source]])",
    )
    ev.set_defaults(target="eval")

    chat = sub.add_parser("chat", help="try the bot's commands in this terminal")
    chat.add_argument("--lang", choices=["en", "zh"], default=None)
    chat.set_defaults(target="chat")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply Alembic migrations").set_defaults(target="db upgrade")
    return parser


def _resolve(target: str) -> Callable[[argparse.Namespace], int]:
    module, _, func = _TARGETS[target].partition(":")
    handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), func)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `insightbot` console script."""
    args = _parser().parse_args(argv)
    from bot.settings import SettingsError

    try:
        return _resolve(args.target)(args)
    except SettingsError as exc:
        print(f"insightbot: invalid setting: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
