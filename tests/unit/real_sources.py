"""Shared helpers for the per-layout tests that parse the real transcripts in corpus/."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from bot.corpus.manifest import read_manifest
from bot.corpus.model import Source
from bot.corpus.parsers.base import Draft, ParseResult

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def squeeze(text: str | None) -> str:
    """Text without whitespace: PDF and ASR spacing must not decide a match."""
    return re.sub(r"\s+", "", text or "")


def real_source(source_id: str) -> tuple[Source, str]:
    """The manifest entry (as the loader passes it) and the raw text of one real transcript."""
    found = next(s for s in read_manifest(CORPUS).sources if s.id == source_id)
    source = dataclasses.replace(found, options={**found.options, "corpus_dir": str(CORPUS)})
    return source, (CORPUS / source.file).read_text(encoding="utf-8")


def only_draft(result: ParseResult, words: str) -> Draft:
    """The one excerpt holding these words; failing if none or several do."""
    found = [d for d in result.drafts if squeeze(words) in squeeze(d.text)]
    assert len(found) == 1, f"{words!r} is in {len(found)} excerpts"
    return found[0]
