"""Second-stage ranking over the best candidates: phrase and proximity boosts, then a
de-duplicated, source-diverse page."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.corpus.model import Excerpt
from bot.search.concepts import Concept
from bot.search.highlight import folded
from bot.search.normalize import compact
from bot.search.postings import SKETCH

PHRASE_BOOST = 1.5  # the query's words appear together, in order
PROXIMITY_BOOST = 1.15  # two or more of the query's concepts appear near each other...
PROXIMITY_WINDOW = 60  # ...within this many characters (spaces and punctuation removed)
DUPLICATE_SIMILARITY = 0.6  # share of sketch hashes that makes two excerpts the same passage
CROWDING = 0.8  # score factor per earlier hit from the same source...
CROWD_FREE = 1  # ...beyond this many
SCAN = 2000  # candidates examined for the page
EXACT_BOOST = 0.3  # a query word found as typed, not only by its stem ("semiconductor"...
EXACT_CHECKS = 100  # ...beats "semiconductors"): a share of that concept's credit, best first
APART = 0.5  # a multi-word form whose words all occur, but not next to each other
_ADJACENCY_CHECKS = 500  # candidates checked per multi-word form, best first (cost bound)

Scores = npt.NDArray[np.float32]
Order = npt.NDArray[np.int64]


def phrase_form(form: str) -> str:
    """The compact needle that shows a multi-word Latin form's words stand together ("" for a
    single word or a Chinese form); a final plural "s" is optional."""
    if not form.isascii() or len(form.split()) < 2:
        return ""
    needle = compact(form)
    return needle[:-1] if needle.endswith("s") else needle


def discount_apart(partial: Scores, share: Scores, needle: str, compacts: Sequence[str]) -> None:
    """Halve an alternative's score (and concept share) where its words are not adjacent:
    "product ... manager" across a paragraph is weaker evidence than "product manager"."""
    if not needle:
        return
    docs = np.flatnonzero(partial)
    if len(docs) > _ADJACENCY_CHECKS:  # cost bound: only the best can reach the page
        docs = docs[np.argpartition(-partial[docs], _ADJACENCY_CHECKS)[:_ADJACENCY_CHECKS]]
    apart = [d for d in docs if needle not in compacts[int(d)]]
    partial[apart] *= APART
    share[apart] *= APART


def phrase_boost(scores: Scores, order: Order, compacts: Sequence[str], text: str) -> None:
    """Boost the leading candidates that contain the whole query, in order."""
    phrase = compact(text)
    if len(phrase) < 4:
        return
    if phrase.isascii() and phrase.endswith("s"):
        phrase = phrase[:-1]  # "scaling laws" also finds "scaling law"
    for d in order[:200]:
        if phrase in compacts[int(d)]:
            scores[d] *= PHRASE_BOOST


def exact_words(concepts: Sequence[Concept]) -> list[str]:
    """The typed Latin words whose stem may conflate them with other forms."""
    return [
        c.surface
        for c in concepts
        if not c.stop and len(c.surface) >= 4 and c.surface.isascii() and c.surface.isalpha()
    ]


def exact_boost(
    scores: Scores,
    order: Order,
    excerpts: Sequence[Excerpt],
    compacts: Sequence[str],
    words: Sequence[str],
    n: int,
) -> None:
    """Boost the leading candidates whose quote or translation has query words as typed
    (`n`: the number of concepts, each word's share of the credit)."""
    if not words or not n:
        return
    lowered = [w.lower() for w in words]
    for d in order[:EXACT_CHECKS]:
        # The compact text (lower-cased, no spaces) has every word the excerpt has: a cheap
        # test that rules out most candidates before the word-boundary checks.
        maybe = [w for w in lowered if w in compacts[int(d)]]
        if not maybe:
            continue
        e = excerpts[int(d)]
        texts = (folded(e.text), folded(e.translation or ""))
        found = sum(1 for w in maybe if any(_has_word(t, w) for t in texts))
        if found:
            scores[d] *= 1.0 + EXACT_BOOST * found / n


def _has_word(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` as a whole word (not inside a longer one)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return True
        start = text.find(word, start + 1)
    return False


def proximity_boost(
    scores: Scores, order: Order, compacts: Sequence[str], concepts: Sequence[Concept]
) -> None:
    """Boost the leading candidates where two or more concepts occur close together."""
    # A set of term sets: a concept typed twice ("agent agent") is looked for once.
    needles = {
        frozenset(t for alt in c.alternatives for t, _ in alt.terms if len(t) >= 2)
        for c in concepts
    } - {frozenset()}
    if len(needles) < 2:
        return
    for d in order[:100]:
        text = compacts[int(d)]
        firsts: list[int] = []
        for group in needles:
            found = [i for t in group if (i := text.find(t)) >= 0]
            if found:
                firsts.append(min(found))
        if len(firsts) >= 2 and max(firsts) - min(firsts) <= PROXIMITY_WINDOW:
            scores[d] *= PROXIMITY_BOOST


def dedupe(
    order: Order,
    scores: Scores,
    sketches: npt.NDArray[np.uint32],
    doc_source: npt.NDArray[np.int32],
    n_sources: int,
    want: int,
    crowding: float = CROWDING,
) -> list[int]:
    """The best excerpts, skipping repeats of one already picked and spreading the page over
    sources: each earlier pick from the same interview (beyond CROWD_FREE) discounts a
    candidate by `crowding` (1.0: no spreading)."""
    picked: list[int] = []
    empty = np.iinfo(np.uint32).max
    head = order[:SCAN]
    base = scores[head].astype(np.float64)
    sources = doc_source[head]
    per_source = np.zeros(n_sources + 1, dtype=np.int64)  # index -1 (no source) is the last
    alive = np.ones(len(head), dtype=bool)
    same = DUPLICATE_SIMILARITY * SKETCH
    swept: set[int] = set()
    while len(picked) < want and alive.any():
        crowd = crowding ** np.maximum(per_source[sources] - CROWD_FREE, 0)
        k = int(np.argmax(np.where(alive, base * crowd, -np.inf)))
        alive[k] = False
        d = int(head[k])
        if picked:
            sk = sketches[d]
            shared = np.isin(sketches[picked], sk[sk != empty]).sum(axis=1)
            if shared.max() >= same:
                # Drop every other copy of that passage at once: a corpus that repeats a
                # passage many times would otherwise cost one check per copy.
                for j in np.flatnonzero(shared >= same):
                    if (p := picked[int(j)]) not in swept:
                        swept.add(p)
                        rest = np.flatnonzero(alive)
                        sp = sketches[p]
                        copies = np.isin(sketches[head[rest]], sp[sp != empty]).sum(axis=1)
                        alive[rest[copies >= same]] = False
                continue
        picked.append(d)
        per_source[sources[k]] += 1
    return picked
