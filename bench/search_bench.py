"""Search speed: p50/p99 latency on the real corpus and on a synthetic 100,000-excerpt corpus.

Prints figures (no assertions): build time, index memory, query latency for the index and the two
baselines (rapidfuzz WRatio, SQLite FTS5 trigram). Run: .venv/bin/python bench/search_bench.py
[--corpus corpus] [--size 100000] [--queries 400] [--baseline-queries 10] [--passes 5]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.corpus.loader import load_corpus  # noqa: E402
from bot.corpus.model import Corpus, Excerpt  # noqa: E402
from bot.search.baselines import Fts5Baseline, FuzzBaseline  # noqa: E402
from bot.search.glossary import Glossary  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402
from bot.services.catalog import settle_heap  # noqa: E402

_SENTENCE = re.compile(r"[^。？！.?!]+[。？！.?!]*")
_HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
_WORD = re.compile(r"[A-Za-z]{4,}")


def rss_bytes() -> int:
    """Resident memory of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def realistic_queries(corpus: Corpus, glossary: Glossary, n: int, seed: int = 7) -> list[str]:
    """A mix like real users type: short Chinese words, English words and phrases with typos,
    glossary terms in either language, names, filters and quoted phrases."""
    rng = random.Random(seed)
    texts = [e.text for e in corpus.excerpts]
    forms = [f for g in glossary.terms for f in g.forms]
    names = [sp.name for s in corpus.sources for sp in s.speakers]
    out: list[str] = []
    while len(out) < n:
        kind = rng.randrange(8)
        text = rng.choice(texts)
        han = _HAN.findall(text)
        words = _WORD.findall(text)
        if kind == 0 and han:
            run = rng.choice(han)
            i = rng.randrange(max(1, len(run) - 1))
            out.append(run[i : i + rng.choice((2, 2, 3, 4))])
        elif kind == 1 and len(words) >= 3:
            i = rng.randrange(len(words) - 2)
            out.append(" ".join(words[i : i + rng.choice((1, 2, 3))]))
        elif kind == 2 and words:
            w = rng.choice(words)
            k = rng.randrange(len(w))
            out.append(w[:k] + w[k + 1 :])  # a typo: one letter dropped
        elif kind == 3:
            out.append(rng.choice(forms))
        elif kind == 4:
            out.append(f"{rng.choice(names).split()[0]} {rng.choice(forms)}")
        elif kind == 5 and len(words) >= 4:
            i = rng.randrange(len(words) - 3)
            out.append('"' + " ".join(words[i : i + 3]) + '"')
        elif kind == 6:
            out.append(f"speaker:{rng.choice(names).split()[0].lower()} {rng.choice(forms)}")
        elif kind == 7 and han and words:
            out.append(f"{rng.choice(han)[:4]} {rng.choice(words)}")
    return out


def synthetic(corpus: Corpus, size: int, seed: int = 11) -> Corpus:
    """`size` excerpts made from the real ones: each keeps a real excerpt's metadata and
    mixes its sentences (shuffled) with a sentence of another excerpt."""
    rng = random.Random(seed)
    real = list(corpus.excerpts)
    sentences = [s for e in real for s in _SENTENCE.findall(e.text) if s.strip()]
    out: list[Excerpt] = []
    for i in range(size):
        base = real[i % len(real)]
        parts = [s for s in _SENTENCE.findall(base.text) if s.strip()] or [base.text]
        rng.shuffle(parts)
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(sentences))
        text = "".join(parts)
        out.append(replace(base, id=f"syn-{i:06d}", text=text, text_original=text, position=i))
    return Corpus(corpus.sources, tuple(out), corpus.problems, corpus.dropped)


def latencies(
    search: Callable[[str], object], queries: Sequence[str], passes: int = 1
) -> list[float]:
    """Milliseconds per query (after one warm-up pass over the first queries); with several
    passes, each query's best time (a shared machine's noise only ever adds time)."""
    for q in queries[:20]:
        search(q)
    out = [float("inf")] * len(queries)
    for _ in range(passes):
        for i, q in enumerate(queries):
            t = time.perf_counter()
            search(q)
            out[i] = min(out[i], (time.perf_counter() - t) * 1000)
    return out


def pct(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def row(name: str, ms: Sequence[float]) -> str:
    """One printed line of latency figures."""
    return (
        f"  {name:<24} n={len(ms):<4} p50={pct(ms, 50):8.3f} ms  p99={pct(ms, 99):8.3f} ms"
        f"  mean={statistics.fmean(ms):8.3f} ms"
    )


def bench(
    corpus: Corpus, glossary: Glossary, queries: list[str], n_base: int, label: str, passes: int
) -> None:
    """Build the index and the baselines over one corpus; print build, memory and latency."""
    print(f"\n== {label}: {len(corpus.excerpts)} excerpts")
    gc.collect()
    before = rss_bytes()
    t = time.perf_counter()
    index = SearchIndex.build(corpus, glossary)
    build = time.perf_counter() - t
    settle_heap()  # as the bot does when it makes an index current
    grown = rss_bytes() - before
    print(f"  index build {build:.2f} s; posting arrays {index.memory_bytes / 2**20:.1f} MiB;")
    print(f"  process memory grew by {grown / 2**20:.1f} MiB during the build")
    print(row("insightbot", latencies(lambda q: index.search(q, limit=5), queries)))
    base_q = queries[:n_base]
    t = time.perf_counter()
    fts = Fts5Baseline(corpus.excerpts)
    print(f"  (FTS5 build {time.perf_counter() - t:.2f} s)")
    print(row("SQLite FTS5 trigram", latencies(lambda q: fts.search(q, 5), queries)))
    fuzz = FuzzBaseline(corpus.excerpts)
    print(row("rapidfuzz WRatio", latencies(lambda q: fuzz.search(q, 5), base_q)))
    if passes > 1:
        print(f"  best of {passes} passes per query:")
        engines: list[tuple[str, Callable[[str], object], Sequence[str]]] = [
            ("insightbot", lambda q: index.search(q, limit=5), queries),
            ("SQLite FTS5 trigram", lambda q: fts.search(q, 5), queries),
            ("rapidfuzz WRatio", lambda q: fuzz.search(q, 5), base_q),
        ]
        for name, search, qs in engines:
            print(row(name, latencies(search, qs, passes)))


def main() -> None:
    """Parse arguments and run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--baseline-queries", type=int, default=10, help="rapidfuzz at 100k")
    parser.add_argument(
        "--passes", type=int, default=5, help="real corpus: also each query's best of N passes"
    )
    args = parser.parse_args()
    corpus = load_corpus(args.corpus)
    glossary = Glossary.load(args.corpus)
    queries = realistic_queries(corpus, glossary, args.queries)
    print(f"{len(queries)} queries, e.g. {queries[:8]}")
    bench(corpus, glossary, queries, len(queries), "real corpus", args.passes)
    big = synthetic(corpus, args.size)
    bench(big, glossary, queries, args.baseline_queries, "synthetic corpus", 1)


if __name__ == "__main__":
    main()
