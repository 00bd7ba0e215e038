"""/daily (subscribe, change, stop), /preview, and the unsubscribe and time-zone buttons."""

from __future__ import annotations

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot import daily_args
from bot.context import BotApp, Context
from bot.handlers.admins import may_manage
from bot.handlers.common import answer, lang_of
from bot.insights import LangMode
from bot.render import insight as render
from bot.render.reply import Reply
from bot.schedule import COMMON_ZONES
from bot.services.subscriptions import MAX_PER_CHAT, Outcome, Result, SubView
from bot.texts import Lang
from bot.texts import common as tc
from bot.texts import daily as t

PREVIEW_COUNT = 5


def _line(lang: Lang, sub: SubView) -> str:
    return t.sub_line(lang, sub.topic, sub.at, sub.tz, sub.weekdays, sub.langs, sub.next_at)


def _text(lang: Lang, outcome: Outcome, topic: str | None, zone: str | None = None) -> str:
    lines = [_line(lang, s) for s in outcome.subs]
    changed = _line(lang, outcome.changed) if outcome.changed else ""
    match outcome.result:
        case Result.SUBSCRIBED:
            return t.subscribed(lang, changed)
        case Result.UPDATED:
            return t.updated(lang, changed)
        case Result.OFF:
            return t.stopped(lang, topic)
        case Result.NOTHING_TO_STOP:
            return t.nothing_to_stop(lang)
        case Result.LIMIT:
            return t.limit(lang, MAX_PER_CHAT)
        case Result.ZONE_SET:
            tz = zone or (outcome.subs[0].tz if outcome.subs else "UTC")
            head = t.zone_set(lang, tz, datetime.now(ZoneInfo(tz)))
            return head + ("\n" + "\n".join(lines) if lines else "")
        case _:
            return t.overview(lang, lines)


async def daily(update: Update, context: Context) -> None:
    """Show, set or stop the chat's daily insights."""
    lang = await lang_of(update, context)
    chat, svc = update.effective_chat, context.services.daily
    if chat is None or svc is None:
        await answer(update, Reply(tc.not_ready(lang)))
        return
    change = daily_args.parse(list(context.args or ()))
    if isinstance(change, daily_args.ParseError):
        await answer(update, Reply(t.bad_word(lang, change.word, change.expected)))
        return
    if not change.show and not await may_manage(update, context):
        await answer(update, Reply(t.admins_only(lang)))
        return
    if change.pick_zone:
        await answer(update, Reply(t.pick_zone(lang), render.zone_keyboard(COMMON_ZONES)))
        return
    if change.topic and not change.off and not svc.insights.has_topic(change.topic):
        await answer(
            update, Reply(t.unknown_topic(lang, change.topic, sorted(svc.insights.topics())))
        )
        return
    langs: LangMode = lang
    outcome = await svc.subscriptions.apply(chat.id, chat.type, chat.title, change, langs)
    await answer(update, Reply(_text(lang, outcome, change.topic, change.tz)))


async def preview(update: Update, context: Context) -> None:
    """Admins: the next few excerpts each subscription of this chat will deliver."""
    lang = await lang_of(update, context)
    chat, svc = update.effective_chat, context.services.daily
    if chat is None or svc is None:
        await answer(update, Reply(tc.not_ready(lang)))
        return
    if not await may_manage(update, context):
        await answer(update, Reply(t.admins_only(lang)))
        return
    items = await svc.insights.preview(chat.id, PREVIEW_COUNT)
    if not items:
        await answer(update, Reply(t.preview_none(lang)))
        return
    blocks = []
    for item in items:
        lines = [t.preview_title(lang, item.topic, len(item.excerpts))]
        for n, excerpt in enumerate(item.excerpts, start=1):
            lines.append(render.preview_line(n, excerpt, svc.insights.source_of(excerpt), lang))
        blocks.append("\n".join(lines))
    await answer(update, Reply("\n\n".join(blocks)))


async def button(update: Update, context: Context) -> None:
    """The unsubscribe button under a daily post, and the time-zone keyboard."""
    query, chat, svc = update.callback_query, update.effective_chat, context.services.daily
    if query is None:
        return
    lang = await lang_of(update, context)
    if chat is None or svc is None:
        await query.answer(tc.not_ready(lang))
        return
    if not await may_manage(update, context):
        await query.answer(t.admins_only_toast(lang), show_alert=True)
        return
    data = query.data or ""
    subscription_id = render.parse_unsubscribe(data)
    if subscription_id is not None:
        done = await svc.subscriptions.off_by_id(chat.id, subscription_id)
        await query.answer(t.unsubscribed_toast(lang) if done else t.already_off_toast(lang))
        with contextlib.suppress(BadRequest):  # already edited, or too old to edit
            await query.edit_message_reply_markup(None)  # the post stays; its button goes
        return
    zone = data.removeprefix(render.ZONE_PREFIX)
    if zone in COMMON_ZONES:
        outcome = await svc.subscriptions.set_zone(chat.id, chat.type, chat.title, zone)
        await query.answer(t.zone_toast(lang, zone))
        await query.edit_message_text(_text(lang, outcome, None, zone))
        return
    await query.answer(tc.stale_button(lang))


def register(app: BotApp) -> None:
    """The buttons (the commands themselves are in the one command table, handlers/menu.py)."""
    app.add_handler(CallbackQueryHandler(button, pattern=r"^dly:"))
