"""Every user-visible string, in English and Chinese; one module per feature.

Each message is a function taking `lang` first and returning finished text (HTML-escaped where
it interpolates user or corpus strings), so a missing translation is a type error, not a blank.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


def pick(lang: Lang, en: str, zh: str) -> str:
    """The string for this language."""
    return zh if lang == "zh" else en


def lang_from_code(code: str | None, default: Lang = "en") -> Lang:
    """Map a Telegram language_code ("zh-hans", "en-US", None) to a supported language."""
    if not code:
        return default
    return "zh" if code.lower().startswith("zh") else "en"
