"""Time load_corpus on a corpus directory and print the figures (no assertions).

Usage: .venv/bin/python bench/corpus_load.py [corpus_dir] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.corpus.loader import load_corpus  # noqa: E402


def main() -> None:
    """Load the corpus several times and print cold, median and worst times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = load_corpus(args.corpus)
    cold = time.perf_counter() - started  # includes importing the layout parsers
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        corpus = load_corpus(args.corpus)
        times.append(time.perf_counter() - started)
    per_source = Counter(e.source_id for e in corpus.excerpts)
    print(f"corpus: {args.corpus}")
    print(f"sources: {len(corpus.sources)}  excerpts: {len(corpus.excerpts)}")
    for source_id, count in per_source.items():
        print(f"  {source_id}: {count}")
    print(f"first load (parser imports included): {cold * 1000:.0f} ms")
    print(
        f"warm loads x{args.runs}: median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
