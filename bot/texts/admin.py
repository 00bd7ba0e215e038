"""/stats and the error report sent to admins."""

from __future__ import annotations

from bot.render.html import esc
from bot.texts import Lang, pick


def stats(
    lang: Lang,
    uptime: str,
    chats: int,
    queries_today: int,
    top: list[tuple[str, int]],
    misses: list[tuple[str, int]],
) -> str:
    """/stats: uptime, chats, queries today, top queries and misses."""

    def listing(rows: list[tuple[str, int]]) -> str:
        if not rows:
            return pick(lang, "  (none yet)", "  （暂无）")
        return "\n".join(f"  {n}× <code>{esc(q)}</code>" for q, n in rows)

    return pick(
        lang,
        f"<b>Stats</b>\nUptime: {uptime}\nChats seen: {chats}\nQueries today: {queries_today}\n"
        f"Top queries:\n{listing(top)}\nMisses (no match):\n{listing(misses)}",
        f"<b>统计</b>\n运行时间：{uptime}\n见过的聊天：{chats}\n今日查询：{queries_today}\n"
        f"热门查询：\n{listing(top)}\n未命中查询：\n{listing(misses)}",
    )


def error_report(error: str, where: str) -> str:
    """Message to admins when a handler raised; both arguments are plain text."""
    return f"⚠️ <b>insightbot error</b>\n<code>{esc(where)}</code>\n<pre>{esc(error)}</pre>"
