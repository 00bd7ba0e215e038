"""corpus/translations/: machine translations by excerpt id, their problems, and their cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus, Severity
from bot.render.cards import card
from bot.render.insight import insight
from bot.search.evaluation import Expectation, first_relevant
from tests.unit.test_loader import PLAIN_MANIFEST
from tests.unit.test_search_index import real_index, untranslated_index

ROOT = Path(__file__).resolve().parents[2]

TALK = (
    "Ada: The engine weaves algebraic patterns, just as the loom weaves flowers and leaves.\n\n"
    "Ada: It has no pretensions whatever to originate anything at all, I am afraid.\n"
)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


def _talk(tmp_path: Path) -> tuple[Path, list[str]]:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "sources.toml").write_text(PLAIN_MANIFEST, encoding="utf-8")
    (tmp_path / "transcripts" / "talk.txt").write_text(TALK, encoding="utf-8")
    return tmp_path, [e.id for e in load_corpus(tmp_path).excerpts]


def _translations(folder: Path, text: str) -> None:
    (folder / "translations").mkdir(exist_ok=True)
    (folder / "translations" / "talk.toml").write_text(text, encoding="utf-8")


def test_a_translation_is_attached_to_its_excerpt_by_id(tmp_path: Path) -> None:
    folder, (weaves, _) = _talk(tmp_path)
    entry = f'[[translation]]\nexcerpt = "{weaves}"\ntext = "分析机编织代数的图案。"\n'
    _translations(folder, entry)
    corpus = load_corpus(folder)
    first, second = corpus.excerpts
    assert (first.translation, first.machine_translation) == ("分析机编织代数的图案。", True)
    assert (second.translation, second.machine_translation) == (None, False)
    assert corpus.problems == ()


def test_bad_entries_name_their_line_and_cost_only_themselves(tmp_path: Path) -> None:
    folder, (weaves, originate) = _talk(tmp_path)
    _translations(
        folder,
        "# comments are fine\n"
        "[[translation]]\n"  # line 2: a syntax error
        f'excerpt = "{weaves}\n'
        "[[translation]]\n"  # line 4: an id no excerpt has (its text was edited)
        'excerpt = "talk-00000000"\ntext = "旧译文"\n'
        "[[translation]]\n"  # line 7: no text
        f'excerpt = "{weaves}"\n'
        "[[translation]]\n"  # line 9: fine
        f'excerpt = "{originate}"\ntext = "它丝毫不自命能创造任何东西。"\n'
        "[[translation]]\n"  # line 12: the same excerpt again
        f'excerpt = "{originate}"\ntext = "另一个译文"\n',
    )
    corpus = load_corpus(folder)
    found = {(p.file, p.line, p.severity) for p in corpus.problems}
    name = "translations/talk.toml"
    assert found == {
        (name, 3, Severity.ERROR),
        (name, 4, Severity.WARNING),
        (name, 7, Severity.ERROR),
        (name, 12, Severity.WARNING),
    }
    assert "translate it again" in next(p.message for p in corpus.problems if p.line == 4)
    assert [e.translation for e in corpus.excerpts] == [None, "它丝毫不自命能创造任何东西。"]


def test_a_file_of_something_else_is_reported_not_half_read(tmp_path: Path) -> None:
    folder, _ = _talk(tmp_path)
    _translations(folder, "# notes\nexcerpt = 'talk-1'\n")
    corpus = load_corpus(folder)
    assert [(p.line, p.message) for p in corpus.problems] == [
        (2, "text outside a [[translation]] table")
    ]
    assert not any(e.translation for e in corpus.excerpts)


def test_every_real_excerpt_is_readable_in_both_languages(corpus: Corpus) -> None:
    # A stale entry (its transcript text was edited since) would show as a warning here.
    assert [str(p) for p in corpus.problems if p.file.startswith("translations/")] == []
    assert all(e.translation for e in corpus.excerpts)
    for excerpt in corpus.excerpts:
        has_chinese = any("\u4e00" <= c <= "\u9fff" for c in excerpt.translation or "")
        assert has_chinese == (excerpt.lang == "en"), excerpt.id
    # The source's own translation (a16z's study guide) is never replaced.
    own = [e for e in corpus.excerpts if e.source_id == "a16z-vibe-researching"]
    assert own and not any(e.machine_translation for e in own)


def test_a_machine_translation_is_labelled_and_shown_only_across_languages(
    corpus: Corpus,
) -> None:
    excerpt = next(e for e in corpus.excerpts if e.machine_translation and e.lang == "zh")
    source = corpus.source(excerpt.source_id)
    english = card(excerpt, source, "en", expanded=True).text
    assert "Machine translation" in english
    assert excerpt.translation and excerpt.translation[:40] in english
    chinese = card(excerpt, source, "zh", expanded=True).text
    assert "机器翻译" not in chinese and excerpt.translation[:40] not in chinese
    daily = insight(excerpt, source, None, "en", 7).text
    assert "Machine translation" in daily


def test_an_english_paraphrase_finds_a_chinese_answer_through_its_translation() -> None:
    # Yao: "就像一个洪水达到这个闸口" — nothing in the glossary or dictionary bridges this image.
    query = "technology piled up like floodwater behind a sluice gate"
    hits = real_index().search(query, limit=3).hits
    assert hits and "洪水达到这个闸口" in hits[0].excerpt.text
    assert "floodwater" in hits[0].matched_terms  # highlighted in the translation the card shows
    alone = untranslated_index().search(query, limit=10).hits
    assert not any("洪水达到这个闸口" in h.excerpt.text for h in alone)


def test_lang_filter_and_eval_go_by_the_sources_own_words(corpus: Corpus) -> None:
    # lang:zh means passages the interviews give in Chinese (a16z's study guide translates its
    # English), not every passage: each has a machine translation now.
    hits = real_index().search("generalization lang:zh", limit=50).hits
    assert hits and all(h.excerpt.lang == "zh" or not h.excerpt.machine_translation for h in hits)
    # An eval credits a passage for the interview's words, never for the translation's.
    excerpt = next(e for e in corpus.excerpts if e.machine_translation and e.lang == "zh")
    assert excerpt.translation is not None
    words = excerpt.translation[:30]
    assert first_relevant([excerpt], [Expectation(excerpt.source_id, words)]) is None
    assert first_relevant([excerpt], [Expectation(excerpt.source_id, excerpt.text[:20])]) == 1
