"""Display-text repairs that never rewrite meaning: NFC, markup, CJK spacing, listed OCR fixes.

The fixes themselves are data (corpus/corrections.toml, optionally scoped to sources), so a
corpus maintainer can add one without touching code; the loader keeps the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.corpus import tomlfile
from bot.corpus.model import Problem

CORRECTIONS = "corrections.toml"

_IDEOGRAPH = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Punctuation that only Chinese text uses; "“”‘’…—" are shared with English and count as
# Chinese only next to an ideograph or one of these.
_ZH_PUNCT = "。，、；：？！「」『』（）【】《》〈〉〔〕｛｝［］～・"
_ZH = f"[{_IDEOGRAPH}{re.escape(_ZH_PUNCT)}]"
_ZH_OR_SHARED = f"[{_IDEOGRAPH}{re.escape(_ZH_PUNCT)}“”‘’…]"
# PDF extraction breaks Chinese lines with spaces: "关 注", "了。 是的。".
_CJK_SPACE = re.compile(rf"(?<={_ZH})\s+(?={_ZH_OR_SHARED})|(?<={_ZH_OR_SHARED})\s+(?={_ZH})")
_BLANKS = re.compile(r"[ \t\u00a0\u3000]+")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_HIGHLIGHT = re.compile(r"==(.+?)==", re.S)
# Full-width Latin letters and digits (Ａ-Ｚ ａ-ｚ ０-９) map to ASCII; punctuation stays.
_HALF_WIDTH = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}
_CORRECTION_HEADER = re.compile(r"^\s*\[\[\s*correction\s*\]\]")


@dataclass(frozen=True, slots=True)
class Correction:
    """One listed repair: a literal or regex `find`, its replacement, and where it applies."""

    pattern: re.Pattern[str]
    replace: str
    sources: frozenset[str] | None = None  # None: every source
    note: str = ""
    needle: str | None = None  # literal corrections: skip texts that lack it (cheap test)
    ignore_case: bool = False

    def applies_to(self, source_id: str) -> bool:
        """Whether this correction is in scope for the source."""
        return self.sources is None or source_id in self.sources


def strip_markup(text: str) -> str:
    """Remove Markdown bold `**x**` and highlight `==x==` markers, keeping the words."""
    text = _HIGHLIGHT.sub(r"\1", _BOLD.sub(r"\1", text))
    return text.replace("**", "")


def fix_cjk_spacing(text: str) -> str:
    """Delete whitespace between two Chinese characters or Chinese punctuation marks."""
    return _CJK_SPACE.sub("", text)


def half_width(text: str) -> str:
    """Full-width Latin letters and digits (ＧＰＴ５) to ASCII; Chinese punctuation untouched."""
    return text.translate(_HALF_WIDTH)


def clean(text: str) -> str:
    """Every source-independent repair: NFC, markup, width, spacing, collapsed blanks."""
    text = unicodedata.normalize("NFC", text)
    text = half_width(strip_markup(text))
    text = _BLANKS.sub(" ", text)
    text = fix_cjk_spacing(text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


class Normalizer:
    """Applies clean() plus the corrections in scope for a source."""

    def __init__(self, corrections: tuple[Correction, ...] = ()) -> None:
        self.corrections = corrections
        self._by_source: dict[str, tuple[Correction, ...]] = {}
        # Parsers repeat questions and commentary on every window of an answer: normalise once.
        self._done: dict[tuple[str, str], str] = {}

    def __call__(self, text: str, source_id: str) -> str:
        """The display text for a piece of source text."""
        key = (source_id, text)
        done = self._done.get(key)
        if done is not None:
            return done
        text = clean(text)
        scoped = self._by_source.get(source_id)
        if scoped is None:
            scoped = tuple(c for c in self.corrections if c.applies_to(source_id))
            self._by_source[source_id] = scoped
        folded = None
        for correction in scoped:
            if correction.needle is not None:
                if correction.ignore_case:
                    folded = folded if folded is not None else text.casefold()
                    if correction.needle not in folded:
                        continue
                elif correction.needle not in text:
                    continue
            text = correction.pattern.sub(correction.replace, text)
            folded = None
        self._done[key] = text
        return text

    def optional(self, text: str | None, source_id: str) -> str | None:
        """Like calling the normaliser, for optional fields; empty results become None."""
        if text is None:
            return None
        return self(text, source_id) or None


def load_corrections(corpus_dir: Path, name: str = CORRECTIONS) -> tuple[Normalizer, list[Problem]]:
    """Read corpus/corrections.toml; a missing file means no corrections, bad entries a Problem."""
    path = corpus_dir / name
    problems: list[Problem] = []
    if not path.exists():
        return Normalizer(), problems
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 1, f"cannot read: {exc}"))
        return Normalizer(), problems
    data = tomlfile.parse(name, text)
    if isinstance(data, Problem):
        problems.append(data)
        return Normalizer(), problems
    header_lines = [
        n for n, line in enumerate(text.splitlines(), 1) if _CORRECTION_HEADER.match(line)
    ]
    entries = data.get("correction", [])
    if not isinstance(entries, list):
        problems.append(Problem(name, 1, "use [[correction]] tables"))
        return Normalizer(), problems
    corrections: list[Correction] = []
    for n, entry in enumerate(entries):
        line = header_lines[n] if n < len(header_lines) else 1
        correction = _correction(entry, name, line, problems)
        if correction is not None:
            corrections.append(correction)
    return Normalizer(tuple(corrections)), problems


def _correction(entry: object, name: str, line: int, problems: list[Problem]) -> Correction | None:
    """Build one Correction from its TOML table, or report why it is unusable."""
    if not isinstance(entry, dict):
        problems.append(Problem(name, line, "a correction must be a table"))
        return None
    find, replace = entry.get("find"), entry.get("replace")
    if not isinstance(find, str) or not find or not isinstance(replace, str):
        problems.append(Problem(name, line, "a correction needs string `find` and `replace`"))
        return None
    regex = bool(entry.get("regex", False))
    ignore_case = bool(entry.get("ignore_case", False))
    if regex:
        source = find
    else:
        replace = replace.replace("\\", "\\\\")  # a literal replacement has no group refs
        # Literal text matches as a whole Latin word: "Al" must not hit "Also"; Chinese
        # characters are not ASCII letters, so "Al领域" still matches.
        source = re.escape(find)
        if entry.get("word", True):
            source = rf"(?<![A-Za-z0-9]){source}(?![A-Za-z0-9])"
    flags = re.IGNORECASE if ignore_case else 0
    try:
        pattern = re.compile(source, flags)
    except re.error as exc:
        problems.append(Problem(name, line, f"bad regex {find!r}: {exc}"))
        return None
    scope = entry.get("sources")
    sources: frozenset[str] | None = None
    if scope is not None:
        if not isinstance(scope, list) or not all(isinstance(s, str) for s in scope):
            problems.append(Problem(name, line, "sources must be a list of source ids"))
            return None
        sources = frozenset(scope)
    note = entry.get("note", "")
    needle = None if regex else (find.casefold() if ignore_case else find)
    return Correction(
        pattern,
        replace,
        sources,
        note if isinstance(note, str) else "",
        needle=needle,
        ignore_case=ignore_case,
    )
