"""Read corpus/sources.toml into Source/Speaker records and report what is wrong with it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus import tomlfile
from bot.corpus.model import Problem, Role, Severity, Source, Speaker
from bot.corpus.parsers import LAYOUTS

MANIFEST = "sources.toml"

# Manifest keys that map onto Source fields; the rest of a [[source]] table goes to options.
_REQUIRED = ("id", "file", "layout", "title", "languages")
_OPTIONAL_STR = ("show", "date", "url", "description")
# Keys kept in Source.options as they are (documented in corpus/README.md).
_OPTION_KEYS = frozenset({"title_en", "prefix", "options", "speaker"})
_SPEAKER_KEYS = frozenset({"id", "name", "name_zh", "role", "aliases", "labels"})
_LANGS = frozenset({"en", "zh"})
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_PREFIX = re.compile(r"^[a-z0-9]{1,8}$")
_SOURCE_HEADER = re.compile(r"^\s*\[\[\s*source\s*\]\]")
_SPEAKER_HEADER = re.compile(r"^\s*\[\[\s*source\.speaker\s*\]\]")


@dataclass(slots=True)
class Manifest:
    """The sources a manifest lists, and the problems found while reading it."""

    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # every `file` named, valid entry or not


@dataclass(slots=True)
class _Block:
    """One [[source]] table: its parsed value and where its lines are."""

    table: dict[str, object]
    lines: list[str]
    first_line: int  # 1-based line of the [[source]] header

    def line_of(self, key: str, nth_speaker: int | None = None) -> int:
        """The line where `key = ...` is written (inside the nth speaker, if given)."""
        start, end = 0, len(self.lines)
        if nth_speaker is not None:
            heads = [i for i, line in enumerate(self.lines) if _SPEAKER_HEADER.match(line)]
            if nth_speaker < len(heads):
                start = heads[nth_speaker]
                end = heads[nth_speaker + 1] if nth_speaker + 1 < len(heads) else end
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return self.first_line + i
        return self.first_line + start


def read_manifest(corpus_dir: Path, name: str = MANIFEST) -> Manifest:
    """Parse and validate the manifest; never raises, problems name the file and line."""
    path = corpus_dir / name
    result = Manifest()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        result.problems.append(Problem(name, 1, f"manifest not found in {corpus_dir}"))
        return result
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(Problem(name, 1, f"cannot read the manifest: {exc}"))
        return result
    blocks = _blocks(name, text.replace("\r\n", "\n"), result.problems)
    seen_ids: dict[str, int] = {}
    seen_prefixes: dict[str, str] = {}
    for block in blocks:
        if isinstance(block.table.get("file"), str):
            result.files.add(str(block.table["file"]))
        source = _source(name, block, corpus_dir, result.problems)
        if source is None:
            continue
        line = block.line_of("id")
        if source.id in seen_ids:
            result.problems.append(
                Problem(
                    name,
                    line,
                    f"duplicate source id {source.id!r} (first at line "
                    f"{seen_ids[source.id]}); this entry is skipped",
                )
            )
            continue
        prefix = str(source.options["prefix"])
        if prefix in seen_prefixes:
            result.problems.append(
                Problem(
                    name,
                    block.line_of("prefix"),
                    f"prefix {prefix!r} is already used by "
                    f"{seen_prefixes[prefix]!r}; excerpt ids would clash, entry skipped",
                )
            )
            continue
        seen_ids[source.id] = line
        seen_prefixes[prefix] = source.id
        result.sources.append(source)
    return result


def _blocks(name: str, text: str, problems: list[Problem]) -> list[_Block]:
    """Split the manifest at [[source]] headers and parse each part on its own.

    A syntax error then costs only the entry it is in: the other sources still load.
    """
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if _SOURCE_HEADER.match(line)]
    preamble = "\n".join(lines[: heads[0]] if heads else lines)
    _parse_toml(name, preamble, 0, problems)
    blocks: list[_Block] = []
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        chunk = lines[start:end]
        data = _parse_toml(name, "\n".join(chunk), start, problems)
        if data is None:
            continue
        tables = data.get("source")
        if not isinstance(tables, list) or len(tables) != 1 or not isinstance(tables[0], dict):
            problems.append(Problem(name, start + 1, "expected one [[source]] table here"))
            continue
        blocks.append(_Block(tables[0], chunk, start + 1))
    if not heads:
        problems.append(Problem(name, 1, "no [[source]] entries in the manifest"))
    return blocks


def _parse_toml(
    name: str, text: str, offset: int, problems: list[Problem]
) -> dict[str, object] | None:
    """Parse one manifest chunk; a syntax error becomes a Problem at its real line."""
    data = tomlfile.parse(name, text, offset)
    if isinstance(data, Problem):
        problems.append(data)
        return None
    return data


def _source(name: str, block: _Block, corpus_dir: Path, problems: list[Problem]) -> Source | None:
    """Build one Source, or report why this entry cannot be used."""
    table = block.table

    def problem(key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        """Report a problem at the line of `key` in this entry."""
        problems.append(Problem(name, block.line_of(key), message, severity))

    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        problem("id", f"source entry lacks {', '.join(missing)}; it is skipped")
        return None
    strings = {key: table[key] for key in ("id", "file", "layout", "title")}
    for key, value in strings.items():
        if not isinstance(value, str) or not value.strip():
            problem(key, f"{key} must be a non-empty string; this source is skipped")
            return None
    source_id, file, layout = str(table["id"]), str(table["file"]), str(table["layout"])
    if not _ID.match(source_id):
        problem("id", f"id {source_id!r} must be lower-case letters, digits and '-'; skipped")
        return None
    if layout not in LAYOUTS:
        known = ", ".join(sorted(LAYOUTS))
        problem("layout", f"unknown layout {layout!r} in source {source_id!r} (known: {known})")
        return None
    target = corpus_dir / file
    if Path(file).is_absolute() or not target.resolve().is_relative_to(corpus_dir.resolve()):
        problem("file", f"file {file!r} must be a path inside the corpus directory; skipped")
        return None
    if not target.is_file():
        problem("file", f"file not found: {file} (source {source_id!r})")
        return None
    languages = table["languages"]
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(x, str) and x in _LANGS for x in languages)
    ):
        problem("languages", "languages must be a list drawn from 'en', 'zh'; skipped")
        return None
    extras: dict[str, str | None] = {}
    for key in _OPTIONAL_STR:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            problem(key, f"{key} must be a string; ignored", Severity.WARNING)
            value = None
        extras[key] = value
    for key in table:
        if key not in _REQUIRED and key not in _OPTIONAL_STR and key not in _OPTION_KEYS:
            problem(key, f"unknown key {key!r} ignored", Severity.WARNING)
    options = _options(table, block, problems, name)
    prefix = table.get("prefix", _default_prefix(source_id))
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        problem("prefix", "prefix must be 1-8 lower-case letters or digits; skipped")
        return None
    options["prefix"] = prefix
    # Parsers that read sidecar files (e.g. corpus/curation/<id>.toml) resolve them from here.
    options["corpus_dir"] = str(corpus_dir)
    options["manifest_line"] = block.first_line  # where parsers point option problems
    if isinstance(table.get("title_en"), str):
        options["title_en"] = table["title_en"]
    speakers = _speakers(name, block, problems)
    return Source(
        id=source_id,
        file=file,
        layout=layout,
        title=str(table["title"]),
        languages=tuple(str(x) for x in languages),
        speakers=speakers,
        show=extras["show"],
        date=extras["date"],
        url=extras["url"],
        description=extras["description"],
        options=options,
    )


def _default_prefix(source_id: str) -> str:
    """The first part of the id, cut to 8 characters: short enough for callback data."""
    return re.sub(r"[^a-z0-9]", "", source_id.split("-")[0])[:8] or "src"


def _options(
    table: dict[str, object], block: _Block, problems: list[Problem], name: str
) -> dict[str, object]:
    """The entry's [source.options] table (a copy, so the manifest dict stays untouched)."""
    raw = table.get("options", {})
    if not isinstance(raw, dict):
        problems.append(Problem(name, block.line_of("options"), "options must be a table"))
        return {}
    return dict(raw)


def _speakers(name: str, block: _Block, problems: list[Problem]) -> tuple[Speaker, ...]:
    """The entry's [[source.speaker]] tables as Speakers; bad ones are reported and skipped."""
    raw = block.table.get("speaker", [])
    if not isinstance(raw, list):
        problems.append(Problem(name, block.line_of("speaker"), "use [[source.speaker]] tables"))
        return ()
    speakers: list[Speaker] = []
    for n, entry in enumerate(raw):

        def line(key: str, n: int = n) -> int:
            """The line of `key` inside this speaker's table."""
            return block.line_of(key, n)

        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(Problem(name, line("id"), "speaker needs an id; skipped"))
            continue
        if not isinstance(entry.get("name"), str):
            problems.append(Problem(name, line("id"), f"speaker {entry['id']!r} needs a name"))
            continue
        for key in entry:
            if key not in _SPEAKER_KEYS:
                problems.append(
                    Problem(name, line(key), f"unknown speaker key {key!r}", Severity.WARNING)
                )
        role_value = entry.get("role", Role.GUEST.value)
        try:
            role = Role(role_value)
        except ValueError:
            known = ", ".join(r.value for r in Role)
            problems.append(
                Problem(name, line("role"), f"role must be one of {known}; guest assumed")
            )
            role = Role.GUEST
        speakers.append(
            Speaker(
                id=entry["id"],
                name=entry["name"],
                name_zh=entry["name_zh"] if isinstance(entry.get("name_zh"), str) else None,
                role=role,
                aliases=_strings(entry.get("aliases")),
                labels=_strings(entry.get("labels")),
            )
        )
    return tuple(speakers)


def _strings(value: object) -> tuple[str, ...]:
    """The non-empty strings of a TOML list; anything else is ignored."""
    if not isinstance(value, list):
        return ()
    return tuple(str(x) for x in value if isinstance(x, str) and x.strip())
