"""The inverted index proper: BM25F impact postings in flat numpy arrays, built in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

K1 = 1.2
B = 0.75
SKETCH = 8  # bottom-k sketch size for near-duplicate detection

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

QUOTE_FIELDS = 2  # the first fields (text, translation) are the quote itself


class AnalysedFieldLike(Protocol):
    """What build_postings needs of an analysed field."""

    @property
    def ids(self) -> IntArray: ...
    @property
    def length(self) -> int: ...
    @property
    def weight(self) -> float: ...
    @property
    def field(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Postings:
    """Term → (doc ids, impact scores), each term's slice sorted by doc id."""

    vocab: dict[str, int]
    offsets: npt.NDArray[np.int64]
    docs: IntArray
    impacts: FloatArray
    df: IntArray
    sketches: npt.NDArray[np.uint32]  # (n_docs, SKETCH) bottom-k hashes of the quote's terms
    n_docs: int

    def term_id(self, term: str) -> int:
        """The id of a term, -1 when the corpus never uses it."""
        return self.vocab.get(term, -1)

    def slice(self, tid: int) -> tuple[IntArray, FloatArray]:
        """The postings of one term id."""
        lo, hi = int(self.offsets[tid]), int(self.offsets[tid + 1])
        return self.docs[lo:hi], self.impacts[lo:hi]

    def contains_many(self, tid: int, docs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """For each of `docs`, whether it has the term (one binary search over all of them)."""
        postings, _ = self.slice(tid)
        i = np.searchsorted(postings, docs)
        found = np.zeros(len(docs), dtype=bool)
        inside = i < len(postings)
        found[inside] = postings[i[inside]] == docs[inside]
        return found

    def nbytes(self) -> int:
        """Memory held by the arrays."""
        arrays = (self.offsets, self.docs, self.impacts, self.df, self.sketches)
        return sum(a.nbytes for a in arrays)


def build_postings(
    docs: Iterable[Sequence[AnalysedFieldLike]],
    n_docs: int,
    avg_lengths: dict[int, float],
    vocab: dict[str, int],
) -> Postings:
    """BM25F: per-field length-normalised term frequencies, summed by weight, then saturated.

    `docs` yields each document's analysed fields; `vocab` is filled while they are produced.
    """
    chunks_t: list[IntArray] = []
    chunks_d: list[IntArray] = []
    chunks_w: list[FloatArray] = []
    sketches = np.full((n_docs, SKETCH), np.iinfo(np.uint32).max, dtype=np.uint32)
    for d, fields in enumerate(docs):
        if not fields:
            continue
        ids = np.concatenate([f.ids for f in fields])
        weights = np.concatenate([np.full(len(f.ids), _norm(f, avg_lengths)) for f in fields])
        uniq, inverse = np.unique(ids, return_inverse=True)
        chunks_t.append(uniq.astype(np.int32))
        chunks_d.append(np.full(len(uniq), d, dtype=np.int32))
        chunks_w.append(np.bincount(inverse, weights=weights).astype(np.float32))
        # The quote and its translation (the first two fields) define "the same excerpt".
        quote = [f.ids for f in fields if f.field < QUOTE_FIELDS]
        if quote:
            hashed = np.unique(_hash_ids(np.concatenate(quote).astype(np.int64)))
            k = min(SKETCH, len(hashed))
            sketches[d, :k] = hashed[:k]
    n_terms = len(vocab)
    if chunks_t:
        t_all = np.concatenate(chunks_t)
        d_all = np.concatenate(chunks_d)
        w_all = np.concatenate(chunks_w)
    else:
        t_all = np.zeros(0, np.int32)
        d_all = np.zeros(0, np.int32)
        w_all = np.zeros(0, np.float32)
    del chunks_t, chunks_d, chunks_w
    order = np.argsort(t_all, kind="stable")  # stable: docs stay ascending within a term
    t_all = t_all[order]
    d_all = d_all[order]
    w_all = w_all[order]
    del order
    df = np.bincount(t_all, minlength=n_terms).astype(np.int32)
    offsets = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=offsets[1:])
    n = max(n_docs, 1)
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    impacts = (idf[t_all] * w_all * (K1 + 1) / (w_all + K1)).astype(np.float32)
    return Postings(vocab, offsets, d_all, impacts, df, sketches, n_docs)


def _norm(f: AnalysedFieldLike, avg_lengths: dict[int, float]) -> float:
    avg = avg_lengths.get(f.field) or 1.0
    return f.weight / (1.0 - B + B * f.length / avg)


def _hash_ids(ids: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    # Knuth multiplicative hash: a cheap, well-spread permutation of term ids.
    return ((ids * 2654435761) % (1 << 32)).astype(np.uint32)


COVER_POWER = 2.0  # how hard a partial match of a multi-term form is discounted


def score_alternative(
    postings: Postings,
    terms: Sequence[tuple[str, float]],
    out: FloatArray,
    cover: FloatArray,
    strict: bool = False,
) -> list[int]:
    """Add an alternative's weighted impacts into `out`, scaled by how much of it matched.

    A form's terms are one concept: an excerpt with only "manage" is weak evidence for
    "product manager", so the sum is multiplied by the matched share of the form's weight.
    With `strict` (another form of what was typed) only complete matches count. `cover` is
    scratch space of the same size.
    """
    used: list[int] = []
    total = sum(w for _, w in terms) or 1.0
    partial = len(terms) > 1
    if partial:
        cover.fill(0.0)
    for term, weight in terms:
        tid = postings.term_id(term)
        if tid < 0:
            continue
        docs, imps = postings.slice(tid)
        out[docs] += imps * weight
        if partial:
            cover[docs] += weight / total
        used.append(tid)
    if partial and used:
        if strict:
            out *= cover > 0.999
        else:
            out *= cover**COVER_POWER
    return used
