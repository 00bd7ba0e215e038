"""The bilingual glossary (corpus/glossary.toml): cross-lingual term groups and ASR aliases."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from bot.search.analysis import HAN, Token, stem, tokens, word_parts
from bot.search.normalize import normalize

GLOSSARY_FILE = "glossary.toml"


class GlossaryError(ValueError):
    """The glossary file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One concept: its English and Chinese forms, all searched when any of them is typed."""

    en: tuple[str, ...]
    zh: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form, English first."""
        return self.en + self.zh


@dataclass(frozen=True, slots=True)
class Alias:
    """Misspellings of `canonical` in some sources (speech-to-text, OCR); indexed as canonical."""

    canonical: str
    variants: tuple[str, ...]
    sources: tuple[str, ...] = ()  # empty: every source
    # (first, last) line ranges of the source file an excerpt must start in; empty: every line
    lines: tuple[tuple[int, int], ...] = ()

    def covers(self, source_id: str, line: int) -> bool:
        """Whether the alias applies to an excerpt of that source starting on that line."""
        if self.sources and source_id not in self.sources:
            return False
        return not self.lines or any(lo <= line <= hi for lo, hi in self.lines)


@dataclass(frozen=True, slots=True)
class Glossary:
    """The whole glossary: term groups for query expansion and aliases for indexing."""

    terms: tuple[TermGroup, ...] = ()
    aliases: tuple[Alias, ...] = ()

    @classmethod
    def load(cls, corpus_dir: Path) -> Glossary:
        """Read corpus_dir/glossary.toml; a missing file is an empty glossary."""
        path = corpus_dir / GLOSSARY_FILE
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise GlossaryError(f"{path}: {exc}") from exc
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, object], where: str = "glossary") -> Glossary:
        """Build from parsed TOML, checking every entry's shape."""
        terms: list[TermGroup] = []
        for i, raw in enumerate(_table_list(data, "term", where)):
            en, zh = _strings(raw, "en", where, i), _strings(raw, "zh", where, i)
            if not en and not zh:
                raise GlossaryError(f"{where}: term #{i + 1} has neither `en` nor `zh` forms")
            terms.append(TermGroup(en, zh))
        aliases: list[Alias] = []
        for i, raw in enumerate(_table_list(data, "alias", where)):
            canonical = raw.get("canonical")
            if not isinstance(canonical, str) or not canonical.strip():
                raise GlossaryError(f"{where}: alias #{i + 1} needs a `canonical` string")
            variants = _strings(raw, "variants", where, i)
            if not variants:
                raise GlossaryError(f"{where}: alias #{i + 1} ({canonical}) has no `variants`")
            sources = _strings(raw, "sources", where, i)
            lines = _line_ranges(raw, where, i)
            if lines and not sources:
                # Line numbers belong to one transcript file.
                raise GlossaryError(
                    f"{where}: alias #{i + 1} ({canonical}) has `lines` but no `sources`"
                )
            aliases.append(Alias(canonical, variants, sources, lines))
        return cls(tuple(terms), tuple(aliases))

    def han_words(self) -> list[str]:
        """Chinese words the segmenter should keep whole."""
        words = [f for g in self.terms for f in g.zh]
        words += [a.canonical for a in self.aliases]
        return [w for w in words if re.search(f"[{HAN}]", w)]


def _table_list(data: Mapping[str, object], key: str, where: str) -> list[Mapping[str, object]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise GlossaryError(f"{where}: `{key}` must be an array of tables ([[{key}]])")
    return value


def _strings(raw: Mapping[str, object], key: str, where: str, i: int) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GlossaryError(f"{where}: entry #{i + 1}: `{key}` must be a list of strings")
    return tuple(v for v in value if v.strip())


_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


def _line_ranges(raw: Mapping[str, object], where: str, i: int) -> tuple[tuple[int, int], ...]:
    """`lines = ["361-373", "205"]`: the lines of its sources where a variant means the term
    (speech-to-text says "max" for Manus on 363 and for math on 339)."""
    out: list[tuple[int, int]] = []
    for item in _strings(raw, "lines", where, i):
        m = _RANGE.fullmatch(item)
        lo, hi = (int(m.group(1)), int(m.group(2) or m.group(1))) if m else (0, -1)
        if not 1 <= lo <= hi:
            raise GlossaryError(
                f"{where}: entry #{i + 1}: `lines` item {item!r} is not a line number "
                'or a range like "361-373"'
            )
        out.append((lo, hi))
    return tuple(out)


def atoms(normalized: str) -> tuple[str, ...]:
    """Matching units of normalised text: each Han character, each stemmed word piece."""
    out: list[str] = []
    for tok in tokens(normalized):
        if tok.han:
            out.extend(tok.text)
        else:
            out.extend(stem(p) for p in word_parts(tok.text))
    return tuple(out)


class PhraseTable:
    """Maps atom sequences (glossary forms, speaker names) to payloads; longest match wins."""

    def __init__(self, entries: Iterable[tuple[str, int]]) -> None:
        self._keys: dict[tuple[str, ...], set[int]] = {}
        for text, payload in entries:
            key = atoms(normalize(text))
            if key:
                self._keys.setdefault(key, set()).add(payload)
        self.max_len = max((len(k) for k in self._keys), default=0)

    def match(self, seq: tuple[str, ...], start: int) -> tuple[int, frozenset[int]]:
        """Length and payloads of the longest key starting at seq[start] (0 if none)."""
        for n in range(min(self.max_len, len(seq) - start), 0, -1):
            hit = self._keys.get(seq[start : start + n])
            if hit:
                return n, frozenset(hit)
        return 0, frozenset()


class AliasTagger:
    """Finds alias variants in the tokens of one source's text; yields their canonical forms.

    Works on the token stream (not one big regex, which is slow on long texts): a variant is a
    token sequence whose inner tokens match exactly; a Han token at its start may be the end of
    a longer Han run and a Han token at its end the start of one (Chinese has no spaces).
    """

    def __init__(self, aliases: Iterable[Alias]) -> None:
        self._han_only: list[tuple[str, str]] = []  # (variant, canonical) inside one Han run
        self._by_first: dict[str, list[tuple[tuple[Token, ...], str]]] = {}
        self._han_first: list[tuple[tuple[Token, ...], str]] = []
        for alias in aliases:
            canon = normalize(alias.canonical)
            for variant in alias.variants:
                toks = tuple(tokens(normalize(variant)))
                if not toks:
                    continue
                if len(toks) == 1 and toks[0].han:
                    self._han_only.append((toks[0].text, canon))
                elif toks[0].han:
                    self._han_first.append((toks, canon))
                else:
                    self._by_first.setdefault(toks[0].text, []).append((toks, canon))
        # Latin words without which no multi-token variant can match: most texts skip the scan.
        self.triggers = frozenset(self._by_first) | frozenset(
            t.text for seq, _ in self._han_first for t in seq if not t.han
        )
        self._run_cache: dict[str, tuple[str, ...]] = {}

    def _in_run(self, run: str) -> tuple[str, ...]:
        hit = self._run_cache.get(run)
        if hit is None:
            hit = tuple(c for v, c in self._han_only if v in run)
            if len(self._run_cache) < 200_000:
                self._run_cache[run] = hit
        return hit

    def canonicals(self, pairs: list[tuple[str, str]], words: set[str]) -> list[str]:
        """The canonical form of every variant occurring in (han, word) token pairs.

        `words` is the set of Latin words among the pairs (the caller has it already).
        """
        out: list[str] = []
        if self._han_only:
            for han in map(itemgetter(0), pairs):
                if han:
                    out.extend(self._in_run(han))
        if self.triggers.isdisjoint(words):
            return out
        toks = [Token(h or w, bool(h)) for h, w in pairs]
        for i, tok in enumerate(toks):
            if tok.han:
                for seq, canon in self._han_first:
                    if tok.text.endswith(seq[0].text) and _rest_matches(toks, i, seq):
                        out.append(canon)
            else:
                for seq, canon in self._by_first.get(tok.text, ()):
                    if _rest_matches(toks, i, seq):
                        out.append(canon)
        return out


def _rest_matches(toks: list[Token], i: int, seq: tuple[Token, ...]) -> bool:
    if i + len(seq) > len(toks):
        return False
    last = len(seq) - 1
    for k in range(1, len(seq)):
        want, got = seq[k], toks[i + k]
        if want.han != got.han:
            return False
        if k == last and want.han:
            if not got.text.startswith(want.text):
                return False
        elif got.text != want.text:
            return False
    return True
