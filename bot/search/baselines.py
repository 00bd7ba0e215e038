"""Two naive searchers to measure the index against: rapidfuzz WRatio and SQLite FTS5 trigram."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from bot.corpus.model import Excerpt


def _doc(e: Excerpt) -> str:
    return f"{e.text}\n{e.translation or ''}"


class FuzzBaseline:
    """rapidfuzz `process.extract` with WRatio and `default_process` over text + translation."""

    name = "rapidfuzz WRatio"

    def __init__(self, excerpts: Sequence[Excerpt]) -> None:
        self._excerpts = list(excerpts)
        self._docs = [_doc(e) for e in self._excerpts]

    def search(self, query: str, limit: int = 10) -> list[Excerpt]:
        """Top excerpts by WRatio similarity."""
        found = process.extract(
            query, self._docs, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
        )
        return [self._excerpts[i] for _, _, i in found]


class Fts5Baseline:
    """SQLite FTS5 with the trigram tokenizer, ranked by bm25, any query word may match."""

    name = "SQLite FTS5 trigram"

    def __init__(self, excerpts: Sequence[Excerpt]) -> None:
        self._excerpts = list(excerpts)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(text, translation, tokenize='trigram')"
        )
        self._db.executemany(
            "INSERT INTO doc(rowid, text, translation) VALUES (?, ?, ?)",
            ((i, e.text, e.translation or "") for i, e in enumerate(self._excerpts)),
        )
        self._db.commit()

    def search(self, query: str, limit: int = 10) -> list[Excerpt]:
        """Top excerpts by bm25 for the query's words (quoted; trigram needs ≥ 3 characters)."""
        words = [w for w in re.split(r"\s+", query.strip()) if len(w) >= 3]
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        try:
            rows = self._db.execute(
                "SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY bm25(doc) LIMIT ?",
                (match, limit),
            ).fetchall()
        except sqlite3.Error:
            return []
        return [self._excerpts[r[0]] for r in rows]
