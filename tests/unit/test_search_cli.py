"""`insightbot search` and `insightbot eval` on the real corpus, and the eval arithmetic."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.corpus.model import Excerpt, Role
from bot.search.evaluation import Expectation, Scores, first_relevant, squash

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_search_json_reads_one_query_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("泛化\nspeaker:nobody x\n\n"))
    assert main(["--corpus", str(CORPUS), "search", "--limit", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == ["泛化", "speaker:nobody x", ""]
    first = lines[0]["results"]
    assert 0 < len(first) <= 3
    assert {"id", "source", "source_file", "speaker", "text", "translation", "score"} <= set(
        first[0]
    )
    assert (CORPUS / first[0]["source_file"]).is_file()
    assert "泛化" in first[0]["text"]
    assert lines[1]["error"] and lines[1]["results"] == []


def test_search_prints_hits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(CORPUS), "search", "continual", "learning"]) == 0
    out = capsys.readouterr().out
    assert "found for 'continual learning'" in out and "1. [" in out


def test_eval_prints_metrics_per_kind_and_misses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "a",
            "query": "泛化",
            "kind": "exact_zh",
            "expect": [{"file": "002", "contains": "泛化"}],
        },
        {"id": "b", "query": "zzzz", "kind": "typo", "expect": [{"file": "000", "contains": "x"}]},
    ]
    queries.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert main(["--corpus", str(CORPUS), "eval", str(queries), "--baselines"]) == 0
    out = capsys.readouterr().out
    assert "exact_zh" in out and "overall" in out
    assert "rapidfuzz" in out and "FTS5" in out
    assert "b [typo] 'zzzz': not in top 10" in out


def test_eval_rejects_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', "utf-8")
    assert main(["--corpus", str(CORPUS), "eval", str(bad)]) == 2


def test_relevance_ignores_case_width_and_spaces() -> None:
    e = Excerpt("x", "src", None, "s", Role.GUEST, "en", "Scale-Up  Runs", "", 0, 1)
    assert squash("ＳＣＡＬＥ-up runs") == "scale-upruns"
    assert first_relevant([e], [Expectation("src", "scale-up runs")]) == 1
    assert first_relevant([e], [Expectation("other", "scale-up runs")]) is None


def test_scores_arithmetic() -> None:
    s = Scores()
    s.add(1, "a")
    s.add(3, "b")
    s.add(None, "c")
    assert s.row() == (1 / 3, 2 / 3, (1 + 1 / 3) / 3)
    assert s.misses == ["c"]
