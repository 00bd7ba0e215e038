"""Parser for Markdown interview notes (layout "timestamped-notes").

The shape it reads: optional front matter; `## ` blocks, of which the summary block (摘要) and
the body block (原始全文) matter; in the body, `### title（HH:MM:SS - HH:MM:SS）` sections
holding `**Name**：text` turns, unlabelled continuation paragraphs and `**加粗要点**：` takeaways.
Guest turns become excerpts; the host turn before them is the question; a takeaway is the
commentary of the guest answers it follows; summary bullets are commentary for the sections
that `[source.options] summary_sections` pairs them with.

Source options (all optional):
    summary_sections  list of lists: bullet i pairs with sections whose title starts with one of
                      the strings in entry i
    editor_notes      extra literal parentheticals to move out of quotes into commentary
    body_heading / summary_heading / takeaway_label   ("原始全文" / "摘要" / "加粗要点")
    max_chars / max_sentences   window limits for long turns (350 / 6)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.corpus.model import Dropped, Problem, Role, Severity, Source, Speaker
from bot.corpus.normalize import strip_markup
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.speaker_turns import content_length, detect_lang
from bot.corpus.sentences import split_sentences, windows

_H2 = re.compile(r"^##\s+(?P<title>.+?)\s*$")
_H3 = re.compile(
    r"^###\s+(?P<title>.+?)\s*(?:[（(]\s*(?P<start>\d{1,2}:\d{2}:\d{2})\s*[-–—~至]\s*"
    r"(?P<end>\d{1,2}:\d{2}:\d{2})\s*[）)])?\s*$"
)
_TURN = re.compile(r"^\*\*(?P<name>[^*\n]{1,60}?)\*\*\s*[：:]\s*(?P<text>.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(?P<text>.+)$")
_PAREN = re.compile(r"（(?P<inner>[^（）]*)）")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = "。！？!?"
_CLOSERS = "”’」』\"'"


@dataclass(slots=True)
class _Turn:
    """A labelled turn and its continuation paragraphs, each with its 1-based line."""

    speaker: Speaker | None
    label: str
    paragraphs: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.paragraphs[0][0]


@dataclass(slots=True)
class _Takeaway:
    """A bold takeaway line: the editor's summary of the answer(s) before it."""

    line: int
    text: str


@dataclass(slots=True)
class _Section:
    """One `###` section of the body, in file order."""

    title: str | None
    timestamp: str | None
    line: int
    items: list[_Turn | _Takeaway] = field(default_factory=list)


@dataclass(slots=True)
class _Options:
    """The source options this layout understands, validated."""

    body: str
    summary: str
    takeaway: str
    max_chars: int
    max_sentences: int
    editor_notes: tuple[str, ...]
    summary_sections: list[tuple[str, ...]]


def parse(source: Source, text: str) -> ParseResult:
    """Cut Markdown notes into guest excerpts with questions and commentary; never raises."""
    result = ParseResult()
    options = _read_options(source, result)
    lines = text.splitlines()
    start = _skip_front_matter(source, lines, result)
    bullets, sections = _read_blocks(source, lines, start, options, result)
    commentary_of: dict[int, list[str]] = {}
    for section in sections:
        _section_drafts(source, section, options, result, commentary_of)
    _pair_summary(source, bullets, options, result, commentary_of)
    for index, parts in commentary_of.items():
        unique = list(dict.fromkeys(p for p in parts if p))
        result.drafts[index].commentary = "\n".join(unique) or None
    return result


def _read_options(source: Source, result: ParseResult) -> _Options:
    opts = source.options

    def text_option(key: str, default: str) -> str:
        value = opts.get(key, default)
        return value if isinstance(value, str) and value.strip() else default

    def int_option(key: str, default: int) -> int:
        value = opts.get(key, default)
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return value if ok and isinstance(value, int) else default

    raw_notes = opts.get("editor_notes", [])
    notes = tuple(x for x in raw_notes if isinstance(x, str)) if isinstance(raw_notes, list) else ()
    pairs: list[tuple[str, ...]] = []
    raw_pairs = opts.get("summary_sections", [])
    if isinstance(raw_pairs, list):
        for entry in raw_pairs:
            if isinstance(entry, str):
                entry = [entry]
            if isinstance(entry, list):
                pairs.append(tuple(_key(x) for x in entry if isinstance(x, str)))
    else:
        result.problems.append(
            Problem(source.file, 1, "option summary_sections must be a list", Severity.WARNING)
        )
    return _Options(
        body=text_option("body_heading", "原始全文"),
        summary=text_option("summary_heading", "摘要"),
        takeaway=text_option("takeaway_label", "加粗要点"),
        max_chars=int_option("max_chars", 350),
        max_sentences=int_option("max_sentences", 6),
        editor_notes=notes,
        summary_sections=pairs,
    )


def _key(text: str) -> str:
    """A comparison key for labels and titles: NFKC, no whitespace, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _skip_front_matter(source: Source, lines: list[str], result: ParseResult) -> int:
    """Index of the first line after a `---` front-matter block (0 when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0
    for i in range(first + 1, len(lines)):
        if lines[i].strip() == "---":
            block = "\n".join(lines[first : i + 1])
            result.dropped.append(Dropped(source.id, first + 1, "front matter", block))
            return i + 1
    result.problems.append(Problem(source.file, first + 1, "front matter is never closed by ---"))
    return first + 1


def _speaker_for(source: Source, label: str) -> Speaker | None:
    wanted = _key(label)
    return next((s for s in source.speakers if wanted in {_key(x) for x in s.labels}), None)


def _read_blocks(
    source: Source, lines: list[str], start: int, options: _Options, result: ParseResult
) -> tuple[list[tuple[int, str]], list[_Section]]:
    """Walk the file once: summary bullets, and the body's sections with their items."""
    bullets: list[tuple[int, str]] = []
    sections: list[_Section] = []
    block = "preamble"
    seen_body = False
    unknown: set[str] = set()
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index].strip()
        if not line:
            continue
        h2 = _H2.match(line)
        if h2 and not line.startswith("###"):
            title = h2.group("title").strip()
            if _key(title) == _key(options.body):
                block, seen_body = "body", True
            elif _key(title) == _key(options.summary):
                block = "summary"
            else:
                block = "footer" if seen_body else "metadata"
                result.dropped.append(Dropped(source.id, number, block, line))
            continue
        if block in ("metadata", "footer", "preamble"):
            reason = "footer" if block == "footer" or line.startswith(">") else "metadata"
            result.dropped.append(Dropped(source.id, number, reason, line))
            continue
        if block == "summary":
            bullet = _BULLET.match(line)
            if bullet:
                bullets.append((number, bullet.group("text")))
            elif bullets:  # a wrapped bullet continues the previous one
                bullets[-1] = (bullets[-1][0], f"{bullets[-1][1]} {line}")
            continue
        h3 = _H3.match(line)
        if h3:
            stamp = f"{h3.group('start')} - {h3.group('end')}" if h3.group("start") else None
            sections.append(_Section(strip_markup(h3.group("title")).strip(), stamp, number))
            continue
        if not sections:
            sections.append(_Section(None, None, number))
        items = sections[-1].items
        turn = _TURN.match(line)
        if turn and _key(turn.group("name")) == _key(options.takeaway):
            items.append(_Takeaway(number, turn.group("text")))
        elif turn:
            label = turn.group("name").strip()
            speaker = _speaker_for(source, label)
            if speaker is None and label not in unknown:
                unknown.add(label)
                message = f"speaker label {label!r} is not in the manifest; its turns are skipped"
                result.problems.append(Problem(source.file, number, message, Severity.WARNING))
            items.append(_Turn(speaker, label, [(number, turn.group("text"))]))
        elif items and isinstance(items[-1], _Turn):  # unlabelled: the last speaker goes on
            items[-1].paragraphs.append((number, line))
        else:
            message = "paragraph outside any speaker turn"
            result.problems.append(Problem(source.file, number, message, Severity.WARNING))
            result.dropped.append(Dropped(source.id, number, "unlabelled text", line))
    if not seen_body and text_has_content(lines):
        heading = f"## {options.body}"
        result.problems.append(Problem(source.file, 1, f"no {heading!r} block: nothing to quote"))
    return bullets, sections


def text_has_content(lines: list[str]) -> bool:
    """Whether any line has something besides whitespace."""
    return any(line.strip() for line in lines)


def split_notes(raw: str, extra: tuple[str, ...] = ()) -> tuple[str, list[str], list[str]]:
    """Take editor's and transcription notes out of a turn's raw Markdown.

    Returns (text without the notes, editor's notes, transcription notes). An editor's note is a
    Chinese full-width parenthetical right after a `==highlight==` of Chinese text, or one
    standing after a finished sentence; one naming the ASR is a transcription note. Glosses such
    as `reasoning（推理）`, `==everyone knows everything==（人人都知道一切）` or
    `RLHF==（reinforcement learning from human feedback）` stay.
    """
    editor: list[str] = []
    asr: list[str] = []
    for literal in extra:
        if literal and literal in raw:
            raw = raw.replace(literal, "")
            editor.append(literal.strip("（）() "))

    def replace(match: re.Match[str]) -> str:
        inner = match.group("inner").strip()
        before = raw[: match.start()]
        if "ASR" in inner:
            gloss, _, note = inner.partition("，") if "，" in inner else ("", "", inner)
            if "ASR" in gloss:  # "ASR …，…": the whole parenthetical is the note
                gloss, note = "", inner
            asr.append(note.strip())
            return f"（{gloss.strip()}）" if gloss.strip() else ""
        if not _CJK.search(inner):  # "RLHF==（reinforcement learning from human feedback）"
            return match.group(0)
        if before.endswith("=="):
            opening = before.rfind("==", 0, len(before) - 2)
            highlighted = before[opening + 2 : -2] if opening >= 0 else ""
            if _CJK.search(highlighted):
                editor.append(inner)
                return ""
        if before.rstrip("=*" + _CLOSERS).endswith(tuple(_SENTENCE_END)):
            editor.append(inner)
            return ""
        return match.group(0)

    return _PAREN.sub(replace, raw), editor, asr


def clean(raw: str) -> str:
    """Markup-free display text: no ** or ==, single spaces."""
    return re.sub(r"[ \t]+", " ", strip_markup(raw)).strip()


def _unquote(text: str) -> str:
    """Drop the curly quotes wrapped around a whole takeaway."""
    if text.startswith("“") and text.endswith("”") and text.count("“") == 1:
        return text[1:-1].strip()
    return text


def _section_drafts(
    source: Source,
    section: _Section,
    options: _Options,
    result: ParseResult,
    commentary_of: dict[int, list[str]],
) -> None:
    """Drafts for one section's guest turns; takeaways go onto the answers they follow."""
    question: str | None = None
    question_notes: list[str] = []
    since_takeaway: list[int] = []
    for item in section.items:
        if isinstance(item, _Takeaway):
            text = _unquote(clean(split_notes(item.text)[0]))
            result.dropped.append(Dropped(source.id, item.line, "takeaway (commentary)", text))
            if not since_takeaway:
                message = "takeaway with no guest answer before it in its section"
                result.problems.append(Problem(source.file, item.line, message, Severity.WARNING))
            for index in since_takeaway:
                commentary_of.setdefault(index, []).insert(0, text)
            since_takeaway = []
            continue
        raw = "".join(text for _, text in item.paragraphs)
        if item.speaker is None:
            result.dropped.append(Dropped(source.id, item.line, "unknown speaker", clean(raw)))
            continue
        if item.speaker.role is Role.HOST:
            text, notes, asr = split_notes(raw, options.editor_notes)
            question, question_notes = clean(text), notes
            result.dropped.append(
                Dropped(source.id, item.line, "host turn (kept as question)", question)
            )
            _note_asr(source, item.line, asr, result)
            continue
        made = _guest_drafts(source, section, item, options, result, commentary_of, question)
        for index in made:  # a note inside the question is commentary on its answer
            commentary_of.setdefault(index, []).extend(question_notes)
        since_takeaway.extend(made)


def _guest_drafts(
    source: Source,
    section: _Section,
    turn: _Turn,
    options: _Options,
    result: ParseResult,
    commentary_of: dict[int, list[str]],
    question: str | None,
) -> list[int]:
    """Append the excerpt windows of one guest turn; return their indexes in result.drafts."""
    assert turn.speaker is not None
    sentences: list[tuple[int, str]] = []
    notes: list[str] = []
    for number, paragraph in turn.paragraphs:
        text, editor, asr = split_notes(paragraph, options.editor_notes)
        notes.extend(editor)
        _note_asr(source, number, asr, result)
        lang = detect_lang(text)
        sentences.extend((number, s) for s in split_sentences(clean(text), lang))
    body = "".join(s for _, s in sentences)
    if content_length(body) < 11:
        result.dropped.append(Dropped(source.id, turn.line, "trivial turn", body))
        return []
    lang = detect_lang(body)
    made: list[int] = []
    cursor = 0
    for window in windows([s for _, s in sentences], options.max_chars, options.max_sentences):
        line = sentences[min(cursor, len(sentences) - 1)][0]
        cursor += len(split_sentences(window, lang))
        made.append(len(result.drafts))
        commentary_of[len(result.drafts)] = list(notes)
        result.drafts.append(
            Draft(
                text=window,
                line=line,
                lang=lang,
                role=turn.speaker.role,
                speaker_id=turn.speaker.id,
                question=question,
                section=section.title,
                timestamp=section.timestamp,
            )
        )
    return made


def _note_asr(source: Source, line: int, notes: list[str], result: ParseResult) -> None:
    for note in notes:
        result.dropped.append(Dropped(source.id, line, "transcription note", note))


def _pair_summary(
    source: Source,
    bullets: list[tuple[int, str]],
    options: _Options,
    result: ParseResult,
    commentary_of: dict[int, list[str]],
) -> None:
    """Add each summary bullet to the commentary of the sections the options pair it with."""
    by_title: dict[str, list[int]] = {}
    for index, draft in enumerate(result.drafts):
        by_title.setdefault(_key(draft.section or ""), []).append(index)
    for position, (line, raw) in enumerate(bullets):
        text = clean(raw)
        result.dropped.append(Dropped(source.id, line, "summary (commentary)", text))
        prefixes = (
            options.summary_sections[position] if position < len(options.summary_sections) else ()
        )
        for prefix in prefixes:
            titles = [t for t in by_title if t.startswith(prefix)]
            if not titles:
                message = (
                    f"summary bullet {position + 1}: no section with quotes starts with {prefix!r}"
                )
                result.problems.append(Problem(source.file, line, message, Severity.WARNING))
            for title in titles:
                for index in by_title[title]:
                    commentary_of.setdefault(index, []).append(text)
