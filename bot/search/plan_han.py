"""The Chinese side of query planning: a run of Han text → words → concepts."""

from __future__ import annotations

from collections.abc import Callable

from bot.search.analysis import ZH_STOPWORDS, segment
from bot.search.concepts import Alternative, Concept, alternative, translations
from bot.search.lexicon import Lexicon

DEGREE_WORDS = frozenset("很更最太")  # grade the next word: 最难 "hardest", 很难 "very hard"
COMMON_CHAR_SHARE = 0.1  # share of excerpts above which a lone character is a function word
MAX_JOIN = 3  # jieba words joined back into one dictionary word, at most


class HanPlanner:
    """Segments Chinese query text and gives each word its English translations."""

    def __init__(
        self,
        has_term: Callable[[str], bool],
        doc_freq: Callable[[str], int],
        bigrams_of: Callable[[str], list[str]],
        lexicon: Lexicon,
        char_share: Callable[[str], float],
    ) -> None:
        self._has_term = has_term
        self._df = doc_freq
        self._bigrams_of = bigrams_of
        self._lexicon = lexicon
        self._char_share = char_share

    def concepts(self, run: str) -> list[Concept]:
        """Concepts of one run of Chinese text, in order."""
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
            alts = [alt] if stop else [alt, *translations(self._english(word))]
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
