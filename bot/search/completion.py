"""Search as you type: the corpus words an unfinished last word may be the start of."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping
from functools import lru_cache

MIN_PREFIX = 3  # "re" could be anything; "res" is already a fair guess
MAX_COMPLETIONS = 3


class Completer:
    """Completes a prefix to the commonest corpus words that start with it."""

    def __init__(self, counts: Mapping[str, int], skip: Collection[str] = ()) -> None:
        # Function words ("wha" → what) would only match everywhere.
        self._counts = {w: c for w, c in counts.items() if w.isalpha() and w not in skip}
        self._sorted = sorted(self._counts)
        self.complete = lru_cache(maxsize=4096)(self._complete)

    def _complete(self, prefix: str) -> tuple[str, ...]:
        """Up to MAX_COMPLETIONS longer words beginning with `prefix`, commonest first."""
        if len(prefix) < MIN_PREFIX or not prefix.isascii() or not prefix.isalpha():
            return ()
        found: list[str] = []
        i = bisect_left(self._sorted, prefix)
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            if self._sorted[i] != prefix:
                found.append(self._sorted[i])
            i += 1
        found.sort(key=lambda w: (-self._counts[w], len(w), w))
        return tuple(found[:MAX_COMPLETIONS])
