"""Layouts "srt" and "webvtt": subtitle cues merged into sentence-complete, timestamped excerpts.

Cues are parsed one block at a time (with the `srt` and `webvtt-py` libraries), so a garbled cue
is a Problem at its line and the rest of the file still loads. Consecutive cues of one speaker
are joined, cut into sentences, and grouped into windows; a window's timestamp runs from its
first cue's start to its last cue's end. The speaker comes from a WebVTT `<v Name>` voice tag or
a `Name:` prefix in the cue text; unknown names are shown unattributed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import srt
import webvtt

from bot.corpus.model import Problem, Role, Severity, Source, Speaker
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.labels import Label, LabelMatcher, display_name, is_host
from bot.corpus.parsers.options import Options
from bot.corpus.sentences import join_sentences, separator, split_sentences, window_spans

_TAGS = re.compile(r"<[^>]+>|\{\\[^}]*\}")  # <i>, <c.colour>, {\an8}
_VTT_SKIP = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True, slots=True)
class _Cue:
    """One subtitle cue: where, when, what, and who."""

    line: int
    start: float
    end: float
    text: str
    speaker: Speaker | None
    label: str | None  # display override for an unknown speaker


@dataclass(frozen=True, slots=True)
class _Block:
    """A blank-line separated block of the file and its first line."""

    line: int
    text: str


def parse_srt(source: Source, text: str) -> ParseResult:
    """SubRip subtitles (.srt) -> excerpts."""
    return _parse(source, text, _srt_cues)


def parse_vtt(source: Source, text: str) -> ParseResult:
    """WebVTT subtitles (.vtt) -> excerpts; `<v Name>` voice tags name the speaker."""
    return _parse(source, text, _vtt_cues)


_CueReader = Callable[[Source, list[_Block], LabelMatcher, ParseResult], list[_Cue]]


def _parse(source: Source, text: str, reader: _CueReader) -> ParseResult:
    """Shared pipeline: read cues, attribute them, cut them into drafts."""
    result = ParseResult()
    opts = Options(source, result.problems)
    matcher = LabelMatcher(source, accept_unknown=opts.boolean("unknown_labels", True))
    cues = reader(source, _blocks(text), matcher, result)
    default = opts.speaker("default_speaker")
    cues = [c if c.speaker or c.label else _with_speaker(c, default) for c in cues]
    _drafts(opts, cues, result)
    if not cues and not result.problems:
        result.problems.append(Problem(source.file, 1, "no subtitle cues found"))
    return result


def _with_speaker(cue: _Cue, speaker: Speaker | None) -> _Cue:
    """The cue attributed to the default speaker."""
    return _Cue(cue.line, cue.start, cue.end, cue.text, speaker, None)


def _blocks(text: str) -> list[_Block]:
    """Blank-line separated blocks with the line each starts on."""
    blocks: list[_Block] = []
    lines: list[str] = []
    start = 1
    for n, line in enumerate([*text.split("\n"), ""], 1):
        if line.strip():
            if not lines:
                start = n
            lines.append(line.rstrip())
        elif lines:
            blocks.append(_Block(start, "\n".join(lines)))
            lines = []
    return blocks


def _srt_cues(
    source: Source, blocks: list[_Block], matcher: LabelMatcher, result: ParseResult
) -> list[_Cue]:
    """SRT blocks -> cues; a block the srt library rejects is a Problem at its line."""
    cues: list[_Cue] = []
    for block in blocks:
        try:
            subtitles = list(srt.parse(block.text + "\n"))
        except srt.SRTParseError:
            subtitles = []
        if len(subtitles) != 1:
            result.problems.append(
                Problem(source.file, block.line, f"not a valid SRT cue: {_preview(block.text)}")
            )
            continue
        cue = subtitles[0]
        cues.append(_cue(block.line, cue.start, cue.end, cue.content, None, matcher))
    return cues


def _vtt_cues(
    source: Source, blocks: list[_Block], matcher: LabelMatcher, result: ParseResult
) -> list[_Cue]:
    """WebVTT blocks -> cues; NOTE/STYLE/REGION blocks skipped, bad cues reported."""
    if not blocks or not blocks[0].text.startswith("WEBVTT"):
        result.problems.append(Problem(source.file, 1, "a WebVTT file must start with WEBVTT"))
    cues: list[_Cue] = []
    for block in blocks:
        if block.text.startswith(("WEBVTT", *_VTT_SKIP)):
            continue
        if "-->" not in block.text:
            result.problems.append(
                Problem(
                    source.file,
                    block.line,
                    f"not a WebVTT cue, skipped: {_preview(block.text)}",
                    Severity.WARNING,
                )
            )
            continue
        try:
            captions = webvtt.from_string("WEBVTT\n\n" + block.text + "\n").captions
        except Exception:  # webvtt-py raises several unrelated types on malformed input
            captions = []
        if len(captions) != 1:
            result.problems.append(
                Problem(source.file, block.line, f"not a valid WebVTT cue: {_preview(block.text)}")
            )
            continue
        caption = captions[0]
        start = timedelta(seconds=caption.start_in_seconds)
        end = timedelta(seconds=caption.end_in_seconds)
        cues.append(_cue(block.line, start, end, caption.raw_text, caption.voice, matcher))
    return cues


def _cue(
    line: int,
    start: timedelta,
    end: timedelta,
    raw: str,
    voice: str | None,
    matcher: LabelMatcher,
) -> _Cue:
    """A cue with tags stripped and its speaker resolved from a voice tag or label."""
    text = " ".join(_TAGS.sub("", raw).split())
    label: Label | None
    if voice:
        label = matcher.match(f"{voice}: {text}") or Label(None, voice, text)
    else:
        label = matcher.match(text)
    if label is None:
        return _Cue(line, start.total_seconds(), end.total_seconds(), text, None, None)
    shown = None if label.speaker else display_name(label)
    return _Cue(line, start.total_seconds(), end.total_seconds(), label.text, label.speaker, shown)


def _preview(text: str) -> str:
    """A short, quoted, one-line preview of a block for a problem message."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 60 else flat[:57] + "...")


def _runs(cues: list[_Cue]) -> list[list[_Cue]]:
    """Consecutive cues of one speaker; a cue without a label continues the current run."""
    runs: list[list[_Cue]] = []
    for cue in cues:
        labelled = cue.speaker is not None or cue.label is not None
        same = runs and (runs[-1][-1].speaker, runs[-1][-1].label) == (cue.speaker, cue.label)
        if runs and (same or not labelled):
            prev = runs[-1][-1]
            runs[-1].append(_Cue(cue.line, cue.start, cue.end, cue.text, prev.speaker, prev.label))
        else:
            runs.append([cue])
    return runs


def _units(opts: Options, run: list[_Cue], max_chars: int) -> list[tuple[str, int, int]]:
    """Sentences of a run as (text, first cue, last cue); over-long ones fall back to cues.

    Auto-generated captions have no punctuation at all: a "sentence" would be the whole talk.
    """
    joined = ""
    owners: list[int] = []  # cue index of every character in `joined`
    for i, cue in enumerate(run):
        gap = separator(joined, cue.text) if joined else ""
        joined += gap + cue.text
        owners.extend([i] * (len(gap) + len(cue.text)))
    units: list[tuple[str, int, int]] = []
    position = 0
    for sentence in split_sentences(joined, opts.lang_of(joined)):
        start = max(joined.find(sentence, position), position)
        end = min(start + len(sentence), len(joined)) - 1
        position = end + 1
        first, last = owners[start], owners[end]
        if len(sentence) <= max_chars * 1.5 or first == last:
            units.append((sentence, first, last))
        else:
            units.extend((run[i].text, i, i) for i in range(first, last + 1))
    return units


def _drafts(opts: Options, cues: list[_Cue], result: ParseResult) -> None:
    """Speaker runs -> windowed, timestamped drafts."""
    max_chars = opts.integer("max_chars", 600)
    max_sentences = opts.integer("max_sentences", 5)
    include_hosts = opts.boolean("include_host_turns", False)
    question: str | None = None
    for run in _runs(cues):
        speaker, label = run[0].speaker, run[0].label
        units = _units(opts, run, max_chars)
        texts = [u[0] for u in units]
        if is_host(speaker):
            question = join_sentences(texts)
            if not include_hosts:
                continue
        for start, end in window_spans(texts, max_chars, max_sentences):
            window = join_sentences(texts[start:end])
            first, last = run[units[start][1]], run[units[end - 1][2]]
            result.drafts.append(
                Draft(
                    text=window,
                    line=first.line,
                    lang=opts.lang_of(window),
                    role=speaker.role if speaker else Role.GUEST,
                    speaker_id=speaker.id if speaker else None,
                    speaker_label=label,
                    question=None if is_host(speaker) else question,
                    timestamp=f"{_clock(first.start)} - {_clock(last.end)}",
                )
            )


def _clock(seconds: float) -> str:
    """Seconds as HH:MM:SS."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
