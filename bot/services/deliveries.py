"""The daily delivery run: due subscriptions -> ledger -> claimed -> paced sends -> settled.

Exactly-once rests on three facts: the ledger's unique (subscription, local date) key, so a
day is queued once whatever the number of replicas or restarts; a claim lease, so a crashed
worker's unstarted deliveries are picked up again; and the `sending` state committed before the
request, so a delivery whose worker died mid-request is marked `unknown` and never sent twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.db import chats as chats_repo
from bot.db import ledger
from bot.db import subscriptions as subs_repo
from bot.db.engine import Database
from bot.db.models import Delivery, utcnow
from bot.observability.metrics import METRICS
from bot.render.reply import Reply
from bot.schedule import Spec, due_today, next_slot
from bot.services.budget import SendBudget
from bot.services.daily import InsightService
from bot.services.delivery_errors import Verdict, classify

_log = logging.getLogger(__name__)

SCHEDULE_BATCH = 500
MAX_ATTEMPTS = 6


def worker_id() -> str:
    """A name for this process in the ledger: host, pid and a random suffix."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(slots=True)
class RunReport:
    """What one drain of the queue did, by outcome."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    unknown: int = 0
    lost: int = 0  # leases taken over by another replica
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Job:
    delivery_id: int
    subscription_id: int
    chat_id: int


class DeliveryRunner:
    """Drains due deliveries with a few concurrent senders under the shared send budget."""

    def __init__(
        self,
        db: Database,
        insights: InsightService,
        budget: SendBudget,
        *,
        lease_seconds: float = 120,
        concurrency: int = 4,
        worker: str | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._insights = insights
        self._budget = budget
        self._lease = timedelta(seconds=lease_seconds)
        self._concurrency = max(1, concurrency)
        self.worker = worker or worker_id()
        self._clock = clock
        self._task: asyncio.Task[RunReport] | None = None
        self._stopping = False
        self.last_report: RunReport | None = None

    # -- scheduling -----------------------------------------------------------------------

    async def schedule_due(self) -> int:
        """Queue a ledger row for every subscription due now; advance their next delivery."""
        queued = 0
        while True:
            now = self._clock()
            async with self._db.sessions.begin() as session:
                await ledger.expire_in_flight(session, now)
                subs = await subs_repo.due(session, now, SCHEDULE_BATCH)
                for sub in subs:
                    spec = Spec(time(sub.minute // 60, sub.minute % 60), sub.timezone, sub.weekdays)
                    # Late is fine within the same local day (the bot was down); older is missed.
                    slot = due_today(now, spec, sub.last_local_date)
                    if slot is not None:
                        if await ledger.queue(session, sub.id, sub.chat_id, slot.local_date, now):
                            queued += 1
                        sub.last_local_date = slot.local_date
                    nxt = next_slot(now, spec, sub.last_local_date)
                    sub.next_due_at, sub.next_local_date = nxt.due_at, nxt.local_date
            if len(subs) < SCHEDULE_BATCH:
                return queued

    # -- the run ---------------------------------------------------------------------------

    def kick(self, bot: Bot) -> bool:
        """Start a drain unless one is running (the JobQueue tick calls this); True if started."""
        if self._stopping or (self._task is not None and not self._task.done()):
            return False
        self._task = asyncio.create_task(self.drain(bot), name="daily-drain")
        self._task.add_done_callback(self._done)
        return True

    def _done(self, task: asyncio.Task[RunReport]) -> None:
        if task.cancelled():
            return
        if (exc := task.exception()) is not None:
            _log.error("daily drain failed", exc_info=exc)
            return
        self.last_report = task.result()

    async def drain(self, bot: Bot) -> RunReport:
        """Queue what is due, then send until nothing is ready or stop() is called.

        Senders refill a shared queue themselves when it runs dry, so the pipeline never idles
        between batches (an idle gap would be send budget lost for good).
        """
        report = RunReport()
        report.queued = await self.schedule_due()
        queue: asyncio.Queue[_Job] = asyncio.Queue()
        busy: set[int] = set()  # chats with a send in flight here: never two at once
        refill = asyncio.Lock()
        exhausted = False

        async def next_job() -> _Job | None:
            nonlocal exhausted
            async with refill:
                if queue.empty() and not exhausted and not self._stopping:
                    jobs = await self._claim(busy)
                    # Sends still in flight here may come back for a retry: only the last
                    # sender standing may declare the queue done.
                    exhausted = not jobs and not busy
                    for job in jobs:
                        queue.put_nowait(job)
            return None if queue.empty() else queue.get_nowait()

        async def sender() -> None:
            while not self._stopping and (job := await next_job()) is not None:
                busy.add(job.chat_id)
                try:
                    await self._deliver(bot, job, report)
                except Exception as exc:  # one bad delivery must not stop the others
                    _log.exception("daily delivery %s crashed", job.delivery_id)
                    report.errors.append(f"{job.delivery_id}: {exc!r}")
                finally:
                    busy.discard(job.chat_id)

        await asyncio.gather(*(sender() for _ in range(self._concurrency)))
        if not queue.empty():  # stopping: give back what was claimed but not started
            left = [queue.get_nowait().delivery_id for _ in range(queue.qsize())]
            async with self._db.sessions.begin() as session:
                await ledger.release(session, left, self.worker)
        if report.sent or report.failed or report.queued:
            _log.info(
                "daily: queued %d, sent %d, failed %d, retried %d, skipped %d, unknown %d",
                report.queued, report.sent, report.failed, report.retried, report.skipped,
                report.unknown,
            )  # fmt: skip
        return report

    async def _claim(self, busy: set[int]) -> list[_Job]:
        async with self._db.sessions.begin() as session:
            rows = await ledger.claim(
                session, self._clock(), self.worker, self._lease, self._concurrency * 2, busy
            )
            return [_Job(r.id, r.subscription_id, r.chat_id) for r in rows]

    async def _deliver(self, bot: Bot, job: _Job, report: RunReport) -> None:
        # 1. Prepare: check the subscription still wants it and fix the excerpt (dealt once).
        async with self._db.sessions.begin() as session:
            sub = await subs_repo.get(session, job.subscription_id)
            row = await session.get(Delivery, job.delivery_id)
            if row is None or row.status != ledger.CLAIMED or row.worker != self.worker:
                report.lost += 1
                return
            if sub is None or not sub.active:
                await ledger.settle(session, job.delivery_id, ledger.SKIPPED, self._clock())
                report.skipped += 1
                return
            excerpt = await self._insights.choose(session, sub, row.excerpt_id)
            if excerpt is None:
                await ledger.settle(
                    session, job.delivery_id, ledger.SKIPPED, self._clock(), error="empty pool"
                )
                report.skipped += 1
                return
            row.excerpt_id = excerpt.id
            lang = await self._insights.chat_lang(session, sub)
            reply = self._insights.compose(excerpt, sub, lang, row.local_date)
            chat_id = row.chat_id
        # 2. Wait for a send slot in the budget every replica shares.
        await self._budget.acquire()
        if self._stopping:  # shutting down while we waited: leave it for the next process
            async with self._db.sessions.begin() as session:
                await ledger.release(session, [job.delivery_id], self.worker)
            return
        # 3. From here a crash leaves `sending`: it becomes `unknown`, never a second message.
        async with self._db.sessions.begin() as session:
            if not await ledger.mark_sending(
                session, job.delivery_id, self.worker, self._clock(), self._lease
            ):
                report.lost += 1
                return
        try:
            message = await bot.send_message(
                chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=markup(reply)
            )
        except (TimeoutError, TelegramError, OSError) as exc:
            await self._failed(job, chat_id, exc, report)
            return
        async with self._db.sessions.begin() as session:
            await ledger.settle(
                session, job.delivery_id, ledger.SENT, self._clock(), message_id=message.message_id
            )
        report.sent += 1
        METRICS.observe_delivery("sent")

    async def _failed(self, job: _Job, chat_id: int, exc: BaseException, report: RunReport) -> None:
        """Settle a failed send by what Telegram said (see delivery_errors.classify)."""
        verdict = classify(exc)
        now = self._clock()
        async with self._db.sessions.begin() as session:
            row = await session.get(Delivery, job.delivery_id)
            attempts = row.attempts if row else MAX_ATTEMPTS
            if verdict.kind == "retry_after":
                await ledger.retry_at(session, job.delivery_id, now + verdict.delay, verdict.note)
            elif verdict.kind == "migrated" and verdict.new_chat_id is not None:
                await chats_repo.migrate(session, chat_id, verdict.new_chat_id)
                await ledger.retry_at(session, job.delivery_id, now, verdict.note)
            elif verdict.kind == "gone":
                await ledger.settle(
                    session, job.delivery_id, ledger.FAILED, now, error=verdict.note
                )
                await subs_repo.deactivate_chat(session, chat_id, verdict.note)
                await chats_repo.set_member(session, chat_id, False)
            elif verdict.kind == "transient" and attempts < MAX_ATTEMPTS:
                backoff = timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))
                await ledger.retry_at(session, job.delivery_id, now + backoff, verdict.note)
            elif verdict.kind == "ambiguous":
                await ledger.settle(
                    session, job.delivery_id, ledger.UNKNOWN, now, error=verdict.note
                )
            else:
                await ledger.settle(
                    session, job.delivery_id, ledger.FAILED, now, error=verdict.note
                )
        if verdict.kind == "retry_after":
            await self._budget.pause(verdict.delay.total_seconds())
        _log_verdict(job, chat_id, verdict, report)

    async def stop(self, grace: float = 30.0) -> None:
        """Finish in-flight sends, give back unstarted claims and stop draining."""
        self._stopping = True
        task = self._task
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """A Reply's callback buttons as an inline keyboard."""
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.data) for b in row if b.data]
        for row in reply.buttons
    ]
    return InlineKeyboardMarkup(rows) if any(rows) else None


def _log_verdict(job: _Job, chat_id: int, verdict: Verdict, report: RunReport) -> None:
    counter = {
        "retry_after": "retried",
        "migrated": "retried",
        "transient": "retried",
        "ambiguous": "unknown",
    }.get(verdict.kind, "failed")
    setattr(report, counter, getattr(report, counter) + 1)
    METRICS.observe_delivery("deactivated" if verdict.kind == "gone" else counter)
    _log.info("daily delivery %s to %s: %s", job.delivery_id, chat_id, verdict.note)
