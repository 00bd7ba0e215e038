"""Layout "qa-article": an editorial preface, then `Host:`/`Guest:` turns under section headings.

File 003 is the model: the preface paragraphs summarise specific answers, so the manifest pairs
them (as data, `[[source.options.commentary]]`) with the answers they summarise and they become
those excerpts' commentary instead of duplicate excerpts. A heading is the section of the turns
under it and their one-line commentary when no preface paragraph is paired with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.model import Dropped, Problem, Role, Severity, Source
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.labels import Label, LabelMatcher, display_name, is_host
from bot.corpus.parsers.options import Options
from bot.corpus.sentences import join_sentences, split_sentences, window_spans

IMAGE_PLACEHOLDER = re.compile(r"^(?:活动)?(?:图片)+$")
# A heading is short and does not end like a sentence; a continuation paragraph does.
_SENTENCE_END = tuple(".?!。？！…")
_CLOSERS = "\"'”’」』）)"
_SHORT_WINDOW = 160  # a window this short joins a neighbour from the same turn when it fits


@dataclass(slots=True)
class _Paragraph:
    """One non-empty line of the file."""

    line: int
    text: str


@dataclass(slots=True)
class _Turn:
    """One labelled turn and its continuation paragraphs."""

    label: Label
    line: int
    section: str | None
    paragraphs: list[_Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class _Pairing:
    """A preface paragraph and the answer anchors it is commentary for."""

    commentary: str
    line: int
    paragraphs: tuple[str, ...]
    excerpts: tuple[str, ...]
    used: set[str] = field(default_factory=set)


def parse(source: Source, text: str) -> ParseResult:
    """Cut a Q&A article into guest excerpts with question, section and commentary."""
    result = ParseResult()
    opts = Options(source, result.problems)
    paragraphs = [_Paragraph(n, line.strip()) for n, line in enumerate(text.split("\n"), 1)]
    paragraphs = [p for p in paragraphs if p.text]
    body = _drop_frame(source, opts, paragraphs, result)
    matcher = LabelMatcher(source, accept_unknown=opts.boolean("unknown_labels", False))
    start = _transcript_start(opts, body, matcher)
    preface, transcript = body[:start], body[start:]
    pairings = _pairings(source, opts, preface, result)
    turns = _turns(source, opts, transcript, matcher, result)
    _drafts(source, opts, turns, pairings, result)
    for pairing in pairings:
        missing = [a for a in (*pairing.paragraphs, *pairing.excerpts) if a not in pairing.used]
        for anchor in missing:
            result.problems.append(
                Problem(
                    source.file,
                    pairing.line,
                    f"commentary anchor {anchor!r} matches no answer in this file",
                    Severity.WARNING,
                )
            )
    return result


def _drop_frame(
    source: Source, opts: Options, paragraphs: list[_Paragraph], result: ParseResult
) -> list[_Paragraph]:
    """Remove the title, image placeholders and everything from the footer marker on."""
    kept: list[_Paragraph] = []
    footer = opts.strings("footer_starts", ("Reference link:", "——Recommended Articles——"))
    drop = [re.compile(p) for p in opts.strings("drop_patterns")]
    in_footer = False
    for n, paragraph in enumerate(paragraphs):
        reason = None
        if in_footer or paragraph.text.startswith(footer):
            in_footer = True
            reason = "footer"
        elif n == 0 and opts.boolean("title_line", True):
            reason = "title"
        elif IMAGE_PLACEHOLDER.match(paragraph.text):
            reason = "image placeholder"
        elif any(p.search(paragraph.text) for p in drop):
            reason = "boilerplate"
        if reason:
            result.dropped.append(Dropped(source.id, paragraph.line, reason, paragraph.text))
        else:
            kept.append(paragraph)
    return kept


def _transcript_start(opts: Options, body: list[_Paragraph], matcher: LabelMatcher) -> int:
    """Index of the first transcript paragraph: after the marker line, or at the first turn."""
    marker = opts.string("transcript_starts_after")
    if marker:
        for n, paragraph in enumerate(body):
            if paragraph.text.startswith(marker):
                return n + 1
    first_turn = next((n for n, p in enumerate(body) if matcher.match(p.text)), len(body))
    # Headings right above the first turn belong to the transcript, not the preface.
    while first_turn > 0 and _is_heading(opts, body[first_turn - 1].text):
        first_turn -= 1
    return first_turn


def _is_heading(opts: Options, text: str) -> bool:
    # `...call it "AGI"` is a heading, `...trained for."` a sentence: look inside the quotes.
    """Whether an unlabelled paragraph is a section heading rather than a continuation."""
    ending = text.rstrip(_CLOSERS)
    return len(text) <= opts.integer("heading_max_chars", 120) and not ending.endswith(
        _SENTENCE_END
    )


def _pairings(
    source: Source, opts: Options, preface: list[_Paragraph], result: ParseResult
) -> list[_Pairing]:
    """Preface paragraphs named in the manifest's commentary table, with their answer anchors."""
    pairings: list[_Pairing] = []
    used_lines: set[int] = set()
    for entry in opts.tables("commentary"):
        anchor = entry.get("preface")
        if not isinstance(anchor, str) or not anchor:
            opts.problem("a [[source.options.commentary]] entry needs `preface`")
            continue
        found = next((p for p in preface if p.text.startswith(anchor)), None)
        if found is None:
            opts.problem(f"commentary: no preface paragraph starts with {anchor!r}")
            continue
        used_lines.add(found.line)
        pairings.append(
            _Pairing(
                commentary=found.text,
                line=found.line,
                paragraphs=_anchors(entry.get("paragraphs")),
                excerpts=_anchors(entry.get("excerpts")),
            )
        )
    marker = opts.string("transcript_starts_after")
    for paragraph in preface:
        if paragraph.line in used_lines:
            reason = "editorial preface (kept as commentary)"
        elif marker and paragraph.text.startswith(marker):
            reason = "boilerplate"
        else:
            reason = "editorial preface"
        result.dropped.append(Dropped(source.id, paragraph.line, reason, paragraph.text))
    return pairings


def _anchors(value: object) -> tuple[str, ...]:
    """A TOML string or list of strings as a tuple of anchors."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str) and v)
    return ()


def _turns(
    source: Source,
    opts: Options,
    transcript: list[_Paragraph],
    matcher: LabelMatcher,
    result: ParseResult,
) -> list[_Turn]:
    """Group paragraphs into turns; unlabelled ones are headings or continuations."""
    turns: list[_Turn] = []
    headings: list[str] = []
    section: str | None = None
    for paragraph in transcript:
        label = matcher.match(paragraph.text)
        if label is not None:
            if headings:
                section = _section(headings)
                headings = []
            turn = _Turn(label, paragraph.line, section)
            turn.paragraphs.append(_Paragraph(paragraph.line, label.text))
            turns.append(turn)
        elif _is_heading(opts, paragraph.text):
            headings.append(paragraph.text)
        elif turns:
            if headings:  # a long paragraph right after a heading still continues the turn
                section = _section(headings)
                headings = []
            turns[-1].paragraphs.append(paragraph)
        else:
            result.problems.append(
                Problem(
                    source.file,
                    paragraph.line,
                    "paragraph before the first turn label; not used",
                    Severity.WARNING,
                )
            )
            result.dropped.append(Dropped(source.id, paragraph.line, "no speaker", paragraph.text))
    return turns


def _section(headings: list[str]) -> str:
    """Title + subtitle headings as one line: "Title: subtitle" or "A · B"."""
    out = headings[0]
    for heading in headings[1:]:
        out = f"{out} {heading}" if out.endswith((":", "：")) else f"{out} · {heading}"
    return out


def _drafts(
    source: Source,
    opts: Options,
    turns: list[_Turn],
    pairings: list[_Pairing],
    result: ParseResult,
) -> None:
    """Guest turns -> windowed drafts with question, section and commentary."""
    include_hosts = opts.boolean("include_host_turns", False)
    heading_commentary = opts.boolean("heading_commentary", True)
    max_chars = opts.integer("max_chars", 600)
    max_sentences = opts.integer("max_sentences", 5)
    question: str | None = None
    for turn in turns:
        speaker = turn.label.speaker
        turn_text = " ".join(p.text for p in turn.paragraphs)
        if is_host(speaker) and not include_hosts:
            question = turn_text
            result.dropped.append(
                Dropped(source.id, turn.line, "host turn (kept as question)", turn_text)
            )
            continue
        for line, window, paragraph_texts in _windows(opts, turn, max_chars, max_sentences):
            commentary = _commentary(pairings, window, paragraph_texts)
            if commentary is None and heading_commentary:
                commentary = turn.section
            result.drafts.append(
                Draft(
                    text=window,
                    line=line,
                    lang=opts.lang_of(window),
                    role=speaker.role if speaker else Role.GUEST,
                    speaker_id=speaker.id if speaker else None,
                    speaker_label=None if speaker else display_name(turn.label),
                    commentary=commentary,
                    question=None if is_host(speaker) else question,
                    section=turn.section,
                )
            )


def _windows(
    opts: Options, turn: _Turn, max_chars: int, max_sentences: int
) -> list[tuple[int, str, list[str]]]:
    """(line, text, source paragraphs) windows; short ones join a neighbour of the same turn."""
    pieces: list[tuple[int, list[str], list[str]]] = []
    for paragraph in turn.paragraphs:
        sentences = split_sentences(paragraph.text, opts.lang_of(paragraph.text))
        # One sentence over the count but within the size limit: keep the paragraph whole (the
        # same allowance as merging below), since halving it strands its point in one half.
        whole = len(sentences) <= max_sentences + 1 and len(paragraph.text) <= max_chars
        spans = (
            [(0, len(sentences))] if whole else window_spans(sentences, max_chars, max_sentences)
        )
        for start, end in spans:
            pieces.append((paragraph.line, sentences[start:end], [paragraph.text]))
    merged: list[tuple[int, list[str], list[str]]] = []
    for piece in pieces:
        if merged:
            line, sentences, sources = merged[-1]
            both = [*sentences, *piece[1]]
            short = min(len(join_sentences(sentences)), len(join_sentences(piece[1])))
            fits = len(join_sentences(both)) <= max_chars and len(both) <= max_sentences + 1
            if short < _SHORT_WINDOW and fits:
                merged[-1] = (line, both, [*sources, *piece[2]])
                continue
        merged.append(piece)
    return [(line, join_sentences(s), sources) for line, s, sources in merged]


def _commentary(pairings: list[_Pairing], window: str, paragraph_texts: list[str]) -> str | None:
    """The preface paragraph paired with this window, if any (first pairing wins)."""
    found: str | None = None
    for pairing in pairings:
        hits = [a for a in pairing.excerpts if a in window]
        hits += [a for a in pairing.paragraphs if any(a in text for text in paragraph_texts)]
        if hits:
            # Every anchor inside the window counts as used, even when two paragraphs merged.
            pairing.used.update(hits)
            found = found or pairing.commentary
    return found
