"""Search on the real corpus: short Chinese words, typos, cross-lingual expansion, ASR aliases,
filters, phrases, duplicates and the lookups the bot's cards use."""

from __future__ import annotations

import dataclasses
import random
import shutil
from functools import cache
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.search.glossary import Glossary
from bot.search.index import SearchIndex, SearchResult
from bot.search.normalize import compact

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@cache
def real_index() -> SearchIndex:
    """The index of the repository's corpus, built once per test session."""
    return SearchIndex.build(load_corpus(CORPUS), Glossary.load(CORPUS))


@cache
def untranslated_index() -> SearchIndex:
    """The same without corpus/translations/: for what the glossary and dictionary find alone."""
    corpus = load_corpus(CORPUS)
    plain = tuple(
        dataclasses.replace(e, translation=None, machine_translation=False)
        if e.machine_translation
        else e
        for e in corpus.excerpts
    )
    return SearchIndex.build(dataclasses.replace(corpus, excerpts=plain), Glossary.load(CORPUS))


def texts(result: SearchResult) -> list[str]:
    return [h.excerpt.text + "\n" + (h.excerpt.translation or "") for h in result.hits]


def test_two_character_chinese_query_finds_it() -> None:
    for word in ("泛化", "开源", "微信"):
        result = real_index().search(word, limit=5)
        assert result.total > 0 and result.error is None
        assert word in texts(result)[0]
        assert word in result.hits[0].matched_terms


def test_every_hit_highlights_strings_that_are_in_the_excerpt() -> None:
    for query in ("泛化", "reinforcement learning", "continual learning", "sweet bench"):
        for hit in real_index().search(query, limit=5).hits:
            body = hit.excerpt.text + "\n" + (hit.excerpt.translation or "")
            assert all(term in body for term in hit.matched_terms)


def test_typos_are_forgiven() -> None:
    result = real_index().search("reinforcment lerning", limit=5)
    assert result.total > 0
    assert any("强化学习" in t or "reinforcement learning" in t.lower() for t in texts(result))


def test_two_swapped_letters_are_one_typo() -> None:
    # "raect" is react with two letters swapped: one edit, as for any other slip of a finger.
    top = texts(real_index().search("raect source:zhangxiaojun", limit=3))
    assert top and "react" in top[0].lower()


def test_an_unfinished_last_word_is_completed_while_typing() -> None:
    # Search as you type: "vibe res" is on its way to "vibe research(ing)"; followed by a
    # space the word is finished, and "res" alone finds nothing.
    typing = real_index().search("vibe res", limit=3)
    assert "vibe research" in texts(typing)[0].lower()
    assert any(t.lower().startswith("research") for t in typing.hits[0].matched_terms)
    done = real_index().search("vibe res ", limit=3)
    assert not any(t.lower().startswith("res") for h in done.hits for t in h.matched_terms)
    # A first name half typed is already the person.
    assert (
        real_index().search("agi timeline jer", limit=1).hits[0].excerpt.speaker_id
        == "jerry-tworek"
    )


@pytest.mark.parametrize(
    ("query", "variant"),
    [
        ("Claude", "clock"),
        ("Devin", "David"),
        ("pre-training", "presence"),
        ("RL", "21"),
    ],
)
def test_speech_to_text_variants_of_the_corpus_notes_are_searchable(
    query: str, variant: str
) -> None:
    # 002 says "clock" for Claude, "presence"/"pretty" for pre-training and "21" for RL.
    hits = real_index().search(f"{query} source:zhangxiaojun", limit=50).hits
    assert any(variant in h.matched_terms for h in hits)


@pytest.mark.parametrize(
    ("query", "variant", "meant", "elsewhere"),
    [
        ("Manus", "max", {363, 367}, {163, 339}),
        ("math", "max", {163, 339}, {363, 367}),
        ("OpenAI", "open", {205, 289, 475}, {383}),
        ("RL", "R1", {323}, {161, 451, 523}),
    ],
)
def test_a_variant_counts_only_on_the_lines_where_it_means_the_term(
    query: str, variant: str, meant: set[int], elsewhere: set[int]
) -> None:
    # 002's "max" is Manus in the talk about agent products and math where it says "max 和 coding".
    hits = real_index().search(f"{query} source:zhangxiaojun", limit=50).hits
    lines = {h.excerpt.line for h in hits if variant in h.matched_terms}
    assert meant <= lines
    # Elsewhere the variant alone must not match (a translation may name the term outright).
    named = {h.excerpt.line for h in hits if query.lower() in (h.excerpt.translation or "").lower()}
    assert not (lines & elsewhere) - named


def test_a_misspelt_first_name_is_read_as_the_name_not_a_common_word() -> None:
    # "jery" is one edit from both "jerry" and "very": a typo meant the name, not a function
    # word, so the query is Jerry Tworek on losing passion, not on losing focus.
    hits = real_index().search("jery tworek lost pasion", limit=3).hits
    assert hits and "passion" in hits[0].excerpt.text


def test_english_concept_finds_the_chinese_passage() -> None:
    result = real_index().search("continual learning", limit=5)
    assert any("持续学习" in t for t in texts(result))


def test_chinese_concept_finds_jerrys_english_answers() -> None:
    only_english = real_index().search("强化学习 source:unsupervised", limit=5)
    assert only_english.hits
    assert all(h.excerpt.speaker_id == "jerry-tworek" for h in only_english.hits)
    assert "reinforcement learning" in only_english.hits[0].excerpt.text.lower()
    # Unfiltered, his English answers still make the first pages (results spread over sources).
    mixed = real_index().search("强化学习", limit=20)
    assert any(
        h.excerpt.speaker_id == "jerry-tworek" and h.excerpt.lang == "en" for h in mixed.hits
    )


def test_verifiability_crosses_languages() -> None:
    # 验证 has no usable English sense in CC-CEDICT; the glossary links it to "verify", the
    # word Jerry Tworek's answers use.
    hits = real_index().search("验证 source:unsupervised", limit=3).hits
    assert hits and "verify" in hits[0].excerpt.text


def test_the_corpus_terms_a_dictionary_lacks_cross_languages() -> None:
    # CC-CEDICT gives 几十年 no "decades" and 商用飞机 no "commercial aircraft"; the glossary
    # links the words Jerry Tworek's English-only answers use (without their translations).
    decades = untranslated_index().search("几十年 source:unsupervised", limit=3).hits
    assert decades and "decades" in decades[0].excerpt.text
    aircraft = untranslated_index().search("商用飞机", limit=3).hits
    assert aircraft and "commercial aircraft" in aircraft[0].excerpt.text


def test_disruption_crosses_languages() -> None:
    # Yao warns WeChat of 颠覆性的创新; 颠覆 alone ("overthrow humanity") must not stand in.
    hits = real_index().search("what could disrupt WeChat", limit=3).hits
    assert hits and "颠覆性" in hits[0].excerpt.text
    overthrow = real_index().search("disrupt", limit=20).hits
    assert not any("颠覆人类" in h.excerpt.text for h in overthrow)


def test_tau_bench_finds_what_the_speech_to_text_heard() -> None:
    hits = real_index().search("tau bench", limit=3).hits
    assert hits and "top inch" in hits[0].excerpt.text


def test_compute_synonyms_cross_files() -> None:
    result = real_index().search("算力", limit=10)
    assert any("计算资源" in t or "compute" in t.lower() for t in texts(result))


def test_speech_to_text_aliases_are_searchable_by_the_real_name() -> None:
    swe = real_index().search("SWE-bench", limit=5)
    assert swe.hits and "sweet bench" in swe.hits[0].excerpt.text
    manus = real_index().search("Manus", limit=5)
    assert any(w in h.excerpt.text for h in manus.hits for w in ("minus", "Venus")), (
        "Manus is written minus/Venus by the speech-to-text"
    )


def test_speaker_filter_resolves_aliases() -> None:
    jerry = real_index().search("speaker:jerry AGI", limit=10)
    assert jerry.hits and all(h.excerpt.speaker_id == "jerry-tworek" for h in jerry.hits)
    yao = real_index().search("speaker:顺雨 agent", limit=10)
    assert yao.hits and all(h.excerpt.speaker_id == "yao-shunyu" for h in yao.hits)
    asr = real_index().search("speaker:尧舜禹", limit=3)
    assert asr.hits and asr.hits[0].excerpt.speaker_id == "yao-shunyu"


def test_a_name_in_free_text_prefers_that_speaker() -> None:
    result = real_index().search("Jerry AGI timeline", limit=5)
    assert result.hits[0].excerpt.speaker_id == "jerry-tworek"


def test_unknown_filters_are_reported_not_raised() -> None:
    assert real_index().search("speaker:nobody-at-all agents").error_code == "unknown_speaker"
    assert real_index().search("source:nowhere agents").error_code == "unknown_source"
    assert real_index().search("topic:cooking").error_code == "unknown_topic"
    assert real_index().search("colour:red").error_code == "unknown_filter"


def test_source_lang_and_topic_filters() -> None:
    index = real_index()
    first = index.sources()[0].id
    by_number = index.search("source:000 research", limit=10)
    assert by_number.hits and all(h.excerpt.source_id == first for h in by_number.hits)
    zh = index.search("lang:zh agent", limit=10)
    assert zh.hits and all(h.excerpt.lang == "zh" or h.excerpt.translation for h in zh.hits)
    en = index.search("lang:en agent", limit=10)
    assert en.hits and all(h.excerpt.lang == "en" or h.excerpt.translation for h in en.hits)
    topic = next(iter(index.topics()))
    tagged = index.search(f"topic:{topic}", limit=10)
    assert tagged.total == index.topics()[topic]
    assert all(topic in h.excerpt.topics for h in tagged.hits)


def test_exact_phrase_is_required() -> None:
    result = real_index().search('"walking into a candy store"', limit=5)
    assert result.total >= 1
    assert all("walking into a candy store" in t for t in texts(result))


def test_exclusion_removes_excerpts_with_the_word() -> None:
    with_word = real_index().search("agent", limit=50)
    without = real_index().search("agent -强化学习", limit=50)
    assert without.total < with_word.total
    assert all("强化学习" not in t for t in texts(without))


def test_no_two_results_are_the_same_passage() -> None:
    for query in ("agent", "reasoning", "泛化", "OpenAI"):
        result = real_index().search(query, limit=10)
        bodies = [compact(h.excerpt.text) for h in result.hits]
        assert len(bodies) == len(set(bodies))


def test_paging_does_not_repeat_hits() -> None:
    first = real_index().search("agent", limit=5)
    second = real_index().search("agent", limit=5, offset=5)
    assert {h.excerpt.id for h in first.hits}.isdisjoint(h.excerpt.id for h in second.hits)


def test_a_misremembered_quote_finds_the_closest_passages_and_says_so() -> None:
    result = real_index().search('"walking into a candy shop"')  # Jerry said "candy store"
    assert result.loosened == ("walking into a candy shop",)
    assert "walking into a candy store" in texts(result)[0]
    exact = real_index().search('"walking into a candy store"')
    assert exact.loosened == () and exact.total >= 1


def test_did_you_mean_when_nothing_matches() -> None:
    result = real_index().search("candy stroe speaker:yao")  # Yao never spoke of candy
    assert result.total == 0 and not result.hits
    assert result.suggestions == ("candy store",)


def test_get_neighbours_topics_random_speakers() -> None:
    index = real_index()
    some = index.search("agent", limit=1).hits[0].excerpt
    assert index.get(some.id) == some
    assert index.get("no-such-id") is None
    prev, nxt = index.neighbours(some.id)
    for other in (prev, nxt):
        assert other is None or other.source_id == some.source_id
    if prev is not None:
        assert prev.position < some.position
    if nxt is not None:
        assert nxt.position > some.position
    assert index.neighbours("no-such-id") == (None, None)
    topics = index.topics()
    assert topics and all(count > 0 for count in topics.values())
    topic = next(iter(topics))
    picked = index.random(topic=topic, rng=random.Random(1))
    assert picked is not None and topic in picked.topics
    assert index.random(topic="no-such-topic") is None
    ids = [sp.id for sp in index.speakers()]
    assert len(ids) == len(set(ids)) and "jerry-tworek" in ids


@pytest.mark.parametrize("query", ["nano banana", "prisoner's dilemma", "数据飞轮", "心流"])
def test_rare_exact_terms_come_first(query: str) -> None:
    result = real_index().search(query, limit=1)
    assert result.hits
    assert compact(query) in compact(texts(result)[0] + (result.hits[0].excerpt.question or ""))


def test_index_uses_the_glossary_of_its_own_corpus_dir(tmp_path: Path) -> None:
    # A corpus kept elsewhere (CORPUS_DIR) brings its own glossary; this copy has none, so the
    # speech-to-text alias SWE-bench -> "sweet bench" is gone and only the word "bench" matches.
    copy = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[2] / "corpus", copy)
    (copy / "glossary.toml").unlink()
    shutil.rmtree(copy / "translations")  # they name SWE-bench outright
    without_glossary = SearchIndex.build(load_corpus(copy)).search("SWE-bench").hits
    assert all("sweet bench" in h.excerpt.text for h in real_index().search("SWE-bench").hits)
    assert any("sweet bench" not in h.excerpt.text for h in without_glossary)
