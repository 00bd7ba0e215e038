"""The current corpus and its search index, held as one immutable snapshot and swapped whole."""

from __future__ import annotations

import asyncio
import gc
import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.corpus.model import Corpus, Excerpt, Source

_log = logging.getLogger(__name__)


class Hit(Protocol):
    """One search match (bot.search's Hit)."""

    @property
    def excerpt(self) -> Excerpt: ...
    @property
    def matched_terms(self) -> tuple[str, ...]: ...


class Result(Protocol):
    """One page of matches (bot.search's SearchResult)."""

    @property
    def hits(self) -> Sequence[Hit]: ...
    @property
    def total(self) -> int: ...
    @property
    def suggestions(self) -> Sequence[str]: ...
    @property
    def loosened(self) -> Sequence[str]: ...
    @property
    def error(self) -> str | None: ...
    @property
    def error_code(self) -> str | None: ...
    @property
    def error_arg(self) -> str | None: ...


class Index(Protocol):
    """What the bot needs of bot.search.SearchIndex; written down so handlers test against it."""

    def search(self, query: str, limit: int = ..., offset: int = ...) -> Result: ...
    def get(self, excerpt_id: str) -> Excerpt | None: ...
    def neighbours(self, excerpt_id: str) -> tuple[Excerpt | None, Excerpt | None]: ...
    def topics(self) -> dict[str, int]: ...
    def random(
        self, topic: str | None = ..., rng: random.Random | None = ...
    ) -> Excerpt | None: ...


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A loaded corpus with its index; never mutated, so readers need no lock."""

    corpus: Corpus
    index: Index
    sources: Mapping[str, Source] = field(default_factory=dict)

    @classmethod
    def of(cls, corpus: Corpus, index: Index) -> Snapshot:
        """A snapshot with its source lookup table."""
        return cls(corpus, index, {s.id: s for s in corpus.sources})

    def source(self, source_id: str) -> Source | None:
        """The source with this id."""
        return self.sources.get(source_id)


def load_snapshot(corpus_dir: Path) -> Snapshot:
    """Load the corpus and build its index (CPU-bound: run it in a thread from async code)."""
    from bot.corpus.loader import load_corpus
    from bot.search.index import SearchIndex

    corpus = load_corpus(corpus_dir)
    for problem in corpus.problems:
        _log.warning("corpus: %s", problem)
    return Snapshot.of(corpus, SearchIndex.build(corpus))


def settle_heap() -> None:
    """Free what the last snapshot left, then take everything alive out of the collector's
    sight: a full collection walking the corpus, its index and their caches paused a search
    for ~80 ms, and none of them is ever garbage while it is current."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class CatalogNotReady(RuntimeError):
    """A request arrived before the corpus finished loading."""


class Catalog:
    """Holds the current Snapshot; a reload builds a new one and swaps the reference."""

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._snapshot = snapshot

    @property
    def ready(self) -> bool:
        """Whether a corpus is loaded."""
        return self._snapshot is not None

    @property
    def current(self) -> Snapshot:
        """The snapshot to use for one whole request (read it once, use it throughout)."""
        if self._snapshot is None:
            raise CatalogNotReady("the corpus is not loaded yet")
        return self._snapshot

    def swap(self, snapshot: Snapshot) -> None:
        """Replace the snapshot atomically (one reference assignment)."""
        self._snapshot = snapshot
        settle_heap()

    async def load(self, corpus_dir: Path) -> Snapshot:
        """Load a corpus directory off the event loop and make it current."""
        snapshot = await asyncio.to_thread(load_snapshot, corpus_dir)
        self.swap(snapshot)
        return snapshot
