"""Free query text → weighted concepts: words, glossary expansions, typo fixes, completions."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.analysis import STOPWORDS, stem, tokens, word_parts, word_terms
from bot.search.completion import Completer
from bot.search.concepts import Alternative, Concept, Plan, alternative, translations
from bot.search.glossary import PhraseTable, TermGroup, atoms
from bot.search.lexicon import Lexicon
from bot.search.normalize import normalize
from bot.search.plan_han import HanPlanner

MAX_CONCEPTS = 24
EXPANSION_WEIGHT = 0.8  # another language's (or spelling's) form of the same concept
MAX_CORRECTIONS = 2


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
        self._vocab = surface_vocab
        self._vocab_words = list(surface_vocab)
        self._completer = Completer(surface_vocab, STOPWORDS)
        self._lexicon = lexicon or Lexicon()
        self._han = HanPlanner(
            has_term,
            doc_freq,
            bigrams_of,
            self._lexicon,
            char_share or (lambda ch: 1.0),  # unknown: every lone character is common
        )
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

    def did_you_mean(self, text: str, query: str) -> tuple[str, ...]:
        """The free text with each unknown word replaced by its best correction, if any."""
        words = text.split()
        fixed = list(words)
        for i, w in enumerate(words):
            fixes = self.corrections(w) if not self.known(w) else ()
            if fixes:
                fixed[i] = fixes[0][0]
        joined = " ".join(fixed)
        return (joined,) if fixed != words and joined.strip() and joined != query else ()

    def plan(self, text: str, open_end: bool = False) -> Plan:
        """Concepts of normalised free text, in query order (`open_end`: the last word may
        still be being typed, as in an inline query)."""
        corrected: list[tuple[str, bool, tuple[tuple[str, int], ...]]] = []
        toks = list(tokens(text))
        for k, tok in enumerate(toks):
            if tok.han or self.known(tok.text) or tok.text in STOPWORDS:
                corrected.append((tok.text, tok.han, ()))
                continue
            fixes = self.corrections(tok.text)
            if open_end and k == len(toks) - 1:
                # "vibe res" is on its way to "vibe research": completions come first.
                done = self._completer.complete(tok.text)
                fixes = tuple((w, 1) for w in done) + tuple(f for f in fixes if f[0] not in done)
            corrected.append((tok.text, tok.han, fixes))
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
                concepts.extend(self._han.concepts("".join(han_buffer)))
                han_buffer = []
                continue
            if han:
                han_buffer.append(atom)
                continue
            concepts.extend(self._han.concepts("".join(han_buffer)))
            han_buffer = []
            if i not in done_tokens:
                done_tokens.add(i)
                concept = self._word_concept(text_, fixes, phrases.get(i, ()))
                if concept is not None:
                    concepts.append(concept)
        concepts.extend(self._han.concepts("".join(han_buffer)))
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
            alts.extend(translations(found))
        alts.extend(translations(tuple(f for f in phrase_zh if f not in found)))
        if not alts:
            return None
        return Concept(word, tuple(alts), stop=stop)


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
