"""Text analysis for search: normalisation, Chinese segmentation and bigrams, English stems."""

from __future__ import annotations

from bot.search.analysis import ZH_STOPWORDS, add_words, analyze, segment, word_parts, word_terms
from bot.search.glossary import atoms
from bot.search.normalize import compact, normalize, to_simplified


def test_normalize_folds_width_case_and_traditional_chinese() -> None:
    assert normalize("ＧＰＴ－５，強化學習") == "gpt-5,强化学习"
    assert to_simplified("學習") == "学习"
    assert to_simplified("plain ascii") == "plain ascii"


def test_normalize_drops_invisible_characters() -> None:
    assert "\u200b" not in normalize("agent\u200b智能体\u202e")


def test_compact_removes_spaces_and_punctuation() -> None:
    assert compact("One-token eval!") == "onetokeneval"
    assert compact("关 注，这个") == "关注这个"


def test_chinese_gets_bigrams_and_whole_corpus_words() -> None:
    add_words(["强化学习"])
    terms = analyze("强化学习很重要")
    assert {"强化", "化学", "学习", "强化学习"} <= set(terms)
    assert "强化学习" in segment("强化学习很重要")


def test_two_character_word_is_one_bigram() -> None:
    assert analyze("泛化") == ["泛化"]


def test_english_is_stemmed_and_joined_words_split() -> None:
    assert set(analyze("Reinforcement Learning")) == {"reinforc", "learn"}
    assert word_parts("gpt-5.1") == ("gpt", "5", "1")
    assert word_parts("gpt4") == ("gpt", "4")
    assert word_terms("re-act") == ("re", "act", "react")
    assert word_terms("wasn't") == ("wasnt",)


def test_atoms_are_characters_and_stems() -> None:
    assert atoms(normalize("持续学习 agents")) == ("持", "续", "学", "习", "agent")


def test_chinese_function_words_are_stop_words() -> None:
    assert {"什么", "会不会", "的"} <= ZH_STOPWORDS
    assert "强化学习" not in ZH_STOPWORDS


def test_analysis_of_odd_input_is_empty_not_an_error() -> None:
    for text in ["", "   ", "？！。…", "🙂🙃", "\x00\x1f", "مرحبا"]:
        assert isinstance(analyze(text), list)
