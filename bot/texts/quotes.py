"""Messages of quote cards, search lists, random picks and inline results."""

from __future__ import annotations

from bot.render.html import esc
from bot.texts import Lang, pick


def usage_quote(lang: Lang) -> str:
    """/quote with no words."""
    return pick(
        lang,
        "Tell me what to look for, e.g. <code>/quote vibe researching</code> or "
        "<code>/quote 下半场</code>.",
        "告诉我要找什么，例如 <code>/quote 下半场</code> 或 <code>/quote vibe researching</code>。",
    )


def usage_search(lang: Lang) -> str:
    """/search with no words."""
    return pick(
        lang,
        "Tell me what to search for, e.g. <code>/search reinforcement learning</code> or "
        "<code>/search 强化学习</code>.",
        "告诉我要搜索什么，例如 <code>/search 强化学习</code> 或 "
        "<code>/search reinforcement learning</code>。",
    )


def no_match(lang: Lang, query: str, suggestions: tuple[str, ...]) -> str:
    """Nothing matched; offers the index's "did you mean" suggestions."""
    text = pick(
        lang,
        f"Nothing matches <i>{esc(query)}</i>. Try fewer or different words.",
        f"没有找到与 <i>{esc(query)}</i> 相关的内容，试试更少或不同的词。",
    )
    if suggestions:
        joined = ", ".join(f"<code>{esc(s)}</code>" for s in suggestions[:5])
        text += "\n" + pick(lang, f"Did you mean: {joined}?", f"你是不是想找：{joined}？")
    return text


def loosened(lang: Lang, phrases: tuple[str, ...]) -> str:
    """A quoted phrase matched nowhere word for word: what follows is the closest instead."""
    quoted = ", ".join(f"“{esc(p)}”" for p in phrases)
    return pick(
        lang,
        f"<i>No passage has the exact words {quoted}; here are the closest.</i>",
        f"<i>没有原话完全是 {quoted} 的段落，以下是最接近的。</i>",
    )


# Inline tips sit on a button above the results: Telegram allows 64 characters.
def inline_no_match(lang: Lang) -> str:
    """Inline: nothing matched."""
    return pick(lang, "Nothing found · tap for search tips", "没有找到 · 点此查看搜索技巧")


def inline_loosened(lang: Lang) -> str:
    """Inline: a quoted phrase matched nowhere word for word."""
    return pick(lang, "No exact match · the closest passages", "没有一字不差的原话 · 以下最接近")


def inline_refused(lang: Lang) -> str:
    """Inline: the query cannot run as typed (an unknown filter, say)."""
    return pick(lang, "Check the search syntax · tap for tips", "搜索语法有误 · 点此查看技巧")


_FILTERS = "<code>speaker:</code> <code>source:</code> <code>topic:</code> <code>lang:</code>"


def query_error(lang: Lang, code: str | None, arg: str | None, error: str) -> str:
    """The search refused the query; explained per error code, else the index's own words."""
    a = f"<code>{esc(arg or '')}</code>"
    reasons: dict[str, tuple[str, str]] = {
        "unknown_filter": (
            f"{a}: is not a filter; use {_FILTERS}",
            f"{a}: 不是筛选条件，可用 {_FILTERS}",
        ),
        "empty_filter": (
            f"{a}: needs a value, e.g. speaker:yao",
            f"{a}: 后面需要一个值，例如 speaker:yao",
        ),
        "bad_lang": (f"lang:{a} — use lang:en or lang:zh", f"lang:{a} — 请用 lang:en 或 lang:zh"),
        "unknown_speaker": (
            f"nobody called {a} speaks here (see /speakers)",
            f"没有叫 {a} 的说话人（见 /speakers）",
        ),
        "unknown_source": (
            f"no interview matches {a} (see /sources)",
            f"没有匹配 {a} 的访谈（见 /sources）",
        ),
        "unknown_topic": (f"no topic {a} (see /topics)", f"没有话题 {a}（见 /topics）"),
        "empty_query": ("there is nothing to search for", "没有可搜索的内容"),
    }
    en, zh = reasons.get(code or "", (esc(error), esc(error)))
    return pick(
        lang,
        f"I can't search that: {en}. Send /help for the search syntax.",
        f"无法搜索：{zh}。发送 /help 查看搜索语法。",
    )


def not_found(lang: Lang, excerpt_id: str) -> str:
    """A deep link or share to an excerpt id that does not exist (any more)."""
    return pick(
        lang,
        f"I can't find excerpt <code>{esc(excerpt_id)}</code>. Try /random or a search.",
        f"找不到摘录 <code>{esc(excerpt_id)}</code>。试试 /random 或搜索。",
    )


def unknown_topic(lang: Lang, topic: str) -> str:
    """/random with a topic that has no excerpts."""
    return pick(
        lang,
        f"No excerpts on <i>{esc(topic)}</i>. See /topics for the list.",
        f"没有关于 <i>{esc(topic)}</i> 的摘录。发送 /topics 查看话题列表。",
    )


def position(lang: Lang, n: int, total: int) -> str:
    """Where a card sits among the matches."""
    return pick(lang, f"{n}/{total}", f"第 {n}/{total} 条")


def page_of(lang: Lang, page: int, pages: int, total: int) -> str:
    """The header of a search list page."""
    return pick(
        lang, f"page {page}/{pages}, {total} matches", f"第 {page}/{pages} 页，共 {total} 条"
    )


def commentary_label(lang: Lang) -> str:
    """Label before the source's commentary."""
    return pick(lang, "Commentary", "解读")


def translation_label(lang: Lang) -> str:
    """Label before the source's translation."""
    return pick(lang, "Translation", "译文")


def machine_translation_label(lang: Lang) -> str:
    """Label before a translation the corpus added (corpus/translations/), not the source's."""
    return pick(lang, "Machine translation", "机器翻译")


def question_label(lang: Lang) -> str:
    """Label before the interviewer's question."""
    return pick(lang, "Asked", "提问")


def context_title(lang: Lang) -> str:
    """Heading of the context view."""
    return pick(lang, "In context", "上下文")


def context_before(lang: Lang) -> str:
    """Label of the excerpt before."""
    return pick(lang, "Before", "前文")


def context_after(lang: Lang) -> str:
    """Label of the excerpt after."""
    return pick(lang, "After", "后文")


def context_edge(lang: Lang) -> str:
    """Shown when the excerpt is the first or last of its transcript."""
    return pick(lang, "(start or end of the transcript)", "（已到访谈开头或结尾）")


def btn_prev(lang: Lang) -> str:
    """Button: previous match."""
    return pick(lang, "◀ Prev", "◀ 上一条")


def btn_next(lang: Lang) -> str:
    """Button: next match."""
    return pick(lang, "Next ▶", "下一条 ▶")


def btn_context(lang: Lang) -> str:
    """Button: show the surrounding excerpts."""
    return pick(lang, "📜 Context", "📜 上下文")


def btn_more(lang: Lang) -> str:
    """Button: show full commentary and translation."""
    return pick(lang, "💬 More", "💬 展开")


def btn_less(lang: Lang) -> str:
    """Button: back to the short card."""
    return pick(lang, "↩ Card", "↩ 返回")


def btn_share(lang: Lang) -> str:
    """Button: share through inline mode."""
    return pick(lang, "↗ Share", "↗ 分享")


def btn_another(lang: Lang) -> str:
    """Button: another random excerpt."""
    return pick(lang, "🎲 Another", "🎲 再来一条")


def btn_open(n: int) -> str:
    """Button: open the n-th match of a list."""
    return f"#{n}"


def more_hint(lang: Lang) -> str:
    """Under a card whose commentary or translation was shortened."""
    return pick(lang, "Tap 💬 More for the full text.", "点 💬 展开 查看全文。")


def unattributed(lang: Lang) -> str:
    """Speaker label when the source does not say who spoke."""
    return pick(lang, "unattributed", "未标注说话人")
