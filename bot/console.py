"""The bot in a terminal: the same answers and cards as in Telegram, rendered as plain text."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.render.plain import render_reply
from bot.render.reply import Button, Reply
from bot.services.answers import Answers, Ask
from bot.texts import LANGS, Lang
from bot.texts import common as tc
from bot.texts import console as t

QUIT = {"/quit", "/exit"}


class Console:
    """One terminal conversation: commands, plain-text searches and numbered buttons."""

    def __init__(
        self, answers: Answers, lang: Lang, *, ansi: bool = False, seed: int | None = None
    ) -> None:
        self.answers, self.lang, self.ansi = answers, lang, ansi
        self.rng = random.Random(seed)
        self._buttons: list[Button] = []
        self._last_text: str | None = None

    @property
    def ask(self) -> Ask:
        """The asker: this terminal, in its current language."""
        return Ask(self.lang)

    def _commands(self) -> dict[str, Callable[[str], Reply]]:
        a, ask = self.answers, self.ask
        return {
            "start": lambda arg: a.start(ask, arg.split()[0] if arg else None, None),
            "help": lambda arg: a.help(ask, group=False),
            "quote": lambda arg: a.quote(ask, arg),
            "search": lambda arg: a.search(ask, arg),
            "random": lambda arg: a.random(ask, arg, self.rng),
            "topics": lambda arg: a.topics(ask),
            "sources": lambda arg: a.sources(ask),
            "speakers": lambda arg: a.speakers(ask),
            "lang": self._set_lang,
        }

    def _set_lang(self, arg: str) -> Reply:
        wanted = arg.strip().casefold()
        if wanted not in LANGS:
            return Reply(tc.lang_usage(self.lang))
        self.lang = "zh" if wanted == "zh" else "en"
        return Reply(tc.lang_set(self.lang))

    def _press(self, number: int) -> Reply:
        if not 1 <= number <= len(self._buttons):
            return Reply(t.no_such_button(self.lang))
        button = self._buttons[number - 1]
        if button.inline_query is not None:
            return Reply(t.share_hint(self.lang, button.inline_query))
        press = self.answers.press(self.ask, button.data, self._last_text)
        return press.reply or Reply(press.notice or tc.stale_button(self.lang))

    def handle(self, line: str) -> str:
        """One line of input -> the text to print (buttons numbered)."""
        line = line.strip()
        if line.isdigit() and self._buttons:
            reply = self._press(int(line))
        elif line.startswith("/"):
            word, _, arg = line[1:].partition(" ")
            name = word.partition("@")[0].casefold()
            handler = self._commands().get(name)
            reply = handler(arg) if handler else Reply(tc.unknown_command(self.lang, name[:32]))
        else:
            reply = self.answers.quote(self.ask, line)
        text, _ = render_reply(reply, ansi=self.ansi)
        if reply.buttons:
            self._buttons = [b for row in reply.buttons for b in row]
            self._last_text = render_reply(reply)[0]
        return text

    def loop(self, lines: Iterable[str], out: TextIO = sys.stdout, prompt: str = "") -> None:
        """Answer each line until the input ends or /quit."""
        for line in lines:
            if line.strip() in QUIT:
                return
            if line.strip():
                print(self.handle(line), file=out, end="\n\n", flush=True)
            if prompt:
                print(prompt, end="", file=out, flush=True)
