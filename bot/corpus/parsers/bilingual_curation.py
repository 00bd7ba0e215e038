"""Hand-curated cut points and speakers for the bilingual-commentary layout (corpus/curation/)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.model import UNATTRIBUTED, Problem, Severity, Source

CURATION_DIR = "curation"


@dataclass(frozen=True, slots=True)
class PartSpec:
    """One voice inside an English unit: where it starts (EN and ZH) and who speaks."""

    at: str | None
    zh: str | None
    speaker: str  # a Speaker.id or UNATTRIBUTED
    excerpt: bool = False  # host parts: also an excerpt of its own
    truncated: bool = False  # the source cuts this part off mid-sentence
    line: int = 1  # line in the curation file, for problems


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """How to cut one English unit, found by the words it starts with."""

    anchor: str
    drop: str | None
    parts: tuple[PartSpec, ...]
    line: int = 1


@dataclass(frozen=True, slots=True)
class CommentarySpec:
    """Extra sentences of one 深度解读 block to show as an excerpt's commentary."""

    anchor: str
    also: tuple[str, ...]
    line: int = 1


@dataclass(frozen=True, slots=True)
class Curation:
    """Everything the curation file says about one source."""

    file: str  # for Problem.file
    units: tuple[UnitSpec, ...] = ()
    commentary: tuple[CommentarySpec, ...] = ()


def squash(text: str) -> str:
    """Text without whitespace: anchors match across PDF line-wrap spaces and re-wrapping."""
    return re.sub(r"\s+", "", text)


def find_anchor(text: str, anchor: str, start: int = 0) -> int:
    """Index in text where anchor begins (whitespace-insensitive), at or after start; -1 if not."""
    wanted = squash(anchor)
    if not wanted:
        return -1
    kept = [(i, ch) for i, ch in enumerate(text) if i >= start and not ch.isspace()]
    joined = "".join(ch for _, ch in kept)
    found = joined.find(wanted)
    return kept[found][0] if found >= 0 else -1


def load_curation(source: Source) -> tuple[Curation, list[Problem]]:
    """The curation for this source, from options["curation"] or <corpus_dir>/curation/<id>.toml.

    Never raises: a missing or broken file gives an empty curation plus a Problem.
    """
    option = source.options.get("curation")
    corpus_dir = source.options.get("corpus_dir")
    if isinstance(option, Mapping):
        return _build("options.curation", dict(option), "")
    if isinstance(option, str | Path):
        path = Path(option)
        if not path.is_absolute() and isinstance(corpus_dir, str | Path):
            path = Path(corpus_dir) / path
    elif isinstance(corpus_dir, str | Path):
        path = Path(corpus_dir) / CURATION_DIR / f"{source.id}.toml"
    else:
        message = "no curation: the loader must pass options['corpus_dir'] (or 'curation')"
        return Curation(source.file), [Problem(source.file, 1, message)]
    label = f"{CURATION_DIR}/{path.name}"
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Curation(label), [Problem(label, 1, f"cannot read curation file: {exc}")]
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        return Curation(label), [Problem(label, line, f"invalid TOML: {exc}")]
    return _build(label, data, raw)


def _line_of(raw: str, needle: str) -> int:
    """1-based line of the first occurrence of needle in the raw file (1 if unknown)."""
    index = raw.find(needle) if needle else -1
    return raw.count("\n", 0, index) + 1 if index >= 0 else 1


def _build(label: str, data: dict[str, object], raw: str) -> tuple[Curation, list[Problem]]:
    problems: list[Problem] = []
    units: list[UnitSpec] = []
    commentary: list[CommentarySpec] = []
    for key in data:
        if key not in ("unit", "commentary"):
            problems.append(Problem(label, 1, f"unknown key {key!r} ignored", Severity.WARNING))
    for entry in _tables(data.get("unit"), "unit", label, problems):
        unit = _unit(entry, label, raw, problems)
        if unit is not None:
            units.append(unit)
    for entry in _tables(data.get("commentary"), "commentary", label, problems):
        anchor, also = entry.get("anchor"), entry.get("also", [])
        if not isinstance(anchor, str) or not anchor.strip():
            problems.append(Problem(label, 1, "[[commentary]] needs an anchor string; skipped"))
            continue
        line = _line_of(raw, anchor)
        if not isinstance(also, list) or not all(isinstance(x, str) for x in also):
            problems.append(Problem(label, line, "commentary 'also' must be a list of strings"))
            continue
        commentary.append(CommentarySpec(anchor, tuple(str(x) for x in also), line))
    return Curation(label, tuple(units), tuple(commentary)), problems


def _tables(
    value: object, name: str, label: str, problems: list[Problem]
) -> list[dict[str, object]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        problems.append(Problem(label, 1, f"use [[{name}]] tables for {name!r}"))
        return []
    return [dict(x) for x in value]


def _unit(
    entry: dict[str, object], label: str, raw: str, problems: list[Problem]
) -> UnitSpec | None:
    anchor = entry.get("anchor")
    if not isinstance(anchor, str) or not anchor.strip():
        problems.append(Problem(label, 1, "[[unit]] needs an anchor string; skipped"))
        return None
    line = _line_of(raw, anchor)
    drop = entry.get("drop")
    if drop is not None and not isinstance(drop, str):
        problems.append(Problem(label, line, "drop must be a string (the reason); ignored"))
        drop = None
    raw_parts = entry.get("parts", [{"speaker": UNATTRIBUTED}])
    if not isinstance(raw_parts, list) or not raw_parts:
        problems.append(Problem(label, line, "parts must be a non-empty list of tables"))
        raw_parts = [{"speaker": UNATTRIBUTED}]
    parts: list[PartSpec] = []
    for part in raw_parts:
        spec = _part(part, label, raw, line, problems)
        if spec is not None:
            parts.append(spec)
    return UnitSpec(anchor, drop, tuple(parts), line)


def _part(
    part: object, label: str, raw: str, unit_line: int, problems: list[Problem]
) -> PartSpec | None:
    if not isinstance(part, dict):
        problems.append(Problem(label, unit_line, "each part must be a table; skipped"))
        return None
    at, zh, speaker = part.get("at"), part.get("zh"), part.get("speaker", UNATTRIBUTED)
    line = _line_of(raw, at) if isinstance(at, str) else unit_line
    if not isinstance(speaker, str) or not all(x is None or isinstance(x, str) for x in (at, zh)):
        problems.append(Problem(label, line, "part at/zh/speaker must be strings; skipped"))
        return None
    flags = {key: part.get(key, False) for key in ("excerpt", "truncated")}
    if not all(isinstance(v, bool) for v in flags.values()):
        problems.append(Problem(label, line, "excerpt/truncated must be true or false"))
    unknown = set(part) - {"at", "zh", "speaker", "excerpt", "truncated"}
    if unknown:
        message = f"unknown part keys ignored: {', '.join(sorted(unknown))}"
        problems.append(Problem(label, line, message, Severity.WARNING))
    return PartSpec(
        at=at if isinstance(at, str) else None,
        zh=zh if isinstance(zh, str) else None,
        speaker=speaker,
        excerpt=flags["excerpt"] is True,
        truncated=flags["truncated"] is True,
        line=line,
    )
