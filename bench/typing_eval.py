"""Search as you type: how well queries whose last word is only partly typed find their passage.

Takes every labelled query whose last word is a Latin word of 5+ letters, cuts that word to a
share of its letters (at least 3) and prints recall@1, recall@5 and MRR for the full query, the
cut query as a finished word (a space after it) and the cut query as typed (no space: the bot
completes the word). Run: .venv/bin/python bench/typing_eval.py [--share 0.6] [FILE ...]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.corpus.loader import load_corpus  # noqa: E402
from bot.search.evaluation import EvalQuery, evaluate, file_map, load_queries  # noqa: E402
from bot.search.glossary import Glossary  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402

_LAST_WORD = re.compile(r"[A-Za-z]{5,}$")
DEFAULT_FILES = [
    ROOT.parent / "shared" / "eval" / "dev_queries.jsonl",
    *sorted((ROOT / "bench").glob("heldout*_queries.jsonl")),
]


def cut_queries(queries: list[EvalQuery], share: float) -> list[tuple[EvalQuery, EvalQuery]]:
    """(full, cut) pairs for the queries whose last word can be cut."""
    out = []
    for q in queries:
        m = _LAST_WORD.search(q.query)
        if m is None:
            continue
        keep = max(3, math.ceil(len(m.group()) * share))
        if keep < len(m.group()):
            cut = q.query[: m.start()] + m.group()[:keep]
            out.append((q, EvalQuery(q.id, cut, q.kind, q.expect)))
    return out


def main() -> None:
    """Parse arguments, build the index and print the three rows."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--share", type=float, default=0.6, help="share of the last word kept")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    index = SearchIndex.build(load_corpus(args.corpus), Glossary.load(args.corpus))
    mapping = file_map(index.sources())
    pairs = [
        p
        for f in args.files
        if f.is_file()
        for p in cut_queries(load_queries(f, mapping), args.share)
    ]

    def row(label: str, queries: list[EvalQuery], suffix: str) -> None:
        scores = evaluate(
            [EvalQuery(q.id, q.query + suffix, q.kind, q.expect) for q in queries],
            lambda text: [h.excerpt for h in index.search(text, limit=10).hits],
        )["overall"]
        r1, r5, mrr = scores.row()
        print(f"  {label:<28} R@1 {r1:.3f}  R@5 {r5:.3f}  MRR {mrr:.3f}")

    print(f"{len(pairs)} queries; last word cut to {args.share:.0%} of its letters (min. 3)")
    row("full query", [full for full, _ in pairs], "")
    row("cut, then a space", [cut for _, cut in pairs], " ")
    row("cut, as typed (completed)", [cut for _, cut in pairs], "")


if __name__ == "__main__":
    main()
