"""Regular English inflections, to tell a real word the corpus lacks from a typo of one it has."""

from __future__ import annotations

import re
from collections.abc import Container

_VOWELS = "aeiou"
_ES = re.compile(r"(s|sh|ch|x|z|o)$")


def inflections(base: str) -> set[str]:
    """The regular plural, past and -ing forms of a base word ("embed" → embeds, embedded,
    embedding; "centralize" → centralized; "try" → tries). Conservative on purpose: a form it
    misses is merely treated as a possible typo, a form it invents would hide a real typo."""
    out = {base, base + "s"}
    if _ES.search(base):
        out.add(base + "es")
    if base.endswith("e"):
        out |= {base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        out |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif (
        len(base) > 2
        and base[-1] not in _VOWELS + "wxy"
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
    ):
        # Consonant-vowel-consonant doubles ("embedding"); "embeding" stays a typo.
        out |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    else:
        out |= {base + "ed", base + "ing"}
    return out


def is_inflected_form(word: str, bases: Container[str]) -> bool:
    """Whether a lower-case word is one of `bases` or a regular inflection of one."""
    for cut in range(min(len(word) - 1, 4) + 1):
        stem = word[: len(word) - cut]
        for base in (stem, stem + "e", stem + "y"):
            if base in bases and word in inflections(base):
                return True
    return False
