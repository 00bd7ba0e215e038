"""load_corpus: stable ids, positions, duplicates, topics, and failures that stay contained."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.corpus import parsers
from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus, Severity, Source
from bot.corpus.parsers.base import ParseResult

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"
ID = re.compile(r"^[a-z0-9]{1,8}-[0-9a-f]{8}(?:-\d+)?$")

PLAIN_MANIFEST = """
[[source]]
id = "talk"
file = "transcripts/talk.txt"
layout = "plain-transcript"
title = "A talk"
languages = ["en"]

  [[source.speaker]]
  id = "ada"
  name = "Ada"
"""


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


def _plain(tmp_path: Path, text: str, manifest: str = PLAIN_MANIFEST) -> Path:
    (tmp_path / "transcripts").mkdir(parents=True, exist_ok=True)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    (tmp_path / "transcripts" / "talk.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_real_corpus_loads_all_sources_without_errors(corpus: Corpus) -> None:
    assert [p for p in corpus.problems if p.severity is Severity.ERROR] == []
    by_source = {s.id: 0 for s in corpus.sources}
    for excerpt in corpus.excerpts:
        by_source[excerpt.source_id] += 1
    assert len(by_source) == 5
    assert all(count > 0 for count in by_source.values()), by_source


def test_ids_are_short_unique_and_callback_safe(corpus: Corpus) -> None:
    ids = [e.id for e in corpus.excerpts]
    assert len(ids) == len(set(ids))
    for excerpt_id in ids:
        assert ID.match(excerpt_id) and len(excerpt_id) < 20, excerpt_id


def test_ids_survive_edits_to_other_turns(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(FIXTURES / "generic", folder)
    before = {e.text: e.id for e in load_corpus(folder).excerpts}
    plain = folder / "transcripts" / "plain.txt"
    plain.write_text(
        plain.read_text(encoding="utf-8").replace("surprise us all", "surprise everyone"),
        encoding="utf-8",
    )
    after = {e.text: e.id for e in load_corpus(folder).excerpts}
    unchanged = set(before) & set(after)
    assert len(unchanged) == len(before) - 1
    assert all(before[text] == after[text] for text in unchanged)


def test_an_exact_repeat_is_kept_once_where_it_is_answered_again(tmp_path: Path) -> None:
    text = "Ada: I said it once.\n\nBob: Did you?\n\nAda: I said it once.\n"
    corpus = load_corpus(_plain(tmp_path, text))
    assert [(e.text, e.line) for e in corpus.excerpts] == [
        ("Did you?", 3),
        ("I said it once.", 5),
    ]
    assert [(d.line, d.reason) for d in corpus.dropped] == [(1, "near duplicate")]


def test_colliding_hashes_get_a_deterministic_suffix(tmp_path: Path) -> None:
    # These two texts share the first 8 hex digits of their SHA-1 (b596abc1).
    text = "Ada: Quote number 31777 is here.\n\nAda: Quote number 38012 is here.\n"
    excerpts = load_corpus(_plain(tmp_path, text)).excerpts
    assert [e.id for e in excerpts] == ["talk-b596abc1", "talk-b596abc1-2"]


def test_positions_follow_the_file_within_each_source(corpus: Corpus) -> None:
    for source in corpus.sources:
        mine = [e for e in corpus.excerpts if e.source_id == source.id]
        assert [e.position for e in mine] == list(range(len(mine)))


def test_teaser_that_repeats_a_later_answer_is_dropped(tmp_path: Path) -> None:
    text = (
        "Ada: Machines will never originate anything.\n\n"
        "Bob: Welcome to the show. Tell us about the engine.\n\n"
        "Ada: Let me be clear about one thing. Machines will never originate anything. "
        "They do what we order them to do.\n"
    )
    corpus = load_corpus(_plain(tmp_path, text))
    assert [e.text for e in corpus.excerpts if e.speaker_id == "ada"] == [
        "Let me be clear about one thing. Machines will never originate anything. "
        "They do what we order them to do."
    ]
    assert [(d.line, d.reason) for d in corpus.dropped] == [(1, "near duplicate")]


def test_a_crashing_parser_costs_only_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(source: Source, text: str) -> ParseResult:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.corpus.parsers.plain_transcript.parse", explode)
    corpus = load_corpus(FIXTURES / "generic")
    crash = [p for p in corpus.problems if p.file == "transcripts/plain.txt"]
    assert len(crash) == 1 and "boom" in crash[0].message
    assert {e.source_id for e in corpus.excerpts} == {"demo-srt", "demo-vtt"}


def test_a_parser_module_that_cannot_be_imported_is_a_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(parsers.LAYOUTS, "srt", "bot.corpus.parsers.not_written_yet:parse")
    corpus = load_corpus(FIXTURES / "generic")
    problem = next(p for p in corpus.problems if p.file == "transcripts/talk.srt")
    assert "cannot be loaded" in problem.message
    assert {e.source_id for e in corpus.excerpts} == {"demo-plain", "demo-vtt"}


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = _plain(tmp_path, "")
    (folder / "transcripts" / "talk.txt").write_bytes(b"Ada: fine\n\nAda: caf\xe9\n")
    corpus = load_corpus(folder)
    assert [(p.file, p.line) for p in corpus.problems] == [("transcripts/talk.txt", 3)]
    assert "UTF-8" in corpus.problems[0].message


def test_manifest_paths_cannot_leave_the_corpus_directory(tmp_path: Path) -> None:
    manifest = PLAIN_MANIFEST.replace("transcripts/talk.txt", "../outside.txt")
    (tmp_path / "outside.txt").write_text("Ada: secret\n", encoding="utf-8")
    corpus = load_corpus(_plain(tmp_path / "c", "Ada: hi.\n", manifest))
    assert corpus.excerpts == ()
    assert "inside the corpus directory" in corpus.problems[0].message


def test_topics_come_from_keywords_in_both_languages(corpus: Corpus) -> None:
    tagged = {e.id: e.topics for e in corpus.excerpts}
    continual = [e for e in corpus.excerpts if "Continuous learning is essential" in e.text]
    assert continual and "continual-learning" in tagged[continual[0].id]
    chinese = [e for e in corpus.excerpts if e.lang == "zh" and "强化学习" in e.text]
    assert chinese and all("reinforcement-learning" in tagged[e.id] for e in chinese)
    robots = [e for e in corpus.excerpts if "robotics" in e.text.lower()]
    assert robots and all("robotics" in tagged[e.id] for e in robots)
