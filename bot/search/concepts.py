"""What a query plan is made of: concepts, and the weighted index terms of each form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.search.analysis import STOPWORDS, terms_of_tokens, tokens, word_terms
from bot.search.normalize import normalize

LEXICON_WEIGHT = 0.7  # a general dictionary's translation: weaker than the corpus glossary's
NORM_EXP = 1.0


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way a concept can appear in an excerpt: weighted index terms, all from one form."""

    terms: tuple[tuple[str, float], ...]
    weight: float = 1.0
    form: str = ""

    @property
    def strict(self) -> bool:
        """Expansions (other forms than the one typed) count only when matched whole."""
        return self.weight < 1.0


@dataclass(frozen=True, slots=True)
class Concept:
    """One thing the user asked for; an excerpt scores by its best-matching alternative."""

    surface: str
    alternatives: tuple[Alternative, ...]
    weight: float = 1.0
    stop: bool = False  # a function word: ignored when the query has anything better


@dataclass(frozen=True, slots=True)
class Plan:
    """The concepts of a query plus the speakers it names in passing."""

    concepts: tuple[Concept, ...]
    speakers: frozenset[int]
    corrected: str = ""  # the query with typos replaced by their best correction


@lru_cache(maxsize=20_000)
def alternative(form: str, weight: float = 1.0) -> Alternative | None:
    """Index terms of one surface form, weighted so long forms do not swamp short ones."""
    terms: list[str] = []
    for tok in tokens(normalize(form)):
        if tok.han:
            terms.extend(terms_of_tokens([tok]))
        else:
            # A joined word ("start-up") searches as its joined form only: its pieces are
            # common words that would match everywhere.
            terms.append(word_terms(tok.text)[-1])
    terms = list(dict.fromkeys(terms))
    # Function words inside a multi-word form ("learning from feedback") only add noise.
    terms = [t for t in terms if t not in STOPWORDS] or terms
    if not terms:
        return None
    # Weights sum to 1, so a long form ("创业公司": 3 bigrams + the word) scores on the same
    # scale as a short one ("创业"); a Han word itself counts for half, its bigrams share the rest.
    whole = [t for t in terms if len(t) > 2 and not t.isascii()]
    if whole and len(terms) > len(whole):
        rest = len(terms) - len(whole)
        pairs = [(t, 0.5 / len(whole) if t in whole else 0.5 / rest) for t in terms]
    else:
        pairs = [(t, 1.0 / len(terms) ** NORM_EXP) for t in terms]
    return Alternative(tuple(pairs), weight, form)


def translations(forms: Iterable[str]) -> list[Alternative]:
    """Alternatives for a general dictionary's translations of a word."""
    alts = (alternative(normalize(f), LEXICON_WEIGHT) for f in forms)
    return [a for a in alts if a is not None]
