"""Index construction: analyse each distinct field text once, then build the postings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter

import numpy as np

from bot.corpus.model import Excerpt, Speaker
from bot.search import filters as flt
from bot.search.aliases import AliasScopes, Scope
from bot.search.analysis import TOKEN_RE, pair_terms, terms_of_tokens, tokens
from bot.search.glossary import Glossary
from bot.search.lexicon import Lexicon
from bot.search.normalize import compact_normalized, normalize
from bot.search.plan import Planner
from bot.search.postings import IntArray, Postings

# Quote text > translation > question > commentary > section/topics (BM25F field weights).
FIELD_WEIGHTS = (1.0, 0.8, 0.45, 0.3, 0.2)
TRANSLATION, QUESTION = 1, 2  # indexes of the translation and question fields
# corpus/translations/ is one reading of a noisy transcript, not the source's own words: it
# weighs less than a source's translation (0.5 scored best on the held-out query sets).
MACHINE_TRANSLATION_WEIGHT = 0.5
# The first excerpt after a question answers it directly; later windows of a long answer
# drift from it ("如果你是微信的老板…" is best answered by the reply's opening, not its tail).
LEAD_QUESTION_WEIGHT = 0.55
_CACHE_LIMIT = 300_000


@dataclass(frozen=True, slots=True)
class AnalysedField:
    """One field of one excerpt as the index sees it: its term ids, length and weight."""

    ids: IntArray  # one per token (repeats are the term frequency)
    length: int
    weight: float
    field: int  # index into FIELD_WEIGHTS
    compact: str = ""  # spaces and punctuation removed (quote, translation, question only)


def field_texts(e: Excerpt) -> tuple[str, str, str, str, str]:
    """The searchable fields of an excerpt, in FIELD_WEIGHTS order."""
    meta = " ".join([e.section or "", *(t.replace("-", " ") for t in e.topics)])
    return (e.text, e.translation or "", e.question or "", e.commentary or "", meta)


class Analyzer:
    """Turns excerpts into analysed fields, assigning term ids and collecting the vocabulary.

    Questions, commentary and translations repeat across excerpts (a commentary block covers
    several quotes), so every field but the quote itself is analysed once per distinct text.
    """

    def __init__(self, scopes: AliasScopes) -> None:
        self.vocab: dict[str, int] = {}
        self.surface: Counter[str] = Counter()  # Latin words as written, for typo correction
        self._scopes = scopes
        self._cache: dict[tuple[Scope, str, float], AnalysedField | None] = {}
        self.compacts: list[str] = []

    def excerpt(self, e: Excerpt, record: bool = False, lead: bool = False) -> list[AnalysedField]:
        """The analysed, non-empty fields of one excerpt (`lead`: it opens its answer).

        With `record`, the excerpt's compact text (for phrase checks) is appended to
        `self.compacts`, in call order.
        """
        out: list[AnalysedField] = []
        scope = self._scopes.scope(e.source_id, e.line)
        for f, (text, weight) in enumerate(zip(field_texts(e), FIELD_WEIGHTS, strict=True)):
            if not text:
                continue
            if f == QUESTION and lead:
                weight = LEAD_QUESTION_WEIGHT
            elif f == TRANSLATION and e.machine_translation:
                weight = MACHINE_TRANSLATION_WEIGHT
            if f == 0:
                got = self._analyse(text, scope, weight, f)
            else:
                key = (scope, text, weight)
                if key in self._cache:
                    got = self._cache[key]
                else:
                    got = self._analyse(text, scope, weight, f)
                    if len(self._cache) < _CACHE_LIMIT:
                        self._cache[key] = got
            if got is not None:
                out.append(got)
        if record:
            by_field = {f.field: f.compact for f in out}
            self.compacts.append("\n".join(by_field.get(k, "") for k in range(QUESTION + 1)))
        return out

    def _analyse(self, text: str, scope: Scope, weight: float, field: int) -> AnalysedField | None:
        norm = normalize(text)
        pairs: list[tuple[str, str]] = TOKEN_RE.findall(norm)
        # map/chain keep the per-token work in C; pair_terms is memoised.
        terms = list(chain.from_iterable(map(pair_terms, pairs)))
        words = set(map(itemgetter(1), pairs))
        words.discard("")
        for canon in self._scopes.tagger(scope).canonicals(pairs, words):
            terms.extend(terms_of_tokens(tokens(canon)))
        if not terms:
            return None
        self.surface.update(w for w in words if w.isalpha())
        vocab = self.vocab
        ids = list(map(vocab.get, terms))
        if None in ids:
            for k, tid in enumerate(ids):
                if tid is None:
                    ids[k] = vocab.setdefault(terms[k], len(vocab))
        squeezed = compact_normalized(norm) if field <= QUESTION else ""
        return AnalysedField(np.array(ids, dtype=np.int32), len(terms), weight, field, squeezed)

    def add_surface(self, forms: Iterable[str]) -> None:
        """Count extra spellings (glossary forms) as known words for typo correction."""
        for form in forms:
            self.surface.update(
                t.text for t in tokens(normalize(form)) if not t.han and t.text.isalpha()
            )


def average_lengths(docs: Iterable[Sequence[AnalysedField]]) -> dict[int, float]:
    """Mean analysed length per field index."""
    total: Counter[int] = Counter()
    count: Counter[int] = Counter()
    for fields in docs:
        for f in fields:
            total[f.field] += f.length
            count[f.field] += 1
    return {w: total[w] / count[w] for w in count}


def answer_openings(excerpts: Sequence[Excerpt]) -> list[bool]:
    """Per excerpt: whether it opens the answer to its question (the first window after it)."""
    last: dict[str, tuple[int, str | None]] = {}
    out: list[bool] = []
    for e in excerpts:
        prev = last.get(e.source_id)
        out.append(
            bool(e.question) and (prev is None or prev[1] != e.question or prev[0] > e.position)
        )
        last[e.source_id] = (e.position, e.question)
    return out


def neighbour_map(excerpts: Sequence[Excerpt]) -> dict[int, tuple[int | None, int | None]]:
    """Excerpt index → the previous and next excerpt index of the same source, by position."""
    by_source: dict[str, list[int]] = {}
    for i, e in enumerate(excerpts):
        by_source.setdefault(e.source_id, []).append(i)
    order: dict[int, tuple[int | None, int | None]] = {}
    for docs in by_source.values():
        docs.sort(key=lambda d: excerpts[d].position)
        for k, d in enumerate(docs):
            prev = docs[k - 1] if k > 0 else None
            nxt = docs[k + 1] if k + 1 < len(docs) else None
            order[d] = (prev, nxt)
    return order


def query_planner(
    postings: Postings, glossary: Glossary, analyzer: Analyzer, speakers: Sequence[Speaker]
) -> Planner:
    """The query planner over a built index: its terms, typo vocabulary, names and glossary."""
    bigrams: dict[str, list[str]] = {}
    for term in postings.vocab:
        if len(term) == 2 and not term.isascii():
            for ch in set(term):
                bigrams.setdefault(ch, []).append(term)
    # Words a typo may have meant: the corpus's own, plus the glossary's (an alias makes
    # "manus" findable although the transcript only says "minus").
    analyzer.add_surface(f for g in glossary.terms for f in g.en)
    analyzer.add_surface(a.canonical for a in glossary.aliases)
    vocab = {w: c for w, c in analyzer.surface.items() if len(w) >= 3 and w.isascii()}
    names = [(n, i) for i, sp in enumerate(speakers) for n in flt.speaker_names(sp)]

    def has_term(t: str) -> bool:
        return t in postings.vocab

    def doc_freq(t: str) -> int:
        tid = postings.term_id(t)
        return int(postings.df[tid]) if tid >= 0 else 0

    def bigrams_of(ch: str) -> list[str]:
        return bigrams.get(ch, [])

    @lru_cache(maxsize=4096)
    def char_share(ch: str) -> float:
        """Share of excerpts whose text has the character (in any bigram or alone)."""
        seen = np.zeros(postings.n_docs, dtype=bool)
        for term in (ch, *bigrams.get(ch, ())):
            tid = postings.term_id(term)
            if tid >= 0:
                seen[postings.slice(tid)[0]] = True
        return float(seen.mean()) if postings.n_docs else 0.0

    lexicon = Lexicon.for_index(has_term, doc_freq)
    return Planner(
        glossary.terms, names, has_term, doc_freq, vocab, bigrams_of, lexicon, char_share
    )
