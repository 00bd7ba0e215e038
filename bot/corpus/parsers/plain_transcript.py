"""Layout "plain-transcript": `Name: text` turns, the format most users bring.

    # Optional section heading
    [00:01:02] Alice: First turn. It may go on
    over several lines or paragraphs until the next label.
    Bob: Next turn.

Labels are matched against the manifest's speaker labels, names and aliases; an unknown but
name-like label becomes an unattributed speaker shown as "Label (unattributed)". Text before the
first label belongs to `default_speaker` (an option) or to no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.corpus.model import Problem, Role, Severity, Source, Speaker
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.labels import Label, LabelMatcher, display_name, is_host
from bot.corpus.parsers.options import Options
from bot.corpus.sentences import join_sentences, split_sentences, window_spans


@dataclass(slots=True)
class _Sentence:
    """One sentence with the line and timestamp it came from."""

    text: str
    line: int
    timestamp: str | None


@dataclass(slots=True)
class _Turn:
    """One speaker's consecutive sentences."""

    speaker: Speaker | None
    label: str | None  # display override for an unknown speaker
    line: int
    section: str | None
    sentences: list[_Sentence] = field(default_factory=list)


def parse(source: Source, text: str) -> ParseResult:
    """Cut `Name: text` turns into sentence-complete excerpts."""
    result = ParseResult()
    opts = Options(source, result.problems)
    matcher = LabelMatcher(source, accept_unknown=opts.boolean("unknown_labels", True))
    default = opts.speaker("default_speaker")
    turns: list[_Turn] = []
    section: str | None = None
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            section = line.lstrip("#").strip() or None
            continue
        label = matcher.match(line)
        if label is not None:
            turns.append(_turn(label, n, section))
            body, timestamp = label.text, label.timestamp
        else:
            timestamp, body = LabelMatcher.timestamp(line)
            if not turns:
                turns.append(_Turn(default, None, n, section))
            elif turns[-1].section != section:
                # A heading inside a turn: same speaker, new section.
                turns.append(_Turn(turns[-1].speaker, turns[-1].label, n, section))
        current = turns[-1]
        last_ts = current.sentences[-1].timestamp if current.sentences else None
        for sentence in split_sentences(body, opts.lang_of(body)):
            current.sentences.append(_Sentence(sentence, n, timestamp or last_ts))
    _drafts(opts, turns, result)
    if not result.drafts:
        result.problems.append(
            Problem(source.file, 1, "no transcript text found", Severity.WARNING)
        )
    return result


def _turn(label: Label, line: int, section: str | None) -> _Turn:
    """A new turn for a labelled line."""
    display = None if label.speaker else display_name(label)
    return _Turn(label.speaker, display, line, section)


def _drafts(opts: Options, turns: list[_Turn], result: ParseResult) -> None:
    """Turns -> windowed drafts; host turns become the next answers' question."""
    include_hosts = opts.boolean("include_host_turns", False)
    max_chars = opts.integer("max_chars", 600)
    max_sentences = opts.integer("max_sentences", 5)
    question: str | None = None
    for turn in turns:
        texts = [s.text for s in turn.sentences]
        if not texts:
            continue
        if is_host(turn.speaker):
            question = join_sentences(texts)
            if not include_hosts:
                continue
        for start, end in window_spans(texts, max_chars, max_sentences):
            window = join_sentences(texts[start:end])
            first = turn.sentences[start]
            result.drafts.append(
                Draft(
                    text=window,
                    line=first.line,
                    lang=opts.lang_of(window),
                    role=turn.speaker.role if turn.speaker else Role.GUEST,
                    speaker_id=turn.speaker.id if turn.speaker else None,
                    speaker_label=turn.label,
                    question=None if is_host(turn.speaker) else question,
                    section=turn.section,
                    timestamp=first.timestamp,
                )
            )
