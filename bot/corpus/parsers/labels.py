"""Turn labels (`Name: text`, `[00:01:02] Name: text`) matched against a source's speakers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.model import Role, Source, Speaker

_TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_PREFIX = re.compile(
    rf"^\s*(?:[\[(]?(?P<ts>{_TIMESTAMP})[\])]?\s*[-–]?\s*)?"
    r"(?:\*\*)?(?P<label>[^:：\n]{1,40}?)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(?P<rest>.*)$",
    re.S,
)
_BARE_TIMESTAMP = re.compile(rf"^\s*[\[(](?P<ts>{_TIMESTAMP})[\])]\s*(?P<rest>.*)$", re.S)
# A label for someone the manifest does not list must look like a name, not a clause.
_NAME_LIKE = re.compile(r"^[^\W\d_][\w .'’·&()（）-]{0,39}$")
# Chinese prose introduces speech with a colon too ("他说：…", "我认为："): pronouns and speech
# verbs mark a clause, not a name.
_ZH_CLAUSE = re.compile(r"[我你他她它们这那]|[说问道讲表示认为指出写]$")
_NOT_NAMES = frozenset(
    {"note", "notes", "example", "update", "source", "sources", "reference link", "link", "http"}
)


@dataclass(frozen=True, slots=True)
class Label:
    """What a turn prefix says: who (if known), the label as written, the rest of the line."""

    speaker: Speaker | None
    label: str
    text: str
    timestamp: str | None = None


class LabelMatcher:
    """Finds `Label:` prefixes; known labels first, then (optionally) name-like unknown ones."""

    def __init__(self, source: Source, accept_unknown: bool = True) -> None:
        self.accept_unknown = accept_unknown
        self._known: dict[str, Speaker] = {}
        # Labels first: they are what the file writes; names and aliases are a fallback.
        for speaker in source.speakers:
            for label in speaker.labels:
                self._known.setdefault(_key(label), speaker)
        for speaker in source.speakers:
            names = (speaker.name, speaker.name_zh or "", *speaker.aliases)
            for name in names:
                if name:
                    self._known.setdefault(_key(name), speaker)

    def match(self, line: str) -> Label | None:
        """The turn label at the start of a paragraph, or None for an unlabelled paragraph."""
        found = _PREFIX.match(line)
        if found is None:
            return None
        label = found.group("label").strip()
        rest = found.group("rest").strip()
        speaker = self._known.get(_key(label))
        if speaker is None and not (self.accept_unknown and _looks_like_name(label, rest)):
            return None
        return Label(speaker, label, rest, found.group("ts"))

    @staticmethod
    def timestamp(line: str) -> tuple[str | None, str]:
        """A leading `[00:01:02]` timestamp and the text after it (None when there is none)."""
        found = _BARE_TIMESTAMP.match(line)
        if found is None:
            return None, line
        return found.group("ts"), found.group("rest")


def _key(label: str) -> str:
    """A label compared case- and whitespace-insensitively."""
    return re.sub(r"\s+", " ", label.strip().strip("*")).casefold()


def _looks_like_name(label: str, rest: str) -> bool:
    """Whether an unknown label is plausibly a person and not a clause of prose."""
    if rest.startswith("//") or _key(label) in _NOT_NAMES:
        return False
    words = label.split()
    if not _NAME_LIKE.match(label) or len(words) > 4:
        return False
    if not label.isascii():
        return len(label) <= 12 and not _ZH_CLAUSE.search(label)
    # "So the point is: ..." is prose; names are capitalised ("Sam Altman", "SPEAKER 2").
    return all(w[0].isupper() or w[0].isdigit() for w in words)


def display_name(label: Label) -> str:
    """What a card shows for a speaker the manifest does not list."""
    return f"{label.label} (unattributed)"


def is_host(speaker: Speaker | None) -> bool:
    """Whether this speaker asks rather than answers."""
    return speaker is not None and speaker.role is Role.HOST
