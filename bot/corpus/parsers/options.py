"""Typed reads of a source's `[source.options]` table, with Problems for wrong types."""

from __future__ import annotations

from bot.corpus.model import Problem, Severity, Source, Speaker
from bot.corpus.sentences import detect_lang

MANIFEST = "sources.toml"  # not imported from manifest.py: that module imports the parsers


class Options:
    """Reads options of one source; a value of the wrong type is reported and ignored."""

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems

    def problem(self, message: str, severity: Severity = Severity.WARNING) -> None:
        """Report a problem with this source's manifest entry (sources.toml, its line)."""
        line = self.source.options.get("manifest_line", 1)
        at = line if isinstance(line, int) else 1
        self.problems.append(
            Problem(MANIFEST, at, f"source {self.source.id!r}: {message}", severity)
        )

    def _bad(self, key: str, expected: str) -> None:
        """Report an option of the wrong type."""
        self.problem(f"option {key!r} must be {expected}; ignored")

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

    def speaker(self, key: str) -> Speaker | None:
        """A speaker named by id (e.g. `default_speaker`); an unknown id is reported."""
        wanted = self.string(key)
        if wanted is None:
            return None
        speaker = self.source.speaker(wanted)
        if speaker is None:
            self.problem(f"{key} {wanted!r} is not one of its speakers")
        return speaker

    def lang_of(self, text: str) -> str:
        """The source's language when it has one, else guessed from the text."""
        forced = self.string("lang")
        if forced in ("en", "zh"):
            return forced
        if len(self.source.languages) == 1:
            return self.source.languages[0]
        return detect_lang(text)
