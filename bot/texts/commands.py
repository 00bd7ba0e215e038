"""Descriptions shown in Telegram's command menu (set_my_commands), per language."""

from __future__ import annotations

from bot.texts import Lang, pick

_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "start": ("Welcome and what to try", "欢迎和入门"),
    "help": ("Commands and search syntax", "命令和搜索语法"),
    "quote": ("Best matching excerpt: /quote words", "最匹配的一段：/quote 关键词"),
    "search": ("All matches, paged: /search words", "全部匹配，分页：/search 关键词"),
    "random": ("A random excerpt: /random [topic]", "随机一段：/random [话题]"),
    "topics": ("Topics for /random", "/random 可用话题"),
    "sources": ("The interviews", "收录的访谈"),
    "speakers": ("Who speaks", "说话人"),
    "daily": ("Daily insight: /daily 08:30 [zone]", "每日洞见：/daily 08:30 [时区]"),
    "discuss": ("Discussion prompt + poll: /discuss [topic]", "讨论题和投票：/discuss [话题]"),
    "preview": ("Next daily picks (admins)", "接下来的每日内容（管理员）"),
    "lang": ("Language: /lang en|zh", "语言：/lang en|zh"),
    "stats": ("Usage statistics (admins)", "使用统计（管理员）"),
}


def description(lang: Lang, command: str) -> str:
    """The menu description of a command."""
    en, zh = _DESCRIPTIONS[command]
    return pick(lang, en, zh)
