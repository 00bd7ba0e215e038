"""Text normalisation for matching: NFKC, case, width, traditional→simplified, compact forms."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources

# Characters that only get in the way of matching: controls, zero-widths, bidi marks.
_INVISIBLE = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
# Everything that is neither a letter/digit nor a CJK ideograph: dropped in the compact form.
_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")

_t2s_lock = threading.Lock()
_t2s_state: dict[str, object] = {}


def _traditional_chars() -> frozenset[str]:
    """Characters that have a different simplified form (from OpenCC's TSCharacters table)."""
    table = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    chars: set[str] = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp and simp.split()[0] != trad:
            chars.add(trad)
    return frozenset(chars)


def _converter() -> tuple[frozenset[str], object]:
    # OpenCC's pure-Python converter is slow; it only runs on text that has a traditional char.
    with _t2s_lock:
        if not _t2s_state:
            from opencc import OpenCC  # type: ignore[import-untyped]

            _t2s_state["chars"] = _traditional_chars()
            _t2s_state["cc"] = OpenCC("t2s")
    chars = _t2s_state["chars"]
    assert isinstance(chars, frozenset)
    return chars, _t2s_state["cc"]


def to_simplified(text: str) -> str:
    """Traditional Chinese → simplified; text without traditional characters is returned as is."""
    chars, cc = _converter()
    if chars.isdisjoint(text):
        return text
    converted: str = cc.convert(text)  # type: ignore[attr-defined]
    return converted


def normalize(text: str) -> str:
    """The form every matcher sees: NFKC (full-width → ASCII), lower case, simplified Chinese."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub(" ", text).casefold()
    return to_simplified(text)


def compact(text: str) -> str:
    """Normalised text with punctuation and spaces removed: for phrase and substring checks."""
    return _NOT_WORD.sub("", normalize(text))


def compact_normalized(normalized: str) -> str:
    """`compact` of text that is already normalised."""
    return _NOT_WORD.sub("", normalized)


@lru_cache(maxsize=4096)
def compact_cached(text: str) -> str:
    """`compact` memoised, for repeated checks on the same excerpt fields."""
    return compact(text)


def squash_spaces(text: str) -> str:
    """Collapse runs of whitespace into one space and trim."""
    return _SPACES.sub(" ", text).strip()
