"""Parser for a Chinese news article quoting and paraphrasing its subject ("news-article").

The article is WeChat style: one sentence per paragraph, short unpunctuated lines as section
headings. Lines carrying the subject's own words ("guest": bare lines after `Mark Chen豪言:`,
「…」 quotes with a first-person voice and a speaker) and lines reporting them ("narrator": the
subject named as the actor, or `他说/他还指出…`) become excerpts of 1-3 lines; the author's other
lines are commentary for the nearest excerpt in the same section, the abstract the fallback.
References, the source line and all the site boilerplate after them are dropped.

Source options (all optional):
    end_markers        lines (prefixes) where the article ends (["参考资料"])
    boilerplate_markers  lines (prefixes) where site chrome starts when no end marker is found
    abstract_headings  lines that introduce the abstract (["Abstract", "摘要", "导读"])
    max_lines          lines per excerpt (3)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from bot.corpus.model import Dropped, Problem, Role, Severity, Source, Speaker
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.speaker_turns import content_length, detect_lang

_END_MARKERS = ("参考资料", "参考链接", "References")
_BOILERPLATE = ("Trending Cryptos", "Related Questions", "Related Reads", "Hot Articles")
_ABSTRACT = ("Abstract", "摘要", "导读")
_SOURCE_LINE = re.compile(r"^(本文来自|本文转载自|来源[:：]|原文链接)")
_METADATA = re.compile(r"Published on|Last updated|发布于|\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"^https?://\S+$")
_IMAGE = re.compile(r"^(活动)?图片+$")
_FINAL_PUNCT = "。！？!?…:：,，;；.、"
_GLOSS_END = re.compile(r"[(（][A-Za-z][A-Za-z .'-]*[)）]$")
_LIST_ITEM = re.compile(r"^\d+[、.]")
_SUBHEADING = re.compile(r"^第[一二三四五六七八九十\d]+[个点条部][^,，。]{0,6}[:：]")
_QUOTE = re.compile(r"「([^「」]*)」")
_VOICE = re.compile(r"(?<!自)我|[你咱]")  # 自我 ("self-") is not a first person
# Author's voice: a line opening like this comments on the story rather than reporting it.
_AUTHOR_OPENERS = ("这", "而", "可", "但", "当", "如果", "因为", "所以", "甚至", "那")
_MAX_HEADING = 30
_MIN_COMMENTARY = 12


@dataclass(slots=True)
class _Line:
    """One non-empty body line and what it is."""

    number: int
    text: str
    kind: str  # heading | subheading | direct | reported | narrative | intro
    speaker: Speaker | None = None


@dataclass(slots=True)
class _Unit:
    """An excerpt in the making (1-3 lines) or a run of commentary lines, in one scope."""

    kind: str  # "excerpt" | "commentary"
    scope: int  # sections and sub-sections are scopes; commentary never crosses them
    section: str | None
    lines: list[_Line] = field(default_factory=list)
    role: Role = Role.NARRATOR

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number


def parse(source: Source, text: str) -> ParseResult:
    """Cut an article into the subject's quotes and reported speech with commentary."""
    result = ParseResult()
    guests = [s for s in source.speakers if s.role is not Role.HOST]
    if not guests:
        result.problems.append(Problem(source.file, 1, "news-article needs a guest speaker"))
        return result
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        result.problems.append(Problem(source.file, 1, "the article is empty"))
        return result
    body, abstract = _front_and_back(source, lines, result)
    classified = _classify(body, guests)
    units = _group(classified, _int_option(source, "max_lines", 3))
    commentary = [u for u in units if u.kind == "commentary"]
    for unit in units:
        if unit.kind == "commentary":
            for line in unit.lines:
                result.dropped.append(Dropped(source.id, line.number, "narrative", line.text))
            continue
        body_text = _join(_quote_text(line) for line in unit.lines)
        speaker = next((ln.speaker for ln in unit.lines if ln.speaker), guests[0])
        result.drafts.append(
            Draft(
                text=body_text,
                line=unit.first,
                lang=detect_lang(body_text),
                role=unit.role,
                speaker_id=speaker.id,
                commentary=_nearest_commentary(unit, commentary) or abstract,
                section=unit.section,
            )
        )
    if not result.drafts:
        message = "no quote or reported speech of the guest found"
        result.problems.append(Problem(source.file, lines[0][0], message, Severity.WARNING))
    return result


def _int_option(source: Source, key: str, default: int) -> int:
    value = source.options.get(key, default)
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if ok and isinstance(value, int) else default


def _str_list(source: Source, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = source.options.get(key)
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return tuple(str(x) for x in value)
    return default


def _front_and_back(
    source: Source, lines: list[tuple[int, str]], result: ParseResult
) -> tuple[list[tuple[int, str]], str | None]:
    """Drop title, metadata, abstract and everything after the article; return body + abstract."""
    ends = _str_list(source, "end_markers", _END_MARKERS)
    chrome = _str_list(source, "boilerplate_markers", _BOILERPLATE)
    headings = {h.casefold() for h in _str_list(source, "abstract_headings", _ABSTRACT)}
    drop = result.dropped.append
    number, title = lines[0]
    drop(Dropped(source.id, number, "title", title))
    index, abstract = 1, None
    heading_at = next(
        (i for i, (_, line) in enumerate(lines[:8]) if line.casefold() in headings), None
    )
    if heading_at is not None:
        for number, line in lines[1:heading_at]:
            drop(Dropped(source.id, number, "metadata", line))
        if heading_at + 1 < len(lines):
            number, abstract = lines[heading_at + 1]
            drop(Dropped(source.id, number, "abstract (commentary)", abstract))
        index = heading_at + 2
    else:
        while index < len(lines) and _METADATA.search(lines[index][1]) and index < 4:
            drop(Dropped(source.id, lines[index][0], "metadata", lines[index][1]))
            index += 1
    body: list[tuple[int, str]] = []
    stage = "body"
    for number, line in lines[index:]:
        if stage == "body" and line.rstrip(":： ").startswith(ends) and len(line) <= 20:
            stage = "references"
        elif stage != "boilerplate" and _SOURCE_LINE.match(line):
            drop(Dropped(source.id, number, "source line", line))
            stage = "boilerplate"  # the article is over: whatever the site appends is chrome
            continue
        elif stage == "body" and line.startswith(chrome):
            stage = "boilerplate"
        if stage == "body":
            if _IMAGE.match(line):
                drop(Dropped(source.id, number, "image placeholder", line))
            elif _URL.match(line):
                drop(Dropped(source.id, number, "link", line))
            else:
                body.append((number, line))
        else:
            reason = "image placeholder" if _IMAGE.match(line) else stage
            drop(Dropped(source.id, number, reason, line))
    return body, abstract


def mentions(line: str, speaker: Speaker) -> bool:
    """Whether the line names the speaker (not a namesake: "Mark Zuckerberg" is not "Mark")."""
    names = {speaker.name, *speaker.aliases}
    if speaker.name_zh:
        names.add(speaker.name_zh)
    for name in sorted(names, key=len, reverse=True):
        if not name or (not re.search(r"[A-Za-z]", name) and len(name) < 2):
            continue
        pattern = rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])"
        for match in re.finditer(pattern, line):
            following = re.match(r"\s+([A-Z][A-Za-z]+)", line[match.end() :])
            if following and f"{name} {following.group(1)}" not in names:
                continue
            return True
    return False


def _is_heading(line: str) -> bool:
    return (
        len(line) <= _MAX_HEADING
        and not line.endswith(tuple(_FINAL_PUNCT))
        and not _GLOSS_END.search(line)
        and not _LIST_ITEM.match(line)
        and not line.startswith("「")
    )


def _classify(body: list[tuple[int, str]], guests: list[Speaker]) -> list[_Line]:
    out: list[_Line] = []
    current = guests[0]
    after_intro = False
    for number, line in body:
        named = next((g for g in guests if mentions(line, g)), None)
        current = named or current
        outside = _QUOTE.sub("", line)
        quotes = _QUOTE.findall(line)
        whole_quote = (
            line.startswith("「") and line.rstrip("。").endswith("」") and len(quotes) == 1
        )
        voiced_quote = any(_VOICE.search(q) for q in quotes)
        if _SUBHEADING.match(line) and len(line) <= _MAX_HEADING:
            kind, after_intro = "subheading", False
        elif _is_heading(line):
            kind, after_intro = "heading", False
        elif after_intro and _VOICE.search(outside):
            kind = "direct"  # a bare line after `Mark Chen豪言:` is his own voice
        elif voiced_quote and (named or "他" in outside or whole_quote):
            kind = "direct"
        elif line.endswith((":", "：")) and named:
            kind = "intro"
        elif (named and not line.startswith("当")) or line.startswith("他"):
            kind = "reported"
        else:
            kind = "narrative"
        if kind not in ("direct", "intro"):
            after_intro = False
        if kind == "intro":
            after_intro = True
        out.append(_Line(number, line, kind, current if kind in ("direct", "reported") else None))
    # A line ending in a colon right before a quote introduces it: neither quote nor commentary.
    for before, after in pairwise(out):
        ends_in_colon = before.text.endswith((":", "："))
        if before.kind == "narrative" and ends_in_colon and after.kind == "direct":
            before.kind = "intro"
    return out


def _group(lines: list[_Line], max_lines: int) -> list[_Unit]:
    units: list[_Unit] = []
    heading: str | None = None
    sub: str | None = None
    scope = 0
    for line in lines:
        if line.kind in ("heading", "subheading"):
            if line.kind == "heading":
                heading, sub = line.text, None
            else:
                sub = line.text.rstrip("。")
            scope += 1
            continue
        section = f"{heading} · {sub}" if heading and sub else heading or sub
        open_unit = units[-1] if units and units[-1].scope == scope else None
        if line.kind == "intro":
            units.append(_Unit("intro", scope, section, [line]))
        elif line.kind == "direct":
            if _can_extend(open_unit, max_lines, Role.GUEST):
                assert open_unit is not None
                open_unit.lines.append(line)
            else:
                units.append(_Unit("excerpt", scope, section, [line], Role.GUEST))
        elif line.kind == "reported":
            if _can_extend(open_unit, max_lines, Role.NARRATOR):
                assert open_unit is not None
                open_unit.lines.append(line)
            else:
                units.append(_Unit("excerpt", scope, section, [line], Role.NARRATOR))
        elif (
            _can_extend(open_unit, max_lines, Role.NARRATOR)
            and not line.text.startswith(_AUTHOR_OPENERS)
            and not line.text.endswith(("?", "？"))
            and not _LIST_ITEM.match(line.text)
        ):
            assert open_unit is not None
            open_unit.lines.append(line)  # the report goes on in the author's words
        elif open_unit is not None and open_unit.kind == "commentary":
            open_unit.lines.append(line)
        else:
            units.append(_Unit("commentary", scope, section, [line]))
    return [u for u in units if u.kind != "intro"]


def _can_extend(unit: _Unit | None, max_lines: int, role: Role) -> bool:
    return (
        unit is not None
        and unit.kind == "excerpt"
        and unit.role is role
        and len(unit.lines) < max_lines
    )


def _quote_text(line: _Line) -> str:
    """A line as shown: a line that is one 「…」 quote loses its brackets."""
    text = line.text
    if text.startswith("「") and text.endswith(("」", "」。")) and text.count("「") == 1:
        return text.rstrip("。")[1:-1]
    return text


def _join(pieces: Iterable[str]) -> str:
    """Article lines as one text: a line without final punctuation gets a line break after it."""
    out = ""
    for piece in pieces:
        if out and not out.endswith(tuple(_FINAL_PUNCT + "」』”)")):
            out += "\n"
        out += piece
    return out


def _nearest_commentary(unit: _Unit, runs: list[_Unit]) -> str | None:
    """The author's lines nearest to the excerpt in its scope; after wins a tie."""
    best: tuple[int, int, str] | None = None
    for run in runs:
        if run.scope != unit.scope:
            continue
        if run.first > unit.last:
            distance, chosen, tie = run.first - unit.last, run.lines[:3], 0
        elif run.last < unit.first:
            distance, chosen, tie = unit.first - run.last, run.lines[-3:], 1
        else:
            continue
        text = "\n".join(line.text for line in chosen)
        if content_length(text) < _MIN_COMMENTARY:
            continue
        if best is None or (distance, tie) < best[:2]:
            best = (distance, tie, text)
    return best[2] if best else None
