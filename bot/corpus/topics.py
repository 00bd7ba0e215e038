"""Canonical bilingual topic tags (corpus/topics.toml) and keyword tagging of excerpts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.corpus import tomlfile
from bot.corpus.model import Problem

TOPICS = "topics.toml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_HEADER = re.compile(r"^\s*\[\[\s*topic\s*\]\]")
_LATIN = re.compile(r"[A-Za-z0-9]")
# Hits in the excerpt's own words count double: a topic mentioned only once in a long
# commentary is not what the excerpt is about.
_TEXT_WEIGHT = 2
_CONTEXT_WEIGHT = 1
_THRESHOLD = 2


@dataclass(frozen=True, slots=True)
class Topic:
    """One /topics entry: stable slug, labels in both languages, matching keywords."""

    slug: str
    en: str
    zh: str
    keywords: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The label in the given language ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class TopicTagger:
    """Tags texts with topic slugs by keyword match, compiled once for the whole corpus.

    Tagging runs on every excerpt at load time, so each text is scanned once for all topics:
    Latin keywords are matched on the text's word tokens through dicts keyed by a keyword's
    first word, Chinese keywords with one regex alternation.
    """

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics = tuple(topics)
        self._words: dict[str, list[int]] = {}  # single words, plural forms included
        self._phrases: dict[str, list[_Phrase]] = {}  # first word -> phrases starting with it
        self._prefixes: dict[str, list[int]] = {}  # single-word prefixes ("generaliz*")
        chinese: dict[str, list[int]] = {}
        for n, topic in enumerate(self.topics):
            for keyword in topic.keywords:
                prefix = keyword.endswith("*")
                word = keyword.rstrip("*").strip().casefold()
                if not word:
                    continue
                if not _LATIN.search(word[0]) and not _LATIN.search(word[-1]):
                    chinese.setdefault(word, []).append(n)
                    continue
                tokens = tuple(_TOKEN.findall(word))
                if len(tokens) == 1 and prefix:
                    self._prefixes.setdefault(tokens[0], []).append(n)
                elif len(tokens) == 1:
                    for form in (tokens[0], tokens[0] + "s", tokens[0] + "es"):
                        self._words.setdefault(form, []).append(n)
                elif tokens:
                    self._phrases.setdefault(tokens[0], []).append(_Phrase(tokens, prefix, n))
        self._prefix_starts = tuple(self._prefixes)
        self._chinese_topics = chinese
        # Longest first, so "自动化研究员" wins over "自动化" at the same place.
        ordered = sorted(chinese, key=len, reverse=True)
        self._chinese = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def tag(
        self, texts: Iterable[str | None], context: Iterable[str | None] = ()
    ) -> tuple[str, ...]:
        """Slugs whose keywords score >= 2: hits in `texts` count 2, in `context` count 1."""
        scores = [0] * len(self.topics)
        for weight, parts in ((_TEXT_WEIGHT, texts), (_CONTEXT_WEIGHT, context)):
            for n, hits in self._hits("\n".join(t for t in parts if t)).items():
                scores[n] += weight * hits
        pairs = zip(self.topics, scores, strict=True)
        return tuple(t.slug for t, score in pairs if score >= _THRESHOLD)

    def _hits(self, text: str) -> Counter[int]:
        """Keyword hits per topic index in one text."""
        hits: Counter[int] = Counter()
        if not text:
            return hits
        lower = text.casefold()
        tokens = _TOKEN.findall(lower)
        for token, count in Counter(tokens).items():
            for n in self._words.get(token, ()):
                hits[n] += count
            if self._prefix_starts and token.startswith(self._prefix_starts):
                for start, topics in self._prefixes.items():
                    if token.startswith(start):
                        for n in topics:
                            hits[n] += count
        for i, token in enumerate(tokens):
            for phrase in self._phrases.get(token, ()):
                if phrase.matches(tokens, i):
                    hits[phrase.topic] += 1
        if self._chinese is not None:
            for match in self._chinese.finditer(lower):
                hits.update(self._chinese_topics[match.group()])
        return hits


_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A Latin keyword of several words; the last may be a prefix ("reward model*")."""

    tokens: tuple[str, ...]
    prefix: bool
    topic: int

    def matches(self, tokens: list[str], at: int) -> bool:
        """Whether the phrase starts at tokens[at] (plural "s"/"es" allowed on the last word)."""
        end = at + len(self.tokens)
        if end > len(tokens) or tokens[at : end - 1] != list(self.tokens[:-1]):
            return False
        last, wanted = tokens[end - 1], self.tokens[-1]
        if self.prefix:
            return last.startswith(wanted)
        return last in (wanted, wanted + "s", wanted + "es")


def load_topics(corpus_dir: Path, name: str = TOPICS) -> tuple[TopicTagger, list[Problem]]:
    """Read corpus/topics.toml; a missing file means no topics, bad entries become Problems."""
    path = corpus_dir / name
    problems: list[Problem] = []
    if not path.exists():
        return TopicTagger(()), problems
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 1, f"cannot read: {exc}"))
        return TopicTagger(()), problems
    data = tomlfile.parse(name, text)
    if isinstance(data, Problem):
        problems.append(data)
        return TopicTagger(()), problems
    heads = [n for n, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]
    entries = data.get("topic", [])
    topics: list[Topic] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        line = heads[n] if n < len(heads) else 1
        topic = _topic(entry)
        if topic is None:
            problems.append(
                Problem(name, line, "a topic needs slug (a-z, 0-9, -), en, zh and keywords")
            )
        elif topic.slug in seen:
            problems.append(Problem(name, line, f"duplicate topic slug {topic.slug!r}"))
        else:
            seen.add(topic.slug)
            topics.append(topic)
    return TopicTagger(topics), problems


def _topic(entry: object) -> Topic | None:
    """A Topic from its TOML table, or None when a field is missing or mistyped."""
    if not isinstance(entry, dict):
        return None
    slug, en, zh, keywords = (entry.get(k) for k in ("slug", "en", "zh", "keywords"))
    if not (isinstance(slug, str) and _SLUG.match(slug) and isinstance(en, str)):
        return None
    if not isinstance(zh, str) or not isinstance(keywords, list):
        return None
    words = tuple(k for k in keywords if isinstance(k, str) and k.strip())
    return Topic(slug, en, zh, words) if words else None
