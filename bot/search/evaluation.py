"""Retrieval evaluation: recall@1, recall@5 and MRR of a searcher on a labelled query file.

Query files are JSON lines like /work/shared/eval/dev_queries.jsonl:
{"id", "query", "kind", "expect": [{"file": "000", "contains": "..."}]}. `file` names a source by
its manifest position ("000" is the first [[source]] in corpus/sources.toml, "001" the second...)
or by its source id; `--file-map 000=a16z-vibe-researching,...` overrides the mapping.
A result is relevant when it comes from that source and its text or translation contains the
expected string after NFKC, lower-casing and removing whitespace.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus.model import Excerpt, Source

Searcher = Callable[[str], Sequence[Excerpt]]
DEPTH = 10  # ranks looked at for MRR


class EvalFileError(ValueError):
    """The query file is malformed; the message names the line."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """One acceptable answer: a source and a substring of the excerpt."""

    source_id: str
    contains: str


@dataclass(frozen=True, slots=True)
class EvalQuery:
    """One labelled query."""

    id: str
    query: str
    kind: str
    expect: tuple[Expectation, ...]


@dataclass(slots=True)
class Scores:
    """Accumulated metrics for one group of queries."""

    n: int = 0
    at1: int = 0
    at5: int = 0
    rr: float = 0.0
    misses: list[str] = field(default_factory=list)  # not in the top 5
    late: list[str] = field(default_factory=list)  # in the top 5, not first

    def add(self, rank: int | None, label: str) -> None:
        """Record one query's first relevant rank (1-based; None when not in the top DEPTH)."""
        self.n += 1
        if rank is not None:
            self.at1 += rank == 1
            self.at5 += rank <= 5
            self.rr += 1.0 / rank
        if rank is None or rank > 5:
            self.misses.append(label)
        elif rank > 1:
            self.late.append(label)

    def row(self) -> tuple[float, float, float]:
        """recall@1, recall@5, MRR."""
        n = self.n or 1
        return self.at1 / n, self.at5 / n, self.rr / n


def squash(text: str) -> str:
    """NFKC, lower case, no whitespace: how expected substrings are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def file_map(sources: Sequence[Source], override: str | None = None) -> dict[str, str]:
    """ "000".."NNN" → source id by manifest order (and each id to itself), plus overrides."""
    mapping = {f"{i:03d}": s.id for i, s in enumerate(sources)}
    mapping.update({s.id: s.id for s in sources})
    for pair in (override or "").split(","):
        key, sep, value = pair.partition("=")
        if sep:
            mapping[key.strip()] = value.strip()
    return mapping


def load_queries(path: Path, mapping: dict[str, str]) -> list[EvalQuery]:
    """Parse a JSON-lines query file."""
    out: list[EvalQuery] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            expect = tuple(
                Expectation(mapping.get(str(x["file"]), str(x["file"])), str(x["contains"]))
                for x in raw["expect"]
            )
            out.append(EvalQuery(str(raw["id"]), str(raw["query"]), str(raw["kind"]), expect))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalFileError(f"{path}:{n}: {exc}") from exc
    return out


def first_relevant(results: Sequence[Excerpt], expect: Sequence[Expectation]) -> int | None:
    """1-based rank of the first result that satisfies any expectation."""
    wanted = [(x.source_id, squash(x.contains)) for x in expect]
    for rank, e in enumerate(results[:DEPTH], 1):
        # The source's own translation only: ours would let a query "find" a passage by words
        # the interview never used.
        hay = squash(e.text) + "\n" + squash(e.source_translation or "")
        if any(src == e.source_id and sub in hay for src, sub in wanted):
            return rank
    return None


def evaluate(queries: Sequence[EvalQuery], searcher: Searcher) -> dict[str, Scores]:
    """Scores per query kind, plus "overall"."""
    table: dict[str, Scores] = {}
    for q in queries:
        rank = first_relevant(searcher(q.query), q.expect)
        label = f"{q.id} [{q.kind}] {q.query!r}: " + (f"rank {rank}" if rank else "not in top 10")
        for key in (q.kind, "overall"):
            table.setdefault(key, Scores()).add(rank, label)
    overall = table.pop("overall", Scores())
    table = dict(sorted(table.items()))
    table["overall"] = overall
    return table
