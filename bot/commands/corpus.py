"""`insightbot index`, `corpus check`, `corpus export`: load, lint and dump the corpus.

Operator-facing terminal output (English only, like argparse help), not bot messages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from bot.corpus.loader import load_corpus
from bot.corpus.model import Corpus, Excerpt, Problem, Severity

LONG_CHARS = 900  # longer than a card comfortably shows
HARD_LONG_CHARS = 1800  # so long it is certainly a cutting bug
SHORT_CHARS = {"en": 25, "zh": 8}
_ENDINGS = tuple(".?!。？！…\"'”’」』）)")


def corpus_dir(args: argparse.Namespace) -> Path:
    """--corpus, else CORPUS_DIR from the settings (no Telegram token needed)."""
    given = getattr(args, "corpus", None)
    if given is not None:
        return Path(given)
    from bot.settings import get_settings

    return get_settings().corpus_dir


def _load(args: argparse.Namespace) -> tuple[Corpus, Path, float]:
    """Load the corpus the arguments point at, timing it."""
    folder = corpus_dir(args)
    started = time.perf_counter()
    corpus = load_corpus(folder)
    return corpus, folder, time.perf_counter() - started


def index(args: argparse.Namespace) -> int:
    """Load and validate the corpus; print counts, drops and problems. Exit 1 on errors."""
    corpus, folder, seconds = _load(args)
    out = sys.stdout
    _print_summary(corpus, folder, seconds, out)
    _print_problems(corpus.problems, out)
    return 1 if _errors(corpus.problems) else 0


def check(args: argparse.Namespace) -> int:
    """Lint every excerpt; errors (and load errors) give a non-zero exit."""
    corpus, folder, _ = _load(args)
    out = sys.stdout
    findings = [*corpus.problems, *lint(corpus)]
    for finding in findings:
        print(finding, file=out)
    kinds = Counter(f.severity.value for f in findings)
    print(
        f"checked {len(corpus.excerpts)} excerpts in {len(corpus.sources)} sources ({folder}): "
        f"{kinds['error']} errors, {kinds['warning']} warnings",
        file=out,
    )
    return 1 if _errors(findings) else 0


def export(args: argparse.Namespace) -> int:
    """Every excerpt as one JSON object per line (stdout or -o FILE)."""
    corpus, _, _ = _load(args)
    output: Path | None = getattr(args, "output", None)
    if output is None:
        _write_jsonl(corpus, sys.stdout)
    else:
        try:
            with output.open("w", encoding="utf-8") as handle:
                _write_jsonl(corpus, handle)
        except OSError as exc:
            print(f"insightbot: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {len(corpus.excerpts)} excerpts to {output}", file=sys.stderr)
    return 1 if _errors(corpus.problems) else 0


def _write_jsonl(corpus: Corpus, out: TextIO) -> None:
    """Write every excerpt as one JSON line."""
    for record in records(corpus):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def records(corpus: Corpus) -> Iterator[dict[str, object]]:
    """Excerpts as JSON-ready dicts: every Excerpt field plus the source's titles."""
    titles = {s.id: (s.title, s.options.get("title_en")) for s in corpus.sources}
    for excerpt in corpus.excerpts:
        record: dict[str, object] = asdict(excerpt)
        record["role"] = excerpt.role.value
        record["topics"] = list(excerpt.topics)
        title, title_en = titles.get(excerpt.source_id, ("", None))
        record["source_title"] = title
        record["source_title_en"] = title_en
        yield record


def _errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem is an error."""
    return any(p.severity is Severity.ERROR for p in problems)


def _print_summary(corpus: Corpus, folder: Path, seconds: float, out: TextIO) -> None:
    """Counts per source, speaker, language and topic, plus what was dropped."""
    excerpts = corpus.excerpts
    print(
        f"corpus {folder}: {len(corpus.sources)} sources, {len(excerpts)} excerpts "
        f"(loaded in {seconds:.2f} s)",
        file=out,
    )
    print("\nper source:", file=out)
    by_source = Counter(e.source_id for e in excerpts)
    width = max((len(s.id) for s in corpus.sources), default=10)
    for source in corpus.sources:
        mine = [e for e in excerpts if e.source_id == source.id]
        langs = Counter(e.lang for e in mine)
        attributed = sum(1 for e in mine if e.speaker_id)
        commented = sum(1 for e in mine if e.commentary)
        print(
            f"  {source.id:<{width}}  {source.layout:<20} {by_source[source.id]:>4} excerpts  "
            f"en {langs['en']:>3}  zh {langs['zh']:>3}  attributed {attributed:>4}  "
            f"with commentary {commented:>3}",
            file=out,
        )
    print("\nper speaker:", file=out)
    speakers = Counter((e.speaker_id or "-", e.speaker) for e in excerpts)
    for (speaker_id, name), count in sorted(speakers.items(), key=lambda kv: -kv[1]):
        print(f"  {count:>4}  {name}  [{speaker_id}]", file=out)
    langs = Counter(e.lang for e in excerpts)
    print("\nper language: " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())), file=out)
    attributed = sum(1 for e in excerpts if e.speaker_id)
    rate = attributed / len(excerpts) if excerpts else 0.0
    print(f"attribution rate: {rate:.1%} ({attributed}/{len(excerpts)})", file=out)
    topics = Counter(t for e in excerpts for t in e.topics)
    untagged = sum(1 for e in excerpts if not e.topics)
    print(
        f"topics: {len(topics)} used, {untagged} excerpts untagged; top: "
        + ", ".join(f"{t} {n}" for t, n in topics.most_common(8)),
        file=out,
    )
    dropped = Counter((d.source_id, d.reason) for d in corpus.dropped)
    print(f"\ndropped ({len(corpus.dropped)} pieces, not excerpts):", file=out)
    for (source_id, reason), count in sorted(dropped.items()):
        print(f"  {source_id:<{width}}  {count:>4}  {reason}", file=out)


def _print_problems(problems: Iterable[Problem], out: TextIO) -> None:
    """Every load problem as file:line: severity: message."""
    problems = list(problems)
    kinds = Counter(p.severity.value for p in problems)
    print(f"\nproblems: {kinds['error']} errors, {kinds['warning']} warnings", file=out)
    for problem in problems:
        print(f"  {problem}", file=out)


def lint(corpus: Corpus) -> list[Problem]:
    """Per-excerpt findings: attribution, commentary, duplicates, length, broken sentences."""
    findings: list[Problem] = []
    files = {s.id: s.file for s in corpus.sources}
    with_commentary = {e.source_id for e in corpus.excerpts if e.commentary}
    seen: dict[tuple[str, str], Excerpt] = {}
    ids: Counter[str] = Counter(e.id for e in corpus.excerpts)
    for excerpt in corpus.excerpts:
        file = files.get(excerpt.source_id, excerpt.source_id)

        def add(message: str, severity: Severity, at: Excerpt = excerpt, name: str = file) -> None:
            """Record a finding at this excerpt's line."""
            findings.append(Problem(name, at.line, f"{at.id}: {message}", severity))

        if ids[excerpt.id] > 1:
            add("duplicate excerpt id", Severity.ERROR)
        if not excerpt.text.strip():
            add("empty excerpt", Severity.ERROR)
        if excerpt.speaker_id is None:
            add(f"unattributed ({excerpt.speaker})", Severity.WARNING)
        if excerpt.source_id in with_commentary and not excerpt.commentary:
            add("no commentary, though this source has commentary", Severity.WARNING)
        key = (excerpt.source_id, excerpt.text)
        if key in seen:
            add(f"duplicate of {seen[key].id} (line {seen[key].line})", Severity.ERROR)
        seen.setdefault(key, excerpt)
        size = len(excerpt.text)
        if size > HARD_LONG_CHARS:
            add(f"{size} characters: far too long for one excerpt", Severity.ERROR)
        elif size > LONG_CHARS:
            add(f"{size} characters: over-long (> {LONG_CHARS})", Severity.WARNING)
        elif size < SHORT_CHARS.get(excerpt.lang, 15):
            add(f"only {size} characters: too short to stand alone", Severity.WARNING)
        if _broken(excerpt):
            add("ends mid-sentence", Severity.WARNING)
    return findings


def _broken(excerpt: Excerpt) -> bool:
    """A half-sentence: the excerpt stops without a sentence end (or closing quote)."""
    return not excerpt.text.rstrip().endswith(_ENDINGS)
