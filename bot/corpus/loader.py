"""load_corpus(dir): manifest -> parsers -> normalise -> dedupe -> ids -> topics -> translations.

Never raises on bad content: every malformed or unknown file becomes a Problem naming a file
and line, and everything else still loads. Transcripts are only read through the manifest; a
file sitting in corpus/transcripts/ without a [[source]] entry is reported, not guessed at.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.manifest import MANIFEST, read_manifest
from bot.corpus.model import (
    UNATTRIBUTED,
    Corpus,
    Dropped,
    Excerpt,
    Problem,
    Severity,
    Source,
)
from bot.corpus.normalize import Normalizer, load_corrections
from bot.corpus.parsers import LayoutError, parser_for
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.sentences import detect_lang
from bot.corpus.topics import TopicTagger, load_topics
from bot.corpus.translations import apply_translations

log = logging.getLogger(__name__)

TRANSCRIPTS = "transcripts"
_SHINGLE = 8  # characters per shingle for near-duplicate detection
_DUPLICATE_COVERAGE = 0.85  # share of an excerpt's shingles found in longer ones
_NOT_WORD = re.compile(r"[\W_]+")


def load_corpus(corpus_dir: Path) -> Corpus:
    """Everything in a corpus directory as one immutable Corpus; problems are listed in it."""
    manifest = read_manifest(corpus_dir)
    normalizer, correction_problems = load_corrections(corpus_dir)
    tagger, topic_problems = load_topics(corpus_dir)
    problems = [*manifest.problems, *correction_problems, *topic_problems]
    problems += _unknown_scopes(normalizer, manifest.sources)
    problems += _unlisted_transcripts(corpus_dir, manifest.files)
    excerpts: list[Excerpt] = []
    dropped: list[Dropped] = []
    for source in manifest.sources:
        result = _parse(corpus_dir, source)
        problems += result.problems
        dropped += result.dropped
        try:
            built, duplicates = _build(source, result.drafts, normalizer, tagger, problems)
        except Exception as exc:  # malformed drafts from a buggy parser: lose one source only
            log.exception("cannot build excerpts of %s", source.file)
            problems.append(Problem(source.file, 1, f"cannot build excerpts: {exc!r}"))
            continue
        excerpts += built
        dropped += duplicates
    excerpts, translation_problems = apply_translations(corpus_dir, excerpts)
    problems += translation_problems
    return Corpus(
        sources=tuple(manifest.sources),
        excerpts=tuple(excerpts),
        problems=tuple(problems),
        dropped=tuple(dropped),
    )


def _parse(corpus_dir: Path, source: Source) -> ParseResult:
    """Read one transcript and run its layout's parser; failures become Problems."""
    text, problem = _read(corpus_dir / source.file, source.file)
    if problem is not None:
        return ParseResult(problems=[problem])
    try:
        parser = parser_for(source.layout)
    except LayoutError as exc:
        return ParseResult(problems=[Problem(source.file, 1, str(exc))])
    try:
        return parser(source, text)
    except Exception as exc:  # a parser bug must cost one source, not the whole bot
        log.exception("parser %s crashed on %s", source.layout, source.file)
        message = f"the {source.layout!r} parser failed on this file: {exc!r}"
        return ParseResult(problems=[Problem(source.file, 1, message)])


def _read(path: Path, name: str) -> tuple[str, Problem | None]:
    """A transcript's text (UTF-8, LF line ends), or the Problem that prevents reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", Problem(name, 1, f"cannot read: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", Problem(name, line, f"not UTF-8 text (byte {exc.start}); save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


@dataclass(slots=True)
class _Pending:
    """A draft after normalisation, before its id and position are known."""

    draft: Draft
    text: str
    key: str  # lower-case letters, digits and Chinese characters only


def _build(
    source: Source,
    drafts: list[Draft],
    normalize: Normalizer,
    tagger: TopicTagger,
    problems: list[Problem],
) -> tuple[list[Excerpt], list[Dropped]]:
    """Normalise one source's drafts, drop near duplicates, and make the Excerpts."""
    pending: list[_Pending] = []
    for draft in drafts:
        text = normalize(draft.text, source.id)
        if not text:
            continue
        if draft.lang not in ("en", "zh"):
            problems.append(
                Problem(
                    source.file,
                    draft.line,
                    f"excerpt language {draft.lang!r} is not en/zh; guessed from the text",
                    Severity.WARNING,
                )
            )
            draft.lang = detect_lang(text)
        if draft.speaker_id is not None and source.speaker(draft.speaker_id) is None:
            problems.append(
                Problem(
                    source.file,
                    draft.line,
                    f"speaker {draft.speaker_id!r} is not listed for this source in {MANIFEST}",
                    Severity.WARNING,
                )
            )
            draft.speaker_id = None
        pending.append(_Pending(draft, text, _NOT_WORD.sub("", text.casefold())))
    kept, duplicates = _drop_near_duplicates(source, pending)
    excerpts = []
    for position, (item, excerpt_id) in enumerate(zip(kept, _ids(source, kept), strict=True)):
        excerpts.append(_excerpt(source, item, excerpt_id, position, normalize, tagger))
    return excerpts, duplicates


def _excerpt(
    source: Source,
    item: _Pending,
    excerpt_id: str,
    position: int,
    normalize: Normalizer,
    tagger: TopicTagger,
) -> Excerpt:
    """The immutable Excerpt for one kept draft."""
    draft = item.draft
    speaker = source.speaker(draft.speaker_id) if draft.speaker_id else None
    translation = normalize.optional(draft.translation, source.id)
    commentary = normalize.optional(draft.commentary, source.id)
    section = normalize.optional(draft.section, source.id)
    return Excerpt(
        id=excerpt_id,
        source_id=source.id,
        speaker_id=speaker.id if speaker else None,
        speaker=draft.speaker_label or (speaker.name if speaker else UNATTRIBUTED),
        role=draft.role,
        lang=draft.lang,
        text=item.text,
        text_original=draft.text,
        position=position,
        line=draft.line,
        translation=translation,
        commentary=commentary,
        question=normalize.optional(draft.question, source.id),
        section=section,
        timestamp=draft.timestamp,
        topics=tagger.tag((item.text, translation), (commentary, section)),
    )


def _drop_near_duplicates(
    source: Source, pending: list[_Pending]
) -> tuple[list[_Pending], list[Dropped]]:
    """Drop excerpts whose text is (almost) wholly inside longer excerpts of the same source.

    Cold-open teasers repeat lines from later in the episode; the later, fuller copy is kept.
    """
    shingles = [_shingles(p.key) for p in pending]
    order = sorted(range(len(pending)), key=lambda i: (len(pending[i].key), i))
    rank = {index: n for n, index in enumerate(order)}
    # Excerpts are visited shortest first, so every longer one is still present when a
    # shorter one is judged: a shingle is covered when its highest-ranked holder outranks it.
    top: dict[str, int] = {}
    for index in order:  # ascending rank: the last write is the highest
        top.update(dict.fromkeys(shingles[index], rank[index]))
    removed: set[int] = set()
    for index in order:
        grams = shingles[index]
        if not grams:
            continue
        covered = sum(1 for gram in grams if top[gram] > rank[index])
        if covered / len(grams) >= _DUPLICATE_COVERAGE:
            removed.add(index)
    kept = [p for i, p in enumerate(pending) if i not in removed]
    dropped = [
        Dropped(source.id, pending[i].draft.line, "near duplicate", pending[i].text)
        for i in sorted(removed)
    ]
    return kept, dropped


def _shingles(key: str) -> set[str]:
    """Overlapping character n-grams of a compacted text."""
    if len(key) <= _SHINGLE:
        return {key} if key else set()
    return {key[i : i + _SHINGLE] for i in range(len(key) - _SHINGLE + 1)}


def _ids(source: Source, items: list[_Pending]) -> list[str]:
    """`<prefix>-<8 hex of sha1(text)>`, so an id survives edits elsewhere in the file.

    Identical hashes (identical texts) get "-2", "-3"... in file order.
    """
    prefix = str(source.options.get("prefix", source.id))
    seen: dict[str, int] = {}
    ids = []
    for item in items:
        digest = hashlib.sha1(item.text.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        base = f"{prefix}-{digest}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _unknown_scopes(normalizer: Normalizer, sources: list[Source]) -> list[Problem]:
    """Warn about corrections scoped to source ids the manifest does not have."""
    known = {s.id for s in sources}
    problems = []
    for correction in normalizer.corrections:
        for source_id in sorted((correction.sources or frozenset()) - known):
            problems.append(
                Problem(
                    "corrections.toml",
                    1,
                    f"correction {correction.pattern.pattern!r} names unknown source {source_id!r}",
                    Severity.WARNING,
                )
            )
    return problems


def _unlisted_transcripts(corpus_dir: Path, files: set[str]) -> list[Problem]:
    """Files in transcripts/ that no [[source]] names: they are not loaded, say so."""
    folder = corpus_dir / TRANSCRIPTS
    if not folder.is_dir():
        return []
    listed = {(corpus_dir / f).resolve() for f in files}
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.resolve() not in listed:
            name = path.relative_to(corpus_dir).as_posix()
            problems.append(
                Problem(
                    name,
                    1,
                    f"not listed in {MANIFEST}, so not loaded (add a [[source]] entry)",
                    Severity.WARNING,
                )
            )
    return problems
