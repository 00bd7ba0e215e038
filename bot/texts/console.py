"""Messages of the terminal: `insightbot chat` and `insightbot run` start-up."""

from __future__ import annotations

from bot.texts import Lang, pick


def banner(lang: Lang, excerpts: int, sources: int) -> str:
    """First lines of `insightbot chat`."""
    return pick(
        lang,
        f"insightbot chat — {excerpts} excerpts from {sources} interviews. Type /help, a command, "
        "or just words to search; a number presses a button; Ctrl-D or /quit leaves.",
        f"insightbot chat — {sources} 篇访谈，{excerpts} 段摘录。输入 /help、命令或关键词；"
        "输入数字按下按钮；Ctrl-D 或 /quit 退出。",
    )


def no_such_button(lang: Lang) -> str:
    """A number that is not one of the buttons shown."""
    return pick(lang, "No button with that number.", "没有这个编号的按钮。")


def share_hint(lang: Lang, query: str) -> str:
    """What "share" does in Telegram, since the terminal cannot switch to inline mode."""
    return pick(
        lang,
        f"In Telegram this opens inline mode with: @bot {query}",
        f"在 Telegram 中这会打开行内模式：@bot {query}",
    )


def no_token() -> str:
    """`insightbot run` without TELEGRAM_BOT_TOKEN: one paragraph, for the operator."""
    return (
        "insightbot: no Telegram bot token. Open Telegram, talk to @BotFather, send /newbot and "
        "follow its questions; it replies with a token like 123456789:AAE... Put it in the "
        "environment as TELEGRAM_BOT_TOKEN=<token>, or in a file named .env in the directory you "
        "run insightbot from (copy config/.env.example to .env and fill it in). To try the bot "
        "without Telegram, run: insightbot chat"
    )


def starting(excerpts: int) -> str:
    """Logged when the bot starts (polling or webhook: the server logs its own address)."""
    return f"insightbot starting with {excerpts} excerpts"
