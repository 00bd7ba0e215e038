"""File 003 (qa-article): Jerry Tworek's answers, whole and attributed, with the right context."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Excerpt, Role

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "unsupervised-tworek-agi"
FILE = ROOT / "corpus" / "transcripts" / "unsupervised-learning-tworek-agi.txt"

KNOWN_QUOTES = [
    "Biological will be much slower.",
    "I guess it will take about two to three years.",
    "My recent major cognitive update is: static models can never become AGI. "
    "Continuous learning is essential.",
    "True intelligence will keep trying, keep probing the structure of the problem until a "
    "solution is found. And current models cannot do this.",
    "The best managers both deeply understand the system and can let others make "
    "decisions—this is precisely the best way to collaborate with models.",
    'In both cases, you basically "get what you train for."',
    "In one sentence: focus.",
]


@pytest.fixture(scope="module")
def excerpts() -> list[Excerpt]:
    corpus = load_corpus(ROOT / "corpus")
    return [e for e in corpus.excerpts if e.source_id == SOURCE]


def _holding(excerpts: list[Excerpt], words: str) -> Excerpt:
    found = [e for e in excerpts if words in e.text]
    assert len(found) == 1, (words, [e.id for e in found])
    return found[0]


@pytest.mark.parametrize("quote", KNOWN_QUOTES)
def test_known_jerry_quotes_come_out_whole_and_attributed(
    excerpts: list[Excerpt], quote: str
) -> None:
    excerpt = _holding(excerpts, quote)
    assert excerpt.speaker_id == "jerry-tworek"
    assert excerpt.speaker == "Jerry Tworek"
    assert excerpt.role is Role.GUEST
    assert excerpt.lang == "en"


def test_every_excerpt_is_a_jerry_answer_in_whole_sentences(excerpts: list[Excerpt]) -> None:
    assert 70 <= len(excerpts) <= 100
    for excerpt in excerpts:
        assert excerpt.speaker_id == "jerry-tworek"
        assert len(excerpt.text) <= 900, excerpt.id
        assert excerpt.text.rstrip('"”').endswith((".", "?", "!")), excerpt.text[-40:]
        assert not excerpt.text.startswith(("Jerry:", "Host:"))


def test_host_turns_are_questions_never_jerry_quotes(excerpts: list[Excerpt]) -> None:
    host_turns = [
        line.removeprefix("Host:").strip()
        for line in FILE.read_text(encoding="utf-8").splitlines()
        if line.startswith("Host:")
    ]
    assert len(host_turns) == 33
    for turn in host_turns:
        opening = turn[:60]
        assert not any(opening in e.text for e in excerpts), opening
    assert {e.question for e in excerpts} <= set(host_turns)
    slower = _holding(excerpts, "Biological will be much slower.")
    assert slower.question == "What about the biological field?"


def test_preface_paragraphs_are_commentary_on_the_answers_they_summarise(
    excerpts: list[Excerpt],
) -> None:
    pairs = {
        "manage junior engineers": "Jerry believes that the most important skill",
        "get what you train for": "Jerry stated that the benefits brought by the Scaling",
        "True intelligence will keep trying": "He also admitted that he was previously",
        "In one sentence: focus.": "Jerry revealed that OpenAI's research department",
        "I guess it will take about two to three years.": "Jerry also shared a major cognition",
        "concentrating a large amount of resources to train GPT-4": "He said that in his memory",
    }
    for answer, preface in pairs.items():
        excerpt = _holding(excerpts, answer)
        assert excerpt.commentary is not None and excerpt.commentary.startswith(preface), answer
    # The preface is not repeated as excerpts of its own.
    assert not any(e.text.startswith(("Jerry stated", "Jerry believes")) for e in excerpts)
    # Only the window that holds the managers sentence gets that preface, not all of line 189.
    managers = [e for e in excerpts if (e.commentary or "").startswith("Jerry believes")]
    assert len(managers) == 1


def test_section_headings_give_section_and_fallback_commentary(excerpts: list[Excerpt]) -> None:
    slower = _holding(excerpts, "Biological will be much slower.")
    assert slower.section is not None and slower.section.startswith("Static models can never")
    assert slower.commentary == slower.section
    stuck = _holding(excerpts, "The most core point is")
    assert stuck.section == (
        "If a model cannot break through on its own when encountering difficulties, "
        'it is difficult to call it "AGI"'
    )
    focus = _holding(excerpts, "In one sentence: focus.")
    assert focus.section is not None and "Focus" in focus.section


def test_no_footer_placeholder_or_recommended_articles_text(excerpts: list[Excerpt]) -> None:
    banned = [
        "Recommended Articles",
        "Kimi",
        "Karpathy",
        "Moltbot",
        "AINews",
        "分享網址",
        "图片",
        "Reference link",
        "youtube.com",
        "Editor | Listening to the Rain",
        "The following is the full text",
    ]
    for excerpt in excerpts:
        shown = " ".join(
            filter(None, [excerpt.text, excerpt.commentary, excerpt.question, excerpt.section])
        )
        for word in banned:
            assert word not in shown, (excerpt.id, word)


def test_long_answers_are_cut_into_windows_in_file_order(excerpts: list[Excerpt]) -> None:
    line_189 = [e for e in excerpts if e.line == 189]
    assert 3 <= len(line_189) <= 7
    joined = " ".join(e.text for e in line_189)
    assert joined.startswith("This depends on which kind of world we ultimately live in.")
    assert joined.endswith("and thus grow into the next giant.")
    lines = [e.line for e in excerpts]
    assert lines == sorted(lines)
