"""Messages of /discuss: the prompt, the poll's answers and what to say when nothing fits."""

from __future__ import annotations

from bot.render.html import esc
from bot.texts import Lang, pick


def header(lang: Lang) -> str:
    """First line of a discussion prompt."""
    return pick(lang, "🗣 <b>Let's discuss</b>", "🗣 <b>一起讨论</b>")


def question_label(lang: Lang) -> str:
    """Label before the open question."""
    return pick(lang, "❓ ", "❓ ")


def poll_options(lang: Lang) -> tuple[str, str, str]:
    """The poll's three answers."""
    if lang == "zh":
        return ("同意", "不同意", "看情况")
    return ("Agree", "Disagree", "It depends")


def poll_prompt(lang: Lang) -> str:
    """The poll question when the open question is too long for a poll (300 chars)."""
    return pick(lang, "Do you agree with the quote?", "你同意这段话吗？")


def nothing(lang: Lang, topic: str | None) -> str:
    """No excerpt with a discussion question fits."""
    if topic:
        return pick(
            lang,
            f"I have no discussion question on <b>{esc(topic)}</b> yet. Try <code>/discuss</code>.",
            f"还没有关于 <b>{esc(topic)}</b> 的讨论题。试试 <code>/discuss</code>。",
        )
    return pick(lang, "No discussion questions are loaded.", "没有加载讨论题。")
