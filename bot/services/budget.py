"""The global send budget shared by every replica through the database (msgs/s, RetryAfter)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.db import budget as budget_repo
from bot.db.engine import Database
from bot.observability.metrics import METRICS

# Space sends at 97% of the budget: the time between a reserved slot and the request reaching
# Telegram varies (DB commit, event loop, network), and without headroom that jitter can put one
# send too many into a calendar second. 97% keeps ~30 ms of tolerance per second while a
# broadcast of N chats still takes N/rate seconds within 5% (the documented figure).
PACING_SHARE = 0.97


class SendBudget:
    """Paces sends to `rate` per second across all processes that share the database."""

    def __init__(
        self,
        db: Database,
        rate_per_second: float,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self._db = db
        self._interval = 1.0 / (rate_per_second * PACING_SHARE)
        self._clock = clock
        self._sleep = sleep

    async def acquire(self) -> float:
        """Wait for this process's next send slot; returns how long it waited (seconds)."""
        now = self._clock()
        async with self._db.sessions.begin() as session:
            at = await budget_repo.reserve(session, now, self._interval, clock=self._clock)
        wait = at - self._clock()
        if wait > 0:
            await self._sleep(wait)
        METRICS.observe_budget_wait(wait)  # counted only when it had to wait
        return max(0.0, wait)

    async def pause(self, seconds: float) -> None:
        """Telegram asked us to wait: no replica sends again before `seconds` have passed."""
        async with self._db.sessions.begin() as session:
            await budget_repo.pause(session, self._clock() + seconds)
