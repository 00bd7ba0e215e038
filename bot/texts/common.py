"""Messages shared by every feature: errors, flood control, languages, fallbacks."""

from __future__ import annotations

from bot.render.html import esc
from bot.texts import Lang, pick


def slow_down(lang: Lang) -> str:
    """Flood control: the one polite notice a user or chat gets per window."""
    return pick(
        lang,
        "🐢 That's a lot of messages at once — please slow down a little; I'll answer again "
        "in a few seconds.",
        "🐢 消息有点多，请稍微慢一点，几秒后我会继续回答。",
    )


def stale_button(lang: Lang) -> str:
    """A button whose data is forged, too old, or points at something that no longer exists."""
    return pick(
        lang,
        "This button no longer works. Please search again.",
        "这个按钮已失效，请重新搜索。",
    )


def something_went_wrong(lang: Lang) -> str:
    """Shown to the user when a handler failed (the admin gets the details)."""
    return pick(
        lang,
        "Sorry, something went wrong on my side. The admin has been told; please try again.",
        "抱歉，我这边出了点问题，已通知管理员，请稍后再试。",
    )


def not_ready(lang: Lang) -> str:
    """The corpus is still loading (only right after start-up)."""
    return pick(
        lang,
        "I'm still loading the transcripts — try again in a moment.",
        "正在加载访谈内容，请稍后再试。",
    )


def unknown_command(lang: Lang, command: str) -> str:
    """A /command the bot does not have."""
    return pick(
        lang,
        f"I don't know /{esc(command)}. Send /help to see what I can do.",
        f"我不认识 /{esc(command)}。发送 /help 查看可用命令。",
    )


def text_only(lang: Lang) -> str:
    """A sticker, photo or other non-text message in a private chat."""
    return pick(
        lang,
        "I can only read text. Send me a few words to search, or /help.",
        "我只能读文字。发几个词给我搜索，或发送 /help。",
    )


def lang_usage(lang: Lang) -> str:
    """/lang without a valid argument."""
    return pick(
        lang,
        "Choose a language: <code>/lang en</code> (English) or <code>/lang zh</code> (中文).",
        "选择语言：<code>/lang en</code>（English）或 <code>/lang zh</code>（中文）。",
    )


def lang_set(lang: Lang) -> str:
    """Confirmation after /lang (in the new language)."""
    return pick(lang, "Done — I'll speak English here.", "好的，我在这里将使用中文。")


def lang_admins_only(lang: Lang) -> str:
    """/lang in a group from someone who is not an admin."""
    return pick(
        lang,
        "Only group admins can change my language here.",
        "只有群管理员可以更改我在本群的语言。",
    )


def admins_only(lang: Lang) -> str:
    """An admin command from someone who is not in ADMIN_USER_IDS."""
    return pick(lang, "That command is for the bot's admins.", "该命令仅供机器人管理员使用。")


def query_trimmed(lang: Lang, limit: int) -> str:
    """A note added when a query was longer than the search accepts."""
    return pick(
        lang,
        f"(Your text was long, so I searched its first {limit} characters.)",
        f"（内容较长，我只搜索了前 {limit} 个字符。）",
    )
