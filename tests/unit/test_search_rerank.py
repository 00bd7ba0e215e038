"""Second-stage ranking on the real corpus: bilingual page heads, multi-word forms that must
stand together, function words, and answers whose point is not cut off from their example."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from bot.corpus.loader import load_corpus
from bot.corpus.model import Excerpt
from bot.search import blend
from bot.search.concepts import Alternative, Concept
from bot.search.glossary import Glossary
from bot.search.index import SearchIndex

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@cache
def real_index() -> SearchIndex:
    """The index of the repository's corpus, built once per test session."""
    return SearchIndex.build(load_corpus(CORPUS), Glossary.load(CORPUS))


def readable(e: Excerpt) -> str:
    """The excerpt's text and its translation."""
    return e.text + "\n" + (e.translation or "")


def test_chinese_query_shows_jerry_tworeks_english_answers_in_the_top_five() -> None:
    hits = real_index().search("强化学习", limit=5).hits
    # English in the source (a machine translation aside): found across the language barrier.
    english_only = [
        h.excerpt
        for h in hits
        if h.excerpt.lang == "en" and (h.excerpt.machine_translation or not h.excerpt.translation)
    ]
    assert any(e.speaker == "Jerry Tworek" for e in english_only)
    assert "强化学习" in readable(hits[0].excerpt)  # the Chinese matches still lead


def test_english_query_shows_the_chinese_excerpts_in_the_top_five() -> None:
    hits = real_index().search("continual learning", limit=5).hits
    assert any("持续学习" in h.excerpt.text for h in hits)
    english = [h for h in hits if h.excerpt.lang == "en"]
    assert english and "continu" in english[0].excerpt.text.lower()


def test_chinese_word_still_ranks_the_excerpts_that_use_it_first() -> None:
    hits = real_index().search("泛化", limit=5).hits
    assert "泛化" in hits[0].excerpt.text and "泛化" in hits[1].excerpt.text


def test_language_filter_and_mixed_queries_are_left_alone() -> None:
    filtered = real_index().search("强化学习 lang:zh", limit=5).hits
    assert filtered and all(
        h.excerpt.lang == "zh" or h.excerpt.translation is not None for h in filtered
    )
    assert blend.query_lang("编排 orchestration") is None
    assert blend.query_lang("强化学习") == "zh" and blend.query_lang("RL") == "en"


def test_pages_of_a_blended_query_never_repeat_an_excerpt() -> None:
    index = real_index()
    seen: list[str] = []
    for offset in (0, 5, 10):
        seen += [h.excerpt.id for h in index.search("强化学习", limit=5, offset=offset).hits]
    assert len(seen) == 15 and len(set(seen)) == 15
    first_ten = [h.excerpt.id for h in index.search("强化学习", limit=10).hits]
    assert seen[:5] == first_ten[:5]


def test_short_pages_keep_their_best_hits() -> None:
    one = real_index().search("强化学习", limit=1).hits
    assert len(one) == 1 and "强化学习" in readable(one[0].excerpt)


def test_other_language_excerpt_moves_to_the_reserved_slot() -> None:
    scores = np.array([10, 9, 8, 7, 6, 5, 4], dtype=np.float32)
    order = np.arange(7, dtype=np.int64)
    readable = np.array([True] * 5 + [False, False])
    never = blend.DuplicateCheck(np.zeros((7, 8), dtype=np.uint32) + np.arange(7)[:, None], 1.0)
    picked = blend.other_language_first(list(range(5)), order, scores, readable, never)
    assert picked == [0, 1, 5, 2, 3]
    # Too weak a match (below MIN_RATIO of the top score) is not promoted.
    scores[5:] = 1.0
    assert blend.other_language_first(list(range(5)), order, scores, readable, never) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_expansion_across_languages_is_detected() -> None:
    zh_only = Concept("泛化", (Alternative((("泛化", 1.0),), 1.0, "泛化"),))
    both = Concept(
        "泛化",
        (
            Alternative((("泛化", 1.0),), 1.0, "泛化"),
            Alternative((("generalization", 1.0),), 0.8, "generalization"),
        ),
    )
    assert not blend.expands_across([zh_only], "zh")
    assert blend.expands_across([both], "zh")


def test_product_manager_prefers_the_words_together() -> None:
    hits = real_index().search("what makes a good AI product manager", limit=3).hits
    top = hits[0].excerpt
    assert "产品经理" in top.text or "product manager" in top.text.lower()


def test_function_words_do_not_decide_the_ranking() -> None:
    index = real_index()
    plain = [h.excerpt.id for h in index.search("agents human-like", limit=3).hits]
    wordy = [h.excerpt.id for h in index.search("should agents be human-like", limit=3).hits]
    assert plain == wordy


def test_an_answer_keeps_its_example_and_its_point_together() -> None:
    # 003 line 63: six short sentences, one paragraph; the last one says why the example matters.
    corpus = real_index().corpus
    [window] = [e for e in corpus.excerpts if "Entrepreneurship is a similar example" in e.text]
    assert "doing reinforcement learning directly is very, very difficult" in window.text
    hits = real_index().search("entrepreneurship reinforcement learning", limit=3).hits
    assert window.id in [h.excerpt.id for h in hits]


def test_a_plural_query_phrase_also_finds_the_singular() -> None:
    top = real_index().search("scaling laws", limit=3).hits[0].excerpt
    assert "scaling law" in (top.text + (top.translation or "")).lower()


def test_a_corpus_catchphrase_finds_its_chinese_original() -> None:
    top = real_index().search("pretraining is dead", limit=3).hits[0].excerpt
    assert "预训练已死" in top.text
