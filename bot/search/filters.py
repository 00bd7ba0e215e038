"""Resolve filter values (speaker:, source:, topic:, lang:) against the corpus manifest."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from bot.corpus.model import Excerpt, Source, Speaker
from bot.search.normalize import normalize
from bot.search.query import ParsedQuery


class FilterError(ValueError):
    """A filter value that matches nothing; `code` and `arg` let the caller word the message."""

    def __init__(self, code: str, arg: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.arg = arg


def merge_speakers(sources: Sequence[Source]) -> tuple[Speaker, ...]:
    """One Speaker per id across sources, with every alias any source gives them."""
    merged: dict[str, Speaker] = {}
    for source in sources:
        for sp in source.speakers:
            old = merged.get(sp.id)
            if old is None:
                merged[sp.id] = sp
                continue
            aliases = tuple(dict.fromkeys(old.aliases + sp.aliases))
            labels = tuple(dict.fromkeys(old.labels + sp.labels))
            merged[sp.id] = Speaker(
                old.id, old.name, old.name_zh or sp.name_zh, old.role, aliases, labels
            )
    return tuple(merged.values())


def speaker_names(sp: Speaker) -> list[str]:
    """Every way to write a speaker: name, Chinese name, aliases and the id itself."""
    names = [sp.name, sp.id.replace("-", " "), *sp.aliases]
    if sp.name_zh:
        names.append(sp.name_zh)
    return [n for n in names if n.strip()]


def resolve_speakers(value: str, speakers: Sequence[Speaker]) -> set[str]:
    """Speaker ids a speaker: filter value means (exact name/alias first, then a name word)."""
    want = normalize(value).strip()
    exact = {sp.id for sp in speakers if want in {normalize(n) for n in speaker_names(sp)}}
    if exact:
        return exact
    partial = {
        sp.id
        for sp in speakers
        if any(
            want in normalize(n).split() or normalize(n).startswith(want) for n in speaker_names(sp)
        )
    }
    if partial or len(want) < 2:
        return partial
    return {sp.id for sp in speakers if any(want in normalize(n) for n in speaker_names(sp))}


def resolve_source(value: str, sources: Sequence[Source]) -> set[str]:
    """Source ids a source: filter value means: manifest number (0/000), id, show or title."""
    want = normalize(value).strip()
    if want.isdigit() and int(want) < len(sources):
        return {sources[int(want)].id}
    exact = {s.id for s in sources if normalize(s.id) == want}
    if exact:
        return exact
    return {
        s.id
        for s in sources
        if want in normalize(s.id)
        or want in normalize(s.title)
        or (s.show is not None and want in normalize(s.show))
    }


def resolve_topic(value: str, topics: Sequence[str]) -> set[str]:
    """Topic slugs a topic: filter value means (exact, then prefix, then substring)."""
    want = normalize(value).strip().replace(" ", "-")
    if want in topics:
        return {want}
    prefix = {t for t in topics if t.startswith(want)}
    return prefix or {t for t in topics if want in t}


def matches_lang(excerpt: Excerpt, langs: Sequence[str]) -> bool:
    """An excerpt is in a language if its text is, or its source translates it into it (a
    machine translation does not count: with one, every excerpt would be in both)."""
    if excerpt.lang in langs:
        return True
    own = excerpt.source_translation is not None
    return own and any(lang != excerpt.lang for lang in langs)


class FilterMasks:
    """Boolean masks over an index's excerpts for the filters of a parsed query."""

    def __init__(
        self,
        excerpts: Sequence[Excerpt],
        sources: Sequence[Source],
        speakers: Sequence[Speaker],
        doc_source: npt.NDArray[np.int32],
        doc_speaker: npt.NDArray[np.int32],
    ) -> None:
        self._excerpts = excerpts
        self._sources = sources
        self._speakers = speakers
        self._doc_source = doc_source
        self._doc_speaker = doc_speaker
        self._topics = sorted({t for e in excerpts for t in e.topics})
        self._topic_masks: dict[str, npt.NDArray[np.bool_]] = {}
        self._lang_masks = {
            lang: np.array([matches_lang(e, (lang,)) for e in excerpts], dtype=bool)
            for lang in ("en", "zh")
        }

    def lang_mask(self, lang: str) -> npt.NDArray[np.bool_]:
        """Excerpts readable in a language ("en" or "zh"): their text or translation is."""
        return self._lang_masks[lang]

    def mask(self, pq: ParsedQuery) -> npt.NDArray[np.bool_] | None:
        """Excerpts passing every filter; None without filters; FilterError on unknown values."""
        if not pq.has_filters:
            return None
        mask = np.ones(len(self._excerpts), dtype=bool)
        if pq.speakers:
            ids = self._resolve(pq.speakers, "unknown_speaker", "no speaker called", self._speaker)
            wanted = [k for k, sp in enumerate(self._speakers) if sp.id in ids]
            mask &= np.isin(self._doc_speaker, wanted)
        if pq.sources:
            src = self._resolve(pq.sources, "unknown_source", "no source matches", self._source)
            mask &= np.isin(
                self._doc_source, [k for k, s in enumerate(self._sources) if s.id in src]
            )
        if pq.topics:
            tops = self._resolve(pq.topics, "unknown_topic", "no topic matches", self._topic)
            any_topic = np.zeros(len(self._excerpts), dtype=bool)
            for topic in tops:
                any_topic |= self._topic_mask(topic)
            mask &= any_topic
        if pq.langs:
            mask &= np.logical_or.reduce([self._lang_masks[lang] for lang in pq.langs])
        return mask

    def _speaker(self, value: str) -> set[str]:
        return resolve_speakers(value, self._speakers)

    def _source(self, value: str) -> set[str]:
        return resolve_source(value, self._sources)

    def _topic(self, value: str) -> set[str]:
        return resolve_topic(value, self._topics)

    @staticmethod
    def _resolve(
        values: Sequence[str], code: str, message: str, resolve: Callable[[str], set[str]]
    ) -> set[str]:
        found: set[str] = set()
        for value in values:
            hit = resolve(value)
            if not hit:
                raise FilterError(code, value, f"{message} {value!r}")
            found |= hit
        return found

    def _topic_mask(self, topic: str) -> npt.NDArray[np.bool_]:
        got = self._topic_masks.get(topic)
        if got is None:  # computed on first use; a plain dict store is atomic under the GIL
            got = np.array([topic in e.topics for e in self._excerpts], dtype=bool)
            self._topic_masks[topic] = got
        return got
