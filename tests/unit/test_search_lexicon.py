"""The CC-CEDICT lexicon: everyday words searched across languages when the glossary is silent."""

from __future__ import annotations

from bot.search.analysis import stem
from bot.search.lexicon import Lexicon, clean_gloss, dictionary_file, sense_forms
from tests.unit.test_search_index import real_index, untranslated_index

ENTRIES = (
    ("失业", ("unemployment", "lose one's job")),
    ("模型", ("model", "mold", "matrix")),
    ("样子", ("appearance", "manner", "pattern", "model")),
    ("自动化", ("automation",)),
    ("律师", ("lawyer",)),
    ("客服", ("customer service",)),
    ("很多", ("a lot of", "many")),
    ("去中心化", ("decentralization",)),
)


def lexicon(indexed: set[str]) -> Lexicon:
    return Lexicon.for_index(lambda t: t in indexed, lambda t: 1, ENTRIES)


def test_dictionary_senses_become_search_forms() -> None:
    assert clean_gloss("to lose one's job") == "lose one's job"
    assert clean_gloss("(computing) software") == "software"
    assert clean_gloss("CL:個|个[ge4]") is None
    assert clean_gloss("variant of 模型[mo2 xing2]") is None
    assert clean_gloss("the") is None  # a function word searches for nothing
    assert clean_gloss("to be one of the very best in the world") is None  # too long to match


def test_names_are_searchable_by_name_and_surname() -> None:
    assert sense_forms("Albert Einstein (1879-1955), German-born physicist") == [
        "albert einstein",
        "einstein",
    ]
    assert sense_forms("G.F.B. Riemann (1826-1866), German geometer") == ["riemann"]
    assert sense_forms("Google, Internet company and search engine") == ["google"]
    assert sense_forms("New York") == ["new york"]  # a place: no "surname"
    assert sense_forms("to give up") == ["give up"]


def test_only_forms_the_index_can_match_are_kept() -> None:
    lex = lexicon({stem("unemployment"), stem("model"), "模型", "样子", "律师"})
    assert lex.english("失业") == ("unemployment",)  # "lose one's job": words not in the corpus
    assert lex.english("自动化") == ()
    assert lex.chinese("lawyers") == ("律师",)
    assert lex.chinese("automation") == ()  # 自动化 is not in the index


def test_an_english_word_maps_to_words_it_is_a_first_sense_of() -> None:
    lex = lexicon({"模型", "样子"})
    assert lex.chinese("model") == ("模型",)  # 样子 means "model" only fourth


def test_an_english_phrase_maps_to_the_word_it_translates() -> None:
    lex = lexicon({"客服", "很多"})
    assert lex.phrase_chinese(("Customer", "services")) == ("客服",)
    assert lex.phrase_chinese(("customer",)) == ()  # one word is not the phrase
    assert lex.phrase_chinese(("a", "lot", "of")) == ()  # led by a function word: too vague


def test_another_form_of_the_word_finds_its_translation() -> None:
    # CC-CEDICT glosses 去中心化 "decentralization"; users type "decentralized". jieba splits
    # the word, so the index has only its bigrams: that is enough to search for it.
    lex = lexicon({"去中", "中心", "心化", "律师"})
    assert lex.chinese("decentralized") == ("去中心化",)
    assert lex.chinese("lawyering") == ("律师",)
    assert lexicon({"去中", "中心"}).chinese("decentralized") == ()  # 心化 never occurs


def test_the_dictionarys_english_words_are_no_typos() -> None:
    lex = Lexicon.for_index(lambda t: True, lambda t: 1, ENTRIES, words={"centralize", "brain"})
    assert lex.is_word("Centralized") and lex.is_word("brains")
    assert not lex.is_word("centralizd")


def test_the_dictionary_ships_with_the_dependencies() -> None:
    path = dictionary_file()
    assert path is not None and path.stat().st_size > 1_000_000


def test_an_english_word_finds_chinese_passages_the_glossary_does_not_cover() -> None:
    for query, word in (("lawyer", "律师"), ("airplane", "飞机")):
        hits = real_index().search(f"{query} lang:zh", limit=3).hits
        assert hits and word in hits[0].excerpt.text and word in hits[0].matched_terms


def test_an_english_phrase_finds_the_chinese_word_for_it() -> None:
    # Neither "customer" nor "service" translates to 客服 alone; the phrase does.
    hits = real_index().search("customer service lang:zh", limit=3).hits
    assert hits and "客服" in hits[0].excerpt.text and "客服" in hits[0].matched_terms


def test_a_name_jieba_splits_is_looked_up_whole() -> None:
    # jieba cuts 扎克伯格 into 扎克/伯格; the dictionary knows the whole as Mark Zuckerberg,
    # whom the Chinese article (004) writes in Latin letters. 汤 is a rare character: a word.
    hits = real_index().search("扎克伯格 汤", limit=3).hits
    assert hits and "Zuckerberg曾试图用自制的汤" in hits[0].excerpt.text
    assert {"zuckerberg", "汤"} <= {t.lower() for t in hits[0].matched_terms}


def test_a_surname_finds_the_chinese_spelling_of_the_name() -> None:
    # CC-CEDICT glosses 爱因斯坦 "Albert Einstein (1879-1955), …"; users type the surname.
    hits = real_index().search("Einstein lang:zh", limit=3).hits
    assert hits and "爱因斯坦" in hits[0].excerpt.text


def test_a_real_word_the_corpus_lacks_is_not_corrected_into_another() -> None:
    # "brain" is one edit from the corpus's "train"; it is an English word, so it is searched
    # as typed (von Neumann's "The Computer and the Brain", which 002 hears as "the bring and
    # computer") and through the dictionary (大脑), not as "train".
    index = real_index()
    hits = index.search("brain", limit=3).hits
    for h in hits:
        found = (h.excerpt.text, (h.excerpt.translation or "").lower())
        assert "大脑" in found[0] or "bring and computer" in found[0] or "brain" in found[1]
    assert any("大脑" in h.excerpt.text for h in hits)
    assert not index.search("ruin").hits  # nothing, rather than passages about "run"
    assert index.search("reinforcment").hits  # a typo is still corrected


def test_a_chinese_word_finds_english_passages_the_glossary_does_not_cover() -> None:
    hits = real_index().search("电影 lang:en", limit=3).hits
    assert hits and "movies" in hits[0].matched_terms


def test_an_inflected_english_word_finds_the_chinese_passage() -> None:
    # 002: "它会变得更中心化还是去中心化"; the dictionary has only "decentralization".
    hits = untranslated_index().search("decentralized lang:zh", limit=3).hits
    assert hits and "去中心化" in hits[0].excerpt.text


def test_a_compound_the_dictionary_lacks_is_translated_by_its_known_part() -> None:
    # CC-CEDICT has 糖果 "candy" but not 糖果店; Jerry Tworek's English answer says "candy store".
    hits = real_index().search("糖果店 source:unsupervised", limit=3).hits
    assert hits and "candy store" in hits[0].excerpt.text
