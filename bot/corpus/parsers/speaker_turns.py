"""Parser for diarised speech-to-text with `Speaker N: text` turns (layout "speaker-turns").

Guest turns become excerpts (long ones cut into sentence windows) with the host's turns since
the previous answer as their question. The parser repairs what diarisation typically breaks:
a cold open that repeats later answers, trivial backchannel turns, and sentence halves glued
to the wrong speaker.

Source options (all optional, in `[source.options]`):
    max_chars / max_sentences   window limits for long turns (350 / 6)
    trivial_max_chars           turns with fewer content characters are dropped (11)
    teaser_scan                 how many opening turns may be a cold-open teaser (12)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from bot.corpus.model import Dropped, Problem, Role, Severity, Source, Speaker
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.sentences import split_sentences, windows

_GENERIC_LABEL = r"Speaker\s*\d+"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
_SENTENCE_END = "。．.！？!?"
_QUESTION_END = ("？", "?")
# Words a Chinese sentence cannot end on: the speaker was cut off mid-clause.
_DANGLING_ENDS = (
    "就是",
    "到",
    "在你",
    "怎么",
    "刚才",
    "觉得",
    "我们的",
    "然后",
    "所以",
    "因为",
    "但是",
    "或者",
    "如果",
    "而且",
    "说的",
)
# Characters a Chinese sentence cannot start with: the line continues the previous speaker.
_CONTINUATION_STARTS = tuple("的了能地得着过吗呢")
QUESTION_MAX_CHARS = 300  # host turns joined into one question, at most (about the latest)
_TEASER_SCORE = 85.0  # rapidfuzz partial_ratio for "this sentence is said again later"
_TEASER_SHARE = 0.6  # share of a turn's text that must recur later for it to be a teaser


@dataclass(slots=True)
class _Turn:
    """One labelled line (plus unlabelled continuation lines) of the transcript."""

    line: int
    label: str
    speaker: Speaker | None
    text: str

    @property
    def is_guest(self) -> bool:
        return self.speaker is not None and self.speaker.role is not Role.HOST

    @property
    def is_host(self) -> bool:
        return self.speaker is not None and self.speaker.role is Role.HOST


def parse(source: Source, text: str) -> ParseResult:
    """Cut a diarised transcript into guest excerpts; never raises on malformed input."""
    result = ParseResult()
    turns = _read_turns(source, text, result)
    turns = _drop_teasers(source, turns, result, _int_option(source, "teaser_scan", 12))
    _repair_boundaries(turns)
    max_chars = _int_option(source, "max_chars", 350)
    max_sentences = _int_option(source, "max_sentences", 6)
    trivial = _int_option(source, "trivial_max_chars", 11)
    asked: list[str] = []  # host turns since the last answer: together, the next question
    answered = True
    for turn in turns:
        body = turn.text.strip()
        if not body:
            continue
        if turn.speaker is None:
            result.dropped.append(Dropped(source.id, turn.line, "unknown speaker", body))
        elif turn.is_host:
            if content_length(body) >= 5 or body.endswith(_QUESTION_END):  # not "对。"
                # A question the guest interrupted ("发身份证的目的是什么？") goes on in the
                # host's next turn: both are what the answer replies to.
                asked = [body] if answered else [*asked, body]
                answered = False
            result.dropped.append(
                Dropped(source.id, turn.line, "host turn (kept as question)", body)
            )
        elif content_length(body) < trivial:
            result.dropped.append(Dropped(source.id, turn.line, "trivial turn", body))
        else:
            answered = True
            question = _question(asked)
            lang = detect_lang(body)
            for window in windows(split_sentences(body, lang), max_chars, max_sentences):
                result.drafts.append(
                    Draft(
                        text=window,
                        line=turn.line,
                        lang=lang,
                        role=turn.speaker.role,
                        speaker_id=turn.speaker.id,
                        question=question,
                    )
                )
    return result


def _question(asked: list[str]) -> str | None:
    """The host's latest turns, as many as fit in QUESTION_MAX_CHARS (the last one always):
    a long show intro before the first question must not push the question itself out."""
    kept: list[str] = []
    for turn in reversed(asked):
        if kept and sum(map(len, kept)) + len(turn) > QUESTION_MAX_CHARS:
            break
        kept.insert(0, turn)
    return " ".join(kept) or None


def detect_lang(text: str) -> str:
    """The language of a turn: zh when it has Chinese characters, else en."""
    return "zh" if _CJK.search(text) else "en"


def content_length(text: str) -> int:
    """Chinese characters plus Latin words: how much a turn actually says."""
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


def _int_option(source: Source, key: str, default: int) -> int:
    value = source.options.get(key, default)
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )


def _label_pattern(source: Source) -> re.Pattern[str]:
    labels = sorted({label for s in source.speakers for label in s.labels}, key=len, reverse=True)
    names = "|".join([*(re.escape(label) for label in labels), _GENERIC_LABEL])
    return re.compile(rf"^\s*(?P<label>{names})\s*[:：]\s?(?P<text>.*)$")


def _speaker_for(source: Source, label: str) -> Speaker | None:
    wanted = re.sub(r"\s+", " ", label).strip().casefold()
    for speaker in source.speakers:
        if any(re.sub(r"\s+", " ", x).strip().casefold() == wanted for x in speaker.labels):
            return speaker
    return None


def _read_turns(source: Source, text: str, result: ParseResult) -> list[_Turn]:
    pattern = _label_pattern(source)
    turns: list[_Turn] = []
    unknown: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = pattern.match(line)
        if match is None:
            if turns:  # an unlabelled paragraph continues the last speaker's turn
                turns[-1].text = _glue(turns[-1].text, line)
            else:
                result.problems.append(
                    Problem(
                        source.file, number, "text before the first speaker label", Severity.WARNING
                    )
                )
                result.dropped.append(Dropped(source.id, number, "unlabelled text", line))
            continue
        label = match.group("label")
        speaker = _speaker_for(source, label)
        if speaker is None and label not in unknown:
            unknown.add(label)
            result.problems.append(
                Problem(
                    source.file,
                    number,
                    f"speaker label {label!r} is not in the manifest; its turns are skipped",
                    Severity.WARNING,
                )
            )
        turns.append(_Turn(number, label, speaker, match.group("text").strip()))
    if not turns and text.strip():
        result.problems.append(Problem(source.file, 1, "no `Speaker N:` turns found"))
    return turns


def _glue(left: str, right: str) -> str:
    """Join two pieces of one utterance: no space between Chinese, one space between Latin."""
    if not left:
        return right
    if not right:
        return left
    if _CJK.match(left[-1]) or _CJK.match(right[0]) or left[-1] in "，。？！：；":
        return left + right
    return f"{left} {right}"


def _drop_teasers(
    source: Source, turns: list[_Turn], result: ParseResult, scan: int
) -> list[_Turn]:
    """Drop the cold open: opening turns whose sentences are all said again later on."""
    start = 0
    while start < min(scan, len(turns) - 1) and _is_repeated_later(turns, start):
        turn = turns[start]
        result.dropped.append(Dropped(source.id, turn.line, "teaser duplicate", turn.text))
        start += 1
    return turns[start:]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_repeated_later(turns: list[_Turn], index: int) -> bool:
    # Compare against turns well after the opening, so two teasers cannot vouch for each other.
    later = [_squeeze(t.text) for t in turns[index + 1 :] if t.line > turns[index].line]
    sentences = [_squeeze(s) for s in split_sentences(turns[index].text, "zh")]
    sentences = [s for s in sentences if content_length(s) >= 6]
    if not sentences or not later:
        return False
    total = sum(len(s) for s in sentences)
    repeated = 0
    for sentence in sentences:
        best = process.extractOne(sentence, later, scorer=fuzz.partial_ratio)
        if best is not None and best[1] >= _TEASER_SCORE:
            repeated += len(sentence)
    return repeated >= _TEASER_SHARE * total


def _repair_boundaries(turns: list[_Turn]) -> None:
    """Give sentence halves that diarisation put on the wrong side of a turn change back."""
    for before, after in pairwise(turns):
        if before.is_guest and after.is_host:
            keep, fragment = trailing_fragment(before.text)
            if keep != before.text:
                before.text, after.text = keep, _glue(fragment, after.text)
            fragment, rest = _host_leading_fragment(after.text)
            if fragment:
                before.text, after.text = _glue(before.text.rstrip("。. "), fragment), rest
        elif before.is_host and after.is_guest and not before.text.rstrip().endswith(_QUESTION_END):
            fragment, rest = leading_fragment(after.text)
            if fragment:
                before.text, after.text = _glue(before.text.rstrip("。. "), fragment), rest
    for turn in turns:
        if turn.is_guest:
            turn.text = _trim_filler(turn.text)


def _trim_filler(text: str) -> str:
    """Drop a bare "我觉得" or "对" left dangling at the very start or end of an answer."""
    for filler in ("我觉得。", "对。"):
        if text.startswith(filler) and content_length(text) > 12:
            text = text[len(filler) :].lstrip()
    core = text.rstrip(_SENTENCE_END + " ")
    for filler in ("我觉得", "对"):
        for joint in ("，", ",", "。", ""):
            if core.endswith(joint + filler) and len(core) > len(joint + filler) + 8:
                head = core[: -len(joint + filler)].rstrip("，, ")
                if joint == "" and filler == "对" and not head.endswith(tuple(_SENTENCE_END)):
                    continue  # "做对" is a word, not a filler
                return head if head.endswith(tuple(_SENTENCE_END)) else head + "。"
    return text


def trailing_fragment(text: str) -> tuple[str, str]:
    """Split off a cut-off clause that ends a turn: (text to keep, fragment for the next turn)."""
    sentences = split_sentences(text, "zh")
    if len(sentences) < 2:
        return text, ""
    last = sentences[-1]
    core = last.rstrip(_SENTENCE_END + " ")
    head = _join(sentences[:-1])
    if last.endswith(_QUESTION_END):
        return text, ""
    if core.startswith("对") and not core.startswith(("对吧", "对于", "对对")) and len(core) <= 20:
        return head, core.lstrip("对，, ")
    if len(core) <= 4:
        return head, core
    clause = re.split(r"[，,]", core)[-1]
    if clause != core and clause.startswith("我觉得") and len(clause) <= 10:
        return _glue(head, core[: -len(clause)].rstrip("，, ") + "。"), clause
    if core.endswith(_DANGLING_ENDS):
        window = max(0, len(core) - 15)
        cut = max(core.rfind("对", window), core.rfind("，", window))
        if cut >= 6:
            return _glue(head, core[:cut].rstrip("，, ") + "。"), core[cut:].lstrip("对，, ")
        if len(core) <= 24:
            return head, core
    return text, ""


def leading_fragment(text: str) -> tuple[str, str]:
    """Split off a clause that opens a turn but finishes the previous speaker's sentence."""
    core = text.lstrip()
    if not core or not (core.startswith(_CONTINUATION_STARTS) or core[0].islower()):
        return "", text
    first = split_sentences(core, "zh")[0]
    dui = core.find("对", 1, min(12, len(first)))
    if dui > 0:
        return core[:dui].rstrip(), core[dui:].lstrip("对，, ")
    if len(first) <= 24 and len(first) < len(core):
        return first.rstrip(_SENTENCE_END + " "), core[len(first) :].lstrip().lstrip("对，, ")
    return "", text


def _host_leading_fragment(text: str) -> tuple[str, str]:
    """A host line opening with the end of the guest's sentence ("的经济价值。对你提到…")."""
    core = text.lstrip()
    if not core.startswith(_CONTINUATION_STARTS):
        return "", text
    first = split_sentences(core, "zh")[0]
    if first.endswith(_QUESTION_END) or len(first) > 12 or len(first) == len(core):
        return "", text
    return first, core[len(first) :].lstrip().lstrip("对，, ")


def _join(sentences: list[str]) -> str:
    out = ""
    for sentence in sentences:
        out = _glue(out, sentence)
    return out
