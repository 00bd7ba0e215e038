"""Ranking on hand-made excerpts: field weights, coordination, phrases, duplicates, glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.model import Corpus, Excerpt, Role, Source, Speaker
from bot.search.glossary import Glossary, GlossaryError
from bot.search.index import SearchIndex

SOURCE = Source(
    id="demo",
    file="demo.txt",
    layout="speaker-turns",
    title="Demo",
    languages=("en", "zh"),
    speakers=(Speaker("ann", "Ann Example", "安", aliases=("Annie",)),),
)


def excerpt(n: int, text: str, **kw: object) -> Excerpt:
    fields: dict[str, object] = {
        "id": f"demo-{n}",
        "source_id": "demo",
        "speaker_id": "ann",
        "speaker": "Ann Example",
        "role": Role.GUEST,
        "lang": "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en",
        "text": text,
        "text_original": text,
        "position": n,
        "line": n + 1,
    }
    fields.update(kw)
    return Excerpt(**fields)  # type: ignore[arg-type]


GLOSSARY = Glossary.from_dict(
    {
        "term": [{"en": ["continual learning"], "zh": ["持续学习"]}],
        "alias": [{"canonical": "agent", "variants": ["A 镇"], "sources": ["demo"]}],
    }
)


def build(*texts: str | Excerpt) -> SearchIndex:
    items = tuple(t if isinstance(t, Excerpt) else excerpt(i, t) for i, t in enumerate(texts))
    return SearchIndex.build(Corpus((SOURCE,), items), GLOSSARY)


def ids(index: SearchIndex, query: str) -> list[str]:
    return [h.excerpt.id for h in index.search(query, limit=10).hits]


def test_quote_text_outranks_commentary() -> None:
    index = build(
        excerpt(0, "Something else entirely.", commentary="Here we discuss scaling laws."),
        excerpt(1, "Scaling laws keep holding, I think."),
    )
    assert ids(index, "scaling laws")[0] == "demo-1"


def test_matching_more_words_ranks_higher() -> None:
    index = build("the model learns", "the model learns from reward", "reward alone")
    assert ids(index, "model reward")[0] == "demo-1"


def test_cross_lingual_glossary_expansion() -> None:
    index = build("我们需要持续学习的能力。", "Unrelated English text about cats.")
    assert ids(index, "continual learning") == ["demo-0"]


def test_speech_to_text_alias_is_indexed_as_canonical() -> None:
    index = build("我觉得 A 镇 是一个很重要的方向。", "没有关系的句子。")
    result = index.search("agent")
    assert [h.excerpt.id for h in result.hits] == ["demo-0"]


def test_near_duplicates_do_not_fill_the_results() -> None:
    text = "Reinforcement learning from human feedback changed how we train models today."
    index = build(text, text + " Indeed.", "Human feedback is cheap to collect for some tasks.")
    found = ids(index, "human feedback")
    assert len(found) == 2
    assert "demo-2" in found


def test_many_copies_of_two_passages_give_one_result_each() -> None:
    a = "Reinforcement learning from human feedback changed how we train models today."
    b = "Human feedback is cheap to collect for some tasks, and costly for others."
    copies = [f"{t} Copy {n}." for n in range(40) for t in (a, b)]
    third = "Scaling laws say little about human feedback."
    index = build(*copies, third)
    hits = index.search("human feedback", limit=10).hits
    starts = sorted(h.excerpt.text[:30] for h in hits)
    assert starts == sorted([a[:30], b[:30], third[:30]])


def test_phrase_must_match_in_order() -> None:
    index = build("walking into a candy store", "a store of candy, walking")
    assert ids(index, '"walking into a candy store"') == ["demo-0"]


def test_single_chinese_character_query() -> None:
    index = build("我喜欢猫和狗。", "今天天气很好。")
    assert ids(index, "猫") == ["demo-0"]


def test_a_rare_single_character_counts_beside_other_words() -> None:
    # 汤 (soup) is in one excerpt of many: a content word, not a function word like 的 or 做.
    filler = [f"我们做了第{n}个实验，然后去做下一个。" for n in range(20)]
    index = build(*filler, "他把自己做的汤带到办公室。", "办公室里有很多人。")
    assert ids(index, "汤 办公室")[0] == "demo-20"
    # 做 is in nearly every excerpt: it is ignored, so "做 办公室" is a search for 办公室.
    assert set(ids(index, "做 办公室")[:2]) == {"demo-20", "demo-21"}


def test_lone_characters_jieba_leaves_apart_are_searched_as_their_word() -> None:
    # jieba cuts 最难 ("hardest") into 最/难, two characters nearly every excerpt has; the
    # passages write 最难, so the query searches that, not just 研究.
    filler = [f"第{n}个研究最后做完了，这很难。" for n in range(20)]
    index = build(*filler, "做研究时我觉得最难的是找任务。")
    assert ids(index, "做研究最难的是哪一步")[0] == "demo-20"


def test_speaker_alias_filter() -> None:
    index = build("Hello there, agents.", excerpt(1, "agents", speaker_id=None, speaker="x"))
    assert ids(index, "speaker:annie agents") == ["demo-0"]
    assert ids(index, "speaker:安 agents") == ["demo-0"]


def test_a_named_speakers_passages_are_not_spread_over_other_interviews() -> None:
    # Ann's interview has four passages on scaling; Bob's has one that says little else. A page
    # is normally spread over interviews, but "Ann scaling" asks for Ann's, all of them first.
    bob = Source(
        id="other",
        file="other.txt",
        layout="speaker-turns",
        title="Other",
        languages=("en",),
        speakers=(Speaker("bob", "Bob Other"),),
    )
    anns = [
        excerpt(0, "Scaling keeps working, and scaling is what we bet on."),
        excerpt(1, "Scaling the pretraining run took the whole team most of a year to plan."),
        excerpt(2, "We argued about data, compute, evaluation and people before scaling up."),
        excerpt(3, "Hiring, mentoring, code review, offsites, budgets and finally scaling."),
    ]
    bobs = excerpt(
        9, "Scaling, scaling, scaling.", source_id="other", speaker_id="bob", speaker="Bob Other"
    )
    index = SearchIndex.build(Corpus((SOURCE, bob), (*anns, bobs)), GLOSSARY)
    assert ids(index, "scaling").index("demo-9") < 4  # spread: Bob's gets onto the first page
    assert set(ids(index, "Ann scaling")[:4]) == {e.id for e in anns}


def test_glossary_file_errors_name_the_entry(tmp_path: Path) -> None:
    (tmp_path / "glossary.toml").write_text("[[term]]\nen = 3\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="entry #1"):
        Glossary.load(tmp_path)
    (tmp_path / "glossary.toml").write_text("[[alias]]\nvariants = ['x']\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="canonical"):
        Glossary.load(tmp_path)
    assert Glossary.load(tmp_path / "missing") == Glossary()


def test_every_glossary_entry_is_corpus_terminology() -> None:
    """Each term group has a form the transcripts actually use (or an ASR alias indexes)."""
    from bot.search.normalize import compact

    corpus_dir = Path(__file__).resolve().parents[2] / "corpus"
    glossary = Glossary.load(corpus_dir)
    raw = compact(
        "\n".join(p.read_text(encoding="utf-8") for p in (corpus_dir / "transcripts").iterdir())
    )
    canonical = {compact(a.canonical) for a in glossary.aliases}
    missing = [
        g.forms
        for g in glossary.terms
        if not any(compact(f) in raw or compact(f) in canonical for f in g.forms)
    ]
    assert not missing
    for alias in glossary.aliases:
        assert any(compact(v) in raw for v in alias.variants), alias.canonical


def test_empty_corpus_searches_without_errors() -> None:
    index = SearchIndex.build(Corpus((), ()), Glossary())
    assert index.search("agent").total == 0
    assert index.search("").error_code == "empty_query"
    assert index.topics() == {} and index.random() is None
    assert index.neighbours("x") == (None, None)


def test_the_word_as_typed_outranks_its_other_forms() -> None:
    # Both forms stem alike; the one written as the user typed it comes first, either way round.
    index = build(
        "Every country wants semiconductors now.",
        "A book on semiconductor manufacturing, again.",
    )
    assert ids(index, "semiconductor")[0] == "demo-1"
    assert ids(index, "semiconductors")[0] == "demo-0"


def test_the_opening_of_an_answer_outranks_its_later_windows_for_the_question() -> None:
    question = "If you ran WeChat, what would you do with agents?"
    index = build(
        excerpt(0, "I would wait and watch first; no need to hurry.", question=question),
        excerpt(1, "Disruptive innovation is the real danger.", question=question),
        excerpt(2, "A different topic: benchmarks saturate quickly.", question="And evals?"),
    )
    hits = index.search("wechat", limit=5).hits
    assert [h.excerpt.id for h in hits] == ["demo-0", "demo-1"]
    assert hits[0].score > hits[1].score


def test_an_alias_with_lines_applies_on_those_lines_only() -> None:
    glossary = Glossary.from_dict(
        {
            "alias": [
                {"canonical": "Manus", "variants": ["max"], "sources": ["demo"], "lines": ["2-3"]}
            ]
        }
    )
    texts = ("max 和 coding 的任务", "我试过 max，产品很好。", "基于 max 再讲一点。", "max 的分数")
    items = tuple(excerpt(i, t) for i, t in enumerate(texts))  # on lines 1 to 4
    index = SearchIndex.build(Corpus((SOURCE,), items), glossary)
    hits = index.search("Manus", limit=10).hits
    assert sorted(h.excerpt.id for h in hits) == ["demo-1", "demo-2"]
    assert all("max" in h.matched_terms for h in hits)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"lines": ["2-3"]}, "no `sources`"),
        ({"lines": ["3-2"], "sources": ["demo"]}, "'3-2'"),
        ({"lines": ["line 5"], "sources": ["demo"]}, "'line 5'"),
    ],
)
def test_alias_line_ranges_are_checked(entry: dict[str, object], message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        Glossary.from_dict({"alias": [{"canonical": "Manus", "variants": ["max"], **entry}]})


def test_a_canonical_form_typed_as_separate_words_highlights_the_variant() -> None:
    glossary = Glossary.from_dict(
        {"alias": [{"canonical": "tau-bench", "variants": ["top inch"], "sources": ["demo"]}]}
    )
    items = (excerpt(0, "我们去年发了一个 research 叫做 top inch。"), excerpt(1, "无关的句子。"))
    index = SearchIndex.build(Corpus((SOURCE,), items), glossary)
    for query in ("tau-bench", "tau bench"):
        hits = index.search(query, limit=5).hits
        assert [h.excerpt.id for h in hits] == ["demo-0"]
        assert "top inch" in hits[0].matched_terms


def test_a_hit_found_through_a_speech_to_text_alias_highlights_the_variant() -> None:
    index = build("我们做的 A 镇 可以自己完成任务。", "Nothing about that here.")
    hit = index.search("agent", limit=5).hits[0]
    assert hit.excerpt.id == "demo-0"
    assert "A 镇" in hit.matched_terms
