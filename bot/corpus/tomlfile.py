"""Reading the corpus's TOML files: every syntax error becomes a Problem at the file's own line."""

from __future__ import annotations

import re
import tomllib

from bot.corpus.model import Problem

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def parse(name: str, text: str, offset: int = 0) -> dict[str, object] | Problem:
    """The parsed table, or the Problem that prevents it; `offset` is the line `text` starts
    after, for a chunk cut out of a longer file."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        line = offset + (int(match.group(1)) if match else 1)
        return Problem(name, line, f"invalid TOML: {_TOML_LINE.sub('', message).strip()}")


def array_tables(name: str, text: str, key: str) -> tuple[list[tuple[int, object]], list[Problem]]:
    """Each `[[key]]` table with the line it starts on, parsed one at a time so that a syntax
    error costs only its own entry. Text before the first table may only hold comments."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(key)}\s*\]\]")
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if header.match(line)]
    found: list[tuple[int, object]] = []
    problems: list[Problem] = []
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        # The final newline lets an unterminated string report its own line.
        data = parse(name, "\n".join(lines[start:end]) + "\n", start)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        tables = data.get(key)
        if not isinstance(tables, list) or len(tables) != 1:
            problems.append(Problem(name, start + 1, f"expected one [[{key}]] table here"))
            continue
        found.append((start + 1, tables[0]))
    preamble = lines[: heads[0]] if heads else lines
    stray = next((i for i, t in enumerate(preamble) if t.strip() and t.lstrip()[0] != "#"), None)
    if stray is not None:
        problems.append(Problem(name, stray + 1, f"text outside a [[{key}]] table"))
    return found, problems
