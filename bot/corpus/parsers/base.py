"""The contract every layout parser fulfils: raw text in, drafts + problems + drops out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.corpus.model import Dropped, Problem, Role, Source


@dataclass(slots=True)
class Draft:
    """An excerpt before the loader normalises it, tags topics and gives it a stable id.

    Text fields hold the source's own characters (markup such as ** or == may be stripped,
    nothing else rewritten): the loader applies corpus/corrections.toml and keeps the original.
    """

    text: str
    line: int  # 1-based line where the excerpt starts
    lang: str  # "en" | "zh"
    role: Role = Role.GUEST
    speaker_id: str | None = None  # a Speaker.id from the manifest; None = unattributed
    speaker_label: str | None = None  # display override, e.g. "Mark Chen / Jakub Pachocki"
    translation: str | None = None
    commentary: str | None = None
    question: str | None = None
    section: str | None = None
    timestamp: str | None = None


@dataclass(slots=True)
class ParseResult:
    """What one parser made of one file."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


# A parser gets the manifest entry and the file's text (UTF-8, LF) and never raises on bad
# content: it reports a Problem with file and line and goes on with the rest of the file.
Parser = Callable[[Source, str], ParseResult]
