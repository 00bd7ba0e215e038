"""Bilingual pages: when a query was expanded into the other language, the page's head shows
that language's best match too, so a reader of both finds answers the other half of the
corpus gives (`强化学习` → Jerry Tworek's English answers, `continual learning` → 持续学习)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.search.analysis import HAN
from bot.search.concepts import Concept

HEAD = 5  # the ranks a reader sees first: the other language gets a place among them...
SLOT = 3  # ...at this rank at the latest (1-based)...
MIN_RATIO = 0.35  # ...when its best score is at least this share of the top score
_HAN_RE = re.compile(f"[{HAN}]")

Scores = npt.NDArray[np.float32]
Order = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


def query_lang(text: str) -> str | None:
    """ "zh" or "en" for a query typed in one script, None for a mixed (or empty) one."""
    han = bool(_HAN_RE.search(text))
    latin = any(ch.isascii() and ch.isalpha() for ch in text)
    if han == latin:
        return None
    return "zh" if han else "en"


def expands_across(concepts: Sequence[Concept], lang: str) -> bool:
    """Whether any concept was expanded into forms of the other language (via the glossary)."""
    for concept in concepts:
        for alt in concept.alternatives:
            if alt.form and query_lang(alt.form) not in (lang, None):
                return True
    return False


class DuplicateCheck:
    """Near-duplicate test against already picked excerpts (bottom-k sketch overlap)."""

    def __init__(self, sketches: npt.NDArray[np.uint32], share: float) -> None:
        self._sketches = sketches
        self._need = share * sketches.shape[1]
        self._empty = np.iinfo(np.uint32).max

    def __call__(self, d: int, picked: Sequence[int]) -> bool:
        """Whether excerpt d repeats one of `picked`."""
        if not picked:
            return False
        sk = self._sketches[d]
        shared = np.isin(self._sketches[list(picked)], sk[sk != self._empty]).sum(axis=1)
        return bool(shared.max() >= self._need)


def other_language_first(
    picked: list[int],
    order: Order,
    scores: Scores,
    readable: Mask,
    is_duplicate: DuplicateCheck,
) -> list[int]:
    """Move the best excerpt readable only in the other language into the page's head.

    `readable` marks excerpts readable in the query's language. Nothing changes when the head
    already has an other-language excerpt, or when the best one scores too far below the top.
    """
    if len(picked) < SLOT:  # a page this short keeps its best hits
        return picked
    head = picked[:HEAD]
    if any(not readable[d] for d in head):
        return picked
    floor = float(scores[picked[0]]) * MIN_RATIO
    for d in order[: len(picked) + 200]:
        d = int(d)
        if float(scores[d]) < floor:
            break
        if readable[d] or d in head or is_duplicate(d, head):
            continue
        rest = [x for x in picked if x != d]
        at = SLOT - 1
        return [*rest[:at], d, *rest[at:]][: len(picked)]
    return picked
