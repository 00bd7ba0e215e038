"""Machine translations kept beside the corpus (corpus/translations/*.toml), by excerpt id.

Most sources are in one language; a translation lets a reader of the other language read a
quote, and lets a search in that language find it. A source's own translation always wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from bot.corpus import tomlfile
from bot.corpus.model import Excerpt, Problem, Severity

TRANSLATIONS = "translations"
MAX_CHARS = 4000  # far above any excerpt's translation: a longer one is a pasting mistake


def apply_translations(
    corpus_dir: Path, excerpts: Sequence[Excerpt]
) -> tuple[list[Excerpt], list[Problem]]:
    """The excerpts with their machine translations filled in, and every problem found."""
    by_id = {e.id: e for e in excerpts}
    found: dict[str, str] = {}
    problems: list[Problem] = []
    folder = corpus_dir / TRANSLATIONS
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        name = f"{TRANSLATIONS}/{path.name}"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, 1, f"cannot read: {exc}"))
            continue
        tables, bad = tomlfile.array_tables(name, text, "translation")
        problems += bad
        for line, table in tables:
            problem = _check(table, by_id, found)
            if problem is not None:
                problems.append(Problem(name, line, *problem))
            elif isinstance(table, dict):  # always, once _check passed it
                found[table["excerpt"]] = table["text"].strip()
    translated = [
        dataclasses.replace(e, translation=found[e.id], machine_translation=True)
        if e.id in found
        else e
        for e in excerpts
    ]
    return translated, problems


def _check(
    table: object, by_id: dict[str, Excerpt], found: dict[str, str]
) -> tuple[str, Severity] | None:
    """Why this entry cannot be used (message, severity), or None when it can."""
    if not isinstance(table, dict):
        return "a translation must be a table", Severity.ERROR
    excerpt_id, text = table.get("excerpt"), table.get("text")
    if not isinstance(excerpt_id, str) or not isinstance(text, str) or not text.strip():
        return "a translation needs `excerpt` (an id) and a non-empty `text`", Severity.ERROR
    if len(text) > MAX_CHARS:
        return f"translation of {excerpt_id} is over {MAX_CHARS} characters", Severity.ERROR
    excerpt = by_id.get(excerpt_id)
    if excerpt is None:
        # Ids hash the excerpt's text: an edited transcript leaves its old translations behind.
        message = f"no excerpt {excerpt_id!r} (its text changed or it is gone): translate it again"
        return message, Severity.WARNING
    if excerpt.translation is not None:
        message = f"{excerpt_id} has its source's own translation; this one is not used"
        return message, Severity.WARNING
    if excerpt_id in found:
        return f"{excerpt_id} is translated twice; the first is used", Severity.WARNING
    return None
