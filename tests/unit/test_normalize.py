"""Display-text repairs: what a reader sees is fixed, the source's own words are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus
from bot.corpus.normalize import clean, load_corrections

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


def test_pdf_spaces_inside_chinese_are_removed_latin_spaces_kept() -> None:
    assert clean("关 键人物") == "关键人物"
    assert clean("我们都 经历过了。 是的。") == "我们都经历过了。是的。"
    assert clean("Hello， 舜宇") == "Hello，舜宇"
    assert clean("我们做 agent 的时候") == "我们做 agent 的时候"
    assert clean("Keep  the   English spacing") == "Keep the English spacing"


def test_unicode_width_and_markup() -> None:
    assert clean("ＧＰＴ５很强，ｏ３也是") == "GPT5很强，o3也是"  # full-width comma stays
    assert clean("**加粗要点**：==高亮==文字") == "加粗要点：高亮文字"
    assert clean("e\u0301") == "\u00e9"  # NFC


def test_listed_corrections_apply_by_scope(tmp_path: Path) -> None:
    (tmp_path / "corrections.toml").write_text(
        """
[[correction]]
find = "OpenAl"
replace = "OpenAI"

[[correction]]
find = '(?<=[\\u4e00-\\u9fff])Al(?![A-Za-z])'
replace = "AI"
regex = true
sources = ["zh-source"]
""",
        encoding="utf-8",
    )
    normalize, problems = load_corrections(tmp_path)
    assert problems == []
    assert normalize("I work at OpenAl. Also fine.", "any") == "I work at OpenAI. Also fine."
    assert normalize("被Al彻底超越", "zh-source") == "被AI彻底超越"
    assert normalize("被Al彻底超越", "other-source") == "被Al彻底超越"
    assert normalize("OpenAlpha stays", "any") == "OpenAlpha stays"  # whole words only


def test_bad_correction_is_a_problem_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "corrections.toml").write_text(
        '# header\n\n[[correction]]\nfind = "ok"\nreplace = "fine"\n\n'
        '[[correction]]\nfind = "(unclosed"\nreplace = "x"\nregex = true\n',
        encoding="utf-8",
    )
    normalize, problems = load_corrections(tmp_path)
    assert [(p.file, p.line) for p in problems] == [("corrections.toml", 7)]
    assert "bad regex" in problems[0].message
    assert normalize("ok", "s") == "fine"  # the good entry still applies


def test_real_corpus_shows_repaired_text_and_keeps_the_original(corpus: Corpus) -> None:
    a16z = [e for e in corpus.excerpts if e.source_id == "a16z-vibe-researching"]
    for excerpt in a16z:
        for wrong in ("OpenAl", "GPD5", "guestion"):
            assert wrong not in excerpt.text, (excerpt.id, wrong)
    repaired = [e for e in a16z if "OpenAl" in e.text_original]
    assert repaired and all("OpenAI" in e.text for e in repaired)
    for excerpt in corpus.excerpts:
        if excerpt.source_translation:  # the repairs are of the source's words
            assert "OpenAl" not in excerpt.source_translation
            assert " 注" not in excerpt.source_translation


def test_real_corpus_keeps_asr_mishearings_as_written(corpus: Corpus) -> None:
    # Speech-to-text slips are the speaker's recorded words: quotes stay faithful to the source
    # and search reaches them through the glossary's aliases instead.
    a16z = " ".join(e.text for e in corpus.excerpts if e.source_id == "a16z-vibe-researching")
    assert "Lisa Doll" in a16z
    assert "millennial price problem" in a16z
