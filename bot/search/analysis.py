"""Tokenisation for matching: jieba words + character bigrams for Chinese, stems for the rest."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer

from bot.search.normalize import normalize

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_WORD_CHAR = rf"[^\W_{HAN}]"
# A Han run, or a word that may be joined by - ' @ ^ + (and . between digits): gpt-5.1, pass@k.
TOKEN_RE = re.compile(
    rf"(?P<han>[{HAN}]+)|(?P<word>{_WORD_CHAR}+(?:(?:[-'’@^+]|(?<=\d)\.(?=\d)){_WORD_CHAR}+)*)"
)
_JOINERS = re.compile(r"[-@^+.]")
_ALNUM_SPLIT = re.compile(r"[^\W\d_]+|\d+")
_HAN_CHAR = re.compile(rf"[{HAN}]")


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _words(
        """a an and are as at be been but by can could did do does doing for from had has have how i
        if in into is it its just like me my no not of on or our so than that the their them then
        there these they this those to too very was we were what when where which who whom why will
        with would you your yeah um uh oh okay ok kind sort really thing things isnt arent wasnt
        werent dont doesnt didnt cant couldnt wont wouldnt shouldnt hasnt havent hadnt im ive id
        youre theyre thats lets should shall may might must about all any some own same such
        only more most other each few both up down out off over again further once here after
        before while because itself himself herself themselves ourselves yourself being having
        he she him his hers ours yours theirs nor also"""
    )
)

# Chinese function words and question scaffolding: ignored in a query that has anything else.
ZH_STOPWORDS = frozenset(
    _words(
        """的 了 是 在 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 这些 那些 一个 就 都 也 还 又
        和 与 或 或者 吗 呢 吧 啊 呀 嘛 么 什么 怎么 怎样 怎么样 为什么 如何 哪 哪些 哪个 谁 会
        会不会 能 能不能 可以 可不可以 要 不要 是不是 有没有 有 没有 不 不会 很 更 最 对 对于 关于
        说 讲 问 聊 谈 觉得 认为 就是 然后 因为 所以 但是 如果 其实 一些 一下 自己 之 及 等"""
    )
)

_jieba_lock = threading.Lock()
_jieba: dict[str, Any] = {}
_stem_lock = threading.Lock()
_stemmer = snowballstemmer.stemmer("english")


def _tokenizer() -> Any:
    """The one jieba tokenizer: initialised once, quietly, caching only in the temp directory."""
    tok = _jieba.get("tok")
    if tok is not None:
        return tok
    with _jieba_lock:
        if "tok" not in _jieba:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            cache_dir = os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()
            tok.tmp_dir = cache_dir if os.path.isdir(cache_dir) else tempfile.gettempdir()
            tok.initialize()
            _jieba["tok"] = tok
            _jieba["added"] = set()
        return _jieba["tok"]


def add_words(words: Iterable[str]) -> None:
    """Teach jieba the corpus's own terms (glossary, names) so they stay whole words."""
    tok = _tokenizer()
    with _jieba_lock:
        added: set[str] = _jieba["added"]
        new = False
        for word in words:
            w = normalize(word).replace(" ", "")
            if len(w) >= 2 and _HAN_CHAR.search(w) and w not in added:
                tok.add_word(w, freq=max(tok.suggest_freq(w, tune=False), 200))
                added.add(w)
                new = True
        if new:
            # Memoised analyses made with the old dictionary are stale now.
            han_terms.cache_clear()
            segment.cache_clear()
            pair_terms.cache_clear()


@lru_cache(maxsize=200_000)
def segment(run: str) -> tuple[str, ...]:
    """jieba words of one Han run (no HMM: unknown words fall back to bigrams anyway)."""
    if len(run) <= 1:
        return (run,) if run else ()
    words: list[str] = _tokenizer().lcut(run, HMM=False)
    return tuple(words)


def bigrams(run: str) -> list[str]:
    """Overlapping character bigrams; a single character stands for itself."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=200_000)
def han_terms(run: str) -> tuple[str, ...]:
    terms = bigrams(run)
    terms.extend(w for w in segment(run) if len(w) >= 3)
    return tuple(terms)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """English (light Snowball) stem of a lower-case word; other scripts pass through."""
    if not word.isascii() or word.isdigit():
        return word
    with _stem_lock:  # snowballstemmer objects are not thread-safe
        result: str = _stemmer.stemWord(word)
    return result


@lru_cache(maxsize=200_000)
def word_parts(token: str) -> tuple[str, ...]:
    """A joined token's pieces: "gpt-5.1" → (gpt, 5, 1); "gpt4" → (gpt, 4); "don't" → (dont,)."""
    token = token.replace("'", "").replace("’", "")
    parts: list[str] = []
    for piece in _JOINERS.split(token):
        if not piece:
            continue
        sub = _ALNUM_SPLIT.findall(piece)
        parts.extend(sub if len(sub) > 1 else [piece])
    return tuple(parts)


@lru_cache(maxsize=200_000)
def word_terms(token: str) -> tuple[str, ...]:
    """Index terms of one word token: the stem of each piece, plus the joined form if split."""
    parts = word_parts(token)
    terms = [stem(p) for p in parts]
    if len(parts) > 1:
        terms.append(stem("".join(parts)))
    return tuple(terms)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of normalised text: a Han run or a (possibly joined) word."""

    text: str
    han: bool


def tokens(normalized: str) -> Iterator[Token]:
    """Tokens of already-normalised text, in order."""
    for m in TOKEN_RE.finditer(normalized):
        han = m.group("han")
        if han is not None:
            yield Token(han, True)
        else:
            yield Token(m.group("word"), False)


def terms_of_normalized(normalized: str) -> list[str]:
    """All index terms of normalised text (with repeats, for term frequencies)."""
    out: list[str] = []
    for m in TOKEN_RE.finditer(normalized):
        han = m.group("han")
        out.extend(han_terms(han) if han is not None else word_terms(m.group("word")))
    return out


def analyze(text: str) -> list[str]:
    """Index terms of raw text."""
    return terms_of_normalized(normalize(text))


@lru_cache(maxsize=500_000)
def pair_terms(pair: tuple[str, str]) -> tuple[str, ...]:
    """Index terms of one (han, word) match of TOKEN_RE.findall."""
    han, word = pair
    return han_terms(han) if han else word_terms(word)


def terms_of_tokens(toks: Iterable[Token]) -> list[str]:
    """All index terms of a token list (with repeats)."""
    out: list[str] = []
    for tok in toks:
        out.extend(han_terms(tok.text) if tok.han else word_terms(tok.text))
    return out
