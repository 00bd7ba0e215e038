"""The immutable search index: built once from a corpus, queried from any thread."""

from __future__ import annotations

import logging
import random as _random
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.corpus.model import Corpus, Excerpt, Source, Speaker
from bot.search import blend, rerank
from bot.search import filters as flt
from bot.search.aliases import AliasScopes
from bot.search.analysis import add_words
from bot.search.builder import (
    Analyzer,
    answer_openings,
    average_lengths,
    neighbour_map,
    query_planner,
)
from bot.search.concepts import Concept, alternative
from bot.search.glossary import Glossary, GlossaryError
from bot.search.highlight import matched_surfaces
from bot.search.normalize import normalize
from bot.search.phrases import PhraseMatcher
from bot.search.plan import Planner
from bot.search.postings import Postings, build_postings, score_alternative
from bot.search.query import ParsedQuery, parse_query
from bot.search.results import Hit, SearchResult

__all__ = ["Hit", "SearchIndex", "SearchResult", "default_corpus_dir"]

log = logging.getLogger(__name__)

SPEAKER_BOOST = 2.5  # the excerpt is by a person the query names
SOURCE_BOOST = 1.3  # the excerpt is from an interview with that person
MAX_LIMIT = 50
MAX_OFFSET = 1000
_SAMPLE = 1000  # documents used to estimate average field lengths


def default_corpus_dir(corpus: Corpus | None = None) -> Path:
    """Where the glossary lives when none is given: the corpus's own directory, else the repo's."""
    for source in corpus.sources if corpus is not None else ():
        folder = source.options.get("corpus_dir")
        if isinstance(folder, str):
            return Path(folder)
    return Path(__file__).resolve().parents[2] / "corpus"


class SearchIndex:
    """Immutable: build a new one and swap the reference when the corpus changes."""

    def __init__(
        self,
        corpus: Corpus,
        glossary: Glossary,
        postings: Postings,
        planner: Planner,
        compacts: list[str],
        scopes: AliasScopes | None = None,
    ) -> None:
        self._corpus = corpus
        self._excerpts = corpus.excerpts
        self._glossary = glossary
        self._p = postings
        self._planner = planner
        self._by_id = {e.id: i for i, e in enumerate(self._excerpts)}
        self._sources = corpus.sources
        self._speakers = flt.merge_speakers(corpus.sources)
        source_index = {s.id: i for i, s in enumerate(self._sources)}
        speaker_index = {sp.id: i for i, sp in enumerate(self._speakers)}
        self._doc_source = np.array(
            [source_index.get(e.source_id, -1) for e in self._excerpts], dtype=np.int32
        )
        self._doc_speaker = np.array(
            [speaker_index.get(e.speaker_id or "", -1) for e in self._excerpts], dtype=np.int32
        )
        self._speaker_sources = {
            speaker_index[sp.id]: {source_index[s.id] for s in self._sources if s.speaker(sp.id)}
            for sp in self._speakers
        }
        self._order = neighbour_map(self._excerpts)
        self._topic_counts = Counter(t for e in self._excerpts for t in e.topics)
        # Text, translation and question without spaces or punctuation, for phrase checks.
        self._compact = compacts
        self._phrases = PhraseMatcher(postings, compacts)
        self._scopes = scopes or AliasScopes(glossary.aliases)
        self._masks = flt.FilterMasks(
            self._excerpts, self._sources, self._speakers, self._doc_source, self._doc_speaker
        )
        # Term id → term, for highlighting; built here so no user's query waits for it.
        self._inv = [""] * len(postings.vocab)
        for term, tid in postings.vocab.items():
            self._inv[tid] = term
        self._duplicate = blend.DuplicateCheck(postings.sketches, rerank.DUPLICATE_SIMILARITY)

    # --- construction ------------------------------------------------------------------------
    @classmethod
    def build(cls, corpus: Corpus, glossary: Glossary | None = None) -> SearchIndex:
        """Analyse every excerpt and build the index (the glossary defaults to the corpus's)."""
        if glossary is None:
            try:
                glossary = Glossary.load(default_corpus_dir(corpus))
            except GlossaryError as exc:  # search still works, only without expansions
                log.warning("glossary ignored: %s", exc)
                glossary = Glossary()
        speakers = flt.merge_speakers(corpus.sources)
        add_words(glossary.han_words())
        add_words(n for sp in speakers for n in flt.speaker_names(sp))
        alternative.cache_clear()  # query forms analysed under an older jieba dictionary
        scopes = AliasScopes(glossary.aliases)
        analyzer = Analyzer(scopes)
        excerpts = corpus.excerpts
        leads = answer_openings(excerpts)
        avg = average_lengths(
            analyzer.excerpt(e, False, lead)
            for e, lead in zip(excerpts[:_SAMPLE], leads, strict=False)
        )
        postings = build_postings(
            (analyzer.excerpt(e, True, lead) for e, lead in zip(excerpts, leads, strict=True)),
            len(excerpts),
            avg,
            analyzer.vocab,
        )
        planner = query_planner(postings, glossary, analyzer, speakers)
        return cls(corpus, glossary, postings, planner, analyzer.compacts, scopes)

    # --- lookups -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._excerpts)

    @property
    def corpus(self) -> Corpus:
        """The corpus this index was built from."""
        return self._corpus

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the posting arrays (the bulk of the index)."""
        return self._p.nbytes()

    def get(self, excerpt_id: str) -> Excerpt | None:
        """The excerpt with this id, if any."""
        i = self._by_id.get(excerpt_id)
        return None if i is None else self._excerpts[i]

    def neighbours(self, excerpt_id: str) -> tuple[Excerpt | None, Excerpt | None]:
        """The previous and next excerpt of the same source, by position."""
        i = self._by_id.get(excerpt_id)
        if i is None:
            return None, None
        prev, nxt = self._order.get(i, (None, None))
        return (
            None if prev is None else self._excerpts[prev],
            None if nxt is None else self._excerpts[nxt],
        )

    def topics(self) -> dict[str, int]:
        """Topic slug → number of excerpts, most common first."""
        return dict(self._topic_counts.most_common())

    def speakers(self) -> tuple[Speaker, ...]:
        """Every speaker of the corpus, once, with all their aliases."""
        return self._speakers

    def sources(self) -> tuple[Source, ...]:
        """The sources, in manifest order."""
        return self._sources

    def random(self, topic: str | None = None, rng: _random.Random | None = None) -> Excerpt | None:
        """A random excerpt, optionally of one topic; None when there is none."""
        pool: Sequence[Excerpt] = self._excerpts
        if topic is not None:
            pool = [e for e in self._excerpts if topic in e.topics]
        if not pool:
            return None
        return (rng or _random.Random()).choice(pool)

    # --- search ------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 5, offset: int = 0) -> SearchResult:
        """Ranked, de-duplicated hits for a query; never raises."""
        try:
            return self._search(
                query, max(1, min(limit, MAX_LIMIT)), max(0, min(offset, MAX_OFFSET))
            )
        except Exception:  # a query must never take the bot down; the log has the details
            log.exception("search failed for query %r", query[:200])
            return SearchResult(query, error="search failed", error_code="internal")

    def _search(self, query: str, limit: int, offset: int) -> SearchResult:
        pq = parse_query(query)
        if pq.error is not None:
            return SearchResult(
                query, error=pq.error, error_code=pq.error_code, error_arg=pq.error_arg
            )
        try:
            mask = self._masks.mask(pq)
        except flt.FilterError as exc:
            return SearchResult(query, error=str(exc), error_code=exc.code, error_arg=exc.arg)
        return self._ranked(query, pq, mask, limit, offset)

    def _ranked(
        self,
        query: str,
        pq: ParsedQuery,
        mask: npt.NDArray[np.bool_] | None,
        limit: int,
        offset: int,
    ) -> SearchResult:
        plan = self._planner.plan(" ".join(pq.words), pq.open_end)
        concepts = [c for c in plan.concepts if not c.stop] or list(plan.concepts)
        n = len(self._excerpts)
        if not concepts and not pq.has_filters and not plan.speakers:
            return SearchResult(query, error="nothing to search for", error_code="empty_query")
        scores, _, matched = self._score(concepts, n)
        if plan.speakers:
            self._boost_speakers(scores, plan.speakers)
        if mask is not None:
            scores[~mask] = 0.0
        for text in pq.excludes:
            self._phrases.exclude(scores, text)
        phrases: tuple[str, ...] = pq.phrases
        loosened: tuple[str, ...] = ()
        if phrases:
            exact = scores.copy()
            # A cheap pre-check on index terms before the substring checks.
            exact[~self._phrases.has_all_words(phrases)] = 0.0
            order = self._phrases.keep_containing(self._best(exact)[0], phrases)
            total = len(order)
            if total:
                scores = exact
            else:
                # A quote is mostly remembered loosely: the closest passages by its words beat
                # "nothing found", marked so that the reader knows the exact words were not there.
                phrases, loosened = (), pq.phrases
        if not phrases:
            order, total = self._best(scores)
            if concepts:
                self._rerank(scores, order, concepts, plan.corrected)
                head = order[: rerank.SCAN]
                order = np.concatenate(
                    [head[np.argsort(-scores[head], kind="stable")], order[rerank.SCAN :]]
                )
        # A query that names a person wants that person's passages, however many come from
        # one interview: no spreading over sources then.
        crowding = 1.0 if plan.speakers else rerank.CROWDING
        picked = rerank.dedupe(
            order,
            scores,
            self._p.sketches,
            self._doc_source,
            len(self._sources),
            offset + limit,
            crowding,
        )
        lang = blend.query_lang(" ".join(pq.words))
        if lang is not None and not pq.langs and blend.expands_across(concepts, lang):
            picked = blend.other_language_first(
                picked, order, scores, self._masks.lang_mask(lang), self._duplicate
            )
        picked = picked[offset:]
        present = self._present(picked, matched)
        hits = tuple(
            self._hit(d, float(scores[d]), concepts, matched, present, phrases) for d in picked
        )
        suggestions = () if total else self._planner.did_you_mean(" ".join(pq.words), query)
        # A loosened search that found nothing either is plainly nothing found.
        return SearchResult(query, hits, total, suggestions, loosened if total else ())

    @staticmethod
    def _best(scores: np.ndarray) -> tuple[np.ndarray, int]:
        """Candidates with a score, best first (only the head is sorted), and their count."""
        order = np.flatnonzero(scores > 0)
        total = len(order)
        if total > rerank.SCAN * 5:  # only the head needs sorting; the tail only counts
            head = np.argpartition(-scores[order], rerank.SCAN * 5)[: rerank.SCAN * 5]
            order = order[head]
        return order[np.argsort(-scores[order], kind="stable")], total

    def _rerank(
        self, scores: np.ndarray, order: np.ndarray, concepts: list[Concept], corrected: str
    ) -> None:
        """Second-stage boosts of the leading candidates (see bot.search.rerank)."""
        rerank.phrase_boost(scores, order, self._compact, corrected)
        words = rerank.exact_words(concepts)
        rerank.exact_boost(scores, order, self._excerpts, self._compact, words, len(concepts))
        if len(concepts) >= 2:
            rerank.proximity_boost(scores, order, self._compact, concepts)

    def _score(
        self, concepts: list[Concept], n: int
    ) -> tuple[np.ndarray, np.ndarray, list[list[list[int]]]]:
        """Scores, number of concepts matched, and the term ids each alternative used."""
        scores = np.zeros(n, dtype=np.float32)
        hits = np.zeros(n, dtype=np.float32)
        matched: list[list[list[int]]] = []
        if not concepts:
            scores += 1.0  # filters only: everything that passes them, in corpus order
            return scores, hits, matched
        best = np.empty(n, dtype=np.float32)
        tmp = np.empty(n, dtype=np.float32)
        cover = np.empty(n, dtype=np.float32)
        share = np.empty(n, dtype=np.float32)
        flag = np.empty(n, dtype=np.float32)
        for concept in concepts:
            best.fill(0.0)
            share.fill(0.0)
            used: list[list[int]] = []
            for alt in concept.alternatives:
                tmp.fill(0.0)
                used.append(score_alternative(self._p, alt.terms, tmp, cover, alt.strict))
                tmp *= alt.weight
                # How much of the concept this form covers: "manage" alone is half of
                # "product manager", so it counts as half a concept for coordination.
                if len(alt.terms) > 1 and not alt.strict:
                    part = cover  # the matched share, 0 exactly where the form did not match
                else:
                    part = np.greater(tmp, 0.0, out=flag)
                rerank.discount_apart(tmp, part, rerank.phrase_form(alt.form), self._compact)
                np.maximum(best, tmp, out=best)
                np.maximum(share, part, out=share)
            matched.append(used)
            scores += best * concept.weight
            hits += share
        # Coordination: an excerpt that matches more of the query's concepts ranks higher (a
        # concept matched in part, or with its words apart, counts in part).
        scores *= 0.3 + 0.7 * hits / len(concepts)
        return scores, hits, matched

    def _boost_speakers(self, scores: np.ndarray, speakers: frozenset[int]) -> None:
        named = np.isin(self._doc_speaker, list(speakers))
        srcs = {s for sp in speakers for s in self._speaker_sources.get(sp, set())}
        same_source = np.isin(self._doc_source, list(srcs)) & ~named
        scores[named] *= SPEAKER_BOOST
        scores[same_source] *= SOURCE_BOOST

    def _present(self, picked: list[int], matched: list[list[list[int]]]) -> dict[int, set[int]]:
        """Term id → which of the picked documents have it (one vectorised lookup per term)."""
        docs = np.asarray(picked, dtype=np.int64)
        terms = {t for per_alt in matched for used in per_alt for t in used}
        return {t: set(docs[self._p.contains_many(t, docs)].tolist()) for t in terms}

    def _hit(
        self,
        d: int,
        score: float,
        concepts: list[Concept],
        matched: list[list[list[int]]],
        present_in: dict[int, set[int]],
        quoted: tuple[str, ...],
    ) -> Hit:
        e = self._excerpts[d]
        vocab_terms: set[str] = set()
        inverse = self._inv
        for concept, used_per_alt in zip(concepts, matched, strict=True):
            for alt, used in zip(concept.alternatives, used_per_alt, strict=True):
                present = [t for t in used if d in present_in[t]]
                # A form that only counts whole (an expansion) highlights only when whole.
                if alt.strict and len(present) < len(alt.terms):
                    continue
                vocab_terms.update(inverse[t] for t in present)
        texts = [e.text, e.translation or ""]
        phrases = [normalize(p) for p in quoted]
        for needed, (words, variants) in self._scopes.marks(
            self._scopes.scope(e.source_id, e.line)
        ).items():
            if needed <= vocab_terms:
                # Found through a speech-to-text alias: mark the variant the text actually has.
                vocab_terms |= words
                phrases.extend(variants)
        return Hit(e, round(score, 4), matched_surfaces(texts, vocab_terms, phrases))

    def iter_excerpts(self) -> Iterator[Excerpt]:
        """Every excerpt, in corpus order."""
        return iter(self._excerpts)
