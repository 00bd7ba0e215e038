"""/start and /help."""

from __future__ import annotations

from bot.render.html import esc
from bot.texts import Lang, pick


def welcome(lang: Lang, name: str | None) -> str:
    """/start: who the bot is and what to try first."""
    hello = (
        pick(lang, f"Hi {esc(name)}!", f"你好，{esc(name)}！")
        if name
        else pick(lang, "Hi!", "你好！")
    )
    return (
        hello
        + "\n\n"
        + pick(
            lang,
            "I know five long interviews with AI research leaders — Mark Chen, Jakub Pachocki, "
            "Jerry Tworek and Shunyu Yao — in English and Chinese, and I find the passage you "
            "are thinking of.\n\n"
            "Try:\n"
            "• <code>/quote vibe researching</code> — the best match as a card\n"
            "• <code>/quote 下半场</code> — Chinese works too\n"
            "• <code>/search reinforcement learning</code> — a list of matches\n"
            "• /random — a surprise excerpt\n"
            "• or just send me a few words.\n\n"
            "/help lists every command. /lang zh switches me to Chinese.",
            "我读过五篇 AI 研究领袖的长访谈（Mark Chen、Jakub Pachocki、Jerry Tworek、姚顺雨），"
            "中英文都有，可以帮你找到想引用的那段话。\n\n"
            "试试：\n"
            "• <code>/quote 下半场</code> — 最匹配的一段，以卡片展示\n"
            "• <code>/quote vibe researching</code> — 英文也可以\n"
            "• <code>/search 强化学习</code> — 匹配结果列表\n"
            "• /random — 随机一段\n"
            "• 或者直接发几个词给我。\n\n"
            "/help 查看全部命令，/lang en 切换为英文。",
        )
    )


def help_text(lang: Lang, group: bool, bot_username: str) -> str:
    """/help: every command and the search syntax, with examples in both languages."""
    body = pick(
        lang,
        "<b>Commands</b>\n"
        "/quote <i>words</i> — the best matching excerpt as a card\n"
        "/search <i>words</i> — all matches, a few per page\n"
        "/random [<i>topic</i>] — a random excerpt, optionally on a topic\n"
        "/topics — the topics you can ask /random for\n"
        "/sources — the interviews I know\n"
        "/speakers — who speaks in them\n"
        "/lang en|zh — my language (group admins set it for a group)\n"
        "/help — this message\n\n"
        "<b>Searching</b>\n"
        "Words in either language: <code>/quote scaling laws</code>, <code>/quote 强化学习</code>\n"
        'An exact phrase in quotes: <code>/search "vibe researching"</code> '
        "(where no passage has those exact words, you get the closest)\n"
        "Leave a word out with a minus: <code>/search agents -coding</code>\n"
        "Filters: <code>speaker:yao</code>, <code>source:a16z</code>, "
        "<code>topic:reasoning</code>, <code>lang:zh</code>, "
        "e.g. <code>/search speaker:tworek 泛化</code>\n\n"
        "<b>Cards</b>\n"
        "Under each card: ◀ ▶ other matches, 📜 the passages around it, 💬 the full "
        "commentary and translation, ↗ share it in any chat.\n"
        f"Inline: type <code>@{esc(bot_username)} words</code> in any chat.",
        "<b>命令</b>\n"
        "/quote <i>关键词</i> — 最匹配的一段，以卡片展示\n"
        "/search <i>关键词</i> — 全部匹配结果，分页显示\n"
        "/random [<i>话题</i>] — 随机一段，可指定话题\n"
        "/topics — /random 可用的话题\n"
        "/sources — 收录的访谈\n"
        "/speakers — 访谈中的说话人\n"
        "/lang en|zh — 切换语言（群里由管理员设置）\n"
        "/help — 本帮助\n\n"
        "<b>搜索</b>\n"
        "中英文关键词都可以：<code>/quote 强化学习</code>、<code>/quote scaling laws</code>\n"
        '用引号搜索完整短语：<code>/search "vibe researching"</code>'
        "（没有一字不差的原话时，给出最接近的段落）\n"
        "用减号排除词语：<code>/search agents -coding</code>\n"
        "筛选：<code>speaker:yao</code>、<code>source:a16z</code>、<code>topic:reasoning</code>、"
        "<code>lang:en</code>，例如 <code>/search speaker:yao 下半场</code>\n\n"
        "<b>卡片按钮</b>\n"
        "◀ ▶ 其他匹配，📜 前后文，💬 完整解读和译文，↗ 分享到任意聊天。\n"
        f"行内模式：在任意聊天输入 <code>@{esc(bot_username)} 关键词</code>。",
    )
    if group:
        body += "\n\n" + pick(
            lang,
            "In groups I answer commands, mentions and replies to my messages.",
            "在群里我只回应命令、@我 的消息和回复我的消息。",
        )
    return body
