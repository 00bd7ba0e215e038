"""Reading the bilingual-commentary layout into units (EN + ZH), commentary blocks and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.model import Dropped, Problem, Severity, Source
from bot.corpus.parsers.bilingual_curation import CommentarySpec, squash
from bot.corpus.sentences import join_sentences, split_sentences

HEADING = re.compile(r"^\d+\.\d+\s+(\S.*)$")
TABLE_TITLE = re.compile(r"^表\s*\d+\s*[:：]")
QUOTE_MARKER = "原文翻译"
COMMENTARY_MARKER = "深度解读"
# Bullets as the PDF export wrote them: "- 1. ", "• ", "1. ", " - 。 " (an OCR'd "◦"), "- ".
BULLET = re.compile(r"^\s*(?:[-•◦·]\s*)?(?:[。◦]\s+)?(?:\d{1,2}[.、]\s*)?")
MARKUP = re.compile(r"\*\*|==")
SUMMARY_CHARS = 300
MIN_ENGLISH_CHARS = 40


@dataclass(slots=True)
class Para:
    """One non-empty physical line (a paragraph in this layout)."""

    line: int
    text: str


@dataclass(slots=True)
class Unit:
    """An English paragraph (possibly broken over several lines) and its Chinese translation."""

    section: str | None
    en: list[Para]
    zh: list[Para] = field(default_factory=list)
    block: int | None = None  # index of the 深度解读 block that comments on it

    @property
    def line(self) -> int:
        """Line of the first English paragraph."""
        return self.en[0].line

    @property
    def en_text(self) -> str:
        """English paragraphs joined with a space (they were broken mid-sentence or Q/A)."""
        return " ".join(p.text.strip() for p in self.en)

    @property
    def zh_text(self) -> str:
        """Chinese paragraphs joined as one (a break there was a page wrap)."""
        return "".join(p.text.strip() for p in self.zh)

    def line_at(self, offset: int) -> int:
        """Source line of the English character at this offset of en_text."""
        start, line = 0, self.en[0].line
        for para in self.en:
            if offset < start:
                break
            line = para.line
            start += len(para.text.strip()) + 1
        return line


@dataclass(slots=True)
class Scan:
    """Everything the line scanner found in one file."""

    units: list[Unit] = field(default_factory=list)
    blocks: list[list[Para]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def is_english(line: str) -> bool:
    """An English quote paragraph: ASCII only and longer than a stray label."""
    return line.isascii() and len(line) > MIN_ENGLISH_CHARS


def scan(source: Source, text: str) -> Scan:
    """Classify every line: front matter, heading, marker, English, Chinese, commentary, table."""
    out = Scan()
    front: list[Para] = []
    table: list[Para] = []
    section: str | None = None
    state, last = "front", ""
    pending: list[Unit] = []  # units since the last 深度解读 block

    def flush_table() -> None:
        if table:
            body = "\n".join(p.text for p in table)
            out.dropped.append(Dropped(source.id, table[0].line, "table", body))
            table.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if "\t" in raw or TABLE_TITLE.match(line):
            table.append(Para(number, raw.rstrip()))
            continue
        flush_table()
        heading = HEADING.match(line)
        if heading:
            section, state, last = heading.group(1).strip(), "quote", "heading"
        elif line == QUOTE_MARKER:
            state, last = "quote", "marker"
        elif line == COMMENTARY_MARKER:
            out.blocks.append([])
            for unit in pending:
                unit.block = len(out.blocks) - 1
            pending.clear()
            state, last = "commentary", "commentary"
        elif is_english(line):
            if last == "en":
                out.units[-1].en.append(Para(number, line))
            else:
                unit = Unit(section, [Para(number, line)])
                out.units.append(unit)
                pending.append(unit)
            state, last = "quote", "en"
        elif state == "front":
            front.append(Para(number, line))
        elif state == "commentary":
            out.blocks[-1].append(Para(number, line))
        elif last in ("en", "zh"):
            out.units[-1].zh.append(Para(number, line))
            last = "zh"
        else:
            message = "Chinese paragraph without an English original before it; ignored"
            out.problems.append(Problem(source.file, number, message, Severity.WARNING))
            out.dropped.append(Dropped(source.id, number, "stray paragraph", line))
    flush_table()
    if front:
        body = "\n".join(p.text for p in front)
        out.dropped.append(Dropped(source.id, front[0].line, "editorial intro", body))
    _check_end(source, text, out)
    return out


def _check_end(source: Source, text: str, out: Scan) -> None:
    """The file may stop mid-sentence (000 does); say so rather than pretend it is whole."""
    lines = text.rstrip().split("\n")
    last = lines[-1].strip() if lines else ""
    if last and not re.search(r"[.!?。！？:：)）\"”」]$", last):
        message = "file ends mid-sentence (the source is truncated)"
        out.problems.append(Problem(source.file, len(lines), message, Severity.WARNING))


def clean_commentary(text: str) -> str:
    """A commentary paragraph without bullet markers or **bold** / ==highlight== markup."""
    return MARKUP.sub("", BULLET.sub("", text, count=1)).strip()


def summarise(
    block: list[Para], specs: tuple[CommentarySpec, ...], label: str
) -> tuple[str | None, list[Problem]]:
    """The first one or two sentences of a block (≤ ~300 chars) plus any curated extras."""
    sentences = [s for p in block for s in split_sentences(clean_commentary(p.text), "zh")]
    if not sentences:
        return None, []
    chosen = [sentences[0]]
    second = sentences[1] if len(sentences) > 1 else ""
    # A sentence ending in ":" introduces a list, one ending in "?" a rhetorical question:
    # without what follows, neither says anything.
    if (
        second
        and not second.endswith((":", "：", "?", "？"))
        and len(join_sentences([*chosen, second])) <= SUMMARY_CHARS
    ):
        chosen.append(second)
    problems: list[Problem] = []
    head = squash(clean_commentary(block[0].text))
    for spec in specs:
        if not head.startswith(squash(spec.anchor)):
            continue
        for prefix in spec.also:
            extra = next((s for s in sentences if squash(s).startswith(squash(prefix))), None)
            if extra is None:
                message = f"commentary sentence {prefix!r} not found in the block"
                problems.append(Problem(label, spec.line, message))
            elif extra not in chosen:
                chosen.append(extra)
    return join_sentences(chosen), problems
