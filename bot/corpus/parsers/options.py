"""Typed reads of a source's `[source.options]` table, with Problems for wrong types."""

from __future__ import annotations

from bot.corpus.model import Problem, Severity, Source
from bot.corpus.sentences import detect_lang


class Options:
    """Reads options of one source; a value of the wrong type is reported and ignored."""

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems

    def _bad(self, key: str, expected: str) -> None:
        self.problems.append(
            Problem(
                "sources.toml",
                1,
                f"source {self.source.id!r}: option {key!r} must be {expected}; ignored",
                Severity.WARNING,
            )
        )

    def string(self, key: str, default: str | None = None) -> str | None:
        """A string option."""
        value = self.source.options.get(key, default)
        if value is None or isinstance(value, str):
            return value
        self._bad(key, "a string")
        return default

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A list of strings (a single string is accepted as a one-item list)."""
        value = self.source.options.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self._bad(key, "a list of strings")
        return default

    def integer(self, key: str, default: int) -> int:
        """A positive integer option."""
        value = self.source.options.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self._bad(key, "a positive integer")
        return default

    def boolean(self, key: str, default: bool) -> bool:
        """A true/false option."""
        value = self.source.options.get(key, default)
        if isinstance(value, bool):
            return value
        self._bad(key, "true or false")
        return default

    def tables(self, key: str) -> list[dict[str, object]]:
        """An array of tables, e.g. [[source.options.commentary]]."""
        value = self.source.options.get(key)
        if value is None:
            return []
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        self._bad(key, "an array of tables")
        return []

    def lang_of(self, text: str) -> str:
        """The source's language when it has one, else guessed from the text."""
        forced = self.string("lang")
        if forced in ("en", "zh"):
            return forced
        if len(self.source.languages) == 1:
            return self.source.languages[0]
        return detect_lang(text)
