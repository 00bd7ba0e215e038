"""Parser for the bilingual-commentary layout: English ASR + Chinese translation + 深度解读.

The file has no turn labels, so who says what comes from corpus/curation/<source id>.toml
(see bilingual_curation). Each English unit is cut into its curated voices; each guest voice
(and each substantive host question) becomes windows of a few whole sentences, each paired with
the matching share of the Chinese paragraph and the lead of the commentary block after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.model import UNATTRIBUTED, Dropped, Problem, Role, Severity, Source
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.bilingual_curation import (
    Curation,
    PartSpec,
    UnitSpec,
    find_anchor,
    load_curation,
    squash,
)
from bot.corpus.parsers.bilingual_scan import (
    MARKUP,
    Para,
    Unit,
    clean_commentary,
    scan,
    summarise,
)
from bot.corpus.sentences import join_sentences, split_sentences, windows

HOST_KEPT_AS_QUESTION = "host question (kept as question)"
MAX_CHARS = 600
MAX_SENTENCES = 5
# Fillers ("Yeah. Yeah.") are no quote on their own: they lead into the next sentence.
FILLER_CHARS = 25
# A window this short is folded into a neighbour if the result stays under SOFT_MAX_CHARS
# (ASR run-on sentences can be 600+ characters, so the hard limit cannot always hold).
SHORT_WINDOW_CHARS = 160
SOFT_MAX_CHARS = 800
# A long Chinese sentence (a translator's merge of several English ones) goes with every
# English window that covers this share of it; a short one goes with the window it is mostly in.
STRADDLE_SHARE = 0.3
STRADDLE_MIN_CHARS = 60
_FILLERS = re.compile(r"\b(?:um+|uh+|u|like|you know|I mean|kind of|sort of)\b[,]?", re.IGNORECASE)
_STUTTER = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)）]*$")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Voice:
    """One resolved part of a unit: its English and Chinese spans and who speaks."""

    spec: PartSpec
    en: Span
    zh: Span


def parse(source: Source, text: str) -> ParseResult:
    """Cut a bilingual-commentary transcript into drafts; never raises on bad content."""
    result = ParseResult()
    curation, problems = load_curation(source)
    result.problems.extend(problems)
    found = scan(source, text)
    result.problems.extend(found.problems)
    result.dropped.extend(found.dropped)
    summaries: list[str | None] = []
    for block in found.blocks:
        summary, problems = summarise(block, curation.commentary, curation.file)
        summaries.append(summary)
        result.problems.extend(problems)
    _check_commentary_anchors(curation, found.blocks, result)
    specs = _match_units(source, curation, found.units, result)
    question_by_section: dict[str | None, str] = {}
    for unit, spec in zip(found.units, specs, strict=True):
        commentary = summaries[unit.block] if unit.block is not None else None
        _cut(source, curation, unit, spec, commentary, question_by_section, result)
    return result


def _check_commentary_anchors(
    curation: Curation, blocks: list[list[Para]], result: ParseResult
) -> None:
    """Every curated commentary entry must still find its block."""
    heads = [squash(clean_commentary(b[0].text)) for b in blocks if b]
    for spec in curation.commentary:
        if not any(head.startswith(squash(spec.anchor)) for head in heads):
            message = f"commentary anchor {spec.anchor!r} matches no 深度解读 block"
            result.problems.append(Problem(curation.file, spec.line, message))


def _match_units(
    source: Source, curation: Curation, units: list[Unit], result: ParseResult
) -> list[UnitSpec | None]:
    """The curated entry for each unit: the longest anchor the unit starts with."""
    specs: list[UnitSpec | None] = []
    used: dict[int, int] = {}
    for unit in units:
        head = squash(unit.en_text)
        candidates = [s for s in curation.units if head.startswith(squash(s.anchor))]
        spec = max(candidates, key=lambda s: len(squash(s.anchor)), default=None)
        if spec is not None and id(spec) in used:
            message = f"anchor {spec.anchor!r} also matches the paragraph at line {unit.line}"
            result.problems.append(Problem(curation.file, spec.line, message))
            spec = None
        if spec is None and curation.units:  # with no curation at all, one problem says so
            message = "no curation entry for this English paragraph: one unattributed answer"
            result.problems.append(Problem(source.file, unit.line, message, Severity.WARNING))
        elif spec is not None:
            used[id(spec)] = unit.line
        specs.append(spec)
    for spec in curation.units:
        if id(spec) not in used:
            message = f"anchor {spec.anchor!r} matches no English paragraph"
            result.problems.append(Problem(curation.file, spec.line, message))
    return specs


def _cut(
    source: Source,
    curation: Curation,
    unit: Unit,
    spec: UnitSpec | None,
    commentary: str | None,
    question_by_section: dict[str | None, str],
    result: ParseResult,
) -> None:
    """Turn one unit into drafts (or a Dropped entry), following its curation."""
    en, zh = unit.en_text, unit.zh_text
    if spec is not None and spec.drop:
        body = f"{en}\n{zh}".strip()
        result.dropped.append(Dropped(source.id, unit.line, spec.drop, body))
        return
    if not zh:
        message = "English paragraph has no Chinese translation after it"
        result.problems.append(Problem(source.file, unit.line, message, Severity.WARNING))
    parts = spec.parts if spec is not None and spec.parts else (PartSpec(None, None, UNATTRIBUTED),)
    asked: list[str] = []  # host text inside this unit, the question for the answers after it
    for voice in _voices(curation, unit, parts, result):
        part_en = en[voice.en[0] : voice.en[1]]
        part_zh = zh[voice.zh[0] : voice.zh[1]]
        role, speaker_id, label = _speaker(source, curation, voice.spec, result)
        if role == Role.HOST:
            asked.append(part_en.strip())
            question_by_section[unit.section] = " ".join(asked)
            if not voice.spec.excerpt:
                line = unit.line_at(voice.en[0])
                body = f"{part_en.strip()}\n{MARKUP.sub('', part_zh).strip()}".strip()
                result.dropped.append(Dropped(source.id, line, HOST_KEPT_AS_QUESTION, body))
                continue
            question = None
        else:
            question = " ".join(asked) or question_by_section.get(unit.section)
        for window, translation in _windows(source, unit, voice, part_en, part_zh, result):
            start, end = window
            result.drafts.append(
                Draft(
                    text=part_en[start:end],
                    line=unit.line_at(voice.en[0] + start),
                    lang="en",
                    role=role,
                    speaker_id=speaker_id,
                    speaker_label=label,
                    translation=translation,
                    commentary=commentary,
                    question=question,
                    section=unit.section,
                )
            )


def _voices(
    curation: Curation, unit: Unit, parts: tuple[PartSpec, ...], result: ParseResult
) -> list[_Voice]:
    """Where each curated part starts in the English and the Chinese text of the unit."""
    en, zh = unit.en_text, unit.zh_text
    starts: list[tuple[PartSpec, int, int]] = []
    for index, part in enumerate(parts):
        if index == 0:
            if part.at and find_anchor(en, part.at) != 0:
                message = f"the first part must start the paragraph at line {unit.line}"
                result.problems.append(Problem(curation.file, part.line, message, Severity.WARNING))
            starts.append((part, 0, 0))
            continue
        previous_en, previous_zh = starts[-1][1], starts[-1][2]
        at = find_anchor(en, part.at, previous_en + 1) if part.at else -1
        if at < 0:
            message = f"part start {part.at!r} not found in the paragraph at line {unit.line}"
            result.problems.append(Problem(curation.file, part.line, message))
            continue
        where = find_anchor(zh, part.zh, previous_zh + 1) if part.zh else -1
        if where < 0:
            if part.zh:
                message = f"translation start {part.zh!r} not found (line {unit.line}): estimated"
                result.problems.append(Problem(curation.file, part.line, message, Severity.WARNING))
            where = _proportional_start(zh, at / max(len(en), 1), previous_zh)
        starts.append((part, at, where))
    voices: list[_Voice] = []
    for index, (part, at, where) in enumerate(starts):
        end_en = starts[index + 1][1] if index + 1 < len(starts) else len(en)
        end_zh = starts[index + 1][2] if index + 1 < len(starts) else len(zh)
        voices.append(_Voice(part, (at, end_en), (where, end_zh)))
    return voices


def _proportional_start(zh: str, ratio: float, floor: int) -> int:
    """The Chinese sentence start nearest to this fraction of the paragraph."""
    candidates = [s for s, _ in _spans(zh, "zh") if s > floor] or [len(zh)]
    return min(candidates, key=lambda s: abs(s - ratio * len(zh)))


def _speaker(
    source: Source, curation: Curation, part: PartSpec, result: ParseResult
) -> tuple[Role, str | None, str | None]:
    """Role, speaker id and display label for a part (unknown ids become unattributed)."""
    if part.speaker != UNATTRIBUTED:
        speaker = source.speaker(part.speaker)
        if speaker is not None:
            return speaker.role, speaker.id, None
        message = f"speaker {part.speaker!r} is not in the manifest for {source.id!r}"
        result.problems.append(Problem(curation.file, part.line, message))
    guests = [s.name for s in source.speakers if s.role == Role.GUEST]
    return Role.GUEST, None, " / ".join(guests) or UNATTRIBUTED


def _spans(text: str, lang: str) -> list[Span]:
    """Sentence spans of text; English sentences that start lower-case continue the last one.

    ASR puts a period before "uh which just dropped today": that is one sentence, not two.
    """
    spans: list[Span] = []
    cursor = 0
    for sentence in split_sentences(text, lang):
        start = text.find(sentence, cursor)
        if start < 0:  # split_sentences only trims whitespace, so this should not happen
            continue
        end = start + len(sentence)
        cursor = end
        if lang == "en" and spans and sentence[0].islower():
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    if lang != "en":
        return spans
    merged: list[Span] = []
    carry: int | None = None  # start of pending fillers
    for start, end in spans:
        if end - start < FILLER_CHARS:
            carry = start if carry is None else carry
            continue
        merged.append((start if carry is None else carry, end))
        carry = None
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((carry, spans[-1][1]))
    return merged


def _group(text: str, spans: list[Span]) -> list[Span]:
    """Cut sentence spans into quote windows with the shared windows() policy."""
    sentences = [text[s:e] for s, e in spans]
    groups: list[Span] = []
    first = 0
    for window in windows(sentences, MAX_CHARS, MAX_SENTENCES):
        last = first + 1
        while last < len(sentences) and join_sentences(sentences[first:last]) != window:
            last += 1
        groups.append((spans[first][0], spans[last - 1][1]))
        first = last
        if first >= len(sentences):
            break
    return _fold_short(groups)


def _fold_short(groups: list[Span]) -> list[Span]:
    """Fold windows too short to stand alone into the smaller neighbour, within SOFT_MAX_CHARS."""
    groups = list(groups)
    changed = True
    while changed and len(groups) > 1:
        changed = False
        for index, (start, end) in enumerate(groups):
            if end - start >= SHORT_WINDOW_CHARS:
                continue
            options = [i for i in (index - 1, index + 1) if 0 <= i < len(groups)]
            width = {i: max(end, groups[i][1]) - min(start, groups[i][0]) for i in options}
            fits = [i for i in options if width[i] <= SOFT_MAX_CHARS]
            if fits:
                other = min(fits, key=lambda i: width[i])
                lo, hi = sorted((index, other))
                groups[lo : hi + 1] = [(groups[lo][0], groups[hi][1])]
                changed = True
                break
    return groups


def _windows(
    source: Source, unit: Unit, voice: _Voice, part_en: str, part_zh: str, result: ParseResult
) -> list[tuple[Span, str | None]]:
    """English windows of a part with their share of the Chinese, tail trimmed if truncated."""
    spans = _spans(part_en, "en")
    if not spans:
        return []
    tail: Span | None = None
    if voice.spec.truncated and not _SENTENCE_END.search(part_en.rstrip()) and len(spans) > 1:
        tail = spans.pop()
    groups = _group(part_en, spans)
    pieces = [*groups, *([tail] if tail else [])]
    weights = [_weight(part_en[s:e]) for s, e in pieces]
    shares = _align(weights, _spans(part_zh, "zh"))
    # The PDF export bolded a few words of the translation: markup, not text.
    out = [
        (group, MARKUP.sub("", part_zh[share[0] : share[1]]) if share else None)
        for group, share in zip(groups, shares, strict=False)
    ]
    if tail is not None:
        share = shares[-1]
        fragment = part_en[tail[0] : tail[1]]
        body = f"{fragment}\n{part_zh[share[0] : share[1]]}" if share else fragment
        line = unit.line_at(voice.en[0] + tail[0])
        result.dropped.append(Dropped(source.id, line, "truncated", body))
    return out


def _weight(english: str) -> int:
    """Length of what a translator renders: fillers ("um", "you know") and stutters removed."""
    content = _FILLERS.sub(" ", english)
    content = _STUTTER.sub(r"\1", content)
    return len(re.sub(r"\s+", " ", content).strip())


def _share(sentence: Span) -> float:
    """How much of a Chinese sentence a window must cover to get it."""
    return STRADDLE_SHARE if sentence[1] - sentence[0] >= STRADDLE_MIN_CHARS else 0.5


def _align(weights: list[int], zh: list[Span]) -> list[Span | None]:
    """Give each English window the run of Chinese sentences covering the same fraction.

    Translators merge and split sentences, so a Chinese sentence that straddles two windows
    goes with both (a reader should see the whole sentence, not lose half of it).
    """
    if not zh:
        return [None] * len(weights)
    total_en = sum(weights) or 1
    bounds_en: list[tuple[float, float]] = []
    seen = 0
    for weight in weights:
        bounds_en.append((seen / total_en, (seen + weight) / total_en))
        seen += weight
    total_zh = sum(end - start for start, end in zh) or 1
    bounds_zh: list[tuple[float, float]] = []
    seen = 0
    for start, end in zh:
        bounds_zh.append((seen / total_zh, (seen + end - start) / total_zh))
        seen += end - start
    shares: list[Span | None] = []
    for low, high in bounds_en:
        overlaps = [max(0.0, min(high, b) - max(low, a)) for a, b in bounds_zh]
        chosen = [
            i
            for i, (a, b) in enumerate(bounds_zh)
            if overlaps[i] > 0 and overlaps[i] >= _share(zh[i]) * (b - a)
        ]
        if not chosen:
            chosen = [max(range(len(zh)), key=lambda i: overlaps[i])]
        shares.append((zh[chosen[0]][0], zh[chosen[-1]][1]))
    return shares
