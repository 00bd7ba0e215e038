"""Messages of /daily, the daily insight post, its unsubscribe button and /preview."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from bot.render.html import esc
from bot.schedule import describe_weekdays
from bot.texts import Lang, pick

_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_LABELS_ZH = {"daily": "每天", "mon-fri": "工作日", "sat,sun": "周末"}


def when(lang: Lang, moment: datetime) -> str:
    """A local date and time: 'Tue 24 Nov, 08:30' / '11月24日 周二 08:30'."""
    day = moment.weekday()
    if lang == "zh":
        return f"{moment.month}月{moment.day}日 {_WEEKDAYS_ZH[day]} {moment:%H:%M}"
    return f"{_WEEKDAYS_EN[day]} {moment.day} {moment:%b}, {moment:%H:%M}"


def days(lang: Lang, mask: int) -> str:
    """The weekdays of a subscription in words."""
    label = describe_weekdays(mask)
    if lang == "zh":
        if label in _DAY_LABELS_ZH:
            return _DAY_LABELS_ZH[label]
        return "、".join(_WEEKDAYS_ZH[i] for i in range(7) if mask >> i & 1)
    return {"daily": "every day", "mon-fri": "Mon–Fri", "sat,sun": "weekends"}.get(label, label)


def langs_label(lang: Lang, langs: str) -> str:
    """Which languages the excerpts come in."""
    if langs == "both":
        return pick(lang, "English and Chinese, alternating", "中英文交替")
    if langs == "zh":
        return pick(lang, "Chinese", "中文")
    return pick(lang, "English", "英文")


def sub_line(
    lang: Lang, topic: str, at: time, tz: str, mask: int, langs: str, nxt: datetime | None
) -> str:
    """One subscription in the /daily overview."""
    subject = (
        f"<b>{esc(topic)}</b>" if topic else pick(lang, "<b>all topics</b>", "<b>全部话题</b>")
    )
    head = f"• {subject}: {at:%H:%M} {esc(tz)}, {days(lang, mask)}; {langs_label(lang, langs)}"
    if nxt is not None:
        head += "\n  " + pick(lang, "next: ", "下一次：") + when(lang, nxt)
    return head


def overview(lang: Lang, lines: Sequence[str]) -> str:
    """/daily with no arguments."""
    if not lines:
        return pick(
            lang,
            "This chat gets no daily insight yet.\n" + usage(lang),
            "本聊天还没有订阅每日洞见。\n" + usage(lang),
        )
    title = pick(lang, "<b>Daily insights in this chat</b>", "<b>本聊天的每日洞见</b>")
    return title + "\n" + "\n".join(lines) + "\n\n" + usage(lang)


def usage(lang: Lang) -> str:
    """How to use /daily."""
    return pick(
        lang,
        "<code>/daily 08:30</code> · <code>/daily 08:30 Asia/Shanghai</code> · "
        "<code>/daily 08:30 mon-fri</code> · <code>/daily topic reasoning</code> · "
        "<code>/daily en|zh|both</code> · <code>/daily tz</code> · <code>/daily off</code>",
        "<code>/daily 08:30</code> · <code>/daily 08:30 Asia/Shanghai</code> · "
        "<code>/daily 08:30 工作日</code> · <code>/daily topic reasoning</code> · "
        "<code>/daily en|zh|both</code> · <code>/daily tz</code>（时区）· <code>/daily off</code>",
    )


def subscribed(lang: Lang, line: str) -> str:
    """A new subscription."""
    return pick(lang, "Subscribed to daily insights:\n", "已订阅每日洞见：\n") + line


def updated(lang: Lang, line: str) -> str:
    """A changed subscription."""
    return pick(lang, "Updated:\n", "已更新：\n") + line


def stopped(lang: Lang, topic: str | None) -> str:
    """/daily off."""
    if topic:
        return pick(
            lang,
            f"Stopped the daily insight on <b>{esc(topic)}</b>.",
            f"已停止话题 <b>{esc(topic)}</b> 的每日洞见。",
        )
    return pick(
        lang,
        "Daily insights are off for this chat. <code>/daily 09:00</code> turns them back on.",
        "本聊天的每日洞见已关闭。发送 <code>/daily 09:00</code> 可重新开启。",
    )


def nothing_to_stop(lang: Lang) -> str:
    """/daily off without a subscription."""
    return pick(lang, "There was no daily insight to stop.", "本来就没有订阅每日洞见。")


def limit(lang: Lang, n: int) -> str:
    """Too many subscriptions in one chat."""
    return pick(
        lang,
        f"A chat can have at most {n} daily subscriptions; stop one with "
        "<code>/daily topic SLUG off</code> first.",
        f"每个聊天最多 {n} 个每日订阅；请先用 <code>/daily topic 话题 off</code> 停掉一个。",
    )


def zone_set(lang: Lang, tz: str, now: datetime) -> str:
    """The chat's time zone changed."""
    return pick(
        lang,
        f"Time zone set to <b>{esc(tz)}</b> (now {now:%H:%M} there).",
        f"时区已设为 <b>{esc(tz)}</b>（当地现在 {now:%H:%M}）。",
    )


def pick_zone(lang: Lang) -> str:
    """The time-zone keyboard's message."""
    return pick(
        lang,
        "Pick this chat's time zone, or type one: <code>/daily tz Europe/Paris</code>.",
        "选择本聊天的时区，或直接输入：<code>/daily tz Asia/Shanghai</code>。",
    )


def bad_word(lang: Lang, word: str, expected: str) -> str:
    """A /daily argument that was not understood."""
    shown = f"<code>{esc(word[:40])}</code>" if word else pick(lang, "(nothing)", "（空）")
    if expected == "zone":
        return pick(
            lang,
            f"{shown} is not a time zone I know. Use an IANA name such as "
            "<code>Asia/Shanghai</code> or <code>America/New_York</code>, or <code>UTC+8</code>.",
            f"不认识时区 {shown}。请用 IANA 名称，例如 <code>Asia/Shanghai</code>、"
            "<code>America/New_York</code>，或 <code>UTC+8</code>。",
        )
    if expected == "topic":
        return pick(
            lang,
            f"{shown} is not a topic slug. Example: <code>/daily topic reasoning</code>.",
            f"{shown} 不是话题标识。例如：<code>/daily topic reasoning</code>。",
        )
    return pick(
        lang,
        f"I did not understand {shown}.\n" + usage(lang),
        f"没看懂 {shown}。\n" + usage(lang),
    )


def unknown_topic(lang: Lang, topic: str, known: Sequence[str]) -> str:
    """A topic with no excerpts."""
    listed = ", ".join(f"<code>{esc(t)}</code>" for t in sorted(known)[:40])
    return pick(
        lang,
        f"No excerpts are tagged <b>{esc(topic)}</b>. Topics: {listed}",
        f"没有标记为 <b>{esc(topic)}</b> 的摘录。可用话题：{listed}",
    )


def admins_only(lang: Lang) -> str:
    """A non-admin tried to change a group's subscription."""
    return pick(
        lang,
        "Only the group's admins can change its daily insight.",
        "只有群管理员可以更改本群的每日洞见。",
    )


def header(lang: Lang, topic: str | None) -> str:
    """The first line of a daily post."""
    base = pick(lang, "💡 <b>Daily insight</b>", "💡 <b>每日洞见</b>")
    return f"{base} · {esc(topic)}" if topic else base


def think(lang: Lang) -> str:
    """Label before the question to think about."""
    return pick(lang, "🤔 <b>Think about it:</b> ", "🤔 <b>想一想：</b>")


def commentary(lang: Lang) -> str:
    """Label before the source's commentary."""
    return pick(lang, "📝 ", "📝 ")


def unsubscribe_button(lang: Lang) -> str:
    """The one-tap unsubscribe button under every daily post."""
    return pick(lang, "🔕 Unsubscribe", "🔕 退订")


def unsubscribed_toast(lang: Lang) -> str:
    """After the unsubscribe button."""
    return pick(lang, "Unsubscribed. /daily turns it back on.", "已退订。发送 /daily 可重新订阅。")


def already_off_toast(lang: Lang) -> str:
    """The unsubscribe button of a subscription that is already off."""
    return pick(lang, "This subscription is already off.", "这个订阅已经关闭了。")


def admins_only_toast(lang: Lang) -> str:
    """A non-admin pressed a group's unsubscribe or zone button."""
    return pick(lang, "Only group admins can do that.", "只有群管理员可以这样做。")


def zone_toast(lang: Lang, tz: str) -> str:
    """After a zone button."""
    return pick(lang, f"Time zone: {tz}", f"时区：{tz}")


def preview_title(lang: Lang, topic: str, n: int) -> str:
    """/preview's first line."""
    subject = topic or pick(lang, "all topics", "全部话题")
    return pick(
        lang,
        f"<b>Next {n} daily picks</b> ({esc(subject)}):",
        f"<b>接下来的 {n} 条每日洞见</b>（{esc(subject)}）：",
    )


def preview_none(lang: Lang) -> str:
    """/preview in a chat without subscriptions."""
    return pick(
        lang,
        "No daily subscription here yet; <code>/daily 09:00</code> starts one.",
        "这里还没有每日订阅；发送 <code>/daily 09:00</code> 开始。",
    )
