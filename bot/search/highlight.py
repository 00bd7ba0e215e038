"""Which surface strings of an excerpt matched a query, for highlighting."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from bot.search.analysis import HAN, TOKEN_RE, terms_of_tokens, tokens, word_terms
from bot.search.glossary import Alias
from bot.search.normalize import normalize, to_simplified

# Matched index terms that stand for a canonical term → how its speech-to-text variants are
# marked: word terms, and phrases.
AliasMarks = Mapping[frozenset[str], tuple[frozenset[str], tuple[str, ...]]]

_HAN_RUN = re.compile(f"[{HAN}]+")


def matched_surfaces(
    texts: Iterable[str], terms: set[str], phrases: Iterable[str] = ()
) -> tuple[str, ...]:
    """Substrings of the texts, as written there, that carry one of the matched index terms.

    Adjacent matched Han bigrams merge into one span (强化 + 化学 + 学习 → 强化学习), so a
    highlighter can mark whole words rather than overlapping pairs.
    """
    out: dict[str, None] = {}
    han_terms = [t for t in terms if _HAN_RUN.fullmatch(t)]
    for text in texts:
        if not text:
            continue
        spans: list[tuple[int, int]] = []
        simplified = folded(text, bool(han_terms))
        for span, word_term_set in _word_spans(simplified):
            if not terms.isdisjoint(word_term_set):
                spans.append(span)
        for term in han_terms:
            start = simplified.find(term)
            while start >= 0:
                spans.append((start, start + len(term)))
                start = simplified.find(term, start + 1)
        for phrase in phrases:
            start = simplified.find(phrase)
            if start >= 0:
                spans.append((start, start + len(phrase)))
        for lo, hi in _merge(spans):
            out.setdefault(text[lo:hi], None)
    return tuple(out)


def alias_marks(aliases: Iterable[Alias]) -> AliasMarks:
    """The canonical form's index terms → its variants, so a hit found only through
    "sweet bench" still highlights the words it was found by.

    A canonical form is matched by its longest term ("taubench" for `tau-bench`) or by all of
    its other terms together (`tau bench` typed as two words).
    """
    words: dict[frozenset[str], set[str]] = {}
    phrases: dict[frozenset[str], list[str]] = {}
    for alias in aliases:
        terms = terms_of_tokens(tokens(normalize(alias.canonical)))
        if not terms:
            continue
        longest = max(terms, key=len)
        keys = {frozenset([longest]), frozenset(terms) - {longest} or frozenset([longest])}
        for variant in alias.variants:
            norm = normalize(variant)
            toks = list(tokens(norm))
            for key in keys:
                if len(toks) == 1 and not toks[0].han:
                    words.setdefault(key, set()).add(word_terms(toks[0].text)[-1])
                elif toks:
                    phrases.setdefault(key, []).append(norm)
    return {
        k: (frozenset(words.get(k, ())), tuple(phrases.get(k, ())))
        for k in words.keys() | phrases.keys()
    }


@lru_cache(maxsize=8192)
def folded(text: str, simplify: bool = False) -> str:
    """The text as matchers see it (case-folded; `simplify`: simplified Chinese), offsets kept
    aligned with the displayed text (memoised: the same excerpts come back often)."""
    lowered = unicodedata.normalize("NFKC", text).casefold()
    if len(lowered) != len(text):
        lowered = text.casefold()
    simplified = to_simplified(lowered) if simplify else lowered
    return simplified if len(simplified) == len(lowered) else lowered


@lru_cache(maxsize=4096)
def _word_spans(text: str) -> tuple[tuple[tuple[int, int], frozenset[str]], ...]:
    """Each Latin word's span and index terms (memoised: the same excerpts come back often)."""
    return tuple(
        (m.span(), frozenset(word_terms(m.group("word"))))
        for m in TOKEN_RE.finditer(text)
        if m.group("word") is not None
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
