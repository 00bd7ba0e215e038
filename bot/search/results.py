"""What a search returns: hits with scores and highlights, or a refusal with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.model import Excerpt


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: the excerpt, its score and the strings in it that matched."""

    excerpt: Excerpt
    score: float
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Hits for one page of a query, the total count, and help when nothing matched."""

    query: str
    hits: tuple[Hit, ...] = ()
    total: int = 0
    suggestions: tuple[str, ...] = ()
    loosened: tuple[str, ...] = ()  # quoted phrases found nowhere, searched as plain words
    error: str | None = None  # set when the query was refused (English; see error_code)
    error_code: str | None = None
    error_arg: str | None = None
