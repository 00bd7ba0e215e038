"""`insightbot search` and `insightbot eval`: the search index from the terminal.

Operator-facing terminal output (English only, like argparse help), not bot messages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from bot.commands.corpus import corpus_dir
from bot.corpus.loader import load_corpus
from bot.corpus.model import Excerpt
from bot.search.baselines import Fts5Baseline, FuzzBaseline
from bot.search.evaluation import (
    DEPTH,
    EvalFileError,
    Scores,
    file_map,
    load_queries,
)
from bot.search.evaluation import (
    evaluate as run_eval,
)
from bot.search.glossary import Glossary, GlossaryError
from bot.search.index import SearchIndex
from bot.search.results import SearchResult


def _index(args: argparse.Namespace) -> SearchIndex:
    folder = corpus_dir(args)
    return SearchIndex.build(load_corpus(folder), Glossary.load(folder))


def _result_json(result: SearchResult, files: dict[str, str]) -> dict[str, object]:
    return {
        "query": result.query,
        "total": result.total,
        "error": result.error,
        "suggestions": list(result.suggestions),
        "loosened": list(result.loosened),
        "results": [
            {
                "id": h.excerpt.id,
                "source": h.excerpt.source_id,
                "source_file": files.get(h.excerpt.source_id),
                "speaker": h.excerpt.speaker,
                "text": h.excerpt.text,
                "translation": h.excerpt.translation,
                "machine_translation": h.excerpt.machine_translation,
                "score": h.score,
                "matched": list(h.matched_terms),
            }
            for h in result.hits
        ],
    }


def _print_result(result: SearchResult, out: TextIO) -> None:
    if result.error:
        print(f"error: {result.error}", file=out)
        return
    print(f"{result.total} found for {result.query!r}", file=out)
    if result.loosened:
        quoted = ", ".join(f'"{p}"' for p in result.loosened)
        print(f"no passage has the exact words {quoted}: the closest by their words", file=out)
    for rank, h in enumerate(result.hits, 1):
        e = h.excerpt
        print(f"\n{rank}. [{e.id}] {e.speaker} — {e.source_id} (score {h.score:.2f})", file=out)
        print(f"   {e.text}", file=out)
        if e.translation:
            print(f"   {e.translation}", file=out)
        if h.matched_terms:
            print(f"   matched: {', '.join(h.matched_terms)}", file=out)
    if result.suggestions:
        print(f"did you mean: {' | '.join(result.suggestions)}", file=out)


def search(args: argparse.Namespace) -> int:
    """Search once (QUERY given) or once per stdin line (one JSON object per line)."""
    try:
        index = _index(args)
    except GlossaryError as exc:
        print(f"insightbot: {exc}", file=sys.stderr)
        return 2
    limit = max(1, min(int(args.limit), 50))
    files = {s.id: s.file for s in index.sources()}
    if args.query:
        result = index.search(" ".join(args.query), limit=limit)
        if args.json:
            print(json.dumps(_result_json(result, files), ensure_ascii=False))
        else:
            _print_result(result, sys.stdout)
        return 0 if result.error is None else 1
    for line in sys.stdin:
        query = line.rstrip("\n")
        print(json.dumps(_result_json(index.search(query, limit=limit), files), ensure_ascii=False))
    return 0


def _searchers(
    index: SearchIndex, baselines: bool
) -> list[tuple[str, Callable[[str], Sequence[Excerpt]]]]:
    def ours(q: str) -> list[Excerpt]:
        return [h.excerpt for h in index.search(q, limit=DEPTH).hits]

    out: list[tuple[str, Callable[[str], Sequence[Excerpt]]]] = [("insightbot", ours)]
    if baselines:
        excerpts = list(index.iter_excerpts())
        fuzz, fts = FuzzBaseline(excerpts), Fts5Baseline(excerpts)
        out.append((fuzz.name, lambda q: fuzz.search(q, DEPTH)))
        out.append((fts.name, lambda q: fts.search(q, DEPTH)))
    return out


def _print_table(names: Sequence[str], tables: Sequence[dict[str, Scores]], out: TextIO) -> None:
    kinds = list(tables[0])
    head = f"{'kind':<14}{'n':>3} " + "".join(f"| {n[:26]:<26} " for n in names)
    sub = " " * 18 + "".join(f"| {'R@1':>6} {'R@5':>6} {'MRR':>6}      " for _ in names)
    print(head, file=out)
    print(sub, file=out)
    for kind in kinds:
        cells = ""
        for table in tables:
            r1, r5, mrr = table[kind].row()
            cells += f"| {r1:6.3f} {r5:6.3f} {mrr:6.3f}      "
        print(f"{kind:<14}{tables[0][kind].n:>3} {cells}", file=out)


def evaluate(args: argparse.Namespace) -> int:
    """recall@1, recall@5 and MRR per query kind; with --baselines, side by side."""
    try:
        index = _index(args)
        mapping = file_map(index.sources(), getattr(args, "file_map", None))
        queries = load_queries(args.file, mapping)
    except (OSError, EvalFileError, GlossaryError) as exc:
        print(f"insightbot: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout
    names: list[str] = []
    tables: list[dict[str, Scores]] = []
    for name, searcher in _searchers(index, bool(args.baselines)):
        started = time.perf_counter()
        tables.append(run_eval(queries, searcher))
        ms = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
        names.append(f"{name} ({ms:.1f} ms/q)")
    print(f"{len(queries)} queries, {len(index)} excerpts\n", file=out)
    _print_table(names, tables, out)
    for name, table in zip(names, tables, strict=True):
        _print_misses(f"{name}: not in the top 5", table["overall"].misses, out)
    _print_misses(f"{names[0]}: in the top 5 but not first", tables[0]["overall"].late, out)
    return 0


def _print_misses(title: str, misses: Iterable[str], out: TextIO) -> None:
    items = list(misses)
    print(f"\n{title}: {len(items)}", file=out)
    for label in items:
        print(f"  {label}", file=out)
