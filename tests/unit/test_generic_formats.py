"""Formats users bring (plain `Name: text`, SRT, WebVTT) and malformed corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus, Excerpt, Severity

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def generic() -> Corpus:
    return load_corpus(FIXTURES / "generic")


@pytest.fixture(scope="module")
def broken() -> Corpus:
    return load_corpus(FIXTURES / "broken")


def _of(corpus: Corpus, source_id: str) -> list[Excerpt]:
    return [e for e in corpus.excerpts if e.source_id == source_id]


def test_generic_corpus_loads_cleanly(generic: Corpus) -> None:
    assert [p for p in generic.problems if p.severity is Severity.ERROR] == []
    assert {s.id for s in generic.sources} == {"demo-plain", "demo-srt", "demo-vtt"}


def test_plain_transcript_turns_labels_aliases_and_questions(generic: Corpus) -> None:
    plain = _of(generic, "demo-plain")
    first = plain[0]
    # A turn continues over unlabelled lines; the label "ADA" maps to the manifest speaker.
    assert first.text.startswith("The engine might compose")
    assert first.text.endswith("whatever we know how to order it to perform.")
    assert (first.speaker_id, first.speaker) == ("ada-lovelace", "Ada Lovelace")
    assert first.question == "What do you think the engine can do?"
    assert first.section == "Opening"
    # The interviewer (a host) is context, never an excerpt of its own.
    assert not any(e.text.startswith("What do you think") for e in plain)
    # "Ada" is an alias; Chinese turns are Chinese excerpts with their own question.
    zh = next(e for e in plain if e.lang == "zh")
    assert zh.speaker_id == "ada-lovelace"
    assert zh.question == "你怎么看机器和语言？"
    assert zh.section == "中文"


def test_plain_transcript_unknown_name_is_shown_unattributed(generic: Corpus) -> None:
    charles = next(e for e in _of(generic, "demo-plain") if "surprise us" in e.text)
    assert charles.speaker_id is None
    assert charles.speaker == "Charles (unattributed)"
    assert charles.timestamp == "00:02:10"
    assert charles.line == 6


def test_srt_cues_merge_into_whole_sentences_with_timestamps(generic: Corpus) -> None:
    srt = _of(generic, "demo-srt")
    assert srt[0].text == (
        "The analytical engine weaves algebraic patterns, just as the Jacquard loom weaves "
        "flowers and leaves. That is the whole idea."
    )
    assert srt[0].timestamp == "00:00:01 - 00:00:08"
    assert srt[0].speaker_id == "ada-lovelace"
    assert srt[0].line == 1
    assert srt[1].text == "The engine has none of its own."
    assert srt[1].question == "And what of originality?"


def test_webvtt_voice_tags_name_the_speaker(generic: Corpus) -> None:
    vtt = _of(generic, "demo-vtt")
    assert vtt[0].text == "We may say most aptly that the engine weaves algebraical patterns."
    assert vtt[0].speaker_id == "ada-lovelace"
    assert vtt[0].timestamp == "00:00:01 - 00:00:07"
    grace = vtt[1]
    assert (grace.speaker_id, grace.speaker) == (None, "Grace (unattributed)")
    assert grace.timestamp == "00:01:07 - 00:01:09"
    assert not any("comment block" in e.text for e in vtt)


def test_malformed_corpus_reports_every_fault_with_file_and_line(broken: Corpus) -> None:
    errors = {(p.file, p.line): p.message for p in broken.problems if p.severity == "error"}
    assert "invalid TOML" in errors[("sources.toml", 14)]
    assert "unknown layout 'interpretive-dance'" in errors[("sources.toml", 20)]
    assert "file not found" in errors[("sources.toml", 26)]
    assert "duplicate source id 'good'" in errors[("sources.toml", 32)]
    assert "not a valid SRT cue" in errors[("transcripts/garbled.srt", 5)]
    assert "not a valid SRT cue" in errors[("transcripts/garbled.srt", 9)]
    warnings = {p.file: p.message for p in broken.problems if p.severity == "warning"}
    assert "not listed in sources.toml" in warnings["transcripts/unlisted.txt"]


def test_malformed_corpus_still_loads_the_rest(broken: Corpus) -> None:
    assert [s.id for s in broken.sources] == ["good", "garbled"]
    good = _of(broken, "good")
    assert good[0].text.startswith("This file is fine.")
    assert good[0].speaker == "Alice (unattributed)"
    garbled = " ".join(e.text for e in _of(broken, "garbled"))
    assert "The first cue is fine." in garbled
    assert "The last cue is fine too." in garbled
    assert "broken arrow" not in garbled


def test_a_missing_manifest_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    corpus = load_corpus(tmp_path)
    assert corpus.excerpts == ()
    assert [(p.file, p.line) for p in corpus.problems] == [("sources.toml", 1)]


def _single_source(tmp_path: Path, layout: str, name: str, text: str, extra: str = "") -> Corpus:
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / name).write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        f"""
[[source]]
id = "talk"
file = "transcripts/{name}"
layout = "{layout}"
title = "A talk"
languages = ["en"]

  [[source.speaker]]
  id = "ada"
  name = "Ada"

  [source.options]
{extra}
""",
        encoding="utf-8",
    )
    return load_corpus(tmp_path)


def test_default_speaker_owns_unlabelled_text(tmp_path: Path) -> None:
    corpus = _single_source(
        tmp_path,
        "plain-transcript",
        "t.txt",
        "I wrote the first program.\n",
        'default_speaker = "ada"',
    )
    assert [(e.speaker_id, e.text) for e in corpus.excerpts] == [
        ("ada", "I wrote the first program.")
    ]


def test_a_wrong_option_is_a_warning_at_the_manifest_entry(tmp_path: Path) -> None:
    corpus = _single_source(
        tmp_path, "plain-transcript", "t.txt", "Ada: Hello.\n", 'max_chars = "lots"'
    )
    assert [(p.file, p.line, p.severity) for p in corpus.problems] == [
        ("sources.toml", 2, Severity.WARNING)
    ]
    assert "max_chars" in corpus.problems[0].message
    assert [e.text for e in corpus.excerpts] == ["Hello."]


def test_prose_with_a_colon_is_not_mistaken_for_a_speaker(tmp_path: Path) -> None:
    text = "Ada: Here is the point.\nThe point is: machines follow orders.\n"
    corpus = _single_source(tmp_path, "plain-transcript", "t.txt", text)
    assert [(e.speaker, e.text) for e in corpus.excerpts] == [
        ("Ada", "Here is the point. The point is: machines follow orders.")
    ]


def test_unpunctuated_auto_captions_are_cut_at_cue_boundaries(tmp_path: Path) -> None:
    cues = "\n".join(
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n + 1:02d},000\nwords without any punctuation "
        f"that keep going on and on in cue number {n} of the talk\n"
        for n in range(1, 40)
    )
    corpus = _single_source(tmp_path, "srt", "auto.srt", cues)
    assert len(corpus.excerpts) > 1
    assert all(len(e.text) <= 600 for e in corpus.excerpts)
    assert corpus.excerpts[0].timestamp is not None
    assert corpus.excerpts[0].timestamp.startswith("00:00:01 - ")


def test_chinese_names_are_speakers_but_reported_speech_is_not(tmp_path: Path) -> None:
    text = "张三：我觉得模型会越来越强。\n他说：这件事很难。\n"
    corpus = _single_source(tmp_path, "plain-transcript", "t.txt", text, 'lang = "zh"')
    assert [(e.speaker, e.text) for e in corpus.excerpts] == [
        ("张三 (unattributed)", "我觉得模型会越来越强。他说：这件事很难。")
    ]
