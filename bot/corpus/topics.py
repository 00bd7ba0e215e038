"""Canonical bilingual topic tags (corpus/topics.toml) and keyword tagging of excerpts."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.model import Problem

TOPICS = "topics.toml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_HEADER = re.compile(r"^\s*\[\[\s*topic\s*\]\]")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
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
    """Tags texts with topic slugs by keyword match, precompiled once for the whole corpus.

    Latin keywords are matched on word tokens (dict lookups, not one regex per topic: tagging
    runs on every excerpt at load time); Chinese keywords are substring counts.
    """

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics = tuple(topics)
        self._matchers = [(t.slug, _Keywords(t.keywords)) for t in self.topics]

    def tag(
        self, texts: Iterable[str | None], context: Iterable[str | None] = ()
    ) -> tuple[str, ...]:
        """Slugs whose keywords score >= 2: hits in `texts` count 2, in `context` count 1."""
        main = _Text("\n".join(t for t in texts if t))
        extra = _Text("\n".join(t for t in context if t))
        slugs = []
        for slug, keywords in self._matchers:
            score = _TEXT_WEIGHT * keywords.count(main)
            if score < _THRESHOLD:
                score += _CONTEXT_WEIGHT * keywords.count(extra)
            if score >= _THRESHOLD:
                slugs.append(slug)
        return tuple(slugs)


_TOKEN = re.compile(r"[a-z0-9]+")


class _Text:
    """A text prepared for keyword counting: lower-cased, word tokens, a padded token line."""

    def __init__(self, text: str) -> None:
        self.lower = text.casefold()
        tokens = _TOKEN.findall(self.lower)
        self.words = Counter(tokens)
        self.line = f" {' '.join(tokens)} "


class _Keywords:
    """One topic's keywords split by how they are matched."""

    def __init__(self, keywords: Iterable[str]) -> None:
        self.words: list[str] = []  # single Latin words, plural forms included
        self.phrases: list[str] = []  # " chain of thought " on the padded token line
        self.prefixes: list[str] = []  # " generaliz" (keyword ended with "*")
        self.chinese: list[str] = []
        for keyword in keywords:
            prefix = keyword.endswith("*")
            word = keyword.rstrip("*").strip().casefold()
            if not word:
                continue
            if not _LATIN.search(word[0]) and not _LATIN.search(word[-1]):
                self.chinese.append(word)
                continue
            tokens = _TOKEN.findall(word)
            if prefix:
                self.prefixes.append(" " + " ".join(tokens))
            elif len(tokens) == 1:
                self.words += [tokens[0], tokens[0] + "s", tokens[0] + "es"]
            elif tokens:
                joined = " ".join(tokens)
                self.phrases += [f" {joined} ", f" {joined}s ", f" {joined}es "]

    def count(self, text: _Text) -> int:
        """Keyword occurrences in the text."""
        if not text.lower:
            return 0
        total = sum(text.words[w] for w in self.words if w in text.words)
        total += sum(text.line.count(p) for p in (*self.phrases, *self.prefixes))
        total += sum(text.lower.count(c) for c in self.chinese)
        return total


def load_topics(corpus_dir: Path, name: str = TOPICS) -> tuple[TopicTagger, list[Problem]]:
    """Read corpus/topics.toml; a missing file means no topics, bad entries become Problems."""
    path = corpus_dir / name
    problems: list[Problem] = []
    if not path.exists():
        return TopicTagger(()), problems
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else 1
        problems.append(Problem(name, line, f"invalid TOML: {_TOML_LINE.sub('', str(exc))}"))
        return TopicTagger(()), problems
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 1, f"cannot read: {exc}"))
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
    if not isinstance(entry, dict):
        return None
    slug, en, zh, keywords = (entry.get(k) for k in ("slug", "en", "zh", "keywords"))
    if not (isinstance(slug, str) and _SLUG.match(slug) and isinstance(en, str)):
        return None
    if not isinstance(zh, str) or not isinstance(keywords, list):
        return None
    words = tuple(k for k in keywords if isinstance(k, str) and k.strip())
    return Topic(slug, en, zh, words) if words else None
