"""Turn free query text into weighted concepts: words, glossary expansions, typo corrections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.analysis import (
    STOPWORDS,
    ZH_STOPWORDS,
    segment,
    stem,
    terms_of_tokens,
    tokens,
    word_parts,
    word_terms,
)
from bot.search.glossary import PhraseTable, TermGroup, atoms
from bot.search.lexicon import Lexicon
from bot.search.normalize import normalize

MAX_CONCEPTS = 24
EXPANSION_WEIGHT = 0.8  # another language's (or spelling's) form of the same concept
DEGREE_WORDS = frozenset("很更最太")  # grade the next word: 最难 "hardest", 很难 "very hard"
LEXICON_WEIGHT = 0.7  # a general dictionary's translation: weaker than the corpus glossary's
MAX_CORRECTIONS = 2
COMMON_CHAR_SHARE = 0.1  # share of excerpts above which a lone character is a function word
MAX_JOIN = 3  # jieba words joined back into one dictionary word, at most
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


def max_edits(word: str) -> int:
    """Typo tolerance by length: none for very short words, more for long ones."""
    n = len(word)
    return 0 if n <= 3 else 1 if n <= 7 else 2


class Planner:
    """Builds query plans against one index's vocabulary and glossary."""

    def __init__(
        self,
        groups: tuple[TermGroup, ...],
        speaker_names: list[tuple[str, int]],
        has_term: Callable[[str], bool],
        doc_freq: Callable[[str], int],
        surface_vocab: dict[str, int],
        bigrams_of: Callable[[str], list[str]],
        lexicon: Lexicon | None = None,
        char_share: Callable[[str], float] | None = None,
    ) -> None:
        self._groups = groups
        self._glossary = PhraseTable((f, i) for i, g in enumerate(groups) for f in g.forms)
        self._speakers = PhraseTable(speaker_names)
        self._has_term = has_term
        self._df = doc_freq
        self._vocab = surface_vocab
        self._vocab_words = list(surface_vocab)
        self._bigrams_of = bigrams_of
        self._lexicon = lexicon or Lexicon()
        self._char_share = char_share or (lambda ch: 1.0)  # unknown: every lone character is common
        self.corrections = lru_cache(maxsize=4096)(self._corrections)

    def _corrections(self, word: str) -> tuple[tuple[str, int], ...]:
        """Vocabulary words within the word's edit budget, closest and most frequent first."""
        limit = max_edits(word)
        if limit == 0 or not word.isascii() or not word.isalpha():
            return ()
        if self._lexicon.is_word(word):  # a real word the corpus lacks: "brain" is not "train"
            return ()
        # OSA distance: two swapped letters are one slip, as in "raect" for react.
        found = process.extract(
            word, self._vocab_words, scorer=OSA.distance, score_cutoff=limit, limit=20
        )
        # At equal distance a typo more likely meant a content word ("jery" → jerry, not very).
        ranked = sorted(
            ((w, int(d)) for w, d, _ in found if w != word),
            key=lambda wd: (wd[1], wd[0] in STOPWORDS, -self._vocab.get(wd[0], 0)),
        )
        return tuple(ranked[:MAX_CORRECTIONS])

    def known(self, word: str) -> bool:
        """Whether the corpus (or glossary) spells a word this way; else it may be a typo."""
        if word in self._vocab:
            return True
        parts = word_parts(word)
        # Joined words ("gpt4", "re-act") are known when their pieces are.
        return len(parts) > 1 and all(self._has_term(stem(p)) for p in parts)

    def plan(self, text: str) -> Plan:
        """Concepts of normalised free text, in query order."""
        corrected: list[tuple[str, bool, tuple[tuple[str, int], ...]]] = []
        for tok in tokens(text):
            if tok.han or self.known(tok.text) or tok.text in STOPWORDS:
                corrected.append((tok.text, tok.han, ()))
            else:
                corrected.append((tok.text, tok.han, self.corrections(tok.text)))
        phrases = self._phrase_translations(corrected)
        # Atoms for glossary/speaker matching use the best correction of unknown words.
        seq: list[str] = []
        owner: list[int] = []  # atom index -> token index
        for i, (text_, han, fixes) in enumerate(corrected):
            source = fixes[0][0] if fixes else text_
            new = atoms(source) if not han else tuple(text_)
            seq.extend(new)
            owner.extend([i] * len(new))
        atoms_seq = tuple(seq)
        concepts: list[Concept] = []
        speakers: set[int] = set()
        used = [False] * len(atoms_seq)
        pos = 0
        while pos < len(atoms_seq):
            n, ids = self._speakers.match(atoms_seq, pos)
            if n:
                speakers |= ids
                for k in range(pos, pos + n):
                    used[k] = True
                pos += n
                continue
            n, ids = self._glossary.match(atoms_seq, pos)
            if n and _whole_tokens(owner, pos, n, corrected):
                concepts.append(self._glossary_concept(atoms_seq[pos : pos + n], ids))
                for k in range(pos, pos + n):
                    used[k] = True
                pos += n
                continue
            pos += 1
        # Whatever the glossary and names did not take: plain words and Chinese segments.
        done_tokens: set[int] = set()
        han_buffer: list[str] = []
        for k, atom in enumerate(atoms_seq):
            i = owner[k]
            text_, han, fixes = corrected[i]
            if used[k]:
                concepts.extend(self._han_concepts("".join(han_buffer)))
                han_buffer = []
                continue
            if han:
                han_buffer.append(atom)
                continue
            concepts.extend(self._han_concepts("".join(han_buffer)))
            han_buffer = []
            if i not in done_tokens:
                done_tokens.add(i)
                concept = self._word_concept(text_, fixes, phrases.get(i, ()))
                if concept is not None:
                    concepts.append(concept)
        concepts.extend(self._han_concepts("".join(han_buffer)))
        if not concepts and speakers:
            # Only a name was typed: search for the name itself as well as boosting its excerpts.
            for text_, _han, _ in corrected:
                alt = alternative(text_)
                if alt is not None:
                    concepts.append(Concept(text_, (alt,)))
        fixed_text = " ".join(fixes[0][0] if fixes else t for t, _, fixes in corrected)
        return Plan(tuple(concepts[:MAX_CONCEPTS]), frozenset(speakers), fixed_text)

    def _glossary_concept(self, key: tuple[str, ...], ids: frozenset[int]) -> Concept:
        alts: list[Alternative] = []
        typed = "".join(key)
        seen: set[str] = set()
        for gid in sorted(ids):
            for form in self._groups[gid].forms:
                norm = normalize(form)
                if norm in seen:
                    continue
                seen.add(norm)
                own = "".join(atoms(norm)) == typed
                alt = alternative(norm, 1.0 if own else EXPANSION_WEIGHT)
                if alt is not None:
                    alts.append(alt)
        words = sum(1 for a in key if a.isascii())
        weight = 1.0 + 0.5 * max(0, words - 1)
        return Concept(" ".join(key), tuple(alts), weight)

    def _phrase_translations(
        self, corrected: list[tuple[str, bool, tuple[tuple[str, int], ...]]]
    ) -> dict[int, tuple[str, ...]]:
        """Per token index: Chinese words for a dictionary phrase the token is part of
        ("customer service" → 客服), as typed or with typos corrected."""
        out: dict[int, tuple[str, ...]] = {}
        typed = [None if han else text for text, han, _ in corrected]
        fixed = [None if han else (f[0][0] if f else text) for text, han, f in corrected]
        for i in range(len(corrected)):
            for n in (3, 2):
                found: tuple[str, ...] = ()
                for words in (typed[i : i + n], fixed[i : i + n]):
                    if len(words) == n and None not in words:
                        found = found or self._lexicon.phrase_chinese(tuple(map(str, words)))
                if found:
                    for k in range(i, i + n):
                        out[k] = tuple(dict.fromkeys((*out.get(k, ()), *found)))
                    break
        return out

    def _word_concept(
        self, word: str, fixes: tuple[tuple[str, int], ...], phrase_zh: tuple[str, ...] = ()
    ) -> Concept | None:
        alts: list[Alternative] = []
        if self.known(word) or not fixes or self._has_term(stem(word)):
            terms = word_terms(word)
            parts = word_parts(word)
            if len(parts) > 1:
                # "gpt4" / "re-act": the joined form when the corpus has it; the pieces only
                # when it does not (pieces such as "4" or "re" match far too much).
                joined = stem("".join(parts))
                if self._has_term(joined):
                    alts.append(Alternative(((joined, 1.0),), 1.0, word))
                else:
                    w = 1.0 / len(parts)
                    alts.append(Alternative(tuple((stem(p), w) for p in parts), 1.0, word))
            elif terms:
                alts.append(Alternative(((terms[0], 1.0),), 1.0, word))
        for fix, dist in fixes:
            alt = alternative(fix, 0.85 if dist == 1 else 0.7)
            if alt is not None:
                alts.append(alt)
        stop = word in STOPWORDS
        found: tuple[str, ...] = ()
        if not stop:
            # A word the dictionary knows is no typo ("soup" is not "sop"), else the best fix.
            found = self._lexicon.chinese(word)
            if not found and fixes and not self.known(word):
                found = self._lexicon.chinese(fixes[0][0])
            alts.extend(self._translations(found))
        alts.extend(self._translations(tuple(f for f in phrase_zh if f not in found)))
        if not alts:
            return None
        return Concept(word, tuple(alts), stop=stop)

    @staticmethod
    def _translations(forms: tuple[str, ...]) -> list[Alternative]:
        alts = (alternative(normalize(f), LEXICON_WEIGHT) for f in forms)
        return [a for a in alts if a is not None]

    def _han_concepts(self, run: str) -> list[Concept]:
        out: list[Concept] = []
        if not run:
            return out
        for word in self._join_lone(self._dictionary_words(segment(run))):
            alt = alternative(word)
            if alt is None:
                continue
            if len(word) == 1 and not self._has_term(word):
                alt = self._single_char(word)
                if alt is None:
                    continue
            # Beyond the stop list, a lone character is a function word when many excerpts
            # have it (做, 个, 多) and a content word when few do (汤 soup, 书 book).
            common = len(word) == 1 and self._char_share(word) > COMMON_CHAR_SHARE
            stop = common or word in ZH_STOPWORDS
            alts = [alt] if stop else [alt, *self._translations(self._english(word))]
            out.append(Concept(word, tuple(alts), stop=stop))
        return out

    def _english(self, word: str) -> tuple[str, ...]:
        """English forms of a Chinese word; for a compound the dictionary lacks, those of its
        longest known part (糖果店 "candy shop" → 糖果 "candy")."""
        found = self._lexicon.english(word)
        if found or len(word) < 3:
            return found
        for size in range(len(word) - 1, 1, -1):
            for part in (word[:size], word[-size:]):
                if part in ZH_STOPWORDS:  # 什么样: "what" says nothing
                    continue
                found = self._lexicon.english(part)
                if found:
                    return found
        return ()

    def _join_lone(self, words: list[str]) -> list[str]:
        """Neighbouring lone characters searched as their bigram where the index has it: jieba
        leaves 最/难 apart, but 最难 ("hardest") is what the passages say. A function word
        does not join, except a degree word before the word it grades (最, 很, 更, 太)."""
        out: list[str] = []
        i = 0
        while i < len(words):
            first, nxt = words[i], words[i + 1] if i + 1 < len(words) else ""
            if (
                len(first) == 1
                and len(nxt) == 1
                and (first not in ZH_STOPWORDS or first in DEGREE_WORDS)
                and nxt not in ZH_STOPWORDS
                and self._has_term(first + nxt)
            ):
                out.append(first + nxt)
                i += 2
            else:
                out.append(first)
                i += 1
        return out

    def _dictionary_words(self, words: tuple[str, ...]) -> list[str]:
        """jieba's words, with neighbours joined where the dictionary knows the whole: names it
        splits (扎克/伯格 → 扎克伯格 "Mark Zuckerberg") translate only whole."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_JOIN, len(words) - i), 1, -1):
                joined = "".join(words[i : i + n])
                if self._lexicon.english(joined):
                    out.append(joined)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _single_char(self, char: str) -> Alternative | None:
        """A lone character: search the commonest indexed bigrams that contain it."""
        grams = list(self._bigrams_of(char))
        if not grams:
            return None
        grams.sort(key=lambda g: -self._df(g))
        grams = grams[:12]
        return Alternative(tuple((g, 1.0 / len(grams) ** 0.5) for g in grams), 1.0, char)


def _whole_tokens(
    owner: list[int],
    pos: int,
    n: int,
    corrected: list[tuple[str, bool, tuple[tuple[str, int], ...]]],
) -> bool:
    """A Latin glossary match must cover whole words ("rl" must not match inside "url")."""
    first, last = owner[pos], owner[pos + n - 1]
    if not corrected[first][1] and pos > 0 and owner[pos - 1] == first:
        return False
    return corrected[last][1] or pos + n >= len(owner) or owner[pos + n] != last
