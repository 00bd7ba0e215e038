"""Quoted phrases and -excluded words: exact substring checks over the excerpts' compact text."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.search.analysis import bigrams, stem, tokens, word_parts
from bot.search.normalize import compact, normalize
from bot.search.postings import Postings

PHRASE_CHECKS = 2000  # candidates checked for a quoted phrase, best first


def necessary_terms(phrase: str) -> list[str]:
    """Index terms every excerpt containing the phrase must have.

    Han bigrams and plain words only: not jieba words or joined words, which another
    segmentation of the surrounding text may not produce.
    """
    out: list[str] = []
    for tok in tokens(normalize(phrase)):
        if tok.han:
            out.extend(bigrams(tok.text) if len(tok.text) > 1 else [])
        elif len(word_parts(tok.text)) == 1:
            out.append(stem(word_parts(tok.text)[0]))
    return list(dict.fromkeys(out))


class PhraseMatcher:
    """Exact phrase checks against one index's postings and compact texts."""

    def __init__(self, postings: Postings, compacts: Sequence[str]) -> None:
        self._p = postings
        self._compact = compacts  # per excerpt: text, translation, question without spaces

    def has_all_words(self, phrases: Sequence[str]) -> np.ndarray:
        """Excerpts that could contain the phrases (a necessary condition, checked by
        substring afterwards): they have every term a match implies."""
        n = len(self._compact)
        ok = np.ones(n, dtype=bool)
        for phrase in phrases:
            for term in necessary_terms(phrase):
                tid = self._p.term_id(term)
                if tid < 0:
                    return np.zeros(n, dtype=bool)
                present = np.zeros(n, dtype=bool)
                present[self._p.slice(tid)[0]] = True
                ok &= present
        return ok

    def exclude(self, scores: np.ndarray, text: str) -> None:
        """Zero the scores of excerpts whose text, translation or question contains `text`."""
        needle = compact(text)
        if not needle:
            return
        candidates = np.flatnonzero((scores > 0) & self.has_all_words((text,)))
        for d in candidates:
            if needle in self._compact[int(d)]:
                scores[d] = 0.0

    def keep_containing(self, order: np.ndarray, phrases: Sequence[str]) -> np.ndarray:
        """The ranked excerpts (of the first PHRASE_CHECKS) that contain every phrase."""
        wanted = [c for c in (compact(p) for p in phrases) if c]
        if not wanted:
            return order
        head = order[:PHRASE_CHECKS]
        keep = [d for d in head if all(w in self._compact[int(d)] for w in wanted)]
        return np.array(keep, dtype=np.int64)
