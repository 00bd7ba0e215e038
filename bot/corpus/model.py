"""Immutable records of the corpus: sources, speakers, excerpts and load problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """Who is talking in an excerpt."""

    GUEST = "guest"
    HOST = "host"
    NARRATOR = "narrator"  # an article's author reporting or paraphrasing the guest


class Severity(StrEnum):
    """How bad a load problem is: errors fail `corpus check`, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


UNATTRIBUTED = "unattributed"


@dataclass(frozen=True, slots=True)
class Speaker:
    """A person in one source, with every spelling the source (or its ASR) uses for them."""

    id: str  # stable slug shared across sources, e.g. "jerry-tworek"
    name: str  # display name, e.g. "Jerry Tworek"
    name_zh: str | None = None  # e.g. "姚顺雨"
    role: Role = Role.GUEST
    aliases: tuple[str, ...] = ()  # other spellings: "Jared Faraic", "尧舜禹", "Jacob"
    labels: tuple[str, ...] = ()  # turn labels in the file that mean this speaker: "Speaker 2"


@dataclass(frozen=True, slots=True)
class Source:
    """One transcript file and its metadata from corpus/sources.toml."""

    id: str  # short stable slug, e.g. "a16z-vibe-researching"
    file: str  # path relative to the corpus directory
    layout: str  # parser name, e.g. "bilingual-commentary", "speaker-turns", "srt"
    title: str
    languages: tuple[str, ...]
    speakers: tuple[Speaker, ...] = ()
    show: str | None = None
    date: str | None = None  # ISO date where known
    url: str | None = None
    description: str | None = None
    options: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def speaker(self, speaker_id: str) -> Speaker | None:
        """The speaker with this id in this source, if any."""
        return next((s for s in self.speakers if s.id == speaker_id), None)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One quotable complete thought (1-6 sentences) with everything a card shows about it."""

    id: str  # stable: derived from source id + normalised text, not from position
    source_id: str
    speaker_id: str | None  # None when the source does not say who spoke
    speaker: str  # display name; "unattributed" or "A / B (unattributed)" when unknown
    role: Role
    lang: str  # "en" or "zh": the language of `text`
    text: str  # normalised display text (corrections applied, markup stripped)
    text_original: str  # the text exactly as the source file has it
    position: int  # 0-based order of the excerpt within its source
    line: int  # 1-based line in the source file where the excerpt starts
    translation: str | None = None  # the source's own (000: Chinese), else a machine one
    machine_translation: bool = False  # `translation` is from corpus/translations/, not the source
    commentary: str | None = None  # the editorial text the source pairs with this excerpt
    question: str | None = None  # the interviewer's question this answers
    section: str | None = None
    timestamp: str | None = None  # "00:01:06 - 00:02:31" or "00:01:06" where the source has one
    topics: tuple[str, ...] = ()  # canonical topic slugs from corpus/topics.toml

    @property
    def source_translation(self) -> str | None:
        """The source's own translation: None where there is none or it is a machine one."""
        return None if self.machine_translation else self.translation


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a corpus file, always pointing at a file and line."""

    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Dropped:
    """A piece of a source that was deliberately not turned into an excerpt, and why."""

    source_id: str
    line: int
    reason: str  # short category: "boilerplate", "image placeholder", "teaser duplicate", ...
    text: str = ""


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything loaded from a corpus directory: immutable, swapped whole on reload."""

    sources: tuple[Source, ...]
    excerpts: tuple[Excerpt, ...]
    problems: tuple[Problem, ...] = ()
    dropped: tuple[Dropped, ...] = ()

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if loaded."""
        return next((s for s in self.sources if s.id == source_id), None)

    def excerpt(self, excerpt_id: str) -> Excerpt | None:
        """The excerpt with this id, if any (linear scan; the search index keeps a dict)."""
        return next((e for e in self.excerpts if e.id == excerpt_id), None)
