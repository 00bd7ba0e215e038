"""Subscribing and unsubscribing chats to daily insights; each call is one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.daily_args import DailyChange
from bot.db import chats as chats_repo
from bot.db import subscriptions as subs_repo
from bot.db.engine import Database
from bot.db.models import Subscription, utcnow
from bot.insights import LangMode
from bot.schedule import Spec, next_slot, parse_time

MAX_PER_CHAT = 5  # with one delivery per chat per tick this keeps groups far below 20/minute


class Result(StrEnum):
    """What a /daily change did."""

    SHOWN = "shown"
    SUBSCRIBED = "subscribed"
    UPDATED = "updated"
    OFF = "off"
    NOTHING_TO_STOP = "nothing_to_stop"
    LIMIT = "limit"
    ZONE_SET = "zone_set"


@dataclass(frozen=True, slots=True)
class SubView:
    """A subscription as the chat sees it: topic, local time, zone, days and the next delivery."""

    id: int
    topic: str
    at: time
    tz: str
    weekdays: int
    langs: LangMode
    next_at: datetime | None  # aware, in the subscription's zone


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a /daily call and the chat's active subscriptions afterwards."""

    result: Result
    subs: tuple[SubView, ...]
    changed: SubView | None = None


def view(sub: Subscription) -> SubView:
    """A subscription row as an immutable view."""
    nxt = sub.next_due_at.astimezone(ZoneInfo(sub.timezone)) if sub.next_due_at else None
    langs: LangMode = "en" if sub.langs == "en" else "zh" if sub.langs == "zh" else "both"
    return SubView(
        sub.id, sub.topic, time(sub.minute // 60, sub.minute % 60), sub.timezone, sub.weekdays,
        langs, nxt,
    )  # fmt: skip


def reschedule(sub: Subscription, now: datetime) -> None:
    """Recompute the next delivery after a change (never before the last queued local date)."""
    if not sub.active:
        sub.next_due_at = sub.next_local_date = None
        return
    spec = Spec(time(sub.minute // 60, sub.minute % 60), sub.timezone, sub.weekdays)
    slot = next_slot(now, spec, sub.last_local_date)
    sub.next_due_at, sub.next_local_date = slot.due_at, slot.local_date


class SubscriptionService:
    """The /daily command's effects on the subscriptions table."""

    def __init__(
        self,
        db: Database,
        default_time: str = "09:00",
        default_tz: str = "UTC",
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        default = parse_time(default_time)
        self._default_time = default or time(9, 0)
        self._default_tz = default_tz
        self._clock = clock

    async def active(self, chat_id: int) -> tuple[SubView, ...]:
        """The chat's active subscriptions."""
        async with self._db.sessions() as session:
            subs = await subs_repo.for_chat(session, chat_id)
            return tuple(view(s) for s in subs if s.active)

    async def zone_of(self, chat_id: int) -> str:
        """The chat's time zone (set with /daily tz), else the configured default."""
        async with self._db.sessions() as session:
            chat = await chats_repo.get(session, chat_id)
        return chat.timezone if chat and chat.timezone else self._default_tz

    async def apply(
        self,
        chat_id: int,
        chat_type: str,
        title: str | None,
        change: DailyChange,
        default_langs: LangMode,
    ) -> Outcome:
        """Subscribe, update or unsubscribe as `change` says."""
        now = self._clock()
        topic = change.topic or ""
        async with self._db.sessions.begin() as session:
            chat = await chats_repo.ensure(session, chat_id, chat_type, title)
            if change.show:
                result = Result.SHOWN
                changed = None
            elif (
                change.tz is not None
                and change.at is None
                and change.topic is None
                and not (change.weekdays or change.langs)
            ):
                result, changed = await self._set_zone(session, chat_id, change.tz, now)
                chat.timezone = change.tz
            elif change.off:
                result, changed = await self._off(session, chat_id, change.topic, now)
            else:
                sub = await subs_repo.find(session, chat_id, topic)
                if (sub is None or not sub.active) and await subs_repo.count_active(
                    session, chat_id
                ) >= MAX_PER_CHAT:
                    result, changed = Result.LIMIT, None
                else:
                    fresh = sub is None or not sub.active
                    if sub is None:
                        sub = Subscription(chat_id=chat_id, topic=topic, last_local_date=None)
                        session.add(sub)
                        sub.minute = self._default_time.hour * 60 + self._default_time.minute
                        sub.timezone = chat.timezone or self._default_tz
                        sub.weekdays = 0b1111111
                        sub.langs = default_langs
                    sub.active, sub.ended_reason = True, None
                    if change.at is not None:
                        sub.minute = change.at.hour * 60 + change.at.minute
                    if change.tz is not None:
                        sub.timezone = change.tz
                        chat.timezone = chat.timezone or change.tz
                    if change.weekdays is not None:
                        sub.weekdays = change.weekdays
                    if change.langs is not None:
                        sub.langs = change.langs
                    reschedule(sub, now)
                    await session.flush()
                    result = Result.SUBSCRIBED if fresh else Result.UPDATED
                    changed = view(sub)
            subs = tuple(view(s) for s in await subs_repo.for_chat(session, chat_id) if s.active)
        return Outcome(result, subs, changed)

    async def _off(
        self, session: AsyncSession, chat_id: int, topic: str | None, now: datetime
    ) -> tuple[Result, SubView | None]:
        subs = [s for s in await subs_repo.for_chat(session, chat_id) if s.active]
        if topic is not None:
            subs = [s for s in subs if s.topic == topic]
        for sub in subs:
            sub.active, sub.ended_reason = False, "unsubscribed"
            reschedule(sub, now)
        return (Result.OFF if subs else Result.NOTHING_TO_STOP), None

    async def _set_zone(
        self, session: AsyncSession, chat_id: int, tz: str, now: datetime
    ) -> tuple[Result, SubView | None]:
        for sub in await subs_repo.for_chat(session, chat_id):
            sub.timezone = tz
            reschedule(sub, now)
        return Result.ZONE_SET, None

    async def set_zone(self, chat_id: int, chat_type: str, title: str | None, tz: str) -> Outcome:
        """Set the chat's zone and move every subscription to it (the zone keyboard)."""
        return await self.apply(chat_id, chat_type, title, DailyChange(tz=tz), "both")

    async def off_by_id(self, chat_id: int, subscription_id: int) -> bool:
        """The unsubscribe button: switch one subscription off if it belongs to this chat."""
        async with self._db.sessions.begin() as session:
            sub = await subs_repo.get(session, subscription_id)
            if sub is None or sub.chat_id != chat_id or not sub.active:
                return False
            sub.active, sub.ended_reason = False, "unsubscribe button"
            reschedule(sub, self._clock())
            return True
