"""In-process usage counters for /stats: uptime, chats, queries today, top queries, misses."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime

from bot.observability.metrics import METRICS


class Stats:
    """Counts since start-up; queries reset at UTC midnight."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self._chats: set[int] = set()
        self._day: date = datetime.now(UTC).date()
        self._queries = 0
        self._top: Counter[str] = Counter()
        self._misses: Counter[str] = Counter()

    def _roll(self) -> None:
        today = datetime.now(UTC).date()
        if today != self._day:
            self._day, self._queries = today, 0
            self._top.clear()
            self._misses.clear()

    def saw_chat(self, chat_id: int) -> None:
        """Note a chat the bot has talked in."""
        self._chats.add(chat_id)

    def record_query(self, query: str, found: bool) -> None:
        """Count one search (normalised to lower case so "RL" and "rl" add up)."""
        METRICS.observe_search(found=found)  # the same count, for Prometheus (/metrics)
        self._roll()
        self._queries += 1
        key = query.casefold()[:64]
        self._top[key] += 1
        if not found:
            self._misses[key] += 1

    @property
    def chats(self) -> int:
        """How many distinct chats were seen."""
        return len(self._chats)

    @property
    def queries_today(self) -> int:
        """Searches since UTC midnight."""
        self._roll()
        return self._queries

    def top(self, n: int = 5) -> list[tuple[str, int]]:
        """Most frequent queries today."""
        self._roll()
        return self._top.most_common(n)

    def misses(self, n: int = 5) -> list[tuple[str, int]]:
        """Most frequent queries today that matched nothing."""
        self._roll()
        return self._misses.most_common(n)

    def uptime(self) -> str:
        """Time since start-up as 1d 2h 3m."""
        minutes = int(time.monotonic() - self.started) // 60
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        return (f"{days}d " if days else "") + f"{hours}h {mins}m"
