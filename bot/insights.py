"""Daily picks and discussion questions: a no-repeat deck per subscription, spaced out (pure)."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.corpus.model import Excerpt, Role

LangMode = Literal["en", "zh", "both"]
LANG_MODES: tuple[LangMode, ...] = ("en", "zh", "both")
RECENT = 6  # how many past picks the spacing rules look at
MIN_CHARS = {"en": 80, "zh": 30}  # shorter excerpts rarely stand alone as a daily thought
MAX_CHARS = {"en": 1200, "zh": 600}


@dataclass(frozen=True, slots=True)
class DeckState:
    """What a deck has dealt: this cycle's excerpt ids and the last few picks of any cycle."""

    cycle: int = 0
    seen: frozenset[str] = frozenset()
    recent: tuple[str, ...] = ()  # oldest first


@dataclass(frozen=True, slots=True)
class Pick:
    """The next excerpt of a deck and the cycle it belongs to (a new cycle restarts the pool)."""

    excerpt: Excerpt
    cycle: int


@dataclass(frozen=True, slots=True)
class Question:
    """A curated question, tied to topics and/or to excerpts containing `anchor`."""

    id: str
    en: str
    zh: str
    topics: tuple[str, ...] = ()
    anchor: str | None = None

    def text(self, lang: str) -> str:
        """The question in `lang` ("zh" or anything else for English)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class QuestionBank:
    """All curated questions with lookups by excerpt and by topic."""

    questions: tuple[Question, ...] = ()

    def for_excerpt(self, excerpt: Excerpt) -> tuple[Question, ...]:
        """Questions anchored in this excerpt's text, then questions on its topics."""
        # Anchors quote the source, so a machine translation's wording cannot tie a question.
        texts = (excerpt.text, excerpt.text_original, excerpt.source_translation or "")
        anchored = tuple(
            q for q in self.questions if q.anchor and any(q.anchor in t for t in texts)
        )
        on_topic = tuple(
            q for q in self.questions if not q.anchor and any(t in excerpt.topics for t in q.topics)
        )
        return anchored + on_topic

    def general(self) -> tuple[Question, ...]:
        """Questions tied to neither a topic nor an excerpt: they fit any insight."""
        return tuple(q for q in self.questions if not q.anchor and not q.topics)

    def topics(self) -> frozenset[str]:
        """Every topic slug some question is tied to."""
        return frozenset(t for q in self.questions for t in q.topics)


def load_questions(path: Path) -> tuple[QuestionBank, tuple[str, ...]]:
    """Read questions.toml; never raises: problems come back as 'file: message' strings."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return QuestionBank(), (f"{path}: {exc}",)
    problems: list[str] = []
    items: list[Question] = []
    seen: set[str] = set()
    for n, raw in enumerate(data.get("questions", []), start=1):
        where = f"{path}: questions #{n}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a table")
            continue
        qid, en, zh = raw.get("id"), raw.get("en"), raw.get("zh")
        topics, anchor = raw.get("topics", []), raw.get("anchor")
        if not (isinstance(qid, str) and qid and isinstance(en, str) and isinstance(zh, str)):
            problems.append(f"{where}: needs string id, en and zh")
            continue
        if not en.strip() or not zh.strip():
            problems.append(f"{where} ({qid}): empty en or zh")
            continue
        if qid in seen:
            problems.append(f"{where}: duplicate id {qid!r}")
            continue
        if not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
            problems.append(f"{where} ({qid}): topics must be a list of slugs")
            continue
        if anchor is not None and not (isinstance(anchor, str) and anchor.strip()):
            problems.append(f"{where} ({qid}): anchor must be a non-empty string")
            continue
        seen.add(qid)
        items.append(Question(qid, en.strip(), zh.strip(), tuple(topics), anchor))
    return QuestionBank(tuple(items)), tuple(problems)


def readable(excerpt: Excerpt, lang: str) -> bool:
    """Whether a reader of `lang` can read the excerpt (its text or a translation)."""
    return excerpt.lang == lang or excerpt.translation is not None


def daily_worthy(excerpt: Excerpt) -> bool:
    """A guest's (or narrator's) complete thought of a length that stands alone."""
    if excerpt.role is Role.HOST:
        return False
    size = len(excerpt.text)
    lang = "zh" if excerpt.lang == "zh" else "en"
    return MIN_CHARS[lang] <= size <= MAX_CHARS[lang]


def build_pool(excerpts: Iterable[Excerpt], topic: str | None, langs: LangMode) -> list[Excerpt]:
    """The excerpts a subscription draws from, in corpus order."""
    pool = [e for e in excerpts if daily_worthy(e)]
    if topic:
        pool = [e for e in pool if topic in e.topics]
    if langs != "both":
        pool = [e for e in pool if readable(e, langs)]
    return pool


def _rank(seed: str, cycle: int, excerpt_id: str) -> float:
    """A stable pseudo-random number in [0, 1): each cycle deals the pool in a new order."""
    digest = hashlib.blake2b(f"{seed}|{cycle}|{excerpt_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def pick_next(pool: Sequence[Excerpt], state: DeckState, seed: str, langs: LangMode) -> Pick | None:
    """The next excerpt: unseen this cycle, away from recent speakers and sources.

    When the pool is used up a new cycle starts, still avoiding the last few picks so a cycle
    boundary does not repeat what was just shown. Deterministic for (pool, state, seed).
    """
    if not pool:
        return None
    by_id = {e.id: e for e in pool}
    recent = [by_id[i] for i in state.recent if i in by_id]
    cycle = state.cycle
    candidates = [e for e in pool if e.id not in state.seen]
    if not candidates:
        cycle += 1
        avoid = {e.id for e in recent[-min(RECENT, len(pool) - 1) :]} if len(pool) > 1 else set()
        candidates = [e for e in pool if e.id not in avoid]
    last = recent[-1] if recent else None
    want_lang = None
    if langs == "both" and last is not None:
        want_lang = "en" if last.lang == "zh" else "zh"
    recent_speakers = [e.speaker_id or e.speaker for e in recent[-3:]]
    recent_sources = [e.source_id for e in recent]

    def score(e: Excerpt) -> float:
        penalty = 0.0
        speaker = e.speaker_id or e.speaker
        if speaker in recent_speakers:
            # The nearer the repeat, the heavier the penalty.
            penalty += 1.5 - 0.25 * recent_speakers[::-1].index(speaker)
        if recent_sources and e.source_id == recent_sources[-1]:
            penalty += 1.0
        # Sources seen often lately step back, so small sources are not drowned by big ones.
        penalty += 0.4 * recent_sources.count(e.source_id)
        if want_lang is not None and e.lang != want_lang:
            penalty += 2.0
        return penalty + _rank(seed, cycle, e.id)

    return Pick(min(candidates, key=score), cycle)


def advance(state: DeckState, pick: Pick) -> DeckState:
    """The deck after dealing `pick`."""
    seen = state.seen if pick.cycle == state.cycle else frozenset()
    recent = (*state.recent, pick.excerpt.id)[-RECENT:]
    return DeckState(pick.cycle, seen | {pick.excerpt.id}, recent)


def upcoming(
    pool: Sequence[Excerpt], state: DeckState, seed: str, langs: LangMode, count: int
) -> list[Pick]:
    """The next `count` picks this deck would deal (for /preview); does not change the deck."""
    picks: list[Pick] = []
    for _ in range(count):
        pick = pick_next(pool, state, seed, langs)
        if pick is None:
            break
        picks.append(pick)
        state = advance(state, pick)
    return picks


def question_for(
    excerpt: Excerpt, bank: QuestionBank, seed: str, fallback: bool = True
) -> Question | None:
    """The question that goes with an excerpt: anchored first, then topical, then general."""
    tied = bank.for_excerpt(excerpt)
    anchored = [q for q in tied if q.anchor]
    options = anchored or list(tied) or (list(bank.general()) if fallback else [])
    if not options:
        return None
    return min(options, key=lambda q: _rank(seed, 0, q.id + excerpt.id))


def discussable(
    excerpts: Iterable[Excerpt], bank: QuestionBank, topic: str | None
) -> list[Excerpt]:
    """Excerpts worth a group discussion: daily-worthy and with a tied (not general) question."""
    pool = build_pool(excerpts, topic, "both")
    return [e for e in pool if question_for(e, bank, "", fallback=False) is not None]
