"""Deck rotation, spacing and questions, on the real corpus and questions.toml (pure code)."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus, Excerpt, Role
from bot.insights import (
    DeckState,
    QuestionBank,
    advance,
    build_pool,
    discussable,
    load_questions,
    pick_next,
    question_for,
    upcoming,
)
from bot.settings import ROOT


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    bank, problems = load_questions(ROOT / "corpus" / "questions.toml")
    assert problems == ()
    return bank


def deal(pool: list[Excerpt], n: int, seed: str = "s:1", langs: str = "both") -> list[Excerpt]:
    state, out = DeckState(), []
    for _ in range(n):
        pick = pick_next(pool, state, seed, langs)  # type: ignore[arg-type]
        assert pick is not None
        out.append(pick.excerpt)
        state = advance(state, pick)
    return out


def test_no_repeat_until_the_whole_pool_is_used(corpus: Corpus) -> None:
    pool = build_pool(corpus.excerpts, "reasoning", "both")
    dealt = deal(pool, len(pool) + 5)
    first_cycle = dealt[: len(pool)]
    assert len({e.id for e in first_cycle}) == len(pool)
    # The next cycle starts over without repeating what was just shown.
    recent = {e.id for e in first_cycle[-5:]}
    assert not recent & {e.id for e in dealt[len(pool) :]}


def test_consecutive_picks_change_speaker_and_language(corpus: Corpus) -> None:
    pool = build_pool(corpus.excerpts, None, "both")
    dealt = deal(pool, 100)
    pairs = list(itertools.pairwise(dealt))
    assert sum(a.speaker == b.speaker for a, b in pairs) <= 5
    assert sum(a.source_id == b.source_id for a, b in pairs) == 0
    assert sum(a.lang == b.lang for a, b in pairs) <= 5  # English and Chinese alternate
    # Small sources are not drowned by the 250-excerpt one.
    assert {e.source_id for e in dealt} == {e.source_id for e in pool}


def test_single_language_decks_stay_readable(corpus: Corpus) -> None:
    for excerpt in deal(build_pool(corpus.excerpts, None, "en"), 30):
        assert excerpt.lang == "en" or excerpt.translation is not None
    zh = build_pool(corpus.excerpts, None, "zh")
    assert all(e.lang == "zh" or e.translation for e in zh)


def test_daily_pool_leaves_out_hosts_and_fragments(corpus: Corpus) -> None:
    pool = build_pool(corpus.excerpts, None, "both")
    assert pool and all(e.role is not Role.HOST for e in pool)
    assert min(len(e.text) for e in pool) >= 30


def test_different_subscriptions_get_different_orders(corpus: Corpus) -> None:
    pool = build_pool(corpus.excerpts, None, "both")
    assert [e.id for e in deal(pool, 10, "s:1")] != [e.id for e in deal(pool, 10, "s:2")]


def test_preview_shows_exactly_what_will_be_dealt(corpus: Corpus) -> None:
    pool = build_pool(corpus.excerpts, "agents", "both")
    state = advance(DeckState(), pick_next(pool, DeckState(), "s:9", "both"))  # type: ignore[arg-type]
    shown = [p.excerpt.id for p in upcoming(pool, state, "s:9", "both", 5)]
    dealt = []
    for _ in range(5):
        pick = pick_next(pool, state, "s:9", "both")
        assert pick is not None
        dealt.append(pick.excerpt.id)
        state = advance(state, pick)
    assert shown == dealt


def test_an_empty_pool_picks_nothing() -> None:
    assert pick_next([], DeckState(), "s:1", "both") is None


def test_questions_cover_every_topic_in_both_languages(corpus: Corpus, bank: QuestionBank) -> None:
    assert 30 <= len(bank.questions) <= 45
    topics = {t for e in corpus.excerpts for t in e.topics}
    assert bank.topics() <= topics
    assert topics <= bank.topics()  # every topic with excerpts has a question
    for q in bank.questions:
        assert q.en.endswith("?") and q.zh.endswith("？"), q.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q.zh)


def test_anchored_questions_find_their_excerpt(corpus: Corpus, bank: QuestionBank) -> None:
    for q in bank.questions:
        if q.anchor:
            tied = [e for e in corpus.excerpts if q in bank.for_excerpt(e)]
            assert tied, q.id
            assert question_for(tied[0], bank, "x") == q  # anchored beats topical


def test_every_daily_excerpt_gets_a_question(corpus: Corpus, bank: QuestionBank) -> None:
    pool = build_pool(corpus.excerpts, None, "both")
    assert all(question_for(e, bank, e.id) is not None for e in pool)
    asked = Counter(question_for(e, bank, e.id).id for e in pool)  # type: ignore[union-attr]
    assert len(asked) >= 30  # the questions are spread, not one for everything


def test_discussion_excerpts_have_tied_questions(corpus: Corpus, bank: QuestionBank) -> None:
    pool = discussable(corpus.excerpts, bank, "safety")
    assert pool
    for excerpt in pool:
        q = question_for(excerpt, bank, "d", fallback=False)
        assert q is not None and (
            q.anchor or "safety" in q.topics or set(q.topics) & set(excerpt.topics)
        )


def test_bad_question_files_report_problems(tmp_path: Path) -> None:
    path = tmp_path / "questions.toml"
    path.write_text(
        '[[questions]]\nid = "a"\nen = "Why?"\n\n[[questions]]\nid = "a"\nen = "x?"\nzh = "y？"\n'
        '[[questions]]\nid = "a"\nen = "x?"\nzh = "y？"\n',
        encoding="utf-8",
    )
    bank, problems = load_questions(path)
    assert len(bank.questions) == 1
    assert any("needs string id, en and zh" in p for p in problems)
    assert any("duplicate" in p for p in problems)
    _, broken = load_questions(tmp_path / "missing.toml")
    assert broken
