"""/topics, /sources and /speakers."""

from __future__ import annotations

from bot.texts import Lang, pick


def topics_title(lang: Lang) -> str:
    """Heading of /topics."""
    return pick(lang, "<b>Topics</b> (use with /random):", "<b>话题</b>（可用于 /random）：")


def no_topics(lang: Lang) -> str:
    """The corpus has no topic tags."""
    return pick(lang, "No topics are tagged yet. Try /random.", "还没有标注话题，试试 /random。")


def sources_title(lang: Lang) -> str:
    """Heading of /sources."""
    return pick(lang, "<b>Interviews</b>", "<b>访谈</b>")


def excerpts_count(lang: Lang, n: int) -> str:
    """How many excerpts a source or speaker has."""
    return pick(lang, f"{n} excerpts", f"{n} 段")


def speakers_title(lang: Lang) -> str:
    """Heading of /speakers."""
    return pick(lang, "<b>Speakers</b>", "<b>说话人</b>")


def host(lang: Lang) -> str:
    """Marks an interviewer in /speakers."""
    return pick(lang, "interviewer", "主持人")
