"""`insightbot index`, `corpus check` and `corpus export` on the real corpus and a broken one."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.corpus.loader import load_corpus
from bot.corpus.model import Excerpt

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
BROKEN = ROOT / "tests" / "fixtures" / "corpus" / "broken"
SOURCES = [
    "a16z-vibe-researching",
    "mad-tworek-gpt5",
    "zhangxiaojun-yao-shunyu",
    "unsupervised-tworek-agi",
    "xinzhiyuan-mark-chen",
]


def test_index_prints_counts_per_source_speaker_and_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--corpus", str(CORPUS), "index"]) == 0
    out = capsys.readouterr().out
    corpus = load_corpus(CORPUS)
    assert f"5 sources, {len(corpus.excerpts)} excerpts" in out
    for source_id in SOURCES:
        line = next(line for line in out.splitlines() if line.strip().startswith(source_id))
        count = sum(1 for e in corpus.excerpts if e.source_id == source_id)
        assert f" {count} excerpts" in line
    assert "Jerry Tworek  [jerry-tworek]" in out
    assert "Shunyu Yao  [yao-shunyu]" in out
    assert "attribution rate: " in out
    assert "per language: en " in out and ", zh " in out
    assert "host turn (kept as question)" in out  # what was dropped and why
    assert "problems: 0 errors" in out


def test_index_on_a_broken_corpus_lists_problems_and_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--corpus", str(BROKEN), "index"]) == 1
    out = capsys.readouterr().out
    assert "sources.toml:20: error: unknown layout 'interpretive-dance'" in out
    assert "transcripts/garbled.srt:5: error" in out
    assert "good " in out  # the good source is still counted


def test_check_passes_the_real_corpus_and_lists_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--corpus", str(CORPUS), "corpus", "check"]) == 0
    out = capsys.readouterr().out
    assert "0 errors" in out.splitlines()[-1]
    # Each finding points at a transcript line and an excerpt id.
    findings = [line for line in out.splitlines() if ": warning: " in line]
    assert findings and all(re.match(r"^[\w./-]+:\d+: warning: ", line) for line in findings)


def test_check_fails_a_broken_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(BROKEN), "corpus", "check"]) == 1
    out = capsys.readouterr().out
    assert "sources.toml:26: error: file not found" in out
    assert "unattributed (Alice (unattributed))" in out


def test_export_writes_every_field_of_every_excerpt(tmp_path: Path) -> None:
    target = tmp_path / "corpus.jsonl"
    assert main(["--corpus", str(CORPUS), "corpus", "export", "-o", str(target)]) == 0
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    corpus = load_corpus(CORPUS)
    assert len(rows) == len(corpus.excerpts)
    fields = {f.name for f in dataclasses.fields(Excerpt)}
    titles = {s.id: s.title for s in corpus.sources}
    for row in rows:
        assert fields | {"source_title", "source_title_en"} == set(row)
        assert row["source_title"] == titles[row["source_id"]]
        assert isinstance(row["topics"], list)
    assert {row["source_id"] for row in rows} == set(SOURCES)


def test_export_to_stdout_and_ids_are_stable_across_loads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--corpus", str(CORPUS), "corpus", "export"]) == 0
    first = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert main(["--corpus", str(CORPUS), "corpus", "export"]) == 0
    second = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert first == second
    assert len(set(first)) == len(first)
    assert first == [e.id for e in load_corpus(CORPUS).excerpts]


def test_export_to_an_unwritable_place_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-dir" / "out.jsonl"
    assert main(["--corpus", str(CORPUS), "corpus", "export", "-o", str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_corpus_dir_defaults_to_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CORPUS_DIR", str(BROKEN))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["index"]) == 1
    assert "interpretive-dance" in capsys.readouterr().out
